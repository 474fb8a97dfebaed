import type { NodeOutput, StepContext } from '../engine/types';
import { stepAttributes } from '../engine/types';
import { withSpan } from '../telemetry/tracing';

/** The scheduler's input for one invoice sync. */
export interface SyncInput {
  readonly account: string;
  /** First day to sync, `YYYY-MM-DD`. */
  readonly since: string;
  readonly recipients: readonly string[];
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

const ACCOUNT = /^acct_[a-z0-9]{12}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;

/** Step 1: rejects a malformed schedule entry before anything calls a partner. */
export class ValidateInputNode {
  async run(ctx: StepContext): Promise<NodeOutput> {
    return withSpan('node.ValidateInputNode', { attributes: stepAttributes(ctx) }, async (span) => {
      const input = ValidateInputNode.parse(ctx.input);
      span.setAttribute('recipients.count', input.recipients.length);
      ctx.log.info('input ok', {
        account: input.account,
        since: input.since,
        recipients: input.recipients.length,
      });
      return { ...input };
    });
  }

  static parse(raw: NodeOutput): SyncInput {
    const { account, since, recipients } = raw;
    if (typeof account !== 'string' || !ACCOUNT.test(account)) {
      throw new ValidationError(`account must look like acct_xxxxxxxxxxxx, got ${JSON.stringify(account)}`);
    }
    if (typeof since !== 'string' || !DAY.test(since) || Number.isNaN(Date.parse(since))) {
      throw new ValidationError(`since must be a YYYY-MM-DD date, got ${JSON.stringify(since)}`);
    }
    if (!Array.isArray(recipients) || recipients.length === 0) {
      throw new ValidationError('recipients must list at least one address');
    }
    for (const r of recipients) {
      if (typeof r !== 'string' || !EMAIL.test(r))
        throw new ValidationError(`not a mail address: ${String(r)}`);
    }
    return { account, since, recipients: recipients as string[] };
  }
}
