import * as assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SharedRequest } from './cache';
import { BackendError } from './errors';
import { Operation, type FetchLike } from './http';
import { createBackend, type BackendKind, type TraceBackend } from './index';
import type { TempoClient } from './tempo/client';
import { fixture, send, startLoopback, type Loopback } from './testing/loopback';

const ID = 'a8e00f77b50a734539bf0e48eec6bec4';
const OTHER = '0123456789abcdef0123456789abcdef';
const TOKEN = 'cancel-test-token';

async function cancelled(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof BackendError, String(err));
    assert.equal(err.kind, 'cancelled', err.message);
    return;
  }
  assert.fail('expected a cancelled error');
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('cancellation', () => {
  let server: Loopback;
  /** Requests the server holds without answering, and those whose connection went away. */
  let held: { req: IncomingMessage; res: ServerResponse; closed: boolean }[];
  /** Every call of the injected fetch: a request that was handed to the network. */
  let fetched: string[];
  const countingFetch: FetchLike = (input, init) => {
    fetched.push(input);
    return globalThis.fetch(input, init);
  };
  const backend = (kind: BackendKind): TraceBackend =>
    createBackend(
      {
        name: 'b',
        kind,
        url: kind === 'grafana' ? `${server.origin}/api/datasources/proxy/uid/t` : server.origin,
      },
      { token: TOKEN },
      { fetch: countingFetch, cacheMaxBytes: 0 },
    );

  before(async () => {
    server = await startLoopback();
  });
  after(() => server.close());
  beforeEach(() => {
    held = [];
    fetched = [];
    // The trace OTHER is answered at once (the sentinel); everything else is held.
    server.handle((req, res) => {
      if (req.url?.includes(OTHER))
        return send(res, 200, fixture('tempo-2.0.1-trace-v1.json'), 'application/json');
      const entry = { req, res, closed: false };
      res.on('close', () => (entry.closed = true));
      held.push(entry);
    });
  });
  afterEach(() => {
    for (const h of held) h.res.destroy();
  });

  /** Proves that nothing reached the server: a later request arrives, and it is the only one. */
  async function assertNothingSent(b: TraceBackend): Promise<void> {
    // Any answer will do (Jaeger and Zipkin do not read Tempo's JSON): it only has to arrive.
    await b.getTrace(OTHER).catch(() => undefined);
    assert.ok(server.requests.some((r) => r.path.includes(OTHER)));
    assert.deepEqual(
      fetched.filter((u) => !u.includes(OTHER)),
      [],
      'fetch was called',
    );
    assert.deepEqual(
      server.requests.map((r) => r.path).filter((p) => !p.includes(OTHER)),
      [],
      'the server saw the request',
    );
  }

  for (const kind of ['tempo', 'grafana', 'jaeger', 'zipkin'] as const) {
    it(`${kind}: a trace fetch whose signal was already aborted is not sent`, async () => {
      const b = backend(kind);
      await cancelled(b.getTrace(ID, { signal: AbortSignal.abort() }));
      await assertNothingSent(b);
    });
  }

  it('tempo: search, tags, tag values, metrics and the connection test are not sent either', async () => {
    const tempo = backend('tempo') as TempoClient;
    const signal = AbortSignal.abort();
    await cancelled(tempo.search({ q: '{}', signal }));
    await cancelled(tempo.tags(undefined, { signal }));
    await cancelled(tempo.tagValues('resource.service.name', { signal }));
    await cancelled(tempo.metricsQueryRange({ q: '{} | rate()', signal }));
    await cancelled(tempo.testConnection({ signal }));
    await assertNothingSent(tempo);
  });

  /** The paths the server was asked for, besides the sentinel's, once a later sentinel arrived. */
  async function pathsSent(b: TraceBackend): Promise<string[]> {
    await b.getTrace(OTHER).catch(() => undefined);
    return server.requests.map((r) => r.path).filter((p) => !p.includes(OTHER));
  }

  for (const kind of ['tempo', 'grafana', 'jaeger', 'zipkin'] as const) {
    it(`${kind}: cancelling the connection test aborts its request and sends no further check`, async () => {
      const b = backend(kind);
      const controller = new AbortController();
      const report = b.testConnection({ signal: controller.signal });
      await waitFor(() => held.length === 1);
      controller.abort();
      await cancelled(report);
      await waitFor(() => held[0]!.closed);
      assert.equal((await pathsSent(b)).length, 1, 'only the first check was sent');
    });

    it(`${kind}: cancelling the only caller of a trace fetch aborts the request`, async () => {
      const b = backend(kind);
      const controller = new AbortController();
      const trace = b.getTrace(ID, { signal: controller.signal });
      await waitFor(() => held.length === 1);
      controller.abort();
      await cancelled(trace);
      await waitFor(() => held[0]!.closed);
      assert.equal((await pathsSent(b)).length, 1, 'no fallback route was tried');
    });
  }

  it('tempo: cancelling a search or a tag lookup aborts its request', async () => {
    const tempo = backend('tempo') as TempoClient;
    for (const [i, start] of [
      (signal: AbortSignal) => tempo.search({ q: '{}', signal }),
      (signal: AbortSignal) => tempo.tags(undefined, { signal }),
      (signal: AbortSignal) => tempo.tagValues('resource.service.name', { signal }),
    ].entries()) {
      const controller = new AbortController();
      const pending = start(controller.signal);
      await waitFor(() => held.length === i + 1);
      controller.abort();
      await cancelled(pending);
      await waitFor(() => held[i]!.closed);
    }
    assert.equal((await pathsSent(tempo)).length, 3, 'no v1 fallback after a cancelled v2 tag lookup');
  });

  it('a shared fetch is aborted when every caller cancelled, and the next call starts afresh', async () => {
    const tempo = backend('tempo');
    const a = new AbortController();
    const b = new AbortController();
    const pa = tempo.getTrace(ID, { signal: a.signal });
    const pb = tempo.getTrace(ID, { signal: b.signal });
    await waitFor(() => held.length === 1);
    a.abort();
    await cancelled(pa);
    assert.equal(held[0]!.closed, false, 'one caller still waits');
    b.abort();
    await cancelled(pb);
    await waitFor(() => held[0]!.closed);
    const c = tempo.getTrace(ID);
    await waitFor(() => held.length === 2);
    held[1]!.res.writeHead(200, { 'Content-Type': 'application/json' });
    held[1]!.res.end(fixture('tempo-2.0.1-trace-v1.json'));
    assert.equal((await c).decoded.model.traceId, ID);
  });

  it('SharedRequest stops its operation when its only caller had already cancelled', async () => {
    const op = new Operation(60_000);
    let started = 0;
    const shared = new SharedRequest(
      op,
      (o) => {
        started++;
        return new Promise<never>((_resolve, reject) =>
          o.signal.addEventListener('abort', () => reject(new Error('stopped'))),
        );
      },
      () => undefined,
      () => new BackendError('cancelled', 'cancelled'),
    );
    await cancelled(shared.join(AbortSignal.abort()));
    assert.equal(started, 1);
    assert.equal(op.reason, 'cancelled', 'the request is stopped, not left to run to its deadline');
    await assert.rejects(shared.promise, /stopped/);
  });
});
