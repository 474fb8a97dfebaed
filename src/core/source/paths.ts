/**
 * Path safety and normalisation for source resolution.
 *
 * Paths in traces come from other machines (containers, Windows build agents, bundlers) and are
 * untrusted: a span can name `\\evil\share\x.ts`, `javascript:alert(1)` or `/app/../../etc/passwd`.
 * Everything here is lexical (no file system): posix and win32 separators are both accepted, `.`
 * and `..` are resolved, and a `..` that climbs above the start is an error rather than clamped.
 */

/** A workspace folder as the host sees it. */
export interface WorkspaceFolderInfo {
  /** The folder's name (what `${workspaceFolder:name}` refers to). */
  name: string;
  /** Absolute path, posix (`/home/me/repo`) or win32 (`C:\work\repo`). */
  path: string;
}

/** A path split into its root and clean segments (no empty, `.` or `..` segments). */
export interface ParsedPath {
  kind: 'posix' | 'win32' | 'unc' | 'relative';
  /** `/` for posix, `C:` for win32 (upper-cased drive), `//server/share` for UNC, `` for relative. */
  root: string;
  segments: string[];
}

/** The result of parsing: a path, or why it was refused. */
export type ParseResult = { ok: true; value: ParsedPath } | { ok: false; reason: string };

// C0 controls and DEL: NUL truncates paths in native APIs, and none belong in a file name we open.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DRIVE = /^[A-Za-z]:(?:[\\/]|$)/;
// A URI scheme has at least two characters, so `C:` stays a drive letter.
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/**
 * Parses an absolute or relative path lexically. UNC paths are refused unless `allowUnc` (only
 * paths the host supplied itself, such as workspace folders, may be UNC; trace paths never).
 */
export function parsePath(raw: string, allowUnc: boolean): ParseResult {
  if (CONTROL.test(raw)) return { ok: false, reason: 'contains a NUL or control character' };
  let kind: ParsedPath['kind'];
  let root: string;
  let rest: string;
  if (/^[\\/]{2}/.test(raw)) {
    if (!allowUnc) return { ok: false, reason: 'UNC (network share) paths are not opened' };
    const parts = raw.split(/[\\/]+/).filter((s) => s !== '');
    if (parts.length < 2) return { ok: false, reason: 'UNC path without a share' };
    kind = 'unc';
    root = `//${parts[0]!.toLowerCase()}/${parts[1]!.toLowerCase()}`;
    rest = parts.slice(2).join('/');
  } else if (DRIVE.test(raw)) {
    kind = 'win32';
    root = raw.slice(0, 2).toUpperCase();
    rest = raw.slice(2);
  } else if (/^[\\/]/.test(raw)) {
    kind = 'posix';
    root = '/';
    rest = raw;
  } else {
    kind = 'relative';
    root = '';
    rest = raw;
  }
  const segments: string[] = [];
  for (const s of rest.split(/[\\/]+/)) {
    if (s === '' || s === '.') continue;
    if (s === '..') {
      if (segments.length === 0) return { ok: false, reason: '`..` escapes above the start of the path' };
      segments.pop();
      continue;
    }
    segments.push(s);
  }
  return { ok: true, value: { kind, root, segments } };
}

/** Formats a parsed path with forward slashes (`/a/b`, `C:/a/b`, `a/b`, `//srv/share/a`). */
export function formatPath(p: ParsedPath): string {
  const body = p.segments.join('/');
  switch (p.kind) {
    case 'posix':
      return '/' + body;
    case 'win32':
      return `${p.root}/${body}`;
    case 'unc':
      return body ? `${p.root}/${body}` : p.root;
    case 'relative':
      return body;
  }
}

/** Whether segment comparisons for this path ignore case (Windows file systems do). */
export function caseInsensitive(p: ParsedPath): boolean {
  return p.kind === 'win32' || p.kind === 'unc';
}

/** Number of leading segments of `path` equal to `prefix`'s, or -1 when `prefix` is not a prefix. */
export function prefixLength(prefix: ParsedPath, path: ParsedPath): number {
  if (prefix.kind !== path.kind || prefix.root !== path.root) return -1;
  if (prefix.segments.length > path.segments.length) return -1;
  const fold = caseInsensitive(prefix);
  for (let i = 0; i < prefix.segments.length; i++) {
    const a = prefix.segments[i]!;
    const b = path.segments[i]!;
    if (a !== b && !(fold && a.toLowerCase() === b.toLowerCase())) return -1;
  }
  return prefix.segments.length;
}

/** Strips a `file:` URI to its path; refuses remote hosts and undecodable escapes. */
function fileUriPath(raw: string): { ok: true; path: string } | { ok: false; reason: string } {
  let rest = raw.slice('file:'.length).replace(/[?#].*$/, '');
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    if (host !== '' && host.toLowerCase() !== 'localhost') {
      return { ok: false, reason: `file URI names a remote host (${host}): UNC paths are not opened` };
    }
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return { ok: false, reason: 'file URI has a malformed %-escape' };
  }
  // file:///C:/x → /C:/x → C:/x
  if (/^\/[A-Za-z]:(?:[\\/]|$)/.test(decoded)) decoded = decoded.slice(1);
  return { ok: true, path: decoded };
}

/**
 * Strips a bundler URL (`webpack:///./src/x.ts`, `webpack://app/./src/x.ts`,
 * `webpack-internal:///./src/x.ts`) to the project-relative path it names.
 */
function webpackPath(raw: string, scheme: string): string {
  let rest = raw.slice(scheme.length + 1).replace(/\?.*$/, '');
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    // An empty namespace leaves a leading slash; otherwise drop the namespace segment.
    const slash = rest.indexOf('/');
    rest = slash < 0 ? '' : rest.slice(slash + 1);
  }
  return rest;
}

/** Top-level folders of pseudo-files (a process's memory and environment, kernel state, devices). */
const SYSTEM_ROOTS = new Set(['proc', 'sys', 'dev']);
/** Windows device names: reserved in every folder and with any extension (`C:\src\nul.ts` is the null device). */
const WIN32_DEVICES =
  /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;

/**
 * Why `path` is never opened as source, whatever maps it or contains it: `/proc`, `/sys` and `/dev`
 * hold pseudo-files (`/proc/self/environ` is the editor's environment, tokens included), Windows
 * device paths (`\\.\`, `\\?\`) and device names (`NUL.ts`) open devices. Undefined when none
 * of these applies. Lexical; the host applies it to real paths too, after following symlinks.
 */
export function systemPathReason(path: string): string | undefined {
  if (/^[\\/]{2}[.?](?:[\\/]|$)/.test(path)) return 'a Windows device path, not a file';
  const parsed = parsePath(path, true);
  if (!parsed.ok) return undefined;
  const { kind, segments } = parsed.value;
  const first = segments[0]?.toLowerCase();
  if (kind === 'posix' && first !== undefined && SYSTEM_ROOTS.has(first)) {
    return `/${first} holds system pseudo-files, not source`;
  }
  if (kind === 'win32' || kind === 'unc') {
    const device = segments.find((seg) => WIN32_DEVICES.test(seg.split('.')[0]!.trimEnd()));
    if (device !== undefined) return `${device} is a Windows device name, not a file`;
  }
  return undefined;
}

/** What `fs.stat` says a path is. */
export type FileKind =
  'file' | 'directory' | 'fifo' | 'socket' | 'character device' | 'block device' | 'other';

/**
 * Why a path the host resolved (`fs.realpath`, then `fs.stat`) is not offered as source: a
 * system path, or anything but a regular file. Undefined for a regular file elsewhere.
 */
export function notSourceReason(realPath: string, kind: FileKind): string | undefined {
  const system = systemPathReason(realPath);
  if (system !== undefined) return system;
  return kind === 'file' ? undefined : `a ${kind}, not a regular file`;
}

/**
 * Checks a path taken from a trace before anything opens it. Accepts plain posix, win32 and
 * relative paths, `file:` URIs (local only) and `webpack:` URLs (reduced to the relative path);
 * rejects UNC paths, `..` escapes, other URI schemes, control characters, empty paths and system
 * paths (`systemPathReason`: those also say `system`). The accepted path is normalised with
 * forward slashes.
 */
export function checkCandidatePath(
  raw: string,
): { ok: true; path: string } | { ok: false; reason: string; system?: true } {
  if (CONTROL.test(raw)) return { ok: false, reason: 'contains a NUL or control character' };
  let path = raw.trim();
  if (path === '') return { ok: false, reason: 'empty path' };
  const scheme = SCHEME.exec(path)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (scheme === 'file') {
      const r = fileUriPath(path);
      if (!r.ok) return r;
      path = r.path;
    } else if (scheme === 'webpack' || scheme === 'webpack-internal') {
      path = webpackPath(path, scheme);
    } else {
      return { ok: false, reason: `${scheme}: is not a file scheme` };
    }
  }
  if (path.startsWith('<')) return { ok: false, reason: 'not a file (' + path + ')' };
  const parsed = parsePath(path, false);
  if (!parsed.ok) return parsed;
  if (parsed.value.kind === 'relative' && parsed.value.segments.length === 0) {
    return { ok: false, reason: 'empty path' };
  }
  const normal = formatPath(parsed.value);
  const system = systemPathReason(normal);
  if (system !== undefined) return { ok: false, reason: system, system: true };
  return { ok: true, path: normal };
}

/** The folder containing an already-parsed absolute path, if any (the deepest, for nested folders). */
export function containingFolder(
  path: ParsedPath,
  folders: readonly WorkspaceFolderInfo[],
): { folder: WorkspaceFolderInfo; depth: number } | undefined {
  let best: { folder: WorkspaceFolderInfo; depth: number } | undefined;
  for (const folder of folders) {
    const f = parsePath(folder.path, true);
    if (!f.ok || f.value.kind === 'relative') continue;
    const depth = prefixLength(f.value, path);
    if (depth >= 0 && (!best || depth > best.depth)) best = { folder, depth };
  }
  return best;
}

/**
 * Containment check for a path the host has ALREADY resolved with `fs.realpath` (so symlinks
 * are followed): true when it is one of the folders or below one, segment-wise. Case is ignored
 * for win32 and UNC paths. UNC paths count only when the workspace folder is itself on that share.
 */
export function isInsideWorkspace(
  resolvedRealPath: string,
  folders: readonly WorkspaceFolderInfo[],
): boolean {
  const p = parsePath(resolvedRealPath, true);
  if (!p.ok || p.value.kind === 'relative') return false;
  return containingFolder(p.value, folders) !== undefined;
}

/**
 * Joins clean segments under a workspace folder in the folder's own separator style, so a
 * candidate under `C:\work\repo` reads `C:\work\repo\src\x.ts`.
 */
export function joinUnderFolder(folderPath: string, segments: readonly string[]): string {
  const sep = folderPath.includes('\\') ? '\\' : '/';
  const base = folderPath.replace(/[\\/]+$/, '');
  if (segments.length === 0) return base === '' ? sep : base;
  return base + sep + segments.join(sep);
}
