/**
 * A client for Grafana Tempo's HTTP query API: trace by ID (v2, falling back to v1), TraceQL
 * search, tags, TraceQL metrics and a connection test. Works against self-hosted Tempo, Grafana
 * Cloud (`…/tempo`) and Grafana's datasource proxy: the base URL's path is kept as a prefix.
 *
 * See docs/tempo-api.md for the status codes and traps handled here.
 */
import type { TraceFormat } from '../../decode';
import type {
  BackendKind,
  ConnectionCheck,
  ConnectionReport,
  GetTraceOptions,
  SearchQuery,
  SearchResult,
  TraceBackend,
  TraceResult,
} from '../backend';
import { ByteLru, SharedRequest } from '../cache';
import { decodeBody, looksLikeJson } from '../decode';
import { BackendError, quoteText, redactUrl } from '../errors';
import {
  HttpTransport,
  isHtml,
  type Auth,
  type FetchLike,
  type HttpResponse,
  type Operation,
  type StatusContext,
  type Wording,
} from '../http';
import { checkRange, formatSeconds, requireTraceId } from '../ids';
import {
  normalizeMetrics,
  normalizeSearch,
  normalizeTags,
  normalizeTagValues,
  type MetricsResult,
  type TagsResult,
  type TagValuesResult,
} from './responses';

export type { Auth, FetchLike } from '../http';
export type {
  MetricsResult,
  MetricsSeries,
  MetricsSample,
  MetricsExemplar,
  TagScope,
  TagsResult,
  TagValue,
  TagValuesResult,
} from './responses';

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
}

/** A trace fetched from Tempo. */
export interface TempoTraceResult extends TraceResult {
  route: 'v2' | 'v1';
}

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

/** Tag scopes Tempo knows. */
export type TagScopeName = 'resource' | 'span' | 'intrinsic' | 'event' | 'link' | 'instrumentation';

const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;
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
  private readonly http: HttpTransport;
  private readonly cache: ByteLru<TempoTraceResult> | undefined;
  private readonly inflight = new Map<string, SharedRequest<TempoTraceResult>>();
  /** Set once the server showed which trace route it has. */
  private traceRoute: 'v2' | 'v1' | undefined;
  private tagsRoute: 'v2' | 'v1' | undefined;

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
    const base = this.http.baseUrl;
    this.name =
      options.name ?? `Tempo ${base.host}${base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '')}`;
    const cacheBytes = options.cacheMaxBytes ?? DEFAULT_CACHE_BYTES;
    this.cache = cacheBytes > 0 ? new ByteLru(cacheBytes) : undefined;
  }

  /** The base URL (path prefix included), without credentials. */
  get baseUrl(): string {
    return redactUrl(this.http.baseUrl);
  }

  /** The trace route the server is known to have, once a request showed it. */
  get knownTraceRoute(): 'v2' | 'v1' | undefined {
    return this.traceRoute;
  }

  /** Forgets cached traces (all, or one trace ID). */
  clearCache(traceId?: string): void {
    if (traceId === undefined) return this.cache?.clear();
    const id = requireTraceId(traceId);
    this.cache?.deleteWhere((key) => key.startsWith(`${id}|`));
  }

  /**
   * Fetches and decodes one trace: `/api/v2/traces/<id>` first, `/api/traces/<id>` when the v2
   * route is missing (Tempo < 2.6). Concurrent calls for the same trace share one request.
   */
  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<TempoTraceResult> {
    const id = requireTraceId(traceId, this.baseUrl);
    const range = checkRange(options.start, options.end, this.baseUrl);
    const key = `${id}|${range.start ?? ''}|${range.end ?? ''}|${this.format}`;
    if (!options.noCache) {
      const hit = this.cache?.get(key);
      if (hit) return hit;
    }
    const cancelled = () =>
      new BackendError('cancelled', `fetching trace ${id} was cancelled`, { url: this.baseUrl });
    // Cancelled before it started: nothing is sent.
    if (options.signal?.aborted) throw cancelled();
    let shared = this.inflight.get(key);
    if (!shared) {
      const created: SharedRequest<TempoTraceResult> = new SharedRequest(
        this.http.operation(),
        (op) => this.fetchTrace(op, id, range, key),
        () => {
          if (this.inflight.get(key) === created) this.inflight.delete(key);
        },
        cancelled,
      );
      shared = created;
      this.inflight.set(key, shared);
    }
    return shared.join(options.signal);
  }

  private async fetchTrace(
    op: Operation,
    id: string,
    range: { start?: number; end?: number },
    key: string,
  ): Promise<TempoTraceResult> {
    const accept = this.format === 'proto' ? 'application/protobuf' : 'application/json';
    const query = { start: range.start, end: range.end };
    let v2Missing = false;
    if (this.traceRoute !== 'v1') {
      const res = await this.http.get(op, { path: `/api/v2/traces/${id}`, query, accept, accept404: true });
      if (res.status !== 404) {
        this.traceRoute = 'v2';
        return this.remember(key, res, this.decode(res, 'v2', id, range));
      }
      // v2 never answers 404 for a missing trace, so this is a Tempo without the route, whose
      // router says `404 page not found`. (An empty 404 can also be an Enterprise access policy.)
      v2Missing = /page not found/i.test(new TextDecoder().decode(res.body));
      if (v2Missing) this.traceRoute = 'v1';
    }
    const res = await this.http.get(op, { path: `/api/traces/${id}`, query, accept, accept404: true });
    if (res.status === 404) {
      // A proxy's HTML 404 page says nothing about the trace.
      if (isHtml(res.contentType, res.body)) throw this.http.errorFor(res);
      throw this.notFound(res, id, range);
    }
    this.traceRoute = 'v1';
    return this.remember(key, res, this.decode(res, 'v1', id, range));
  }

  private remember(key: string, res: HttpResponse, result: TempoTraceResult): TempoTraceResult {
    // The decoded columns are small; what a decoded trace keeps for on-demand details is about
    // the size of the response, so twice the body plus the columns is a fair estimate.
    this.cache?.set(key, result, res.body.length * 2 + result.decoded.model.spanCount * 100);
    return result;
  }

  private decode(
    res: HttpResponse,
    route: 'v2' | 'v1',
    id: string,
    range: { start?: number; end?: number },
  ): TempoTraceResult {
    // JSON when the server says so (or ignored Accept), otherwise the route's protobuf message.
    const format: TraceFormat = looksLikeJson(res.contentType, res.body)
      ? 'tempo-json'
      : route === 'v2'
        ? 'tempo-v2-proto'
        : 'otlp-proto';
    // Tempo v2 answers 200 with `{"trace":{}}` when it has no such trace.
    const decoded = decodeBody(res.body, format, { ...res, mask: this.http.mask }, (cause) =>
      this.notFound(res, id, range, cause),
    );
    const model = decoded.model;
    return {
      decoded,
      route,
      partial: model.partial,
      ...(model.partial ? { message: model.partialMessage ?? 'Tempo returned a partial trace' } : {}),
    };
  }

  private notFound(
    res: HttpResponse,
    id: string,
    range: { start?: number; end?: number },
    cause?: unknown,
  ): BackendError {
    const where =
      range.start !== undefined || range.end !== undefined
        ? `lies outside the time range${range.start !== undefined ? ` from ${formatSeconds(range.start)}` : ''}${range.end !== undefined ? ` to ${formatSeconds(range.end)}` : ''}`
        : "is older than Tempo's retention";
    return new BackendError(
      'not-found',
      `${res.prefix}: trace ${id} not found — it may not be ingested yet (Tempo needs a few seconds after the trace ends) or ${where}`,
      { status: res.status, url: res.url, ...(cause !== undefined ? { cause } : {}) },
    );
  }

  /**
   * TraceQL search. `start`/`end` are always sent (default: the last hour), or Tempo would only
   * search recent data. Trace IDs come back padded to 32 digits.
   */
  async search(query: SearchQuery): Promise<SearchResult> {
    const { start, end } = defaultRange(query.start, query.end, this.baseUrl);
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
    return this.run(query.signal, async (op) => {
      const res = await this.http.get(op, {
        path: '/api/search',
        query: {
          q: query.q,
          start,
          end,
          limit,
          spss,
          minDuration: query.minDuration,
          maxDuration: query.maxDuration,
        },
        accept: 'application/json',
      });
      return this.shaped(res, normalizeSearch(this.http.json(res)), 'search results');
    });
  }

  /** Tag names: `/api/v2/search/tags` (grouped by scope), or `/api/search/tags` on older Tempo. */
  async tags(scope?: TagScopeName, options: TagQueryOptions = {}): Promise<TagsResult> {
    const range = checkRange(options.start, options.end, this.baseUrl);
    return this.run(options.signal, async (op) => {
      const query = { scope, start: range.start, end: range.end };
      if (this.tagsRoute !== 'v1') {
        const res = await this.http.get(op, {
          path: '/api/v2/search/tags',
          query: { ...query, q: options.q },
          accept: 'application/json',
          accept404: true,
        });
        if (res.status !== 404) {
          this.tagsRoute = 'v2';
          return this.shaped(res, normalizeTags(this.http.json(res), 'v2', scope), 'tag names');
        }
      }
      const res = await this.http.get(op, { path: '/api/search/tags', query, accept: 'application/json' });
      this.tagsRoute = 'v1';
      return this.shaped(res, normalizeTags(this.http.json(res), 'v1', scope), 'tag names');
    });
  }

  /**
   * Values of one tag. `tag` is a TraceQL identifier (`resource.service.name`, `.service.name`,
   * `name`); on Tempo without the v2 route the scope prefix is dropped (`service.name`).
   */
  async tagValues(tag: string, options: TagQueryOptions = {}): Promise<TagValuesResult> {
    const range = checkRange(options.start, options.end, this.baseUrl);
    if (tag.trim() === '') throw new BackendError('bad-request', 'the tag name is empty');
    return this.run(options.signal, async (op) => {
      const query = { start: range.start, end: range.end };
      if (this.tagsRoute !== 'v1') {
        const res = await this.http.get(op, {
          path: `/api/v2/search/tag/${encodeURIComponent(tag)}/values`,
          query: { ...query, q: options.q },
          accept: 'application/json',
          accept404: true,
        });
        if (res.status !== 404) {
          this.tagsRoute = 'v2';
          return this.shaped(res, normalizeTagValues(this.http.json(res), 'v2'), 'tag values');
        }
      }
      const v1Tag = tag.replace(/^(resource|span|event|link|instrumentation)?\./, '');
      const res = await this.http.get(op, {
        path: `/api/search/tag/${encodeURIComponent(v1Tag)}/values`,
        query,
        accept: 'application/json',
      });
      this.tagsRoute = 'v1';
      return this.shaped(res, normalizeTagValues(this.http.json(res), 'v1'), 'tag values');
    });
  }

  /** TraceQL metrics over a range (`/api/metrics/query_range`, Tempo 2.4 and later). */
  async metricsQueryRange(query: MetricsQuery): Promise<MetricsResult> {
    const { start, end } = defaultRange(query.start, query.end, this.baseUrl);
    return this.run(query.signal, async (op) => {
      const res = await this.http.get(op, {
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
      return this.shaped(res, normalizeMetrics(this.http.json(res)), 'metrics');
    });
  }

  /**
   * Checks the connection: `/api/echo` (reachability and gateway auth), `/api/search/tags`
   * (credentials and tenant, since echo skips Tempo's auth), `/ready` (prefixed first, then at the
   * origin root, where self-hosted Tempo serves it) and `/api/status/buildinfo` (version, 2.3+).
   */
  async testConnection(options: { signal?: AbortSignal } = {}): Promise<ConnectionReport> {
    const checks: ConnectionCheck[] = [];
    const wording = this.http.wording;
    /** Requests `path`; the check passes when `judge` says so. Never throws except when cancelled. */
    const check = async (
      name: string,
      path: string,
      rootRelative: boolean,
      accept: string,
      judge: (res: HttpResponse) => { ok: boolean; message: string },
    ): Promise<ConnectionCheck & { kind?: string }> => {
      try {
        const res = await this.run(options.signal, (op) =>
          this.http.get(op, {
            path,
            rootRelative,
            accept,
            maxRetries: 0,
            acceptStatus: (s) => s === 200 || s === 503,
          }),
        );
        return { name, url: res.url, status: res.status, ...judge(res) };
      } catch (err) {
        if (err instanceof BackendError && err.kind === 'cancelled') throw err;
        if (!(err instanceof BackendError)) {
          const url = redactUrl(this.http.urlFor({ path, rootRelative }));
          return { name, url, ok: false, message: err instanceof Error ? err.message : String(err) };
        }
        return {
          name,
          url: err.url,
          ok: false,
          kind: err.kind,
          ...(err.status !== undefined ? { status: err.status } : {}),
          message: err.message,
        };
      }
    };
    const add = (c: ConnectionCheck & { kind?: string }): ConnectionCheck => {
      const { kind: _kind, ...plain } = c;
      checks.push(plain);
      return plain;
    };
    const bodyText = (res: HttpResponse) => this.http.scrub(new TextDecoder().decode(res.body));
    const notReady = (res: HttpResponse) => ({
      ok: false,
      message: `${res.prefix}: ${wording.product} is not ready${res.body.length ? `: "${bodyText(res)}"` : ''}`,
    });

    const echoResult = await check('echo', '/api/echo', false, 'text/plain', (res) =>
      res.status !== 200
        ? notReady(res)
        : /^echo\b/.test(new TextDecoder().decode(res.body.subarray(0, 16)))
          ? { ok: true, message: `${res.prefix}: ${wording.product} answered` }
          : {
              ok: false,
              message: `${res.prefix}: the server answered, but not like Tempo (check ${wording.urlSetting})`,
            },
    );
    const echo = add(echoResult);
    let version: string | undefined;
    let query: ConnectionCheck | undefined;
    // When the server cannot be reached at all, the other checks would only repeat that.
    if (echoResult.kind !== 'unreachable' && echoResult.kind !== 'timeout') {
      query = add(
        await check('query', '/api/search/tags', false, 'application/json', (res) =>
          res.status === 200 ? { ok: true, message: `${res.prefix}: queries are allowed` } : notReady(res),
        ),
      );
      const readyJudge = (res: HttpResponse) =>
        res.status === 200 ? { ok: true, message: `${res.prefix}: ready` } : notReady(res);
      const ready = await check('ready', '/ready', false, 'text/plain', readyJudge);
      const prefixed = this.http.baseUrl.pathname.replace(/\/+$/, '') !== '';
      if (!ready.ok && prefixed && ready.status === 404) {
        // Self-hosted Tempo serves /ready without http_api_prefix: try the origin root.
        const root = await check('ready', '/ready', true, 'text/plain', readyJudge);
        if (!root.ok) root.message = `${ready.url} answered 404, and then ${root.message}`;
        add(root);
      } else add(ready);
      const info = await check('buildinfo', '/api/status/buildinfo', false, 'application/json', (res) => {
        let v: string | undefined;
        try {
          const json: unknown = JSON.parse(new TextDecoder().decode(res.body));
          if (
            typeof json === 'object' &&
            json !== null &&
            'version' in json &&
            typeof json.version === 'string'
          ) {
            v = json.version;
          }
        } catch {
          // Not JSON: reported below.
        }
        if (v) version = v;
        return v
          ? { ok: true, message: `${res.prefix}: Tempo ${quoteText(v, [], 40)}` }
          : { ok: false, message: `${res.prefix}: no version in the answer` };
      });
      if (!info.ok && info.status === 404) {
        info.message = `GET ${new URL(info.url).pathname} → 404: Tempo before 2.3 has no build info`;
      }
      add(info);
    }
    const ok = echo.ok && query?.ok === true;
    const failed = checks.filter((c) => !c.ok);
    const summary = ok
      ? `Connected to ${this.name}${version ? ` (Tempo ${quoteText(version, [], 40)})` : ''}${failed.length ? `; ${failed.map((c) => `${c.name} failed`).join(', ')}` : ''}`
      : `Cannot use ${this.name}: ${(failed[0] ?? echo).message}`;
    return { ok, checks, ...(version ? { version } : {}), summary };
  }

  /** Runs `fn` as one operation with this client's deadline and the caller's signal. */
  private async run<T>(signal: AbortSignal | undefined, fn: (op: Operation) => Promise<T>): Promise<T> {
    const op = this.http.operation(signal);
    try {
      return await fn(op);
    } finally {
      op.dispose();
    }
  }

  private shaped<T>(res: HttpResponse, value: T | undefined, what: string): T {
    if (value === undefined) {
      throw new BackendError('bad-response', `${res.prefix}: the ${what} are not in the shape Tempo sends`, {
        status: res.status,
        url: res.url,
      });
    }
    return value;
  }
}

/** start/end in seconds, defaulting to the hour before now. */
function defaultRange(
  start: number | undefined,
  end: number | undefined,
  url: string,
): { start: number; end: number } {
  const checked = checkRange(start, end, url);
  const e = checked.end ?? Math.max(Math.floor(Date.now() / 1000), (checked.start ?? 0) + 1);
  const s = checked.start ?? e - 3600;
  checkRange(s, e, url);
  return { start: s, end: e };
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
