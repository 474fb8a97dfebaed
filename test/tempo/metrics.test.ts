/**
 * TraceQL metrics against a real Tempo 3.0.3 (query_end_cutoff 0 s): the CodeLens's queries in
 * the shape it sends them (instant queries over the last hour), what it makes of the answers
 * (honest about Tempo's bucketed quantiles), range steps, exact figures (max/min/avg,
 * exemplars), and bad TraceQL.
 */
import * as assert from 'node:assert/strict';
import type { MetricsInstantResult, MetricsResult, TempoClient } from '../../src/core/backends';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { FunctionMetrics } from '../../src/core/source/functionMetrics';
import { statsFromMetrics } from '../../src/core/source/spanStats';
import { lensTitle } from '../../src/core/source/text';
import {
  functionCountQuery,
  functionQuantilesQuery,
  functionQuery,
  type FunctionTarget,
} from '../../src/core/traceql';
import { clientFor, mainSearchable, nowS, tempo } from './fixtures';
import { pollUntil } from './poll';
import { ITEM_FINDS, ITEM_TRACES, REPORT_RENDER_MS, type MainSeed } from './seed';
import type { TempoServer } from './server';

const REPORT: FunctionTarget = {
  name: 'render',
  container: 'ReportJob',
  relativePath: 'src/report/ReportJob.ts',
};
// Its spans carry the pre-1.30 keys: code.namespace + code.function.
const CHARGE: FunctionTarget = {
  name: 'charge',
  container: 'PaymentClient',
  relativePath: 'src/payment/PaymentClient.ts',
};
const ITEM_FIND: FunctionTarget = {
  name: 'find',
  container: 'ItemRepo',
  relativePath: 'src/items/ItemRepo.ts',
};

/** The upper bound of the power-of-two bucket a 4.3 s span falls in: 2^33 ns. */
const BUCKET_OF_4_3_S = 2 ** 33 / 1e9;

const total = (r: MetricsResult) =>
  r.series.reduce((n, s) => n + s.samples.reduce((m, p) => m + p.value, 0), 0);
const instantTotal = (r: MetricsInstantResult) => r.series.reduce((n, s) => n + s.value, 0);
const label = (s: { labels: MetricsResult['series'][number]['labels'] }, key: string) =>
  s.labels.find((l) => l.key === key)?.value;

describe('Tempo 3.0.3: TraceQL metrics (the CodeLens)', () => {
  let client: TempoClient;
  let seed: MainSeed;
  let server: TempoServer;

  /** A CodeLens query, as it sends it: the instant API over the last hour. */
  const lensQuery = (q: string) => {
    const end = nowS();
    return client.metricsQuery({ q, start: end - 3600, end });
  };
  /** What the CodeLens shows over a function: its figures, as FunctionMetrics asks them. */
  const lensStats = (target: FunctionTarget) => {
    const end = nowS();
    return new FunctionMetrics(client).stats(target, { start: end - 3600, end });
  };

  before(async function () {
    this.timeout(120_000);
    server = await tempo('main');
    seed = await mainSearchable();
    client = clientFor(server);
    await pollUntil(
      'the seeded spans in TraceQL metrics',
      async () => instantTotal(await lensQuery(functionCountQuery(ITEM_FIND))) === ITEM_TRACES * ITEM_FINDS,
      { deadlineMs: 60_000 },
    );
  });

  it('the count query counts spans per status, with status labels as Tempo writes them', async () => {
    const items = await lensQuery(functionCountQuery(ITEM_FIND));
    assert.deepEqual(
      items.series.map((s) => [label(s, 'status'), s.value]),
      [['unset', ITEM_TRACES * ITEM_FINDS]],
    );
    const charge = await lensQuery(functionCountQuery(CHARGE));
    assert.deepEqual(
      charge.series.map((s) => [label(s, 'status'), s.value]),
      [['error', 1]],
    );
  });

  it('the quantile query: series labelled p = 0.5 and 0.95, in seconds, answered with the bucket bound (2^33 ns for 4.3 s), not marked exact', async () => {
    const r = await lensQuery(functionQuantilesQuery(REPORT));
    assert.deepEqual(r.series.map((s) => label(s, 'p')).sort(), [0.5, 0.95]);
    for (const s of r.series) assert.equal(s.value, BUCKET_OF_4_3_S, `p=${String(label(s, 'p'))}`);
    assert.equal(r.exact, undefined);
  });

  it('what the CodeLens shows from metrics: the span and error counts', async () => {
    const charge = await lensStats(CHARGE);
    assert.ok(charge);
    assert.equal(charge.count, 1);
    assert.equal(charge.errors, 1);
    const items = await lensStats(ITEM_FIND);
    assert.ok(items);
    assert.equal(items.count, ITEM_TRACES * ITEM_FINDS);
    assert.match(lensTitle(items), /· 30 spans \(last 1 h\)$/);
  });

  it('the CodeLens never shows a percentile above the slowest span: one 4.3 s span reads 4.3 s, not the 8.6 s bucket', async () => {
    const stats = await lensStats(REPORT);
    assert.ok(stats);
    assert.equal(stats.count, 1);
    assert.equal(stats.p50Ns, REPORT_RENDER_MS * 1e6);
    assert.equal(stats.p95Ns, REPORT_RENDER_MS * 1e6);
    assert.equal(lensTitle(stats), 'p50 4.3 s · p95 4.3 s · 1 span (last 1 h)');
  });

  it("the CodeLens marks Tempo's bucketed percentiles as bounds, none above the exact maximum", async () => {
    const stats = await lensStats(ITEM_FIND);
    assert.ok(stats);
    assert.equal(stats.bounded, true);
    assert.ok(stats.maxNs !== undefined && stats.maxNs > 0);
    assert.ok(stats.p50Ns <= stats.p95Ns && stats.p95Ns <= stats.maxNs, JSON.stringify(stats));
    assert.match(lensTitle(stats), /^p50 ≤ \S+ \S+ · p95 ≤ \S+ \S+ · max \S+ \S+ · 30 spans \(last 1 h\)$/);
  });

  it('exact figures Tempo has: max/min/avg_over_time in seconds, exemplars with the trace ID and the exact value', async () => {
    for (const fn of ['max_over_time', 'min_over_time', 'avg_over_time']) {
      const r = await lensQuery(`${functionQuery(REPORT)} | ${fn}(duration)`);
      assert.deepEqual(
        r.series.map((s) => s.value),
        [REPORT_RENDER_MS / 1000],
        fn,
      );
    }
    const end = nowS();
    const withExemplars = await client.metricsQueryRange({
      q: `${functionQuery(REPORT)} | quantile_over_time(duration, .95)`,
      start: end - 600,
      end,
      step: '60s',
      exemplars: 10,
    });
    const exemplars = withExemplars.series.flatMap((s) => s.exemplars);
    assert.ok(exemplars.length >= 1, 'an exemplar came back');
    assert.equal(exemplars[0]!.traceId, seed.report.traceId);
    assert.equal(exemplars[0]!.value, REPORT_RENDER_MS / 1000);
  });

  it('finer steps: steps without spans come back value-less and read as 0; the steps add up to the count', async () => {
    const end = nowS();
    const r = await client.metricsQueryRange({
      q: functionCountQuery(ITEM_FIND),
      start: end - 600,
      end,
      step: '60s',
      exemplars: 0,
    });
    const samples = r.series.flatMap((s) => s.samples);
    assert.ok(samples.length >= 10, `${samples.length} steps`);
    assert.ok(
      samples.some((p) => p.value === 0),
      'empty steps read as 0',
    );
    assert.equal(total(r), ITEM_TRACES * ITEM_FINDS);
    assert.ok(samples.every((p) => Number.isInteger(p.timestampMs) && p.timestampMs > 1.7e12));
  });

  it('a window without spans: nothing counted', async () => {
    const end = nowS() - 3 * 3600;
    const r = await client.metricsQueryRange({
      q: functionCountQuery(ITEM_FIND),
      start: end - 3600,
      end,
      step: '3600s',
    });
    assert.equal(total(r), 0);
    assert.equal(statsFromMetrics({ counts: r, quantiles: r }), undefined);
  });

  it("bad TraceQL in a metrics query: a bad-request error quoting Tempo's parse error", async () => {
    await rejectsWith(
      lensQuery('{ } | quantile_over_time('),
      'bad-request',
      // The instant API words it "compiling query: parse error …".
      /GET \/api\/metrics\/query → 400: Tempo rejected the request: "compiling query: parse error at line 1, col \d+/,
      '\u0000',
    );
  });

  it('an instant query answers one exact figure per series for the whole window: the slowest span of a function', async () => {
    const end = nowS();
    const r = await client.metricsQuery({
      q: `${functionQuery(REPORT)} | max_over_time(duration)`,
      start: end - 3600,
      end,
    });
    assert.deepEqual(
      r.series.map((s) => s.value),
      [REPORT_RENDER_MS / 1000],
    );
  });
});
