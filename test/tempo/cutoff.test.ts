/**
 * Tempo 3.0's default `query_end_cutoff` (30 s), on the Tempo that runs the shared config
 * untouched. The trace was sent and looked at by the root hook (see cutoff.ts); this file runs
 * last, so the background polls have had the other checks' time to see the data appear.
 */
import * as assert from 'node:assert/strict';
import {
  CODELENS_STEP,
  cutoffEarly,
  cutoffLate,
  FRESH_SERVICE,
  LATE_DEADLINE_MS,
  spanCountByMetrics,
} from './cutoff';
import { itPending } from './pending';
import { pollUntil } from './poll';

/** Tempo 3.0.0's default `query_frontend.query_end_cutoff`. */
const CUTOFF_MS = 30_000;

describe('Tempo 3.0.3 defaults: the last 30 s are left out of search, tag values and metrics', () => {
  it('right after ingest, trace by ID answers, but search, tag values and the CodeLens count query (60 s steps) are empty', async () => {
    const early = await cutoffEarly();
    assert.equal(early.traceById.value, early.trace.spanCount, 'trace by ID is not subject to the cut-off');
    for (const [what, seen] of [
      ['search', early.searchHits],
      ['tag values', early.serviceValues],
      ['metrics', early.metricsCount],
    ] as const) {
      // Only an answer given inside the window says anything about the cut-off.
      assert.ok(
        seen.afterMs < CUTOFF_MS,
        `the ${what} answer came ${seen.afterMs} ms after the spans ended: not inside the ${CUTOFF_MS} ms window (machine too busy?)`,
      );
    }
    assert.equal(early.searchHits.value, 0, 'search left the fresh trace out');
    assert.ok(!early.serviceValues.value.includes(FRESH_SERVICE), 'tag values left the fresh service out');
    assert.equal(early.metricsCount.value, 0, 'the count query left the fresh span out');
  });

  it(`once the cut-off has passed, search, tag values and metrics show it (polled, up to ${LATE_DEADLINE_MS / 1000} s)`, async function () {
    this.timeout(LATE_DEADLINE_MS + 30_000);
    const late = await cutoffLate();
    assert.equal(late.search.value, 1);
    assert.ok(late.tagValue.value >= 1);
    assert.equal(late.metrics.value, 1);
    // Not earlier than the cut-off allows: the spans ended at most a moment before the send finished.
    for (const seen of [late.search, late.tagValue, late.metrics])
      assert.ok(seen.afterMs > CUTOFF_MS - 5_000, `${seen.afterMs} ms`);
    console.log(
      `      (seen ${Math.round(late.search.afterMs / 1000)} s, ${Math.round(late.tagValue.afterMs / 1000)} s, ${Math.round(late.metrics.afterMs / 1000)} s after the spans ended: search, tag values, metrics)`,
    );
  });

  itPending(
    "issue 12 item 2 (a further case): on Tempo 3.0 defaults the CodeLens's one-hour, one-step query stays empty after the cut-off (measured: still empty 120 s after ingest, while 60 s steps and the instant query show the span ~30 s after ingest)",
    'the CodeLens count query (one hour in one 3600 s step) shows the span once the cut-off has passed',
    async function () {
      this.timeout(LATE_DEADLINE_MS + 30_000);
      const early = await cutoffEarly();
      await cutoffLate();
      // (Near an hour boundary this can pass by luck: the span's hour then has ended.)
      const left = Math.max(5_000, LATE_DEADLINE_MS - (Date.now() - early.trace.endMs));
      const count = await pollUntil(
        'the fresh span in the CodeLens count query (one 3600 s step)',
        async () => (await spanCountByMetrics(early.client, CODELENS_STEP)) || false,
        { deadlineMs: left, intervalMs: 1000 },
      );
      assert.equal(count, 1);
    },
  );
});
