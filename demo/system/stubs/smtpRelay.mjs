// The mail relay, as a stub on loopback: a TCP server that speaks enough SMTP (RFC 5321) for the
// notifier's client. It greylists: every RCPT TO gets `451 4.7.1`, the temporary failure a relay
// answers to a sender it has not seen for a while. With `greylist: false` it accepts the mail.
import { createServer } from 'node:net';

/** Starts the relay on 127.0.0.1 (any free port); resolves to `{ host, port, sessions, close() }`. */
export async function startSmtpRelay({ greylist = true } = {}) {
  const sessions = [];
  const sockets = new Set();
  let queued = 0;
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const session = { commands: [], headers: '' };
    sessions.push(session);
    let buffer = '';
    let inData = false;
    let data = [];
    const reply = (...lines) =>
      socket.write(
        lines.map((l, i) => `${l.slice(0, 3)}${i < lines.length - 1 ? '-' : ' '}${l.slice(4)}\r\n`).join(''),
      );
    reply('220 smtp-relay.demo ESMTP (Trace Lens demo stub)');
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            session.headers = data.slice(0, data.indexOf('')).join('\n');
            data = [];
            queued += 1;
            reply(`250 2.0.0 Ok: queued as DEMO${String(queued).padStart(6, '0')}`);
          } else {
            data.push(line);
          }
          continue;
        }
        session.commands.push(line);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') reply('250 smtp-relay.demo', '250 PIPELINING', '250 8BITMIME');
        else if (verb === 'HELO') reply('250 smtp-relay.demo');
        else if (verb === 'MAIL') reply('250 2.1.0 Ok');
        else if (verb === 'RCPT' && greylist) {
          const rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply(`451 4.7.1 <${rcpt}>: Recipient address rejected: greylisted, try again in 15 minutes`);
        } else if (verb === 'RCPT') reply('250 2.1.5 Ok');
        else if (verb === 'DATA') {
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 2.0.0 Ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 Bye');
          socket.end();
        } else reply('502 5.5.2 Error: command not recognized');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: '127.0.0.1',
    port: server.address().port,
    sessions,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
