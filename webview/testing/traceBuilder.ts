/**
 * Fixture builders for the webview tests: a WireTrace from a short hand-written span list, and
 * span details. Times are in milliseconds here and nanoseconds on the wire.
 */
import type { SpanDetail } from '../../src/shared/model';
import type { WireTrace } from '../../src/shared/protocol';

/** One span as a test writes it. */
export interface SpanSpec {
  id: string;
  parent?: string;
  name: string;
  service: string;
  /** Start in ms from the trace start. */
  start: number;
  /** Duration in ms. */
  dur: number;
  /** SpanFlag bits (1 error, 2 has code, 4 orphan, 8 clock skew...). */
  flags?: number;
  /** SpanKind (default 2, server). */
  kind?: number;
  /** StatusCode (default 0, or 2 when flags has the error bit). */
  status?: number;
}

/** Options for `makeTrace`. */
export interface TraceOptions {
  traceId?: string;
  partial?: boolean;
  partialMessage?: string;
  canOpenInGrafana?: boolean;
  backendName?: string;
  warnings?: string[];
}

/** Pads a short test ID ("a1") to 16 hex digits, deterministically. */
export function hexId(id: string): string {
  if (/^[0-9a-f]{16}$/.test(id)) return id;
  let h = 0x811c9dc5;
  for (const ch of id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h.toString(16).padStart(8, '0') + Buffer.from(id).toString('hex').padStart(8, '0')).slice(-16);
}

/**
 * Builds the columns from a span list: depth-first order (siblings by start), parent indexes,
 * depth, child counts, the orphan flag for spans whose parent is missing, self time (the span
 * minus the union of its children) and the critical path (from the first root, the child that
 * ends last, repeatedly).
 */
export function makeTrace(spans: SpanSpec[], opts: TraceOptions = {}): WireTrace {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const kids = new Map<string, SpanSpec[]>();
  const roots: SpanSpec[] = [];
  for (const s of spans) {
    if (s.parent && byId.has(s.parent)) {
      const list = kids.get(s.parent) ?? [];
      list.push(s);
      kids.set(s.parent, list);
    } else roots.push(s);
  }
  const byStart = (a: SpanSpec, b: SpanSpec) => a.start - b.start;
  roots.sort(byStart);
  for (const l of kids.values()) l.sort(byStart);
  const order: { s: SpanSpec; depth: number; parent: number }[] = [];
  const visit = (s: SpanSpec, depth: number, parent: number) => {
    const me = order.length;
    order.push({ s, depth, parent });
    for (const k of kids.get(s.id) ?? []) visit(k, depth + 1, me);
  };
  for (const r of roots) visit(r, 0, -1);

  const n = order.length;
  const strings: string[] = [];
  const services: string[] = [];
  const intern = (table: string[], v: string) => {
    const i = table.indexOf(v);
    if (i >= 0) return i;
    table.push(v);
    return table.length - 1;
  };
  const t0 = Math.min(...spans.map((s) => s.start));
  const c = {
    spanIdWords: new Uint32Array(2 * n),
    startNs: new Float64Array(n),
    durationNs: new Float64Array(n),
    parent: new Int32Array(n),
    depth: new Uint16Array(n),
    childCount: new Uint32Array(n),
    name: new Uint32Array(n),
    service: new Uint16Array(n),
    kind: new Uint8Array(n),
    status: new Uint8Array(n),
    flags: new Uint8Array(n),
  };
  let end = 0;
  let errors = 0;
  order.forEach(({ s, depth, parent }, i) => {
    const hex = hexId(s.id);
    c.spanIdWords[2 * i] = parseInt(hex.slice(0, 8), 16) >>> 0;
    c.spanIdWords[2 * i + 1] = parseInt(hex.slice(8), 16) >>> 0;
    c.startNs[i] = Math.round((s.start - t0) * 1e6);
    c.durationNs[i] = Math.round(s.dur * 1e6);
    c.parent[i] = parent;
    c.depth[i] = depth;
    if (parent >= 0) c.childCount[parent]!++;
    c.name[i] = intern(strings, s.name);
    c.service[i] = intern(services, s.service);
    c.kind[i] = s.kind ?? 2;
    let flags = s.flags ?? 0;
    if (s.parent && !byId.has(s.parent)) flags |= 4;
    c.flags[i] = flags;
    c.status[i] = s.status ?? (flags & 1 ? 2 : 0);
    if (flags & 1) errors++;
    end = Math.max(end, c.startNs[i]! + c.durationNs[i]!);
  });

  // Self time: duration minus the union of the direct children's intervals (clipped to the span).
  const selfTimeNs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = c.startNs[i]!;
    const e = s + c.durationNs[i]!;
    const iv: [number, number][] = [];
    for (let j = 0; j < n; j++)
      if (c.parent[j] === i)
        iv.push([Math.max(s, c.startNs[j]!), Math.min(e, c.startNs[j]! + c.durationNs[j]!)]);
    iv.sort((a, b) => a[0] - b[0]);
    let covered = 0;
    let cur = s;
    for (const [a, b] of iv) {
      const from = Math.max(a, cur);
      if (b > from) {
        covered += b - from;
        cur = b;
      }
    }
    selfTimeNs[i] = c.durationNs[i]! - covered;
  }
  const path: number[] = n ? [0] : [];
  for (let cur = 0; n > 0;) {
    let best = -1;
    for (let j = 0; j < n; j++) {
      if (c.parent[j] !== cur) continue;
      if (best < 0 || c.startNs[j]! + c.durationNs[j]! > c.startNs[best]! + c.durationNs[best]!) best = j;
    }
    if (best < 0) break;
    path.push(best);
    cur = best;
  }
  const root = order[0]?.s;
  return {
    model: {
      traceId: opts.traceId ?? '4bf92f3577b34da6a3ce929d0e0e4736',
      spanCount: n,
      traceStartUnixNano: '1714572207123000000',
      traceStartMs: 1714572207123,
      durationNs: end,
      strings,
      services,
      columns: c,
      partial: opts.partial ?? false,
      ...(opts.partialMessage ? { partialMessage: opts.partialMessage } : {}),
      warnings: opts.warnings ?? [],
    },
    header: {
      backendName: opts.backendName ?? 'Tempo (127.0.0.1:3200)',
      rootService: root?.service ?? 'unknown service',
      rootName: root?.name ?? '',
      serviceCount: services.length,
      errorCount: errors,
      canOpenInGrafana: opts.canOpenInGrafana ?? false,
    },
    criticalPath: Int32Array.from(path),
    selfTimeNs,
  };
}

/** Index of the span with test ID `id` in the depth-first columns. */
export function indexOf(trace: WireTrace, id: string): number {
  const hex = hexId(id);
  const hi = parseInt(hex.slice(0, 8), 16) >>> 0;
  const lo = parseInt(hex.slice(8), 16) >>> 0;
  const w = trace.model.columns.spanIdWords;
  for (let i = 0; i < trace.model.spanCount; i++) if (w[2 * i] === hi && w[2 * i + 1] === lo) return i;
  throw new Error(`no span ${id}`);
}

/** A detail with sensible defaults. */
export function makeDetail(trace: WireTrace, id: string, extra: Partial<SpanDetail> = {}): SpanDetail {
  return {
    index: indexOf(trace, id),
    spanId: hexId(id),
    attributes: [],
    resource: [],
    scope: { name: 'io.opentelemetry.test', version: '1.0.0', attributes: [] },
    events: [],
    links: [],
    ...extra,
  };
}

/** The checkout trace most tests use: 9 spans, 5 services, one error, one orphan. */
export const CHECKOUT: SpanSpec[] = [
  { id: 'root', name: 'POST /checkout', service: 'frontend', start: 0, dur: 5200 },
  { id: 'auth', parent: 'root', name: 'authenticate', service: 'auth', start: 10, dur: 120 },
  { id: 'cart', parent: 'root', name: 'GET /cart', service: 'cart', start: 140, dur: 850 },
  { id: 'cartdb', parent: 'cart', name: 'SELECT cart_items', service: 'cart', start: 160, dur: 12.5 },
  { id: 'redis', parent: 'cart', name: 'redis GET session', service: 'cart', start: 200, dur: 0.42 },
  {
    id: 'pay',
    parent: 'root',
    name: 'charge card',
    service: 'payment',
    start: 1000,
    dur: 4200,
    flags: 1 | 2,
  },
  {
    id: 'fraud',
    parent: 'pay',
    name: 'fraud check',
    service: 'fraud-detection',
    start: 1100,
    dur: 900,
    flags: 8,
  },
  {
    id: 'gw',
    parent: 'pay',
    name: 'POST /v1/charges',
    service: 'payment-gateway',
    start: 2100,
    dur: 3000,
    flags: 1,
  },
  { id: 'lost', parent: 'missing-parent', name: 'send receipt', service: 'email', start: 5100, dur: 90 },
];
