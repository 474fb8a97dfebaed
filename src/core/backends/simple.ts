/**
 * The shape Jaeger's and Zipkin's query APIs share: one GET per trace returning JSON, and a
 * services list that shows the server answers.
 */
import type { TraceFormat } from '../decode';
import type { BackendKind, ConnectionReport, GetTraceOptions, TraceBackend, TraceResult } from './backend';
import { DEFAULT_CACHE_BYTES, TraceFetchCache } from './cache';
import { decodeBody } from './decode';
import { BackendError, redactUrl } from './errors';
import {
  HttpTransport,
  type Auth,
  type FetchLike,
  type HttpResponse,
  type Operation,
  type Wording,
} from './http';
import { backendTraceId, requireTraceId, shortTraceId } from './ids';

/** Options shared by the Jaeger and Zipkin backends. */
export interface HttpBackendOptions {
  /** Base URL of the query service, with any path prefix. */
  baseUrl: string;
  name?: string;
  fetch?: FetchLike;
  auth?: Auth;
  /** Extra headers, sent only to the base URL's origin. */
  headers?: Record<string, string>;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  maxBytes?: number;
  /** Budget of the recent-trace cache. Default 64 MB; 0 disables it. */
  cacheMaxBytes?: number;
  maxRetries?: number;
  retryBaseDelayMs?: number;
  maxRetryWaitMs?: number;
  wording?: Partial<Wording>;
}

/** What differs between the simple JSON backends. */
export interface SimpleApi {
  kind: BackendKind;
  product: string;
  /** Path of one trace, from the padded ID and its 16-hex form when the top half is zero. */
  tracePath(id32: string, short: string): string;
  format: TraceFormat;
  /** A cheap authenticated GET that proves the API answers. */
  healthPath: string;
}

/** A backend with one JSON GET per trace (Jaeger, Zipkin). */
export class SimpleHttpBackend implements TraceBackend {
  readonly kind: BackendKind;
  readonly name: string;
  protected readonly http: HttpTransport;
  private readonly cache: TraceFetchCache;

  constructor(
    private readonly api: SimpleApi,
    options: HttpBackendOptions,
  ) {
    this.kind = api.kind;
    this.http = new HttpTransport({
      ...options,
      wording: {
        product: api.product,
        urlSetting: `the ${api.product} URL`,
        credentialsCommand: 'Trace Lens: Set Credentials…',
        ...options.wording,
      },
    });
    const base = this.http.baseUrl;
    this.name =
      options.name ??
      `${api.product} ${base.host}${base.pathname === '/' ? '' : base.pathname.replace(/\/+$/, '')}`;
    this.cache = new TraceFetchCache(options.cacheMaxBytes ?? DEFAULT_CACHE_BYTES);
  }

  /** Fetches one trace. The time range is not used: these APIs look the ID up directly. */
  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<TraceResult> {
    const id = requireTraceId(traceId, redactUrl(this.http.baseUrl));
    return this.cache.get({
      key: id,
      signal: options.signal,
      noCache: options.noCache,
      start: () => this.http.operation(),
      run: (op) => this.fetchTrace(op, id),
      cancelled: () =>
        new BackendError('cancelled', `fetching trace ${id} was cancelled`, {
          url: redactUrl(this.http.baseUrl),
        }),
    });
  }

  /** The trace as the fetch cache holds it; sends nothing. */
  cachedTrace(traceId: string): TraceResult | undefined {
    const id = backendTraceId(traceId);
    return id === undefined ? undefined : this.cache.peek(id);
  }

  /** Forgets cached traces (all, or one trace ID). */
  clearCache(traceId?: string): void {
    const id = traceId === undefined ? undefined : backendTraceId(traceId);
    this.cache.forget(traceId === undefined ? undefined : (key) => key === id);
  }

  private async fetchTrace(op: Operation, id: string): Promise<{ result: TraceResult; bodyBytes: number }> {
    const res = await this.http.get(op, {
      path: this.api.tracePath(id, shortTraceId(id)),
      accept: 'application/json',
      accept404: true,
    });
    const notFound = (cause?: unknown) =>
      new BackendError(
        'not-found',
        `${res.prefix}: trace ${id} not found — it may not be stored yet, or it is older than ${this.api.product}'s retention`,
        { status: res.status, url: res.url, ...(cause !== undefined ? { cause } : {}) },
      );
    if (res.status === 404) throw notFound();
    const decoded = decodeBody(res.body, this.api.format, { ...res, mask: this.http.mask }, notFound);
    const result: TraceResult = {
      decoded,
      partial: decoded.model.partial,
      ...(decoded.model.partial && decoded.model.partialMessage
        ? { message: decoded.model.partialMessage }
        : {}),
    };
    return { result, bodyBytes: res.body.length };
  }

  /** GETs the health path (a services list) and says whether the API answered. */
  async testConnection(options: { signal?: AbortSignal } = {}): Promise<ConnectionReport> {
    const op = this.http.operation(options.signal);
    const url = redactUrl(this.http.urlFor({ path: this.api.healthPath }));
    try {
      const res: HttpResponse = await this.http.get(op, {
        path: this.api.healthPath,
        accept: 'application/json',
      });
      this.http.json(res);
      const message = `${res.prefix}: ${this.api.product} answered`;
      return {
        ok: true,
        checks: [{ name: 'services', url: res.url, ok: true, status: res.status, message }],
        summary: `Connected to ${this.name}`,
      };
    } catch (err) {
      if (err instanceof BackendError && err.kind === 'cancelled') throw err;
      const message = err instanceof Error ? err.message : String(err);
      const status = err instanceof BackendError ? err.status : undefined;
      return {
        ok: false,
        checks: [{ name: 'services', url, ok: false, ...(status !== undefined ? { status } : {}), message }],
        summary: `Cannot use ${this.name}: ${message}`,
      };
    } finally {
      op.dispose();
    }
  }
}
