import type { NodeContext, NodeOutput } from '../engine/types';
import type { MailMessage, SmtpClient } from '../clients/SmtpClient';
import { traceparent } from '../telemetry/tracing';
import type { InvoiceTotals } from './DataFetchNode';

/** Mails the sync summary to the billing contacts. Deployed as the `notifier` service. */
export class NotifyNode {
  readonly label = 'Send summary mail';

  constructor(private readonly relayFor: (tenant: string) => SmtpClient) {}

  async send(ctx: NodeContext): Promise<NodeOutput> {
    const smtp = this.relayFor(ctx.tenant);
    const id = await smtp.send(this.compose(ctx, ctx.input as unknown as NotifyInput));
    ctx.span.setAttribute('messaging.message.id', id);
    ctx.log.info('summary mail queued', { message_id: id });
    return { notified: true, messageId: id };
  }

  private compose(ctx: NodeContext, input: NotifyInput): MailMessage {
    const open = Object.entries(input.totals.openCents)
      .map(([currency, cents]) => `${(cents / 100).toFixed(2)} ${currency}`)
      .join(', ');
    return {
      from: 'billing-sync@bizfirst.example',
      to: input.recipients,
      subject: `Invoice sync for ${input.partnerAccount}: ${input.totals.count} invoices`,
      text: [
        `${input.totals.count} invoices synced${input.truncated ? ' (more in the next run)' : ''}.`,
        `Open: ${open || 'nothing'}.`,
      ].join('\n'),
      headers: { traceparent: traceparent(ctx.span), 'X-Workflow-Run': ctx.runId },
    };
  }
}

interface NotifyInput {
  readonly partnerAccount: string;
  readonly recipients: string[];
  readonly totals: InvoiceTotals;
  readonly truncated: boolean;
}
