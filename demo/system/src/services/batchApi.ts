// First import: it hooks node:http for the instrumentation before anything else loads it.
import { startTelemetry } from '../telemetry/otel';
import { BatchService } from '../batches/BatchService';
import { StubDatabase } from '../db/StubDatabase';
import { ItemsRepo } from '../db/itemsRepo';
import { createLogger } from '../telemetry/log';
import { activeTraceId, parseTraceparent } from '../telemetry/tracing';
import { startServer } from './httpServer';
import { appLogPath, runService } from './lifecycle';

/** Rows another transaction holds in the stub database: these items fail with a lock timeout. */
const LOCKED_ROWS = new Set([10137, 10402, 10613, 10908]);

/** `batch-api`: `POST /batches` imports a CSV of items into the `items` table. */
async function main() {
  const service = process.env['OTEL_SERVICE_NAME'] ?? 'batch-api';
  const telemetry = startTelemetry(service);
  const log = createLogger(service, { file: appLogPath(), format: 'json' });
  const batches = new BatchService(new ItemsRepo(new StubDatabase(LOCKED_ROWS)), log);
  const { server, port } = await startServer([
    {
      method: 'POST',
      path: '/batches',
      handle: async ({ body, headers }) => {
        // The sync run that exported the CSV, when the caller names it: the batch links to it.
        const header = headers['x-source-traceparent'];
        const source = parseTraceparent(Array.isArray(header) ? header[0] : header);
        const result = await batches.create(body, source);
        return { status: 200, json: { traceId: activeTraceId(), ...result } };
      },
    },
  ]);
  log.info('batch-api ready', { port });
  runService(service, telemetry, server, port);
}

void main();
