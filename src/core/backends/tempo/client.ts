/**
 * A client for Grafana Tempo's HTTP query API: trace by ID (v2, falling back to v1), TraceQL
 * search, tags, TraceQL metrics and a connection test. Works against self-hosted Tempo, Grafana
 * Cloud (`…/tempo`) and Grafana's datasource proxy: the base URL's path is kept as a prefix.
 *
 * The parts live beside it: `traceFetch.ts` (trace by ID), `query.ts` (search, tags, metrics),
 * `connection.ts` (the connection test), `responses.ts` (their JSON, normalised), `api.ts` (what
 * they share). See docs/tempo-api.md for the status codes and traps handled there.
 *
 * Not used: Tempo's trace diff API (`POST /api/v2/traces/diff`, unreleased). Nothing in Trace
 * Lens compares traces on the server, so nothing probes it; Tempo 3.0.3 answers it 400 (its
 * trace route reads `diff` as a malformed ID), which a future probe must read as 'unsupported',
 * not as a bad request (the fake Tempo's '3.0.3' mode replays that answer).
 */
import type {
  BackendKind,
  ConnectionReport,
  GetTraceOptions,
  SearchQuery,
  SearchResult,
  TraceBackend,
} from '../backend';
import { DEFAULT_CACHE_BYTES, TraceFetchCache } from '../cache';
import { TEMPO_QUERY_END_CUTOFF_MS } from '../cutoff';
import { BackendError, quoteText, redactUrl } from '../errors';
import { HttpTransport, type Auth, type FetchLike, type StatusContext, type Wording } from '../http';
import { checkRange, backendTraceId, requireTraceId } from '../ids';
import type { TempoApi } from './api';
import { testConnection } from './connection';
import {
  metricsQuery,
  metricsQueryRange,
  search,
  tagValues,
  tags,
  type MetricsInstantQuery,
  type MetricsQuery,
  type TagQueryOptions,
  type TagScopeName,
} from './query';
import type { MetricsInstantResult, MetricsResult, TagsResult, TagValuesResult } from './responses';
import { fetchTrace, traceKey, type TempoTraceResult } from './traceFetch';

export type { Auth, FetchLike } from '../http';
export type { MetricsInstantQuery, MetricsQuery, TagQueryOptions, TagScopeName } from './query';
export { ALL_SPANS_PER_SET } from './query';
export type {
  MetricsInstantResult,
  MetricsInstantSeries,
  MetricsResult,
  MetricsSeries,
  MetricsSample,
  MetricsExemplar,
  TagScope,
  TagsResult,
  TagValue,
  TagValuesResult,
} from './responses';
export type { TempoTraceResult } from './traceFetch';

/** Options for `TempoClient`. */
export interface TempoClientOptions {
  /** Tempo's base URL with any path prefix: `http://host:3200`, `https://…grafana.net/tempo`, `<grafana>/api/datasources/proxy/uid/<uid>`. */
  baseUrl: string;
  /** Display name; default "Tempo host[/path]". */
  name?: string;
  /** Default `globalThis.fetch` (patched by VS Code for proxies and certificates). */
  fetch?: FetchLike;
  /** Default none. Credentials are only ever sent to the base URL's origin. */
  auth?: Auth;
  /** `X-Scope-OrgID`; several tenants as `a|b`. */
  tenant?: string;
  /** Extra headers, sent only to the base URL's origin. */
  headers?: Record<string, string>;
  /** Trace-by-ID format: 'proto' (default, `Accept: application/protobuf`) or 'json'. */
  format?: 'proto' | 'json';
  /** Deadline for one call, fallbacks and retries included. Default 30000. */
  timeoutMs?: number;
  /** Time out when the body stops arriving for this long. Default 10000. */
  idleTimeoutMs?: number;
  /** Cap on decoded response bytes (gzip is counted inflated). Default 256 MB. */
  maxBytes?: number;
  /** Budget of the recent-trace cache, estimated from response sizes. Default 64 MB; 0 disables it. */
  cacheMaxBytes?: number;
  /** Retries after 429/503. Default 2. */
  maxRetries?: number;
  /** Backoff before the first retry when there is no Retry-After; doubles. Default 500. */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry, whatever Retry-After says. Default 10000. */
  maxRetryWaitMs?: number;
  /** Words for messages; wrappers such as the Grafana backend change them. */
  wording?: Partial<Wording>;
  /** Product-specific status handling, tried before the default (used by the Grafana backend). */
  classify?: (ctx: StatusContext) => BackendError | undefined;
  /**
   * How long the server leaves recent data out of search, tag values and metrics. Default 30000
   * (Tempo 3.0's `query_end_cutoff`); 0 for a server that leaves nothing out (Trace Lens's store).
   */
  recentCutoffMs?: number;
}

const TENANT_SEGMENT = /^[A-Za-z0-9!_.*'()-]+$/;

/** Why `tenant` is not a valid X-Scope-OrgID (one or more tenants joined by `|`), or undefined. */
export function tenantProblem(tenant: string): string | undefined {
  if (tenant === '') return 'it is empty';
  for (const t of tenant.split('|')) {
    if (t === '') return 'it has an empty tenant between two "|"';
    if (t === '.' || t === '..') return `"${t}" is not allowed`;
    if (Buffer.byteLength(t, 'utf8') > 150) return 'a tenant is longer than 150 bytes';
    if (!TENANT_SEGMENT.test(t)) {
      return `"${quoteText(t, [], 40)}" may only use letters, digits and ! - _ . * ' ( )`;
    }
  }
  return undefined;
}

/** A Grafana Tempo query client; also a `TraceBackend`. */
export class TempoClient implements TraceBackend {
  readonly kind: BackendKind = 'tempo';
  readonly name: string;
  readonly format: 'proto' | 'json';
  private readonly cutoffMs: number | undefined;
  private readonly http: HttpTransport;
  private readonly api: TempoApi;
  private readonly cache: TraceFetchCache<TempoTraceResult>;

  constructor(options: TempoClientOptions) {
    const wording: Wording = {
      product: 'Tempo',
      urlSetting: 'traceLens.tempo.url',
      credentialsCommand: 'Trace Lens: Set Credentials…',
      ...options.wording,
    };
    const headers: Record<string, string> = { ...options.headers };
    if (options.tenant !== undefined && options.tenant.trim() !== '') {
      const tenant = options.tenant.trim();
      const problem = tenantProblem(tenant);
      if (problem) {
        throw new BackendError('bad-request', `the tenant (X-Scope-OrgID) is not valid: ${problem}`, {
          url: redactUrl(options.baseUrl),
        });
      }
      headers['X-Scope-OrgID'] = tenant;
    }
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      wording,
      headers,
      ...pick(options, [
        'fetch',
        'auth',
        'timeoutMs',
        'idleTimeoutMs',
        'maxBytes',
        'maxRetries',
        'retryBaseDelayMs',
        'maxRetryWaitMs',
        'classify',
      ]),
    });
    this.format = options.format ?? 'proto';
    this.cutoffMs = options.recentCutoffMs;
    const base = this.http.baseUrl;
    this.name =
      options.name ?? `Tempo ${base.host}${base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '')}`;
    this.cache = new TraceFetchCache(options.cacheMaxBytes ?? DEFAULT_CACHE_BYTES);
    this.api = { http: this.http, name: this.name, format: this.format, routes: {} };
  }

  /** The base URL (path prefix included), without credentials. */
  get baseUrl(): string {
    return redactUrl(this.http.baseUrl);
  }

  /**
   * How long this Tempo may leave recent data out of search, tag values and metrics: the
   * option when given; else Tempo 3.0's default, until the server shows a route that Tempo 3.0
   * has and it lacks (v1-only trace or tag routes, no instant metrics API): an older Tempo,
   * which leaves nothing out; or until it declares its cut-off (Trace Lens's store: none).
   */
  get recentCutoffMs(): number {
    if (this.cutoffMs !== undefined) return this.cutoffMs;
    const r = this.api.routes;
    if (r.cutoffMs !== undefined) return r.cutoffMs;
    return r.trace === 'v1' || r.tags === 'v1' || r.instantMetrics === false ? 0 : TEMPO_QUERY_END_CUTOFF_MS;
  }

  /** The trace route the server is known to have, once a request showed it. */
  get knownTraceRoute(): 'v2' | 'v1' | undefined {
    return this.api.routes.trace;
  }

  /** Forgets cached traces (all, or one trace ID). */
  clearCache(traceId?: string): void {
    if (traceId === undefined) return this.cache.forget();
    const id = requireTraceId(traceId);
    this.cache.forget((key) => key.startsWith(`${id}|`));
  }

  /** The trace as fetched with no time range, if the cache holds it; sends nothing. */
  cachedTrace(traceId: string): TempoTraceResult | undefined {
    const id = backendTraceId(traceId);
    return id === undefined ? undefined : this.cache.peek(traceKey(id, {}, this.format));
  }

  /**
   * Fetches and decodes one trace: `/api/v2/traces/<id>` first, `/api/traces/<id>` when the v2
   * route is missing (Tempo < 2.6). Concurrent calls for the same trace share one request.
   */
  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<TempoTraceResult> {
    const id = requireTraceId(traceId, this.baseUrl);
    const range = checkRange(options.start, options.end, this.baseUrl);
    return this.cache.get({
      key: traceKey(id, range, this.format),
      signal: options.signal,
      noCache: options.noCache,
      start: () => this.http.operation(),
      run: (op) => fetchTrace(this.api, op, id, range),
      cancelled: () =>
        new BackendError('cancelled', `fetching trace ${id} was cancelled`, { url: this.baseUrl }),
    });
  }

  /**
   * TraceQL search. `start`/`end` are always sent (default: the last hour), or Tempo would only
   * search recent data. Trace IDs come back padded to 32 digits.
   */
  search(query: SearchQuery): Promise<SearchResult> {
    return search(this.api, query);
  }

  /** Tag names: `/api/v2/search/tags` (grouped by scope), or `/api/search/tags` on older Tempo. */
  tags(scope?: TagScopeName, options: TagQueryOptions = {}): Promise<TagsResult> {
    return tags(this.api, scope, options);
  }

  /**
   * Values of one tag. `tag` is a TraceQL identifier (`resource.service.name`, `.service.name`,
   * `name`); on Tempo without the v2 route the scope prefix is dropped (`service.name`).
   */
  tagValues(tag: string, options: TagQueryOptions = {}): Promise<TagValuesResult> {
    return tagValues(this.api, tag, options);
  }

  /** TraceQL metrics over a range (`/api/metrics/query_range`, Tempo 2.4 and later). */
  metricsQueryRange(query: MetricsQuery): Promise<MetricsResult> {
    return metricsQueryRange(this.api, query);
  }

  /**
   * TraceQL metrics for a whole range in one value per series (`/api/metrics/query`); rejects
   * with 'unsupported' on a Tempo without the instant API (use `metricsQueryRange` then).
   */
  metricsQuery(query: MetricsInstantQuery): Promise<MetricsInstantResult> {
    return metricsQuery(this.api, query);
  }

  /** Checks the connection (echo, query, ready, buildinfo); see `connection.ts`. */
  testConnection(options: { signal?: AbortSignal } = {}): Promise<ConnectionReport> {
    return testConnection(this.api, options.signal);
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
