import net from 'node:net';
import { SpanKind, withSpan } from '../telemetry/tracing';
import type { Logger } from '../telemetry/log';

/** One reply from the relay, e.g. `451 4.7.1 …` (a multi-line reply's lines joined). */
export interface SmtpReply {
  readonly code: number;
  readonly text: string;
}

export interface MailMessage {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Extra headers, e.g. `traceparent` so that the relay's logs link back to the trace. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A 4xx reply: greylisting or a busy relay; the scheduler retries the run later. */
export class SmtpTransientError extends Error {
  override readonly name = 'SmtpTransientError';
  constructor(
    readonly command: string,
    readonly reply: SmtpReply,
  ) {
    super(`SMTP ${reply.code} ${reply.text}`);
  }
}

/** A 5xx reply: retrying will not help. */
export class SmtpPermanentError extends Error {
  override readonly name = 'SmtpPermanentError';
  constructor(
    readonly command: string,
    readonly reply: SmtpReply,
  ) {
    super(`SMTP ${reply.code} ${reply.text}`);
  }
}

/**
 * Minimal SMTP client (RFC 5321, no TLS or AUTH: the relay is on loopback), one session per
 * mail. The relay greylists senders it has not seen for a while, so a 451 on RCPT TO is
 * expected now and then.
 */
export class SmtpClient {
  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly log: Logger,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Sends `message`, returns the relay's queue ID. Fails on the first recipient the relay
   * refuses: partial delivery would mail the others twice when the run is retried.
   */
  async send(message: MailMessage): Promise<string> {
    const attributes = {
      'server.address': this.host,
      'server.port': this.port,
      'network.protocol.name': 'smtp',
      'messaging.destination.name': message.to.join(','),
    };
    return withSpan('smtp.send', { kind: SpanKind.CLIENT, attributes }, async () => {
      const session = await SmtpSession.open(this.host, this.port, this.timeoutMs);
      try {
        await this.command(session, null, 220);
        await this.command(session, 'EHLO notifier.bizfirst.example', 250);
        await this.command(session, `MAIL FROM:<${message.from}>`, 250);
        for (const rcpt of message.to) await this.command(session, `RCPT TO:<${rcpt}>`, 250);
        await this.command(session, 'DATA', 354);
        const queued = await this.command(session, render(message), 250);
        return /queued as (\S+)/.exec(queued.text)?.[1] ?? 'unknown';
      } finally {
        await session.quit();
      }
    });
  }

  /** Sends `line` (or only reads, for the greeting) and checks the reply code. */
  private async command(session: SmtpSession, line: string | null, expect: number): Promise<SmtpReply> {
    const reply = await session.exchange(line);
    const shown = line === null ? '(greeting)' : line.startsWith('From:') ? '(message)' : line;
    this.log.debug('smtp', { command: shown, reply: `${reply.code} ${reply.text}` });
    if (reply.code === expect) return reply;
    if (reply.code >= 400 && reply.code < 500) throw new SmtpTransientError(shown, reply);
    throw new SmtpPermanentError(shown, reply);
  }
}

/** A TCP connection to the relay that reads one reply per command. */
class SmtpSession {
  private buffer = '';
  private lines: string[] = [];
  private waiting: ((reply: SmtpReply) => void) | undefined;
  private failed: ((err: Error) => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (err) => this.failed?.(err));
    socket.on('close', () => this.failed?.(new Error('SMTP relay closed the connection')));
  }

  static open(host: string, port: number, timeoutMs: number): Promise<SmtpSession> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port, timeout: timeoutMs });
      socket.once('connect', () => resolve(new SmtpSession(socket)));
      socket.once('error', reject);
      socket.once('timeout', () => socket.destroy(new Error(`SMTP relay ${host}:${port}: timeout`)));
    });
  }

  exchange(line: string | null): Promise<SmtpReply> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      if (line !== null) this.socket.write(`${line}\r\n`);
    });
  }

  async quit(): Promise<void> {
    if (!this.socket.destroyed) {
      await this.exchange('QUIT').catch(() => undefined);
      this.socket.end();
    }
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\r\n')) >= 0) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.lines.push(line);
      // `250-…` continues a reply, `250 …` ends it.
      if (line.length >= 4 && line[3] === '-') continue;
      const reply = {
        code: Number(line.slice(0, 3)),
        text: this.lines.map((l) => l.slice(4)).join(' / '),
      };
      this.lines = [];
      const waiting = this.waiting;
      this.waiting = undefined;
      this.failed = undefined;
      waiting?.(reply);
    }
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
