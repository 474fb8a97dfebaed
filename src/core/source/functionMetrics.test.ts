import * as assert from 'node:assert/strict';
import {
  BackendError,
  type MetricsInstantQuery,
  type MetricsInstantResult,
  type MetricsQuery,
  type MetricsResult,
} from '../backends';
import type { FunctionTarget } from '../traceql';
import { FunctionMetrics, RANGE_STEP, type MetricsApi } from './functionMetrics';

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
