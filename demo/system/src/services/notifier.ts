// First import: it hooks node:http for the instrumentation before anything else loads it.
import { startTelemetry } from '../telemetry/otel';
import { SmtpClient } from '../clients/SmtpClient';
import { NotifyNode } from '../nodes/NotifyNode';
import { createLogger } from '../telemetry/log';
import { startServer } from './httpServer';
import { appLogPath, requireEnv, runService } from './lifecycle';
import { nodeRoute } from './nodeRoute';

/** `notifier`: runs NotifyNode for the engine; mails through the relay at `SMTP_RELAY` (host:port). */
async function main() {
  const service = process.env['OTEL_SERVICE_NAME'] ?? 'notifier';
  const telemetry = startTelemetry(service);
  // The notifier logs JSON lines (pino style); the other services logfmt.
  const log = createLogger(service, { file: appLogPath(), format: 'json' });
  const relay = requireEnv('SMTP_RELAY');
  const [host = '127.0.0.1', port = '25'] = relay.split(':');
  const node = new NotifyNode(new SmtpClient(host, Number(port), log));
  const started = await startServer([nodeRoute(log, { 'NotifyNode.send': (ctx) => node.send(ctx) })]);
  log.info('notifier ready', { port: started.port, smtp_relay: relay });
  runService(service, telemetry, started.server, started.port);
}

void main();
