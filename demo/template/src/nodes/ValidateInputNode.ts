import type { NodeContext, NodeOutput } from '../engine/types';

/** Input of the invoice-sync workflow as the scheduler sends it. */
export interface InvoiceSyncInput {
  readonly accountId: string;
  /** First day to sync, `YYYY-MM-DD`. */
  readonly since: string;
  readonly notify: readonly string[];
}

const ACCOUNT_ID = /^acct_[0-9a-z]{12}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Rejects malformed runs before anything talks to the partner API. */
export class ValidateInputNode {
  readonly maxRecipients = 20;

  async run(ctx: NodeContext): Promise<NodeOutput> {
    const { accountId, since, notify } = ctx.input as Partial<InvoiceSyncInput>;
    const problems: string[] = [];
    if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) problems.push('accountId');
    if (typeof since !== 'string' || !ISO_DAY.test(since) || Number.isNaN(Date.parse(since))) {
      problems.push('since');
    }
    if (!Array.isArray(notify) || notify.length === 0 || notify.length > this.maxRecipients) {
      problems.push('notify');
    }
    if (problems.length > 0) {
      throw new Error(`invalid workflow input: ${problems.join(', ')}`);
    }
    ctx.span.setAttribute('account.id', accountId as string);
    ctx.log.info('input ok', { account: accountId, since, recipients: (notify as string[]).length });
    return { accountId, since, notify };
  }
}
