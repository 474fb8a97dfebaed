import * as assert from 'node:assert/strict';
import { BackendError, type BackendErrorKind } from '../errors';
/**
 * A real HTTP server on 127.0.0.1 (port 0) for backend tests: each test swaps in its handler and
 * reads the request log. Test-only code.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One request as the server saw it. */
export interface LoggedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, log: LoggedRequest) => void;

/** A loopback server whose handler a test can replace. */
export interface Loopback {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: LoggedRequest[];
  /** Replaces the handler and clears the request log. */
  handle(handler: Handler): void;
  close(): Promise<void>;
}

/** Starts a server on `host` (default 127.0.0.1) and a free port. */
export async function startLoopback(host = '127.0.0.1'): Promise<Loopback> {
  let handler: Handler = (_req, res) => {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end('no handler');
  };
  const requests: LoggedRequest[] = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://loopback');
    const log: LoggedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      path: u.pathname,
      query: u.searchParams,
      headers: req.headers,
    };
    requests.push(log);
    handler(req, res, log);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    requests,
    handle(h) {
      handler = h;
      requests.length = 0;
    },
    close() {
      server.closeAllConnections();
      return new Promise((ok) => server.close(() => ok()));
    },
  };
}

/** Sends `body` with a status and content type. */
export function send(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array = '',
  type = 'text/plain',
): void {
  const headers: Record<string, string> = {};
  if (body.length > 0) headers['Content-Type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

/** The recorded Tempo responses in `test/fixtures/tempo` (a copy of `../shared/fixtures/tempo`). */
export const TEMPO_FIXTURES = resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tempo');

/** A fixture file's bytes. */
export function fixture(name: string): Buffer {
  return readFileSync(resolve(TEMPO_FIXTURES, name));
}

/**
 * Awaits `p`, expecting a `BackendError` of `kind` whose message matches `pattern` and never
 * contains `secret` (tokens and passwords must not reach messages). Returns the error.
 */
export async function rejectsWith(
  p: Promise<unknown>,
  kind: BackendErrorKind,
  pattern: RegExp | undefined,
  secret: string,
): Promise<BackendError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BackendError, `expected a BackendError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (pattern) assert.match(err.message, pattern);
    assert.ok(!err.message.includes(secret), 'a secret leaked into the message');
    return err;
  }
  assert.fail(`expected a ${kind} error`);
}
