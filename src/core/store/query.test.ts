/**
 * TraceQL over the store: a table of queries, each answered by the store's search (columns,
 * prefilters, the engine through an accessor) and, as the reference, by the engine over every
 * trace decoded into the model; and metrics checked against values worked out from the spans.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempoClient } from '../backends';
import { decodeTrace } from '../decode';
import { evaluateModel, parse } from '../traceql';
import { metricsInstant, metricsRange, parseMetricsQuery } from './metrics';
import { startReceiver, type Receiver } from './receiver';
import { searchTraces, SearchQueryError } from './search';
import { TraceStore } from './store';
import { encodeSpans, generateTraces, type SpanSpec } from './testing/exports';
import { readTrace } from './traces';

const T0 = 1_700_000_000_000_000_000n; // Unix ns of the first trace (2023-11-14T22:13:20Z)
const T0_SEC = 1_700_000_000;

describe('TraceQL over the store', function () {
  this.timeout(20000);
  let dir: string;
  let store: TraceStore;
  let spans: SpanSpec[];
  let traceIds: string[];

  before(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-query-'));
    // Small segments, so queries cross segments and traces are split between them.
    store = TraceStore.open({ dir, segmentBytes: 64 * 1024 });
    ({ spans, traceIds } = generateTraces(120, 8, { startNs: T0 }));
    // One trace whose root never arrived.
    spans.find((s) => s.traceId === traceIds[7] && !s.parentSpanId)!.traceId =
      'ffffffffffffffffffffffffffffffff';
    // Spans arrive service by service, in batches of 50, as exporters flush.
    for (let i = 0; i < spans.length; i += 50)
      await store.append('traces', encodeSpans(spans.slice(i, i + 50)));
    assert.ok(store.segments().length > 2);
  });
  after(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const QUERIES = [
    '{ }',
    '{ name = "charge" }',
    '{ name != "GET /orders" && duration > 3ms }',
    '{ status = error }',
    '{ status != error && kind = server }',
    '{ resource.service.name = "payments" && duration > 2ms }',
    '{ .service.name = "inventory" }',
    '{ span.http.response.status_code >= 500 }',
    '{ .http.response.status_code = 200 && name =~ "SELECT.*" }',
    '{ span.code.function.name =~ "orders\\\\.handler[0-3]" }',
    '{ span.item.id = "item-17" }',
    '{ name = "no such span" }',
    '{ resource.service.name = "nowhere" }',
    '{ span.no.such.key != nil }',
    '{ span.item.id = nil }',
    '{ kind = server } && { status = error }',
    '{ name = "charge" } || { name = "reserve" && duration < 1ms }',
    '{ rootServiceName = "api" && name = "render" }',
    '{ traceDuration > 5500us }',
    '{ !(status = error) && name = "send mail" }',
    '{ duration >= 2ms || status = error }',
  ];

  for (const q of QUERIES) {
    it(`answers ${q} as the engine does over the decoded traces`, () => {
      const query = parse(q);
      const expected = new Map<string, number>();
      for (const id of [...traceIds, 'ffffffffffffffffffffffffffffffff']) {
        const t = readTrace(store, id);
        if (!t) continue;
        const decoded = decodeTrace(t.bytes, 'otlp-proto');
        const matched = evaluateModel(query, decoded).length;
        if (matched > 0) expected.set(id, matched);
      }
      const got = searchTraces(store, { q, limit: 1000, spss: 0 });
      assert.deepEqual(
        new Map(got.traces.map((h) => [h.summary.traceId, h.matched])),
        expected,
        `${got.traces.length} traces found, ${expected.size} expected`,
      );
      for (const h of got.traces) assert.equal(h.spans.length, h.matched);
    });
  }

  it('stops at the limit with the newest traces first, and honours the time range', () => {
    const got = searchTraces(store, { q: '{ }', limit: 5 });
    assert.deepEqual(
      got.traces.map((h) => h.summary.traceId),
      traceIds.slice(-5).reverse(),
    );
    assert.ok(got.inspectedSpans < spans.length / 2, `${got.inspectedSpans} spans inspected`);
    // Trace k starts at T0 + k ms: traces 10..19 start in [T0 + 10 ms, T0 + 19 ms].
    const inRange = searchTraces(store, { q: '{ }', limit: 1000, start: T0_SEC, end: T0_SEC }).traces.length;
    assert.equal(inRange, 121, 'all start within the first second');
    assert.equal(
      searchTraces(store, { q: '{ }', limit: 1000, start: T0_SEC + 5, end: T0_SEC + 9 }).traces.length,
      0,
    );
    const long = searchTraces(store, { q: '{ }', limit: 1000, minDurationNs: 5_800_000 });
    assert.ok(long.traces.length > 0 && long.traces.every((h) => h.summary.durationMs >= 5.8));
  });

  it('refuses what the engine does not evaluate, naming the part (a 400)', () => {
    assert.throws(
      () => searchTraces(store, { q: '{ } | count() > 1' }),
      (e: unknown) =>
        e instanceof SearchQueryError && /^invalid TraceQL query: unsupported at 5: pipeline/.test(e.message),
    );
    assert.throws(() => searchTraces(store, { q: '{ name = }' }), /invalid TraceQL query: syntax error/);
  });

  it('reports the root span as missing when it never arrived', () => {
    const hit = searchTraces(store, { q: '{ span.item.id != nil }', limit: 1000 }).traces.find(
      (h) => h.summary.traceId === traceIds[7],
    )!;
    assert.equal(hit.summary.rootService, null);
    assert.equal(hit.summary.rootName, null);
  });

  describe('metrics', () => {
    const at = (q: string, extra: Record<string, string> = {}) =>
      new URLSearchParams({ q, start: String(T0_SEC - 60), end: String(T0_SEC + 60), step: '60', ...extra });
    /** Spans of the generated data that satisfy `keep` (the root of trace 7 moved to another trace). */
    const values = (keep: (s: SpanSpec) => boolean) => spans.filter(keep);

    it('parses the metrics stage with the engine fields, and refuses others', () => {
      const mq = parseMetricsQuery(
        '{ status = error } | quantile_over_time(duration, .5, 0.95) by (span.code.function.name, status)',
      );
      assert.equal(mq.fn, 'quantile_over_time');
      assert.deepEqual(mq.quantiles, [0.5, 0.95]);
      assert.deepEqual(
        mq.by.map((b) => b.label),
        ['span.code.function.name', 'status'],
      );
      assert.deepEqual(mq.field, { kind: 'intrinsic', name: 'duration' });
      assert.throws(
        () => parseMetricsQuery('{ } | histogram_over_time(duration)'),
        /unsupported at 7: metrics function "histogram_over_time"/,
      );
      assert.throws(() => parseMetricsQuery('{ }'), /needs a stage/);
      assert.throws(
        () => parseMetricsQuery('{ } | quantile_over_time(duration)'),
        /needs at least one quantile/,
      );
      assert.throws(
        () => parseMetricsQuery('{ } | rate() by (span.x) | count()'),
        /after the metrics function/,
      );
    });

    it("counts per step, by status, in Tempo's shape (status as words, empty steps without a value)", () => {
      const body = metricsRange(store, at('{ } | count_over_time() by (status)'), 0) as {
        quantiles?: string;
        series: {
          labels: { key: string; value: { stringValue: string } }[];
          samples: { timestampMs: string; value?: number }[];
        }[];
      };
      const byStatus = new Map(body.series.map((s) => [s.labels[0]!.value.stringValue, s]));
      assert.equal(body.quantiles, 'exact');
      assert.deepEqual([...byStatus.keys()].sort(), ['error', 'unset']);
      const errors = byStatus.get('error')!;
      assert.equal(errors.labels[0]!.key, 'status');
      assert.deepEqual(
        errors.samples.map((s) => s.timestampMs),
        // Aligned to multiples of the step, as Tempo's are, up to the first boundary at or after the end.
        ['1699999920000', '1699999980000', '1700000040000', '1700000100000'],
      );
      // Every span starts in (T0 - 20 s, T0 + 40 s]: that sample holds them all; the others have no value.
      assert.deepEqual(
        errors.samples.map((s) => s.value),
        [undefined, undefined, values((s) => s.status === 2).length, undefined],
      );
      assert.equal(byStatus.get('unset')!.samples[2]!.value, values((s) => s.status !== 2).length);
    });

    it('leaves out nothing recent: the spans since the last step boundary before the end count', () => {
      // The end falls between two boundaries (T0 - 20 s and T0 + 40 s), amid the spans (which start
      // in T0 … T0 + 0.12 s); a one-hour step over the last hour ends so for everything since the
      // hour began (the CodeLens's query).
      const end = `${T0_SEC}.0605`;
      const body = metricsRange(
        store,
        new URLSearchParams({
          q: '{ } | count_over_time()',
          start: String(T0_SEC - 60),
          end: String(end),
          step: '60',
        }),
        0,
      ) as { series: { samples: { timestampMs: string; value?: number }[] }[] };
      const counted = body.series[0]!.samples.reduce((n, s) => n + (s.value ?? 0), 0);
      const expected = values((s) => s.start < T0 + 60_500_000n).length;
      assert.ok(expected > 0 && expected < spans.length, 'some spans start before the end, some after');
      assert.equal(counted, expected);
      assert.equal(body.series[0]!.samples.at(-1)!.timestampMs, '1700000040000');
    });

    it('gives exact quantiles, averages, minima and maxima of durations (seconds) and rates', () => {
      const durations = values((s) => s.service === 'payments')
        .map((s) => s.durationNs / 1e9)
        .sort((a, b) => a - b);
      const q = (p: number) => {
        const pos = (durations.length - 1) * p;
        const lo = Math.floor(pos);
        return durations[lo]! + (durations[Math.ceil(pos)]! - durations[lo]!) * (pos - lo);
      };
      const one = (query: string) => {
        const body = metricsInstant(store, at(query), 0) as {
          series: { labels: { key: string; value: unknown }[]; value?: number }[];
          quantiles?: string;
        };
        // The marker that tells the client these are exact, not Tempo's bucket bounds.
        assert.equal(body.quantiles, 'exact');
        return body.series;
      };
      const quantiles = one('{ resource.service.name = "payments" } | quantile_over_time(duration, .5, .95)');
      assert.deepEqual(
        quantiles.map((s) => [s.labels, s.value]),
        [
          [[{ key: 'p', value: { doubleValue: 0.5 } }], q(0.5)],
          [[{ key: 'p', value: { doubleValue: 0.95 } }], q(0.95)],
        ],
      );
      const avg = durations.reduce((a, b) => a + b, 0) / durations.length;
      assert.ok(
        Math.abs(one('{ resource.service.name = "payments" } | avg_over_time(duration)')[0]!.value! - avg) <
          1e-12,
      );
      assert.equal(
        one('{ resource.service.name = "payments" } | min_over_time(duration)')[0]!.value,
        durations[0],
      );
      assert.equal(
        one('{ resource.service.name = "payments" } | max_over_time(duration)')[0]!.value,
        durations[durations.length - 1],
      );
      const rate = one('{ name = "charge" } | rate()');
      assert.deepEqual(rate[0]!.labels, [{ key: '__name__', value: { stringValue: 'rate' } }]);
      assert.equal(rate[0]!.value, values((s) => s.name === 'charge').length / 120);
      const byFn = one('{ } | max_over_time(span.http.response.status_code) by (resource.service.name)');
      assert.equal(byFn.length, 5);
      assert.ok(byFn.every((s) => s.labels[0]!.key === 'resource.service.name'));
    });

    it('is read by the Tempo client (range query, exemplars with trace IDs, no cut-off)', async () => {
      let receiver: Receiver | undefined;
      const otherDir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-metrics-'));
      try {
        receiver = await startReceiver({ storeDir: otherDir, httpPort: 0, grpcPort: null, queryPort: 0 });
        const now = BigInt(Date.now()) * 1_000_000n;
        const gen = generateTraces(10, 4, { startNs: now - 120_000_000_000n, seed: 3 });
        await receiver.store!.append('traces', encodeSpans(gen.spans));
        const client = new TempoClient({ baseUrl: receiver.status.queryUrl! });
        // Before any answer the client assumes Tempo 3.0's cut-off; the store's first answer
        // declares it has none, so nothing waits for data that is already there.
        assert.equal(client.recentCutoffMs, 30_000);
        const result = await client.metricsQueryRange({
          q: '{ } | quantile_over_time(duration, .5)',
          start: Math.floor(Date.now() / 1000) - 3600,
          step: '60s',
        });
        assert.equal(result.series.length, 1);
        assert.deepEqual(result.series[0]!.labels, [{ key: 'p', value: 0.5 }]);
        assert.equal(result.series[0]!.samples.filter((s) => s.value > 0).length, 1);
        assert.ok(result.series[0]!.exemplars.length > 0);
        assert.ok(gen.traceIds.includes(result.series[0]!.exemplars[0]!.traceId!));
        assert.equal(client.recentCutoffMs, 0, 'the store leaves nothing recent out');
        const search = await client.search({ q: '{ kind = server }', limit: 50 });
        assert.deepEqual(new Set(search.traces.map((t) => t.traceId)), new Set(gen.traceIds));
        assert.equal(search.traces[0]!.rootServiceName, 'api');
        assert.deepEqual(search.traces[0]!.spanSets[0]!.spans[0]!.attributes, [
          { key: 'kind', value: 'server' },
        ]);
        const bad = await fetch(
          `${receiver.status.queryUrl}/api/search?q=${encodeURIComponent('{ } | count()')}`,
        );
        assert.equal(bad.status, 400);
        assert.match(await bad.text(), /^invalid TraceQL query: unsupported at/);
      } finally {
        await receiver?.close();
        fs.rmSync(otherDir, { recursive: true, force: true });
      }
    });
  });
});
