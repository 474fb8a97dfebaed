/**
 * Named backends for `trace-lens show --backend NAME`, read from `traceLens.backends` so the CLI
 * and the extension share one configuration. The user's own settings come first (the file
 * `TRACE_LENS_SETTINGS` names, then VS Code's user settings); `.vscode/settings.json` in the
 * current folder or its parents comes after, and is a folder's (often a cloned repository's):
 * the caller must not send credentials to a backend only such a file defines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix, resolve, win32 } from 'node:path';
import type { BackendConfig, BackendKind } from '../core/backends';

const KINDS: readonly BackendKind[] = ['tempo', 'grafana', 'jaeger', 'zipkin', 'file'];

/** Removes `//` and block comments and trailing commas from JSONC, leaving strings alone. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** Whose a settings file is: the user's own, or a folder's (a cloned repository's). */
export type SettingsOwner = 'user' | 'folder';

/** A settings file and whose it is. */
export interface SettingsFile {
  path: string;
  owner: SettingsOwner;
}

/**
 * VS Code's user settings file, where VS Code keeps it: `%APPDATA%\Code\User` on Windows,
 * `~/Library/Application Support/Code/User` on macOS, `$XDG_CONFIG_HOME/Code/User` (default
 * `~/.config`) on Linux; `VSCODE_APPDATA` moves the base folder, as it does for VS Code.
 */
export function vscodeUserSettingsFile(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const path = platform === 'win32' ? win32 : posix;
  let base = env.VSCODE_APPDATA;
  if (!base) {
    if (platform === 'win32') base = env.APPDATA || path.join(env.USERPROFILE || home, 'AppData', 'Roaming');
    else if (platform === 'darwin') base = path.join(home, 'Library', 'Application Support');
    else base = env.XDG_CONFIG_HOME || path.join(home, '.config');
  }
  return path.join(base, 'Code', 'User', 'settings.json');
}

/**
 * The settings files the CLI looks at, in the order they count: the user's own first
 * (`TRACE_LENS_SETTINGS`, then VS Code's user settings), then `.vscode/settings.json` in `cwd`
 * and its parents, nearest first.
 */
export function settingsFiles(
  cwd: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): SettingsFile[] {
  const files: SettingsFile[] = [];
  // Named on purpose: a missing file is reported rather than skipped.
  if (env.TRACE_LENS_SETTINGS) files.push({ path: resolve(env.TRACE_LENS_SETTINGS), owner: 'user' });
  const vscode = vscodeUserSettingsFile(env, platform, home);
  if (existsSync(vscode)) files.push({ path: vscode, owner: 'user' });
  let dir = resolve(cwd);
  for (;;) {
    const f = join(dir, '.vscode', 'settings.json');
    if (existsSync(f)) files.push({ path: f, owner: 'folder' });
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return files;
}

/** A backend and the settings file that defined it. */
export interface FoundBackend {
  config: BackendConfig;
  file: SettingsFile;
}

/**
 * Finds the backend called `name` in the first file that defines it; throws an Error with a
 * sentence saying what is wrong.
 */
export function findBackend(name: string, files: readonly SettingsFile[]): FoundBackend {
  const seen: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file.path, 'utf8');
    } catch (err) {
      throw new Error(`cannot read ${file.path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(stripJsonc(text));
    } catch (err) {
      throw new Error(`${file.path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = (parsed as Record<string, unknown> | null)?.['traceLens.backends'];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as Record<string, unknown>;
      if (typeof e.name === 'string') seen.push(e.name);
      if (e.name !== name) continue;
      const where = file.path;
      const kind = (typeof e.kind === 'string' ? e.kind : 'tempo') as BackendKind;
      if (!KINDS.includes(kind))
        throw new Error(`backend "${name}" in ${where} has an unknown kind "${kind}"`);
      if (typeof e.url !== 'string' || !e.url) throw new Error(`backend "${name}" in ${where} has no url`);
      const headers =
        typeof e.headers === 'object' && e.headers !== null
          ? Object.fromEntries(
              Object.entries(e.headers as Record<string, unknown>).filter(
                (kv): kv is [string, string] => typeof kv[1] === 'string',
              ),
            )
          : undefined;
      return {
        file,
        config: {
          name,
          kind,
          url: e.url,
          ...(typeof e.tenant === 'string' && e.tenant ? { tenant: e.tenant } : {}),
          ...(headers && Object.keys(headers).length ? { headers } : {}),
          ...(e.format === 'json' || e.format === 'proto' ? { format: e.format } : {}),
        },
      };
    }
  }
  if (!files.length) {
    throw new Error(
      `no backend "${name}": TRACE_LENS_SETTINGS is not set, there are no VS Code user settings, and no .vscode/settings.json here or above`,
    );
  }
  throw new Error(
    `no backend "${name}" in traceLens.backends of ${files.map((f) => f.path).join(', ')}${seen.length ? ` (known: ${[...new Set(seen)].join(', ')})` : ''}`,
  );
}

/**
 * A backend a folder's settings define, as it may be used without the user's say-so: no
 * configured headers, no tenant, no user info in the URL. (Its URL was chosen by whoever wrote
 * the folder; the caller also sends no token.)
 */
export function withoutCredentials(config: BackendConfig): BackendConfig {
  const { headers: _headers, tenant: _tenant, ...rest } = config;
  if (config.kind === 'file') return rest;
  try {
    const u = new URL(config.url);
    if (u.username || u.password) {
      u.username = '';
      u.password = '';
      return { ...rest, url: u.toString() };
    }
  } catch {
    // Not a URL: createBackend says so.
  }
  return rest;
}
