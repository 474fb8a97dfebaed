import type { NodeAction, StepContext } from '../engine/types';
import type { Logger } from '../telemetry/log';
import type { Route } from './httpServer';
import { BadRequest, parseJson } from './httpServer';

/**
 * `POST /rpc/nodes/:action`: runs a node the engine sent over (see RemoteNode). A failing node
 * answers 502 with its error, which the engine records on its step span.
 */
export function nodeRoute(log: Logger, actions: Record<string, NodeAction>): Route {
  return {
    method: 'POST',
    path: '/rpc/nodes/:action',
    handle: async ({ params, body, headers }) => {
      const name = params['action'] ?? '';
      const action = actions[name];
      if (!action)
        return { status: 404, json: { error: { type: 'NotFound', message: `no node ${name} here` } } };
      const wire = parseJson(body) as Omit<StepContext, 'log'>;
      if (typeof wire.step !== 'number' || typeof wire.input !== 'object') {
        throw new BadRequest('expected a step context');
      }
      log.info(`POST /rpc/nodes/${name}`, { traceparent: String(headers['traceparent']), run: wire.runId });
      try {
        return { status: 200, json: { output: await action({ ...wire, log }) } };
      } catch (err) {
        const error = err instanceof Error ? err : new Error(String(err));
        log.error(`${name} failed`, { run: wire.runId, step: wire.step }, error);
        return { status: 502, json: { error: { type: error.name, message: error.message } } };
      }
    },
  };
}
