import { strict as assert } from 'node:assert';
import type { SearchHit, SearchResult } from '../backends';
import { hitInRange, keepInRange } from './timeRange';

const NOW = Date.UTC(2026, 11, 7, 15, 0, 0);
const HOUR = 3_600_000;

function hit(id: number, startMs: number | string, durationMs = 1000): SearchHit {
  return {
    traceId: id.toString(16).padStart(32, '0'),
    rootServiceName: 'engine',
    rootTraceName: 'workflow',
    startTimeUnixNano: typeof startMs === 'string' ? startMs : `${startMs}000000`,
    durationMs,
    spanSets: [],
    matched: 1,
  };
}

describe('keepInRange', () => {
  it('keeps the traces of the window and names the ones from outside it', () => {
    const result: SearchResult = {
      traces: [
        hit(1, NOW - 10 * 60_000),
        // Recorded two weeks ago: a backend that ignored the range sent it.
        hit(2, NOW - 14 * 24 * HOUR),
        hit(3, NOW - 30 * 60_000),
        // Started before the window, still running into it: it overlaps.
        hit(4, NOW - HOUR - 5 * 60_000, 10 * 60_000),
      ],
      metrics: { inspectedBytes: '1' },
    };
    const kept = keepInRange(result, NOW - HOUR, NOW);
    assert.deepEqual(
      kept.result.traces.map((h) => h.traceId.slice(-1)),
      ['1', '3', '4'],
    );
    assert.equal(kept.dropped, 1);
    assert.deepEqual(kept.left, [hit(2, 0).traceId]);
    assert.deepEqual(kept.result.metrics, result.metrics);
  });

  it('returns the answer itself when nothing is left out', () => {
    const result: SearchResult = { traces: [hit(1, NOW - 60_000)] };
    const kept = keepInRange(result, NOW - HOUR, NOW);
    assert.equal(kept.result, result);
    assert.deepEqual([kept.dropped, kept.left], [0, []]);
  });
});

describe('hitInRange', () => {
  it('allows a minute of clock skew at both ends, and keeps a hit whose time is unknown', () => {
    assert.equal(hitInRange(hit(1, NOW + 30_000), NOW - HOUR, NOW), true);
    assert.equal(hitInRange(hit(1, NOW + 2 * 60_000), NOW - HOUR, NOW), false);
    assert.equal(hitInRange(hit(1, NOW - HOUR - 61_000, 0), NOW - HOUR, NOW), false);
    assert.equal(hitInRange(hit(1, NOW - HOUR - 30_000, 0), NOW - HOUR, NOW), true);
    assert.equal(hitInRange(hit(1, 'not a time'), NOW - HOUR, NOW), true);
  });
});
