/**
 * Test and benchmark data: OTLP export requests in protobuf, shaped like what an SDK sends (one
 * resource per service, one scope, spans with a few attributes), with IDs and times derived from
 * a seed so every run builds the same bytes. Not used by the extension.
 */
import { ProtoWriter } from '../../otlp/protoWriter';

/** One span to encode. */
export interface SpanSpec {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  kind?: number;
  /** Unix ns as bigint. */
  start: bigint;
  durationNs: number;
  status?: number;
  attributes?: Record<string, string | number | boolean>;
}

const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

function fixed64(w: ProtoWriter, field: number, v: bigint): void {
  w.tag(field, 1);
  w.fixed64(Number(v & 0xffffffffn), Number(v >> 32n));
}

function keyValue(w: ProtoWriter, field: number, key: string, v: string | number | boolean): void {
  w.begin(field);
  w.string(1, key);
  w.begin(2);
  if (typeof v === 'string') w.string(1, v);
  else if (typeof v === 'boolean') {
    w.tag(2, 0);
    w.uint32(v ? 1 : 0);
  } else if (Number.isInteger(v)) {
    w.tag(3, 0);
    const b = BigInt.asUintN(64, BigInt(v));
    w.varint64(Number(b & 0xffffffffn), Number(b >> 32n));
  } else {
    w.tag(4, 1);
    w.double(v);
  }
  w.end();
  w.end();
}

/** Encodes spans as an ExportTraceServiceRequest, one ResourceSpans per service. */
export function encodeSpans(spans: SpanSpec[]): Uint8Array {
  const byService = new Map<string, SpanSpec[]>();
  for (const s of spans) {
    let list = byService.get(s.service);
    if (!list) byService.set(s.service, (list = []));
    list.push(s);
  }
  const w = new ProtoWriter(spans.length * 200 + 256);
  for (const [service, list] of byService) {
    w.begin(1);
    w.begin(1);
    keyValue(w, 1, 'service.name', service);
    keyValue(w, 1, 'telemetry.sdk.language', 'nodejs');
    w.end();
    w.begin(2);
    w.begin(1);
    w.string(1, 'trace-lens-test');
    w.string(2, '1.0.0');
    w.end();
    for (const s of list) {
      w.begin(2);
      w.bytes(1, hexBytes(s.traceId));
      w.bytes(2, hexBytes(s.spanId));
      if (s.parentSpanId) w.bytes(4, hexBytes(s.parentSpanId));
      w.string(5, s.name);
      w.tag(6, 0);
      w.uint32(s.kind ?? 1);
      fixed64(w, 7, s.start);
      fixed64(w, 8, s.start + BigInt(s.durationNs));
      for (const [k, v] of Object.entries(s.attributes ?? {})) keyValue(w, 9, k, v);
      if (s.status) {
        w.begin(15);
        if (s.status === 2) w.string(2, 'failed');
        w.tag(3, 0);
        w.uint32(s.status);
        w.end();
      }
      w.end();
    }
    w.end();
    w.end();
  }
  return w.finish();
}

/** A small deterministic generator (xorshift). */
export class Rng {
  constructor(private s = 0x9e3779b9) {}
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  hex(chars: number): string {
    let out = '';
    while (out.length < chars) out += this.next().toString(16).padStart(8, '0');
    return out.slice(0, chars);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.next() % list.length]!;
  }
}

const SERVICES = ['api', 'orders', 'payments', 'inventory', 'notifier'];
const OPERATIONS = [
  'GET /orders',
  'POST /orders',
  'SELECT orders',
  'charge',
  'reserve',
  'send mail',
  'render',
];

/**
 * `traces` traces of `spansPerTrace` spans each (a root and its children), starting at
 * `startNs` one millisecond apart, services and names drawn from a fixed list, every 50th span
 * an error, with `http.response.status_code`, `code.function.name` and a unique `item.id`.
 */
export function generateTraces(
  traces: number,
  spansPerTrace: number,
  options: { seed?: number; startNs?: bigint } = {},
): { spans: SpanSpec[]; traceIds: string[] } {
  const rng = new Rng(options.seed ?? 1);
  const start0 = options.startNs ?? 1_700_000_000_000_000_000n;
  const spans: SpanSpec[] = [];
  const traceIds: string[] = [];
  let n = 0;
  for (let t = 0; t < traces; t++) {
    const traceId = rng.hex(32);
    traceIds.push(traceId);
    const t0 = start0 + BigInt(t) * 1_000_000n;
    const rootId = rng.hex(16);
    for (let k = 0; k < spansPerTrace; k++) {
      const error = ++n % 50 === 0;
      const service = k === 0 ? 'api' : rng.pick(SERVICES);
      spans.push({
        traceId,
        spanId: k === 0 ? rootId : rng.hex(16),
        ...(k === 0 ? {} : { parentSpanId: rootId }),
        name: k === 0 ? 'GET /orders' : rng.pick(OPERATIONS),
        service,
        kind: k === 0 ? 2 : 1,
        start: t0 + BigInt(k) * 1000n,
        durationNs: k === 0 ? 5_000_000 + (rng.next() % 1000) * 1000 : (rng.next() % 4000) * 1000,
        ...(error ? { status: 2 } : {}),
        attributes: {
          'http.response.status_code': error ? 500 : 200,
          'code.function.name': `${service}.handler${k % 7}`,
          'item.id': `item-${n}`,
        },
      });
    }
  }
  return { spans, traceIds };
}

/** Encodes log records (one resource) as an ExportLogsServiceRequest. */
export function encodeLogs(
  service: string,
  logs: { traceId?: string; spanId?: string; timeNs: bigint; body: string; severity?: number }[],
): Uint8Array {
  const w = new ProtoWriter();
  w.begin(1);
  w.begin(1);
  keyValue(w, 1, 'service.name', service);
  w.end();
  w.begin(2);
  for (const l of logs) {
    w.begin(2);
    fixed64(w, 1, l.timeNs);
    w.tag(2, 0);
    w.uint32(l.severity ?? 9);
    w.begin(5);
    w.string(1, l.body);
    w.end();
    if (l.traceId) w.bytes(9, hexBytes(l.traceId));
    if (l.spanId) w.bytes(10, hexBytes(l.spanId));
    w.end();
  }
  w.end();
  w.end();
  return w.finish();
}
