/**
 * Self time and the critical path: the two whole-trace walks. `analyze` computes them once per
 * model and keeps them, so the hover's summary, the panel's columns and the CLI share one
 * computation per load.
 */
import { SpanFlag, type TraceModel } from '../../shared/model';

/** The per-span analysis of a trace, computed once per model by `analyze`. */
export interface TraceAnalysis {
  /** Self time of every span in nanoseconds (see `selfTime`). Shared: do not write to it. */
  selfTimeNs: Float64Array;
  /** Span indexes on the critical path, root first (see `criticalPath`). Shared: do not write to it. */
  criticalPath: Int32Array;
}

// Keyed by the model rather than stored on it: the model is posted to the webview as it is, and
// a property on it would cross with it. A decoded model is never changed afterwards.
const analyses = new WeakMap<TraceModel, TraceAnalysis>();

/**
 * Self time and critical path of `model`, computed on the first call and cached for the model's
 * lifetime; the first call also sets `SpanFlag.CriticalPath` in its columns (see `criticalPath`).
 */
export function analyze(model: TraceModel): TraceAnalysis {
  let a = analyses.get(model);
  if (!a) {
    a = { selfTimeNs: selfTime(model), criticalPath: criticalPath(model) };
    analyses.set(model, a);
  }
  return a;
}

/**
 * Self time of every span: its duration minus the union of its children's intervals, each
 * clipped to the span. Children arrive in start order (the model's depth-first order), so one
 * sweep per parent merges overlapping children.
 */
export function selfTime(model: TraceModel): Float64Array {
  const n = model.spanCount;
  const { startNs, durationNs, parent } = model.columns;
  const self = new Float64Array(n);
  // Per parent: total covered so far, and the open run [runStart, runEnd).
  const covered = new Float64Array(n);
  const runStart = new Float64Array(n).fill(NaN);
  const runEnd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p < 0) continue;
    const ps = startNs[p]!;
    const pe = ps + durationNs[p]!;
    const s = Math.max(startNs[i]!, ps);
    const e = Math.min(startNs[i]! + durationNs[i]!, pe);
    if (e <= s) continue;
    if (Number.isNaN(runStart[p]!)) {
      runStart[p] = s;
      runEnd[p] = e;
    } else if (s > runEnd[p]!) {
      covered[p]! += runEnd[p]! - runStart[p]!;
      runStart[p] = s;
      runEnd[p] = e;
    } else if (e > runEnd[p]!) {
      runEnd[p] = e;
    }
  }
  for (let i = 0; i < n; i++) {
    const run = Number.isNaN(runStart[i]!) ? 0 : runEnd[i]! - runStart[i]!;
    self[i] = Math.max(0, durationNs[i]! - covered[i]! - run);
  }
  return self;
}

/** Number of spans in each span's subtree (itself included). */
function subtreeSizes(model: TraceModel): Uint32Array {
  const n = model.spanCount;
  const parent = model.columns.parent;
  const size = new Uint32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) {
    const p = parent[i]!;
    if (p >= 0) size[p]! += size[i]!;
  }
  return size;
}

/** How far past a whole millisecond the trace starts, in ns (0 when unknown). */
function wholeMsPhase(traceStartUnixNano: string): number {
  try {
    return Number(BigInt(traceStartUnixNano) % BigInt(MS_NS));
  } catch {
    return 0;
  }
}

/**
 * The OpenTelemetry JS SDK (and others reading `Date.now()`) stamps starts in whole milliseconds
 * but ends with sub-millisecond precision, so in a run of sequential steps the next step can
 * appear to start up to 1 ms before the previous one ends, and a strict "ends before the cut"
 * rule would skip that step however long it was (seen on the demo: the 4.2 s step 3 left off).
 * When the cut is a start on a whole millisecond, a child ending less than 1 ms after it (and
 * starting before it) still counts as finished before it.
 */
const MS_NS = 1e6;

/**
 * The critical path, as Jaeger and Grafana define it: start at the root; from the current cut
 * point (first the span's end) take the last-finishing child that ends before it (within 1 ms when the cut is a start on a whole millisecond: see `MS_NS`), descend into
 * it, and when a span has no such child go back to its parent with the cut moved to that span's
 * start. Children are clipped to their parent first; children entirely outside it are ignored.
 * Returns the spans visited, root first in depth-first order, and sets `SpanFlag.CriticalPath`
 * on them in `model.columns.flags` (clearing it elsewhere).
 */
export function criticalPath(model: TraceModel): Int32Array {
  const n = model.spanCount;
  const { startNs, durationNs, parent, flags } = model.columns;
  for (let i = 0; i < n; i++) flags[i]! &= ~SpanFlag.CriticalPath;
  if (n === 0) return new Int32Array(0);
  // Clipped intervals, top-down (parents come before children).
  const cs = new Float64Array(n);
  const ce = new Float64Array(n);
  const inside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = startNs[i]!;
    const e = s + durationNs[i]!;
    const p = parent[i]!;
    if (p < 0) {
      cs[i] = s;
      ce[i] = e;
      inside[i] = 1;
    } else if (inside[p] && s <= ce[p]! && e >= cs[p]!) {
      cs[i] = Math.max(s, cs[p]!);
      ce[i] = Math.min(e, ce[p]!);
      inside[i] = 1;
    }
  }
  const size = subtreeSizes(model);
  // Offsets are from the trace start; `phase` puts them back on the absolute millisecond grid.
  const phase = wholeMsPhase(model.traceStartUnixNano);
  // Children of a span sorted by clipped end, latest first, built when the walk first arrives;
  // the cut only moves earlier, so a cursor per span finds the next candidate.
  const sortedChildren = new Map<number, Int32Array>();
  const cursor = new Map<number, number>();
  const onPath = new Uint8Array(n);
  const root = 0;
  let cur = root;
  let cut = Infinity;
  for (;;) {
    onPath[cur] = 1;
    let list = sortedChildren.get(cur);
    if (!list) {
      const kids: number[] = [];
      for (let c = cur + 1; c < cur + size[cur]!; c += size[c]!) if (inside[c]) kids.push(c);
      kids.sort((a, b) => ce[b]! - ce[a]! || a - b);
      list = Int32Array.from(kids);
      sortedChildren.set(cur, list);
      cursor.set(cur, 0);
    }
    let k = cursor.get(cur)!;
    // A cut on a whole millisecond may be a start the clock rounded down: allow the slack there.
    const before = (cut + phase) % MS_NS === 0 ? cut + MS_NS : cut;
    while (k < list.length && !(ce[list[k]!]! < before && cs[list[k]!]! < cut)) k++;
    if (k < list.length) {
      cursor.set(cur, k + 1);
      cur = list[k]!;
      cut = Infinity;
      continue;
    }
    cursor.set(cur, k);
    if (cur === root || parent[cur]! < 0) break;
    cut = cs[cur]!;
    cur = parent[cur]!;
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += onPath[i]!;
  const path = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (onPath[i]) {
      path[j++] = i;
      flags[i]! |= SpanFlag.CriticalPath;
    }
  }
  return path;
}
