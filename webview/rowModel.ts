/**
 * The row model: which spans are rows, in which order. Pure functions over typed arrays, no DOM,
 * so they can be tested alone and stay fast at a million spans.
 *
 * Spans arrive in depth-first order, so the subtree of span `i` is the contiguous range
 * `[i, subtreeEnd[i])`. Collapsing a span skips that range; filtering keeps matches and their
 * ancestors (an excluded span has no included descendant, so its whole range can be skipped too).
 */

/**
 * For each span, the index one past the last span of its subtree, computed from depths with a
 * stack in one pass: the subtree of `i` is every following span deeper than `i`.
 */
export function computeSubtreeEnd(depth: ArrayLike<number>): Int32Array {
  const n = depth.length;
  const end = new Int32Array(n);
  const stack = new Int32Array(n + 1);
  let top = 0;
  for (let i = 0; i < n; i++) {
    const d = depth[i]!;
    while (top > 0 && depth[stack[top - 1]!]! >= d) end[stack[--top]!] = i;
    stack[top++] = i;
  }
  while (top > 0) end[stack[--top]!] = n;
  return end;
}

/** The rows currently shown: span indexes in display order. `count` entries of `rows` are valid. */
export interface RowList {
  rows: Int32Array;
  count: number;
}

/**
 * The visible rows: a depth-first walk that skips the subtree of every collapsed span and, when
 * `include` is given, every span it leaves out. `reuse` is filled in place when large enough.
 */
export function visibleRows(
  subtreeEnd: Int32Array,
  collapsed: Uint8Array,
  include?: Uint8Array,
  reuse?: Int32Array,
): RowList {
  const n = subtreeEnd.length;
  const rows = reuse && reuse.length >= n ? reuse : new Int32Array(n);
  let count = 0;
  let i = 0;
  if (include) {
    while (i < n) {
      if (include[i] === 0) {
        i = subtreeEnd[i]!;
        continue;
      }
      rows[count++] = i;
      i = collapsed[i] !== 0 ? subtreeEnd[i]! : i + 1;
    }
  } else {
    while (i < n) {
      rows[count++] = i;
      i = collapsed[i] !== 0 ? subtreeEnd[i]! : i + 1;
    }
  }
  return { rows, count };
}

/** Marks every ancestor of each marked span (in place) so matches keep their context. */
export function withAncestors(marked: Uint8Array, parent: Int32Array): Uint8Array {
  const out = new Uint8Array(marked);
  for (let i = marked.length - 1; i >= 0; i--) {
    if (marked[i] === 0) continue;
    let p = parent[i]!;
    while (p >= 0 && out[p] === 0) {
      out[p] = 1;
      p = parent[p]!;
    }
  }
  return out;
}

/** Position of span `index` among `rows`, or -1. Rows are in increasing span order: binary search. */
export function rowOf(list: RowList, index: number): number {
  let lo = 0;
  let hi = list.count - 1;
  const rows = list.rows;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = rows[mid]!;
    if (v === index) return mid;
    if (v < index) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Collapses every span with children whose depth is at least `depth` (so rows stop at that depth). */
export function collapseBelowDepth(
  depth: Uint16Array,
  childCount: Uint32Array,
  minDepth: number,
  collapsed: Uint8Array,
): void {
  for (let i = 0; i < depth.length; i++) collapsed[i] = depth[i]! >= minDepth && childCount[i]! > 0 ? 1 : 0;
}

/** Collapses every span with children that is shorter than `ns` nanoseconds; leaves others alone. */
export function collapseShorterThan(
  durationNs: Float64Array,
  childCount: Uint32Array,
  ns: number,
  collapsed: Uint8Array,
): void {
  for (let i = 0; i < durationNs.length; i++) {
    if (childCount[i]! > 0 && durationNs[i]! < ns) collapsed[i] = 1;
  }
}

/** Expands every collapsed ancestor of `index` so it becomes a row. Returns whether anything changed. */
export function expandAncestors(parent: Int32Array, collapsed: Uint8Array, index: number): boolean {
  let changed = false;
  for (let p = parent[index] ?? -1; p >= 0; p = parent[p]!) {
    if (collapsed[p] !== 0) {
      collapsed[p] = 0;
      changed = true;
    }
  }
  return changed;
}

/**
 * Self-time intervals of span `i` as fractions of its own duration: the parts of `[start, end)`
 * that no direct child covers. Returns [from0, to0, from1, to1, ...]; at most `max` intervals
 * (the longest ones) so a span with thousands of children stays cheap to draw.
 */
export function selfIntervals(
  i: number,
  startNs: Float64Array,
  durationNs: Float64Array,
  depth: Uint16Array,
  subtreeEnd: Int32Array,
  max: number,
): number[] {
  const s = startNs[i]!;
  const d = durationNs[i]!;
  const e = s + d;
  if (d <= 0) return [];
  const childDepth = depth[i]! + 1;
  const gaps: number[] = [];
  let cursor = s;
  // Direct children, in start order; skipping each child's subtree visits only direct children.
  const children: number[] = [];
  for (let j = i + 1; j < subtreeEnd[i]!; j = subtreeEnd[j]!) if (depth[j] === childDepth) children.push(j);
  children.sort((a, b) => startNs[a]! - startNs[b]!);
  for (const j of children) {
    const cs = Math.max(s, startNs[j]!);
    const ce = Math.min(e, startNs[j]! + durationNs[j]!);
    if (ce <= cs) continue;
    if (cs > cursor) gaps.push(cursor, cs);
    if (ce > cursor) cursor = ce;
  }
  if (cursor < e) gaps.push(cursor, e);
  const pairs: [number, number][] = [];
  for (let k = 0; k < gaps.length; k += 2) pairs.push([gaps[k]!, gaps[k + 1]!]);
  const kept = pairs.length > max ? pairs.sort((a, b) => b[1] - b[0] - (a[1] - a[0])).slice(0, max) : pairs;
  kept.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [a, b] of kept) out.push((a - s) / d, (b - s) / d);
  return out;
}
