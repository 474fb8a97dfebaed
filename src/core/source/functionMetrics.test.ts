import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BackendError,
  cutoffOf,
  isBackendError,
  mayLackRecent,
  TempoClient,
  type MetricsInstantQuery,
  type MetricsInstantResult,
  type MetricsQuery,
  type MetricsResult,
} from '../backends';
import type { FunctionTarget } from '../traceql';
import { FunctionMetrics, RANGE_STEP, type MetricsApi } from './functionMetrics';
import { lensTitle } from './text';

const TARGET: FunctionTarget = {
  name: 'render',
  container: 'ReportJob',
  relativePath: 'src/report/ReportJob.ts',
};
const RANGE = { start: 1_800_000_000, end: 1_800_003_600 };

/** Which pipeline a query ends in: count, quantiles or max. */
function kindOf(q: string): 'count' | 'quantiles' | 'max' {
  if (q.includes('count_over_time')) return 'count';
  if (q.includes('quantile_over_time')) return 'quantiles';
  if (q.includes('max_over_time')) return 'max';
  throw new Error(`unexpected query ${q}`);
}

/** A metrics API that answers `values` per query kind, recording what was asked. */
function stubApi(
  values: { count: number; quantiles?: [number, number]; max?: number; exact?: boolean },
  instant = true,
): MetricsApi & { asked: Array<{ route: 'instant' | 'range'; kind: string; step?: string | number }> } {
  const asked: Array<{ route: 'instant' | 'range'; kind: string; step?: string | number }> = [];
  const series = (kind: ReturnType<typeof kindOf>) =>
    kind === 'count'
      ? values.count > 0
        ? [{ labels: [{ key: 'status', value: 'unset' }], value: values.count }]
        : []
      : kind === 'max'
        ? [{ labels: [], value: values.max ?? 0 }]
        : [
            { labels: [{ key: 'p', value: 0.5 }], value: values.quantiles?.[0] ?? 0 },
            { labels: [{ key: 'p', value: 0.95 }], value: values.quantiles?.[1] ?? 0 },
          ];
  const exact = values.exact ? { exact: true } : {};
  return {
    asked,
    async metricsQuery(q: MetricsInstantQuery): Promise<MetricsInstantResult> {
      asked.push({ route: 'instant', kind: kindOf(q.q) });
      if (!instant) throw new BackendError('unsupported', 'no instant API', { status: 404 });
      return { partial: false, series: series(kindOf(q.q)), ...exact };
    },
    async metricsQueryRange(q: MetricsQuery): Promise<MetricsResult> {
      asked.push({ route: 'range', kind: kindOf(q.q), ...(q.step !== undefined ? { step: q.step } : {}) });
      return {
        partial: false,
        series: series(kindOf(q.q)).map((s) => ({
          labels: s.labels,
          samples: [
            { timestampMs: 1, value: 0 },
            { timestampMs: 2, value: s.value },
          ],
          exemplars: [],
        })),
        ...exact,
      };
    },
  };
}

describe('FunctionMetrics: the CodeLens queries', () => {
  it('no spans: one instant count query, nothing more', async () => {
    const api = stubApi({ count: 0 });
    assert.equal(await new FunctionMetrics(api).stats(TARGET, RANGE), undefined);
    assert.deepEqual(api.asked, [{ route: 'instant', kind: 'count' }]);
  });

  it('one span: the count and the exact maximum, which is every percentile', async () => {
    const api = stubApi({ count: 1, quantiles: [8.589934592, 8.589934592], max: 4.3 });
    const s = await new FunctionMetrics(api).stats(TARGET, RANGE);
    assert.deepEqual(s, { count: 1, errors: 0, p50Ns: 4.3e9, p95Ns: 4.3e9, maxNs: 4.3e9 });
    assert.deepEqual(
      api.asked.map((a) => a.kind),
      ['count', 'max'],
    );
  });

  it('several spans on Tempo: quantiles as bounds, capped by the maximum', async () => {
    const api = stubApi({ count: 30, quantiles: [0.134217728, 0.536870912], max: 0.43 });
    const s = (await new FunctionMetrics(api).stats(TARGET, RANGE))!;
    assert.equal(s.bounded, true);
    assert.equal(s.p50Ns, 2 ** 27);
    assert.equal(s.p95Ns, 0.43e9);
    assert.deepEqual(api.asked.map((a) => a.kind).sort(), ['count', 'max', 'quantiles']);
  });

  it('a server with exact quantiles: no maximum asked, figures exact', async () => {
    const api = stubApi({ count: 30, quantiles: [0.12, 0.4], exact: true });
    const s = (await new FunctionMetrics(api).stats(TARGET, RANGE))!;
    assert.equal(s.bounded, undefined);
    assert.equal(s.p95Ns, 0.4e9);
    assert.deepEqual(
      api.asked.map((a) => a.kind),
      ['count', 'quantiles'],
    );
  });

  it('a Tempo without the instant API: range queries in 60 s steps (never one step of the whole hour), remembered', async () => {
    const api = stubApi({ count: 2, quantiles: [0.1, 0.2], max: 0.15 }, false);
    const figures = new FunctionMetrics(api);
    const s = (await figures.stats(TARGET, RANGE))!;
    assert.equal(s.count, 2);
    assert.equal(figures.route, 'range');
    await figures.stats(TARGET, RANGE);
    assert.equal(api.asked.filter((a) => a.route === 'instant').length, 1, 'the instant API is asked once');
    assert.ok(api.asked.filter((a) => a.route === 'range').every((a) => a.step === RANGE_STEP));
    assert.equal(RANGE_STEP, '60s');
  });

  it('other failures are the caller’s to handle', async () => {
    const api: MetricsApi = {
      metricsQuery: () => Promise.reject(new BackendError('unauthorized', 'no', { status: 401 })),
      metricsQueryRange: () => Promise.reject(new Error('not asked')),
    };
    await assert.rejects(new FunctionMetrics(api).stats(TARGET, RANGE), /no/);
  });
});

describe('FunctionMetrics against the fake Tempo replaying 3.0.3 (TempoClient, real HTTP)', () => {
  interface FakeTempo {
    url: string;
    receive(traceId: string): void;
    close(): Promise<void>;
  }
  type Start = (o: Record<string, unknown>) => Promise<FakeTempo>;
  const ROOT = join(__dirname, '..', '..', '..');
  const RECORDED = join(ROOT, 'test', 'fixtures', 'tempo', 'tempo-3.0.3');
  const STORY = '1ee91d9a9907b7d1d81164bfbcfda7fb';
  const FETCH: FunctionTarget = {
    name: 'fetch',
    container: 'DataFetchNode',
    relativePath: 'src/nodes/DataFetchNode.ts',
  };
  let start: Start;
  let only3: string;
  let clock = Date.now();
  const range = () => ({ start: Math.floor(clock / 1000) - 3600, end: Math.floor(clock / 1000) });

  before(async () => {
    start = ((await import(join(ROOT, 'test', 'server', 'fakeTempo.mjs'))) as { startFakeTempo: Start })
      .startFakeTempo;
    // Only the 3.0.3 story trace: one 4.3 s DataFetchNode.fetch span.
    only3 = mkdtempSync(join(tmpdir(), 'tl-fm-'));
    symlinkSync(RECORDED, join(only3, 'tempo-3.0.3'), 'dir');
  });
  after(() => rmSync(only3, { recursive: true, force: true }));

  it('a single 4.3 s span: exactly 4.3 s, where Tempo answers the 8.59 s bucket; instant queries', async () => {
    const tempo = await start({ mode: '3.0.3', fixturesDir: only3, now: () => clock });
    try {
      const figures = new FunctionMetrics(new TempoClient({ baseUrl: tempo.url }));
      const s = await figures.stats(FETCH, range());
      assert.deepEqual(s, { count: 1, errors: 0, p50Ns: 4.3e9, p95Ns: 4.3e9, maxNs: 4.3e9 });
      assert.equal(lensTitle(s!), 'p50 4.3 s · p95 4.3 s · 1 span (last 1 h)');
      assert.equal(figures.route, 'instant');
    } finally {
      await tempo.close();
    }
  });

  it('two 4.3 s spans: Tempo interpolates p50 to 6.07 s; shown as a bound no higher than the maximum', async () => {
    const tempo = await start({ mode: '3.0.3', now: () => clock });
    try {
      const s = (await new FunctionMetrics(new TempoClient({ baseUrl: tempo.url })).stats(FETCH, range()))!;
      assert.equal(s.count, 2);
      assert.equal(lensTitle(s), 'p50 ≤ 4.3 s · p95 ≤ 4.3 s · max 4.3 s · 2 spans (last 1 h)');
    } finally {
      await tempo.close();
    }
  });

  it("within the cut-off the answer is empty and the client says it may be; after it, the span's figures", async () => {
    const tempo = await start({ mode: '3.0.3', fixturesDir: only3, now: () => clock });
    try {
      const client = new TempoClient({ baseUrl: tempo.url });
      const figures = new FunctionMetrics(client);
      tempo.receive(STORY);
      assert.equal(await figures.stats(FETCH, range()), undefined);
      assert.equal(
        mayLackRecent(range().end, clock, cutoffOf(client)),
        true,
        'so the lens says why and asks again',
      );
      clock += 31_000;
      assert.equal((await figures.stats(FETCH, range()))?.count, 1);
    } finally {
      await tempo.close();
    }
  });

  it('a Tempo 2.0.1 (no metrics API): unsupported, and the client declares no cut-off', async () => {
    const tempo = await start({ mode: '2.0.1' });
    try {
      const client = new TempoClient({ baseUrl: tempo.url });
      await assert.rejects(new FunctionMetrics(client).stats(FETCH, range()), (e: unknown) =>
        isBackendError(e, 'unsupported'),
      );
      assert.equal(client.recentCutoffMs, 0);
    } finally {
      await tempo.close();
    }
  });
});
