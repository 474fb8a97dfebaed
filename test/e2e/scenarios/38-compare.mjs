// Issue 13 item 5: traceLens.compareTraces with two trace references, in a real VS Code: the
// comparison panel lists the operations of both traces (none shared here: every one is new or
// gone), and B's waterfall marks its spans as new. Loaded after 37-flame.mjs.
import assert from 'node:assert/strict';
import { command, e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, resetWorkbench, waitForTraceRows } from '../workbench.mjs';

/* global describe, it, afterEach */

describe('Trace comparison (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('38. comparing the 6-span trace with the 2,001-span one lists their operations and badges B', async function () {
    const { page, traceId, bigTraceId } = e2e;
    await resetWorkbench();
    await command('traceLens.compareTraces', { traceId }, { traceId: bigTraceId });
    const tab = page.locator('.tabs-container .tab', { hasText: `Compare ${traceId.slice(0, 8)}` });
    await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    // The views show B, the 2,001-span trace.
    const { doc } = await waitForTraceRows(page, 2001);
    const badge = doc.locator('.tl-row:not([hidden]) .tl-duration[data-delta="new"]');
    await waitUntil('B’s spans to carry the “new” badge', async () => (await badge.count()) > 0);
    await screenshot('38-compare-waterfall');

    await doc.locator('[data-testid="tab-compare"]').click();
    const rows = doc.locator('[data-testid="compare-row"]');
    await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const summary = await doc.locator('[data-testid="compare-summary"]').innerText();
    assert.match(summary, /3 new in B/);
    assert.match(summary, /gone from A/);
    const ops = await rows.evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    assert.ok(
      ops.some((o) => o.includes('batch-worker: process item')),
      `the 2,001-span trace's operations are listed: ${ops.join(' | ')}`,
    );
    await screenshot('38-compare');
    await rows.filter({ hasText: 'process item' }).first().click();
    await doc.locator('[data-testid="span-set"]').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  });
});
