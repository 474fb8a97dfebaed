/**
 * A decoded trace back out as OTLP/JSON (`{"resourceSpans": …}`, the spec's form: hex IDs,
 * integer enums, nanosecond times and 64-bit integers as decimal strings), for "Save Trace As…".
 *
 * It is written from the model and each span's detail, so it works the same for every backend
 * (Tempo, Jaeger, Zipkin, files, the local store), and the file reads back through the file
 * backend to the same model: every column, every name and every detail value equal. Times are
 * exact: the trace start is a decimal string and the offsets are exact integers, added as BigInt.
 *
 * What the model does not keep cannot be written: arrays and maps of attribute values are text
 * in the model (they are written as that text), and `bytes` values are their base64 text.
 * Integers beyond 2^53 are kept in the model as decimal text and are written as `intValue`.
 */
import {
  SpanFlag,
  spanIdAt,
  type Attribute,
  type AttributeValue,
  type SpanDetail,
  type TraceModel,
} from '../../shared/model';

/** What the exporter reads: the model and a span's detail (a `DecodedTrace` is one). */
export interface ExportSource {
  model: TraceModel;
  detail(index: number): SpanDetail | undefined;
}

/** An OTLP `AnyValue` in JSON. */
type AnyValueJson =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | string }
  | Record<string, never>;

interface KeyValueJson {
  key: string;
  value: AnyValueJson;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const BIG_INT_TEXT = /^-?[1-9]\d{15,18}$/;

/** The OTLP value that decodes back to `v`. */
export function anyValue(v: AttributeValue): AnyValueJson {
  if (v === null) return {};
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return { intValue: String(v) };
    if (Number.isNaN(v)) return { doubleValue: 'NaN' };
    if (v === Infinity) return { doubleValue: 'Infinity' };
    if (v === -Infinity) return { doubleValue: '-Infinity' };
    return { doubleValue: v };
  }
  // An int64 the model kept as text (beyond 2^53): an int again. A decimal string in that range
  // written as an int reads back as the same text, so nothing is lost either way.
  if (BIG_INT_TEXT.test(v) && !Number.isSafeInteger(Number(v))) {
    const b = BigInt(v);
    if (b >= INT64_MIN && b <= INT64_MAX) return { intValue: v };
  }
  return { stringValue: v };
}

function keyValues(list: readonly Attribute[]): KeyValueJson[] {
  return list.map((a) => ({ key: a.key, value: anyValue(a.value) }));
}

/** `base + offset` nanoseconds as a decimal string (both exact integers). */
function addNs(base: bigint, offsetNs: number): string {
  return (base + BigInt(Math.round(offsetNs))).toString();
}

/** The detail of span `i`, or one with the column facts only when it cannot be read. */
function detailOf(src: ExportSource, i: number): SpanDetail {
  let d: SpanDetail | undefined;
  try {
    d = src.detail(i);
  } catch {
    d = undefined;
  }
  if (d) return d;
  const c = src.model.columns;
  const p = c.parent[i]!;
  return {
    index: i,
    spanId: spanIdAt(c, i),
    ...(p >= 0 ? { parentSpanId: spanIdAt(c, p) } : {}),
    attributes: [],
    resource: [],
    scope: { name: '', attributes: [] },
    events: [],
    links: [],
  };
}

/**
 * The trace as an OTLP/JSON `TracesData` object. Spans sharing a resource and a scope are
 * grouped under one `resourceSpans` / `scopeSpans` entry, in the order they first appear.
 */
export function toOtlpJson(src: ExportSource): { resourceSpans: unknown[] } {
  const m = src.model;
  const c = m.columns;
  const base = BigInt(m.traceStartUnixNano || '0');
  const resources = new Map<
    string,
    { resource: unknown; scopes: Map<string, { scope: unknown; spans: unknown[] }> }
  >();
  for (let i = 0; i < m.spanCount; i++) {
    const d = detailOf(src, i);
    const service = m.services[c.service[i]!] ?? 'unknown service';
    let resource = d.resource;
    // The service column comes from `service.name`; a decoder that read it elsewhere (Jaeger's
    // process, Zipkin's endpoint) may not list it among the resource attributes.
    if (!resource.some((a) => a.key === 'service.name') && service !== 'unknown service')
      resource = [{ key: 'service.name', value: service }, ...resource];
    const rKey = JSON.stringify(resource);
    let r = resources.get(rKey);
    if (!r) resources.set(rKey, (r = { resource: { attributes: keyValues(resource) }, scopes: new Map() }));
    const scope = d.scope;
    const sKey = JSON.stringify([scope.name, scope.version ?? null, scope.attributes]);
    let s = r.scopes.get(sKey);
    if (!s) {
      const scopeJson = {
        name: scope.name,
        ...(scope.version !== undefined ? { version: scope.version } : {}),
        ...(scope.attributes.length ? { attributes: keyValues(scope.attributes) } : {}),
      };
      r.scopes.set(sKey, (s = { scope: scopeJson, spans: [] }));
    }
    const start = c.startNs[i]!;
    const p = c.parent[i]!;
    const parentSpanId = d.parentSpanId ?? (p >= 0 ? spanIdAt(c, p) : undefined);
    // A span whose end was before its start was read with duration 0 and a flag: write an end
    // before the start again, so the file reads back with the same flag.
    const endOffset = c.flags[i]! & SpanFlag.NegativeDuration ? start - 1 : start + c.durationNs[i]!;
    const status = c.status[i]!;
    s.spans.push({
      traceId: m.traceId,
      spanId: d.spanId || spanIdAt(c, i),
      ...(parentSpanId ? { parentSpanId } : {}),
      name: m.strings[c.name[i]!] ?? '',
      kind: c.kind[i]!,
      startTimeUnixNano: addNs(base, start),
      endTimeUnixNano: addNs(base, endOffset),
      ...(d.attributes.length ? { attributes: keyValues(d.attributes) } : {}),
      ...(d.events.length
        ? {
            events: d.events.map((e) => ({
              timeUnixNano: addNs(base, e.timeNs),
              name: e.name,
              ...(e.attributes.length ? { attributes: keyValues(e.attributes) } : {}),
            })),
          }
        : {}),
      ...(d.links.length
        ? {
            links: d.links.map((l) => ({
              traceId: l.traceId,
              spanId: l.spanId,
              ...(l.attributes.length ? { attributes: keyValues(l.attributes) } : {}),
            })),
          }
        : {}),
      ...(status !== 0 || d.statusMessage
        ? {
            status: {
              ...(status !== 0 ? { code: status } : {}),
              ...(d.statusMessage ? { message: d.statusMessage } : {}),
            },
          }
        : {}),
    });
  }
  return {
    resourceSpans: [...resources.values()].map((r) => ({
      resource: r.resource,
      scopeSpans: [...r.scopes.values()].map((s) => ({ scope: s.scope, spans: s.spans })),
    })),
  };
}

/** The trace as OTLP/JSON text (two-space indented, a final newline): the bytes "Save Trace As…" writes. */
export function otlpJsonText(src: ExportSource): string {
  return `${JSON.stringify(toOtlpJson(src), null, 2)}\n`;
}
