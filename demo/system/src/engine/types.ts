import type { Logger } from '../telemetry/log';

/** What a step hands to the next one: plain JSON, since steps may run in other services. */
export type NodeOutput = { readonly [key: string]: unknown };

/** Everything a node needs to run one step of one workflow run. */
export interface StepContext {
  readonly workflowId: string;
  readonly runId: string;
  readonly tenant: string;
  /** 1-based position of the step in the workflow. */
  readonly step: number;
  /** The previous step's output (the run's input for step 1). */
  readonly input: NodeOutput;
  readonly log: Logger;
}

/** One step's work; local nodes run in the engine, remote ones in their own service. */
export type NodeAction = (ctx: StepContext) => Promise<NodeOutput>;

export interface WorkflowStep {
  readonly node: string;
  readonly action: string;
}

export interface WorkflowDefinition {
  readonly id: string;
  readonly steps: readonly WorkflowStep[];
}

/** The span attributes every step span carries. */
export function stepAttributes(ctx: StepContext): Record<string, string | number> {
  return {
    'workflow.id': ctx.workflowId,
    'workflow.run_id': ctx.runId,
    'workflow.step': ctx.step,
    tenant: ctx.tenant,
  };
}
