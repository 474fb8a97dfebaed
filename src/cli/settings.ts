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
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { describeBackendProblem, parseBackendEntry, type BackendConfig } from '../core/backends';

/**
 * Parses JSONC as VS Code reads its settings (comments and trailing commas allowed, with
 * VS Code's own parser); throws an Error naming the first mistake and where it is.
 */
export function readJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  const first = errors[0];
  if (first) {
    const before = text.slice(0, first.offset);
    const line = before.split('\n').length;
    const column = first.offset - before.lastIndexOf('\n');
    // "CloseBraceExpected" → "close brace expected"
    const what = printParseErrorCode(first.error)
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase();
    throw new Error(`${what} at line ${line}, column ${column}`);
  }
  return value;
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
      parsed = readJsonc(text);
    } catch (err) {
      throw new Error(`${file.path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = (parsed as Record<string, unknown> | null)?.['traceLens.backends'];
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      const entry = parseBackendEntry(raw);
      if (entry.name === undefined) continue;
      seen.push(entry.name);
      if (entry.name !== name) continue;
      // The backend asked for by name must be usable as written: say what is wrong with it.
      const problem = entry.problems[0];
      if (problem) throw new Error(describeBackendProblem(problem, file.path));
      if (entry.config) return { file, config: entry.config };
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
