/**
 * The ingest scan: one pass over an ExportTraceServiceRequest (or ExportLogsServiceRequest) in
 * protobuf that checks its structure and reads, per span, what the store indexes (IDs, times,
 * name, kind, status, attributes, byte ranges), without decoding strings. It reuses the
 * decoders' `ProtoReader` and their list of `code.*` keys (src/core/decode); a stored trace is
 * decoded later by `decodeTrace` (its columns pass, then details on demand) from the stored bytes.
 *
 * A body that is not valid protobuf of the message, or has a known field with the wrong wire
 * type, throws `OtlpDecodeError` (HTTP 400). A span without a valid trace or span ID is left out
 * and counted (`rejected`), which the receiver reports as a partial success.
 */
import { CODE_KEYS as CODE_KEY_NAMES, ProtoReader } from '../decode';
import type { Scopes } from './batch';
import {
  ATTR_BOOL,
  ATTR_DOUBLE,
  ATTR_INT,
  ATTR_OTHER,
  ATTR_STR,
  LogBatch,
  SPAN_ERROR,
  SPAN_HAS_CODE,
  SPAN_HAS_PARENT,
  SpanBatch,
  type AttrList,
} from './batch';
import { OtlpDecodeError } from './json';
import { fieldByNumber, wireTable, wireTypeOf, type MessageName, type WireTable } from './schema';

const MAX_DEPTH = 64;
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const SERVICE_NAME = ascii('service.name');
const EXCEPTION = ascii('exception');
const STACKTRACE = ascii('exception.stacktrace');
const CODE_KEYS = [...CODE_KEY_NAMES].map(ascii);
/** `CODE_KEY_LENGTH[n]` is 1 when a code key is `n` bytes long. */
const CODE_KEY_LENGTH = new Uint8Array(64);
for (const c of CODE_KEYS) CODE_KEY_LENGTH[c.length] = 1;

function equalsAscii(buf: Uint8Array, start: number, end: number, s: Uint8Array): boolean {
  if (end - start !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (buf[start + i] !== s[i]) return false;
  return true;
}

/**
 * Whether `buf[start, end)` is one of the `code.*` keys. A loop, not `some` with a closure: it
 * runs for every attribute of every span until one is found (2% of the receiver's time).
 */
function isCodeKey(buf: Uint8Array, start: number, end: number): boolean {
  const len = end - start;
  if (buf[start] !== 0x63 || len >= CODE_KEY_LENGTH.length || CODE_KEY_LENGTH[len] === 0) return false;
  for (let k = 0; k < CODE_KEYS.length; k++) if (equalsAscii(buf, start, end, CODE_KEYS[k]!)) return true;
  return false;
}

function allZero(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}

function word(buf: Uint8Array, p: number): number {
  return ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
}

/**
 * The tag at the reader's position: one byte for fields 1 to 15, read here without a call (the
 * scan reads a dozen tags per span); anything longer goes through the reader.
 */
function tagAt(r: ProtoReader, buf: Uint8Array): number {
  const b = buf[r.pos]!;
  if (b < 0x80) {
    r.pos++;
    return b;
  }
  return r.uint32();
}

/**
 * `r.bytesEnd(limit)` with a one-byte length read here (IDs, names, short attributes); longer
 * lengths, and lengths that run past `limit` (which throw), go through the reader.
 */
function fieldEnd(r: ProtoReader, buf: Uint8Array, limit: number): number {
  const b = buf[r.pos]!;
  if (b < 0x80) {
    const e = r.pos + 1 + b;
    if (e <= limit) {
      r.pos++;
      return e;
    }
  }
  return r.bytesEnd(limit);
}

/** Wraps the reader's damage error in the receiver's error type. */
function damaged(what: string, err: unknown): OtlpDecodeError {
  if (err instanceof OtlpDecodeError) return err;
  const detail = err instanceof Error ? err.message.replace(/^The protobuf trace is damaged/, 'damaged') : '';
  return new OtlpDecodeError(`the body is not a valid ${what}: ${detail}`);
}

/** The wire type field `no` must have in `t`, or -1 for a field the schema does not know. */
function expectedWire(t: WireTable, no: number): number {
  return no < t.wire.length ? t.wire[no]! : -1;
}

const SPAN_WIRES = wireTable('Span');
const ANY_VALUE_WIRES = wireTable('AnyValue');
const SCOPE_SPANS_WIRES = wireTable('ScopeSpans');

/** Checks `buf[start, end)` against message `type` of the schema, recursively. */
function validate(r: ProtoReader, type: MessageName, start: number, end: number, depth: number): void {
  if (depth > MAX_DEPTH) throw new OtlpDecodeError(`values are nested more than ${MAX_DEPTH} levels deep`);
  const table = wireTable(type);
  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32();
    const wire = tag & 7;
    const no = tag >>> 3;
    const expected = expectedWire(table, no);
    if (expected >= 0 && expected !== wire) {
      const field = fieldByNumber(type, no)!;
      throw new OtlpDecodeError(
        `field ${field.json} of a ${type} has wire type ${wire}, not ${wireTypeOf(field.kind)}`,
      );
    }
    const sub = expected === 2 ? table.sub[no] : undefined;
    if (sub) {
      const e = r.bytesEnd(end);
      validate(r, sub, r.pos, e, depth + 1);
      r.pos = e;
    } else r.skip(wire, end);
  }
  if (r.pos !== end) throw new OtlpDecodeError(`a ${type} runs past its length`);
}

/** Shared walking of the resource and scope levels. */
abstract class Scanner {
  protected readonly r: ProtoReader;
  constructor(protected readonly buf: Uint8Array) {
    this.r = new ProtoReader(buf);
  }

  protected wrongWire(type: MessageName, tag: number): OtlpDecodeError {
    const field = fieldByNumber(type, tag >>> 3)!;
    return new OtlpDecodeError(
      `field ${field.json} of a ${type} has wire type ${tag & 7}, not ${wireTypeOf(field.kind)}`,
    );
  }

  /** Reads the top-level message: field 1 repeated, each a Resource{Spans,Logs}. */
  protected top(type: MessageName, each: (start: number, end: number) => void): void {
    const r = this.r;
    const end = this.buf.length;
    r.pos = 0;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x0a) {
        const e = r.bytesEnd(end);
        const s = r.pos;
        each(s, e);
        r.pos = e;
      } else if (tag >>> 3 === 1) throw this.wrongWire(type, tag);
      else r.skip(tag & 7, end);
    }
  }

  /**
   * A Resource{Spans,Logs}: records its resource, then calls `scope` for each Scope{Spans,Logs}
   * (field 2, or 1000 for pre-0.19 `instrumentation_library_spans`).
   */
  protected resourceLevel(
    type: 'ResourceSpans' | 'ResourceLogs',
    scopes: Scopes,
    start: number,
    end: number,
    scope: (start: number, end: number, resource: number) => void,
  ): void {
    const r = this.r;
    let resStart = -1;
    let resEnd = -1;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x0a) {
        resEnd = r.bytesEnd(end);
        resStart = r.pos;
        r.pos = resEnd;
      } else if (tag === 0x12 || tag === 0x1a || tag === ((1000 << 3) | 2)) {
        r.pos = r.bytesEnd(end);
      } else if (fieldByNumber(type, tag >>> 3)) throw this.wrongWire(type, tag);
      else r.skip(tag & 7, end);
    }
    const resource = scopes.resOff.length;
    scopes.resOff.push(resStart);
    scopes.resLen.push(resEnd - resStart);
    let serviceOff = -1;
    let serviceLen = 0;
    if (resStart >= 0) {
      validate(r, 'Resource', resStart, resEnd, 1);
      r.pos = resStart;
      while (r.pos < resEnd) {
        const tag = r.uint32();
        if (tag === 0x0a) {
          const e = r.bytesEnd(resEnd);
          const keyEnd = this.attribute(scopes.resAttrs, r.pos, e);
          const attrs = scopes.resAttrs;
          const k = attrs.length - 1;
          if (
            keyEnd >= 0 &&
            attrs.type.data[k] === ATTR_STR &&
            equalsAscii(this.buf, attrs.keyOff.data[k]!, keyEnd, SERVICE_NAME)
          ) {
            serviceOff = attrs.valOff.data[k]!;
            serviceLen = attrs.valLen.data[k]!;
          }
          r.pos = e;
        } else r.skip(tag & 7, resEnd);
      }
    }
    scopes.serviceOff.push(serviceOff);
    scopes.serviceLen.push(serviceLen);
    scopes.resAttrEnd.push(scopes.resAttrs.length);
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x12 || tag === ((1000 << 3) | 2)) {
        const e = r.bytesEnd(end);
        scope(r.pos, e, resource);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
  }

  /** The scope message (field 1) of a Scope{Spans,Logs}, recorded in `scopes`; returns its index. */
  protected scopeOf(scopes: Scopes, start: number, end: number, resource: number): number {
    const r = this.r;
    let off = -1;
    let len = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x0a) {
        const e = r.bytesEnd(end);
        off = r.pos;
        len = e - off;
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    if (off >= 0) validate(r, 'InstrumentationScope', off, off + len, 2);
    scopes.scopeOff.push(off);
    scopes.scopeLen.push(len);
    scopes.scopeResource.push(resource);
    return scopes.scopeOff.length - 1;
  }

  /**
   * One KeyValue at `[start, end)` appended to `list`; returns where its key ends (-1 without
   * a key, when nothing is appended). The value is validated.
   */
  protected attribute(list: AttrList, start: number, end: number): number {
    const r = this.r;
    const buf = this.buf;
    let keyOff = -1;
    let keyEnd = -1;
    let valStart = -1;
    let valEnd = -1;
    r.pos = start;
    while (r.pos < end) {
      const tag = tagAt(r, buf);
      if (tag === 0x0a) {
        keyEnd = fieldEnd(r, buf, end);
        keyOff = r.pos;
        r.pos = keyEnd;
      } else if (tag === 0x12) {
        valEnd = fieldEnd(r, buf, end);
        valStart = r.pos;
        r.pos = valEnd;
      } else if (tag >>> 3 === 1 || tag >>> 3 === 2) throw this.wrongWire('KeyValue', tag);
      else r.skip(tag & 7, end);
    }
    if (keyOff < 0) {
      if (valStart >= 0) validate(r, 'AnyValue', valStart, valEnd, 3);
      return -1;
    }
    let type = ATTR_OTHER;
    let vOff = 0;
    let vLen = 0;
    let num = 0;
    if (valStart >= 0) {
      r.pos = valStart;
      while (r.pos < valEnd) {
        const tag = tagAt(r, buf);
        switch (tag) {
          case 0x0a: {
            const e = fieldEnd(r, buf, valEnd);
            type = ATTR_STR;
            vOff = r.pos;
            vLen = e - r.pos;
            r.pos = e;
            break;
          }
          case 0x10:
            r.varint64();
            type = ATTR_BOOL;
            num = r.lo !== 0 || r.hi !== 0 ? 1 : 0;
            break;
          case 0x18:
            r.varint64();
            type = ATTR_INT;
            num = r.hi >= 0x80000000 ? (r.hi - 4294967296) * 4294967296 + r.lo : r.hi * 4294967296 + r.lo;
            break;
          case 0x21:
            type = ATTR_DOUBLE;
            num = r.double();
            break;
          case 0x2a:
          case 0x32: {
            const e = fieldEnd(r, buf, valEnd);
            validate(r, tag === 0x2a ? 'ArrayValue' : 'KeyValueList', r.pos, e, 4);
            type = ATTR_OTHER;
            r.pos = e;
            break;
          }
          case 0x3a:
            type = ATTR_OTHER;
            r.pos = fieldEnd(r, buf, valEnd);
            break;
          default:
            if (expectedWire(ANY_VALUE_WIRES, tag >>> 3) >= 0) throw this.wrongWire('AnyValue', tag);
            r.skip(tag & 7, valEnd);
        }
      }
    }
    list.push(keyOff, keyEnd - keyOff, type, vOff, vLen, num);
    return keyEnd;
  }
}

class TraceScanner extends Scanner {
  readonly batch: SpanBatch;
  constructor(buf: Uint8Array, into: SpanBatch | undefined) {
    super(buf);
    if (into) into.reset();
    // An SDK's spans take 100 to 300 bytes each.
    this.batch = into ?? new SpanBatch(Math.max(64, Math.ceil(buf.length / 150)));
  }

  run(): SpanBatch {
    try {
      this.top('ExportTraceServiceRequest', (s, e) =>
        this.resourceLevel('ResourceSpans', this.batch.scopes, s, e, (ss, se, res) =>
          this.scopeSpans(ss, se, res),
        ),
      );
    } catch (err) {
      throw damaged('OTLP ExportTraceServiceRequest', err);
    }
    this.batch.setCount(this.batch.count);
    return this.batch;
  }

  private scopeSpans(start: number, end: number, resource: number): void {
    const scope = this.scopeOf(this.batch.scopes, start, end, resource);
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x12) {
        const e = r.bytesEnd(end);
        const s = r.pos;
        this.span(s, e, scope);
        r.pos = e;
      } else if (tag === 0x0a || tag === 0x1a) r.pos = r.bytesEnd(end);
      else if (expectedWire(SCOPE_SPANS_WIRES, tag >>> 3) >= 0) throw this.wrongWire('ScopeSpans', tag);
      else r.skip(tag & 7, end);
    }
  }

  private reject(why: string): void {
    const b = this.batch;
    if (b.rejected++ === 0) b.rejectReason = why;
  }

  private span(start: number, end: number, scope: number): void {
    const r = this.r;
    const buf = this.buf;
    const b = this.batch;
    let traceOff = -1;
    let traceLen = 0;
    let spanOff = -1;
    let spanLen = 0;
    let nameOff = 0;
    let nameLen = 0;
    let kind = 0;
    let status = 0;
    let flags = 0;
    let sLo = 0;
    let sHi = 0;
    let eLo = 0;
    let eHi = 0;
    const attrsBefore = b.attrs.length;
    r.pos = start;
    while (r.pos < end) {
      const tag = tagAt(r, buf);
      switch (tag) {
        case 0x0a: {
          const e = fieldEnd(r, buf, end);
          traceOff = r.pos;
          traceLen = e - r.pos;
          r.pos = e;
          break;
        }
        case 0x12: {
          const e = fieldEnd(r, buf, end);
          spanOff = r.pos;
          spanLen = e - r.pos;
          r.pos = e;
          break;
        }
        case 0x22: {
          const e = fieldEnd(r, buf, end);
          if (e > r.pos && !allZero(buf, r.pos, e)) flags |= SPAN_HAS_PARENT;
          r.pos = e;
          break;
        }
        case 0x2a: {
          const e = fieldEnd(r, buf, end);
          nameOff = r.pos;
          nameLen = e - r.pos;
          r.pos = e;
          break;
        }
        case 0x30:
          kind = r.uint32();
          if (kind > 5) kind = 0;
          break;
        case 0x39:
          r.fixed64();
          sLo = r.lo;
          sHi = r.hi;
          break;
        case 0x41:
          r.fixed64();
          eLo = r.lo;
          eHi = r.hi;
          break;
        case 0x4a: {
          const e = fieldEnd(r, buf, end);
          const keyEnd = this.attribute(b.attrs, r.pos, e);
          if (keyEnd >= 0 && !(flags & SPAN_HAS_CODE)) {
            const k = b.attrs.length - 1;
            const ko = b.attrs.keyOff.data[k]!;
            if (isCodeKey(buf, ko, keyEnd)) flags |= SPAN_HAS_CODE;
          }
          r.pos = e;
          break;
        }
        case 0x5a: {
          const e = fieldEnd(r, buf, end);
          flags |= this.event(r.pos, e);
          r.pos = e;
          break;
        }
        case 0x6a: {
          const e = fieldEnd(r, buf, end);
          validate(r, 'Link', r.pos, e, 2);
          r.pos = e;
          break;
        }
        case 0x7a: {
          const e = fieldEnd(r, buf, end);
          status = this.status(r.pos, e);
          r.pos = e;
          break;
        }
        case 0x1a:
          r.pos = fieldEnd(r, buf, end);
          break;
        default:
          {
            // Known fields not read here (dropped counts, flags) must still have their wire type.
            const expected = expectedWire(SPAN_WIRES, tag >>> 3);
            if (expected >= 0 && expected !== (tag & 7)) throw this.wrongWire('Span', tag);
          }
          r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw new OtlpDecodeError('a span runs past its length');
    if (traceLen !== 16 || allZero(buf, traceOff, traceOff + 16)) {
      b.attrs.truncate(attrsBefore);
      return this.reject(
        traceLen === 0
          ? 'a span has no trace ID'
          : `a span's trace ID is ${traceLen === 16 ? 'all zeros' : `${traceLen} bytes, not 16`}`,
      );
    }
    if (spanLen !== 8 || allZero(buf, spanOff, spanOff + 8)) {
      b.attrs.truncate(attrsBefore);
      return this.reject(
        spanLen === 0
          ? 'a span has no span ID'
          : `a span's span ID is ${spanLen === 8 ? 'all zeros' : `${spanLen} bytes, not 8`}`,
      );
    }
    if (status === 2) flags |= SPAN_ERROR;
    // Room once, then plain stores: a push per column was a fifth of the scan.
    const i = b.count;
    if (i >= b.capacity) b.reserve(i + 1);
    b.count = i + 1;
    const tw = b.traceId.data;
    tw[4 * i] = word(buf, traceOff);
    tw[4 * i + 1] = word(buf, traceOff + 4);
    tw[4 * i + 2] = word(buf, traceOff + 8);
    tw[4 * i + 3] = word(buf, traceOff + 12);
    b.spanHi.data[i] = word(buf, spanOff);
    b.spanLo.data[i] = word(buf, spanOff + 4);
    b.startLo.data[i] = sLo;
    b.startHi.data[i] = sHi;
    b.endLo.data[i] = eLo;
    b.endHi.data[i] = eHi;
    b.nameOff.data[i] = nameOff;
    b.nameLen.data[i] = nameLen;
    b.kind.data[i] = kind;
    b.status.data[i] = status;
    b.flags.data[i] = flags;
    b.off.data[i] = start;
    b.len.data[i] = end - start;
    b.scope.data[i] = scope;
    b.attrEnd.data[i] = b.attrs.length;
  }

  /** Validates an event; Error (and HasCode with a stack trace) for an `exception` event. */
  private event(start: number, end: number): number {
    const r = this.r;
    validate(r, 'Event', start, end, 2);
    let exception = false;
    let stack = false;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x12) {
        const e = r.bytesEnd(end);
        exception = equalsAscii(this.buf, r.pos, e, EXCEPTION);
        r.pos = e;
      } else if (tag === 0x1a) {
        const e = r.bytesEnd(end);
        if (!stack) {
          while (r.pos < e) {
            const t = r.uint32();
            if (t === 0x0a) {
              const ke = r.bytesEnd(e);
              stack = equalsAscii(this.buf, r.pos, ke, STACKTRACE);
              break;
            }
            r.skip(t & 7, e);
          }
        }
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    return exception ? SPAN_ERROR | (stack ? SPAN_HAS_CODE : 0) : 0;
  }

  private status(start: number, end: number): number {
    const r = this.r;
    let code = 0;
    let deprecated = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x18) code = r.uint32();
      else if (tag === 0x08) deprecated = r.uint32();
      else if (tag === 0x12) r.pos = r.bytesEnd(end);
      else if (tag >>> 3 === 3 || tag >>> 3 === 2) throw this.wrongWire('Status', tag);
      else r.skip(tag & 7, end);
    }
    if (code > 2) code = 0;
    return code === 0 && deprecated !== 0 ? 2 : code;
  }
}

class LogScanner extends Scanner {
  readonly batch = new LogBatch();

  run(): LogBatch {
    try {
      this.top('ExportLogsServiceRequest', (s, e) =>
        this.resourceLevel('ResourceLogs', this.batch.scopes, s, e, (ss, se, res) =>
          this.scopeLogs(ss, se, res),
        ),
      );
    } catch (err) {
      throw damaged('OTLP ExportLogsServiceRequest', err);
    }
    return this.batch;
  }

  private scopeLogs(start: number, end: number, resource: number): void {
    const scope = this.scopeOf(this.batch.scopes, start, end, resource);
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x12) {
        const e = r.bytesEnd(end);
        const s = r.pos;
        this.record(s, e, scope);
        r.pos = e;
      } else if (tag === 0x0a || tag === 0x1a) r.pos = r.bytesEnd(end);
      else if (fieldByNumber('ScopeLogs', tag >>> 3)) throw this.wrongWire('ScopeLogs', tag);
      else r.skip(tag & 7, end);
    }
  }

  private record(start: number, end: number, scope: number): void {
    const r = this.r;
    const buf = this.buf;
    const b = this.batch;
    validate(r, 'LogRecord', start, end, 1);
    let traceOff = -1;
    let traceLen = 0;
    let spanOff = -1;
    let spanLen = 0;
    let tLo = 0;
    let tHi = 0;
    let oLo = 0;
    let oHi = 0;
    let severity = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case 0x09:
          r.fixed64();
          tLo = r.lo;
          tHi = r.hi;
          break;
        case 0x59:
          r.fixed64();
          oLo = r.lo;
          oHi = r.hi;
          break;
        case 0x10:
          severity = r.uint32();
          if (severity > 24) severity = 0;
          break;
        case 0x4a: {
          const e = r.bytesEnd(end);
          traceOff = r.pos;
          traceLen = e - r.pos;
          r.pos = e;
          break;
        }
        case 0x52: {
          const e = r.bytesEnd(end);
          spanOff = r.pos;
          spanLen = e - r.pos;
          r.pos = e;
          break;
        }
        default:
          r.skip(tag & 7, end);
      }
    }
    if (traceLen !== 0 && traceLen !== 16) {
      if (b.rejected++ === 0) b.rejectReason = `a log record's trace ID is ${traceLen} bytes, not 16`;
      return;
    }
    if (spanLen !== 0 && spanLen !== 8) {
      if (b.rejected++ === 0) b.rejectReason = `a log record's span ID is ${spanLen} bytes, not 8`;
      return;
    }
    const hasTrace = traceLen === 16 && !allZero(buf, traceOff, traceOff + 16);
    b.count++;
    b.hasTrace.push(hasTrace ? 1 : 0);
    for (let k = 0; k < 4; k++) b.traceId.push(hasTrace ? word(buf, traceOff + 4 * k) : 0);
    b.spanHi.push(spanLen === 8 ? word(buf, spanOff) : 0);
    b.spanLo.push(spanLen === 8 ? word(buf, spanOff + 4) : 0);
    const useObserved = tLo === 0 && tHi === 0;
    b.timeLo.push(useObserved ? oLo : tLo);
    b.timeHi.push(useObserved ? oHi : tHi);
    b.severity.push(severity);
    b.off.push(start);
    b.len.push(end - start);
    b.scope.push(scope);
  }
}

/**
 * Scans an ExportTraceServiceRequest. Throws `OtlpDecodeError` when it is not one. With `into`,
 * that batch is emptied and filled (and returned) instead of a new one.
 */
export function scanTraces(body: Uint8Array, into?: SpanBatch): SpanBatch {
  return new TraceScanner(body, into).run();
}

/** Scans an ExportLogsServiceRequest. Throws `OtlpDecodeError` when it is not one. */
export function scanLogs(body: Uint8Array): LogBatch {
  return new LogScanner(body).run();
}
