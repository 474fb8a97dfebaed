/**
 * The second part of the OTLP protobuf decoder: attributes, events, links, resource and scope of
 * one span, decoded on demand from the byte ranges the columns pass remembered.
 */
import type {
  Attribute,
  AttributeValue,
  SpanDetail,
  SpanEvent,
  SpanLink,
  TraceModel,
} from '../../shared/model';
import { bytesToBase64, bytesToHex, bytesToIdWords, idWordsToHex } from './ids';
import type { ProtoRanges } from './protoColumns';
import {
  ANY_ARRAY,
  ANY_BOOL,
  ANY_BYTES,
  ANY_DOUBLE,
  ANY_INT,
  ANY_KVLIST,
  ANY_STRING,
  EVENT_ATTRIBUTES,
  EVENT_NAME,
  EVENT_TIME,
  KEY_VALUE_KEY,
  KEY_VALUE_VALUE,
  LINK_ATTRIBUTES,
  LINK_SPAN_ID,
  LINK_TRACE_ID,
  LIST_VALUES,
  RESOURCE_ATTRIBUTES,
  SCOPE_ATTRIBUTES,
  SCOPE_NAME,
  SCOPE_VERSION,
  SPAN_ATTRIBUTES,
  SPAN_EVENTS,
  SPAN_LINKS,
  SPAN_PARENT_ID,
  SPAN_SPAN_ID,
  SPAN_STATUS,
  STATUS_MESSAGE,
} from './protoFields';
import { ProtoReader, utf8Text, WireType } from './protoReader';
import { damagedDetail } from './types';

const MAX_NESTING = 32;

/** Decodes attributes, events and links of one span from its remembered byte range. */
export class ProtoDetails {
  private readonly r: ProtoReader;
  /** Start of the span being read, for events without a time. */
  private spanStartNs = 0;
  private readonly spanStart: Uint32Array;
  private readonly spanEnd: Uint32Array;
  private readonly spanScope: Uint32Array;
  private readonly scopes: Int32Array;
  private readonly resources: Int32Array;

  /**
   * `order` maps depth-first indexes to arrival order (`BuiltTrace.order`); event times are
   * measured from `refHi`/`refLo` (the columns pass's time reference) less `startOffset`.
   */
  constructor(
    private readonly buf: Uint8Array,
    private readonly order: Int32Array,
    ranges: ProtoRanges,
    private readonly refHi: number,
    private readonly refLo: number,
    private readonly startOffset: number,
  ) {
    this.r = new ProtoReader(buf);
    this.spanStart = ranges.spanStart;
    this.spanEnd = ranges.spanEnd;
    this.spanScope = ranges.spanScope;
    this.scopes = ranges.scopes;
    this.resources = ranges.resources;
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
    if (resStart >= 0) out.resource = this.attributesOf(resStart, resEnd, RESOURCE_ATTRIBUTES);
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
      if (tag === SCOPE_NAME) out.name = utf8Text(this.buf, r.pos, e);
      else if (tag === SCOPE_VERSION) {
        const v = utf8Text(this.buf, r.pos, e);
        if (v) out.version = v;
      } else if (tag === SCOPE_ATTRIBUTES) out.attributes.push(this.keyValue(r.pos, e));
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
      if (tag === KEY_VALUE_KEY) {
        const e = r.bytesEnd(end);
        key = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === KEY_VALUE_VALUE) {
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
        case ANY_STRING: {
          const e = r.bytesEnd(end);
          value = utf8Text(buf, r.pos, e);
          r.pos = e;
          break;
        }
        case ANY_BOOL:
          r.varint64();
          value = r.lo !== 0 || r.hi !== 0;
          break;
        case ANY_INT:
          r.varint64();
          value = int64(r.lo, r.hi);
          break;
        case ANY_DOUBLE:
          value = r.double();
          break;
        case ANY_ARRAY:
        case ANY_KVLIST: {
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
            if (t !== LIST_VALUES) {
              r.skip(t & 7, e);
              continue;
            }
            const ie = r.bytesEnd(e);
            if (tag === ANY_ARRAY) list.push(this.anyValue(r.pos, ie, depth + 1));
            else {
              const kv = this.plainKeyValue(r.pos, ie, depth + 1);
              map[kv[0]] = kv[1];
            }
            r.pos = ie;
          }
          value = tag === ANY_ARRAY ? list : map;
          break;
        }
        case ANY_BYTES: {
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
      if (tag === KEY_VALUE_KEY) {
        const e = r.bytesEnd(end);
        key = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === KEY_VALUE_VALUE) {
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
      if (tag === EVENT_TIME) {
        r.fixed64();
        if (r.hi !== 0 || r.lo !== 0)
          ev.timeNs = (r.hi - this.refHi) * 4294967296 + (r.lo - this.refLo) - this.startOffset;
      } else if (tag === EVENT_NAME) {
        const e = r.bytesEnd(end);
        ev.name = utf8Text(this.buf, r.pos, e);
        r.pos = e;
      } else if (tag === EVENT_ATTRIBUTES) {
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
      if (tag === LINK_TRACE_ID) link.traceId = e - r.pos <= 16 ? bytesToHex(this.buf, r.pos, e, 32) : '';
      else if (tag === LINK_SPAN_ID) {
        bytesToIdWords(this.buf, r.pos, e, words);
        link.spanId = idWordsToHex(words[0]!, words[1]!);
      } else if (tag === LINK_ATTRIBUTES) link.attributes.push(this.keyValue(r.pos, e));
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
      if (tag === STATUS_MESSAGE) {
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
