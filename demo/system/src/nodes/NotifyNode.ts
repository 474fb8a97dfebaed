import { context, propagation } from '@opentelemetry/api';
import type { NodeOutput, StepContext } from '../engine/types';
import type { MailMessage, SmtpClient } from '../clients/SmtpClient';
import { withSpan } from '../telemetry/tracing';
import type { InvoiceTotals } from './DataFetchNode';

interface NotifyInput {
  readonly partnerAccount: string;
  readonly recipients: string[];
  readonly totals: InvoiceTotals;
  readonly truncated: boolean;
}

/** Step 4: mails the sync summary to the billing contacts. Runs in the `notifier` service. */
export class NotifyNode {
  constructor(private readonly smtp: SmtpClient) {}

  async send(ctx: StepContext): Promise<NodeOutput> {
    return withSpan('NotifyNode.send', { attributes: { 'workflow.step': ctx.step } }, async (span) => {
      const id = await this.smtp.send(this.compose(ctx, ctx.input as unknown as NotifyInput));
      span.setAttribute('messaging.message.id', id);
      ctx.log.info('summary mail queued', { message_id: id });
      return { notified: true, messageId: id };
    });
  }

  private compose(ctx: StepContext, input: NotifyInput): MailMessage {
    const open = Object.entries(input.totals.openCents)
      .map(([currency, cents]) => `${(cents / 100).toFixed(2)} ${currency}`)
      .join(', ');
    // The relay logs the traceparent header, which links its side back to this trace.
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    return {
      from: 'billing-sync@bizfirst.example',
      to: input.recipients,
      subject: `Invoice sync for ${input.partnerAccount}: ${input.totals.count} invoices`,
      text: [
        `${input.totals.count} invoices synced${input.truncated ? ' (more in the next run)' : ''}.`,
        `Open: ${open || 'nothing'}.`,
      ].join('\n'),
      headers: { ...carrier, 'X-Workflow-Run': ctx.runId },
    };
  }
}
