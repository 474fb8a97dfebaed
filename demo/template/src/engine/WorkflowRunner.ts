import { SpanKind, fail, logIds, startSpan } from '../telemetry/tracing';
import type { Logger } from '../telemetry/log';
import type { NodeRegistry } from './NodeRegistry';
import type { NodeOutput, WorkflowDefinition } from './types';

export interface RunOptions {
  readonly tenant: string;
  readonly input: NodeOutput;
  /** Aborts the run between steps and cancels in-flight HTTP calls. */
  readonly signal?: AbortSignal;
}

export interface WorkflowResult {
  readonly runId: string;
  readonly status: 'succeeded' | 'failed';
  /** 1-based step that failed; the run stops there (no compensation yet, see docs/adr/0007). */
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
 * Runs a workflow's steps in order. Each step gets a child span of `workflow.execute` and the
 * previous step's output as its input. A failing step is recorded on its own span (exception
 * event + ERROR status) and ends the run with `status: 'failed'`; the root span stays UNSET so
 * that alerting counts failed steps, not failed runs twice.
 */
export class WorkflowRunner {
  constructor(
    private readonly registry: NodeRegistry,
    private readonly log: Logger,
  ) {}

  /** Executes `workflow` once. Never throws for step failures: see `WorkflowResult.status`. */
  async execute(workflow: WorkflowDefinition, options: RunOptions): Promise<WorkflowResult> {
    const runId = newRunId();
    const root = startSpan('workflow.execute', SpanKind.SERVER, { 'workflow.id': workflow.id });
    const log = this.log.child({ ...logIds(root), wf: workflow.id, run: runId });
    const signal = options.signal ?? new AbortController().signal;
    let output = options.input;
    log.info('workflow started', { steps: workflow.steps.length, tenant: options.tenant });

    for (const [index, step] of workflow.steps.entries()) {
      const action = this.registry.action(step);
      const span = startSpan(`node.${step.node}`, SpanKind.INTERNAL, { 'workflow.step': index + 1 }, root);
      const ctx = { workflowId: workflow.id, runId, tenant: options.tenant, step: index + 1 };
      const started = Date.now();
      try {
        signal.throwIfAborted();
        output = await action({ ...ctx, input: output, span, log: log.child(logIds(span)), signal });
        log.info('step finished', { step: index + 1, node: step.node, ms: Date.now() - started });
      } catch (err) {
        fail(span, err);
        const error = err instanceof Error ? err.message : String(err);
        log.error('step failed', { step: index + 1, node: step.node, error, ...logIds(span) });
        root.end();
        return { runId, status: 'failed', failedStep: index + 1, error, output };
      } finally {
        span.end();
      }
    }

    root.end();
    log.info('workflow finished', { status: 'succeeded' });
    return { runId, status: 'succeeded', output };
  }
}
