import { strict as assert } from 'node:assert';
import type { MetricsResult, SearchHit, SearchResult } from '../backends';
import { percentile, statsFromMetrics, statsFromSearch } from './spanStats';
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

describe('statsFromMetrics', () => {
  const labels = (key: string, value: string | number) => [{ key, value }];
  it('combines count-by-status and quantile series (seconds) weighted by bucket counts', () => {
    const counts: MetricsResult = {
      partial: false,
      series: [
        {
          labels: labels('status', 'unset'),
          samples: [
            { timestampMs: 1, value: 30 },
            { timestampMs: 2, value: 5 },
          ],
          exemplars: [],
        },
        { labels: labels('status', 'error'), samples: [{ timestampMs: 2, value: 2 }], exemplars: [] },
      ],
    };
    const quantiles: MetricsResult = {
      partial: false,
      series: [
        {
          labels: labels('p', 0.5),
          samples: [
            { timestampMs: 1, value: 0.1 },
            { timestampMs: 2, value: 0.2 },
          ],
          exemplars: [],
        },
        { labels: labels('p', '0.95'), samples: [{ timestampMs: 1, value: 4 }], exemplars: [] },
      ],
    };
    const s = statsFromMetrics(quantiles, counts)!;
    assert.equal(s.count, 37);
    assert.equal(s.errors, 2);
    assert.ok(Math.abs(s.p50Ns - ((0.1 * 30 + 0.2 * 7) / 37) * 1e9) < 1);
    assert.equal(s.p95Ns, 4e9);
  });

  it('is undefined when nothing was counted', () => {
    assert.equal(statsFromMetrics({ partial: false, series: [] }, { partial: false, series: [] }), undefined);
  });
});
