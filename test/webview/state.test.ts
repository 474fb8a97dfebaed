/** View state kept with getState/setState, and selecting spans by ID (selectSpan, init.selectSpanId). */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHECKOUT, hexId, indexOf, makeTrace } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';

const trace = makeTrace(CHECKOUT);

async function selectedName(view: View): Promise<string | null> {
  return view.page.evaluate(
    () => document.querySelector('.tl-row[aria-selected="true"] .tl-name')?.textContent ?? null,
  );
}

describe('webview: state and selecting by ID', () => {
  let browser: Browser;
  const views: View[] = [];
  const open = async (...args: Parameters<typeof openView> extends [unknown, ...infer R] ? R : never) => {
    const v = await openView(browser, ...args);
    views.push(v);
    return v;
  };
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    for (const v of views.splice(0)) {
      assert.deepEqual(await v.cspViolations(), []);
      assert.deepEqual(v.consoleErrors, []);
      await v.close();
    }
  });

  it('saves collapsed spans, zoom, selection, filter and toggles, and restores them for the same trace', async () => {
    const first = await open({ trace });
    await first.page.click(`.tl-row[data-span-index="${indexOf(trace, 'cart')}"] .tl-twistie`);
    await first.page.click(`.tl-row[data-span-index="${indexOf(trace, 'pay')}"] .tl-name`);
    await first.page.fill('#tl-search', 'status=error');
    await first.page.click('[data-testid="critical-toggle"]');
    const box = (await first.page.locator('.tl-ov-surface').boundingBox())!;
    await first.page.mouse.move(box.x + box.width * 0.25, box.y + 10);
    await first.page.mouse.down();
    await first.page.mouse.move(box.x + box.width * 0.75, box.y + 10, { steps: 4 });
    await first.page.mouse.up();
    const saved = await first.waitForState(
      (s) => s.zoom !== undefined && s.critical === true && s.query === 'status=error',
    );
    assert.equal(saved.traceId, trace.model.traceId);
    assert.equal(saved.selectSpanId, hexId('pay'), 'the serializer reads selectSpanId');
    assert.deepEqual(saved.collapsed, { mode: 'listed', ids: [hexId('cart')] });
    assert.equal(saved.detailOpen, true);
    const zoom = saved.zoom as [number, number];
    assert.ok(Math.abs(zoom[0] - 1.3e9) < 0.05e9 && Math.abs(zoom[1] - 3.9e9) < 0.05e9, `zoom ${zoom}`);

    // A new webview for the same trace (the panel was hidden and shown, or the window reloaded).
    const second = await open({ trace, initialState: saved });
    await second.frames();
    assert.equal(await selectedName(second), 'charge card');
    assert.ok(!(await second.rowNames()).includes('SELECT cart_items'), 'cart stays collapsed');
    assert.equal(await second.page.inputValue('#tl-search'), 'status=error');
    assert.equal(await second.page.textContent('[data-testid="match-count"]'), '1 of 2');
    assert.equal(await second.page.getAttribute('[data-testid="critical-toggle"]', 'aria-pressed'), 'true');
    assert.equal(await second.page.isVisible('#tl-detail'), true);
    assert.equal(await second.page.isVisible('[data-testid="reset-zoom"]'), true);
    const ticks = await second.page.$$eval('.tl-axis .tl-tick', (t) => t.map((x) => x.textContent));
    assert.ok(!ticks.includes('0') && !ticks.includes('5 s'), `restored zoom: ${ticks}`);
  });

  it('ignores state saved for another trace', async () => {
    const state = {
      traceId: 'ffffffffffffffffffffffffffffffff',
      collapsed: { mode: 'listed', ids: [hexId('root')] },
      query: 'cart',
    };
    const v = await open({ trace, initialState: state });
    assert.equal((await v.rowNames()).length, 9);
    assert.equal(await v.page.inputValue('#tl-search'), '');
  });

  it('survives a malformed state', async () => {
    const v = await open({
      trace,
      initialState: { traceId: trace.model.traceId, collapsed: 'x', zoom: [5, 'a'] },
    });
    assert.equal((await v.rowNames()).length, 9);
  });

  it('selects init.selectSpanId, expanding its ancestors and opening the detail', async () => {
    const state = { traceId: trace.model.traceId, collapsed: { mode: 'allBut', ids: [] } };
    const v = await open({ trace, initialState: state, selectSpanId: hexId('gw') });
    assert.equal(await selectedName(v), 'POST /v1/charges');
    assert.ok((await v.rowNames()).includes('charge card'));
    assert.equal(await v.page.isVisible('#tl-detail'), true);
  });

  it('selects and reveals a span on selectSpan, deep in a large collapsed trace', async () => {
    const v = await open({ synth: { n: 20000, seed: 7 } });
    await v.page.click('[data-testid="collapse-all"]');
    await v.frames();
    // Pick a deep span far down the list and ask for it by ID.
    const target = await v.page.evaluate(() => {
      const t = (
        window as unknown as {
          __tl: { trace: { model: { columns: { depth: Uint16Array; spanIdWords: Uint32Array } } } };
        }
      ).__tl.trace;
      const c = t.model.columns;
      let best = 0;
      for (let i = 15000; i < 20000; i++) if (c.depth[i]! > c.depth[best]!) best = i;
      // (No named helper functions in here: the test runner's transpiler would wrap them in __name.)
      const words = [c.spanIdWords[2 * best]!, c.spanIdWords[2 * best + 1]!];
      return { index: best, id: words.map((x) => (x >>> 0).toString(16).padStart(8, '0')).join('') };
    });
    await v.send({ type: 'selectSpan', handle: 'main', spanId: target.id });
    await v.frames();
    const row = v.page.locator(`.tl-row[data-span-index="${target.index}"]`);
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    const inView = await row.evaluate((e) => {
      const r = e.getBoundingClientRect();
      const s = document.querySelector('.tl-scroller')!.getBoundingClientRect();
      return r.top >= s.top && r.bottom <= s.bottom;
    });
    assert.equal(inView, true, 'scrolled into view');
    const posted = await v.postedOfType('selectionChanged');
    assert.equal(posted.at(-1)?.index, target.index);
    // An unknown span ID changes nothing.
    await v.send({ type: 'selectSpan', handle: 'main', spanId: '0000000000000bad' });
    await v.frames();
    assert.equal(await row.getAttribute('aria-selected'), 'true');
    await v.screenshot('select-span-large');
  });

  it('keeps collapsed spans and the selection across a refresh (trace message)', async () => {
    const v = await open({ trace });
    await v.page.click(`.tl-row[data-span-index="${indexOf(trace, 'cart')}"] .tl-twistie`);
    await v.page.click(`.tl-row[data-span-index="${indexOf(trace, 'fraud')}"] .tl-name`);
    const more = makeTrace([
      { id: 'early', parent: 'root', name: 'warm cache', service: 'frontend', start: 1, dur: 5 },
      ...CHECKOUT,
    ]);
    await v.send({ type: 'trace', handle: 'main', trace: more });
    await v.frames();
    assert.equal(await selectedName(v), 'fraud check');
    const names = await v.rowNames();
    assert.ok(names.includes('warm cache') && !names.includes('SELECT cart_items'), names.join());
  });
});
