// First import: it hooks node:http for the instrumentation before anything else loads it.
import { startTelemetry } from '../telemetry/otel';
import { RemoteNode } from '../clients/RemoteNode';
import { NodeRegistry } from '../engine/NodeRegistry';
import { WorkflowRunner } from '../engine/WorkflowRunner';
import type { NodeOutput } from '../engine/types';
import { TransformNode } from '../nodes/TransformNode';
import { ValidateInputNode } from '../nodes/ValidateInputNode';
import { createLogger } from '../telemetry/log';
import { activeTraceId, activeTraceparent } from '../telemetry/tracing';
import { invoiceSync } from '../workflows/invoiceSync';
import { BadRequest, parseJson, startServer } from './httpServer';
import { appLogPath, requireEnv, runService } from './lifecycle';

/**
 * `workflow-engine`: runs workflows. Steps 1 and 2 run here, DataFetchNode in `data-fetch`
 * (`DATA_FETCH_URL`), NotifyNode in `notifier` (`NOTIFIER_URL`).
 */
async function main() {
  const service = process.env['OTEL_SERVICE_NAME'] ?? 'workflow-engine';
  const telemetry = startTelemetry(service);
  const log = createLogger(service, { file: appLogPath(), format: 'logfmt' });
  const validate = new ValidateInputNode();
  const transform = new TransformNode();
  const dataFetch = new RemoteNode(requireEnv('DATA_FETCH_URL'), 'DataFetchNode', 'fetch');
  const notify = new RemoteNode(requireEnv('NOTIFIER_URL'), 'NotifyNode', 'send');
  const registry = new NodeRegistry()
    .register('ValidateInputNode', 'run', (ctx) => validate.run(ctx))
    .register('TransformNode', 'run', (ctx) => transform.run(ctx))
    .register('DataFetchNode', 'fetch', (ctx) => dataFetch.run(ctx))
    .register('NotifyNode', 'send', (ctx) => notify.run(ctx));
  const runner = new WorkflowRunner(registry, log);
  const workflows = new Map([[invoiceSync.id, invoiceSync]]);

  const { server, port } = await startServer([
    {
      method: 'POST',
      path: '/workflows/:workflowId/runs',
      handle: async ({ params, body }) => {
        const workflow = workflows.get(params['workflowId'] ?? '');
        if (!workflow)
          return { status: 404, json: { error: { type: 'NotFound', message: 'no such workflow' } } };
        const request = parseJson(body) as { tenant?: unknown; input?: unknown };
        if (
          typeof request.tenant !== 'string' ||
          typeof request.input !== 'object' ||
          request.input === null
        ) {
          throw new BadRequest('expected {"tenant": "...", "input": {...}}');
        }
        const result = await runner.execute(workflow, {
          tenant: request.tenant,
          input: request.input as NodeOutput,
        });
        // The run's own span (the server span), so that later work can link to it.
        return {
          status: 200,
          json: { traceId: activeTraceId(), traceparent: activeTraceparent(), ...result },
        };
      },
    },
  ]);
  log.info('engine ready', { port, workflows: workflows.size, node: process.version });
  runService(service, telemetry, server, port);
}

void main();
