/** The scatter plot's geometry: domains, points, the nearest point to a click, axis ticks. */
import assert from 'node:assert/strict';
import type { SearchRow } from '../../../src/shared/protocol';
import {
  domains,
  durationStep,
  durationTicks,
  formatTimeTick,
  layoutPoints,
  nearestPoint,
  scale,
  timeTicks,
  yOf,
} from './scatter';

const T = Date.UTC(2026, 11, 7, 13, 0, 0);
function row(startMs: number, durationMs: number): SearchRow {
  return {
    traceId: '0'.repeat(32),
    startMs,
    durationMs,
    rootService: 'api',
    rootName: 'GET',
    spanCount: 1,
    errorCount: 0,
    matched: 1,
  };
}

describe('webview pure: search scatter plot', () => {
  const rows = [row(T, 100), row(T + 100_000, 2_300), row(NaN, 50), row(T + 50_000, 0)];
  const box = { left: 40, top: 10, width: 400, height: 100 };

  it('spans the start times with room each side, and durations from 0 to a nice top', () => {
    const d = domains(rows)!;
    assert.equal(d.t0, T - 4000);
    assert.equal(d.t1, T + 104_000);
    assert.equal(d.dMax, 3000, 'the first tick above 2.3 s');
    const single = domains([row(T, 0)])!;
    assert.deepEqual([single.t0, single.t1], [T - 30_000, T + 30_000]);
    assert.ok(single.dMax > 0, 'an axis even when every trace took <1 ms');
    assert.equal(domains([row(NaN, 5)]), undefined);
  });

  it('places long traces high and late ones right; rows without a start have no point', () => {
    const pts = layoutPoints(rows, domains(rows)!, box);
    assert.deepEqual(
      pts.map((p) => p.row),
      [0, 1, 3],
    );
    const [first, long, zero] = pts as [(typeof pts)[0], (typeof pts)[0], (typeof pts)[0]];
    assert.ok(first.x < zero.x && zero.x < long.x);
    assert.ok(long.y < first.y && first.y < zero.y);
    assert.equal(zero.y, 110, 'a 0 ms trace sits on the axis');
    assert.ok(first.x >= 40 && long.x <= 440);
  });

  it('a click takes the nearest point within the radius, the one on top among equals', () => {
    const pts = [
      { row: 0, x: 10, y: 10 },
      { row: 1, x: 20, y: 10 },
      { row: 2, x: 20, y: 10 },
    ];
    assert.equal(nearestPoint(pts, 12, 11, 6)?.row, 0);
    assert.equal(nearestPoint(pts, 19, 10, 6)?.row, 2);
    assert.equal(nearestPoint(pts, 60, 60, 6), undefined);
  });

  it('scales linearly, and to the middle for an empty domain', () => {
    assert.equal(scale(5, 0, 10, 100, 200), 150);
    assert.equal(scale(5, 5, 5, 100, 200), 150);
  });

  it('ticks on whole seconds, minutes or hours of local time, labelled to match', () => {
    const { step, ticks } = timeTicks(T - 4000, T + 104_000, 5);
    assert.equal(step, 30_000);
    assert.ok(ticks.every((t) => t % 30_000 === 0));
    assert.ok(ticks[0]! >= T - 4000 && ticks[ticks.length - 1]! <= T + 104_000);
    const hours = timeTicks(T, T + 6 * 3600e3, 4);
    assert.equal(hours.step, 2 * 3600e3);
    assert.ok(hours.ticks.every((t) => new Date(t).getMinutes() === 0 && new Date(t).getHours() % 2 === 0));
    assert.match(formatTimeTick(T, 30_000), /^\d\d:\d\d:\d\d$/);
    assert.match(formatTimeTick(T, 60_000), /^\d\d:\d\d$/);
    assert.match(formatTimeTick(T, 86400e3), /^[A-Z][a-z]{2} \d{1,2}$/);
    assert.equal(formatTimeTick(T, 60 * 86400e3), 'Dec 2026');
    assert.equal(formatTimeTick(T, 400 * 86400e3), '2026');
    // Results over years (Tempo keeps what it is given): a step of whole days, labelled by year.
    const years = timeTicks(Date.UTC(2018, 0, 1), Date.UTC(2026, 0, 1), 4);
    assert.ok(years.step >= 365 * 86400e3, String(years.step));
    assert.ok(years.ticks.length >= 2 && years.ticks.length <= 5);
    assert.deepEqual(timeTicks(T, T, 4).ticks, []);
  });

  it('duration ticks stay within the axis', () => {
    const d = domains(rows)!;
    assert.deepEqual(durationTicks(d, 4), [0, 1000, 2000, 3000]);
    assert.deepEqual(durationTicks({ ...d, dMax: 2300 }, 4), [0, 1000, 2000]);
  });

  it('duration ticks of a minute or more fall on whole minutes and hours', () => {
    const d = domains([row(T, 698_000), row(T + 1000, 100)])!;
    assert.equal(d.dMax, 900_000, 'three 5-minute steps above 11 min 38 s');
    assert.ok(
      durationTicks(d, 4).every((t) => t % 60_000 === 0),
      String(durationTicks(d, 4)),
    );
    assert.equal(durationStep(698_000, 4), 300_000);
    assert.equal(durationStep(5 * 3600e3, 4), 2 * 3600e3);
    assert.equal(durationStep(2300, 4), 1000);
    assert.equal(durationStep(0.8, 4), 0.2);
  });

  it('a log scale spans whole powers of ten, so a 698 s trace does not flatten the 100 ms ones', () => {
    const spread = [row(T, 100), row(T + 1000, 5200), row(T + 2000, 698_000), row(T + 3000, 0)];
    const d = domains(spread, true)!;
    assert.deepEqual([d.dMin, d.dMax, d.log], [100, 1_000_000, true]);
    assert.deepEqual(durationTicks(d, 8), [100, 1000, 10_000, 100_000, 1_000_000]);
    assert.deepEqual(durationTicks(d, 2), [100, 10_000, 1_000_000]);
    assert.equal(yOf(100, d, box), 110, 'the shortest on the bottom line');
    assert.equal(yOf(0, d, box), 110, 'under 1 ms (sent as 0) too');
    assert.equal(yOf(1_000_000, d, box), 10);
    assert.equal(yOf(10_000, d, box), 60, 'each power of ten an equal step');
    // Linear, the 100 ms and 5.2 s traces would be within 1 px of the bottom of a 100 px plot.
    assert.ok(yOf(5200, domains(spread)!, box) > 109);
    assert.equal(domains([row(T, 0)], true)!.dMax, 10, 'an axis when every trace took <1 ms');
  });
});
