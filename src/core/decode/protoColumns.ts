/**
 * The first pass of the OTLP protobuf decoder: only what the columns need (IDs, name, kind,
 * times, status, and a glance at attribute keys and event names for the flags), plus the byte
 * range of every span, scope and resource so `protoDetails.ts` can decode attributes, events
 * and links of one span when a person looks at it.
 *
 * It is a hand-written loop over tags rather than a generated decoder because the benchmark
 * shows it pays: `npm run bench` (decode) turns a 100k-span body into the model plus analysis in
 * about 220 ms and keeps about 60 bytes per span, where a decoder that builds message objects
 * would allocate every attribute of every span.
 */
import { SpanFlag, StatusCode } from '../../shared/model';
import { bytesToIdWords, bytesToHex } from './ids';
import { CODE_KEYS as CODE_KEY_NAMES } from './otlpJson';
import * as fields from './protoFields';
import { ByteInterner, bytesEqual, ProtoReader, WireType } from './protoReader';
import { RawSpans, U32List, type TimeRef } from './raw';

// Bound to this module's constants once: the span loop reads them for every field of every span,
// and run through tsx (tests, `npm run bench`) each read of another module's export is a getter
// call (see ids/detect.ts).
const {
  TRACES_RESOURCE_SPANS,
  RESOURCE_SPANS_RESOURCE,
  RESOURCE_SPANS_SCOPE_SPANS_FIELD,
  RESOURCE_SPANS_LEGACY_SCOPE_SPANS_FIELD,
  RESOURCE_ATTRIBUTES,
  SCOPE_SPANS_SCOPE,
  SCOPE_SPANS_SPANS,
  SPAN_TRACE_ID,
  SPAN_SPAN_ID,
  SPAN_PARENT_ID,
  SPAN_NAME,
  SPAN_KIND,
  SPAN_START,
  SPAN_END,
  SPAN_ATTRIBUTES,
  SPAN_EVENTS,
  SPAN_STATUS,
  EVENT_NAME,
  EVENT_ATTRIBUTES,
  STATUS_CODE,
  STATUS_DEPRECATED_CODE,
  KEY_VALUE_KEY,
  KEY_VALUE_VALUE,
  ANY_STRING,
} = fields;

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const SERVICE_NAME = ascii('service.name');
const EXCEPTION = ascii('exception');
const STACKTRACE = ascii('exception.stacktrace');
const CODE_KEYS = [...CODE_KEY_NAMES].map(ascii);
// Enum members read once (see build.ts).
const FLAG_ERROR: number = SpanFlag.Error;
const FLAG_HAS_CODE: number = SpanFlag.HasCode;
const STATUS_ERROR: number = StatusCode.Error;

/** Where the spans, scopes and resources the columns pass read lie in the body. */
export interface ProtoRanges {
  /** Per span in arrival order: its message's start and end, and its scope's index. */
  spanStart: Uint32Array;
  spanEnd: Uint32Array;
  spanScope: Uint32Array;
  /** Per scope: start, end (end < start: no scope), resource index. */
  scopes: Int32Array;
  /** Per resource: start, end (start -1: no resource). */
  resources: Int32Array;
}

/**
 * The columns pass over OTLP protobuf: reads a `TracesData` (or anything with its layout) in one
 * walk, filling `raw` with what the columns need and remembering each span's byte range for
 * `ProtoDetails`. Call `tracesData` once per message, then build the model from `raw`, the
 * string tables, `ref` and `traceId()`.
 */
export class ProtoColumnsPass {
  private readonly r: ProtoReader;
  readonly raw: RawSpans;
  readonly names = new ByteInterner();
  readonly services = new ByteInterner();
  private readonly unknownService: number;
  private readonly emptyName: number;
  private readonly words = new Uint32Array(2);
  private readonly spanStart: U32List;
  private readonly spanEnd: U32List;
  private readonly spanScope: U32List;
  private readonly scopes: number[] = []; // start, end, resource index (end < start: no scope)
  private readonly resources: number[] = []; // start, end
  /** The time reference offsets are measured from: `seed`, else the first time seen. */
  ref: TimeRef | undefined;
  refHi = 0;
  refLo = 0;
  private traceIdStart = -1;
  private traceIdEnd = -1;
  /** Spans whose trace ID differs from the first span's. */
  otherTraceIds = 0;

  /** `seed`: the time reference to measure from (see `BuiltTrace.rebase`). */
  constructor(
    readonly buf: Uint8Array,
    seed?: TimeRef,
  ) {
    this.r = new ProtoReader(buf);
    if (seed) {
      this.ref = seed;
      this.refHi = seed.major;
      this.refLo = seed.minor;
    }
    const guess = Math.max(64, Math.ceil(buf.length / 160));
    this.raw = new RawSpans(guess);
    this.spanStart = new U32List(guess);
    this.spanEnd = new U32List(guess);
    this.spanScope = new U32List(guess);
    this.unknownService = this.services.internText('unknown service');
    this.emptyName = this.names.internText('');
    // The unknown-service entry is dropped from the model unless a span uses it (see build.ts).
  }

  /**
   * Reads the `TracesData` in `buf[start, end)`. An `ExportTraceServiceRequest` has the same
   * layout (field 1, repeated ResourceSpans), so a receiver passes a request body as it is.
   */
  tracesData(start: number, end: number): void {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === TRACES_RESOURCE_SPANS) {
        const e = r.bytesEnd(end);
        this.resourceSpans(r.pos, e);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
  }

  private resourceSpans(start: number, end: number): void {
    const r = this.r;
    // Pass 1: the resource (its service name applies to every span in this message).
    let resStart = -1;
    let resEnd = -1;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === RESOURCE_SPANS_RESOURCE) {
        resEnd = r.bytesEnd(end);
        resStart = r.pos;
        r.pos = resEnd;
      } else r.skip(tag & 7, end);
    }
    const resourceIndex = this.resources.length >> 1;
    this.resources.push(resStart, resEnd);
    const service = resStart >= 0 ? this.serviceOf(resStart, resEnd) : this.unknownService;
    // Pass 2: scope_spans (2), or the same message under its pre-0.19 number (1000).
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (
        (tag & 7) === WireType.Bytes &&
        (field === RESOURCE_SPANS_SCOPE_SPANS_FIELD || field === RESOURCE_SPANS_LEGACY_SCOPE_SPANS_FIELD)
      ) {
        const e = r.bytesEnd(end);
        this.scopeSpans(r.pos, e, resourceIndex, service);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
  }

  private serviceOf(start: number, end: number): number {
    const r = this.r;
    const buf = this.buf;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag !== RESOURCE_ATTRIBUTES) {
        r.skip(tag & 7, end);
        continue;
      }
      const kvEnd = r.bytesEnd(end);
      let keyStart = -1;
      let keyEnd = -1;
      let valStart = -1;
      let valEnd = -1;
      while (r.pos < kvEnd) {
        const t = r.uint32();
        if (t === KEY_VALUE_KEY) {
          keyEnd = r.bytesEnd(kvEnd);
          keyStart = r.pos;
          r.pos = keyEnd;
        } else if (t === KEY_VALUE_VALUE) {
          valEnd = r.bytesEnd(kvEnd);
          valStart = r.pos;
          r.pos = valEnd;
        } else r.skip(t & 7, kvEnd);
      }
      if (valStart >= 0 && bytesEqual(buf, keyStart, keyEnd, SERVICE_NAME)) {
        r.pos = valStart;
        while (r.pos < valEnd) {
          const t = r.uint32();
          if (t === ANY_STRING) {
            const e = r.bytesEnd(valEnd);
            if (e > r.pos) return this.services.intern(buf, r.pos, e);
            r.pos = e;
          } else r.skip(t & 7, valEnd);
        }
      }
      r.pos = kvEnd;
    }
    return this.unknownService;
  }

  private scopeSpans(start: number, end: number, resourceIndex: number, service: number): void {
    const r = this.r;
    let scopeStart = 0;
    let scopeEnd = -1;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === SCOPE_SPANS_SCOPE) {
        scopeEnd = r.bytesEnd(end);
        scopeStart = r.pos;
        r.pos = scopeEnd;
      } else r.skip(tag & 7, end);
    }
    const scopeIndex = this.scopes.length / 3;
    this.scopes.push(scopeStart, scopeEnd, resourceIndex);
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === SCOPE_SPANS_SPANS) {
        const e = r.bytesEnd(end);
        this.span(r.pos, e, scopeIndex, service);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
  }

  /** Offset in ns of the fixed64 just read (`r.hi`, `r.lo`) from the first time seen; NaN for 0 (not set). */
  private time(): number {
    const r = this.r;
    if (r.hi === 0 && r.lo === 0) return NaN;
    if (!this.ref) {
      this.ref = { major: r.hi, minor: r.lo, scale: 4294967296 };
      this.refHi = r.hi;
      this.refLo = r.lo;
      return 0;
    }
    return (r.hi - this.refHi) * 4294967296 + (r.lo - this.refLo);
  }

  private span(start: number, end: number, scopeIndex: number, service: number): void {
    const r = this.r;
    const buf = this.buf;
    const raw = this.raw;
    const i = raw.add();
    this.spanStart.push(start);
    this.spanEnd.push(end);
    this.spanScope.push(scopeIndex);
    raw.service[i] = service;
    raw.name[i] = this.emptyName;
    // Proto3 leaves a zero time out: absent means not set.
    raw.start[i] = NaN;
    raw.end[i] = NaN;
    let flags = 0;
    let status = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case SPAN_TRACE_ID: {
          const e = r.bytesEnd(end);
          this.checkTraceId(r.pos, e);
          r.pos = e;
          break;
        }
        case SPAN_SPAN_ID: {
          const e = r.bytesEnd(end);
          if (e - r.pos === 8) {
            const p = r.pos;
            raw.idHi[i] = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
            raw.idLo[i] =
              ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
          } else {
            bytesToIdWords(buf, r.pos, e, this.words);
            raw.idHi[i] = this.words[0]!;
            raw.idLo[i] = this.words[1]!;
          }
          r.pos = e;
          break;
        }
        case SPAN_PARENT_ID: {
          const e = r.bytesEnd(end);
          if (e - r.pos === 8) {
            const p = r.pos;
            raw.parentHi[i] =
              ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
            raw.parentLo[i] =
              ((buf[p + 4]! << 24) | (buf[p + 5]! << 16) | (buf[p + 6]! << 8) | buf[p + 7]!) >>> 0;
            raw.hasParent[i] = 1;
          } else if (e > r.pos) {
            bytesToIdWords(buf, r.pos, e, this.words);
            raw.parentHi[i] = this.words[0]!;
            raw.parentLo[i] = this.words[1]!;
            raw.hasParent[i] = 1;
          }
          r.pos = e;
          break;
        }
        case SPAN_NAME: {
          const e = r.bytesEnd(end);
          raw.name[i] = this.names.intern(buf, r.pos, e);
          r.pos = e;
          break;
        }
        case SPAN_KIND: {
          const k = r.uint32();
          raw.kind[i] = k <= 5 ? k : 0;
          break;
        }
        case SPAN_START:
          r.fixed64();
          raw.start[i] = this.time();
          break;
        case SPAN_END:
          r.fixed64();
          raw.end[i] = this.time();
          break;
        case SPAN_ATTRIBUTES: {
          const e = r.bytesEnd(end);
          if (!(flags & FLAG_HAS_CODE) && this.isCodeKey(r.pos, e)) flags |= FLAG_HAS_CODE;
          r.pos = e;
          break;
        }
        case SPAN_EVENTS: {
          const e = r.bytesEnd(end);
          flags |= this.eventFlags(r.pos, e);
          r.pos = e;
          break;
        }
        case SPAN_STATUS: {
          const e = r.bytesEnd(end);
          status = this.status(r.pos, e);
          r.pos = e;
          break;
        }
        default:
          r.skip(tag & 7, end);
      }
    }
    if (r.pos !== end) throw r.damaged('a span runs past its length');
    raw.status[i] = status;
    if (status === STATUS_ERROR) flags |= FLAG_ERROR;
    raw.flags[i] = flags;
  }

  private checkTraceId(start: number, end: number): void {
    if (this.traceIdStart < 0) {
      this.traceIdStart = start;
      this.traceIdEnd = end;
      return;
    }
    const len = end - start;
    if (len !== this.traceIdEnd - this.traceIdStart) {
      this.otherTraceIds++;
      return;
    }
    const buf = this.buf;
    const t = this.traceIdStart;
    for (let k = 0; k < len; k++) {
      if (buf[start + k] !== buf[t + k]) {
        this.otherTraceIds++;
        return;
      }
    }
  }

  /** The key of one KeyValue, as [start, end) left in `keyStart`/`keyEnd`; false if absent. */
  private keyStart = 0;
  private keyEnd = 0;
  private readKey(start: number, end: number): boolean {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === KEY_VALUE_KEY) {
        this.keyEnd = r.bytesEnd(end);
        this.keyStart = r.pos;
        return true;
      }
      r.skip(tag & 7, end);
    }
    return false;
  }

  private isCodeKey(start: number, end: number): boolean {
    if (!this.readKey(start, end)) return false;
    const buf = this.buf;
    const len = this.keyEnd - this.keyStart;
    // Every CODE_KEYS entry starts with 'c' (0x63) and is 13, 14 or 18 bytes long.
    if (buf[this.keyStart] !== 0x63 || (len !== 13 && len !== 14 && len !== 18)) return false;
    for (const k of CODE_KEYS) if (bytesEqual(buf, this.keyStart, this.keyEnd, k)) return true;
    return false;
  }

  /** Error (and HasCode for a stack trace) when the event is an `exception`. */
  private eventFlags(start: number, end: number): number {
    const r = this.r;
    const buf = this.buf;
    let exception = false;
    let stack = false;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === EVENT_NAME) {
        const e = r.bytesEnd(end);
        exception = bytesEqual(buf, r.pos, e, EXCEPTION);
        r.pos = e;
      } else if (tag === EVENT_ATTRIBUTES) {
        const e = r.bytesEnd(end);
        if (!stack && this.readKey(r.pos, e) && bytesEqual(buf, this.keyStart, this.keyEnd, STACKTRACE))
          stack = true;
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    return exception ? FLAG_ERROR | (stack ? FLAG_HAS_CODE : 0) : 0;
  }

  /** Status code; OTLP before 0.9 also had `deprecated_code` (field 1), where non-zero is an error. */
  private status(start: number, end: number): number {
    const r = this.r;
    let code = 0;
    let deprecated = 0;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === STATUS_CODE) code = r.uint32();
      else if (tag === STATUS_DEPRECATED_CODE) deprecated = r.uint32();
      else r.skip(tag & 7, end);
    }
    if (code > 2) code = 0;
    return code === 0 && deprecated !== 0 ? STATUS_ERROR : code;
  }

  /**
   * The trace ID of the first span that carries one, as 32 hex digits; undefined when none
   * carries a readable one (absent, or longer than 16 bytes).
   */
  traceId(): string | undefined {
    const len = this.traceIdEnd - this.traceIdStart;
    return this.traceIdStart >= 0 && len > 0 && len <= 16
      ? bytesToHex(this.buf, this.traceIdStart, this.traceIdEnd, 32)
      : undefined;
  }

  /** Where each span, scope and resource lies in the body, for `ProtoDetails`. */
  ranges(): ProtoRanges {
    return {
      spanStart: this.spanStart.trimmed(),
      spanEnd: this.spanEnd.trimmed(),
      spanScope: this.spanScope.trimmed(),
      scopes: Int32Array.from(this.scopes),
      resources: Int32Array.from(this.resources),
    };
  }
}
