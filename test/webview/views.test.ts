/** The views beside the waterfall in Chromium: statistics, flame graph and comparison. */
import assert from 'node:assert/strict';
import { CHECKOUT, hexId, indexOf, makeTrace, type SpanSpec } from './helpers/fixtures';
import { webviewSuite, type View } from './helpers/harness';
import { loadTrace } from '../../webview/trace';
import { layoutFlame } from '../../webview/views/flame/layout';
import { compareTraces } from '../../src/core/compare';

/** The checkout trace plus four more `SELECT cart_items` calls, one failing. */
const BUSY: SpanSpec[] = [
  ...CHECKOUT,
  ...[3, 8, 20, 40].map((dur, k): SpanSpec => ({
    id: `q${k}`,
    parent: 'cart',
    name: 'SELECT cart_items',
    service: 'cart',
    start: 300 + k * 100,
    dur,
    ...(k === 3 ? { flags: 1 } : {}),
  })),
];

describe('webview: views', () => {
  const { open } = webviewSuite();

  describe('statistics', () => {
    it('tabulates operations, sorts by a column, and a row click filters the waterfall to its spans', async () => {
      const trace = makeTrace(BUSY);
      const view = await open({ trace });
      const page = view.page;
      await page.click('[data-testid="tab-stats"]');
      await page.waitForSelector('[data-testid="stats-row"]');
      const table = () =>
        page.$$eval('[data-testid="stats-row"]', (trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
        );
      let rows = await table();
      // Default: largest self time first: the gateway's 3 s.
      assert.equal(rows[0]![1], 'POST /v1/charges');
      const select = rows.find((r) => r[1] === 'SELECT cart_items')!;
      // count, total, self, avg, p50, p95, max, errors
      assert.deepEqual(select.slice(2), [
        '5',
        '83.5 ms',
        '83.5 ms',
        '16.7 ms',
        '12.5 ms',
        '40 ms',
        '40 ms',
        '1',
      ]);
      await view.screenshot('views-stats');

      await page.click('th[data-column="count"] button');
      rows = await table();
      assert.equal(rows[0]![1], 'SELECT cart_items', 'sorted by count, largest first');
      assert.equal(await page.getAttribute('th[data-column="count"]', 'aria-sort'), 'descending');
      await page.click('th[data-column="count"] button');
      assert.equal(await page.getAttribute('th[data-column="count"]', 'aria-sort'), 'ascending');

      await page.click('[data-testid="stats-row"]:has-text("SELECT cart_items")');
      await page.waitForSelector('.tl-view-waterfall:not([hidden])');
      assert.equal(await page.isHidden('[data-testid="view-stats"]'), true);
      assert.match((await page.textContent('[data-testid="span-set"]')) ?? '', /cart › SELECT cart_items/);
      // Only the five queries and their ancestors are rows; the first query is selected.
      assert.deepEqual(await view.rowNames(), [
        'POST /checkout',
        'GET /cart',
        'SELECT cart_items',
        'SELECT cart_items',
        'SELECT cart_items',
        'SELECT cart_items',
        'SELECT cart_items',
      ]);
      const selected = async () =>
        page.$eval('.tl-row[aria-selected="true"]', (r) => Number((r as HTMLElement).dataset.spanIndex));
      assert.equal(await selected(), indexOf(trace, 'cartdb'));
      await page.keyboard.press('n');
      assert.equal(await selected(), indexOf(trace, 'q0'));
      await view.screenshot('views-stats-filtered');
      await page.click('[data-testid="span-set-clear"]');
      assert.equal(await page.isHidden('[data-testid="span-set"]'), true);
      await view.frames();
      assert.equal((await view.rowNames()).length, BUSY.length);
    });

    it('sorts from the keyboard, the focus staying on the column’s button', async () => {
      const view = await open({ trace: makeTrace(BUSY) });
      const page = view.page;
      await page.click('[data-testid="tab-stats"]');
      await page.waitForSelector('[data-testid="stats-row"]');
      await page.focus('th[data-column="count"] button');
      await page.keyboard.press('Enter');
      assert.equal(await page.getAttribute('th[data-column="count"]', 'aria-sort'), 'descending');
      const focused = () => page.evaluate(() => document.activeElement?.closest('th')?.dataset.column);
      assert.equal(await focused(), 'count');
      await page.keyboard.press('Space');
      assert.equal(await page.getAttribute('th[data-column="count"]', 'aria-sort'), 'ascending');
      assert.equal(await focused(), 'count');
    });

    it('groups by service, works from the keyboard, and remembers the view', async () => {
      const view = await open({ trace: makeTrace(BUSY) });
      const page = view.page;
      await page.click('[data-testid="tab-waterfall"]');
      await page.focus('[data-testid="tab-waterfall"]');
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector('[data-testid="view-stats"]:not([hidden])');
      await page.click('[data-grouping="service"]');
      const services = await page.$$eval('[data-testid="stats-row"] td:first-child', (tds) =>
        tds.map((td) => td.textContent),
      );
      assert.deepEqual([...services].sort(), [
        'auth',
        'cart',
        'email',
        'fraud-detection',
        'frontend',
        'payment',
        'payment-gateway',
      ]);
      assert.equal(await page.isHidden('th[data-column="name"]'), true);
      const state = await view.waitForState((s) => s.view === 'stats');
      assert.equal(state.view, 'stats');
      await page.focus('[data-testid="stats-row"]');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.waitForSelector('.tl-view-waterfall:not([hidden])');
      assert.equal(await page.isVisible('[data-testid="span-set"]'), true);
    });
  });

  describe('flame graph', () => {
    /** Clicks the middle of span `i`'s frame (positions from the same layout the view uses). */
    async function clickFrame(
      v: View,
      trace: ReturnType<typeof makeTrace>,
      i: number,
      range?: [number, number],
    ) {
      const t = loadTrace(trace);
      const l = layoutFlame(t);
      const [from, to] = range ?? [0, l.total];
      const box = (await v.page.locator('[data-testid="flame"]').boundingBox())!;
      const mid = (l.x[i]! + l.w[i]! / 2 - from) / (to - from);
      await v.page.mouse.click(box.x + mid * box.width, box.y + t.c.depth[i]! * 18 + 9);
      return l;
    }

    it('draws the trace, and a click selects the span in every view and zooms to it', async () => {
      const trace = makeTrace(BUSY);
      const view = await open({ trace });
      const page = view.page;
      await page.click('[data-testid="tab-flame"]');
      await page.waitForSelector('[data-testid="view-flame"][data-frames]');
      assert.equal(
        await page.getAttribute('[data-testid="view-flame"]', 'data-frames'),
        String(BUSY.length - 2),
      );
      await view.screenshot('views-flame');
      const cart = indexOf(trace, 'cart');
      const l = await clickFrame(view, trace, cart);
      const changed = await view.postedOfType('selectionChanged');
      assert.equal(changed.at(-1)?.index, cart, 'the host hears of the selection');
      assert.deepEqual(await page.$$eval('.tl-flame-crumb', (bs) => bs.map((b) => b.textContent)), [
        'Whole trace',
        'POST /checkout',
        'GET /cart',
      ]);
      // Zoomed to GET /cart: its first query fills a share of the width it did not before.
      await view.frames();
      await view.screenshot('views-flame-zoomed');
      const q3 = indexOf(trace, 'q3');
      await clickFrame(view, trace, q3, [l.x[cart]!, l.x[cart]! + l.w[cart]!]);
      assert.equal((await view.postedOfType('selectionChanged')).at(-1)?.index, q3);
      await page.click('.tl-flame-crumb >> text=Whole trace');
      await page.click('[data-testid="tab-waterfall"]');
      assert.equal(
        await page.$eval('.tl-row[aria-selected="true"]', (r) =>
          Number((r as HTMLElement).dataset.spanIndex),
        ),
        q3,
        'the waterfall shows the span chosen in the flame graph',
      );
    });

    it('keeps its zoom when the page is reloaded with the saved state, and not for another trace', async () => {
      const trace = makeTrace(BUSY);
      const first = await open({ trace });
      await first.page.click('[data-testid="tab-flame"]');
      await first.page.waitForSelector('[data-testid="view-flame"][data-frames]');
      const whole = Number(await first.page.getAttribute('[data-testid="view-flame"]', 'data-frames'));
      await clickFrame(first, trace, indexOf(trace, 'cart'));
      const saved = await first.waitForState((s) => s.view === 'flame' && s.selectSpanId === hexId('cart'));

      // A new webview with the saved state (the window was reloaded, or the panel hidden and shown);
      // it opens on the flame graph, so no waterfall row shows.
      const view = await open({ trace, initialState: saved }, { waitForRows: false });
      const page = view.page;
      await page.waitForSelector('[data-testid="view-flame"]:not([hidden])[data-frames]');
      const crumbs = () => page.$$eval('.tl-flame-crumb', (bs) => bs.map((b) => b.textContent));
      assert.deepEqual(await crumbs(), ['Whole trace', 'POST /checkout', 'GET /cart']);
      assert.equal(await page.textContent('.tl-flame-crumb[aria-current="true"]'), 'GET /cart');
      const zoomed = Number(await page.getAttribute('[data-testid="view-flame"]', 'data-frames'));
      assert.ok(zoomed < whole, `zoomed to GET /cart: ${zoomed} frames drawn of ${whole}`);
      await view.screenshot('views-flame-restored');

      // The same state saved for another trace: the flame graph shows the whole trace.
      const other = await open(
        { trace, initialState: { ...saved, traceId: 'f'.repeat(32) } },
        { waitForRows: false },
      );
      await other.page.waitForSelector('[data-testid="view-flame"]:not([hidden])[data-frames]');
      assert.deepEqual(await other.page.$$eval('.tl-flame-crumb', (bs) => bs.map((b) => b.textContent)), [
        'Whole trace',
      ]);
    });

    it('scrolls the waterfall to the span chosen in the flame graph', async () => {
      const spans: SpanSpec[] = [{ id: 'root', name: 'root', service: 'api', start: 0, dur: 1000 }];
      for (let k = 0; k < 300; k++)
        spans.push({ id: `c${k}`, parent: 'root', name: 'work', service: 'api', start: k, dur: 1 });
      spans.push({ id: 'last', parent: 'root', name: 'the last one', service: 'db', start: 900, dur: 60 });
      const trace = makeTrace(spans);
      const view = await open({ trace });
      const page = view.page;
      await page.click('[data-testid="tab-flame"]');
      await page.waitForSelector('[data-testid="view-flame"][data-frames]');
      await clickFrame(view, trace, indexOf(trace, 'last'));
      assert.equal((await view.postedOfType('selectionChanged')).at(-1)?.index, indexOf(trace, 'last'));
      await page.click('[data-testid="tab-waterfall"]');
      // The selected row is drawn: the waterfall scrolled to it when it showed.
      await page.waitForSelector('.tl-row[aria-selected="true"]:not([hidden])', { timeout: 5000 });
    });

    it('walks frames with the arrow keys and shares the search with the waterfall', async () => {
      const trace = makeTrace(BUSY);
      const view = await open({ trace });
      const page = view.page;
      await page.fill('#tl-search', 'SELECT');
      await page.click('[data-testid="tab-flame"]');
      await page.waitForSelector('[data-testid="view-flame"][data-frames]');
      await view.screenshot('views-flame-search');
      await page.focus('[data-testid="flame"]');
      await page.keyboard.press('ArrowDown');
      const sel = async () => (await view.postedOfType('selectionChanged')).at(-1)?.index;
      assert.equal(await sel(), 0);
      await page.keyboard.press('ArrowDown');
      assert.equal(await sel(), indexOf(trace, 'auth'));
      await page.keyboard.press('ArrowRight');
      assert.equal(await sel(), indexOf(trace, 'cart'));
      await page.keyboard.press('ArrowUp');
      assert.equal(await sel(), 0);
      // n walks the search matches from the flame graph too.
      await page.keyboard.press('n');
      assert.equal(await sel(), indexOf(trace, 'cartdb'));
    });

    it('draws a million spans by culling sub-pixel frames', async () => {
      const view = await open({ synth: { n: 1_000_000, seed: 5 } });
      const page = view.page;
      await page.click('[data-testid="tab-flame"]');
      await page.waitForSelector('[data-testid="view-flame"][data-frames]', { timeout: 30_000 });
      const frames = Number(await page.getAttribute('[data-testid="view-flame"]', 'data-frames'));
      assert.ok(frames > 0 && frames < 100_000, `drew ${frames} frames, not a million`);
      await view.screenshot('views-flame-1m');
    });
  });

  describe('comparison', () => {
    // B: the cart query got slower, a retry of the charge is new, the redis lookup is gone.
    const A = makeTrace(CHECKOUT, { traceId: 'a'.repeat(32) });
    const B = makeTrace(
      [
        ...CHECKOUT.filter((sp) => sp.id !== 'redis').map((sp) =>
          sp.id === 'cartdb' ? { ...sp, dur: 80 } : sp,
        ),
        { id: 'retry', parent: 'pay', name: 'retry charge', service: 'payment', start: 1050, dur: 30 },
      ],
      { traceId: 'b'.repeat(32) },
    );
    const comparison = compareTraces(A.model, B.model);

    it('lists operations with A, B and the delta, filters new and gone, and badges B’s waterfall', async () => {
      const view = await open({ compare: { a: A, b: B, comparison } });
      const page = view.page;
      // B's waterfall shows, with the delta badges.
      assert.ok((await view.rowNames()).includes('retry charge'), 'the waterfall shows trace B');
      const badge = (id: string) => page.getAttribute(`#tl-row-${indexOf(B, id)} .tl-duration`, 'data-delta');
      assert.equal(await badge('cartdb'), '+67.5 ms');
      assert.equal(await badge('retry'), 'new');
      assert.equal(await badge('auth'), null, 'unchanged operations carry no badge');
      await view.screenshot('views-compare-waterfall');
      assert.equal(await page.isVisible('[data-testid="tab-compare"]'), true);
      assert.equal(await page.isVisible('[data-testid="compare-with"]'), false);

      await page.click('[data-testid="tab-compare"]');
      await page.waitForSelector('[data-testid="compare-row"]');
      const rows = () =>
        page.$$eval('[data-testid="compare-row"]', (trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '')),
        );
      const all = await rows();
      assert.equal(all.length, comparison.operations.length);
      // Largest self-time difference first: the query, 67.5 ms slower.
      assert.deepEqual(all[0], [
        'cart: SELECT cart_items',
        '1',
        '1',
        '12.5 ms',
        '80 ms',
        '12.5 ms',
        '80 ms',
        '+67.5 ms',
        '+67.5 ms',
      ]);
      assert.match(
        (await page.textContent('[data-testid="compare-summary"]')) ?? '',
        /1 new in B, 1 gone from A/,
      );
      await view.screenshot('views-compare');
      await page.click('[data-filter="added"]');
      assert.deepEqual(
        (await rows()).map((r) => r[0]),
        ['newpayment: retry charge'],
      );
      await page.click('[data-filter="missing"]');
      assert.deepEqual(
        (await rows()).map((r) => r[0]),
        ['gonecart: redis GET session'],
      );
      await page.click('[data-filter="all"]');
      await page.click('[data-testid="compare-row"] >> nth=0');
      await page.waitForSelector('.tl-view-waterfall:not([hidden])');
      assert.equal(
        await page.$eval('.tl-row[aria-selected="true"]', (r) =>
          Number((r as HTMLElement).dataset.spanIndex),
        ),
        indexOf(B, 'cartdb'),
      );
    });

    it('offers "Compare with…" in a single-trace panel', async () => {
      const view = await open({ trace: makeTrace(CHECKOUT) });
      assert.equal(await view.page.isVisible('[data-testid="tab-compare"]'), false);
      await view.page.click('[data-testid="compare-with"]');
      assert.deepEqual(await view.postedOfType('compareWith'), [{ type: 'compareWith', handle: 'main' }]);
    });
  });

  describe('span logs', () => {
    it('lists the span’s log records and log lines as text, asked for once the section is open; a line opens by its id', async () => {
      const trace = makeTrace(CHECKOUT);
      const hostile = '<img src=x onerror="window.__pwned=1">';
      const view = await open({
        trace,
        logs: {
          records: [
            { timeNs: 1_000e6 + 2_500_000, severity: 'ERROR', body: `card declined ${hostile}` },
            { severity: 'INFO', body: 'charging' },
          ],
          lines: [{ id: 7, where: 'logs/app.log:42', text: `WARN retry ${hostile}`, by: 'span' }],
          notes: ['Only the first 200 matching lines are listed.'],
        },
      });
      const page = view.page;
      await page.click(`#tl-row-${indexOf(trace, 'pay')}`);
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-section="logs"]');
      assert.deepEqual(
        await view.postedOfType('getSpanLogs'),
        [],
        'nothing is asked while the section is closed',
      );
      await page.click('[data-section="logs"] summary');
      await page.waitForSelector('[data-testid="log-records"]');
      assert.equal(await page.textContent('[data-section="logs"] summary'), 'Logs (3)');
      const records = await page.$$eval('[data-testid="log-records"] li', (lis) =>
        lis.map((li) => li.textContent),
      );
      assert.deepEqual(records, [`+2.5 msERRORcard declined ${hostile}`, `INFOcharging`]);
      assert.equal(await page.$('[data-section="logs"] img'), null, 'trace text never becomes markup');
      await view.screenshot('views-logs');
      await page.click('[data-testid="log-line-open"]');
      assert.deepEqual(await view.postedOfType('openLogLine'), [{ type: 'openLogLine', id: 7 }]);
      // The section stays open for the next span, which asks again.
      await page.click(`#tl-row-${indexOf(trace, 'gw')}`);
      await page.waitForFunction(
        () =>
          (window as unknown as { __tl: { posted: { type: string }[] } }).__tl.posted.filter(
            (m) => m.type === 'getSpanLogs',
          ).length === 2,
      );
      const asked = await view.postedOfType('getSpanLogs');
      assert.equal(asked.at(-1)?.index, indexOf(trace, 'gw'));
    });
  });
});
