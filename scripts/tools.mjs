// Where the tools that scripts/setup-tools.sh installs are, and how the project starts them: the
// Chromium the webview tests, the benchmark and the e2e runner drive (path and flags), and the
// code-server the e2e runner and `npm run demo` start (its version, entry point, and the Node 24
// it needs). One module, so a new flag or a moved cache reaches every user at once.
//
// Environment: TRACE_LENS_CHROMIUM (or CHROMIUM_PATH) for another Chromium; TRACE_LENS_CACHE for
// the cache folder setup-tools.sh fills (default ~/.cache/trace-lens).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** scripts/setup-tools.sh: installs Chromium, Node 24 and code-server; idempotent. */
export const SETUP_SCRIPT = join(root, 'scripts', 'setup-tools.sh');

/** The cache folder setup-tools.sh installs Node 24 and code-server into. */
export const CACHE = process.env.TRACE_LENS_CACHE || join(homedir(), '.cache', 'trace-lens');

/** The Chromium binary (Debian's package unless overridden). */
export const CHROMIUM_PATH =
  process.env.TRACE_LENS_CHROMIUM || process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Flags for a quiet, offline, headless Chromium in a container: no sandbox (no user namespaces
 * there), no GPU, no background traffic or updates.
 */
export const CHROMIUM_FLAGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]);

/**
 * Launches Chromium with playwright-core: the project's binary and flags, plus `options` for
 * `chromium.launch` (extra `args` are appended to the flags).
 */
export async function launchChromium(options = {}) {
  const { chromium } = await import('playwright-core');
  const { args = [], ...rest } = options;
  return chromium.launch({ executablePath: CHROMIUM_PATH, ...rest, args: [...CHROMIUM_FLAGS, ...args] });
}

/** The code-server version setup-tools.sh pins (read from the script, so there is one place). */
export const CODE_SERVER_VERSION = /CODE_SERVER_VERSION="([^"]+)"/.exec(
  readFileSync(SETUP_SCRIPT, 'utf8'),
)[1];

/** Node 24's bin folder: code-server 4.139 needs Node 24, the machine's Node may be older. */
export const NODE24_BIN = join(CACHE, 'node24', 'bin');
/** The Node 24 binary that runs code-server. */
export const NODE24 = join(NODE24_BIN, 'node');
/** code-server's install folder; setup-tools.sh writes `.complete` into it when done. */
export const CODE_SERVER_DIR = join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
/** The script Node 24 runs to start code-server. */
export const CODE_SERVER_ENTRY = join(
  CODE_SERVER_DIR,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Whether setup-tools.sh has installed Node 24 and finished installing code-server. */
export function codeServerInstalled() {
  return (
    existsSync(NODE24) && existsSync(join(CODE_SERVER_DIR, '.complete')) && existsSync(CODE_SERVER_ENTRY)
  );
}

/**
 * The environment for code-server: Node 24 first on PATH (the extension host is spawned with the
 * `node` found there), plus `extra`.
 */
export function codeServerEnv(extra = {}) {
  return { ...process.env, PATH: `${NODE24_BIN}${delimiter}${process.env.PATH ?? ''}`, ...extra };
}
