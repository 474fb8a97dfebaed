/** Large traces: only the visible rows are in the DOM, scrolling and collapse work at 100k and 1M spans. */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchBrowser, openView, type View } from './helpers/harness';

describe('webview: large traces', () => {
  let browser: Browser;
  let view: View | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (view) {
      assert.deepEqual(await view.cspViolations(), []);
      assert.deepEqual(view.consoleErrors, []);
      await view.close();
    }
    view = undefined;
  });

  const rowCount = (v: View) => v.page.$$eval('.tl-row:not([hidden])', (r) => r.length);
  const allRowElements = (v: View) => v.page.$$eval('.tl-row', (r) => r.length);

  it('keeps only the visible rows (plus overscan) in the DOM at 100k spans, and scrolls to the end', async () => {
    view = await openView(browser, { synth: { n: 100_000, seed: 3 } });
    const first = await rowCount(view);
    assert.ok(first > 20 && first < 120, `rendered rows: ${first}`);
    assert.equal(await view.page.textContent('[data-testid="span-count"]'), '100000');
    const height = await view.page.$eval('.tl-spacer', (e) => e.getBoundingClientRect().height);
    assert.equal(height, 100_000 * 22);
    // Scroll to the bottom: the last span's row is rendered, still a bounded number of elements.
    await view.page.$eval('.tl-scroller', (e) => (e.scrollTop = e.scrollHeight));
    await view.frames();
    const indexes = await view.rowIndexes();
    assert.equal(indexes.at(-1), 99_999);
    assert.ok((await allRowElements(view)) < 150);
    // Scroll to the middle and check rows are contiguous, in order.
    await view.page.$eval('.tl-scroller', (e) => (e.scrollTop = 50_000 * 22));
    await view.frames();
    const mid = await view.rowIndexes();
    for (let k = 1; k < mid.length; k++) assert.equal(mid[k], mid[k - 1]! + 1);
    assert.ok(mid.includes(50_000));
    await view.screenshot('large-100k');
  });

  it('collapses and expands everything at 100k spans', async () => {
    view = await openView(browser, { synth: { n: 100_000, seed: 3 } });
    await view.page.click('[data-testid="collapse-all"]');
    await view.frames();
    assert.deepEqual(await view.rowIndexes(), [0]);
    await view.page.click('[data-testid="expand-all"]');
    await view.frames();
    const h = await view.page.$eval('.tl-spacer', (e) => e.getBoundingClientRect().height);
    assert.equal(h, 100_000 * 22);
  });

  it('loads, scrolls and searches a million spans', async function () {
    this.timeout(120_000);
    view = await openView(browser, { synth: { n: 1_000_000, seed: 5 } });
    assert.equal(await view.page.textContent('[data-testid="span-count"]'), '1000000');
    await view.page.$eval('.tl-scroller', (e) => (e.scrollTop = e.scrollHeight));
    await view.frames();
    assert.equal((await view.rowIndexes()).at(-1), 999_999);
    assert.ok((await allRowElements(view)) < 150);
    await view.page.fill('#tl-search', 'status=error');
    await view.page.waitForFunction(() =>
      /found|of/.test(document.querySelector('[data-testid="match-count"]')?.textContent ?? ''),
    );
    const count = await view.page.textContent('[data-testid="match-count"]');
    assert.match(count ?? '', /^[\d,]+ found$/);
    await view.page.press('#tl-search', 'Enter');
    await view.frames();
    const sel = await view.page.$('.tl-row[aria-selected="true"]');
    assert.ok(sel, 'the first error is selected and visible');
    await view.screenshot('large-1m');
  });
});
