/**
 * TraceQL search against a real Tempo 3.0.3 (query_end_cutoff 0 s): hits and their root facts,
 * serviceStats, limit, spans per span set, durations, short IDs, bad TraceQL and Tempo's own
 * limits, and the search the CodeLens runs when it has no metrics.
 */
import * as assert from 'node:assert/strict';
import type { TempoClient } from '../../src/core/backends';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { statsFromSearch } from '../../src/core/source/spanStats';
import { functionCondition, functionQuery, type FunctionTarget } from '../../src/core/traceql';
import { clientFor, mainSearchable, nowS, tempo } from './fixtures';
import { ITEM_FINDS, ITEM_TRACES, REPORT_RENDER_MS, ROOT_NOT_RECEIVED, type MainSeed } from './seed';
import type { TempoServer } from './server';

const JOB_RUN: FunctionTarget = { name: 'run', container: 'Job', relativePath: 'src/worker/Job.ts' };
const ITEM_FIND: FunctionTarget = {
  name: 'find',
  container: 'ItemRepo',
  relativePath: 'src/items/ItemRepo.ts',
};

describe('Tempo 3.0.3: TraceQL search', () => {
  let server: TempoServer;
  let seed: MainSeed;
  let client: TempoClient;

  before(async function () {
    this.timeout(120_000);
    server = await tempo('main');
    seed = await mainSearchable();
    client = clientFor(server);
  });

  it('finds a trace with its root service, root name, start, duration and matched spans', async () => {
    const r = await client.search({ q: '{ name = "POST /checkout" }' });
    assert.equal(r.traces.length, 1);
    const hit = r.traces[0]!;
    assert.equal(hit.traceId, seed.checkout.traceId);
    assert.equal(hit.rootServiceName, 'shop-api');
    assert.equal(hit.rootTraceName, 'POST /checkout');
    assert.equal(hit.durationMs, 250);
    assert.equal(hit.matched, 1);
    assert.equal(hit.spanSets[0]!.spans[0]!.spanId, seed.checkout.spanIds.get('POST /checkout'));
    const startMs = Number(BigInt(hit.startTimeUnixNano) / 1_000_000n);
    assert.ok(Math.abs(startMs - (seed.sentAtMs - 3000)) < 5_000, `start ${startMs} near the sent time`);
    assert.ok(r.metrics && typeof r.metrics === 'object', "Tempo's search metrics are passed on");
  });

  it('serviceStats: spans and errors per service', async () => {
    const r = await client.search({ q: '{ name = "POST /checkout" }' });
    assert.deepEqual(r.traces[0]!.serviceStats, {
      'shop-api': { spanCount: 3, errorCount: 1 },
      payments: { spanCount: 1, errorCount: 1 },
    });
  });

  it('limit caps the number of traces', async () => {
    const q = '{ name = "GET /items" }';
    assert.equal((await client.search({ q, limit: 2 })).traces.length, 2);
    const all = await client.search({ q });
    assert.deepEqual(new Set(all.traces.map((h) => h.traceId)), new Set(seed.items.map((t) => t.traceId)));
    assert.equal(all.traces.length, ITEM_TRACES);
  });

  const itemSpss = async (spss?: number) => {
    const r = await client.search({
      q: '{ name = "ItemRepo.find" }',
      ...(spss !== undefined ? { spss } : {}),
    });
    assert.equal(r.traces.length, ITEM_TRACES);
    return r.traces.map((h) => [h.spanSets[0]!.spans.length, h.spanSets[0]!.matched]);
  };

  it('spss: 3 spans per span set by default, as many as asked; matched counts every match', async () => {
    assert.deepEqual(await itemSpss(), Array(ITEM_TRACES).fill([3, ITEM_FINDS]));
    assert.deepEqual(await itemSpss(2), Array(ITEM_TRACES).fill([2, ITEM_FINDS]));
    assert.deepEqual(await itemSpss(100), Array(ITEM_TRACES).fill([ITEM_FINDS, ITEM_FINDS]));
  });

  it('spss 0 returns every matching span (Tempo itself reads spss=0 as its default of 3)', async () => {
    assert.deepEqual(await itemSpss(0), Array(ITEM_TRACES).fill([ITEM_FINDS, ITEM_FINDS]));
    const end = nowS();
    const raw = (await (
      await fetch(
        `${server.origin}/api/search?q=${encodeURIComponent('{ name = "ItemRepo.find" }')}&spss=0&start=${end - 3600}&end=${end}`,
      )
    ).json()) as { traces: { spanSets: { spans: unknown[] }[] }[] };
    assert.ok(
      raw.traces.every((t) => t.spanSets[0]!.spans.length === 3),
      "Tempo's own reading of 0",
    );
  });

  it('minDuration and maxDuration filter a TraceQL search by trace duration (sent as traceDuration in the query)', async () => {
    const slow = await client.search({ q: '{ resource.service.name = "shop-api" }', minDuration: '4s' });
    assert.deepEqual(
      slow.traces.map((h) => h.traceId),
      [seed.report.traceId],
    );
    const fast = await client.search({ q: '{ resource.service.name = "shop-api" }', maxDuration: '100ms' });
    assert.deepEqual(new Set(fast.traces.map((h) => h.traceId)), new Set(seed.items.map((t) => t.traceId)));
  });

  it('trace duration filtered in TraceQL itself', async () => {
    const slow = await client.search({ q: '{ resource.service.name = "shop-api" && traceDuration >= 4s }' });
    assert.deepEqual(
      slow.traces.map((h) => h.traceId),
      [seed.report.traceId],
    );
    assert.ok(slow.traces[0]!.durationMs >= REPORT_RENDER_MS);
  });

  it('short IDs: Tempo strips leading zeros (16 and 31 digits); the client pads them back and they open', async () => {
    const q = '{ resource.service.name = "legacy-gw" }';
    // What Tempo itself sends, to know the case is really exercised.
    const end = nowS();
    const raw = (await (
      await fetch(`${server.origin}/api/search?q=${encodeURIComponent(q)}&start=${end - 3600}&end=${end}`)
    ).json()) as { traces: { traceID: string }[] };
    assert.deepEqual(raw.traces.map((t) => t.traceID.length).sort(), [16, 31]);

    const r = await client.search({ q });
    assert.deepEqual(
      new Set(r.traces.map((h) => h.traceId)),
      new Set([seed.short.traceId, seed.zeroLed.traceId]),
    );
    for (const hit of r.traces) {
      const t = await client.getTrace(hit.traceId);
      assert.equal(t.decoded.model.traceId, hit.traceId);
    }
  });

  it('a search that matches nothing is an empty list', async () => {
    const r = await client.search({ q: '{ name = "no such span" }' });
    assert.deepEqual(r.traces, []);
  });

  it("bad TraceQL: a bad-request error quoting Tempo's parse error", async () => {
    await rejectsWith(
      client.search({ q: '{ span.http.route = }' }),
      'bad-request',
      /GET \/api\/search → 400: Tempo rejected the request: "invalid TraceQL query: parse error at line 1, col \d+: syntax error/,
      '\u0000',
    );
  });

  it("limits beyond Tempo's maximum: bad-request errors quoting Tempo", async () => {
    await rejectsWith(
      client.search({ q: '{ }', limit: 300_000 }),
      'bad-request',
      /limit 300000 exceeds max limit 262144/,
      '\u0000',
    );
    await rejectsWith(
      client.search({ q: '{ }', spss: 101 }),
      'bad-request',
      /spans per span set exceeds 100/,
      '\u0000',
    );
  });

  it('a limit of 0 is refused before asking Tempo (which would answer 400)', async () => {
    await rejectsWith(client.search({ q: '{ }', limit: 0 }), 'bad-request', /whole number above 0/, '\u0000');
  });

  it("the CodeLens's search fallback: a function's spans, counted and listed with their traces", async () => {
    const end = nowS();
    const [all, failing] = await Promise.all([
      client.search({ q: functionQuery(ITEM_FIND), start: end - 3600, end, limit: 100, spss: 100 }),
      client.search({ q: functionQuery(ITEM_FIND, true), start: end - 3600, end, limit: 20, spss: 20 }),
    ]);
    const stats = statsFromSearch(all, failing, functionCondition(ITEM_FIND));
    assert.equal(stats.count, ITEM_TRACES * ITEM_FINDS);
    assert.equal(stats.errors, 0);
    assert.equal(stats.p50Ns, 6e6);
    assert.equal(stats.slowest[0]!.rootService, 'shop-api');
    assert.equal(stats.slowest[0]!.rootName, 'GET /items');
  });

  it("a trace whose root span never arrived: Tempo's placeholder as root service becomes '' (root span missing), no root name", async () => {
    const q = '{ resource.service.name = "worker" }';
    const end = nowS();
    const raw = (await (
      await fetch(`${server.origin}/api/search?q=${encodeURIComponent(q)}&start=${end - 3600}&end=${end}`)
    ).json()) as { traces: { rootServiceName: string }[] };
    assert.equal(raw.traces[0]!.rootServiceName, ROOT_NOT_RECEIVED, 'what Tempo sends');
    const r = await client.search({ q });
    assert.equal(r.traces.length, 1);
    assert.equal(r.traces[0]!.traceId, seed.orphan.traceId);
    assert.equal(r.traces[0]!.rootServiceName, '');
    assert.equal(r.traces[0]!.rootTraceName, undefined);
  });

  it("the CodeLens's trace list never names Tempo's placeholder as the root service", async () => {
    const end = nowS();
    const [all, failing] = await Promise.all([
      client.search({ q: functionQuery(JOB_RUN), start: end - 3600, end, limit: 100, spss: 100 }),
      client.search({ q: functionQuery(JOB_RUN, true), start: end - 3600, end, limit: 20, spss: 20 }),
    ]);
    const stats = statsFromSearch(all, failing, functionCondition(JOB_RUN));
    assert.equal(stats.slowest.length, 1);
    assert.equal(stats.slowest[0]!.rootService, '', 'root span missing');
  });
});
