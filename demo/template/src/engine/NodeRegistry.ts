import type { NodeAction, StepDefinition } from './types';

/** Node instances by name, shared by every run (nodes hold clients, not run state). */
export class NodeRegistry {
  private readonly nodes = new Map<string, object>();

  register(name: string, node: object): this {
    if (this.nodes.has(name)) throw new Error(`node ${name} is already registered`);
    this.nodes.set(name, node);
    return this;
  }

  /** The bound method a step calls, e.g. `NotifyNode.send` for `{ node: 'NotifyNode', action: 'send' }`. */
  action(step: StepDefinition): NodeAction {
    const node = this.nodes.get(step.node);
    if (!node) throw new Error(`unknown node ${step.node}`);
    const method: unknown = Reflect.get(node, step.action);
    if (typeof method !== 'function') throw new Error(`${step.node} has no action ${step.action}`);
    return (method as NodeAction).bind(node);
  }
}
