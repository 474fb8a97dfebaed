// Types of scripts/tools.mjs for the TypeScript that imports it (the webview test harness).
import type { Browser, LaunchOptions } from 'playwright-core';

/** scripts/setup-tools.sh. */
export const SETUP_SCRIPT: string;
/** The cache folder setup-tools.sh installs Node 24 and code-server into. */
export const CACHE: string;
/** The Chromium binary. */
export const CHROMIUM_PATH: string;
/** Flags for a quiet, offline, headless Chromium in a container. */
export const CHROMIUM_FLAGS: readonly string[];
/** Launches Chromium with the project's binary and flags (extra `args` are appended). */
export function launchChromium(options?: LaunchOptions): Promise<Browser>;
/** The pinned code-server version. */
export const CODE_SERVER_VERSION: string;
/** Node 24's bin folder. */
export const NODE24_BIN: string;
/** The Node 24 binary. */
export const NODE24: string;
/** code-server's install folder. */
export const CODE_SERVER_DIR: string;
/** The script Node 24 runs to start code-server. */
export const CODE_SERVER_ENTRY: string;
/** Whether Node 24 and code-server are installed. */
export function codeServerInstalled(): boolean;
/** The environment for code-server: Node 24 first on PATH, plus `extra`. */
export function codeServerEnv(extra?: Record<string, string>): NodeJS.ProcessEnv;
