import type { NodeOutput, StepContext } from '../engine/types';
import type { PartnerApiClient, PartnerInvoice } from '../clients/PartnerApiClient';
import { withSpan } from '../telemetry/tracing';
import type { PartnerInvoiceQuery } from './TransformNode';

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
 * Step 3: pulls the account's invoices from the partner API, page by page. Runs in the
 * `data-fetch` service so that slow partner calls hold its workers, not the engine's.
 */
export class DataFetchNode {
  constructor(
    private readonly partner: PartnerApiClient,
    /** Stop after this many pages; the next scheduled run picks up the rest. */
    private readonly maxPages = 20,
    /** The partner's SLO is 2 s per page. */
    private readonly slowPageMs = 2_000,
  ) {}

  static totals(invoices: readonly PartnerInvoice[]): InvoiceTotals {
    const openCents: Record<string, number> = {};
    for (const inv of invoices) {
      if (inv.status === 'open') openCents[inv.currency] = (openCents[inv.currency] ?? 0) + inv.amountCents;
    }
    return { count: invoices.length, openCents };
  }

  async fetch(ctx: StepContext): Promise<NodeOutput> {
    return withSpan('DataFetchNode.fetch', { attributes: { 'workflow.step': ctx.step } }, async (span) => {
      const { partnerAccount, query, recipients } = ctx.input as unknown as FetchInput;
      const invoices: PartnerInvoice[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const started = Date.now();
        // The partner computes a whole month on the first page (seconds); later pages come
        // from their cache.
        const page = await this.partner.listInvoices(partnerAccount, query, cursor);
        const ms = Date.now() - started;
        if (ms > this.slowPageMs) {
          ctx.log.warn('partner API slow', { ms, page: pages + 1, invoices: page.invoices.length });
        }
        invoices.push(...page.invoices);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < this.maxPages);

      if (cursor) ctx.log.warn('page limit reached; rest deferred to the next run', { pages });
      span.setAttributes({ 'invoices.count': invoices.length, 'invoices.pages': pages });
      ctx.log.info('invoices fetched', { count: invoices.length, pages });
      const totals = DataFetchNode.totals(invoices);
      return { partnerAccount, recipients, totals, truncated: Boolean(cursor) };
    });
  }
}
