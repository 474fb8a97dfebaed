/**
 * The flame graph's geometry: an icicle (roots on top) where every span is a frame as wide as the
 * self time of its whole subtree, so children always fit inside their parent even when they ran
 * in parallel, and the part of a frame with nothing below it is the span's own (self) time.
 * Children sit left to right in start order. Pure and columnar: two passes over the columns lay
 * out a million spans in milliseconds, and `cullFrames` visits only the frames wider than a pixel
 * (a narrower frame's subtree is skipped whole and drawn as "dust" per pixel column), so drawing
 * costs what is visible, not what the trace holds. No DOM: tested in Node.
 */
import type { TraceColumns } from '../../../src/shared/model';

/** What the layout reads of a trace. */
export interface FlameInput {
  n: number;
  c: Pick<TraceColumns, 'parent' | 'depth'>;
  selfTimeNs: Float64Array;
  /** One past the last span of each subtree (rowModel's `computeSubtreeEnd`). */
  subtreeEnd: Int32Array;
}

/** Frame positions in self-time units (nanoseconds of self time). */
export interface FlameLayout {
  /** Left edge of each span's frame. */
  x: Float64Array;
  /** Width of each span's frame: the summed self time of its subtree. */
  w: Float64Array;
  /** Width of everything: the summed self time of the trace. */
  total: number;
  /** Deepest depth. */
  maxDepth: number;
}

/** Lays the trace out (see the file comment). */
export function layoutFlame(t: FlameInput): FlameLayout {
  const n = t.n;
  const { parent, depth } = t.c;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = Math.max(0, t.selfTimeNs[i] ?? 0);
  // Children come after their parent in depth-first order: summing backwards finishes each
  // subtree before it is added to its parent.
  for (let i = n - 1; i >= 0; i--) {
    const p = parent[i]!;
    if (p >= 0 && p < i) w[p]! += w[i]!;
  }
  const x = new Float64Array(n);
  const next = new Float64Array(n);
  let rootX = 0;
  let maxDepth = 0;
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0 && p < i) {
      x[i] = next[p]!;
      next[p]! += w[i]!;
    } else {
      x[i] = rootX;
      rootX += w[i]!;
    }
    next[i] = x[i]!;
    if (depth[i]! > maxDepth) maxDepth = depth[i]!;
  }
  return { x, w, total: rootX, maxDepth };
}

/** The window of the layout shown: [from, to) across, depths [top, bottom] down, `width` pixels wide. */
export interface FlameViewport {
  from: number;
  to: number;
  width: number;
  top: number;
  bottom: number;
}

/** What to draw: whole frames, and per depth and pixel column whether narrower frames cover it. */
export interface CulledFrames {
  /** Span indexes of the frames at least `minPx` wide that are in the window, in depth-first order. */
  frames: Int32Array;
  count: number;
  /** `dust[(depth - top) * width + px]` is 1 where frames narrower than `minPx` lie. */
  dust: Uint8Array;
}

/**
 * The frames in `view` at least `minPx` pixels wide. A narrower frame is not drawn and its subtree
 * is not visited: its pixel columns are marked as dust at its depth (the subtree would only add
 * dust below, which is left out: it carries nothing a person can point at).
 */
export function cullFrames(
  t: FlameInput,
  layout: FlameLayout,
  view: FlameViewport,
  minPx = 1,
  out?: Int32Array,
): CulledFrames {
  const { x, w } = layout;
  const depth = t.c.depth;
  const end = t.subtreeEnd;
  const rows = Math.max(0, view.bottom - view.top + 1);
  const width = Math.max(1, Math.floor(view.width));
  const dust = new Uint8Array(rows * width);
  const frames = out && out.length >= t.n ? out : new Int32Array(t.n);
  const span = view.to - view.from;
  const scale = span > 0 ? width / span : 0;
  let count = 0;
  for (let i = 0; i < t.n;) {
    const d = depth[i]!;
    const left = x[i]!;
    const right = left + w[i]!;
    // Outside the window across or below the last row: nothing of the subtree shows.
    if (right <= view.from || left >= view.to || d > view.bottom || scale === 0) {
      i = end[i]! > i ? end[i]! : i + 1;
      continue;
    }
    if (w[i]! * scale < minPx) {
      if (d >= view.top) {
        const a = Math.max(0, Math.floor((left - view.from) * scale));
        const b = Math.min(width - 1, Math.floor((right - view.from) * scale));
        const row = (d - view.top) * width;
        for (let px = a; px <= b; px++) dust[row + px] = 1;
      }
      i = end[i]! > i ? end[i]! : i + 1;
      continue;
    }
    if (d >= view.top) frames[count++] = i;
    i++;
  }
  return { frames, count, dust };
}

/** The frame under a point: depth `d` (a row) and layout position `pos`; -1 for none. */
export function frameAt(t: FlameInput, layout: FlameLayout, d: number, pos: number): number {
  const { x, w } = layout;
  const depth = t.c.depth;
  const end = t.subtreeEnd;
  // Descend from the roots: at each level, the one child whose range holds `pos`.
  for (let i = 0; i < t.n;) {
    if (pos >= x[i]! && pos < x[i]! + w[i]!) {
      if (depth[i] === d) return i;
      if (depth[i]! > d) return -1;
      i++; // into the subtree
    } else i = end[i]! > i ? end[i]! : i + 1;
  }
  return -1;
}
