/**
 * Tempo through Grafana's datasource proxy: `<grafana>/api/datasources/proxy/uid/<uid>/<tempo path>`
 * with a Grafana service-account token. Grafana forwards requests with the data source's own
 * credentials, so the token only has to get past Grafana.
 */
import type { ConnectionReport, GetTraceOptions, SearchQuery, SearchResult, TraceBackend } from '../backend';
import { BackendError, redactUrl } from '../errors';
import type { StatusContext } from '../http';
import {
  TempoClient,
  type MetricsInstantQuery,
  type MetricsInstantResult,
  type MetricsQuery,
  type MetricsResult,
  type TagQueryOptions,
  type TagScopeName,
  type TagsResult,
  type TagValuesResult,
  type TempoClientOptions,
  type TempoTraceResult,
} from '../tempo/client';

/** Options for `GrafanaBackend`: those of `TempoClient`, with a Grafana proxy URL. */
export interface GrafanaBackendOptions extends Omit<TempoClientOptions, 'classify'> {
  /** `<grafana>/api/datasources/proxy/uid/<datasource uid>` (or the deprecated numeric `/proxy/<id>`). */
  baseUrl: string;
}

const PROXY_PATH = /\/api\/datasources\/proxy\/(uid\/([^/]+)|(\d+))\/?$/;

/** The datasource proxy URL for a Grafana base URL and a Tempo data source UID. */
export function grafanaProxyUrl(grafanaUrl: string, datasourceUid: string): string {
  const base = grafanaUrl.trim().replace(/\/+$/, '');
  return `${base}/api/datasources/proxy/uid/${encodeURIComponent(datasourceUid.trim())}`;
}

/** The data source UID (or numeric ID) in a proxy URL, or undefined when it is not one. */
export function datasourceOf(url: string): string | undefined {
  try {
    const m = PROXY_PATH.exec(new URL(url).pathname);
    if (!m) return undefined;
    return m[2] !== undefined ? decodeURIComponent(m[2]) : m[3];
  } catch {
    return undefined;
  }
}

/** Grafana's own answers, which would otherwise read as Tempo's. */
function grafanaStatus(ctx: StatusContext, datasource: string): BackendError | undefined {
  const init = { status: ctx.status, url: ctx.url };
  if (ctx.redirectedTo) return undefined;
  // Grafana turns the data source's 401 into 400 "Authentication to data source failed".
  if (ctx.status === 400 && /authentication to data ?source failed/i.test(ctx.bodyText)) {
    return new BackendError(
      'unauthorized',
      `${ctx.prefix}: Grafana could not sign in to the Tempo data source "${datasource}" (Tempo or its gateway answered 401); fix the data source's credentials in Grafana`,
      init,
    );
  }
  if (ctx.status === 401) {
    return new BackendError(
      'unauthorized',
      ctx.sentCredentials
        ? `${ctx.prefix}: Grafana refused the service account token; check it with "Trace Lens: Set Credentials…"`
        : `${ctx.prefix}: Grafana needs a service account token; set it with "Trace Lens: Set Credentials…"`,
      init,
    );
  }
  if (ctx.status === 403) {
    return new BackendError(
      'forbidden',
      `${ctx.prefix}: Grafana denied access to data source "${datasource}"; give the service account the Viewer role or query permission on it`,
      init,
    );
  }
  // Grafana's JSON 404 for an unknown UID, as opposed to Tempo's plain-text ones.
  if (ctx.status === 404 && /json/i.test(ctx.contentType) && /data ?source/i.test(ctx.bodyText)) {
    return new BackendError(
      'bad-request',
      `${ctx.prefix}: Grafana has no data source "${datasource}"; check the data source UID in the backend URL`,
      init,
    );
  }
  return undefined;
}

/** A Tempo data source reached through Grafana. */
export class GrafanaBackend implements TraceBackend {
  readonly kind = 'grafana' as const;
  readonly name: string;
  /** The underlying Tempo client, for tags and metrics. */
  readonly tempo: TempoClient;
  /** The Tempo behind Grafana leaves out what it leaves out. */
  get recentCutoffMs(): number {
    return this.tempo.recentCutoffMs;
  }

  constructor(options: GrafanaBackendOptions) {
    const datasource = datasourceOf(options.baseUrl);
    if (datasource === undefined) {
      throw new BackendError(
        'bad-request',
        `"${redactUrl(options.baseUrl)}" is not a Grafana data source proxy URL; use <grafana>/api/datasources/proxy/uid/<Tempo data source UID>`,
        { url: redactUrl(options.baseUrl) },
      );
    }
    const host = (() => {
      try {
        return new URL(options.baseUrl).host;
      } catch {
        return options.baseUrl;
      }
    })();
    this.name = options.name ?? `Grafana ${host} (${datasource})`;
    this.tempo = new TempoClient({
      ...options,
      wording: { product: 'Tempo (through Grafana)', ...options.wording },
      name: this.name,
      classify: (ctx) => grafanaStatus(ctx, datasource),
    });
  }

  getTrace(traceId: string, options?: GetTraceOptions): Promise<TempoTraceResult> {
    return this.tempo.getTrace(traceId, options);
  }

  cachedTrace(traceId: string): TempoTraceResult | undefined {
    return this.tempo.cachedTrace(traceId);
  }

  clearCache(traceId?: string): void {
    this.tempo.clearCache(traceId);
  }

  search(query: SearchQuery): Promise<SearchResult> {
    return this.tempo.search(query);
  }

  tags(scope?: TagScopeName, options?: TagQueryOptions): Promise<TagsResult> {
    return this.tempo.tags(scope, options);
  }

  tagValues(tag: string, options?: TagQueryOptions): Promise<TagValuesResult> {
    return this.tempo.tagValues(tag, options);
  }

  metricsQueryRange(query: MetricsQuery): Promise<MetricsResult> {
    return this.tempo.metricsQueryRange(query);
  }

  metricsQuery(query: MetricsInstantQuery): Promise<MetricsInstantResult> {
    return this.tempo.metricsQuery(query);
  }

  testConnection(options?: { signal?: AbortSignal }): Promise<ConnectionReport> {
    return this.tempo.testConnection(options);
  }
}
