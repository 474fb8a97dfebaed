/**
 * Decoder for OTLP traces as JSON, in every shape Tempo and OTLP exporters produce:
 * Tempo v1 `{"batches":[...]}`, the Tempo v2 envelope `{"trace":{"resourceSpans":[...]},
 * "status":"PARTIAL","message":...}`, Tempo 1.x `instrumentationLibrarySpans`, and the OTLP/JSON
 * spec form (hex IDs, integer enums). IDs may be hex or base64, enums names or numbers, int64
 * strings or numbers, keys camelCase or snake_case.
 *
 * The spans' parsed objects are kept for `detail(i)`; only the columns are converted up front.
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
import { bytesToHex, bytesToIdWords, idStringToBytes, idWordsToHex } from './ids';
import * as json from './json';
import type { JsonObject } from './json';
import { DecimalClock, RawSpans, StringTable, type TimeRef } from './raw';
import { TraceDecodeError, type DecodedTrace } from './types';

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const STATUS_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

/** Keys whose presence means a span can be linked to source code. */
export const CODE_KEYS: ReadonlySet<string> = new Set([
  'code.filepath',
  'code.file.path',
  'code.function',
  'code.function.name',
]);

// Helpers bound once: a per-file transpiler (tsx in tests and benchmarks) turns each call of an
// imported function into a getter call, which shows up when it runs 20 times per span.
const { arr, get, obj, str, typeName } = json;

// Enum members read once (see build.ts).
const FLAG_ERROR: number = SpanFlag.Error;
const FLAG_HAS_CODE: number = SpanFlag.HasCode;
const STATUS_ERROR: number = StatusCode.Error;

const B64 = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++)
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
B64[45] = 62; // base64url '-'
B64[95] = 63; // base64url '_'

/** Words of the ID read by `fastIdWords`. */
let wordHi = 0;
let wordLo = 0;

/**
 * The common case of a span ID, 12 base64 characters ("rCt5Yb8kOX0="), straight to two words;
 * false for anything else (the caller falls back to the general decoder).
 */
function fastIdWords(s: string): boolean {
  if (s.length !== 12 || s.charCodeAt(11) !== 61) return false;
  let acc = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64[c]! : -1;
    if (v < 0) return false;
    acc = acc * 64 + v;
  }
  // 24 bits in acc; the next 4 characters give 24 more, the last 3 give 18 (16 used).
  let acc2 = 0;
  for (let i = 4; i < 8; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64[c]! : -1;
    if (v < 0) return false;
    acc2 = acc2 * 64 + v;
  }
  let acc3 = 0;
  for (let i = 8; i < 11; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64[c]! : -1;
    if (v < 0) return false;
    acc3 = acc3 * 64 + v;
  }
  // Bytes: acc = b0 b1 b2, acc2 = b3 b4 b5, acc3 >> 2 = b6 b7.
  wordHi = ((acc << 8) | (acc2 >>> 16)) >>> 0;
  wordLo = (((acc2 & 0xffff) << 16) | (acc3 >>> 2)) >>> 0;
  return true;
}

/** An enum given as a name, a number or a numeric string; unknown values read as 0. */
function enumValue(v: unknown, names: Record<string, number>, max: number): number {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= max ? v : 0;
  if (typeof v === 'string') {
    const named = names[v];
    if (named !== undefined) return named;
    const n = Number(v);
    return Number.isInteger(n) && n >= 0 && n <= max ? n : 0;
  }
  return 0;
}

/** Span status, including Tempo 1.x's `deprecatedCode` (any non-OK deprecated code is an error). */
function statusCode(status: JsonObject | undefined): number {
  if (!status) return StatusCode.Unset;
  const code = enumValue(get(status, 'code', 'code'), STATUS_NAMES, 2);
  if (code !== StatusCode.Unset) return code;
  const dep = get(status, 'deprecatedCode', 'deprecated_code');
  if (dep === undefined || dep === 0 || dep === 'DEPRECATED_STATUS_CODE_OK') return StatusCode.Unset;
  return StatusCode.Error;
}

/** Converts an int64 (string or number) to a number when exact, else keeps the decimal string. */
function intValue(v: unknown): AttributeValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  return null;
}

/** Arrays and maps nested deeper than this show as a marker (as in the protobuf decoder). */
const MAX_NESTING = 32;

/** An AnyValue as a plain JSON value (for nesting inside arrays and maps). */
function plainValue(v: unknown, depth = 0): unknown {
  const o = obj(v);
  if (!o) return null;
  let x = get(o, 'stringValue', 'string_value');
  if (x !== undefined) return x;
  x = get(o, 'boolValue', 'bool_value');
  if (x !== undefined) return x;
  x = get(o, 'intValue', 'int_value');
  if (x !== undefined) return intValue(x);
  x = get(o, 'doubleValue', 'double_value');
  if (x !== undefined) return typeof x === 'string' ? Number(x) : x;
  x = get(o, 'arrayValue', 'array_value');
  if (x !== undefined) {
    if (depth >= MAX_NESTING) return '[nested too deep]';
    return (arr(obj(x)?.values) ?? []).map((item) => plainValue(item, depth + 1));
  }
  x = get(o, 'kvlistValue', 'kvlist_value');
  if (x !== undefined) {
    if (depth >= MAX_NESTING) return '[nested too deep]';
    const out: Record<string, unknown> = {};
    for (const kv of arr(obj(x)?.values) ?? []) {
      const k = obj(kv);
      if (k) out[String(k.key)] = plainValue(k.value, depth + 1);
    }
    return out;
  }
  x = get(o, 'bytesValue', 'bytes_value');
  if (x !== undefined) return x;
  return null;
}

/** An AnyValue as shown to a person: scalars as they are, arrays and maps as JSON text. */
export function jsonAttributeValue(v: unknown): AttributeValue {
  const p = plainValue(v);
  if (p === null || typeof p === 'string' || typeof p === 'number' || typeof p === 'boolean') return p;
  return JSON.stringify(p);
}

/** A KeyValue list as attributes. */
export function jsonAttributes(v: unknown): Attribute[] {
  const list = arr(v);
  if (!list) return [];
  const out: Attribute[] = [];
  for (const kv of list) {
    const o = obj(kv);
    if (!o) continue;
    out.push({ key: str(o.key) ?? String(o.key), value: jsonAttributeValue(o.value) });
  }
  return out;
}

/** The string value of attribute `key` in a KeyValue list, if it is a string. */
function stringAttribute(list: unknown, key: string): string | undefined {
  const a = arr(list);
  if (!a) return undefined;
  for (const kv of a) {
    const o = obj(kv);
    if (o && o.key === key) {
      const v = obj(o.value);
      return v ? str(get(v, 'stringValue', 'string_value')) : undefined;
    }
  }
  return undefined;
}

/** Error and HasCode flags from a span's attributes and events. */
function spanFlags(span: JsonObject, status: number): number {
  let f = status === STATUS_ERROR ? FLAG_ERROR : 0;
  const attrs = span.attributes;
  if (Array.isArray(attrs)) {
    for (let k = 0; k < attrs.length; k++) {
      const key = (attrs[k] as JsonObject | null)?.key;
      if (typeof key !== 'string') continue;
      const len = key.length;
      // code.filepath / code.function (13), code.file.path (14), code.function.name (18)
      if ((len === 13 || len === 14 || len === 18) && key.charCodeAt(0) === 99 && CODE_KEYS.has(key)) {
        f |= FLAG_HAS_CODE;
        break;
      }
    }
  }
  const events = span.events;
  if (Array.isArray(events)) {
    for (let k = 0; k < events.length; k++) {
      const e = obj(events[k]);
      if (e && e.name === 'exception') {
        f |= FLAG_ERROR;
        if (stringAttribute(e.attributes, 'exception.stacktrace') !== undefined) f |= FLAG_HAS_CODE;
      }
    }
  }
  return f;
}

/**
 * Parsed JSON of an OTLP/Tempo trace → decoded trace. `seed`: the time reference to measure
 * from (set when a first decode found its reference was an outlier; see `BuiltTrace.rebase`).
 */
export function decodeOtlpJson(doc: unknown, seed?: TimeRef): DecodedTrace {
  const top = obj(doc);
  if (!top)
    throw new TraceDecodeError(
      'malformed',
      `The trace JSON is ${typeName(doc)}, not an object with resourceSpans or batches.`,
    );
  let partial = false;
  let partialMessage: string | undefined;
  let trace = top;
  if ('trace' in top) {
    // Tempo v2 envelope; a missing trace is `{"trace":{}}` (200, not 404).
    const t = top.trace;
    if (t === null || t === undefined) throw notFound();
    const to = obj(t);
    if (!to)
      throw new TraceDecodeError(
        'malformed',
        `The Tempo v2 response's "trace" is ${typeName(t)}, not an object.`,
      );
    trace = to;
    const status = top.status;
    partial = status === 'PARTIAL' || status === 1;
    const message = str(top.message);
    if (partial) partialMessage = message && message.length > 0 ? message : 'Tempo returned a partial trace.';
  }
  let batches = trace.batches ?? get(trace, 'resourceSpans', 'resource_spans');
  if (batches === undefined || batches === null) {
    if (Object.keys(trace).length === 0) throw notFound();
    throw new TraceDecodeError(
      'malformed',
      `The JSON has none of "batches", "resourceSpans" or "trace" (keys: ${Object.keys(trace).slice(0, 5).join(', ')}); it is not a Tempo or OTLP trace.`,
    );
  }
  if (!Array.isArray(batches)) {
    throw new TraceDecodeError(
      'malformed',
      `The trace's "batches"/"resourceSpans" is ${typeName(batches)}, not an array.`,
    );
  }
  batches = batches as unknown[];

  // Count the spans first so the columns are allocated once, at their final size.
  let total = 0;
  for (const b of batches as unknown[]) {
    const batch = obj(b);
    const list = batch
      ? (get(batch, 'scopeSpans', 'scope_spans') ??
        get(batch, 'instrumentationLibrarySpans', 'instrumentation_library_spans'))
      : undefined;
    if (!Array.isArray(list)) continue;
    for (const ss of list) {
      const spans = obj(ss)?.spans;
      if (Array.isArray(spans)) total += spans.length;
    }
  }
  const raw = new RawSpans(total);
  const names = new StringTable();
  const services = new StringTable();
  const clock = new DecimalClock(seed);
  const warnings: string[] = [];
  const spans: JsonObject[] = new Array<JsonObject>(total);
  const spanResource = new Uint32Array(total);
  const spanScope = new Uint32Array(total);
  const resources: (JsonObject | undefined)[] = [];
  const scopes: (JsonObject | undefined)[] = [];
  const idBuf = new Uint8Array(64);
  const words = new Uint32Array(2);
  let traceIdRaw: unknown = undefined;
  let traceId = '';
  let otherTraceIds = 0;
  let badIds = 0;
  let skipped = 0;

  for (const b of batches as unknown[]) {
    const batch = obj(b);
    if (!batch) {
      skipped++;
      continue;
    }
    const resource = obj(batch.resource);
    const resourceIndex = resources.length;
    resources.push(resource);
    const service = services.intern(
      stringAttribute(resource?.attributes, 'service.name') || 'unknown service',
    );
    const scopeList =
      get(batch, 'scopeSpans', 'scope_spans') ??
      get(batch, 'instrumentationLibrarySpans', 'instrumentation_library_spans');
    for (const ss of arr(scopeList) ?? []) {
      const scopeSpans = obj(ss);
      if (!scopeSpans) {
        skipped++;
        continue;
      }
      const scopeIndex = scopes.length;
      scopes.push(
        obj(scopeSpans.scope ?? get(scopeSpans, 'instrumentationLibrary', 'instrumentation_library')),
      );
      for (const sp of arr(scopeSpans.spans) ?? []) {
        const span = obj(sp);
        if (!span) {
          skipped++;
          continue;
        }
        const i = raw.add();
        spans[i] = span;
        spanResource[i] = resourceIndex;
        spanScope[i] = scopeIndex;

        const tid = get(span, 'traceId', 'trace_id');
        if (tid !== traceIdRaw) {
          const t = typeof tid === 'string' ? idStringToBytes(tid, idBuf) : -1;
          const hex = t > 0 && t <= 16 ? bytesToHex(idBuf, 0, t, 32) : '';
          if (traceIdRaw === undefined && hex) {
            traceIdRaw = tid;
            traceId = hex;
          } else if (hex !== traceId) otherTraceIds++;
        }

        const sid = get(span, 'spanId', 'span_id');
        if (typeof sid === 'string' && fastIdWords(sid)) {
          raw.idHi[i] = wordHi;
          raw.idLo[i] = wordLo;
        } else {
          const sn = typeof sid === 'string' ? idStringToBytes(sid, idBuf) : -1;
          if (sn > 0) {
            bytesToIdWords(idBuf, 0, sn, words);
            raw.idHi[i] = words[0]!;
            raw.idLo[i] = words[1]!;
          } else badIds++;
        }

        const pid = get(span, 'parentSpanId', 'parent_span_id');
        if (typeof pid === 'string' && fastIdWords(pid)) {
          raw.parentHi[i] = wordHi;
          raw.parentLo[i] = wordLo;
          raw.hasParent[i] = 1;
        } else if (typeof pid === 'string' && pid.length > 0) {
          const pn = idStringToBytes(pid, idBuf);
          if (pn > 0) {
            bytesToIdWords(idBuf, 0, pn, words);
            raw.parentHi[i] = words[0]!;
            raw.parentLo[i] = words[1]!;
            raw.hasParent[i] = 1;
          } else badIds++;
        }

        const name = span.name;
        raw.name[i] = names.intern(typeof name === 'string' ? name : '');
        raw.service[i] = service;
        raw.kind[i] = enumValue(span.kind, KIND_NAMES, 5);
        raw.start[i] = clock.offset(get(span, 'startTimeUnixNano', 'start_time_unix_nano'));
        raw.end[i] = clock.offset(get(span, 'endTimeUnixNano', 'end_time_unix_nano'));
        const status = statusCode(obj(span.status));
        raw.status[i] = status;
        raw.flags[i] = spanFlags(span, status);
      }
    }
  }

  if (raw.count === 0) throw notFound();
  if (skipped > 0) warnings.push(`${skipped} entries that were not objects were skipped.`);
  if (badIds > 0)
    warnings.push(`${badIds} span or parent IDs were neither hex nor base64 and were read as zero.`);
  if (otherTraceIds > 0)
    warnings.push(`${otherTraceIds} spans carry a different trace ID than the first span.`);
  if (!traceId) warnings.push('No span carries a readable trace ID.');

  const built = buildModel({
    raw,
    names: names.values,
    services: services.values,
    traceId: traceId || '0'.repeat(32),
    ref: clock.ref,
    partial,
    ...(partialMessage !== undefined ? { partialMessage } : {}),
    warnings,
  });
  if (built.rebase && !seed) return decodeOtlpJson(doc, built.rebase);
  const { model, order, startOffset } = built;

  return {
    model,
    detail(index: number): SpanDetail | undefined {
      if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) return undefined;
      const r = order[index]!;
      return jsonSpanDetail(
        index,
        model,
        spans[r]!,
        resources[spanResource[r]!],
        scopes[spanScope[r]!],
        clock,
        startOffset,
      );
    },
  };
}

const detailIdBuf = new Uint8Array(64);
const detailWords = new Uint32Array(2);

function toHex16(v: unknown): string | undefined {
  if (typeof v !== 'string' || v.length === 0) return undefined;
  const n = idStringToBytes(v, detailIdBuf);
  if (n <= 0) return undefined;
  bytesToIdWords(detailIdBuf, 0, n, detailWords);
  return idWordsToHex(detailWords[0]!, detailWords[1]!);
}

function toTraceHex(v: unknown): string {
  if (typeof v !== 'string') return '';
  const n = idStringToBytes(v, detailIdBuf);
  return n > 0 && n <= 16 ? bytesToHex(detailIdBuf, 0, n, 32) : '';
}

/** The detail of span `index` from its parsed JSON object and those of its resource and scope. */
export function jsonSpanDetail(
  index: number,
  model: TraceModel,
  span: JsonObject,
  resource: JsonObject | undefined,
  scope: JsonObject | undefined,
  clock: DecimalClock,
  startOffset: number,
): SpanDetail {
  const events: SpanEvent[] = [];
  for (const ev of arr(span.events) ?? []) {
    const e = obj(ev);
    if (!e) continue;
    const t = clock.offset(get(e, 'timeUnixNano', 'time_unix_nano'));
    events.push({
      name: str(e.name) ?? '',
      // An event without a time is put at its span's start.
      timeNs: t === t ? t - startOffset : model.columns.startNs[index]!,
      attributes: jsonAttributes(e.attributes),
    });
  }
  const links: SpanLink[] = [];
  for (const l of arr(span.links) ?? []) {
    const o = obj(l);
    if (!o) continue;
    links.push({
      traceId: toTraceHex(get(o, 'traceId', 'trace_id')),
      spanId: toHex16(get(o, 'spanId', 'span_id')) ?? '',
      attributes: jsonAttributes(o.attributes),
    });
  }
  const detail: SpanDetail = {
    index,
    spanId: idWordsToHex(model.columns.spanIdWords[2 * index]!, model.columns.spanIdWords[2 * index + 1]!),
    attributes: jsonAttributes(span.attributes),
    resource: jsonAttributes(resource?.attributes),
    scope: { name: str(scope?.name) ?? '', attributes: jsonAttributes(scope?.attributes) },
    events,
    links,
  };
  const version = str(scope?.version);
  if (version) detail.scope.version = version;
  const parentSpanId = toHex16(get(span, 'parentSpanId', 'parent_span_id'));
  if (parentSpanId) detail.parentSpanId = parentSpanId;
  const message = str(obj(span.status)?.message);
  if (message) detail.statusMessage = message;
  return detail;
}

/** The error for a trace with no spans. */
export function notFound(): TraceDecodeError {
  return new TraceDecodeError(
    'not-found',
    'The trace has no spans: the backend does not have this trace ID (yet).',
  );
}
