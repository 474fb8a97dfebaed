/**
 * Decoder for Jaeger's query API JSON: `{"data":[{"traceID","spans":[...],"processes":{...}}]}`.
 * Times are microseconds; IDs are hex with leading zeros sometimes dropped (64-bit trace IDs are
 * left-padded to 32 digits). The parent is the first CHILD_OF reference (else the first
 * reference, else the legacy `parentSpanID`). Kind and status come from the OpenTelemetry
 * conventions Jaeger keeps in tags (`span.kind`, `error`, `otel.status_code`).
 */
import {
  SpanFlag,
  SpanKind,
  StatusCode,
  type Attribute,
  type AttributeValue,
  type SpanDetail,
} from '../../shared/model';
import { buildModel, type BuiltTrace } from './build';
import { bytesToHex, bytesToIdWords, hexToBytes, idWordsToHex } from './ids';
import { arr, obj, str, typeName, type JsonObject } from './json';
import { notFound, CODE_KEYS } from './otlpJson';
import { DecimalClock, RawSpans, StringTable, type TimeRef } from './raw';
import { TraceDecodeError, type DecodedTrace } from './types';

const KINDS: Record<string, SpanKind> = {
  internal: SpanKind.Internal,
  server: SpanKind.Server,
  client: SpanKind.Client,
  producer: SpanKind.Producer,
  consumer: SpanKind.Consumer,
};

/** A Jaeger tag or log field value as shown to a person. */
function tagValue(v: unknown): AttributeValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/** Jaeger's `[{key,type,value}]` as attributes. */
function tags(list: unknown): Attribute[] {
  const out: Attribute[] = [];
  for (const t of arr(list) ?? []) {
    const o = obj(t);
    if (o) out.push({ key: String(o.key ?? ''), value: tagValue(o.value) });
  }
  return out;
}

/** A 64-bit ID given as hex (any length up to 16 digits, or 32 for a trace ID's low half). */
export function hexIdWords(v: unknown, buf: Uint8Array, words: Uint32Array): boolean {
  if (typeof v !== 'string') return false;
  const s = v.length > 16 && v.length <= 32 ? v.slice(v.length - 16) : v;
  if (!hexToBytes(s, buf, 8)) return false;
  bytesToIdWords(buf, 0, 8, words);
  return true;
}

/** A trace ID as 32 lowercase hex digits, or '' when it is not hex. */
export function hexTraceId(v: unknown, buf: Uint8Array): string {
  if (typeof v !== 'string' || !hexToBytes(v, buf, 16)) return '';
  return bytesToHex(buf, 0, 16, 32);
}

/** Parsed Jaeger JSON → decoded trace. */
export function decodeJaegerJson(doc: unknown, seed?: TimeRef): DecodedTrace {
  const top = obj(doc);
  if (!top)
    throw new TraceDecodeError(
      'malformed',
      `The Jaeger response is ${typeName(doc)}, not an object with "data".`,
    );
  const data = top.data;
  if (data === null || data === undefined) {
    if (arr(top.errors)?.length) {
      const msg = str(obj(arr(top.errors)![0])?.msg) ?? 'error';
      throw new TraceDecodeError(
        /not found/i.test(msg) ? 'not-found' : 'malformed',
        `Jaeger answered: ${msg}.`,
      );
    }
    throw notFound();
  }
  const traces = arr(data);
  if (!traces)
    throw new TraceDecodeError(
      'malformed',
      `The Jaeger response's "data" is ${typeName(data)}, not an array.`,
    );
  if (traces.length === 0) throw notFound();
  const trace = obj(traces[0]);
  if (!trace)
    throw new TraceDecodeError('malformed', `The Jaeger trace is ${typeName(traces[0])}, not an object.`);
  const spanList = arr(trace.spans);
  if (!spanList) {
    if (trace.spans === undefined || trace.spans === null) throw notFound();
    throw new TraceDecodeError(
      'malformed',
      `The Jaeger trace's "spans" is ${typeName(trace.spans)}, not an array.`,
    );
  }
  const processes = obj(trace.processes) ?? {};

  const raw = new RawSpans(spanList.length);
  const names = new StringTable();
  const services = new StringTable();
  const clock = new DecimalClock(seed);
  const warnings: string[] = [];
  if (traces.length > 1) warnings.push(`Jaeger returned ${traces.length} traces; only the first is shown.`);
  const spans: JsonObject[] = [];
  const spanProcess: (JsonObject | undefined)[] = [];
  const buf = new Uint8Array(16);
  const words = new Uint32Array(2);
  let traceId = hexTraceId(trace.traceID, buf);
  let badIds = 0;
  let skipped = 0;

  for (const s of spanList) {
    const span = obj(s);
    if (!span) {
      skipped++;
      continue;
    }
    const i = raw.add();
    spans.push(span);
    if (!traceId) traceId = hexTraceId(span.traceID, buf);
    if (hexIdWords(span.spanID, buf, words)) {
      raw.idHi[i] = words[0]!;
      raw.idLo[i] = words[1]!;
    } else badIds++;

    const refs = (arr(span.references) ?? []).map(obj).filter((r): r is JsonObject => r !== undefined);
    const ref = refs.find((r) => r.refType === 'CHILD_OF') ?? refs[0];
    const parentId = ref ? ref.spanID : span.parentSpanID;
    if (typeof parentId === 'string' && parentId.length > 0 && !/^0+$/.test(parentId)) {
      if (hexIdWords(parentId, buf, words)) {
        raw.parentHi[i] = words[0]!;
        raw.parentLo[i] = words[1]!;
        raw.hasParent[i] = 1;
      } else badIds++;
    }

    const process = obj(span.process) ?? obj(processes[String(span.processID)]);
    spanProcess.push(process);
    raw.service[i] = services.intern(str(process?.serviceName) || 'unknown service');
    raw.name[i] = names.intern(str(span.operationName) ?? '');
    const start = clock.offsetMicros(span.startTime);
    raw.start[i] = start;
    const dur = typeof span.duration === 'number' ? span.duration : Number(span.duration ?? 0);
    raw.end[i] = start + (Number.isFinite(dur) ? dur * 1000 : 0);

    let status: number = StatusCode.Unset;
    let flags = 0;
    for (const t of arr(span.tags) ?? []) {
      const o = obj(t);
      if (!o) continue;
      const key = o.key;
      const value = o.value;
      if (key === 'span.kind') raw.kind[i] = KINDS[String(value).toLowerCase()] ?? SpanKind.Unspecified;
      else if (key === 'error') {
        if (value === true || value === 'true') status = StatusCode.Error;
      } else if (key === 'otel.status_code') {
        if (value === 'ERROR') status = StatusCode.Error;
        else if (value === 'OK' && status !== StatusCode.Error) status = StatusCode.Ok;
      } else if (typeof key === 'string' && CODE_KEYS.has(key)) flags |= SpanFlag.HasCode;
    }
    for (const l of arr(span.logs) ?? []) {
      const fields = tags(obj(l)?.fields);
      if (fields.some((f) => f.key === 'event' && f.value === 'exception')) {
        flags |= SpanFlag.Error;
        if (fields.some((f) => f.key === 'exception.stacktrace')) flags |= SpanFlag.HasCode;
      }
    }
    raw.status[i] = status;
    if (status === StatusCode.Error) flags |= SpanFlag.Error;
    raw.flags[i] = flags;
  }

  const built = buildLegacyModel({ raw, names, services, traceId, clock, skipped, badIds, warnings });
  if (built.rebase && !seed) return decodeJaegerJson(doc, built.rebase);
  const { model, order, startOffset } = built;

  return {
    model,
    detail(index: number): SpanDetail | undefined {
      if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) return undefined;
      // An event without a time is put at its span's start.
      const eventTime = (t: number): number => (t === t ? t - startOffset : model.columns.startNs[index]!);
      const r = order[index]!;
      const span = spans[r]!;
      const attributes = tags(span.tags);
      const scopeName = attributes.find(
        (a) => a.key === 'otel.scope.name' || a.key === 'otel.library.name',
      )?.value;
      const scopeVersion = attributes.find(
        (a) => a.key === 'otel.scope.version' || a.key === 'otel.library.version',
      )?.value;
      const process = spanProcess[r];
      const detail: SpanDetail = {
        index,
        spanId: idWordsToHex(
          model.columns.spanIdWords[2 * index]!,
          model.columns.spanIdWords[2 * index + 1]!,
        ),
        attributes,
        resource: [
          { key: 'service.name', value: str(process?.serviceName) || 'unknown service' },
          ...tags(process?.tags),
        ],
        scope: { name: typeof scopeName === 'string' ? scopeName : '', attributes: [] },
        events: (arr(span.logs) ?? []).map((l) => {
          const o = obj(l) ?? {};
          const fields = tags(o.fields);
          const event = fields.find((f) => f.key === 'event');
          return {
            name: typeof event?.value === 'string' ? event.value : 'log',
            timeNs: eventTime(clock.offsetMicros(o.timestamp)),
            attributes: event ? fields.filter((f) => f !== event) : fields,
          };
        }),
        links: [],
      };
      if (typeof scopeVersion === 'string') detail.scope.version = scopeVersion;
      const refs = (arr(span.references) ?? []).map(obj).filter((x): x is JsonObject => x !== undefined);
      const parentRef = refs.find((x) => x.refType === 'CHILD_OF') ?? refs[0];
      const parentId = parentRef ? parentRef.spanID : span.parentSpanID;
      if (typeof parentId === 'string' && hexIdWords(parentId, buf, words) && (words[0] || words[1])) {
        detail.parentSpanId = idWordsToHex(words[0]!, words[1]!);
      }
      // References other than the parent are links (FOLLOWS_FROM, or spans in other traces).
      for (const x of refs) {
        if (x === parentRef) continue;
        const spanId = hexIdWords(x.spanID, buf, words) ? idWordsToHex(words[0]!, words[1]!) : '';
        detail.links.push({
          traceId: hexTraceId(x.traceID, buf),
          spanId,
          attributes: [{ key: 'jaeger.refType', value: str(x.refType) ?? '' }],
        });
      }
      const message = attributes.find((a) => a.key === 'otel.status_description')?.value;
      if (typeof message === 'string' && message) detail.statusMessage = message;
      return detail;
    },
  };
}

/**
 * The end the Jaeger and Zipkin decoders share: no span is "not found"; what was skipped or read
 * as zero becomes a warning; then the model, measured from the clock's reference.
 */
export function buildLegacyModel(p: {
  raw: RawSpans;
  names: StringTable;
  services: StringTable;
  traceId: string;
  clock: DecimalClock;
  skipped: number;
  badIds: number;
  warnings: string[];
}): BuiltTrace {
  if (p.raw.count === 0) throw notFound();
  if (p.skipped > 0) p.warnings.push(`${p.skipped} spans that were not objects were skipped.`);
  if (p.badIds > 0) p.warnings.push(`${p.badIds} span or parent IDs were not hex and were read as zero.`);
  return buildModel({
    raw: p.raw,
    names: p.names.values,
    services: p.services.values,
    traceId: p.traceId || '0'.repeat(32),
    ref: p.clock.ref,
    partial: false,
    warnings: p.warnings,
  });
}
