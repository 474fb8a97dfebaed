// Issue 13 item 4: the flame graph of the 2,001-span trace in a real VS Code: drawn on a canvas,
// a click on a frame selects its span in every view and zooms to it. Loaded after 36-statistics.mjs.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, openTracePanel, resetWorkbench } from '../workbench.mjs';

/* global describe, it, afterEach */

describe('Flame graph (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('37. the flame graph draws the trace; a click on a frame selects its span and zooms to it', async function () {
    const { page, bigTraceId } = e2e;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, bigTraceId, 2001);
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
    // Row 1 (18 px high) holds the root's children, the process item spans: click one in the middle.
    const surface = doc.locator('[data-testid="flame"]');
    const box = await surface.boundingBox();
    assert.ok(box, 'the flame graph is on screen');
    await surface.click({ position: { x: box.width / 2, y: 18 + 9 } });
    const crumbs = doc.locator('.tl-flame-crumb');
    await waitUntil(
      'the flame graph to zoom into the clicked frame',
      async () => (await crumbs.count()) === 3,
    );
    assert.deepEqual(await crumbs.allInnerTexts(), ['Whole trace', 'POST /batches', 'process item']);
    await screenshot('37-flame-zoomed');
    // The waterfall shows the same span selected.
    await doc.locator('[data-testid="tab-waterfall"]').click();
    const selected = doc.locator('.tl-row.tl-selected:not([hidden])');
    await waitUntil('the waterfall to show the span chosen in the flame graph', async () =>
      (await selected.count()) === 1
        ? (await selected.locator('.tl-name').innerText()) === 'process item'
        : false,
    );
  });
});
