import { SpanKind, fail, startSpan, traceparent } from '../telemetry/tracing';
import type { Span } from '../telemetry/tracing';
import type { PartnerInvoiceQuery } from '../nodes/TransformNode';

export interface PartnerInvoice {
  readonly id: string;
  readonly number: string;
  readonly status: 'open' | 'paid' | 'void';
  readonly amountCents: number;
  readonly currency: string;
  readonly issuedAt: string;
}

export interface InvoicePage {
  readonly invoices: PartnerInvoice[];
  /** Opaque; absent on the last page. */
  readonly nextCursor?: string;
}

export interface PartnerApiOptions {
  /** `https://api.partner.example` in production, the sandbox in staging. */
  readonly baseUrl: string;
  readonly token: string;
  /** Deadline per request. The partner's p99 is ~4 s for a month of invoices. */
  readonly timeoutMs: number;
  /** Extra attempts on 429/502/503/504. */
  readonly retries: number;
}

export class PartnerApiError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
    readonly retryAfterMs?: number,
  ) {
    super(`partner API ${status} for ${url}`);
    this.name = 'PartnerApiError';
  }
}

const RETRYABLE = new Set([429, 502, 503, 504]);
const DEFAULT_PAGE_SIZE = 100;

/** Client for the partner's invoice API (v2). One instance per process; it holds no state. */
export class PartnerApiClient {
  constructor(
    private readonly options: PartnerApiOptions,
    private readonly http: typeof fetch = fetch,
  ) {}

  /** One page of invoices for `account`, oldest first. */
  async listInvoices(
    account: string,
    query: PartnerInvoiceQuery,
    parent: Span,
    signal: AbortSignal,
    cursor?: string,
  ): Promise<InvoicePage> {
    const url = new URL('/v2/invoices', this.options.baseUrl);
    url.searchParams.set('since', query.since);
    if (query.status !== 'any') url.searchParams.set('status', query.status);
    if (query.pageSize !== DEFAULT_PAGE_SIZE) url.searchParams.set('page_size', String(query.pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    return this.getJson<InvoicePage>(url, account, parent, signal);
  }

  private headers(account: string, span: Span): Record<string, string> {
    return {
      accept: 'application/json',
      authorization: `Bearer ${this.options.token}`,
      'x-partner-account': account,
      traceparent: traceparent(span),
    };
  }

  /** GET with a per-request deadline and retries with the server's `Retry-After`. */
  private async getJson<T>(url: URL, account: string, parent: Span, signal: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const span = startSpan(
        'GET',
        SpanKind.CLIENT,
        { 'http.request.method': 'GET', 'url.full': url.toString(), 'server.address': url.hostname },
        parent,
      );
      const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.options.timeoutMs)]);
      const headers = this.headers(account, span);
      try {
        const res = await this.http(url, { method: 'GET', headers, signal: deadline });
        span.setAttribute('http.response.status_code', res.status);
        if (res.ok) return (await res.json()) as T;
        const retryAfterMs = Number(res.headers.get('retry-after') ?? '1') * 1000;
        const error = new PartnerApiError(res.status, url.toString(), retryAfterMs);
        if (!RETRYABLE.has(res.status) || attempt >= this.options.retries) throw error;
        fail(span, error);
        await sleep(Math.min(retryAfterMs, 10_000), signal);
      } catch (err) {
        fail(span, err);
        throw err;
      } finally {
        span.end();
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
