/** Trace statistics in plain Node: grouping, exact percentiles, errors, sorting, a row's spans. */
import assert from 'node:assert/strict';
import { loadTrace } from '../../trace';
import { makeTrace, type SpanSpec } from '../../testing/traceBuilder';
import { computeStats, nearestRank, sortStats, spansOfRow, type StatsRow } from './stats';

// A root calling `work` five times (10, 20, 30, 40, 50 ms), one failing, plus one `db` query
// under the first call.
const SPANS: SpanSpec[] = [
  { id: 'root', name: 'POST /batch', service: 'api', start: 0, dur: 200 },
  ...[10, 20, 30, 40, 50].map((dur, k): SpanSpec => ({
    id: `w${k}`,
    parent: 'root',
    name: 'work',
    service: 'worker',
    start: k * 30,
    dur,
    ...(k === 2 ? { flags: 1 } : {}),
  })),
  { id: 'db', parent: 'w0', name: 'SELECT', service: 'db', start: 2, dur: 4 },
  { id: 'w-api', parent: 'root', name: 'work', service: 'api', start: 190, dur: 5 },
];
const t = loadTrace(makeTrace(SPANS));
const named = (rows: StatsRow[]) =>
  rows.map((r) => `${t.services[r.service]}/${r.name < 0 ? '*' : t.strings[r.name]}`);
const ms = 1e6;

describe('webview statistics', () => {
  it('groups by service and span name: a name in two services is two operations', () => {
    const rows = computeStats(t, 'operation');
    assert.deepEqual(named(rows), ['api/POST /batch', 'worker/work', 'db/SELECT', 'api/work']);
    const work = rows[1]!;
    assert.equal(work.count, 5);
    assert.equal(work.totalNs, 150 * ms);
    assert.equal(work.avgNs, 30 * ms);
    assert.equal(work.p50Ns, 30 * ms);
    assert.equal(work.p95Ns, 50 * ms);
    assert.equal(work.maxNs, 50 * ms);
    assert.equal(work.errors, 1);
    // Self time: the 4 ms query is not w0's own time.
    assert.equal(work.selfNs, 146 * ms);
  });

  it('groups by service', () => {
    const rows = computeStats(t, 'service');
    assert.deepEqual(named(rows), ['api/*', 'worker/*', 'db/*']);
    assert.equal(rows[0]!.count, 2);
    assert.equal(rows[0]!.totalNs, 205 * ms);
    assert.equal(rows[0]!.maxNs, 200 * ms);
  });

  it('reads percentiles by nearest rank from the spans themselves', () => {
    const sorted = Float64Array.from({ length: 100 }, (_, k) => k + 1);
    assert.equal(nearestRank(sorted, 0, 100, 50), 50);
    assert.equal(nearestRank(sorted, 0, 100, 95), 95);
    assert.equal(nearestRank(sorted, 0, 100, 100), 100);
    assert.equal(nearestRank(sorted, 0, 1, 95), 1);
    assert.equal(nearestRank(sorted, 10, 12, 50), 11);
    assert.equal(nearestRank(sorted, 5, 5, 50), 0);
    // Large durations sort as numbers, not as text.
    const big = loadTrace(
      makeTrace([
        { id: 'r', name: 'r', service: 's', start: 0, dur: 9 },
        { id: 'a', parent: 'r', name: 'x', service: 's', start: 0, dur: 10 },
        { id: 'b', parent: 'r', name: 'x', service: 's', start: 0, dur: 9 },
        { id: 'c', parent: 'r', name: 'x', service: 's', start: 0, dur: 100 },
      ]),
    );
    const x = computeStats(big, 'operation')[1]!;
    assert.deepEqual([x.p50Ns, x.p95Ns, x.maxNs], [10 * ms, 100 * ms, 100 * ms]);
  });

  it('sorts by any column either way, names alphabetically', () => {
    const rows = computeStats(t, 'operation');
    assert.deepEqual(named(sortStats(rows, 'count', true, t.strings, t.services)).slice(0, 1), [
      'worker/work',
    ]);
    assert.deepEqual(named(sortStats(rows, 'totalNs', false, t.strings, t.services)), [
      'db/SELECT',
      'api/work',
      'worker/work',
      'api/POST /batch',
    ]);
    assert.deepEqual(named(sortStats(rows, 'name', false, t.strings, t.services)), [
      'api/POST /batch',
      'db/SELECT',
      'worker/work',
      'api/work',
    ]);
    assert.deepEqual(named(sortStats(rows, 'errors', true, t.strings, t.services))[0], 'worker/work');
  });

  it('marks the spans of a row', () => {
    const [, work] = computeStats(t, 'operation');
    const mask = spansOfRow(t, work!);
    const picked = [...mask.keys()].filter((i) => mask[i]).map((i) => t.c.durationNs[i]! / ms);
    assert.deepEqual(picked, [10, 20, 30, 40, 50]);
    const api = computeStats(t, 'service')[0]!;
    assert.equal(
      spansOfRow(t, api).reduce((a, b) => a + b, 0),
      2,
    );
  });

  it('is empty for an empty trace', () => {
    const empty = loadTrace(makeTrace([{ id: 'r', name: 'r', service: 's', start: 0, dur: 1 }]));
    assert.equal(computeStats({ ...empty, n: 0 }, 'operation').length, 0);
  });
});
