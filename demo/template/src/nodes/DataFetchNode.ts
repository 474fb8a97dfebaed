import type { NodeContext, NodeOutput } from '../engine/types';
import type { PartnerApiClient, PartnerInvoice } from '../clients/PartnerApiClient';
import type { PartnerInvoiceQuery } from './TransformNode';

export interface DataFetchOptions {
  /** Stop after this many pages; the next scheduled run picks up the rest. */
  readonly maxPages: number;
  /** Warn when one page takes longer than this (the partner's SLO is 2 s per page). */
  readonly slowPageMs: number;
}

/** What TransformNode hands over. */
interface FetchInput {
  readonly partnerAccount: string;
  readonly query: PartnerInvoiceQuery;
  readonly recipients: string[];
}

/** Summary per currency, for the notification mail. */
export interface InvoiceTotals {
  readonly count: number;
  readonly openCents: Record<string, number>;
}

/**
 * Pulls the account's invoices from the partner API, page by page. Deployed as the `data-fetch`
 * service so that slow partner calls hold its pods, not the engine's.
 */
export class DataFetchNode {
  readonly label = 'Fetch partner invoices';

  constructor(
    private readonly partner: PartnerApiClient,
    private readonly options: DataFetchOptions = { maxPages: 50, slowPageMs: 2_000 },
  ) {}

  static totals(invoices: readonly PartnerInvoice[]): InvoiceTotals {
    const openCents: Record<string, number> = {};
    for (const inv of invoices) {
      if (inv.status === 'open') openCents[inv.currency] = (openCents[inv.currency] ?? 0) + inv.amountCents;
    }
    return { count: invoices.length, openCents };
  }

  async fetch(ctx: NodeContext): Promise<NodeOutput> {
    const { partnerAccount, query, recipients } = ctx.input as unknown as FetchInput;
    const invoices: PartnerInvoice[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const started = Date.now();
      // One page is one GET /v2/invoices; the partner computes a whole month per request, so the
      // first page of a new month is slow (seconds). Pages after it come from their cache.
      // Retries and the per-request deadline live in PartnerApiClient.
      const page = await this.partner.listInvoices(partnerAccount, query, ctx.span, ctx.signal, cursor);
      const ms = Date.now() - started;
      if (ms > this.options.slowPageMs) {
        ctx.log.warn('partner API slow', { ms, page: pages + 1, invoices: page.invoices.length });
      }
      invoices.push(...page.invoices);
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < this.options.maxPages);

    if (cursor) ctx.log.warn('page limit reached; rest deferred to the next run', { pages });
    ctx.span.setAttribute('invoices.count', invoices.length);
    ctx.log.info('invoices fetched', { count: invoices.length, pages });
    return { partnerAccount, recipients, totals: DataFetchNode.totals(invoices), truncated: Boolean(cursor) };
  }
}
