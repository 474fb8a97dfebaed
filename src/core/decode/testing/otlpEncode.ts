/**
 * The inverse of the JSON decoder: encodes an OTLP/Tempo JSON trace (any shape `decodeOtlpJson`
 * reads) as OTLP protobuf `TracesData`. Used by tests (JSON and protobuf of the same trace must
 * decode to the same model) and by the decode benchmark's generator; not by the extension.
 */
import { base64ToBytes, idStringToBytes } from '../ids';
import { arr, get, obj, str, type JsonObject } from '../json';

/** A growable byte buffer with protobuf primitives. */
export class ProtoWriter {
  buf = new Uint8Array(256);
  len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    if (typeof v === 'number' && v >= 0 && v < 0x80000000) {
      this.room(5);
      let n = v;
      while (n >= 0x80) {
        this.buf[this.len++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      this.buf[this.len++] = n;
      return;
    }
    this.room(10);
    while (x >= 0x80n) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  fixed64(field: number, v: bigint): void {
    this.tag(field, 1);
    this.room(8);
    const x = BigInt.asUintN(64, v);
    new DataView(this.buf.buffer).setBigUint64(this.len, x, true);
    this.len += 8;
  }

  double(field: number, v: number): void {
    this.tag(field, 1);
    this.room(8);
    new DataView(this.buf.buffer).setFloat64(this.len, v, true);
    this.len += 8;
  }

  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  /** Writes a nested message built by `fill` into a fresh writer. */
  message(field: number, fill: (w: ProtoWriter) => void): void {
    const w = new ProtoWriter();
    fill(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const CODES: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumNumber(v: unknown, names: Record<string, number>): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return names[v] ?? (Number(v) || 0);
  return 0;
}

function id(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const b = new Uint8Array(64);
  const n = idStringToBytes(v, b);
  return n > 0 ? b.slice(0, n) : undefined;
}

function time(w: ProtoWriter, field: number, v: unknown): void {
  if (v === undefined || v === null) return;
  const t = BigInt(typeof v === 'number' ? Math.round(v) : String(v));
  if (t !== 0n) w.fixed64(field, t);
}

function anyValue(w: ProtoWriter, v: unknown): void {
  const o = obj(v);
  if (!o) return;
  let x = get(o, 'stringValue', 'string_value');
  if (x !== undefined) return w.string(1, String(x));
  x = get(o, 'boolValue', 'bool_value');
  if (x !== undefined) {
    w.tag(2, 0);
    return w.varint(x ? 1 : 0);
  }
  x = get(o, 'intValue', 'int_value');
  if (x !== undefined) {
    w.tag(3, 0);
    return w.varint(BigInt(typeof x === 'number' ? x : String(x)));
  }
  x = get(o, 'doubleValue', 'double_value');
  if (x !== undefined) return w.double(4, Number(x));
  x = get(o, 'arrayValue', 'array_value');
  if (x !== undefined) {
    return w.message(5, (a) => {
      for (const item of arr(obj(x)?.values) ?? []) a.message(1, (iw) => anyValue(iw, item));
    });
  }
  x = get(o, 'kvlistValue', 'kvlist_value');
  if (x !== undefined) {
    return w.message(6, (l) => {
      for (const kv of arr(obj(x)?.values) ?? []) l.message(1, (kw) => keyValue(kw, kv));
    });
  }
  x = get(o, 'bytesValue', 'bytes_value');
  if (typeof x === 'string') {
    const b = new Uint8Array(x.length);
    const n = base64ToBytes(x, b);
    w.bytes(7, b.slice(0, Math.max(0, n)));
  }
}

function keyValue(w: ProtoWriter, kv: unknown): void {
  const o = obj(kv);
  if (!o) return;
  w.string(1, String(o.key ?? ''));
  w.message(2, (v) => anyValue(v, o.value));
}

function attributes(w: ProtoWriter, field: number, list: unknown): void {
  for (const kv of arr(list) ?? []) w.message(field, (k) => keyValue(k, kv));
}

function span(w: ProtoWriter, s: JsonObject): void {
  const tid = id(get(s, 'traceId', 'trace_id'));
  if (tid) w.bytes(1, tid);
  const sid = id(get(s, 'spanId', 'span_id'));
  if (sid) w.bytes(2, sid);
  const ts = str(get(s, 'traceState', 'trace_state'));
  if (ts) w.string(3, ts);
  const pid = id(get(s, 'parentSpanId', 'parent_span_id'));
  if (pid) w.bytes(4, pid);
  const name = str(s.name);
  if (name) w.string(5, name);
  const kind = enumNumber(s.kind, KINDS);
  if (kind) {
    w.tag(6, 0);
    w.varint(kind);
  }
  time(w, 7, get(s, 'startTimeUnixNano', 'start_time_unix_nano'));
  time(w, 8, get(s, 'endTimeUnixNano', 'end_time_unix_nano'));
  attributes(w, 9, s.attributes);
  for (const e of arr(s.events) ?? []) {
    const ev = obj(e);
    if (!ev) continue;
    w.message(11, (ew) => {
      time(ew, 1, get(ev, 'timeUnixNano', 'time_unix_nano'));
      const n = str(ev.name);
      if (n) ew.string(2, n);
      attributes(ew, 3, ev.attributes);
    });
  }
  for (const l of arr(s.links) ?? []) {
    const link = obj(l);
    if (!link) continue;
    w.message(13, (lw) => {
      const lt = id(get(link, 'traceId', 'trace_id'));
      if (lt) lw.bytes(1, lt);
      const ls = id(get(link, 'spanId', 'span_id'));
      if (ls) lw.bytes(2, ls);
      attributes(lw, 4, link.attributes);
    });
  }
  const st = obj(s.status);
  if (st) {
    w.message(15, (sw) => {
      const m = str(st.message);
      if (m) sw.string(2, m);
      const c = enumNumber(st.code, CODES);
      if (c) {
        sw.tag(3, 0);
        sw.varint(c);
      }
    });
  }
}

/** Encodes the `ResourceSpans` list of a Tempo/OTLP JSON trace as protobuf `TracesData`. */
export function encodeOtlpProto(doc: unknown): Uint8Array {
  const top = obj(doc) ?? {};
  const trace = obj(top.trace) ?? top;
  const batches = arr(trace.batches ?? get(trace, 'resourceSpans', 'resource_spans')) ?? [];
  const w = new ProtoWriter();
  for (const b of batches) {
    const batch = obj(b);
    if (!batch) continue;
    w.message(1, (rw) => {
      const res = obj(batch.resource);
      if (res) rw.message(1, (r) => attributes(r, 1, res.attributes));
      const scopes =
        get(batch, 'scopeSpans', 'scope_spans') ??
        get(batch, 'instrumentationLibrarySpans', 'instrumentation_library_spans');
      for (const ss of arr(scopes) ?? []) {
        const scopeSpans = obj(ss);
        if (!scopeSpans) continue;
        rw.message(2, (sw) => {
          const scope = obj(
            scopeSpans.scope ?? get(scopeSpans, 'instrumentationLibrary', 'instrumentation_library'),
          );
          if (scope) {
            sw.message(1, (s) => {
              const n = str(scope.name);
              if (n) s.string(1, n);
              const v = str(scope.version);
              if (v) s.string(2, v);
              attributes(s, 3, scope.attributes);
            });
          }
          for (const sp of arr(scopeSpans.spans) ?? []) {
            const o = obj(sp);
            if (o) sw.message(2, (spw) => span(spw, o));
          }
        });
      }
    });
  }
  return w.finish();
}

/** Wraps `TracesData` bytes as a Tempo v2 `TraceByIDResponse` (the Trace message has the same field 1). */
export function encodeTraceByIdResponse(
  tracesData: Uint8Array,
  status: 0 | 1 = 0,
  message?: string,
): Uint8Array {
  const w = new ProtoWriter();
  w.bytes(1, tracesData);
  w.message(2, (m) => {
    m.tag(1, 0);
    m.varint(tracesData.length);
  });
  if (status) {
    w.tag(3, 0);
    w.varint(status);
  }
  if (message) w.string(4, message);
  return w.finish();
}
