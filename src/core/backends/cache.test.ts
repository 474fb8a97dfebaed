import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { createBackend, type BackendKind, type TraceBackend } from './index';
import { fixture, send, startLoopback, type Loopback } from './testing/loopback';
import { JAEGER_ID, JAEGER_TRACE, ZIPKIN_ID, ZIPKIN_TRACE } from './testing/samples';

const TEMPO_ID = 'a8e00f77b50a734539bf0e48eec6bec4';

/** The trace each kind is asked for, and the body its server answers with. */
const SAMPLES: Record<Exclude<BackendKind, 'file'>, { id: string; body: () => string | Buffer }> = {
  tempo: { id: TEMPO_ID, body: () => fixture('tempo-2.0.1-trace-v1.json') },
  grafana: { id: TEMPO_ID, body: () => fixture('tempo-2.0.1-trace-v1.json') },
  jaeger: { id: JAEGER_ID, body: () => JAEGER_TRACE },
  zipkin: { id: ZIPKIN_ID, body: () => ZIPKIN_TRACE },
};

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('one trace fetch cache under every backend', () => {
  let server: Loopback;
  before(async () => {
    server = await startLoopback();
  });
  after(() => server.close());

  /** A backend of `kind` and a count of the fetches it made (HTTP requests, or file reads). */
  function make(
    kind: BackendKind,
    cacheMaxBytes?: number,
  ): { backend: TraceBackend; fetches: () => number; id: string } {
    const deps = cacheMaxBytes === undefined ? {} : { cacheMaxBytes };
    if (kind === 'file') {
      let reads = 0;
      const readFile = async (path: string) => {
        reads++;
        if (path === `/traces/${TEMPO_ID}.json`) return new Uint8Array(fixture('tempo-2.0.1-trace-v1.json'));
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      };
      const backend = createBackend({ name: 'f', kind, url: '/traces' }, {}, { ...deps, readFile });
      return { backend, fetches: () => reads, id: TEMPO_ID };
    }
    const sample = SAMPLES[kind];
    server.handle((_req, res) => send(res, 200, sample.body(), 'application/json'));
    const url = kind === 'grafana' ? `${server.origin}/api/datasources/proxy/uid/t` : server.origin;
    const backend = createBackend({ name: kind, kind, url }, {}, deps);
    return { backend, fetches: () => server.requests.length, id: sample.id };
  }

  for (const kind of ['tempo', 'grafana', 'jaeger', 'zipkin', 'file'] as const) {
    it(`${kind}: serves a repeat from the cache, peeks without fetching, refetches on noCache and after clearCache`, async () => {
      const { backend, fetches, id } = make(kind);
      assert.equal(backend.cachedTrace?.(id), undefined, 'nothing cached yet');
      const first = await backend.getTrace(id);
      const sent = fetches();
      assert.ok(sent > 0);
      assert.equal(await backend.getTrace(id.toUpperCase()), first, 'the same result, from the cache');
      assert.equal(backend.cachedTrace?.(id), first, 'peeked');
      assert.equal(fetches(), sent, 'a cache hit or a peek fetches nothing');

      const fresh = await backend.getTrace(id, { noCache: true });
      assert.notEqual(fresh, first);
      assert.equal(fetches(), sent * 2);
      assert.equal(backend.cachedTrace?.(id), fresh, 'the fresh result replaced the cached one');

      backend.clearCache?.(id);
      assert.equal(backend.cachedTrace?.(id), undefined);
      await backend.getTrace(id);
      assert.equal(fetches(), sent * 3);
    });

    it(`${kind}: keeps nothing past its byte budget`, async () => {
      const { backend, fetches, id } = make(kind, 100);
      await backend.getTrace(id);
      const sent = fetches();
      await backend.getTrace(id);
      assert.equal(fetches(), sent * 2, 'a trace larger than the budget is fetched again');
      assert.equal(backend.cachedTrace?.(id), undefined);
    });
  }

  for (const kind of ['tempo', 'grafana', 'jaeger', 'zipkin'] as const) {
    it(`${kind}: concurrent calls for one trace share one request`, async () => {
      const { backend, id } = make(kind, 0);
      const held: ServerResponse[] = [];
      server.handle((_req, res) => void held.push(res));
      const a = backend.getTrace(id);
      const b = backend.getTrace(id);
      await waitFor(() => held.length === 1);
      send(held[0]!, 200, SAMPLES[kind].body(), 'application/json');
      const [ra, rb] = await Promise.all([a, b]);
      assert.equal(ra, rb);
      assert.equal(server.requests.length, 1);
    });
  }

  it('file: concurrent calls for one trace share one read', async () => {
    const { backend, fetches } = make('file', 0);
    const [a, b] = await Promise.all([backend.getTrace(TEMPO_ID), backend.getTrace(TEMPO_ID)]);
    assert.equal(a, b);
    assert.equal(fetches(), 1);
  });
});
