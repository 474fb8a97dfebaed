/**
 * Normalisers for Tempo's search, tag and metrics responses (jsonpb output: int64 as strings,
 * zero values left out, trace IDs without leading zeros).
 */
import type { Attribute } from '../../../shared/model';
import type { SearchHit, SearchResult, SearchSpan, SearchSpanSet } from '../backend';
import { normalizeTraceId, TRACE_ID_INPUT } from '../../../shared/traceId';
import { arr, attributes, isObject, num, obj, str, type JsonObject } from '../json';

/** Tag names of one scope (`resource`, `span`, `intrinsic`...). */
export interface TagScope {
  name: string;
  tags: string[];
}

/** Tag names, grouped by scope. */
export interface TagsResult {
  scopes: TagScope[];
  /** 'v2' (`/api/v2/search/tags`, grouped by Tempo) or 'v1' (one group named after the scope asked for, or `all`). */
  route: 'v2' | 'v1';
}

/** One tag value with its TraceQL type (`string`, `int`, `float`, `bool`, `duration`, `keyword`). */
export interface TagValue {
  type: string;
  value: string;
}

/** Values of one tag. */
export interface TagValuesResult {
  values: TagValue[];
  /** 'v1' values carry no type: they are reported as `string`. */
  route: 'v2' | 'v1';
}

/** One point of a TraceQL metrics series. */
export interface MetricsSample {
  timestampMs: number;
  value: number;
}

/** An exemplar: a trace behind a sample. */
export interface MetricsExemplar {
  labels: Attribute[];
  value: number;
  timestampMs: number;
  /** The exemplar's trace ID (from its `trace:id` label), padded to 32, when present. */
  traceId?: string;
}

/** One series of a TraceQL metrics query. */
export interface MetricsSeries {
  labels: Attribute[];
  samples: MetricsSample[];
  exemplars: MetricsExemplar[];
}

/** The result of `/api/metrics/query_range`. */
export interface MetricsResult {
  series: MetricsSeries[];
  partial: boolean;
  message?: string;
  /**
   * Quantiles are exact values. Tempo's `quantile_over_time` answers from power-of-two duration
   * buckets (false); a server that computes them from every span (Trace Lens's own store) says
   * so with `"quantiles": "exact"` in its answer (true). Left out: bucket bounds, as Tempo's.
   */
  exact?: boolean;
}

/** One series of an instant TraceQL metrics query: one value for the whole range. */
export interface MetricsInstantSeries {
  labels: Attribute[];
  /** 0 when Tempo left it out (jsonpb drops zero values). */
  value: number;
}

/** The result of `/api/metrics/query` (instant). */
export interface MetricsInstantResult {
  series: MetricsInstantSeries[];
  partial: boolean;
  message?: string;
  /** As `MetricsResult.exact`. */
  exact?: boolean;
}

/** The answer's status, message and quantile marker, shared by range and instant answers. */
function metricsFacts(json: JsonObject): { partial: boolean; message?: string; exact?: boolean } {
  const status = json['status'];
  const message = str(json, 'message');
  return {
    partial: status === 'PARTIAL' || status === 1,
    ...(message ? { message } : {}),
    ...(json['quantiles'] === 'exact' ? { exact: true } : {}),
  };
}

/** What Tempo writes as the root service of a trace whose root span it has not seen. */
export const ROOT_NOT_RECEIVED = '<root span not yet received>';

function spanOf(v: unknown): SearchSpan | undefined {
  if (!isObject(v)) return undefined;
  const spanId = str(v, 'spanID') ?? str(v, 'spanId');
  if (spanId === undefined) return undefined;
  const name = str(v, 'name');
  return {
    spanId: spanId.toLowerCase().padStart(16, '0'),
    ...(name !== undefined ? { name } : {}),
    startTimeUnixNano: str(v, 'startTimeUnixNano') ?? '0',
    durationNanos: str(v, 'durationNanos') ?? '0',
    attributes: attributes(arr(v, 'attributes')),
  };
}

function spanSetOf(v: unknown): SearchSpanSet | undefined {
  if (!isObject(v)) return undefined;
  const spans = arr(v, 'spans')
    .map(spanOf)
    .filter((s): s is SearchSpan => s !== undefined);
  return { spans, matched: num(v, 'matched') ?? spans.length, attributes: attributes(arr(v, 'attributes')) };
}

function hitOf(v: unknown): SearchHit | undefined {
  if (!isObject(v)) return undefined;
  // Tempo writes hex IDs without leading zeros; comparisons need all 32 digits.
  const id = str(v, 'traceID') ?? str(v, 'traceId');
  const traceId = id === undefined ? undefined : normalizeTraceId(id, { allowAllZero: true });
  if (traceId === undefined) return undefined;
  // `spanSet` is the deprecated single set (Tempo 2.0/2.1); `spanSets` replaced it and repeats it.
  const rawSets = arr(v, 'spanSets');
  const sets = (rawSets.length > 0 ? rawSets : [v['spanSet']])
    .map(spanSetOf)
    .filter((s): s is SearchSpanSet => s !== undefined);
  const rootTraceName = str(v, 'rootTraceName');
  const stats = obj(v, 'serviceStats');
  let serviceStats: SearchHit['serviceStats'];
  if (stats) {
    serviceStats = {};
    for (const [service, s] of Object.entries(stats)) {
      if (!isObject(s)) continue;
      serviceStats[service] = { spanCount: num(s, 'spanCount') ?? 0, errorCount: num(s, 'errorCount') ?? 0 };
    }
  }
  const rootService = str(v, 'rootServiceName') ?? '';
  return {
    traceId,
    // A placeholder, not a service: the root span is missing.
    rootServiceName: rootService === ROOT_NOT_RECEIVED ? '' : rootService,
    ...(rootTraceName !== undefined ? { rootTraceName } : {}),
    startTimeUnixNano: str(v, 'startTimeUnixNano') ?? '0',
    durationMs: num(v, 'durationMs') ?? 0,
    spanSets: sets,
    matched: sets.reduce((n, s) => n + s.matched, 0),
    ...(serviceStats ? { serviceStats } : {}),
  };
}

/** Normalises a `/api/search` response. */
export function normalizeSearch(json: unknown): SearchResult | undefined {
  if (!isObject(json)) return undefined;
  const traces = arr(json, 'traces')
    .map(hitOf)
    .filter((h): h is SearchHit => h !== undefined);
  const metrics = obj(json, 'metrics');
  return { traces, ...(metrics ? { metrics } : {}) };
}

const strings = (list: unknown[]): string[] => list.filter((t): t is string => typeof t === 'string');

/** Normalises `/api/v2/search/tags` (`scopes`) or `/api/search/tags` (`tagNames`). */
export function normalizeTags(
  json: unknown,
  route: 'v2' | 'v1',
  scope: string | undefined,
): TagsResult | undefined {
  if (!isObject(json)) return undefined;
  if (route === 'v2') {
    const scopes = arr(json, 'scopes')
      .filter(isObject)
      .map((s: JsonObject) => ({ name: str(s, 'name') ?? '', tags: strings(arr(s, 'tags')) }));
    return { scopes, route };
  }
  return { scopes: [{ name: scope ?? 'all', tags: strings(arr(json, 'tagNames')) }], route };
}

/** Normalises tag values: v2 `{type,value}` objects or v1 plain strings. */
export function normalizeTagValues(json: unknown, route: 'v2' | 'v1'): TagValuesResult | undefined {
  if (!isObject(json)) return undefined;
  const values: TagValue[] = [];
  for (const v of arr(json, 'tagValues')) {
    if (typeof v === 'string') values.push({ type: 'string', value: v });
    else if (isObject(v)) {
      const value = str(v, 'value');
      if (value !== undefined) values.push({ type: str(v, 'type') ?? 'string', value });
    }
  }
  return { values, route };
}

/** Normalises `/api/metrics/query_range`: zero values come back as left-out fields. */
export function normalizeMetrics(json: unknown): MetricsResult | undefined {
  if (!isObject(json)) return undefined;
  const series: MetricsSeries[] = arr(json, 'series')
    .filter(isObject)
    .map((s) => ({
      labels: attributes(arr(s, 'labels')),
      samples: arr(s, 'samples')
        .filter(isObject)
        .map((p) => ({ timestampMs: num(p, 'timestampMs') ?? 0, value: num(p, 'value') ?? 0 })),
      exemplars: arr(s, 'exemplars')
        .filter(isObject)
        .map((e) => {
          const labels = attributes(arr(e, 'labels'));
          const traceLabel = labels.find((l) => l.key === 'trace:id' || l.key === 'traceId');
          const traceId =
            typeof traceLabel?.value === 'string' && TRACE_ID_INPUT.test(traceLabel.value)
              ? normalizeTraceId(traceLabel.value, { allowAllZero: true })
              : undefined;
          return {
            labels,
            value: num(e, 'value') ?? 0,
            timestampMs: num(e, 'timestampMs') ?? 0,
            ...(traceId ? { traceId } : {}),
          };
        }),
    }));
  return { series, ...metricsFacts(json) };
}

/** Normalises `/api/metrics/query`: `series[].value`, left out when 0. */
export function normalizeMetricsInstant(json: unknown): MetricsInstantResult | undefined {
  if (!isObject(json)) return undefined;
  const series = arr(json, 'series')
    .filter(isObject)
    .map((s) => ({ labels: attributes(arr(s, 'labels')), value: num(s, 'value') ?? 0 }));
  return { series, ...metricsFacts(json) };
}
