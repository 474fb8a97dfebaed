/**
 * Fast path for Tempo/OTLP trace JSON given as bytes: a scanner that reads the span fields the
 * columns need straight from the UTF-8 bytes and skips everything else, without building the
 * object graph `JSON.parse` would (which costs more to allocate, walk and keep than to parse).
 * Each span's byte range is remembered and parsed with `JSON.parse` only in `detail(i)`.
 *
 * It reads the shapes Tempo and OTLP exporters produce. On anything it was not written for
 * (escaped keys, fractional times, entries that are not objects, a Jaeger document, invalid
 * JSON...) it gives up and returns undefined, and the caller decodes with `JSON.parse` instead,
 * which also words the errors. So it never has to be right about odd input, only to notice it.
 */
import { SpanFlag, StatusCode, type SpanDetail } from '../../shared/model';
import { buildModel } from './build';
import { B64_VALUE, bytesToHex, HEX_VALUE } from './ids';
import type { JsonObject } from './json';
import { GIVE_UP, JsonCursor } from './jsonCursor';
import { CODE_KEYS as CODE_KEY_NAMES, jsonSpanDetail } from './otlpJson';
import { ByteInterner } from './protoReader';
import { findJsonError } from './jsonError';
import { DecimalClock, RawSpans, U32List, type TimeRef } from './raw';
import { damagedDetail, type DecodedTrace } from './types';

const FLAG_ERROR: number = SpanFlag.Error;
const FLAG_HAS_CODE: number = SpanFlag.HasCode;
const STATUS_ERROR: number = StatusCode.Error;

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K = {
  batches: ascii('batches'),
  resourceSpans: ascii('resourceSpans'),
  resource_spans: ascii('resource_spans'),
  trace: ascii('trace'),
  status: ascii('status'),
  message: ascii('message'),
  data: ascii('data'),
  traces: ascii('traces'),
  resource: ascii('resource'),
  scopeSpans: ascii('scopeSpans'),
  scope_spans: ascii('scope_spans'),
  instrumentationLibrarySpans: ascii('instrumentationLibrarySpans'),
  instrumentation_library_spans: ascii('instrumentation_library_spans'),
  scope: ascii('scope'),
  instrumentationLibrary: ascii('instrumentationLibrary'),
  instrumentation_library: ascii('instrumentation_library'),
  spans: ascii('spans'),
  attributes: ascii('attributes'),
  key: ascii('key'),
  value: ascii('value'),
  stringValue: ascii('stringValue'),
  string_value: ascii('string_value'),
  serviceName: ascii('service.name'),
  traceId: ascii('traceId'),
  trace_id: ascii('trace_id'),
  spanId: ascii('spanId'),
  span_id: ascii('span_id'),
  parentSpanId: ascii('parentSpanId'),
  parent_span_id: ascii('parent_span_id'),
  name: ascii('name'),
  kind: ascii('kind'),
  startTimeUnixNano: ascii('startTimeUnixNano'),
  start_time_unix_nano: ascii('start_time_unix_nano'),
  endTimeUnixNano: ascii('endTimeUnixNano'),
  end_time_unix_nano: ascii('end_time_unix_nano'),
  events: ascii('events'),
  code: ascii('code'),
  deprecatedCode: ascii('deprecatedCode'),
  deprecated_code: ascii('deprecated_code'),
  exception: ascii('exception'),
  stacktrace: ascii('exception.stacktrace'),
  partial: ascii('PARTIAL'),
};
const CODE_KEYS = [...CODE_KEY_NAMES].map(ascii);
const KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
].map(ascii);
const STATUS_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'].map(ascii);

// The ID tables, bound here once: `id()` reads them for every byte of every ID, and run through
// tsx each read of another module's export is a getter call (see ids/detect.ts).
const HEX = HEX_VALUE;
const B64 = B64_VALUE;
/** Bytes the walker compares against (an enum, so they compile to literals; see jsonCursor.ts). */
const enum Byte {
  Digit0 = 0x30,
  Digit1 = 0x31,
  Equals = 0x3d,
  /** 'c', the first byte of every key in CODE_KEYS. */
  LowerC = 0x63,
}

const utf8 = new TextDecoder('utf-8');

/**
 * The document walker: reads a Tempo/OTLP JSON trace with the cursor it extends, filling the raw
 * columns and remembering every span's byte range for `detail(i)`.
 */
class TempoJsonScanner extends JsonCursor {
  readonly raw: RawSpans;
  readonly names = new ByteInterner();
  readonly services = new ByteInterner();
  readonly clock: DecimalClock;
  readonly unknownService: number;
  readonly emptyName: number;
  readonly spanStart = new U32List(1024);
  readonly spanEnd = new U32List(1024);
  readonly spanScope = new U32List(1024);
  /** Per scope: start, end (end 0: none), resource index. */
  readonly scopes = new U32List(1024);
  /** Per resource: start, end (end 0: none). */
  readonly resources = new U32List(1024);
  readonly idBytes = new Uint8Array(16);
  wordHi = 0;
  wordLo = 0;
  traceId0 = -1;
  traceId1 = -1;
  firstTraceHex = '';
  otherTraceIds = 0;
  sawSpans = false;
  partial = false;
  message: string | undefined;

  constructor(buf: Uint8Array, seed: TimeRef | undefined) {
    super(buf);
    this.clock = new DecimalClock(seed);
    this.raw = new RawSpans(Math.max(64, Math.ceil(buf.length / 900)));
    this.unknownService = this.services.internText('unknown service');
    this.emptyName = this.names.internText('');
  }

  // ---- document structure -------------------------------------------------------------------

  document(): void {
    this.ws();
    this.skipBom();
    this.traceObject(true);
    this.ws();
    if (this.pos !== this.buf.length) throw GIVE_UP;
  }

  /** The top-level object, or a v2 envelope's `trace`. */
  private traceObject(top: boolean): void {
    if (!this.openObject()) return;
    do {
      this.key();
      if (this.is(K.batches) || this.is(K.resourceSpans) || this.is(K.resource_spans)) {
        this.sawSpans = true;
        if (this.openArray()) {
          do this.resourceSpans();
          while (this.moreElements());
        }
      } else if (top && this.is(K.trace)) {
        this.ws();
        if (!this.atObject()) throw GIVE_UP;
        this.traceObject(false);
      } else if (top && this.is(K.status)) {
        this.ws();
        if (this.atString()) {
          this.string();
          this.partial = this.is(K.partial);
        } else {
          const p = this.pos;
          this.skip();
          this.partial = this.pos - p === 1 && this.buf[p] === Byte.Digit1;
        }
      } else if (top && this.is(K.message)) {
        this.ws();
        if (this.atString()) {
          this.string();
          this.message = this.text();
        } else this.skip();
      } else if (top && (this.is(K.data) || this.is(K.traces))) {
        throw GIVE_UP; // Jaeger, or a search result
      } else this.skip();
    } while (this.moreMembers());
  }

  private resourceSpans(): void {
    const firstSpan = this.raw.count;
    const resourceIndex = this.resources.length >> 1;
    let service = -1;
    let resStart = 0;
    let resEnd = 0;
    if (!this.openObject()) throw GIVE_UP;
    do {
      this.key();
      if (this.is(K.resource)) {
        this.ws();
        resStart = this.pos;
        service = this.resource();
        resEnd = this.pos;
      } else if (
        this.is(K.scopeSpans) ||
        this.is(K.scope_spans) ||
        this.is(K.instrumentationLibrarySpans) ||
        this.is(K.instrumentation_library_spans)
      ) {
        if (this.openArray()) {
          do this.scopeSpans(resourceIndex);
          while (this.moreElements());
        }
      } else this.skip();
    } while (this.moreMembers());
    this.resources.push(resStart);
    this.resources.push(resEnd);
    // The resource may come after the spans; their service is set once the batch is read.
    const s = service >= 0 ? service : this.unknownService;
    for (let i = firstSpan; i < this.raw.count; i++) this.raw.service[i] = s;
  }

  /**
   * Reads a Resource object; returns the interned `service.name`, or -1. Attribute values are
   * only skipped over, and `service.name`'s read, so damage inside another value is that value's
   * (shown in the details of the resource's spans), as in the protobuf decoder.
   */
  private resource(): number {
    let service = -1;
    if (!this.openObject()) return service;
    do {
      this.key();
      if (this.is(K.attributes)) {
        if (!this.openArray()) continue;
        do {
          let isService = false;
          let valueAt = -1;
          if (!this.openObject()) continue;
          do {
            this.key();
            if (this.is(K.key)) {
              this.expectString();
              isService = this.is(K.serviceName);
            } else if (this.is(K.value)) {
              this.ws();
              valueAt = this.pos;
              this.skip();
            } else this.skip();
          } while (this.moreMembers());
          if (isService && valueAt >= 0) {
            const after = this.pos;
            this.pos = valueAt;
            const value = this.stringValue();
            this.pos = after;
            if (value && this.s1 > this.s0) {
              service = this.escaped
                ? this.services.internText(this.text())
                : this.services.intern(this.buf, this.s0, this.s1);
            }
          }
        } while (this.moreElements());
      } else this.skip();
    } while (this.moreMembers());
    return service;
  }

  /**
   * An AnyValue; true when it holds a `stringValue`, whose content range is then left in
   * s0/s1/escaped.
   */
  private stringValue(): boolean {
    let found = false;
    let v0 = 0;
    let v1 = 0;
    let escaped = false;
    if (!this.openObject()) return false;
    do {
      this.key();
      if (this.is(K.stringValue) || this.is(K.string_value)) {
        this.expectString();
        found = true;
        v0 = this.s0;
        v1 = this.s1;
        escaped = this.escaped;
      } else this.skip();
    } while (this.moreMembers());
    this.s0 = v0;
    this.s1 = v1;
    this.escaped = escaped;
    return found;
  }

  private scopeSpans(resourceIndex: number): void {
    const scopeIndex = this.scopes.length / 3;
    let scopeStart = 0;
    let scopeEnd = 0;
    if (!this.openObject()) throw GIVE_UP;
    do {
      this.key();
      if (this.is(K.scope) || this.is(K.instrumentationLibrary) || this.is(K.instrumentation_library)) {
        this.ws();
        scopeStart = this.pos;
        this.skip();
        scopeEnd = this.pos;
      } else if (this.is(K.spans)) {
        if (this.openArray()) {
          do this.span(scopeIndex);
          while (this.moreElements());
        }
      } else this.skip();
    } while (this.moreMembers());
    this.scopes.push(scopeStart);
    this.scopes.push(scopeEnd);
    this.scopes.push(resourceIndex);
  }

  private span(scopeIndex: number): void {
    const raw = this.raw;
    const buf = this.buf;
    this.ws();
    const start = this.pos;
    if (!this.atObject()) throw GIVE_UP;
    const i = raw.add();
    raw.name[i] = this.emptyName;
    let flags = 0;
    let status = 0;
    let hasStart = false;
    let hasEnd = false;
    let hasId = false;
    let hasTraceId = false;
    if (this.openObject()) {
      do {
        this.key();
        const len = this.s1 - this.s0;
        switch (len) {
          case 4:
            if (this.is(K.name)) {
              this.expectString();
              raw.name[i] = this.escaped
                ? this.names.internText(this.text())
                : this.names.intern(buf, this.s0, this.s1);
            } else if (this.is(K.kind)) raw.kind[i] = this.enumValue(KIND_NAMES);
            else this.skip();
            break;
          case 6:
            if (this.is(K.spanId)) hasId = this.spanId(i);
            else if (this.is(K.events)) flags |= this.events();
            else if (this.is(K.status)) status = this.status();
            else this.skip();
            break;
          case 7:
            if (this.is(K.traceId)) hasTraceId = this.traceId();
            else if (this.is(K.span_id)) hasId = this.spanId(i);
            else this.skip();
            break;
          case 8:
            if (this.is(K.trace_id)) hasTraceId = this.traceId();
            else this.skip();
            break;
          case 10:
            if (this.is(K.attributes)) {
              if (this.codeAttributes()) flags |= FLAG_HAS_CODE;
            } else this.skip();
            break;
          case 12:
          case 14:
            if (this.is(K.parentSpanId) || this.is(K.parent_span_id)) this.parentId(i);
            else this.skip();
            break;
          case 15:
          case 18:
            if (this.is(K.endTimeUnixNano) || this.is(K.end_time_unix_nano)) {
              raw.end[i] = this.time();
              hasEnd = true;
            } else this.skip();
            break;
          case 17:
          case 20:
            if (this.is(K.startTimeUnixNano) || this.is(K.start_time_unix_nano)) {
              raw.start[i] = this.time();
              hasStart = true;
            } else this.skip();
            break;
          default:
            this.skip();
        }
      } while (this.moreMembers());
    }
    // Missing times, odd IDs and the like are for the tolerant decoder to report.
    if (!hasStart || !hasEnd || !hasId || !hasTraceId) throw GIVE_UP;
    raw.status[i] = status;
    if (status === STATUS_ERROR) flags |= FLAG_ERROR;
    raw.flags[i] = flags;
    this.spanStart.push(start);
    this.spanEnd.push(this.pos);
    this.spanScope.push(scopeIndex);
  }

  /** An ID string into `wordHi`/`wordLo` (last 8 bytes); gives up on anything but hex or base64. */
  id(): number {
    this.expectString();
    if (this.escaped) throw GIVE_UP;
    const buf = this.buf;
    const s0 = this.s0;
    const n = this.s1 - s0;
    const out = this.idBytes;
    let bytes = 0;
    let hex = n === 16 || n === 32;
    if (hex) {
      for (let k = 0; k < n; k++) {
        if (HEX[buf[s0 + k]!]! < 0) {
          hex = false;
          break;
        }
      }
    }
    if (hex) {
      bytes = n >> 1;
      for (let k = 0; k < bytes; k++) out[k] = (HEX[buf[s0 + 2 * k]!]! << 4) | HEX[buf[s0 + 2 * k + 1]!]!;
    } else {
      let end = this.s1;
      while (end > s0 && buf[end - 1] === Byte.Equals) end--;
      let acc = 0;
      let bits = 0;
      for (let k = s0; k < end; k++) {
        const v = B64[buf[k]!]!;
        if (v < 0) throw GIVE_UP;
        acc = ((acc << 6) | v) & 0xffffff;
        bits += 6;
        if (bits >= 8) {
          bits -= 8;
          if (bytes >= 16) throw GIVE_UP;
          out[bytes++] = (acc >> bits) & 0xff;
        }
      }
    }
    let hi = 0;
    let lo = 0;
    for (let k = Math.max(0, bytes - 8); k < bytes; k++) {
      hi = ((hi << 8) | (lo >>> 24)) >>> 0;
      lo = ((lo << 8) | out[k]!) >>> 0;
    }
    this.wordHi = hi;
    this.wordLo = lo;
    return bytes;
  }

  private spanId(i: number): boolean {
    if (this.id() === 0) throw GIVE_UP;
    this.raw.idHi[i] = this.wordHi;
    this.raw.idLo[i] = this.wordLo;
    return true;
  }

  private parentId(i: number): void {
    if (this.id() === 0) return; // "" means a root
    this.raw.parentHi[i] = this.wordHi;
    this.raw.parentLo[i] = this.wordLo;
    this.raw.hasParent[i] = 1;
  }

  private traceId(): true {
    this.ws();
    if (!this.atString()) throw GIVE_UP;
    const save = this.pos;
    this.string();
    if (this.traceId0 < 0) {
      this.traceId0 = this.s0;
      this.traceId1 = this.s1;
      this.pos = save;
      const n = this.id();
      if (n === 0) throw GIVE_UP;
      this.firstTraceHex = bytesToHex(this.idBytes, 0, n, 32);
      return true;
    }
    const n = this.s1 - this.s0;
    const buf = this.buf;
    let same = n === this.traceId1 - this.traceId0;
    for (let k = 0; same && k < n; k++) if (buf[this.s0 + k] !== buf[this.traceId0 + k]) same = false;
    if (!same) {
      // Different bytes may still be the same ID (hex here, base64 there).
      const end = this.pos;
      this.pos = save;
      const len = this.id();
      this.pos = end;
      if (len === 0 || bytesToHex(this.idBytes, 0, len, 32) !== this.firstTraceHex) this.otherTraceIds++;
    }
    return true;
  }

  /** A decimal string or integer of Unix nanoseconds, as an offset. */
  private time(): number {
    this.ws();
    const buf = this.buf;
    let p = this.pos;
    let end: number;
    if (this.atString()) {
      this.string();
      if (this.escaped) throw GIVE_UP;
      p = this.s0;
      end = this.s1;
    } else {
      this.skip();
      end = this.pos;
    }
    const len = end - p;
    if (len === 0 || len > 28) throw GIVE_UP;
    const split = end - 9;
    let sec = 0;
    let ns = 0;
    for (; p < end; p++) {
      const d = buf[p]! - Byte.Digit0;
      if (d < 0 || d > 9) throw GIVE_UP; // fractions, exponents, signs: the tolerant decoder
      if (p < split) sec = sec * 10 + d;
      else ns = ns * 10 + d;
    }
    return this.clock.parts(sec, ns);
  }

  /** An enum as a name from `names` or a small integer (as a number or numeric string). */
  private enumValue(names: Uint8Array[]): number {
    this.ws();
    const buf = this.buf;
    if (this.atString()) {
      this.string();
      for (let k = 0; k < names.length; k++) if (this.is(names[k]!)) return k;
      const n = this.s1 - this.s0;
      const d = buf[this.s0]! - Byte.Digit0;
      if (n === 1 && d >= 0 && d < names.length) return d;
      return 0;
    }
    const p = this.pos;
    this.skip();
    const d = buf[p]! - Byte.Digit0;
    return this.pos - p === 1 && d >= 0 && d < names.length ? d : 0;
  }

  private status(): number {
    let code = 0;
    let deprecated = false;
    this.ws();
    if (!this.atObject()) {
      this.skip();
      return 0;
    }
    if (!this.openObject()) return 0;
    do {
      this.key();
      if (this.is(K.code)) code = this.enumValue(STATUS_NAMES);
      else if (this.is(K.deprecatedCode) || this.is(K.deprecated_code)) {
        this.ws();
        const p = this.pos;
        this.skip();
        const t = utf8.decode(this.buf.subarray(p, this.pos));
        deprecated = t !== '0' && t !== '"DEPRECATED_STATUS_CODE_OK"' && t !== '"0"';
      } else this.skip();
    } while (this.moreMembers());
    return code === 0 && deprecated ? STATUS_ERROR : code;
  }

  /** Reads an attribute list; true when a `code.*` location key is among them. */
  private codeAttributes(): boolean {
    let found = false;
    if (!this.openArray()) return false;
    do {
      if (!this.openObject()) continue;
      do {
        this.key();
        if (this.s1 - this.s0 === 3 && this.is(K.key)) {
          this.expectString();
          const len = this.s1 - this.s0;
          if (!found && (len === 13 || len === 14 || len === 18) && this.buf[this.s0] === Byte.LowerC) {
            for (const k of CODE_KEYS) if (this.is(k)) found = true;
          }
        } else this.skip();
      } while (this.moreMembers());
    } while (this.moreElements());
    return found;
  }

  /** Reads a span's events; Error (and HasCode for a stack trace) if one is an `exception`. */
  private events(): number {
    let flags = 0;
    if (!this.openArray()) return 0;
    do {
      let exception = false;
      let stack = false;
      if (!this.openObject()) continue;
      do {
        this.key();
        if (this.is(K.name)) {
          this.expectString();
          exception = this.is(K.exception);
        } else if (this.is(K.attributes)) {
          if (!this.openArray()) continue;
          do {
            if (!this.openObject()) continue;
            do {
              this.key();
              if (this.is(K.key)) {
                this.expectString();
                if (this.is(K.stacktrace)) stack = true;
              } else this.skip();
            } while (this.moreMembers());
          } while (this.moreElements());
        } else this.skip();
      } while (this.moreMembers());
      if (exception) flags |= FLAG_ERROR | (stack ? FLAG_HAS_CODE : 0);
    } while (this.moreElements());
    return flags;
  }
}

/**
 * Decodes Tempo/OTLP JSON bytes with the scanner, or returns undefined when the input is not
 * something it reads with certainty (the caller then uses the `JSON.parse` decoder).
 *
 * What the columns need is read and checked; values it only skips (attribute values, links,
 * scopes) are checked for their extent alone, so damage inside one (a bad escape, a stray token)
 * shows as that span's damaged detail, as a damaged field inside a protobuf span does.
 */
export function scanTempoJson(buf: Uint8Array, seed?: TimeRef): DecodedTrace | undefined {
  const sc = new TempoJsonScanner(buf, seed);
  try {
    sc.document();
  } catch (err) {
    if (err === GIVE_UP) return undefined;
    throw err;
  }
  const raw = sc.raw;
  if (!sc.sawSpans || raw.count === 0 || sc.traceId0 < 0) return undefined;
  const warnings: string[] = [];
  if (sc.otherTraceIds > 0)
    warnings.push(`${sc.otherTraceIds} spans carry a different trace ID than the first span.`);
  const traceId = sc.firstTraceHex;
  const partialMessage = sc.partial ? sc.message || 'Tempo returned a partial trace.' : undefined;
  const built = buildModel({
    raw,
    names: sc.names.values,
    services: sc.services.values,
    traceId,
    ref: sc.clock.ref,
    partial: sc.partial,
    ...(partialMessage !== undefined ? { partialMessage } : {}),
    warnings,
  });
  if (built.rebase && !seed) return scanTempoJson(buf, built.rebase);
  const { model, order, startOffset } = built;
  const spanStart = sc.spanStart.trimmed();
  const spanEnd = sc.spanEnd.trimmed();
  const spanScope = sc.spanScope.trimmed();
  const scopes = sc.scopes.trimmed();
  const resources = sc.resources.trimmed();
  const clock = sc.clock;
  /** The object at `buf[start, end)` (undefined if absent), or where it stops being JSON. */
  const parseRange = (start: number, end: number): { obj?: JsonObject; damagedAt?: number } => {
    if (end <= start) return {};
    try {
      const o: unknown = JSON.parse(utf8.decode(buf.subarray(start, end)));
      return typeof o === 'object' && o !== null && !Array.isArray(o) ? { obj: o as JsonObject } : {};
    } catch {
      return { damagedAt: start + (findJsonError(buf.subarray(start, end))?.at ?? 0) };
    }
  };
  // Resources and scopes are shared by many spans: parsed once; spans are parsed each time.
  const shared = new Map<number, ReturnType<typeof parseRange>>();
  const parseShared = (start: number, end: number): ReturnType<typeof parseRange> => {
    let p = shared.get(start);
    if (!p) shared.set(start, (p = parseRange(start, end)));
    return p;
  };
  return {
    model,
    detail(index: number): SpanDetail | undefined {
      if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) return undefined;
      const r = order[index]!;
      const span = parseRange(spanStart[r]!, spanEnd[r]!);
      const scope = spanScope[r]!;
      const resource = scopes[3 * scope + 2]!;
      const res = parseShared(resources[2 * resource]!, resources[2 * resource + 1]!);
      const sco = parseShared(scopes[3 * scope]!, scopes[3 * scope + 1]!);
      const bad = span.damagedAt ?? res.damagedAt ?? sco.damagedAt;
      if (bad !== undefined || !span.obj)
        return damagedDetail(index, model, bad ?? spanStart[r]!, buf.length);
      return jsonSpanDetail(index, model, span.obj, res.obj, sco.obj, clock, startOffset);
    },
  };
}
