// Issue 13 item 3: the statistics view of the demo system's batch (issue 11: POST /batches →
// batch.create → 1,000 × item.process → UPDATE items, 2,002 spans, a few items failing on a
// locked row) in a real VS Code: one row per operation with exact figures, sortable, and a row
// that filters the waterfall to its 1,000 spans, walked with n. Loaded by run.mjs after
// 30-panel.mjs, before 60-local.mjs clears the store.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, openTracePanel, resetWorkbench, storedSpans } from '../workbench.mjs';

/* global describe, it, afterEach */

const BATCH_SPANS = 2002;

describe('Trace statistics (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('36. the statistics of the batch: 1,000 item.process spans, their failures, a row filters the waterfall', async function () {
    const { page } = e2e;
    const batch = e2e.demo.batchTraceId;
    assert.match(batch, /^[0-9a-f]{32}$/, 'the demo system produced a batch trace');
    // The failures are the run's (rows locked by another transaction): count them in the store.
    const stored = await storedSpans(batch);
    assert.equal(stored.length, BATCH_SPANS);
    await resetWorkbench();
    const { doc } = await openTracePanel(page, batch, BATCH_SPANS);
    await doc.locator('[data-testid="tab-stats"]').click();
    const rows = doc.locator('[data-testid="stats-row"]');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const table = () =>
      rows.evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
    const all = await table();
    assert.equal(all.length, 4, `four operations: ${JSON.stringify(all)}`);
    const byName = Object.fromEntries(all.map((r) => [r[1], r]));
    for (const name of ['POST /batches', 'batch.create', 'item.process', 'UPDATE items'])
      assert.equal(byName[name]?.[0], 'batch-api', `${name} is batch-api's`);
    assert.equal(byName['item.process']?.[2], '1,000');
    assert.equal(byName['UPDATE items']?.[2], '1,000');
    assert.equal(byName['POST /batches']?.[2], '1');
    assert.equal(byName['batch.create']?.[2], '1');
    // The errors column (the last) counts the spans that failed, as stored.
    for (const name of ['item.process', 'UPDATE items']) {
      const failed = stored.filter((s) => s.name === name && s.error).length;
      assert.ok(failed > 0, `a few ${name} spans failed on a locked row`);
      assert.equal(byName[name]?.at(-1), String(failed), `${name}: ${failed} errors`);
    }
    assert.equal(byName['POST /batches']?.at(-1), '0');
    await screenshot('36-statistics');

    await doc.locator('th[data-column="count"] button').click();
    await waitUntil('the table to sort by count', async () => {
      const first = (await table())[0];
      return first?.[2] === '1,000';
    });
    assert.equal(await doc.locator('th[data-column="count"]').getAttribute('aria-sort'), 'descending');

    await rows.filter({ hasText: 'item.process' }).first().click();
    const bar = doc.locator('[data-testid="span-set"]');
    await bar.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await bar.innerText(), /batch-api › item\.process/);
    // The waterfall shows, with the first item.process span selected, and n walks to the next.
    const selected = doc.locator('.tl-row.tl-selected:not([hidden])');
    await waitUntil('an item.process span to be selected', async () =>
      (await selected.count()) === 1
        ? (await selected.locator('.tl-name').innerText()) === 'item.process'
        : false,
    );
    const first = Number(await selected.getAttribute('data-span-index'));
    // A click on the selected row keeps the selection and puts the keyboard in the panel.
    await selected.locator('.tl-name').click();
    await page.keyboard.press('n');
    await waitUntil('n to select the next item.process span', async () => {
      const i = Number(await selected.getAttribute('data-span-index'));
      return i !== first && (await selected.locator('.tl-name').innerText()) === 'item.process';
    });
    await screenshot('36-statistics-filtered');
  });
});
