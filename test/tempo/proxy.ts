/**
 * A loopback proxy in front of a real Tempo, for what one Tempo 3.0.3 cannot show by itself:
 * - `hideV2` answers every `/api/v2/...` like a Tempo older than 2.6 (Go's router:
 *   `404 page not found`), so the client's v1 paths meet Tempo's real v1 answers;
 * - `rewrite` edits one route's real answer (a Tempo built without a version string);
 * - it logs the requests that reach it, with the headers that matter.
 * Test-only code.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy received. */
export interface ProxiedRequest {
  /** Path and query. */
  path: string;
  authorization?: string;
  orgId?: string;
}

/** A running proxy. */
export interface TempoProxy {
  origin: string;
  /** The requests received, in order. */
  requests: ProxiedRequest[];
  /** Their paths without the query, IDs of 32 hex digits shown as `<id>`. */
  paths(): string[];
  close(): Promise<void>;
}

/** Options for `startProxy`. */
export interface ProxyOptions {
  hideV2?: boolean;
  /** Rewrites the body of answers whose path matches `path`. */
  rewrite?: { path: RegExp; body: (text: string) => string };
}

/** Starts a proxy to `target` (an origin such as `http://127.0.0.1:3200`). */
export async function startProxy(target: string, options: ProxyOptions = {}): Promise<TempoProxy> {
  const requests: ProxiedRequest[] = [];
  const to = new URL(target);
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    const orgId = req.headers['x-scope-orgid'];
    requests.push({
      path,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(typeof orgId === 'string' ? { orgId } : {}),
    });
    if (options.hideV2 && /^(\/[^?]*)?\/api\/v2\//.test(path)) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('404 page not found\n');
      return;
    }
    const rewrite =
      options.rewrite && options.rewrite.path.test(path.replace(/\?.*/, '')) ? options.rewrite : undefined;
    // A rewritten answer must come back uncompressed.
    const headers = { ...req.headers, host: to.host, ...(rewrite ? { 'accept-encoding': 'identity' } : {}) };
    const upstream = request(
      { host: to.hostname, port: to.port, method: req.method, path, headers },
      (up) => {
        if (!rewrite) {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
          return;
        }
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.from(rewrite.body(Buffer.concat(chunks).toString('utf8')));
          const { 'content-length': _length, ...rest } = up.headers;
          res.writeHead(up.statusCode ?? 502, { ...rest, 'content-length': String(body.length) });
          res.end(body);
        });
      },
    );
    upstream.on('error', (err) => {
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    paths: () => requests.map((r) => r.path.replace(/\?.*/, '').replace(/[0-9a-f]{32}/, '<id>')),
    close() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}
