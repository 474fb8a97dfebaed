/**
 * Analysis of a decoded trace: self time, the critical path, per-service summaries, the slowest
 * spans and the errors. Pure functions over the columnar model; every walk is iterative.
 */
import { SpanFlag, type TraceModel } from '../../shared/model';
import type { DecodedTrace } from '../decode';

/** Per-service figures. */
export interface ServiceSummary {
  name: string;
  spanCount: number;
  /** Sum of the self times of the service's spans. */
  selfTimeNs: number;
  errorCount: number;
}

/** The span that contributes most to the critical path. */
export interface TopContributor {
  /** Depth-first span index. */
  index: number;
  name: string;
  service: string;
  selfTimeNs: number;
  /** `selfTimeNs` as a fraction of the trace duration (0 to 1). */
  share: number;
}

/** What a hover, the CLI and the panel header say about a trace. */
export interface TraceSummary {
  traceId: string;
  /** Service of the root span (span 0). */
  rootService: string;
  /** Name of the root span (span 0). */
  rootName: string;
  traceStartMs: number;
  durationNs: number;
  spanCount: number;
  serviceCount: number;
  /** Spans flagged `SpanFlag.Error`. */
  errorCount: number;
  /** Services in the model's order (the root's service first). */
  services: ServiceSummary[];
  /** Span indexes on the critical path, root first (depth-first order). */
  criticalPath: Int32Array;
  topContributor?: TopContributor;
}

/** One of the slowest spans. */
export interface SlowSpan {
  index: number;
  name: string;
  service: string;
  durationNs: number;
}

/** A span flagged as an error, with its exception when it recorded one. */
export interface ErrorSpan {
  index: number;
  name: string;
  service: string;
  /** `exception.type` of the first `exception` event. */
  exceptionType?: string;
  /** `exception.message` of the first `exception` event, else the status message. */
  message?: string;
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

/**
 * The critical path, as Jaeger and Grafana define it: start at the root; from the current cut
 * point (first the span's end) take the last-finishing child that ends before it, descend into
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
    while (k < list.length && !(ce[list[k]!]! < cut)) k++;
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

/** The facts a hover or header shows about a trace. */
export function summarize(model: TraceModel): TraceSummary {
  const n = model.spanCount;
  const c = model.columns;
  const self = selfTime(model);
  const path = criticalPath(model);
  const services: ServiceSummary[] = model.services.map((name) => ({
    name,
    spanCount: 0,
    selfTimeNs: 0,
    errorCount: 0,
  }));
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    const s = services[c.service[i]!];
    const error = (c.flags[i]! & SpanFlag.Error) !== 0;
    if (error) errorCount++;
    if (!s) continue;
    s.spanCount++;
    s.selfTimeNs += self[i]!;
    if (error) s.errorCount++;
  }
  const used = services.filter((s) => s.spanCount > 0);
  let top: TopContributor | undefined;
  for (const i of path) {
    if (!top || self[i]! > top.selfTimeNs) {
      top = {
        index: i,
        name: model.strings[c.name[i]!] ?? '',
        service: model.services[c.service[i]!] ?? '',
        selfTimeNs: self[i]!,
        share: 0,
      };
    }
  }
  if (top) top.share = model.durationNs > 0 ? top.selfTimeNs / model.durationNs : 0;
  const summary: TraceSummary = {
    traceId: model.traceId,
    rootService: n > 0 ? (model.services[c.service[0]!] ?? 'unknown service') : 'unknown service',
    rootName: n > 0 ? (model.strings[c.name[0]!] ?? '') : '',
    traceStartMs: model.traceStartMs,
    durationNs: model.durationNs,
    spanCount: n,
    serviceCount: used.length,
    errorCount,
    services: used,
    criticalPath: path,
  };
  if (top) summary.topContributor = top;
  return summary;
}

/** The `count` longest spans, longest first (ties: earlier in the tree first). */
export function slowestSpans(model: TraceModel, count: number): SlowSpan[] {
  const c = model.columns;
  const dur = c.durationNs;
  const k = Math.max(0, Math.min(Math.floor(count), model.spanCount));
  if (k === 0) return [];
  const idx = new Int32Array(model.spanCount);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  idx.sort((a, b) => dur[b]! - dur[a]! || a - b);
  const out: SlowSpan[] = [];
  for (let j = 0; j < k; j++) {
    const i = idx[j]!;
    out.push({
      index: i,
      name: model.strings[c.name[i]!] ?? '',
      service: model.services[c.service[i]!] ?? '',
      durationNs: dur[i]!,
    });
  }
  return out;
}

/** Every error span, in depth-first order, with its exception type and message when recorded. */
export function errorSpans(decoded: DecodedTrace): ErrorSpan[] {
  const model = decoded.model;
  const c = model.columns;
  const out: ErrorSpan[] = [];
  for (let i = 0; i < model.spanCount; i++) {
    if (!(c.flags[i]! & SpanFlag.Error)) continue;
    const e: ErrorSpan = {
      index: i,
      name: model.strings[c.name[i]!] ?? '',
      service: model.services[c.service[i]!] ?? '',
    };
    const d = decoded.detail(i);
    const ex = d?.events.find((ev) => ev.name === 'exception');
    if (ex) {
      const type = ex.attributes.find((a) => a.key === 'exception.type')?.value;
      const message = ex.attributes.find((a) => a.key === 'exception.message')?.value;
      if (type !== undefined && type !== null) e.exceptionType = String(type);
      if (message !== undefined && message !== null) e.message = String(message);
    }
    if (e.message === undefined && d?.statusMessage) e.message = d.statusMessage;
    out.push(e);
  }
  return out;
}
