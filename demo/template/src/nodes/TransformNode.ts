import type { NodeContext, NodeOutput } from '../engine/types';
import type { InvoiceSyncInput } from './ValidateInputNode';

/** Query the partner API understands (`GET /v2/invoices`). */
export interface PartnerInvoiceQuery {
  readonly since: string;
  readonly status: 'open' | 'paid' | 'any';
  readonly pageSize: number;
}

export interface TransformOptions {
  /** Partner account IDs are our account IDs without the `acct_` prefix, upper-cased. */
  readonly accountPrefix: string;
  readonly pageSize: number;
}

/**
 * Maps the validated workflow input to the partner's vocabulary: their account ID, their query
 * parameters, and the recipients of the summary mail.
 */
export class TransformNode {
  readonly label = 'Map to partner query';

  constructor(private readonly options: TransformOptions = { accountPrefix: 'acct_', pageSize: 100 }) {}

  /** Pure mapping; kept as a node so that the workflow editor can show and test it. */
  async run(ctx: NodeContext): Promise<NodeOutput> {
    const input = ctx.input as unknown as InvoiceSyncInput;
    const partnerAccount = input.accountId.slice(this.options.accountPrefix.length).toUpperCase();
    const query: PartnerInvoiceQuery = {
      since: input.since,
      status: 'any',
      pageSize: this.options.pageSize,
    };
    const recipients = [...new Set(input.notify.map((r) => r.trim().toLowerCase()))];
    ctx.span.setAttribute('partner.account', partnerAccount);
    ctx.log.debug('mapped input', { partner_account: partnerAccount, recipients: recipients.length });
    return { partnerAccount, query, recipients };
  }
}
