/**
 * Reading traces and logs back out of the store: a trace by ID assembled from every segment and
 * batch its spans arrived in (as OTLP `TracesData`, the bytes Tempo's v1 API sends, so the
 * decoders in src/core/decode read it), trace summaries for search results and the Live view, and the log
 * records of a trace or span.
 */
import type { Attribute, AttributeValue } from '../../shared/model';
import { ProtoWriter } from '../otlp/protoWriter';
import { protoToJson, type JsonValue } from '../otlp/toJson';
import { SPAN_HAS_PARENT } from '../otlp/batch';
import { SPAN_ID_INPUT, TRACE_ID_INPUT } from '../../shared/traceId';
import type { SegmentIndex } from './segmentIndex';
import type { StoreData, StoreSegment } from './store';

/** A trace ID as the four big-endian words the index keys traces by; undefined if not 32 hex digits. */
export function traceIdWords(traceId: string): [number, number, number, number] | undefined {
  if (traceId.length !== 32 || !TRACE_ID_INPUT.test(traceId)) return undefined;
  return [0, 8, 16, 24].map((i) => parseInt(traceId.slice(i, i + 8), 16) >>> 0) as [
    number,
    number,
    number,
    number,
  ];
}

/** Four ID words as 32 lowercase hex digits. */
export function wordsToHex(w: ArrayLike<number>, at = 0): string {
  let s = '';
  for (let k = 0; k < 4; k++) s += (w[at + k]! >>> 0).toString(16).padStart(8, '0');
  return s;
}

/** A span ID from its words. */
export function spanIdHex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** Exact Unix nanoseconds from two 32-bit halves, as a decimal string. */
export function nanosString(hi: number, lo: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/**
 * A set of spans by (span ID, kind), to drop copies: an exporter that retries a request whose
 * answer was lost sends the same spans twice. As in Tempo, a client and a server span sharing
 * one ID (Zipkin style) are two spans.
 */
export class SpanIdSet {
  private keys: Uint32Array;
  private used: Uint8Array;
  private count = 0;
  constructor(expected: number) {
    let size = 16;
    while (size < expected * 2) size <<= 1;
    this.keys = new Uint32Array(size * 3);
    this.used = new Uint8Array(size);
  }
  /** Adds a span; false when it was there already. */
  add(hi: number, lo: number, kind: number): boolean {
    if ((this.count + 1) * 2 > this.used.length) this.grow();
    const mask = this.used.length - 1;
    let slot = (Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) ^ kind) & mask;
    for (; this.used[slot]; slot = (slot + 1) & mask) {
      const k = slot * 3;
      if (this.keys[k] === hi && this.keys[k + 1] === lo && this.keys[k + 2] === kind) return false;
    }
    this.used[slot] = 1;
    this.keys[slot * 3] = hi;
    this.keys[slot * 3 + 1] = lo;
    this.keys[slot * 3 + 2] = kind;
    this.count++;
    return true;
  }
  private grow(): void {
    const old = this.keys;
    const oldUsed = this.used;
    this.keys = new Uint32Array(old.length * 2);
    this.used = new Uint8Array(oldUsed.length * 2);
    this.count = 0;
    for (let slot = 0; slot < oldUsed.length; slot++)
      if (oldUsed[slot]) this.add(old[slot * 3]!, old[slot * 3 + 1]!, old[slot * 3 + 2]!);
  }
}

/** The segments holding a trace, with its trace-table index in each (oldest first). */
export function traceLocations(data: StoreData, traceId: string): { seg: StoreSegment; trace: number }[] {
  const w = traceIdWords(traceId);
  if (!w) return [];
  const out: { seg: StoreSegment; trace: number }[] = [];
  for (const seg of data.segments()) {
    const t = seg.index.findTrace(w[0], w[1], w[2], w[3]);
    if (t >= 0) out.push({ seg, trace: t });
  }
  return out;
}

/** A trace read from the store. */
export interface StoredTrace {
  /** OTLP `TracesData` protobuf (= Tempo's v1 protobuf response). */
  bytes: Uint8Array;
  spanCount: number;
  /** True when `maxBytes` cut the trace short. */
  partial: boolean;
  message?: string;
}

/** Options for reading a trace. */
export interface TraceReadOptions {
  /** Only when a span of the trace starts in this range (Unix seconds). */
  start?: number;
  end?: number;
  /** Stop adding spans past this many bytes (the rest is left out and `partial` set). Default 64 MiB. */
  maxBytes?: number;
}

function inRange(index: SegmentIndex, s: number, startMs: number, endMs: number): boolean {
  const ms = (index.startHi.data[s]! * 4294967296 + index.startLo.data[s]!) / 1e6;
  return ms >= startMs && ms <= endMs;
}

/**
 * Reads trace `traceId` (32 hex digits) with all its spans, grouped by resource and scope as
 * they arrived. Undefined when the store has no span of it (in the time range, if given).
 */
export function readTrace(
  data: StoreData,
  traceId: string,
  options: TraceReadOptions = {},
): StoredTrace | undefined {
  const locations = traceLocations(data, traceId).filter(
    (l) => l.seg.index.traceSpanCount.data[l.trace]! > 0,
  );
  if (locations.length === 0) return undefined;
  if (options.start !== undefined || options.end !== undefined) {
    const startMs = (options.start ?? 0) * 1000;
    const endMs = options.end !== undefined ? (options.end + 1) * 1000 : Infinity;
    const any = locations.some(({ seg, trace }) => {
      for (let s = seg.index.traceFirstSpan.data[trace]!; s >= 0; s = seg.index.nextSpan.data[s]!)
        if (inRange(seg.index, s, startMs, endMs)) return true;
      return false;
    });
    if (!any) return undefined;
  }
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const w = new ProtoWriter(4096);
  let total = 0;
  let spanCount = 0;
  let partial = false;
  const seen = new SpanIdSet(locations.reduce((n, l) => n + l.seg.index.traceSpanCount.data[l.trace]!, 0));
  outer: for (const { seg, trace } of locations) {
    const index = seg.index;
    // Spans of this segment grouped by resource, then scope, in arrival order.
    const byScope = new Map<number, number[]>();
    const spans: number[] = [];
    for (let s = index.traceFirstSpan.data[trace]!; s >= 0; s = index.nextSpan.data[s]!)
      if (seen.add(index.spanHi.data[s]!, index.spanLo.data[s]!, index.kind.data[s]!)) spans.push(s);
    const bytes = readSpans(data, seg, spans);
    for (let k = 0; k < spans.length; k++) {
      const scope = index.scope.data[spans[k]!]!;
      let list = byScope.get(scope);
      if (!list) byScope.set(scope, (list = []));
      list.push(k);
    }
    const byResource = new Map<number, number[]>();
    for (const scope of byScope.keys()) {
      const res = index.scopes.scopeResource.data[scope]!;
      let list = byResource.get(res);
      if (!list) byResource.set(res, (list = []));
      list.push(scope);
    }
    for (const [res, scopes] of byResource) {
      w.begin(1);
      const resOff = index.scopes.resOff.data[res]!;
      if (resOff >= 0) w.bytes(1, data.read(seg, resOff, index.scopes.resLen.data[res]!));
      for (const scope of scopes) {
        w.begin(2);
        const scopeOff = index.scopes.scopeOff.data[scope]!;
        if (scopeOff >= 0) w.bytes(1, data.read(seg, scopeOff, index.scopes.scopeLen.data[scope]!));
        for (const k of byScope.get(scope)!) {
          const b = bytes[k]!;
          if (total + b.length > maxBytes && spanCount > 0) {
            partial = true;
            w.end();
            w.end();
            break outer;
          }
          w.bytes(2, b);
          total += b.length;
          spanCount++;
        }
        w.end();
      }
      w.end();
    }
  }
  return {
    bytes: w.finish(),
    spanCount,
    partial,
    ...(partial
      ? { message: `Trace exceeds maximum size of ${maxBytes} bytes, a partial trace is returned` }
      : {}),
  };
}

/** The Span messages of `spans`, reading neighbouring ranges of the file in one go. */
function readSpans(data: StoreData, seg: StoreSegment, spans: number[]): Uint8Array[] {
  const index = seg.index;
  const out: Uint8Array[] = new Array<Uint8Array>(spans.length);
  let k = 0;
  while (k < spans.length) {
    const first = spans[k]!;
    const chunkStart = index.off.data[first]!;
    let chunkEnd = chunkStart + index.len.data[first]!;
    let j = k + 1;
    while (j < spans.length) {
      const o = index.off.data[spans[j]!]!;
      if (
        o < chunkEnd ||
        o - chunkEnd > 4096 ||
        o + index.len.data[spans[j]!]! - chunkStart > 16 * 1024 * 1024
      )
        break;
      chunkEnd = o + index.len.data[spans[j]!]!;
      j++;
    }
    const chunk = data.read(seg, chunkStart, chunkEnd - chunkStart);
    for (let m = k; m < j; m++) {
      const o = index.off.data[spans[m]!]! - chunkStart;
      out[m] = chunk.subarray(o, o + index.len.data[spans[m]!]!);
    }
    k = j;
  }
  return out;
}

/** Wraps `TracesData` bytes as Tempo v2's `TraceByIDResponse` protobuf. */
export function traceByIdResponse(trace: StoredTrace | undefined): Uint8Array {
  const w = new ProtoWriter((trace?.bytes.length ?? 0) + 64);
  if (trace) w.bytes(1, trace.bytes);
  if (trace?.partial) {
    w.tag(3, 0);
    w.uint32(1);
    w.string(4, trace.message ?? 'partial trace');
  }
  return w.finish();
}

/** One trace at a glance (search results, the Live view). */
export interface TraceSummary {
  traceId: string;
  /** Null when the root span has not arrived (or the trace has none). */
  rootService: string | null;
  rootName: string | null;
  /** Earliest span start, exact Unix nanoseconds. */
  startTimeUnixNano: string;
  startMs: number;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  serviceStats: Record<string, { spanCount: number; errorCount: number }>;
  /** When its latest span arrived (Unix ms). */
  lastReceivedMs: number;
}

/** Summarises trace `traceId`, or undefined when the store has none of its spans. */
export function summarizeTrace(data: StoreData, traceId: string): TraceSummary | undefined {
  const locations = traceLocations(data, traceId);
  let spanCount = 0;
  let errorCount = 0;
  let minHi = Infinity;
  let minLo = 0;
  let maxEndMs = -Infinity;
  let root: { seg: StoreSegment; s: number } | undefined;
  let rootStart = Infinity;
  let lastReceived = 0;
  const stats: Record<string, { spanCount: number; errorCount: number }> = {};
  const seen = new SpanIdSet(locations.reduce((n, l) => n + l.seg.index.traceSpanCount.data[l.trace]!, 0));
  for (const { seg, trace } of locations) {
    const x = seg.index;
    if (x.traceSpanCount.data[trace]! > 0) lastReceived = Math.max(lastReceived, x.lastReceivedMs);
    for (let s = x.traceFirstSpan.data[trace]!; s >= 0; s = x.nextSpan.data[s]!) {
      if (!seen.add(x.spanHi.data[s]!, x.spanLo.data[s]!, x.kind.data[s]!)) continue;
      spanCount++;
      const hi = x.startHi.data[s]!;
      const lo = x.startLo.data[s]!;
      if (hi < minHi || (hi === minHi && lo < minLo)) {
        minHi = hi;
        minLo = lo;
      }
      const startNs = hi * 4294967296 + lo;
      const endMs = (startNs + x.duration.data[s]!) / 1e6;
      if (endMs > maxEndMs) maxEndMs = endMs;
      const error = x.status.data[s] === 2;
      if (error) errorCount++;
      const service = x.strings.get(x.service.data[s]!);
      const st = (stats[service] ??= { spanCount: 0, errorCount: 0 });
      st.spanCount++;
      if (error) st.errorCount++;
      if (!(x.flags.data[s]! & SPAN_HAS_PARENT) && startNs < rootStart) {
        root = { seg, s };
        rootStart = startNs;
      }
    }
  }
  if (spanCount === 0) return undefined;
  const startMs = (minHi * 4294967296 + minLo) / 1e6;
  return {
    traceId: traceId.toLowerCase(),
    rootService: root ? root.seg.index.strings.get(root.seg.index.service.data[root.s]!) : null,
    rootName: root ? root.seg.index.strings.get(root.seg.index.name.data[root.s]!) : null,
    startTimeUnixNano: nanosString(minHi, minLo),
    startMs,
    durationMs: Math.max(0, maxEndMs - startMs),
    spanCount,
    errorCount,
    services: Object.keys(stats),
    serviceStats: stats,
    lastReceivedMs: lastReceived,
  };
}

/** The traces whose spans arrived last, newest first (the Live view). */
export function recentTraces(data: StoreData, limit = 50): TraceSummary[] {
  const seen = new Set<string>();
  const segs = data.segments();
  for (let g = segs.length - 1; g >= 0 && seen.size < limit; g--) {
    const x = segs[g]!.index;
    let prev = -1;
    for (let s = x.spanCount - 1; s >= 0 && seen.size < limit; s--) {
      const t = x.spanTrace.data[s]!;
      if (t === prev) continue;
      prev = t;
      seen.add(wordsToHex(x.traceWords.data, 4 * t));
    }
  }
  return [...seen]
    .map((id) => summarizeTrace(data, id))
    .filter((s): s is TraceSummary => s !== undefined)
    .sort((a, b) => b.lastReceivedMs - a.lastReceivedMs || b.startMs - a.startMs);
}

/** A log record as the panel shows it. */
export interface StoredLog {
  traceId?: string;
  spanId?: string;
  /** Exact Unix nanoseconds. */
  timeUnixNano: string;
  severityNumber: number;
  severityText?: string;
  /** The body as text (structured bodies as JSON). */
  body: string;
  attributes: Attribute[];
  service: string;
  eventName?: string;
}

function plain(v: JsonValue | undefined): unknown {
  if (v === undefined || v === null || typeof v !== 'object' || Array.isArray(v)) return v ?? null;
  if ('stringValue' in v) return v.stringValue;
  if ('boolValue' in v) return v.boolValue;
  if ('intValue' in v) {
    const n = Number(v.intValue);
    return Number.isSafeInteger(n) ? n : v.intValue;
  }
  if ('doubleValue' in v) return v.doubleValue;
  if ('bytesValue' in v) return v.bytesValue;
  if ('arrayValue' in v) {
    const a = v.arrayValue as { values?: JsonValue[] } | undefined;
    return (a?.values ?? []).map(plain);
  }
  if ('kvlistValue' in v) {
    const l = v.kvlistValue as { values?: { key?: string; value?: JsonValue }[] } | undefined;
    return Object.fromEntries((l?.values ?? []).map((kv) => [kv.key ?? '', plain(kv.value)]));
  }
  return null;
}

function attributeValue(v: JsonValue | undefined): AttributeValue {
  const p = plain(v);
  return p === null || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean'
    ? p
    : JSON.stringify(p);
}

const b64hex = (s: JsonValue | undefined): string | undefined =>
  typeof s === 'string' && s !== '' ? Buffer.from(s, 'base64').toString('hex') : undefined;

/** Log records of trace `traceId` (and of span `spanId` when given), oldest first. */
export function traceLogs(data: StoreData, traceId: string, spanId?: string): StoredLog[] {
  const wantSpan = spanId !== undefined && SPAN_ID_INPUT.test(spanId) ? spanId.toLowerCase() : undefined;
  if (spanId !== undefined && !wantSpan) return [];
  const out: { log: StoredLog; hi: number; lo: number }[] = [];
  for (const { seg, trace } of traceLocations(data, traceId)) {
    const x = seg.index;
    for (let l = x.traceFirstLog.data[trace]!; l >= 0; l = x.nextLog.data[l]!) {
      if (wantSpan && spanIdHex(x.logSpanHi.data[l]!, x.logSpanLo.data[l]!) !== wantSpan) continue;
      const rec = protoToJson('LogRecord', data.read(seg, x.logOff.data[l]!, x.logLen.data[l]!));
      const body = plain(rec.body);
      const attrs = Array.isArray(rec.attributes) ? rec.attributes : [];
      const res = x.scopes.scopeResource.data[x.logScope.data[l]!]!;
      const spanHex = b64hex(rec.spanId);
      out.push({
        hi: x.logTimeHi.data[l]!,
        lo: x.logTimeLo.data[l]!,
        log: {
          traceId: traceId.toLowerCase(),
          ...(spanHex ? { spanId: spanHex } : {}),
          timeUnixNano: nanosString(x.logTimeHi.data[l]!, x.logTimeLo.data[l]!),
          severityNumber: x.logSeverity.data[l]!,
          ...(typeof rec.severityText === 'string' ? { severityText: rec.severityText } : {}),
          body: typeof body === 'string' ? body : body === null ? '' : JSON.stringify(body),
          attributes: attrs.map((a) => {
            const kv = a as { key?: JsonValue; value?: JsonValue };
            return { key: typeof kv.key === 'string' ? kv.key : '', value: attributeValue(kv.value) };
          }),
          service: x.strings.get(x.scopes.resService.data[res]!),
          ...(typeof rec.eventName === 'string' ? { eventName: rec.eventName } : {}),
        },
      });
    }
  }
  out.sort((a, b) => a.hi - b.hi || a.lo - b.lo);
  return out.map((o) => o.log);
}
