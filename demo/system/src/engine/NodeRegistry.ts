import type { NodeAction, WorkflowStep } from './types';

/** Which code runs a workflow step, keyed `Node.action`. */
export class NodeRegistry {
  private readonly actions = new Map<string, NodeAction>();

  register(node: string, action: string, run: NodeAction): this {
    this.actions.set(`${node}.${action}`, run);
    return this;
  }

  action(step: WorkflowStep): NodeAction {
    const run = this.actions.get(`${step.node}.${step.action}`);
    if (!run) throw new Error(`no node registered for ${step.node}.${step.action}`);
    return run;
  }
}
