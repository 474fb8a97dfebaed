/**
 * Tempo's query APIs besides trace by ID: TraceQL search, tag names and values (v2 with a v1
 * fallback) and TraceQL metrics. Each call is one operation with the caller's signal.
 */
import { parse, parseDuration, renderQuery, type FieldExpr, type SpansetExpr } from '../../traceql';
import type { SearchQuery, SearchResult } from '../backend';
import { BackendError, redactUrl } from '../errors';
import { checkRange } from '../ids';
import { defaultRange, runOperation, shaped, type TempoApi } from './api';
import {
  normalizeMetrics,
  normalizeMetricsInstant,
  type MetricsInstantResult,
  normalizeSearch,
  normalizeTags,
  normalizeTagValues,
  type MetricsResult,
  type TagsResult,
  type TagValuesResult,
} from './responses';

/** Options for `tags` and `tagValues`; times in Unix seconds. */
export interface TagQueryOptions {
  start?: number;
  end?: number;
  /** TraceQL filter (v2 only; Tempo ignores an invalid one). */
  q?: string;
  signal?: AbortSignal;
}

/** A TraceQL metrics range query; times in Unix seconds. */
export interface MetricsQuery {
  /** e.g. `{ resource.service.name = "api" } | quantile_over_time(duration, .99)`. */
  q: string;
  /** Default one hour before `end`. */
  start?: number;
  /** Default now. */
  end?: number;
  /** Go duration (`1m`) or seconds; default Tempo's choice. */
  step?: string | number;
  /** Ask for exemplars (Tempo's default when left out). */
  exemplars?: number;
  signal?: AbortSignal;
}

/** A TraceQL metrics instant query: one value per series for the whole range; Unix seconds. */
export interface MetricsInstantQuery {
  /** e.g. `{ resource.service.name = "api" } | max_over_time(duration)`. */
  q: string;
  /** Default one hour before `end`. */
  start?: number;
  /** Default now. */
  end?: number;
  signal?: AbortSignal;
}

/** Tag scopes Tempo knows. */
export type TagScopeName = 'resource' | 'span' | 'intrinsic' | 'event' | 'link' | 'instrumentation';

/** The base URL for messages, without credentials. */
function shownBase(api: TempoApi): string {
  return redactUrl(api.http.baseUrl);
}

/**
 * Spans per span set sent for `spss: 0` ("all"): Tempo reads 0 as its default of 3, and refuses
 * more than its `max_spans_per_span_set` (100 unless configured otherwise).
 */
export const ALL_SPANS_PER_SET = 100;

/** `traceDuration op <go duration>`, or a bad-request error naming the parameter. */
function durationCondition(name: string, text: string, op: '>=' | '<='): FieldExpr {
  const ns = parseDuration(text.trim());
  if (ns === undefined || !Number.isFinite(ns)) {
    throw new BackendError(
      'bad-request',
      `${name} "${text.slice(0, 40)}" is not a duration such as 100ms or 1.5s`,
    );
  }
  return {
    kind: 'compare',
    field: { kind: 'intrinsic', name: 'traceDuration' },
    op,
    value: { type: 'duration', value: ns },
  };
}

/**
 * `q` with `traceDuration` conditions for `minDuration`/`maxDuration`, which Tempo ignores beside
 * a TraceQL query (it honours them only in tag searches). The conditions join every spanset
 * filter of the query: trace-level, they keep or drop whole traces and leave the matched spans
 * as they were. A query outside the subset Trace Lens reads is refused rather than sent with the
 * filter silently dropped.
 */
export function withTraceDuration(q: string, minDuration?: string, maxDuration?: string): string {
  const conditions: FieldExpr[] = [];
  if (minDuration !== undefined) conditions.push(durationCondition('minDuration', minDuration, '>='));
  if (maxDuration !== undefined) conditions.push(durationCondition('maxDuration', maxDuration, '<='));
  if (conditions.length === 0) return q;
  let root: SpansetExpr;
  try {
    root = q.trim() === '' ? { kind: 'filter', expr: { kind: 'const', value: true } } : parse(q).root;
  } catch {
    throw new BackendError(
      'bad-request',
      'a minimum or maximum duration needs a query Trace Lens can read (spanset filters with && and ||); write traceDuration >= 100ms into the query instead',
    );
  }
  const add = (s: SpansetExpr): SpansetExpr =>
    s.kind === 'filter'
      ? {
          kind: 'filter',
          expr:
            s.expr.kind === 'const' && s.expr.value
              ? conditions.length === 1
                ? conditions[0]!
                : { kind: 'and', items: conditions }
              : { kind: 'and', items: [s.expr, ...conditions] },
        }
      : { kind: s.kind, items: s.items.map(add) };
  return renderQuery({ root: add(root) });
}

/**
 * TraceQL search. `start`/`end` are always sent (default: the last hour), or Tempo would only
 * search recent data. Trace IDs come back padded to 32 digits.
 */
export async function search(api: TempoApi, query: SearchQuery): Promise<SearchResult> {
  const { start, end } = defaultRange(query.start, query.end, shownBase(api));
  const limit = query.limit ?? 20;
  const spss = query.spss ?? 3;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new BackendError('bad-request', `the search limit must be a whole number above 0, not ${limit}`);
  }
  if (!Number.isInteger(spss) || spss < 0) {
    throw new BackendError(
      'bad-request',
      `spans per span set must be a whole number of 0 or more, not ${spss}`,
    );
  }
  const q = withTraceDuration(query.q, query.minDuration, query.maxDuration);
  return runOperation(api, query.signal, async (op) => {
    const res = await api.http.get(op, {
      path: '/api/search',
      query: { q, start, end, limit, spss: spss === 0 ? ALL_SPANS_PER_SET : spss },
      accept: 'application/json',
    });
    return shaped(api, res, normalizeSearch(api.http.json(res)), 'search results');
  });
}

/** Tag names: `/api/v2/search/tags` (grouped by scope), or `/api/search/tags` on older Tempo. */
export async function tags(
  api: TempoApi,
  scope: TagScopeName | undefined,
  options: TagQueryOptions = {},
): Promise<TagsResult> {
  const range = checkRange(options.start, options.end, shownBase(api));
  return runOperation(api, options.signal, async (op) => {
    const query = { scope, start: range.start, end: range.end };
    if (api.routes.tags !== 'v1') {
      const res = await api.http.get(op, {
        path: '/api/v2/search/tags',
        query: { ...query, q: options.q },
        accept: 'application/json',
        accept404: true,
      });
      if (res.status !== 404) {
        api.routes.tags = 'v2';
        return shaped(api, res, normalizeTags(api.http.json(res), 'v2', scope), 'tag names');
      }
    }
    const res = await api.http.get(op, { path: '/api/search/tags', query, accept: 'application/json' });
    api.routes.tags = 'v1';
    return shaped(api, res, normalizeTags(api.http.json(res), 'v1', scope), 'tag names');
  });
}

/**
 * Values of one tag. `tag` is a TraceQL identifier (`resource.service.name`, `.service.name`,
 * `name`); on Tempo without the v2 route the scope prefix is dropped (`service.name`).
 */
export async function tagValues(
  api: TempoApi,
  tag: string,
  options: TagQueryOptions = {},
): Promise<TagValuesResult> {
  const range = checkRange(options.start, options.end, shownBase(api));
  if (tag.trim() === '') throw new BackendError('bad-request', 'the tag name is empty');
  return runOperation(api, options.signal, async (op) => {
    const query = { start: range.start, end: range.end };
    if (api.routes.tags !== 'v1') {
      const res = await api.http.get(op, {
        path: `/api/v2/search/tag/${encodeURIComponent(tag)}/values`,
        query: { ...query, q: options.q },
        accept: 'application/json',
        accept404: true,
      });
      if (res.status !== 404) {
        api.routes.tags = 'v2';
        return shaped(api, res, normalizeTagValues(api.http.json(res), 'v2'), 'tag values');
      }
    }
    const v1Tag = tag.replace(/^(resource|span|event|link|instrumentation)?\./, '');
    const res = await api.http.get(op, {
      path: `/api/search/tag/${encodeURIComponent(v1Tag)}/values`,
      query,
      accept: 'application/json',
    });
    api.routes.tags = 'v1';
    return shaped(api, res, normalizeTagValues(api.http.json(res), 'v1'), 'tag values');
  });
}

/**
 * TraceQL metrics for a whole range at once (`/api/metrics/query`, the instant query of newer
 * Tempo). Unlike a range query with one step as long as the range, it counts spans up to the end
 * of the range (Tempo 3.0 aligns range steps, so the current hour's step stays empty until the
 * hour is over).
 */
export async function metricsQuery(api: TempoApi, query: MetricsInstantQuery): Promise<MetricsInstantResult> {
  const { start, end } = defaultRange(query.start, query.end, shownBase(api));
  return runOperation(api, query.signal, async (op) => {
    const res = await api.http.get(op, {
      path: '/api/metrics/query',
      query: { q: query.q, start, end },
      accept: 'application/json',
      accept404: true,
    });
    api.routes.instantMetrics = res.status !== 404;
    if (res.status === 404) {
      throw new BackendError(
        'unsupported',
        `${res.prefix}: this Tempo has no instant TraceQL metrics API (older Tempo has only /api/metrics/query_range, from 2.4)`,
        { status: 404, url: res.url },
      );
    }
    return shaped(api, res, normalizeMetricsInstant(api.http.json(res)), 'metrics');
  });
}

/** TraceQL metrics over a range (`/api/metrics/query_range`, Tempo 2.4 and later). */
export async function metricsQueryRange(api: TempoApi, query: MetricsQuery): Promise<MetricsResult> {
  const { start, end } = defaultRange(query.start, query.end, shownBase(api));
  return runOperation(api, query.signal, async (op) => {
    const res = await api.http.get(op, {
      path: '/api/metrics/query_range',
      query: { q: query.q, start, end, step: query.step, exemplars: query.exemplars },
      accept: 'application/json',
      accept404: true,
    });
    if (res.status === 404) {
      throw new BackendError(
        'unsupported',
        `${res.prefix}: this Tempo has no TraceQL metrics API (it needs Tempo 2.4 or later with the metrics-generator's local blocks enabled)`,
        { status: 404, url: res.url },
      );
    }
    return shaped(api, res, normalizeMetrics(api.http.json(res)), 'metrics');
  });
}
