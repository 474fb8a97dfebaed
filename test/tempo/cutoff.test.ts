/**
 * Tempo 3.0's default `query_end_cutoff` (30 s), on the Tempo that runs the shared config
 * untouched. The trace was sent and looked at by the root hook (see cutoff.ts); this file runs
 * last, so the background polls have had the other checks' time to see the data appear.
 */
import * as assert from 'node:assert/strict';
import { cutoffOf, mayLackRecent, recheckAt } from '../../src/core/backends';
import { cutoffEarly, cutoffLate, FRESH_SERVICE, LATE_DEADLINE_MS } from './cutoff';

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

  it("right after ingest, the CodeLens's figures are empty, and the client says the answer may lack the last seconds", async () => {
    const early = await cutoffEarly();
    assert.ok(early.lens.afterMs < CUTOFF_MS, `${early.lens.afterMs} ms: not inside the window`);
    assert.equal(early.lens.value, undefined, 'no spans yet');
    // What makes the CodeLens, the Search view and tag completion say why and ask again.
    assert.equal(cutoffOf(early.client), CUTOFF_MS, "a Tempo client declares 3.0's cut-off");
    assert.equal(mayLackRecent(early.lens.endS, early.lens.askedAtMs, cutoffOf(early.client)), true);
  });

  it(`once the cut-off has passed, search, tag values and metrics show it (polled, up to ${LATE_DEADLINE_MS / 1000} s)`, async function () {
    this.timeout(LATE_DEADLINE_MS + 30_000);
    const late = await cutoffLate();
    assert.equal(late.search.value, 1);
    assert.ok(late.tagValue.value >= 1);
    assert.equal(late.metrics.value, 1);
    assert.equal(late.lens.value, 1, "the CodeLens's instant queries");
    // Not earlier than the cut-off allows: the spans ended at most a moment before the send finished.
    for (const seen of [late.search, late.tagValue, late.metrics, late.lens])
      assert.ok(seen.afterMs > CUTOFF_MS - 5_000, `${seen.afterMs} ms`);
    // When the CodeLens and the Search view ask again, from the spans' end (a figure, not a check:
    // how soon Tempo shows new data depends on the machine).
    const early = await cutoffEarly();
    const again = recheckAt(early.lens.askedAtMs, cutoffOf(early.client)) - early.trace.endMs;
    console.log(
      `      (re-asked ${Math.round(again / 1000)} s; seen ${Math.round(late.search.afterMs / 1000)} s, ${Math.round(late.tagValue.afterMs / 1000)} s, ${Math.round(late.metrics.afterMs / 1000)} s, ${Math.round(late.lens.afterMs / 1000)} s after the spans ended: search, tag values, metrics in 60 s steps, the CodeLens's instant queries)`,
    );
  });
});
