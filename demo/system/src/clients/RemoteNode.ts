import http from 'node:http';
import type { NodeOutput, StepContext } from '../engine/types';
import { stepAttributes } from '../engine/types';
import { withSpan } from '../telemetry/tracing';
import { errorOf, readJson } from './httpJson';

/** A step that failed in the service that ran it; the message is that service's. */
export class RemoteNodeError extends Error {
  override readonly name = 'RemoteNodeError';
  constructor(
    message: string,
    readonly remoteType: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * A node that runs in another service (data-fetch, notifier): the engine's step span, and a
 * `POST /rpc/nodes/<Node>.<action>` that carries the trace context (the http instrumentation
 * injects `traceparent`), so the service's spans join this trace.
 */
export class RemoteNode {
  constructor(
    private readonly baseUrl: string,
    private readonly node: string,
    private readonly action: string,
  ) {}

  async run(ctx: StepContext): Promise<NodeOutput> {
    const attributes = { ...stepAttributes(ctx), 'workflow.node.url': this.baseUrl };
    return withSpan(`node.${this.node}`, { attributes }, () => this.post(ctx));
  }

  private post(ctx: StepContext): Promise<NodeOutput> {
    const url = new URL(`/rpc/nodes/${this.node}.${this.action}`, this.baseUrl);
    const { log: _log, ...wire } = ctx;
    const body = JSON.stringify(wire);
    return new Promise((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        readJson(res).then((json) => {
          const error = errorOf(json);
          if (res.statusCode === 200 && !error) {
            resolve((json as { output: NodeOutput }).output);
          } else {
            const message = error?.message ?? `HTTP ${res.statusCode ?? '?'}`;
            reject(new RemoteNodeError(message, error?.type ?? 'Error', res.statusCode ?? 0));
          }
        }, reject);
      });
      req.end(body);
    });
  }
}
