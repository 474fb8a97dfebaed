import { SpanStatusCode } from '@opentelemetry/api';
import { withSpan } from '../telemetry/tracing';
import type { Logger } from '../telemetry/log';
import type { NodeRegistry } from './NodeRegistry';
import type { NodeOutput, WorkflowDefinition } from './types';

export interface RunOptions {
  readonly tenant: string;
  readonly input: NodeOutput;
}

export interface WorkflowResult {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed';
  /** 1-based step that failed; the run stops there. */
  readonly failedStep?: number;
  readonly error?: string;
  readonly output: NodeOutput;
}

let runCounter = 0;

function newRunId(): string {
  runCounter += 1;
  return `run-${Date.now().toString(36)}-${runCounter}`;
}

/**
 * Runs a workflow's steps in order under one `workflow.execute` span; each node starts its own
 * `node.<Name>` span, here or in the service it runs in. A failing step ends the run with
 * `status: 'failed'`: the failure is on the node's span, the root span gets ERROR with a summary.
 */
export class WorkflowRunner {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly log: Logger,
  ) {}

  /** Executes `workflow` once. Never throws for step failures: see `WorkflowResult.status`. */
  async execute(workflow: WorkflowDefinition, options: RunOptions): Promise<WorkflowResult> {
    const runId = newRunId();
    const attributes = { 'workflow.id': workflow.id, 'workflow.run_id': runId, tenant: options.tenant };
    return withSpan('workflow.execute', { attributes }, async (root) => {
      const fields = { wf: workflow.id, run: runId };
      this.log.info('workflow started', { ...fields, steps: workflow.steps.length, tenant: options.tenant });
      let output = options.input;
      for (const [index, step] of workflow.steps.entries()) {
        const started = Date.now();
        const ctx = { workflowId: workflow.id, runId, tenant: options.tenant, step: index + 1 };
        try {
          output = await this.registry.action(step)({ ...ctx, input: output, log: this.log });
          this.log.info('step finished', {
            ...fields,
            step: index + 1,
            node: step.node,
            ms: Date.now() - started,
          });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          this.log.error('step failed', { ...fields, step: index + 1, node: step.node, error }, err);
          root.setStatus({ code: SpanStatusCode.ERROR, message: `step ${index + 1} (${step.node}) failed` });
          this.log.warn('run failed; retry scheduled', {
            ...fields,
            failed_step: index + 1,
            retry_in: '15m',
          });
          return { runId, status: 'failed', failedStep: index + 1, error, output };
        }
      }
      this.log.info('workflow finished', { ...fields, status: 'succeeded' });
      return { runId, status: 'succeeded', output };
    });
  }
}
