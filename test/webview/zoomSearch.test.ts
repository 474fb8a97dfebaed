/** Zooming with the overview, and search and filter. */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHECKOUT, indexOf, makeTrace } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';

const trace = makeTrace(CHECKOUT);

async function selectedName(view: View): Promise<string | null> {
  return view.page.evaluate(
    () => document.querySelector('.tl-row[aria-selected="true"] .tl-name')?.textContent ?? null,
  );
}

async function barGeometry(view: View, index: number): Promise<{ l: number; r: number }> {
  return view.page.$eval(`.tl-row[data-span-index="${index}"]`, (row) => {
    const t = row.querySelector('.tl-track')!.getBoundingClientRect();
    const b = row.querySelector('.tl-bar')!.getBoundingClientRect();
    return { l: (b.left - t.left) / t.width, r: (b.right - t.left) / t.width };
  });
}

describe('webview: zoom and search', () => {
  let browser: Browser;
  let view: View;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    view = await openView(browser, { trace });
  });
  afterEach(async () => {
    assert.deepEqual(await view.cspViolations(), []);
    assert.deepEqual(view.consoleErrors, []);
    await view.close();
  });

  it('zooms to a range dragged on the overview; bars and axis follow; double-click resets', async () => {
    const box = (await view.page.locator('.tl-ov-surface').boundingBox())!;
    const y = box.y + box.height / 2;
    // Drag from 2 s to 3 s of the 5.2 s trace.
    await view.page.mouse.move(box.x + (box.width * 2) / 5.2, y);
    await view.page.mouse.down();
    await view.page.mouse.move(box.x + (box.width * 2.5) / 5.2, y, { steps: 4 });
    assert.equal(await view.page.isVisible('.tl-ov-select'), true, 'the selection shows while dragging');
    await view.page.mouse.move(box.x + (box.width * 3) / 5.2, y, { steps: 4 });
    await view.page.mouse.up();
    await view.frames();
    // GET /cart (0.14–0.99 s) is now left of the window; POST /v1/charges (2.1–5.1 s) starts at 10%.
    const gw = await barGeometry(view, indexOf(trace, 'gw'));
    assert.ok(Math.abs(gw.l - 0.1) < 0.02, `gw starts at 10% of the view: ${gw.l}`);
    assert.ok(gw.r >= 1, 'and runs past its end');
    const cartBar = await view.page.$eval(
      `.tl-row[data-span-index="${indexOf(trace, 'cart')}"] .tl-bar`,
      (e) => (e as HTMLElement).hidden,
    );
    assert.equal(cartBar, true, 'a span outside the window has no bar');
    const ticks = await view.page.$$eval('.tl-axis .tl-tick', (t) => t.map((x) => x.textContent));
    assert.ok(ticks.includes('2.5 s') && !ticks.includes('5 s'), `axis follows: ${ticks}`);
    assert.equal(await view.page.isVisible('[data-testid="reset-zoom"]'), true);
    const win = await view.page.$eval('.tl-ov-window', (e) => [e.style.left, e.style.width]);
    assert.ok(parseFloat(win[0]!) > 37 && parseFloat(win[0]!) < 39, `window box at 2/5.2: ${win}`);
    await view.screenshot('zoomed');

    await view.page.mouse.dblclick(box.x + box.width / 2, y);
    await view.frames();
    const root = await barGeometry(view, indexOf(trace, 'root'));
    assert.ok(root.l < 0.001 && root.r > 0.999, 'the whole trace again');
    assert.equal(await view.page.isVisible('[data-testid="reset-zoom"]'), false);
  });

  it('counts matches of free text over names and services, and walks them with n / N and the buttons', async () => {
    await view.page.fill('#tl-search', 'cart');
    await view.frames();
    // GET /cart, SELECT cart_items, redis GET session (service cart).
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '3 found');
    const matched = await view.page.$$eval('.tl-row.tl-match .tl-name', (e) => e.map((x) => x.textContent));
    assert.deepEqual(matched, ['GET /cart', 'SELECT cart_items', 'redis GET session']);
    await view.page.press('#tl-search', 'Enter');
    assert.equal(await selectedName(view), 'GET /cart');
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '1 of 3');
    await view.page.focus('.tl-scroller');
    await view.page.keyboard.press('n');
    assert.equal(await selectedName(view), 'SELECT cart_items');
    await view.page.keyboard.press('n');
    await view.page.keyboard.press('n');
    assert.equal(await selectedName(view), 'GET /cart', 'wraps around');
    await view.page.keyboard.press('Shift+N');
    assert.equal(await selectedName(view), 'redis GET session');
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '3 of 3');
    await view.page.click('[data-testid="prev-match"]');
    assert.equal(await selectedName(view), 'SELECT cart_items');
    await view.page.click('[data-testid="next-match"]');
    assert.equal(await selectedName(view), 'redis GET session');
    await view.screenshot('search');
  });

  it('"only matches" keeps the matches and their ancestors', async () => {
    await view.page.fill('#tl-search', 'fraud');
    await view.page.click('[data-testid="only-matches"]');
    await view.frames();
    assert.deepEqual(await view.rowNames(), ['POST /checkout', 'charge card', 'fraud check']);
    await view.screenshot('only-matches');
    await view.page.click('[data-testid="only-matches"]');
    await view.frames();
    assert.equal((await view.rowNames()).length, 9);
  });

  it('filters with status=error, kind=, service=, name= globs, durations, and combinations', async () => {
    const count = async (q: string) => {
      await view.page.fill('#tl-search', q);
      await view.frames();
      return view.page.textContent('[data-testid="match-count"]');
    };
    assert.equal(await count('status=error'), '2 found');
    assert.equal(await count('>500ms'), '5 found');
    assert.equal(await count('>=850ms <2s'), '2 found');
    assert.equal(await count('<1ms'), '1 found');
    assert.equal(await count('service=payment*'), '2 found');
    assert.equal(await count('service!=cart'), '6 found');
    assert.equal(await count('name="POST /v1/charges"'), '1 found');
    assert.equal(await count('name=*cart*'), '2 found');
    assert.equal(await count('status=error service=payment'), '1 found');
    assert.equal(await count('kind=client'), 'No matches');
    assert.equal(await view.page.isVisible('[data-testid="search-problem"]'), false);
    await count('http.method=GET');
    assert.match(
      (await view.page.textContent('[data-testid="search-problem"]')) ?? '',
      /cannot be filtered on/,
    );
    await count('>fast');
    assert.match((await view.page.textContent('[data-testid="search-problem"]')) ?? '', /not a duration/);
  });

  it('filters by a service picked from the list', async () => {
    await view.page.selectOption('[data-testid="service-picker"]', { label: 'cart' });
    await view.frames();
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '3 found');
    await view.page.fill('#tl-search', 'redis');
    await view.frames();
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '1 found');
  });

  it('"/" focuses the search; Esc clears it and returns to the tree', async () => {
    await view.page.focus('.tl-scroller');
    await view.page.keyboard.press('/');
    assert.equal(await view.page.evaluate(() => document.activeElement?.id), 'tl-search');
    await view.page.keyboard.type('fraud');
    await view.frames();
    assert.equal(await view.page.textContent('[data-testid="match-count"]'), '1 found');
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.inputValue('#tl-search'), '');
    assert.equal(await view.page.isVisible('[data-testid="match-count"]'), false);
    assert.equal(
      await view.page.evaluate(() => document.activeElement?.classList.contains('tl-scroller')),
      true,
    );
  });

  it('n reveals a match inside a collapsed subtree', async () => {
    await view.page.click('[data-testid="collapse-all"]');
    await view.frames();
    await view.page.fill('#tl-search', 'SELECT');
    await view.page.focus('.tl-scroller');
    await view.page.keyboard.press('n');
    await view.frames();
    assert.equal(await selectedName(view), 'SELECT cart_items');
    assert.ok((await view.rowNames()).includes('GET /cart'));
  });
});
