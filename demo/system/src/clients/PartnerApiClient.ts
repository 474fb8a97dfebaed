import http from 'node:http';
import { errorOf, readJson } from './httpJson';
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

export class PartnerApiError extends Error {
  override readonly name = 'PartnerApiError';
  constructor(
    readonly status: number,
    readonly url: string,
    detail: string,
  ) {
    super(`partner API ${status} for ${url}: ${detail}`);
  }
}

/**
 * Client for the partner's invoice API (v2); `PARTNER_API_URL` points at the stub run.mjs
 * starts. Each page is one GET, traced by the http instrumentation (a CLIENT span whose
 * `code.*` is the `http.request` line below).
 */
export class PartnerApiClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {}

  /** One page of invoices for `account`, oldest first. */
  listInvoices(account: string, query: PartnerInvoiceQuery, cursor?: string): Promise<InvoicePage> {
    const url = new URL('/v2/invoices', this.baseUrl);
    url.searchParams.set('since', query.since);
    if (query.status !== 'any') url.searchParams.set('status', query.status);
    url.searchParams.set('page_size', String(query.pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method: 'GET',
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${this.token}`,
          'x-partner-account': account,
        },
        timeout: this.timeoutMs,
      });
      req.on('timeout', () => req.destroy(new Error(`partner API: no answer within ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        readJson(res).then((json) => {
          if (res.statusCode === 200) resolve(json as InvoicePage);
          else reject(new PartnerApiError(res.statusCode ?? 0, url.toString(), errorOf(json)?.message ?? ''));
        }, reject);
      });
      req.end();
    });
  }
}
