/**
 * The trace as the webview holds it: the wire columns (checked and coerced to typed arrays) plus
 * derived arrays computed once per trace. Pure: no DOM.
 */
import { spanIdAt, spanIndexById, type TraceColumns } from '../src/shared/model';
import type { WireTrace } from '../src/shared/protocol';
import { computeSubtreeEnd } from './rowModel';

type TypedCtor<T> = { new (length: number): T; from(src: ArrayLike<number>): T };

/**
 * Returns `v` when it is already a `ctor` array of `n` entries; otherwise copies what it can
 * (a plain array, or an object with numeric keys from an older structured-clone path), padding
 * with zeros, so a malformed message degrades to odd rows instead of exceptions.
 */
function column<T extends ArrayLike<number>>(v: unknown, ctor: TypedCtor<T>, n: number): T {
  if (v instanceof (ctor as unknown as typeof Object) && (v as T).length === n) return v as T;
  const out = new ctor(n) as T & { [i: number]: number };
  if (v && typeof v === 'object') {
    const src = v as ArrayLike<number> & Record<string, number>;
    for (let i = 0; i < n; i++) {
      const x = Number(src[i]);
      out[i] = Number.isFinite(x) ? x : 0;
    }
  }
  return out;
}

/** A loaded trace and what the views derive from it. */
export interface TraceData {
  wire: WireTrace;
  n: number;
  c: TraceColumns;
  strings: string[];
  services: string[];
  /** One past the last span of each subtree (see rowModel). */
  subtreeEnd: Int32Array;
  /** 1 for spans on the critical path. */
  onCritical: Uint8Array;
  selfTimeNs: Float64Array;
  /** Trace duration in ns, at least 1 so fractions never divide by zero. */
  totalNs: number;
}

/** Checks and completes a WireTrace from the host. */
export function loadTrace(wire: WireTrace): TraceData {
  const m = wire.model;
  const n = Math.max(0, Math.floor(Number(m.spanCount) || 0));
  const raw = (m.columns ?? {}) as Partial<Record<keyof TraceColumns, unknown>>;
  const c: TraceColumns = {
    spanIdWords: column(raw.spanIdWords, Uint32Array, 2 * n),
    startNs: column(raw.startNs, Float64Array, n),
    durationNs: column(raw.durationNs, Float64Array, n),
    parent: column(raw.parent, Int32Array, n),
    depth: column(raw.depth, Uint16Array, n),
    childCount: column(raw.childCount, Uint32Array, n),
    name: column(raw.name, Uint32Array, n),
    service: column(raw.service, Uint16Array, n),
    kind: column(raw.kind, Uint8Array, n),
    status: column(raw.status, Uint8Array, n),
    flags: column(raw.flags, Uint8Array, n),
  };
  const onCritical = new Uint8Array(n);
  const cp = wire.criticalPath
    ? column(wire.criticalPath, Int32Array, wire.criticalPath.length)
    : new Int32Array(0);
  for (let k = 0; k < cp.length; k++) {
    const i = cp[k]!;
    if (i >= 0 && i < n) onCritical[i] = 1;
  }
  let maxEnd = Number(m.durationNs) || 0;
  if (!(maxEnd > 0)) for (let i = 0; i < n; i++) maxEnd = Math.max(maxEnd, c.startNs[i]! + c.durationNs[i]!);
  return {
    wire,
    n,
    c,
    strings: Array.isArray(m.strings) ? m.strings.map(String) : [],
    services: Array.isArray(m.services) ? m.services.map(String) : [],
    subtreeEnd: computeSubtreeEnd(c.depth),
    onCritical,
    selfTimeNs: column(wire.selfTimeNs, Float64Array, n),
    totalNs: Math.max(1, maxEnd),
  };
}

/** Span name of span `i`. */
export function spanName(t: TraceData, i: number): string {
  return t.strings[t.c.name[i]!] ?? '';
}

/** Service of span `i`. */
export function spanService(t: TraceData, i: number): string {
  return t.services[t.c.service[i]!] ?? 'unknown service';
}

/** Span ID of span `i` as 16 hex digits. */
export function spanIdOf(t: TraceData, i: number): string {
  return spanIdAt(t.c, i);
}

/** Index of the span with this 16-hex-digit ID, or -1 (the model's `spanIndexById`). */
export function findSpanById(t: TraceData, spanId: string): number {
  return spanIndexById({ columns: t.c, spanCount: t.n }, spanId);
}
