import type { Span } from '../telemetry/tracing';
import type { Logger } from '../telemetry/log';

/** What a node returns; the next node receives it as `ctx.input`. */
export type NodeOutput = Record<string, unknown>;

export interface NodeContext {
  readonly workflowId: string;
  readonly runId: string;
  readonly tenant: string;
  /** 1-based position of the step in the workflow (`workflow.step` on the span). */
  readonly step: number;
  /** The previous step's output; the workflow input for step 1. */
  readonly input: NodeOutput;
  /** The step's span: nodes add attributes and start client spans under it. */
  readonly span: Span;
  readonly log: Logger;
  readonly signal: AbortSignal;
}

/** A node method the runner can call for a step. */
export type NodeAction = (ctx: NodeContext) => Promise<NodeOutput>;

export interface StepDefinition {
  /** Registered node name, e.g. `DataFetchNode`. */
  readonly node: string;
  /** Method of the node to call, e.g. `fetch` or `send`. */
  readonly action: string;
}

export interface WorkflowDefinition {
  readonly id: string;
  readonly steps: readonly StepDefinition[];
}
