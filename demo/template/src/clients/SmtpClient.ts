/** One reply line from the relay, e.g. `451 temporary failure`. */
export interface SmtpReply {
  readonly code: number;
  readonly text: string;
}

/** A connected, authenticated session (TLS and AUTH happen in the transport). */
export interface SmtpSession {
  command(line: string): Promise<SmtpReply>;
  /** Sends the DATA body and returns the relay's final reply (`250 2.0.0 Ok: queued as <id>`). */
  data(body: string): Promise<SmtpReply>;
  quit(): Promise<void>;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Extra headers, e.g. `traceparent` so that the relay's logs link back to the trace. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A 5xx reply: retrying will not help, the step fails for good. */
export class SmtpPermanentError extends Error {
  constructor(
    readonly recipient: string,
    readonly reply: SmtpReply,
  ) {
    super(`SMTP ${reply.code} ${reply.text} for ${recipient}`);
    this.name = 'SmtpPermanentError';
  }
}

/**
 * Minimal SMTP client for the transactional relay; one session per mail. The relay
 * (`smtp-relay.internal:587`) greylists senders it has not seen for a while, so a 451 on
 * RCPT TO is expected now and then.
 */
export class SmtpClient {
  constructor(
    private readonly connect: () => Promise<SmtpSession>,
    private readonly relayHost: string,
  ) {}

  /**
   * Sends `message` and returns the relay's queue ID. Fails on the first recipient the relay
   * refuses: partial delivery would mail the others twice when the step is retried.
   */
  async send(message: MailMessage): Promise<string> {
    const session = await this.connect();
    try {
      await this.expect(session.command(`MAIL FROM:<${message.from}>`), 250);
      for (const rcpt of message.to) {
        const reply = await session.command(`RCPT TO:<${rcpt}>`);
        switch (Math.floor(reply.code / 100)) {
          case 2:
            continue;
          case 4:
            // Greylisting or a busy relay: transient (the scheduler retries plain Errors).
            throw new Error(`SMTP ${reply.code} ${reply.text}`);
          default:
            throw new SmtpPermanentError(rcpt, reply);
        }
      }
      await this.expect(session.command('DATA'), 354);
      const queued = await this.expect(session.data(render(message)), 250);
      return /queued as (\S+)/.exec(queued.text)?.[1] ?? `${this.relayHost}:unknown`;
    } finally {
      await session.quit().catch(() => undefined);
    }
  }

  private async expect(pending: Promise<SmtpReply>, code: number): Promise<SmtpReply> {
    const reply = await pending;
    if (reply.code !== code) throw new Error(`SMTP ${reply.code} ${reply.text} (expected ${code})`);
    return reply;
  }
}

function render(message: MailMessage): string {
  const headers: Record<string, string> = {
    From: message.from,
    To: message.to.join(', '),
    Subject: message.subject,
    'Content-Type': 'text/plain; charset=utf-8',
    ...message.headers,
  };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  // Dot-stuffing: a line that starts with "." gets a second one (RFC 5321, 4.5.2).
  const body = message.text.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..');
  return `${head.join('\r\n')}\r\n\r\n${body}\r\n.`;
}
