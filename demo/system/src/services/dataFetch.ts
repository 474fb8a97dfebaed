// First import: it hooks node:http for the instrumentation before anything else loads it.
import { startTelemetry } from '../telemetry/otel';
import { PartnerApiClient } from '../clients/PartnerApiClient';
import { DataFetchNode } from '../nodes/DataFetchNode';
import { createLogger } from '../telemetry/log';
import { startServer } from './httpServer';
import { appLogPath, requireEnv, runService } from './lifecycle';
import { nodeRoute } from './nodeRoute';

/** `data-fetch`: runs DataFetchNode for the engine, against the partner API (`PARTNER_API_URL`). */
async function main() {
  const service = process.env['OTEL_SERVICE_NAME'] ?? 'data-fetch';
  const telemetry = startTelemetry(service);
  const log = createLogger(service, { file: appLogPath(), format: 'logfmt' });
  const partner = new PartnerApiClient(
    requireEnv('PARTNER_API_URL'),
    process.env['PARTNER_API_TOKEN'] ?? 'demo',
  );
  const node = new DataFetchNode(partner);
  const { server, port } = await startServer([
    nodeRoute(log, { 'DataFetchNode.fetch': (ctx) => node.fetch(ctx) }),
  ]);
  log.info('data-fetch ready', { port, partner_api: process.env['PARTNER_API_URL'] });
  runService(service, telemetry, server, port);
}

void main();
