/**
 * An index of the workspace's files for matching paths from other machines by their tail:
 * `/app/src/nodes/DataFetchNode.ts` (a container path) finds `<ws>/src/nodes/DataFetchNode.ts`
 * because the last three segments agree. Files are bucketed by base name, so a lookup costs the
 * number of files sharing that base name, not the size of the workspace.
 */
import { caseInsensitive, formatPath, parsePath, prefixLength, type ParsedPath } from './paths';

interface Entry {
  /** The path exactly as the host gave it; this is what lookups return. */
  original: string;
  parsed: ParsedPath;
}

/** One suffix match: a workspace file and how many trailing segments it shares with the query. */
export interface SuffixMatch {
  path: string;
  segments: number;
}

/** Lookup key: forward slashes, case folded where the file system ignores case. */
function keyOf(p: ParsedPath): string {
  const s = formatPath(p);
  return caseInsensitive(p) ? s.toLowerCase() : s;
}

/** The workspace files, searchable by exact path and by trailing path segments. */
export class FileIndex {
  private readonly byKey = new Map<string, Entry>();
  private readonly byBase = new Map<string, Set<string>>();

  /** `paths` are absolute workspace file paths (posix or win32); others are ignored. */
  constructor(paths: readonly string[] = []) {
    for (const p of paths) this.add(p);
  }

  /** Number of files in the index. */
  get size(): number {
    return this.byKey.size;
  }

  /** Adds a file (no-op for a relative or malformed path, or one already present). */
  add(path: string): void {
    const p = parsePath(path, true);
    if (!p.ok || p.value.kind === 'relative' || p.value.segments.length === 0) return;
    const key = keyOf(p.value);
    if (this.byKey.has(key)) return;
    this.byKey.set(key, { original: path, parsed: p.value });
    const base = p.value.segments[p.value.segments.length - 1]!.toLowerCase();
    let bucket = this.byBase.get(base);
    if (!bucket) this.byBase.set(base, (bucket = new Set()));
    bucket.add(key);
  }

  /** Removes a file; no-op when absent. */
  remove(path: string): void {
    const p = parsePath(path, true);
    if (!p.ok || p.value.kind === 'relative' || p.value.segments.length === 0) return;
    const key = keyOf(p.value);
    if (!this.byKey.delete(key)) return;
    const base = p.value.segments[p.value.segments.length - 1]!.toLowerCase();
    const bucket = this.byBase.get(base);
    bucket?.delete(key);
    if (bucket?.size === 0) this.byBase.delete(base);
  }

  /** The indexed spelling of `path` when the index holds it (separators and, on Windows, case may differ). */
  get(path: string): string | undefined {
    const p = parsePath(path, true);
    if (!p.ok || p.value.kind === 'relative') return undefined;
    return this.byKey.get(keyOf(p.value))?.original;
  }

  /** Whether the index holds `path`. */
  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  /**
   * Every file whose trailing segments match the tail of `path` (at least the base name), best
   * first: more matching segments, then files under `preferFolder`, then shorter paths, then by
   * name. `path` may be absolute or relative; its root is ignored.
   */
  matchBySuffix(path: string, preferFolder?: string): SuffixMatch[] {
    const q = parsePath(path, true);
    if (!q.ok || q.value.segments.length === 0) return [];
    const query = q.value.segments;
    const base = query[query.length - 1]!.toLowerCase();
    const bucket = this.byBase.get(base);
    if (!bucket) return [];
    const preferred = preferFolder === undefined ? undefined : parsePath(preferFolder, true);
    const scored: { entry: Entry; segments: number; preferred: boolean }[] = [];
    for (const key of bucket) {
      const entry = this.byKey.get(key)!;
      const segs = entry.parsed.segments;
      // Fold case when either side comes from a case-insensitive file system.
      const fold = caseInsensitive(entry.parsed) || caseInsensitive(q.value);
      let n = 0;
      while (n < query.length && n < segs.length) {
        const a = query[query.length - 1 - n]!;
        const b = segs[segs.length - 1 - n]!;
        if (a !== b && !(fold && a.toLowerCase() === b.toLowerCase())) break;
        n++;
      }
      if (n === 0) continue;
      const isPreferred = preferred?.ok === true && prefixLength(preferred.value, entry.parsed) >= 0;
      scored.push({ entry, segments: n, preferred: isPreferred });
    }
    scored.sort(
      (a, b) =>
        b.segments - a.segments ||
        Number(b.preferred) - Number(a.preferred) ||
        a.entry.parsed.segments.length - b.entry.parsed.segments.length ||
        (a.entry.original < b.entry.original ? -1 : a.entry.original > b.entry.original ? 1 : 0),
    );
    return scored.map((s) => ({ path: s.entry.original, segments: s.segments }));
  }

  /**
   * The files sharing the LONGEST matching path suffix with `path` (segment-wise), best first:
   * those under `preferFolder` first, then shorter paths. Empty when not even the base name matches.
   */
  findBySuffix(path: string, preferFolder?: string): string[] {
    const all = this.matchBySuffix(path, preferFolder);
    const best = all[0]?.segments ?? 0;
    return all.filter((m) => m.segments === best).map((m) => m.path);
  }
}
