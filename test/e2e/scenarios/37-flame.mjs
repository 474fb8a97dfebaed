// Issue 13 item 4: the flame graph of the demo system's batch (issue 11: POST /batches →
// batch.create → 1,000 × item.process → UPDATE items, 2,002 spans) in a real VS Code: drawn on a
// canvas, a click on a frame selects its span in every view and zooms to it. Loaded after
// 36-statistics.mjs, before 60-local.mjs clears the store.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, openTracePanel, resetWorkbench } from '../workbench.mjs';

/* global describe, it, afterEach */

const BATCH_SPANS = 2002;
/** Row height of the flame graph in CSS pixels (webview/views/flame). */
const ROW = 18;

describe('Flame graph (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('37. the flame graph draws the trace; a click on a frame selects its span and zooms to it', async function () {
    const { page } = e2e;
    const batch = e2e.demo.batchTraceId;
    assert.match(batch, /^[0-9a-f]{32}$/, 'the demo system produced a batch trace');
    await resetWorkbench();
    const { doc } = await openTracePanel(page, batch, BATCH_SPANS);
    await doc.locator('[data-testid="tab-flame"]').click();
    const view = doc.locator('[data-testid="view-flame"]');
    await waitUntil(
      'the flame graph to draw',
      async () => Number(await view.getAttribute('data-frames')) > 0,
      {
        timeoutMs: UI_TIMEOUT,
      },
    );
    await screenshot('37-flame');
    // Row 0 is POST /batches, row 1 batch.create, row 2 its 1,000 item.process spans (each as
    // wide as its subtree's self time, nearly all of the width): click one in the middle.
    const surface = doc.locator('[data-testid="flame"]');
    const box = await surface.boundingBox();
    assert.ok(box, 'the flame graph is on screen');
    await surface.click({ position: { x: box.width / 2, y: 2 * ROW + ROW / 2 } });
    const crumbs = doc.locator('.tl-flame-crumb');
    await waitUntil(
      'the flame graph to zoom into the clicked frame',
      async () => (await crumbs.count()) === 4,
    );
    assert.deepEqual(await crumbs.allInnerTexts(), [
      'Whole trace',
      'POST /batches',
      'batch.create',
      'item.process',
    ]);
    await screenshot('37-flame-zoomed');
    // The waterfall shows the same span selected.
    await doc.locator('[data-testid="tab-waterfall"]').click();
    const selected = doc.locator('.tl-row.tl-selected:not([hidden])');
    await waitUntil('the waterfall to show the span chosen in the flame graph', async () =>
      (await selected.count()) === 1
        ? (await selected.locator('.tl-name').innerText()) === 'item.process'
        : false,
    );
  });
});
