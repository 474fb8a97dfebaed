/**
 * Decoder for Zipkin v2 JSON: an array of spans `{traceId, id, parentId, name, kind, timestamp,
 * duration, localEndpoint, remoteEndpoint, tags, annotations, shared}`. Times are microseconds;
 * 64-bit trace IDs are left-padded to 32 hex digits. A server span that shares its ID with the
 * client span (`shared: true`) is placed under that client span.
 */
import { SpanFlag, SpanKind, StatusCode, type Attribute, type SpanDetail } from '../../shared/model';
import { idWordsToHex } from './ids';
import { buildLegacyModel, hexIdWords, hexTraceId } from './jaeger';
import { arr, obj, str, typeName, type JsonObject } from './json';
import { CODE_KEYS, notFound } from './otlpJson';
import { DecimalClock, RawSpans, StringTable, type TimeRef } from './raw';
import { TraceDecodeError, type DecodedTrace } from './types';

const KINDS: Record<string, SpanKind> = {
  CLIENT: SpanKind.Client,
  SERVER: SpanKind.Server,
  PRODUCER: SpanKind.Producer,
  CONSUMER: SpanKind.Consumer,
};

/** Zipkin's `tags` object as attributes (values are strings in Zipkin v2). */
function tagList(v: unknown): Attribute[] {
  const o = obj(v);
  if (!o) return [];
  return Object.entries(o).map(([key, value]) => ({
    key,
    value:
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value),
  }));
}

/** An endpoint's fields as attributes named `<prefix>.<field>`. */
function endpoint(prefix: string, v: unknown): Attribute[] {
  const o = obj(v);
  if (!o) return [];
  const out: Attribute[] = [];
  for (const [k, value] of Object.entries(o)) {
    if (typeof value === 'string' || typeof value === 'number') out.push({ key: `${prefix}.${k}`, value });
  }
  return out;
}

/** Parsed Zipkin JSON → decoded trace. */
export function decodeZipkinJson(doc: unknown, seed?: TimeRef): DecodedTrace {
  let list = arr(doc);
  if (!list) {
    throw new TraceDecodeError(
      'malformed',
      `The Zipkin response is ${typeName(doc)}, not an array of spans.`,
    );
  }
  // `/api/v2/traces` answers a list of traces; take the first.
  if (list.length > 0 && Array.isArray(list[0])) list = list[0] as unknown[];
  if (list.length === 0) throw notFound();

  const raw = new RawSpans(list.length);
  const names = new StringTable();
  const services = new StringTable();
  const clock = new DecimalClock(seed);
  const warnings: string[] = [];
  const spans: JsonObject[] = [];
  const buf = new Uint8Array(16);
  const words = new Uint32Array(2);
  let traceId = '';
  let badIds = 0;
  let skipped = 0;

  for (const s of list) {
    const span = obj(s);
    if (!span) {
      skipped++;
      continue;
    }
    const i = raw.add();
    spans.push(span);
    if (!traceId) traceId = hexTraceId(span.traceId, buf);
    if (hexIdWords(span.id, buf, words)) {
      raw.idHi[i] = words[0]!;
      raw.idLo[i] = words[1]!;
    } else badIds++;
    const kind = KINDS[String(span.kind)] ?? SpanKind.Unspecified;
    raw.kind[i] = kind;
    if (span.shared === true && kind === SpanKind.Server) {
      // The client half of a shared span has this same ID; parent-by-own-ID finds it.
      raw.parentHi[i] = raw.idHi[i]!;
      raw.parentLo[i] = raw.idLo[i]!;
      raw.hasParent[i] = 1;
    } else if (typeof span.parentId === 'string' && span.parentId.length > 0) {
      if (hexIdWords(span.parentId, buf, words)) {
        raw.parentHi[i] = words[0]!;
        raw.parentLo[i] = words[1]!;
        raw.hasParent[i] = 1;
      } else badIds++;
    }
    raw.name[i] = names.intern(str(span.name) ?? '');
    raw.service[i] = services.intern(str(obj(span.localEndpoint)?.serviceName) || 'unknown service');
    const start = clock.offsetMicros(span.timestamp);
    raw.start[i] = start;
    const dur = typeof span.duration === 'number' ? span.duration : 0;
    raw.end[i] = start + dur * 1000;
    const t = obj(span.tags);
    let flags = 0;
    if (t && 'error' in t) {
      raw.status[i] = StatusCode.Error;
      flags |= SpanFlag.Error;
    }
    if (t && Object.keys(t).some((k) => CODE_KEYS.has(k))) flags |= SpanFlag.HasCode;
    raw.flags[i] = flags;
  }

  const built = buildLegacyModel({ raw, names, services, traceId, clock, skipped, badIds, warnings });
  if (built.rebase && !seed) return decodeZipkinJson(doc, built.rebase);
  const { model, order, startOffset } = built;

  return {
    model,
    detail(index: number): SpanDetail | undefined {
      if (!Number.isInteger(index) || index < 0 || index >= model.spanCount) return undefined;
      // An event without a time is put at its span's start.
      const eventTime = (t: number): number => (t === t ? t - startOffset : model.columns.startNs[index]!);
      const span = spans[order[index]!]!;
      const local = obj(span.localEndpoint);
      const attributes = [...tagList(span.tags), ...endpoint('remoteEndpoint', span.remoteEndpoint)];
      const detail: SpanDetail = {
        index,
        spanId: idWordsToHex(
          model.columns.spanIdWords[2 * index]!,
          model.columns.spanIdWords[2 * index + 1]!,
        ),
        attributes,
        resource: [
          { key: 'service.name', value: str(local?.serviceName) || 'unknown service' },
          ...endpoint('localEndpoint', local).filter((a) => a.key !== 'localEndpoint.serviceName'),
        ],
        scope: { name: '', attributes: [] },
        events: (arr(span.annotations) ?? []).map((a) => {
          const o = obj(a) ?? {};
          return {
            name: str(o.value) ?? '',
            timeNs: eventTime(clock.offsetMicros(o.timestamp)),
            attributes: [],
          };
        }),
        links: [],
      };
      if (typeof span.parentId === 'string' && hexIdWords(span.parentId, buf, words)) {
        detail.parentSpanId = idWordsToHex(words[0]!, words[1]!);
      }
      const error = obj(span.tags)?.error;
      if (typeof error === 'string' && error) detail.statusMessage = error;
      return detail;
    },
  };
}
