import * as assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import type { TraceResult } from './backend';
import { ByteLru, TraceFetchCache, type Stoppable } from './cache';
import { createBackend, TempoClient, type BackendKind, type TraceBackend } from './index';
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

    it(`${kind}: keeps the trace just fetched even when it alone is past the byte budget`, async () => {
      const { backend, fetches, id } = make(kind, 100);
      const first = await backend.getTrace(id);
      const sent = fetches();
      assert.equal(
        await backend.getTrace(id),
        first,
        'the repeat (a hover, then Open Trace) is not sent again',
      );
      assert.equal(fetches(), sent);
      assert.equal(backend.cachedTrace?.(id), first);
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

describe('ByteLru', () => {
  it('evicts the oldest entries to stay in budget, and keeps the newest even when it alone is over', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    lru.get('a'); // a is now the most recent
    lru.set('c', 'C', 40);
    assert.deepEqual([lru.get('b'), lru.get('a'), lru.get('c')], [undefined, 'A', 'C']);
    assert.equal(lru.bytes, 80);
    lru.set('huge', 'H', 500);
    assert.equal(lru.get('huge'), 'H', 'the newest entry stays');
    assert.equal(lru.size, 1, 'everything else went');
    assert.equal(lru.bytes, 500);
    lru.set('d', 'D', 10);
    assert.equal(lru.get('huge'), undefined, 'the big one goes as soon as something newer comes');
    assert.equal(lru.bytes, 10);
  });
});

describe('TraceFetchCache: traces that may still change', () => {
  /** A stand-in for a fetched trace whose newest span ended at `endMs`. */
  const result = (endMs: number) =>
    ({
      decoded: { model: { traceStartMs: endMs - 2000, durationNs: 2e9, spanCount: 3 } },
      partial: false,
    }) as unknown as TraceResult;
  const op = (): Stoppable => ({ stop: () => undefined, dispose: () => undefined });

  it('does not keep a trace whose newest span ended within the settle window; keeps it once settled', async () => {
    let now = 1_000_000;
    const cache = new TraceFetchCache(1 << 20, { settleMs: 30_000, now: () => now });
    let runs = 0;
    const endMs = now - 5_000;
    const get = () =>
      cache.get({
        key: 'k',
        start: op,
        run: async () => {
          runs++;
          return { result: result(endMs), bodyBytes: 10 };
        },
        cancelled: () => new Error('cancelled') as never,
      });
    await get();
    await get();
    assert.equal(runs, 2, 'a trace that ended 5 s ago is asked for again');
    assert.equal(cache.peek('k'), undefined);
    now += 30_000;
    await get();
    await get();
    assert.equal(runs, 3, 'settled: kept');
  });

  it('TempoClient: a trace fetched in its first seconds is fetched again, an old one is not', async () => {
    const server = await startLoopback();
    try {
      // The recorded trace, moved so that its newest span ended a moment ago.
      const text = fixture('tempo-2.0.1-trace-v1.json').toString('utf8');
      const times = [...text.matchAll(/"(?:start|end)TimeUnixNano":"(\d+)"/g)].map((m) => BigInt(m[1]!));
      const shift = BigInt(Date.now()) * 1_000_000n - times.reduce((a, b) => (b > a ? b : a));
      const fresh = text.replace(
        /"(start|end|time)(TimeUnixNano|UnixNano)":"(\d+)"/g,
        (_m, a: string, b: string, n: string) => `"${a}${b}":"${BigInt(n) + shift}"`,
      );
      let body = fresh;
      server.handle((_req, res) => send(res, 200, body, 'application/json'));
      const client = new TempoClient({ baseUrl: server.origin, format: 'json' });
      await client.getTrace(TEMPO_ID);
      await client.getTrace(TEMPO_ID);
      assert.equal(server.requests.length, 2, 'both fetches of the fresh trace reached the server');
      assert.equal(client.cachedTrace(TEMPO_ID), undefined);
      body = text;
      client.clearCache();
      await client.getTrace(TEMPO_ID);
      await client.getTrace(TEMPO_ID);
      assert.equal(server.requests.length, 3, 'the old trace is kept');
    } finally {
      await server.close();
    }
  });
});
