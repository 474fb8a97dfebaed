import { PartnerApiClient } from './clients/PartnerApiClient';
import type { SmtpClient } from './clients/SmtpClient';
import { NodeRegistry } from './engine/NodeRegistry';
import { WorkflowRunner } from './engine/WorkflowRunner';
import { DataFetchNode } from './nodes/DataFetchNode';
import { NotifyNode } from './nodes/NotifyNode';
import { TransformNode } from './nodes/TransformNode';
import { ValidateInputNode } from './nodes/ValidateInputNode';
import { createLogger } from './telemetry/log';

/**
 * One image, five deployments: SERVICE_ROLE says what a process serves (workflow-engine,
 * data-fetch, notifier, batch-api, batch-worker). Every role builds the same engine; the role
 * only decides which RPC endpoints it exposes (see deploy/README.md).
 */
export interface EngineDeps {
  readonly env: Record<string, string | undefined>;
  /** SMTP relay per tenant; the transport (TLS, AUTH) lives in the platform package. */
  readonly relayFor: (tenant: string) => SmtpClient;
}

export function createEngine({ env, relayFor }: EngineDeps): WorkflowRunner {
  const service = env['SERVICE_ROLE'] ?? 'workflow-engine';
  const log = createLogger(service);
  const partner = new PartnerApiClient({
    baseUrl: env['PARTNER_API_URL'] ?? 'https://api.partner.example',
    token: env['PARTNER_API_TOKEN'] ?? '',
    timeoutMs: Number(env['PARTNER_API_TIMEOUT_MS'] ?? 15_000),
    retries: 2,
  });
  const registry = new NodeRegistry()
    .register('ValidateInputNode', new ValidateInputNode())
    .register('TransformNode', new TransformNode())
    .register('DataFetchNode', new DataFetchNode(partner))
    .register('NotifyNode', new NotifyNode(relayFor));
  log.info('engine ready', { role: service, version: env['APP_VERSION'] ?? 'dev' });
  return new WorkflowRunner(registry, log);
}
