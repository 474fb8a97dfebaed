import { strict as assert } from 'node:assert';
import type { MetricsInstantResult, MetricsResult, SearchHit, SearchResult } from '../backends';
import { bucketBoundNs, percentile, statsFromMetrics, statsFromSearch } from './spanStats';
import { lensTitle } from './text';
import { functionCondition, type FunctionTarget } from '../traceql';

const TARGET: FunctionTarget = {
  name: 'fetch',
  container: 'DataFetchNode',
  relativePath: 'src/nodes/DataFetchNode.ts',
};
const OWN = [{ key: 'code.function.name', value: 'DataFetchNode.fetch' }];
const T0 = 1_700_000_000_000_000_000n;

let next = 1;
function span(durationMs: number, attributes = OWN, offsetMs = 0) {
  const id = (next++).toString(16).padStart(16, '0');
  return {
    spanId: id,
    startTimeUnixNano: String(T0 + BigInt(offsetMs) * 1_000_000n),
    durationNanos: String(durationMs * 1e6),
    attributes,
  };
}

function hit(traceNo: number, spans: ReturnType<typeof span>[], matched = spans.length): SearchHit {
  return {
    traceId: traceNo.toString(16).padStart(32, '0'),
    rootServiceName: 'engine',
    rootTraceName: `workflow ${traceNo}`,
    startTimeUnixNano: String(T0 + BigInt(traceNo) * 1_000_000_000n),
    durationMs: 5000,
    spanSets: [{ spans, matched, attributes: [] }],
    matched,
  };
}

describe('percentile', () => {
  const table: Array<[number[], number, number]> = [
    [[], 0.5, NaN],
    [[7], 0.95, 7],
    [[1, 2, 3, 4], 0.5, 2.5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95, 9.55],
    [[1, 2, 3], 0, 1],
    [[1, 2, 3], 1, 3],
    [[1, 2, 3], 2, 3],
  ];
  for (const [values, q, expected] of table) {
    it(`q${q} of [${values.join(',')}]`, () => {
      const got = percentile(values, q);
      if (Number.isNaN(expected)) assert.ok(Number.isNaN(got));
      else assert.ok(Math.abs(got - expected) < 1e-9, `${got}`);
    });
  }
});

describe('statsFromSearch', () => {
  const cond = functionCondition(TARGET);

  it('counts, ranks and takes percentiles of the function spans only', () => {
    const result: SearchResult = {
      traces: [
        hit(1, [span(100), span(4200), span(50, [{ key: 'code.function.name', value: 'Other.fetch' }])]),
        hit(2, [span(120)]),
        hit(3, [span(300, [...OWN, { key: 'status', value: 'error' }])]),
      ],
    };
    const s = statsFromSearch(result, undefined, cond);
    assert.equal(s.count, 4);
    assert.equal(s.errors, 1);
    assert.equal(s.p50Ns, 210e6);
    assert.ok(Math.abs(s.p95Ns - (300 + (4200 - 300) * 0.85) * 1e6) < 1);
    assert.deepEqual(
      s.slowest.map((c) => [c.traceId.slice(-1), c.spanDurationNs / 1e6, c.rootName]),
      [
        ['1', 4200, 'workflow 1'],
        ['3', 300, 'workflow 3'],
        ['2', 120, 'workflow 2'],
      ],
    );
    assert.deepEqual(
      s.failing.map((c) => c.traceId.slice(-1)),
      ['3'],
    );
  });

  it('ignores everything from a server that ignored the filter', () => {
    const ignored: SearchResult = {
      traces: [hit(4, [span(10, [{ key: 'service.name', value: 'engine' }])], 40)],
    };
    const s = statsFromSearch(ignored, ignored, cond);
    assert.equal(s.count, 0);
    assert.equal(s.errors, 0);
    assert.ok(Number.isNaN(s.p50Ns));
    assert.deepEqual(s.slowest, []);
  });

  it('adds the matches the server reported beyond spss when all returned spans passed', () => {
    const s = statsFromSearch(
      { traces: [hit(5, [span(10), span(20)], 30), hit(6, [span(5), span(1, [])], 9)] },
      undefined,
      cond,
    );
    // 2 + 28 unseen in trace 5; trace 6 had a span that failed the filter, so its count is not trusted.
    assert.equal(s.count, 31);
  });

  it('takes errors from the failing search, dropping spans that say they did not fail', () => {
    const failing: SearchResult = {
      traces: [
        hit(7, [span(10, [...OWN, { key: 'status', value: 'error' }])]),
        hit(8, [span(10, [...OWN, { key: 'status', value: 'ok' }])]),
        hit(9, [span(10)]),
      ],
    };
    const s = statsFromSearch({ traces: [hit(7, [span(10)])] }, failing, cond);
    assert.equal(s.errors, 2);
    assert.deepEqual(s.failing.map((c) => c.traceId.slice(-1)).sort(), ['7', '9']);
    assert.ok(s.failing.every((c) => c.error));
  });

  it('survives junk durations', () => {
    const bad = span(1);
    bad.durationNanos = 'abc';
    const s = statsFromSearch({ traces: [hit(10, [bad, span(3)])] }, undefined, cond);
    assert.equal(s.count, 1);
  });
});

describe('statsFromMetrics: honest figures from TraceQL metrics', () => {
  const labels = (key: string, value: string | number) => [{ key, value }];
  /** An instant answer: one value per series. */
  const instant = (
    series: Array<[string, string | number, number]>,
    exact?: boolean,
  ): MetricsInstantResult => ({
    partial: false,
    series: series.map(([key, value, v]) => ({ labels: labels(key, value), value: v })),
    ...(exact ? { exact } : {}),
  });
  /** A range answer: per series, the values of its steps (0 = a step without a value). */
  const range = (series: Array<[string, string | number, number[]]>, exact?: boolean): MetricsResult => ({
    partial: false,
    series: series.map(([key, value, vs]) => ({
      labels: labels(key, value),
      samples: vs.map((v, i) => ({ timestampMs: 60_000 * (i + 1), value: v })),
      exemplars: [],
    })),
    ...(exact ? { exact } : {}),
  });
  const BUCKET_4_3_S = 8.589934592;

  it('one span: every percentile is the exact maximum (4.3 s, not the 8.6 s bucket)', () => {
    const s = statsFromMetrics({
      counts: instant([['status', 'unset', 1]]),
      max: instant([['__name__', 'max_over_time', 4.3]]),
    })!;
    assert.deepEqual(s, { count: 1, errors: 0, p50Ns: 4.3e9, p95Ns: 4.3e9, maxNs: 4.3e9 });
    assert.equal(lensTitle(s), 'p50 4.3 s · p95 4.3 s · 1 span (last 1 h)');
  });

  it("Tempo's quantiles are bounds, never above the slowest span", () => {
    const s = statsFromMetrics({
      counts: instant([
        ['status', 'unset', 35],
        ['status', 'error', 2],
      ]),
      quantiles: instant([
        ['p', 0.5, 0.134217728],
        ['p', '0.95', BUCKET_4_3_S],
      ]),
      max: instant([['__name__', 'max_over_time', 4.3]]),
    })!;
    assert.equal(s.count, 37);
    assert.equal(s.errors, 2);
    assert.equal(s.bounded, true);
    assert.equal(s.p50Ns, 2 ** 27);
    assert.equal(s.p95Ns, 4.3e9, 'the 8.6 s bound is above the 4.3 s maximum');
    assert.equal(lensTitle(s), 'p50 ≤ 134 ms · p95 ≤ 4.3 s · max 4.3 s · 37 spans · 2 errors (last 1 h)');
  });

  it('an interpolated quantile (not a power of two) is bounded by the next power of two', () => {
    assert.equal(bucketBoundNs(0.3), 2 ** 29);
    assert.equal(bucketBoundNs(0.536870912), 2 ** 29);
    assert.equal(bucketBoundNs(BUCKET_4_3_S), 2 ** 33);
    const s = statsFromMetrics({
      counts: instant([['status', 'unset', 4]]),
      quantiles: instant([['p', 0.5, 0.3]]),
    })!;
    assert.equal(s.p50Ns, 2 ** 29);
    assert.equal(s.bounded, true);
    assert.ok(Number.isNaN(s.p95Ns), 'no p95 series and no maximum: unknown');
  });

  it('range answers: counts summed over steps, a quantile bounded by the largest step', () => {
    const s = statsFromMetrics({
      counts: range([['status', 'unset', [0, 30, 0, 5]]]),
      quantiles: range([
        ['p', 0.5, [0, 0.134217728, 0, 0.067108864]],
        ['p', 0.95, [0, 0.536870912, 0, 0.134217728]],
      ]),
      max: range([['__name__', 'max_over_time', [0, 0.43, 0, 0.1]]]),
    })!;
    assert.equal(s.count, 35);
    assert.equal(s.p50Ns, 2 ** 27);
    assert.equal(s.p95Ns, 0.43e9);
    assert.equal(s.maxNs, 0.43e9);
  });

  it('a server with exact quantiles (the local store): one value is exact, several steps are a bound', () => {
    const exact = statsFromMetrics({
      counts: instant([['status', 'unset', 37]], true),
      quantiles: instant(
        [
          ['p', 0.5, 0.12],
          ['p', 0.95, 4.2],
        ],
        true,
      ),
    })!;
    assert.equal(exact.bounded, undefined);
    assert.equal(lensTitle(exact), 'p50 120 ms · p95 4.2 s · 37 spans (last 1 h)');
    const steps = statsFromMetrics({
      counts: range([['status', 'unset', [3, 4]]], true),
      quantiles: range([['p', 0.95, [0.2, 0.3]]], true),
    })!;
    assert.equal(steps.bounded, true);
    assert.ok(Math.abs(steps.p95Ns - 0.3e9) < 1);
  });

  it('is undefined when nothing was counted', () => {
    assert.equal(statsFromMetrics({ counts: { partial: false, series: [] } }), undefined);
    assert.equal(statsFromMetrics({ counts: range([['status', 'unset', [0, 0]]]) }), undefined);
  });
});
