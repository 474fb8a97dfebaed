import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { context } from '@opentelemetry/api';
import { RPCType, getRPCMetadata } from '@opentelemetry/core';

/** One request as a route handler sees it. */
export interface Request {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A JSON reply. */
export interface Reply {
  readonly status: number;
  readonly json: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST';
  /** A path template such as `/rpc/nodes/:action`; it becomes the server span's `http.route`. */
  readonly path: string;
  readonly handle: (request: Request) => Promise<Reply>;
}

/** Largest request body accepted: the batch CSV of 1,000 lines is ~40 KB. */
const MAX_BODY = 4 * 1024 * 1024;

/**
 * Serves `routes` on 127.0.0.1 (`PORT`, or any free port). The http instrumentation makes the
 * server span; naming the matched route here turns its name from `POST` into `POST /batches`.
 */
export async function startServer(routes: readonly Route[]): Promise<{ server: http.Server; port: number }> {
  const server = http.createServer((req, res) => {
    void respond(routes, req).then(
      (reply) => send(res, reply),
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        send(res, { status: 500, json: { error: { type: error.name, message: error.message } } });
      },
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function respond(routes: readonly Route[], req: http.IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  for (const route of routes) {
    const params = route.method === req.method ? match(route.path, url.pathname) : undefined;
    if (!params) continue;
    const rpc = getRPCMetadata(context.active());
    if (rpc?.type === RPCType.HTTP) rpc.route = route.path;
    const body = await readBody(req);
    return route.handle({ params, query: url.searchParams, headers: req.headers, body });
  }
  req.resume();
  return {
    status: 404,
    json: { error: { type: 'NotFound', message: `no route for ${req.method} ${url.pathname}` } },
  };
}

function match(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? '';
    if (part.startsWith(':')) params[part.slice(1)] = decodeURIComponent(actual);
    else if (part !== actual) return undefined;
  }
  return params;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error(`request body over ${MAX_BODY} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: http.ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.json);
  res.writeHead(reply.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Reads a JSON request body, with a 400 for anything else. */
export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new BadRequest('the body is not JSON');
  }
}

/** A client error; route handlers turn it into a 400. */
export class BadRequest extends Error {
  override readonly name = 'BadRequest';
}
