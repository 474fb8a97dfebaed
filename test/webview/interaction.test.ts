/** Selection, the detail pane, collapse and expand, the keyboard, the critical path. */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHECKOUT, hexId, indexOf, makeDetail, makeTrace } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';
import { damagedDetail } from '../../src/core/decode/types';

const trace = makeTrace(CHECKOUT, { canOpenInGrafana: true });
const PAY = indexOf(trace, 'pay');
const CART = indexOf(trace, 'cart');
const ROOT = indexOf(trace, 'root');
const LINKED = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

const details = {
  [PAY]: makeDetail(trace, 'pay', {
    parentSpanId: hexId('root'),
    statusMessage: 'card declined: insufficient funds',
    attributes: [
      { key: 'http.request.method', value: 'POST' },
      { key: 'payment.amount', value: 129.5 },
      { key: 'payment.retry', value: false },
      { key: 'payment.note', value: null },
    ],
    resource: [
      { key: 'service.name', value: 'payment' },
      { key: 'host.name', value: 'pay-7d9f' },
    ],
    scope: {
      name: 'io.opentelemetry.okhttp',
      version: '2.1.0',
      attributes: [{ key: 'scope.attr', value: 'x' }],
    },
    events: [
      { name: 'charge.started', timeNs: 1_050_000_000, attributes: [{ key: 'attempt', value: 1 }] },
      {
        name: 'exception',
        timeNs: 5_000_000_000,
        attributes: [
          { key: 'exception.type', value: 'CardDeclinedError' },
          { key: 'exception.message', value: 'insufficient funds' },
          {
            key: 'exception.stacktrace',
            value:
              'CardDeclinedError: insufficient funds\n    at charge (src/payment/charge.ts:42:11)\n    at main (src/index.ts:7:3)',
          },
        ],
        // What the host adds (parsed with the core's stack-trace parser) before posting the detail.
        frames: [
          { file: 'src/payment/charge.ts', line: 42, column: 11, functionName: 'charge', userCode: true },
          { file: 'node:internal/process/task_queues', line: 95, column: 5, userCode: false },
        ],
      },
    ],
    links: [
      {
        traceId: LINKED,
        spanId: '00f067aa0ba902b7',
        attributes: [{ key: 'link.kind', value: 'follows-from' }],
      },
      { traceId: 'not-a-trace-id', spanId: 'zz', attributes: [] },
    ],
  }),
};

async function selectedIndex(view: View): Promise<number> {
  return view.page.evaluate(() => {
    const r = document.querySelector<HTMLElement>('.tl-row[aria-selected="true"]');
    return r ? Number(r.dataset.spanIndex) : -1;
  });
}

describe('webview: interaction', () => {
  let browser: Browser;
  let view: View;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    view = await openView(browser, { trace, details });
  });
  afterEach(async () => {
    assert.deepEqual(await view.cspViolations(), []);
    assert.deepEqual(view.consoleErrors, []);
    await view.close();
  });

  it('selects a row on click, tells the host, and shows the detail', async () => {
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    assert.equal(await selectedIndex(view), PAY);
    const sel = await view.postedOfType('selectionChanged');
    assert.deepEqual(sel.at(-1), { type: 'selectionChanged', handle: 'main', index: PAY });
    const asks = await view.postedOfType('getSpanDetail');
    assert.equal(asks.at(-1)?.index, PAY);
    await view.page.waitForSelector('#tl-detail [data-section="attributes"]');
    assert.equal(await view.page.isVisible('#tl-detail'), true);
    assert.equal(await view.page.getAttribute('.tl-scroller', 'aria-activedescendant'), `tl-row-${PAY}`);
    await view.screenshot('detail');
  });

  it('shows the span detail: facts, status message, grouped attributes, events with the stack trace, links', async () => {
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    await view.page.waitForSelector('#tl-detail [data-section="events"]');
    const d = view.page.locator('#tl-detail');
    assert.equal(await d.locator('.tl-detail-title').textContent(), 'charge card');
    assert.equal(await d.locator('[data-testid="detail-duration"]').textContent(), '4.2 s');
    assert.equal(await d.locator('[data-testid="detail-start"]').textContent(), '+1 s from trace start');
    assert.match((await d.locator('[data-testid="detail-self"]').textContent()) ?? '', /^300 ms/);
    assert.match(
      (await d.locator('[data-testid="detail-span-id"]').textContent()) ?? '',
      new RegExp(hexId('pay')),
    );
    assert.match(
      (await d.locator('[data-testid="detail-parent-id"]').textContent()) ?? '',
      new RegExp(hexId('root')),
    );
    assert.equal(
      await d.locator('[data-testid="status-message"]').textContent(),
      'card declined: insufficient funds',
    );
    const badges = await d.locator('.tl-badge').allTextContents();
    assert.deepEqual(badges, ['payment', 'Server', 'Error', 'Critical path']);

    const attrs = await d.locator('[data-section="attributes"] dt').allTextContents();
    assert.deepEqual(attrs, ['http.request.method', 'payment.amount', 'payment.note', 'payment.retry']);
    const values = await d.locator('[data-section="attributes"] dd').allTextContents();
    assert.deepEqual(values, ['POST', '129.5', 'null', 'false']);
    assert.deepEqual(await d.locator('[data-section="resource"] dt').allTextContents(), [
      'host.name',
      'service.name',
    ]);
    assert.match(
      (await d.locator('[data-section="scope"] .tl-scope-name').textContent()) ?? '',
      /io\.opentelemetry\.okhttp 2\.1\.0/,
    );

    assert.deepEqual(await d.locator('.tl-event-name').allTextContents(), ['charge.started', 'exception']);
    assert.equal(await d.locator('.tl-event-dot').count(), 2);
    assert.equal(await d.locator('.tl-exception-type').textContent(), 'CardDeclinedError');
    assert.equal(await d.locator('.tl-exception-message').textContent(), 'insufficient funds');
    const stack = d.locator('pre.tl-stack');
    assert.match(
      (await stack.textContent()) ?? '',
      /at charge \(src\/payment\/charge\.ts:42:11\)\n {4}at main/,
    );

    // Links: a valid one opens the trace, an invalid one offers nothing.
    assert.equal(await d.locator('[data-testid="open-link"]').count(), 1);
    await d.locator('[data-testid="open-link"]').click();
    assert.deepEqual((await view.postedOfType('openTrace')).at(-1), {
      type: 'openTrace',
      traceId: LINKED,
      spanId: '00f067aa0ba902b7',
    });
    // Go to source (the span has SpanFlag.HasCode) and copying IDs.
    await d.locator('[data-testid="go-to-source"]').click();
    assert.deepEqual((await view.postedOfType('goToSource')).at(-1), {
      type: 'goToSource',
      handle: 'main',
      index: PAY,
    });
    await d.locator('[data-testid="detail-span-id"] button').click();
    assert.deepEqual((await view.postedOfType('copy')).at(-1), { type: 'copy', text: hexId('pay') });
    await view.screenshot('detail-full');
  });

  it('links each parsed exception frame to its code, naming the event and frame', async () => {
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    await view.page.waitForSelector('#tl-detail [data-testid="stack-frame"]');
    const frames = view.page.locator('#tl-detail [data-testid="stack-frame"]');
    assert.deepEqual(await frames.allTextContents(), [
      'charge (src/payment/charge.ts:42:11)',
      'node:internal/process/task_queues:95:5',
    ]);
    assert.equal(await frames.nth(1).evaluate((n) => n.classList.contains('tl-frame-library')), true);
    await frames.nth(0).click();
    // The exception is the second event of the detail (index 1), its first frame (index 0).
    assert.deepEqual((await view.postedOfType('openStackFrame')).at(-1), {
      type: 'openStackFrame',
      handle: 'main',
      index: PAY,
      eventIndex: 1,
      frameIndex: 0,
    });
  });

  it('says when a span\u2019s details are damaged instead of loading them for ever', async () => {
    await view.close();
    // What the host sends when the decoder could not read the span's attribute bytes.
    view = await openView(browser, {
      trace,
      details: { [PAY]: damagedDetail(PAY, trace.model, 1234, 5678) },
    });
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    const note = view.page.locator('#tl-detail [data-testid="detail-damaged"]');
    await note.waitFor();
    assert.match(
      (await note.textContent()) ?? '',
      /^The attributes, events and links of this span are damaged in the trace data \(near byte 1234 of 5678\)/,
    );
    assert.equal(await view.page.locator('#tl-detail .tl-loading-inline').count(), 0, 'not loading');
    assert.equal(await view.page.locator('#tl-detail [data-section="attributes"]').count(), 0);
    // The facts from the columns are still there, and Go to Source still asks the host (which says why not).
    assert.equal(await view.page.textContent('#tl-detail [data-testid="detail-duration"]'), '4.2 s');
    await view.page.click('#tl-detail [data-testid="go-to-source"]');
    assert.deepEqual((await view.postedOfType('goToSource')).at(-1), {
      type: 'goToSource',
      handle: 'main',
      index: PAY,
    });
    await view.screenshot('detail-damaged');
  });

  it('offers no Go to source for a span without code', async () => {
    await view.page.click(`.tl-row[data-span-index="${CART}"] .tl-name`);
    await view.page.waitForSelector('#tl-detail [data-section="attributes"]');
    assert.equal(await view.page.locator('[data-testid="go-to-source"]').count(), 0);
  });

  it('header actions: copy trace ID, refresh, Open in Grafana', async () => {
    await view.page.click('#tl-header button[aria-label="Copy trace ID"]');
    await view.page.click('#tl-header button[aria-label="Open in Grafana"]');
    await view.page.click('#tl-header button[aria-label^="Refresh"]');
    const types = (await view.posted()).map((m) => m.type);
    assert.ok(types.includes('openInGrafana') && types.includes('refresh'));
    assert.deepEqual(await view.postedOfType('copy'), [
      { type: 'copy', text: '4bf92f3577b34da6a3ce929d0e0e4736' },
    ]);
  });

  it('collapses and expands with the twistie, double-click, expand all, depth and duration', async () => {
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-twistie`);
    await view.frames();
    let names = await view.rowNames();
    assert.ok(!names.includes('fraud check') && !names.includes('POST /v1/charges'), names.join());
    assert.equal(await view.page.getAttribute(`.tl-row[data-span-index="${PAY}"]`, 'aria-expanded'), 'false');
    await view.page.dblclick(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    await view.frames();
    assert.ok((await view.rowNames()).includes('fraud check'));

    await view.page.selectOption('[data-testid="collapse-depth"]', '1');
    await view.frames();
    assert.deepEqual(await view.rowNames(), [
      'POST /checkout',
      'authenticate',
      'GET /cart',
      'charge card',
      'send receipt',
    ]);
    await view.page.click('[data-testid="expand-all"]');
    await view.frames();
    assert.equal((await view.rowNames()).length, 9);

    // Spans shorter than 1 s with children: GET /cart (850 ms) collapses, charge card (4.2 s) does not.
    await view.page.fill('[data-testid="collapse-shorter"]', '1s');
    await view.page.press('[data-testid="collapse-shorter"]', 'Enter');
    await view.frames();
    names = await view.rowNames();
    assert.ok(!names.includes('SELECT cart_items') && names.includes('fraud check'), names.join());
    await view.page.click('[data-testid="collapse-all"]');
    await view.frames();
    assert.deepEqual(await view.rowNames(), ['POST /checkout', 'send receipt']);
    await view.screenshot('collapsed');
  });

  it('moves and collapses with the keyboard: arrows, Enter, Home/End, Esc', async () => {
    await view.page.focus('.tl-scroller');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await selectedIndex(view), ROOT);
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    assert.equal(await selectedIndex(view), CART);
    // ← collapses an expanded span, ← again goes to the parent, → expands, → goes to the first child.
    await view.page.keyboard.press('ArrowLeft');
    await view.frames();
    assert.ok(!(await view.rowNames()).includes('SELECT cart_items'));
    await view.page.keyboard.press('ArrowLeft');
    assert.equal(await selectedIndex(view), ROOT);
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowDown');
    await view.page.keyboard.press('ArrowRight');
    await view.frames();
    assert.ok((await view.rowNames()).includes('SELECT cart_items'));
    await view.page.keyboard.press('ArrowRight');
    assert.equal(await selectedIndex(view), indexOf(trace, 'cartdb'));
    // The detail opens on Enter only.
    assert.equal(await view.page.isVisible('#tl-detail'), false);
    await view.page.keyboard.press('Enter');
    assert.equal(await view.page.isVisible('#tl-detail'), true);
    assert.equal(await view.page.textContent('#tl-detail .tl-detail-title'), 'SELECT cart_items');
    await view.page.keyboard.press('End');
    assert.equal(await selectedIndex(view), indexOf(trace, 'lost'));
    await view.page.keyboard.press('Home');
    assert.equal(await selectedIndex(view), ROOT);
    // The focused selection has a visible outline.
    const outline = await view.page.$eval(
      '.tl-row[aria-selected="true"]',
      (e) => getComputedStyle(e).outlineStyle,
    );
    assert.equal(outline, 'solid');
    await view.screenshot('keyboard-focus');
    // Esc closes the detail, then clears the selection.
    await view.page.keyboard.press('Escape');
    assert.equal(await view.page.isVisible('#tl-detail'), false);
    await view.page.keyboard.press('Escape');
    assert.equal(await selectedIndex(view), -1);
  });

  it('toggles the critical path with c and the toolbar button', async () => {
    await view.page.focus('.tl-scroller');
    await view.page.keyboard.press('c');
    assert.equal(await view.page.getAttribute('[data-testid="critical-toggle"]', 'aria-pressed'), 'true');
    const onPath = await view.page.$$eval('.tl-row.tl-on-path .tl-name', (e) => e.map((x) => x.textContent));
    assert.deepEqual(onPath, ['POST /checkout', 'charge card', 'POST /v1/charges']);
    const dim = await view.page.$eval(`.tl-row[data-span-index="${CART}"] .tl-bar`, (e) =>
      Number(getComputedStyle(e).opacity),
    );
    assert.ok(dim < 0.5, `bars off the path recede: ${dim}`);
    await view.screenshot('critical-path');
    await view.page.click('[data-testid="critical-toggle"]');
    assert.equal(await view.page.getAttribute('[data-testid="critical-toggle"]', 'aria-pressed'), 'false');
  });

  it('marks errors, orphans and clock skew', async () => {
    const marks = await view.page.$$eval('.tl-row', (rows) =>
      rows.map((r) => ({
        name: r.querySelector('.tl-name')?.textContent,
        marks: Array.from(r.querySelectorAll('.tl-mark')).map((m) => (m as HTMLElement).title),
        desc: r.getAttribute('aria-description'),
      })),
    );
    const get = (n: string) => marks.find((m) => m.name === n)!;
    assert.deepEqual(get('charge card').marks, ['Error']);
    assert.deepEqual(get('send receipt').marks, ['Parent span missing from the trace']);
    assert.match(get('fraud check').marks[0] ?? '', /Clock skew/);
    assert.match(get('charge card').desc ?? '', /error/);
  });

  it('shades self time inside bars: solid where no child runs', async () => {
    const img = await view.page.$eval(
      `.tl-row[data-span-index="${PAY}"] .tl-bar`,
      (e) => e.style.backgroundImage,
    );
    // charge card runs 1000–5200 ms; children cover 1100–2000 and 2100–5100.
    assert.match(img, /linear-gradient/);
    assert.match(img, /var\(--svc\) 0\.000% 2\.381%/);
    const leaf = await view.page.$eval(
      `.tl-row[data-span-index="${indexOf(trace, 'auth')}"] .tl-bar`,
      (e) => e.style.backgroundImage,
    );
    assert.equal(leaf, 'none');
  });

  it('resizes the detail pane with its drag handle', async () => {
    await view.page.click(`.tl-row[data-span-index="${PAY}"] .tl-name`);
    const before = await view.page.$eval('#tl-detail', (e) => e.getBoundingClientRect().width);
    const h = await view.page.$eval('.tl-splitter', (e) => {
      const r = e.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + 50 };
    });
    await view.page.mouse.move(h.x, h.y);
    await view.page.mouse.down();
    await view.page.mouse.move(h.x - 120, h.y, { steps: 5 });
    await view.page.mouse.up();
    const after = await view.page.$eval('#tl-detail', (e) => e.getBoundingClientRect().width);
    assert.ok(Math.abs(after - before - 120) < 3, `${before} → ${after}`);
  });
});
