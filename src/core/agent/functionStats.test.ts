import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import {
  BackendError,
  type MetricsQuery,
  type MetricsResult,
  type SearchHit,
  type SearchQuery,
  type TraceBackend,
} from '../backends';
import { estimateTokens, LM_TOOL_NAMES, runFunctionStats, type AgentContext } from './index';
import { fixtureBackend } from './testing/testSupport';

const NOW = Date.UTC(2026, 10, 24, 9, 0, 0);
const OWN = [{ key: 'code.function.name', value: 'DataFetchNode.fetch' }];

let next = 1;
function span(durationMs: number, agoMs: number, attributes: Array<{ key: string; value: string }> = OWN) {
  return {
    spanId: (next++).toString(16).padStart(16, '0'),
    startTimeUnixNano: `${NOW - agoMs}000000`,
    durationNanos: String(durationMs * 1e6),
    attributes,
  };
}

function hit(traceNo: number, agoMs: number, spans: ReturnType<typeof span>[]): SearchHit {
  return {
    traceId: traceNo.toString(16).padStart(32, '0'),
    rootServiceName: 'engine',
    rootTraceName: `workflow ${traceNo}`,
    startTimeUnixNano: `${NOW - agoMs}000000`,
    durationMs: 5000,
    spanSets: [{ spans, matched: spans.length, attributes: [] }],
    matched: spans.length,
  };
}

/** A backend whose search answers `hits` (errors-only searches: the spans with status error). */
function searching(hits: SearchHit[], searches: SearchQuery[] = []): TraceBackend {
  const b = fixtureBackend();
  b.search = async (q) => {
    searches.push(q);
    if (q.q.includes('status = error')) {
      return {
        traces: hits
          .map((h) => ({
            ...h,
            spanSets: h.spanSets.map((s) => ({
              ...s,
              spans: s.spans.filter((x) =>
                x.attributes.some((a) => a.key === 'status' && a.value === 'error'),
              ),
            })),
          }))
          .filter((h) => h.spanSets.some((s) => s.spans.length > 0)),
      };
    }
    return { traces: hits };
  };
  return b;
}

function ctx(backend: TraceBackend): AgentContext {
  return { backend, names: LM_TOOL_NAMES, now: () => NOW };
}

describe('traceLens_functionStats', () => {
  it('counts the function spans of a search in the window, with p50/p95, errors and example traces', async () => {
    const searches: SearchQuery[] = [];
    const hits = [
      hit(1, 60_000, [span(100, 60_000), span(4200, 59_000)]),
      hit(2, 120_000, [span(120, 120_000, [...OWN, { key: 'status', value: 'error' }])]),
      // Five hours ago: the backend ignored the range.
      hit(3, 5 * 3600_000, [span(9000, 5 * 3600_000)]),
    ];
    const a = await runFunctionStats(
      { file: 'src/nodes/DataFetchNode.ts', function: 'DataFetchNode.fetch' },
      ctx(searching(hits, searches)),
    );
    assert.equal(a.isError, false, a.text);
    assert.match(a.text, /## Spans of `DataFetchNode\.fetch` in `src\/nodes\/DataFetchNode\.ts` · last 1h/);
    assert.match(a.text, /\*\*p50 120 ms · p95 3\.79 s · 3 spans · 1 error \(last 1h\)\*\*/);
    assert.match(a.text, /computed from the 3 spans it returned/);
    assert.match(
      a.text,
      /1 trace outside the window were left out: the backend did not apply the time range/,
    );
    assert.match(a.text, /### Slowest[^\n]*\n1\. `0{31}1` · span `[0-9a-f]{16}` 4\.2 s/);
    assert.match(a.text, /### Failing, newest first\n1\. `0{31}2`/);
    assert.doesNotMatch(a.text, /0{31}3/);
    assert.equal(searches.length, 2);
    assert.equal(searches[0]!.end! - searches[0]!.start!, 3600);
    assert.match(searches[0]!.q, /code\.function\.name/);
    assert.ok(estimateTokens(a.text) <= 2000);
  });

  it('takes the figures from TraceQL metrics when the backend has them, as bounds capped at the maximum (the CodeLens rules)', async () => {
    const backend = searching([hit(1, 60_000, [span(100, 60_000)])]) as TraceBackend & {
      metricsQueryRange(q: MetricsQuery): Promise<MetricsResult>;
    };
    backend.metricsQueryRange = async (q) =>
      q.q.includes('max_over_time')
        ? {
            series: [{ labels: [], samples: [{ timestampMs: 1, value: 3.1 }], exemplars: [] }],
            partial: false,
          }
        : q.q.includes('quantile_over_time')
          ? {
              series: [
                {
                  labels: [{ key: 'p', value: 0.5 }],
                  samples: [{ timestampMs: 1, value: 0.2 }],
                  exemplars: [],
                },
                {
                  labels: [{ key: 'p', value: 0.95 }],
                  samples: [{ timestampMs: 1, value: 4 }],
                  exemplars: [],
                },
              ],
              partial: true,
              message: 'some blocks were not read',
            }
          : {
              series: [
                {
                  labels: [{ key: 'status', value: 'ok' }],
                  samples: [{ timestampMs: 1, value: 37 }],
                  exemplars: [],
                },
              ],
              partial: false,
            };
    const a = await runFunctionStats(
      { file: 'src/nodes/DataFetchNode.ts', function: 'DataFetchNode.fetch', since: '6h' },
      ctx(backend),
    );
    // Tempo's 0.2 s and 4 s are bucket estimates: bounds at the next power of two, never above the
    // exact maximum (3.1 s).
    assert.match(a.text, /\*\*p50 ≤ 268 ms · p95 ≤ 3\.1 s · max 3\.1 s · 37 spans \(last 6h\)\*\*/);
    assert.match(
      a.text,
      /TraceQL metrics: Tempo computes quantiles from histogram buckets, so p50\/p95 are upper bounds/,
    );
    assert.match(a.text, /The backend says these figures are partial: `some blocks were not read`/);
    assert.match(a.text, /### Slowest/);
  });

  it('falls back to search when the metrics API answers 404', async () => {
    const backend = searching([hit(1, 60_000, [span(100, 60_000)])]) as TraceBackend & {
      metricsQueryRange(q: MetricsQuery): Promise<MetricsResult>;
    };
    backend.metricsQueryRange = async () => {
      throw new BackendError('not-found', '404 page not found', { status: 404 });
    };
    const a = await runFunctionStats(
      { file: 'src/nodes/DataFetchNode.ts', function: 'DataFetchNode.fetch' },
      ctx(backend),
    );
    assert.match(a.text, /p95 100 ms · 1 span \(last 1h\)/);
    assert.match(a.text, /from a TraceQL search/);
  });

  it('says when no spans were found, and what counts as the function', async () => {
    const a = await runFunctionStats({ file: 'src/x.ts', function: 'run' }, ctx(searching([])));
    assert.equal(a.isError, false);
    assert.match(a.text, /No spans of this function found in the last 1h/);
    assert.match(a.text, /code\.filepath/);
    assert.match(a.text, /A wider window: `traceLens_functionStats`/);
  });

  it('checks its input and says when the backend cannot tell', async () => {
    const c = ctx(searching([]));
    assert.equal((await runFunctionStats({ function: 'x' }, c)).isError, true);
    assert.equal((await runFunctionStats({ file: '/abs/x.ts', function: 'x' }, c)).isError, true);
    assert.equal((await runFunctionStats({ file: 'x.ts', function: 'a b' }, c)).isError, true);
    assert.match((await runFunctionStats({ file: 'x.ts', line: 3 }, c)).text, /Give `function`/);
    const resolved = await runFunctionStats(
      { file: 'x.ts', line: 3 },
      c,
      async () => 'No function at line 3 of x.ts.',
    );
    assert.equal(resolved.isError, true);
    assert.match(resolved.text, /No function at line 3/);
    const none = await runFunctionStats({ file: 'x.ts', function: 'f' }, ctx(fixtureBackend()));
    assert.match(none.text, /neither TraceQL metrics nor TraceQL search/);
  });

  it("keeps a hostile server's span IDs and names inert", async () => {
    const evil = span(100, 60_000);
    evil.spanId = '`[x](https://evil.test)`';
    const h = hit(1, 60_000, [evil]);
    h.rootTraceName = '<https://evil.test/root>';
    h.rootServiceName = '![i](https://evil.test/i.png)';
    const a = await runFunctionStats(
      { file: 'src/nodes/`[f](https://evil.test)`.ts', function: 'DataFetchNode.fetch' },
      ctx(searching([h])),
    );
    assert.equal(a.isError, false, a.text);
    const html = marked.parse(a.text, { async: false, gfm: true });
    assert.doesNotMatch(html, /<a[\s>]|<img|href=/i, html);
    assert.match(a.text, /span `` `\[x\]\(https:\/\/evil\.test\)` `` 100 ms/);
  });
});
