/**
 * The last check before a path from a trace is opened: it must be a regular file outside the
 * system folders, both as given and after following symlinks. The file system is passed in
 * (`fs.promises` in the host), so the rule is tested in Node on real fifos, sockets and symlinks.
 */
import { notSourceReason, parsePath, systemPathReason, type FileKind } from './paths';

/** What `fs.stat` returns, as far as this check reads it. */
export interface StatLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}

/** The two file-system calls the check needs. */
export interface FileProbe {
  realpath(path: string): Promise<string>;
  stat(path: string): Promise<StatLike>;
}

/** Why a path is not opened. */
export interface Refusal {
  refused: string;
  /** The path does not exist here (the usual case for a path from another machine). */
  missing?: true;
}

/** What `stat` says `path` is. */
export function kindOf(stat: StatLike): FileKind {
  if (stat.isFile()) return 'file';
  if (stat.isDirectory()) return 'directory';
  if (stat.isFIFO()) return 'fifo';
  if (stat.isSocket()) return 'socket';
  if (stat.isCharacterDevice()) return 'character device';
  if (stat.isBlockDevice()) return 'block device';
  return 'other';
}

/**
 * The real path of `path` (symlinks followed) when it is a regular file outside the system
 * folders; otherwise why not. The path as given is checked too, so `/proc/self/cwd/x.ts` is
 * refused although its real path is an ordinary file, and so is a workspace file that is a
 * symlink to `/proc/self/environ`. Fails closed: a relative path, one whose `..` climbs above
 * its root, and what cannot be read are refused.
 */
export async function regularFile(path: string, probe: FileProbe): Promise<{ real: string } | Refusal> {
  const parsed = parsePath(path, true);
  if (!parsed.ok) return { refused: parsed.reason };
  if (parsed.value.kind === 'relative') return { refused: 'not an absolute path' };
  const lexical = systemPathReason(path);
  if (lexical !== undefined) return { refused: lexical };
  let real: string;
  let stat: StatLike;
  try {
    real = await probe.realpath(path);
    stat = await probe.stat(real);
  } catch {
    return { refused: 'missing, or not readable', missing: true };
  }
  const why = notSourceReason(real, kindOf(stat));
  return why === undefined ? { real } : { refused: why };
}
