/**
 * Hand-written decoder for OTLP traces as protobuf: `TracesData` (= Tempo v1 `tempopb.Trace`,
 * field 1 repeated ResourceSpans) and Tempo v2's `TraceByIDResponse { Trace trace = 1;
 * TraceByIDMetrics metrics = 2; PartialStatus status = 3; string message = 4; }`.
 *
 * Field numbers follow opentelemetry-proto `trace/v1/trace.proto`, `common/v1/common.proto` and
 * `resource/v1/resource.proto`. The first pass reads only what the columns need (IDs, name,
 * kind, times, status, and a glance at attribute keys and event names for the flags) and
 * remembers each span's byte range; attributes, events and links are decoded in `detail(i)`.
 */
import {
  SpanFlag,
  StatusCode,
  type Attribute,
  type AttributeValue,
  type SpanDetail,
  type SpanEvent,
  type SpanLink,
  type TraceModel,
} from '../../shared/model';
import { buildModel } from './build';
import { bytesToBase64, bytesToHex, bytesToIdWords, idWordsToHex } from './ids';
import { ByteInterner, bytesEqual, ProtoReader, utf8Text, WireType } from './protoReader';
import { RawSpans, type TimeRef } from './raw';
import { damagedDetail, TraceDecodeError, type DecodedTrace } from './types';
import { notFound } from './otlpJson';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const SERVICE_NAME = ascii('service.name');
const EXCEPTION = ascii('exception');
const STACKTRACE = ascii('exception.stacktrace');
const CODE_KEYS = ['code.filepath', 'code.file.path', 'code.function', 'code.function.name'].map(ascii);

// Tags (field number << 3 | wire type) used in the hot loop.
const TAG_1_BYTES = 0x0a;
const TAG_2_BYTES = 0x12;
const SPAN_TRACE_ID = 0x0a;
const SPAN_SPAN_ID = 0x12;
const SPAN_PARENT_ID = 0x22;
const SPAN_NAME = 0x2a;
const SPAN_KIND = 0x30;
const SPAN_START = 0x39;
const SPAN_END = 0x41;
const SPAN_ATTRIBUTES = 0x4a;
const SPAN_EVENTS = 0x5a;
const SPAN_LINKS = 0x6a;
const SPAN_STATUS = 0x7a;
const RESOURCE_SCOPE_SPANS = 2;
const RESOURCE_LEGACY_SCOPE_SPANS = 1000;
const MAX_NESTING = 32;
// Enum members read once (see build.ts).
const FLAG_ERROR: number = SpanFlag.Error;
const FLAG_HAS_CODE: number = SpanFlag.HasCode;
const STATUS_ERROR: number = StatusCode.Error;

/** A growable Uint32Array. */
class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(8, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  trimmed(): Uint32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

/** Whether a protobuf body is a Tempo v2 `TraceByIDResponse` rather than a `TracesData`. */
export function looksLikeTraceByIdResponse(buf: Uint8Array): boolean {
  const r = new ProtoReader(buf);
  try {
    let ones = 0;
    let firstStart = 0;
    let firstEnd = 0;
    while (r.pos < buf.length) {
      const tag = r.uint32();
      const field = tag >>> 3;
      // TracesData has nothing but field 1; metrics, status and message mean v2.
      if (field !== 1) return field >= 2 && field <= 4;
      if ((tag & 7) !== WireType.Bytes) return false;
      const end = r.bytesEnd(buf.length);
      if (ones === 0) {
        firstStart = r.pos;
        firstEnd = end;
      }
      ones++;
      r.pos = end;
    }
    if (ones !== 1) return false;
    // One field 1: a ResourceSpans has scope_spans (2 or 1000); a Trace has only field 1.
    r.pos = firstStart;
    while (r.pos < firstEnd) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1) return false;
      r.skip(tag & 7, firstEnd);
    }
    return firstEnd > firstStart;
  } catch {
    return false;
  }
}

/** Decodes `TracesData` (`v2` false) or `TraceByIDResponse` (`v2` true). */
export function decodeOtlpProto(buf: Uint8Array, v2: boolean): DecodedTrace {
  let start = 0;
  let end = buf.length;
  let partial = false;
  let partialMessage: string | undefined;
  if (v2) {
    const r = new ProtoReader(buf);
    let found = false;
    while (r.pos < buf.length) {
      const tag = r.uint32();
      if (tag === TAG_1_BYTES) {
        end = r.bytesEnd(buf.length);
        start = r.pos;
        found = true;
        r.pos = end;
      } else if (tag === 0x18) {
        partial = r.uint32() === 1;
      } else if (tag === 0x22) {
        const e = r.bytesEnd(buf.length);
        partialMessage = utf8Text(buf, r.pos, e);
        r.pos = e;
      } else r.skip(tag & 7, buf.length);
    }
    if (!found) throw notFound();
    if (partial) partialMessage = partialMessage || 'Tempo returned a partial trace.';
    else partialMessage = undefined;
  }
  const d = new ProtoTraceDecoder(buf);
  d.tracesData(start, end);
  return d.finish(partial, partialMessage);
}

class ProtoTraceDecoder {
  private readonly r: ProtoReader;
  private readonly raw: RawSpans;
  private readonly names = new ByteInterner();
  private readonly services = new ByteInterner();
  private readonly unknownService: number;
  private readonly emptyName: number;
  private readonly words = new Uint32Array(2);
  private readonly spanStart: U32List;
  private readonly spanEnd: U32List;
  private readonly spanScope: U32List;
  private readonly scopes: number[] = []; // start, end, resource index (end < start: no scope)
  private readonly resources: number[] = []; // start, end
  private ref: TimeRef | undefined;
  private refHi = 0;
  private refLo = 0;
  private traceIdStart = -1;
  private traceIdEnd = -1;
  private otherTraceIds = 0;
  private tracesStart = 0;
  private tracesEnd = 0;

  /** `seed`: the time reference to measure from (see `BuiltTrace.rebase`). */
  constructor(
    readonly buf: Uint8Array,
    private readonly seed?: TimeRef,
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

  tracesData(start: number, end: number): void {
    const r = this.r;
    this.tracesStart = start;
    this.tracesEnd = end;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === TAG_1_BYTES) {
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
      if (tag === TAG_1_BYTES) {
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
        (field === RESOURCE_SCOPE_SPANS || field === RESOURCE_LEGACY_SCOPE_SPANS)
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
      if (tag !== TAG_1_BYTES) {
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
        if (t === TAG_1_BYTES) {
          keyEnd = r.bytesEnd(kvEnd);
          keyStart = r.pos;
          r.pos = keyEnd;
        } else if (t === TAG_2_BYTES) {
          valEnd = r.bytesEnd(kvEnd);
          valStart = r.pos;
          r.pos = valEnd;
        } else r.skip(t & 7, kvEnd);
      }
      if (valStart >= 0 && bytesEqual(buf, keyStart, keyEnd, SERVICE_NAME)) {
        r.pos = valStart;
        while (r.pos < valEnd) {
          const t = r.uint32();
          if (t === TAG_1_BYTES) {
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
      if (tag === TAG_1_BYTES) {
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
      if (tag === TAG_2_BYTES) {
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
      if (tag === TAG_1_BYTES) {
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
      if (tag === TAG_2_BYTES) {
        const e = r.bytesEnd(end);
        exception = bytesEqual(buf, r.pos, e, EXCEPTION);
        r.pos = e;
      } else if (tag === 0x1a) {
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
      if (tag === 0x18) code = r.uint32();
      else if (tag === 0x08) deprecated = r.uint32();
      else r.skip(tag & 7, end);
    }
    if (code > 2) code = 0;
    return code === 0 && deprecated !== 0 ? STATUS_ERROR : code;
  }

  finish(partial: boolean, partialMessage: string | undefined): DecodedTrace {
    const raw = this.raw;
    if (raw.count === 0) throw notFound();
    const warnings: string[] = [];
    if (this.otherTraceIds > 0)
      warnings.push(`${this.otherTraceIds} spans carry a different trace ID than the first span.`);
    const tidLen = this.traceIdEnd - this.traceIdStart;
    let traceId = '0'.repeat(32);
    if (this.traceIdStart >= 0 && tidLen > 0 && tidLen <= 16) {
      traceId = bytesToHex(this.buf, this.traceIdStart, this.traceIdEnd, 32);
    } else warnings.push('No span carries a readable trace ID.');
    const built = buildModel({
      raw,
      names: this.names.values,
      services: this.services.values,
      traceId,
      ref: this.ref,
      partial,
      ...(partialMessage !== undefined ? { partialMessage } : {}),
      warnings,
    });
    if (built.rebase && !this.seed) {
      const again = new ProtoTraceDecoder(this.buf, built.rebase);
      again.tracesData(this.tracesStart, this.tracesEnd);
      return again.finish(partial, partialMessage);
    }
    const details = new ProtoDetails(
      this.buf,
      built.order,
      this.spanStart.trimmed(),
      this.spanEnd.trimmed(),
      this.spanScope.trimmed(),
      Int32Array.from(this.scopes),
      Int32Array.from(this.resources),
      this.refHi,
      this.refLo,
      built.startOffset,
    );
    const model = built.model;
    return {
      model,
      detail: (index: number) => details.detail(index, model),
    };
  }
}

/** Decodes attributes, events and links of one span from its remembered byte range. */
class ProtoDetails {
  private readonly r: ProtoReader;
  /** Start of the span being read, for events without a time. */
  private spanStartNs = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly order: Int32Array,
    private readonly spanStart: Uint32Array,
    private readonly spanEnd: Uint32Array,
    private readonly spanScope: Uint32Array,
    private readonly scopes: Int32Array,
    private readonly resources: Int32Array,
    private readonly refHi: number,
    private readonly refLo: number,
    private readonly startOffset: number,
  ) {
    this.r = new ProtoReader(buf);
  }

  /** A message read to `end` must stop exactly there: a field that ran past it was misread. */
  private ended(end: number): void {
    if (this.r.pos !== end) throw this.r.damaged('a field runs past the end of its message');
  }

  /** Span `index`'s detail; damaged bytes give a damaged detail, never an exception. */
  detail(index: number, model: TraceModel): SpanDetail | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) return undefined;
    try {
      return this.read(index, model.columns.startNs[index]!);
    } catch {
      return damagedDetail(index, model, Math.min(this.r.pos, this.buf.length), this.buf.length);
    }
  }

  /** The detail of span `index` (which starts `spanStartNs` into the trace); throws on damage. */
  private read(index: number, spanStartNs: number): SpanDetail {
    this.spanStartNs = spanStartNs;
    const rawIndex = this.order[index]!;
    const r = this.r;
    const buf = this.buf;
    const start = this.spanStart[rawIndex]!;
    const end = this.spanEnd[rawIndex]!;
    const words = new Uint32Array(2);
    const out: SpanDetail = {
      index,
      spanId: '',
      attributes: [],
      resource: [],
      scope: { name: '', attributes: [] },
      events: [],
      links: [],
    };
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if ((tag & 7) !== WireType.Bytes) {
        r.skip(tag & 7, end);
        continue;
      }
      const e = r.bytesEnd(end);
      const s = r.pos;
      switch (tag) {
        case SPAN_SPAN_ID:
          bytesToIdWords(buf, s, e, words);
          out.spanId = idWordsToHex(words[0]!, words[1]!);
          break;
        case SPAN_PARENT_ID:
          if (e > s) {
            bytesToIdWords(buf, s, e, words);
            out.parentSpanId = idWordsToHex(words[0]!, words[1]!);
          }
          break;
        case SPAN_ATTRIBUTES:
          out.attributes.push(this.keyValue(s, e));
          break;
        case SPAN_EVENTS:
          out.events.push(this.event(s, e));
          break;
        case SPAN_LINKS:
          out.links.push(this.link(s, e));
          break;
        case SPAN_STATUS: {
          const message = this.statusMessage(s, e);
          if (message) out.statusMessage = message;
          break;
        }
      }
      r.pos = e;
    }
    const scope = this.spanScope[rawIndex]!;
    const scopeStart = this.scopes[3 * scope]!;
    const scopeEnd = this.scopes[3 * scope + 1]!;
    const resource = this.scopes[3 * scope + 2]!;
    const resStart = this.resources[2 * resource]!;
    const resEnd = this.resources[2 * resource + 1]!;
    if (resStart >= 0) out.resource = this.attributesOf(resStart, resEnd, TAG_1_BYTES);
    if (scopeEnd >= scopeStart) this.scope(scopeStart, scopeEnd, out.scope);
    return out;
  }

  private attributesOf(start: number, end: number, tagWanted: number): Attribute[] {
    const r = this.r;
    const out: Attribute[] = [];
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === tagWanted) {
        const e = r.bytesEnd(end);
        out.push(this.keyValue(r.pos, e));
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    this.ended(end);
    return out;
  }

  private scope(start: number, end: number, out: SpanDetail['scope']): void {
    const r = this.r;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if ((tag & 7) !== WireType.Bytes) {
        r.skip(tag & 7, end);
        continue;
      }
      const e = r.bytesEnd(end);
      if (tag === 0x0a) out.name = utf8Text(this.buf, r.pos, e);
      else if (tag === 0x12) {
        const v = utf8Text(this.buf, r.pos, e);
        if (v) out.version = v;
      } else if (tag === 0x1a) out.attributes.push(this.keyValue(r.pos, e));
      r.pos = e;
    }
    this.ended(end);
  }

  private keyValue(start: number, end: number): Attribute {
    const r = this.r;
    let key = '';
    let value: AttributeValue = null;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === TAG_1_BYTES) {
        const e = r.bytesEnd(end);
        key = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === TAG_2_BYTES) {
        const e = r.bytesEnd(end);
        const plain = this.anyValue(r.pos, e, 0);
        value =
          plain === null ||
          typeof plain === 'string' ||
          typeof plain === 'number' ||
          typeof plain === 'boolean'
            ? plain
            : JSON.stringify(plain);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    this.ended(end);
    return { key, value };
  }

  /** An AnyValue as a plain JSON value. */
  private anyValue(start: number, end: number, depth: number): unknown {
    const r = this.r;
    const buf = this.buf;
    let value: unknown = null;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      switch (tag) {
        case 0x0a: {
          const e = r.bytesEnd(end);
          value = utf8Text(buf, r.pos, e);
          r.pos = e;
          break;
        }
        case 0x10:
          r.varint64();
          value = r.lo !== 0 || r.hi !== 0;
          break;
        case 0x18:
          r.varint64();
          value = int64(r.lo, r.hi);
          break;
        case 0x21:
          value = r.double();
          break;
        case 0x2a:
        case 0x32: {
          const e = r.bytesEnd(end);
          if (depth >= MAX_NESTING) {
            value = '[nested too deep]';
            r.pos = e;
            break;
          }
          const list: unknown[] = [];
          const map: Record<string, unknown> = {};
          while (r.pos < e) {
            const t = r.uint32();
            if (t !== TAG_1_BYTES) {
              r.skip(t & 7, e);
              continue;
            }
            const ie = r.bytesEnd(e);
            if (tag === 0x2a) list.push(this.anyValue(r.pos, ie, depth + 1));
            else {
              const kv = this.plainKeyValue(r.pos, ie, depth + 1);
              map[kv[0]] = kv[1];
            }
            r.pos = ie;
          }
          value = tag === 0x2a ? list : map;
          break;
        }
        case 0x3a: {
          const e = r.bytesEnd(end);
          value = bytesToBase64(buf, r.pos, e);
          r.pos = e;
          break;
        }
        default:
          r.skip(tag & 7, end);
      }
    }
    this.ended(end);
    return value;
  }

  private plainKeyValue(start: number, end: number, depth: number): [string, unknown] {
    const r = this.r;
    let key = '';
    let value: unknown = null;
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === TAG_1_BYTES) {
        const e = r.bytesEnd(end);
        key = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === TAG_2_BYTES) {
        const e = r.bytesEnd(end);
        value = this.anyValue(r.pos, e, depth);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    this.ended(end);
    return [key, value];
  }

  private event(start: number, end: number): SpanEvent {
    const r = this.r;
    // An event without a time is put at its span's start.
    const ev: SpanEvent = { name: '', timeNs: this.spanStartNs, attributes: [] };
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === 0x09) {
        r.fixed64();
        if (r.hi !== 0 || r.lo !== 0)
          ev.timeNs = (r.hi - this.refHi) * 4294967296 + (r.lo - this.refLo) - this.startOffset;
      } else if (tag === TAG_2_BYTES) {
        const e = r.bytesEnd(end);
        ev.name = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === 0x1a) {
        const e = r.bytesEnd(end);
        ev.attributes.push(this.keyValue(r.pos, e));
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    this.ended(end);
    return ev;
  }

  private link(start: number, end: number): SpanLink {
    const r = this.r;
    const link: SpanLink = { traceId: '', spanId: '', attributes: [] };
    const words = new Uint32Array(2);
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if ((tag & 7) !== WireType.Bytes) {
        r.skip(tag & 7, end);
        continue;
      }
      const e = r.bytesEnd(end);
      if (tag === 0x0a) link.traceId = e - r.pos <= 16 ? bytesToHex(this.buf, r.pos, e, 32) : '';
      else if (tag === 0x12) {
        bytesToIdWords(this.buf, r.pos, e, words);
        link.spanId = idWordsToHex(words[0]!, words[1]!);
      } else if (tag === 0x22) link.attributes.push(this.keyValue(r.pos, e));
      r.pos = e;
    }
    this.ended(end);
    return link;
  }

  private statusMessage(start: number, end: number): string {
    const r = this.r;
    let message = '';
    r.pos = start;
    while (r.pos < end) {
      const tag = r.uint32();
      if (tag === TAG_2_BYTES) {
        const e = r.bytesEnd(end);
        message = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else r.skip(tag & 7, end);
    }
    this.ended(end);
    return message;
  }
}

/** A signed 64-bit integer from two words: a number when exact, else its decimal string. */
function int64(lo: number, hi: number): number | string {
  if (hi < 0x200000) return hi * 4294967296 + lo;
  const big = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  const n = Number(big);
  return Number.isSafeInteger(n) ? n : big.toString();
}

/** Rejects protobuf input that cannot be a trace at all, before any work is done. */
export function assertProtoStart(buf: Uint8Array): void {
  if (buf.length === 0) throw notFound();
  const first = buf[0]!;
  if ((first & 7) === 3 || (first & 7) === 4 || (first & 7) > 5 || first >>> 3 === 0) {
    throw new TraceDecodeError(
      'malformed',
      `The body is neither JSON nor a protobuf trace (it starts with byte 0x${first.toString(16).padStart(2, '0')}).`,
    );
  }
}
