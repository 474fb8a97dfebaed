// Issue 13 item 3: the statistics view of the 2,001-span trace in a real VS Code: one row per
// operation with exact figures, sortable, and a row that filters the waterfall to its 1,000 spans,
// walked with n. Loaded by run.mjs after 30-panel.mjs.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, openTracePanel, resetWorkbench } from '../workbench.mjs';

/* global describe, it, afterEach */

describe('Trace statistics (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('36. the statistics of the 2,001-span trace: 1,000 process item spans, a row filters the waterfall', async function () {
    const { page, bigTraceId } = e2e;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, bigTraceId, 2001);
    await doc.locator('[data-testid="tab-stats"]').click();
    const rows = doc.locator('[data-testid="stats-row"]');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const table = () =>
      rows.evaluateAll((trs) =>
        trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
      );
    const all = await table();
    assert.equal(all.length, 3, 'three operations');
    const byName = Object.fromEntries(all.map((r) => [r[1], r]));
    assert.equal(byName['process item']?.[0], 'batch-worker');
    assert.equal(byName['process item']?.[2], '1,000');
    assert.equal(byName['SELECT items']?.[2], '1,000');
    assert.equal(byName['POST /batches']?.[2], '1');
    await screenshot('36-statistics');

    await doc.locator('th[data-column="count"] button').click();
    await waitUntil('the table to sort by count', async () => {
      const first = (await table())[0];
      return first?.[2] === '1,000';
    });
    assert.equal(await doc.locator('th[data-column="count"]').getAttribute('aria-sort'), 'descending');

    await rows.filter({ hasText: 'process item' }).first().click();
    const bar = doc.locator('[data-testid="span-set"]');
    await bar.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await bar.innerText(), /batch-worker › process item/);
    // The waterfall shows, with the first process item span selected, and n walks to the next.
    const selected = doc.locator('.tl-row.tl-selected:not([hidden])');
    await waitUntil('a process item span to be selected', async () =>
      (await selected.count()) === 1
        ? (await selected.locator('.tl-name').innerText()) === 'process item'
        : false,
    );
    const first = Number(await selected.getAttribute('data-span-index'));
    // A click on the selected row keeps the selection and puts the keyboard in the panel.
    await selected.locator('.tl-name').click();
    await page.keyboard.press('n');
    await waitUntil('n to select the next process item span', async () => {
      const i = Number(await selected.getAttribute('data-span-index'));
      return i !== first && (await selected.locator('.tl-name').innerText()) === 'process item';
    });
    await screenshot('36-statistics-filtered');
  });
});
