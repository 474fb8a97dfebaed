import type { WorkflowDefinition } from '../engine/types';

/**
 * Nightly per account: validate the scheduler's input, map it to the partner's query, pull the
 * invoices (data-fetch), mail a summary to the billing contacts (notifier).
 */
export const invoiceSync: WorkflowDefinition = {
  id: 'wf-invoice-sync',
  steps: [
    { node: 'ValidateInputNode', action: 'run' },
    { node: 'TransformNode', action: 'run' },
    { node: 'DataFetchNode', action: 'fetch' },
    { node: 'NotifyNode', action: 'send' },
  ],
};
