import type { NodeOutput, StepContext } from '../engine/types';
import { stepAttributes } from '../engine/types';
import { withSpan } from '../telemetry/tracing';
import type { SyncInput } from './ValidateInputNode';

/** The partner's invoice query (their API v2). */
export interface PartnerInvoiceQuery {
  readonly since: string;
  readonly status: 'open' | 'paid' | 'any';
  readonly pageSize: number;
}

/** Step 2: maps our account to the partner's account ID and builds their query. */
export class TransformNode {
  async run(ctx: StepContext): Promise<NodeOutput> {
    return withSpan('node.TransformNode', { attributes: stepAttributes(ctx) }, async () => {
      const input = ctx.input as unknown as SyncInput;
      // The partner keys accounts by the upper-case suffix of ours: acct_7k2m… -> 7K2M…
      const partnerAccount = input.account.replace(/^acct_/, '').toUpperCase();
      const query: PartnerInvoiceQuery = { since: input.since, status: 'any', pageSize: 100 };
      ctx.log.debug('mapped input', { partner_account: partnerAccount, recipients: input.recipients.length });
      return { partnerAccount, query, recipients: input.recipients };
    });
  }
}
