// Issue "The trace panel" on real telemetry (issue 11): the critical path, the span detail, the
// batch's 2,002 spans scrolled to their end, the panel in dark, light and high-contrast themes, and
// the README picture, all on the traces the demo system sent to the extension's store before the
// window opened (run.mjs, realTelemetry). IDs, ports and durations differ per run: the scenario
// reads them from the trace (storedSpans) and from demo/logs/app.log. Loaded by run.mjs after
// 20-detection.mjs, before 60-local.mjs clears the store.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  logLine,
  openTraceFromLogLine,
  openTracePanel,
  readText,
  resetWorkbench,
  resizeWorkbench,
  rowNamed,
  selectSpan,
  storedSpans,
} from '../workbench.mjs';

/* global describe, it, before, afterEach, after */

/** The workflow: POST /workflows/:workflowId/runs → workflow.execute → node.* → … */
const WORKFLOW_SPANS = 16;
/** The batch: POST /batches → batch.create → 1,000 × (item.process → UPDATE items). */
const BATCH_SPANS = 2002;
/** The README picture's window: wide enough for both the log lines and the waterfall. */
const README_VIEWPORT = { width: 2400, height: 820 };

/**
 * What the run wrote and stored about step 3: the partner stub's URL (data-fetch's "ready" line),
 * the span that logged "partner API slow" (DataFetchNode.fetch), and the slow GET it made (the
 * longest GET of the trace, about 4.2 s).
 */
async function stepThree(traceId) {
  const file = join(e2e.workspace, e2e.demo.appLog);
  const partner = /data-fetch ready .*\bpartner_api=(http:\/\/\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
  assert.ok(partner, 'data-fetch logged the partner API it calls');
  // data-fetch logged the slow partner call of the workflow.
  const slow = logLine(file, traceId, 'partner API slow');
  const fetchSpanId = slow.spanId;
  assert.ok(fetchSpanId, `the slow line names its span: ${slow.text}`);
  const gets = (await storedSpans(traceId)).filter((s) => s.name === 'GET' && s.service === 'data-fetch');
  assert.ok(gets.length > 0, 'the stored workflow has the partner GETs');
  const get = gets.reduce((a, b) => (b.durationNs > a.durationNs ? b : a));
  assert.ok(get.durationNs >= 4e9, `the stub held the first page for about 4.2 s: ${get.durationNs} ns`);
  assert.equal(get.parentSpanId, fetchSpanId, 'the slow GET is a child of the span that logged it');
  return { partner, fetchSpanId, slowLine: slow.text, get };
}

/** The value the detail pane shows for attribute `key` (in its Attributes section). */
async function detailAttribute(doc, key) {
  const section = doc.locator('#tl-detail [data-section="attributes"]');
  await section.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return section.evaluate((el, key) => {
    const dt = [...el.querySelectorAll('dt')].find((d) => d.textContent === key);
    return dt?.nextElementSibling?.textContent ?? undefined;
  }, key);
}

/** The theme kind class on the webview's body: vscode-dark, vscode-light, vscode-high-contrast. */
async function bodyThemeClass(doc) {
  const cls = (await doc.locator('body').getAttribute('class')) ?? '';
  return cls.split(/\s+/).find((c) => /^vscode-(dark|light|high-contrast(-light)?)$/.test(c));
}

/** The seconds in a duration as the panel writes it ("4.21 s") when they are the stub's 4.2 s. */
function slowSeconds(text) {
  const seconds = Number(/^([\d.]+) s$/.exec(text.trim())?.[1]);
  return seconds >= 4 && seconds < 10 ? seconds : undefined;
}

/** The detail pane's text for a fact (Duration, Span ID, Parent ID…) by its test ID. */
function detailFact(doc, testId) {
  return readText(doc.locator(`#tl-detail [data-testid="${testId}"]`).first());
}

describe('The trace panel (Playwright)', function () {
  this.timeout(120000);
  let workflow = '';
  let batch = '';

  before(function () {
    workflow = e2e.demo.workflowTraceId;
    batch = e2e.demo.batchTraceId;
    assert.match(workflow, /^[0-9a-f]{32}$/, 'the demo system produced a workflow trace');
    assert.match(batch, /^[0-9a-f]{32}$/, 'the demo system produced a batch trace');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    // Whatever failed, leave the window in the dark theme with the side bar showing.
    await host('colorTheme', { theme: 'Default Dark Modern', kind: 'dark' }).catch(() => undefined);
    await command('workbench.view.explorer').catch(() => undefined);
  });

  it('5. the critical path runs through node.DataFetchNode down to its 4.2 s partner GET', async function () {
    const { page } = e2e;
    await resetWorkbench();
    const { get } = await stepThree(workflow);
    const { doc } = await openTracePanel(page, workflow, WORKFLOW_SPANS);
    const toggle = doc.locator('[data-testid="critical-toggle"]');
    const outlineOf = (name) =>
      rowNamed(doc, name)
        .locator('.tl-bar')
        .evaluate((el) => getComputedStyle(el).outlineStyle);
    const offAtFirst = (await toggle.getAttribute('aria-pressed')) !== 'true';
    if (offAtFirst) assert.equal(await outlineOf('GET'), 'none', 'no highlight while the toggle is off');
    // Off when a trace opens: switch it on as a person does.
    if ((await toggle.getAttribute('aria-pressed')) !== 'true') await toggle.click();
    await waitUntil('the critical path toggle to be on', async () => {
      const pressed = (await toggle.getAttribute('aria-pressed')) === 'true';
      const on = /\btl-critical-on\b/.test((await doc.locator('.tl-waterfall').getAttribute('class')) ?? '');
      return pressed && on;
    });
    const names = (sel) => doc.locator(`${sel} .tl-name`).allInnerTexts();
    const onPath = await names('.tl-row.tl-on-path:not([hidden])');
    for (const name of ['node.DataFetchNode', 'DataFetchNode.fetch', 'GET']) {
      assert.ok(onPath.includes(name), `${name} is on the path: ${onPath.join(', ')}`);
    }
    // Step 3 crosses into data-fetch: node.DataFetchNode → POST → POST /rpc/nodes/:action →
    // DataFetchNode.fetch → GET. The slow GET sits inside step 3's subtree, one level below the
    // span that made it, and the tree says so to assistive technology.
    const fetchRow = rowNamed(doc, 'node.DataFetchNode');
    const callRow = rowNamed(doc, 'DataFetchNode.fetch');
    const getRow = rowNamed(doc, 'GET');
    const level = async (row) => Number(await row.getAttribute('aria-level'));
    const index = async (row) => Number(await row.getAttribute('data-span-index'));
    assert.equal(
      await level(getRow),
      (await level(callRow)) + 1,
      'GET sits one level below DataFetchNode.fetch',
    );
    assert.ok(
      (await level(callRow)) > (await level(fetchRow)),
      'DataFetchNode.fetch is below node.DataFetchNode',
    );
    const between = await doc.locator('.tl-row:not([hidden])').evaluateAll(
      (rows, [from, to]) =>
        rows
          .filter((r) => {
            const i = Number(r.getAttribute('data-span-index'));
            return i > from && i <= to;
          })
          .map((r) => Number(r.getAttribute('aria-level'))),
      [await index(fetchRow), await index(getRow)],
    );
    const stepLevel = await level(fetchRow);
    assert.ok(
      between.length > 0 && between.every((l) => l > stepLevel),
      `every row from node.DataFetchNode down to GET is inside step 3: ${between.join(', ')}`,
    );
    for (const row of [fetchRow, callRow, getRow]) {
      assert.match((await row.getAttribute('aria-description')) ?? '', /on the critical path/);
      // The highlight is visible: the bars of the path are outlined.
      const outline = await row.locator('.tl-bar').evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.equal(outline, 'solid', 'the bar on the critical path is outlined');
    }
    // The row says where the time went: the first GET took the seconds the stub held it.
    const shown = await readText(getRow.locator('.tl-duration'));
    const seconds = slowSeconds(shown);
    assert.ok(seconds, `the GET row shows about 4.2 s: "${shown}"`);
    // Shown to three digits: within 5 ms of the stored duration.
    assert.ok(
      Math.abs(seconds * 1e9 - get.durationNs) <= 5e6,
      `"${shown}" is the stored duration, ${get.durationNs} ns`,
    );
    await screenshot('06-critical-path');
  });

  it('6. selecting the slow GET shows its span, its parent and its url.full in the detail pane', async function () {
    const { page } = e2e;
    const { partner, fetchSpanId, get } = await stepThree(workflow);
    // Same panel as scenario 5 (openTraceById reveals it), or a new one if that scenario failed.
    const { doc } = await openTracePanel(page, workflow, WORKFLOW_SPANS);
    await selectSpan(doc, 'GET');
    const detail = doc.locator('#tl-detail');
    await detail.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const value = await waitUntil('the url.full attribute in the detail pane', () =>
      detailAttribute(doc, 'url.full'),
    );
    // The first page of the partner's invoices, at the stub's address this run.
    assert.equal(value, get.attributes['url.full']);
    assert.ok(value.startsWith(`${partner}/v2/invoices?`), `${value} is the partner API's first page`);
    assert.ok(!value.includes('cursor='), `${value} is the first page, without a cursor`);
    assert.equal((await detailFact(doc, 'detail-span-id')).trim(), get.spanId);
    // Its parent is the span that logged "partner API slow" in demo/logs/app.log.
    assert.equal((await detailFact(doc, 'detail-parent-id')).trim(), fetchSpanId);
    assert.ok(slowSeconds(await detailFact(doc, 'detail-duration')), 'the detail shows about 4.2 s');
    assert.ok(await detail.getByText(value).isVisible(), 'the URL is on screen');
    await screenshot('07-span-detail');
  });

  it('7. the batch’s 2,002 spans scroll to the last one', async function () {
    const { page } = e2e;
    await resetWorkbench();
    const { doc, rows } = await openTracePanel(page, batch, BATCH_SPANS);
    const lastIndex = BATCH_SPANS - 1;
    // Virtual list: far fewer row elements than spans.
    const rendered = await rows.count();
    assert.ok(rendered < 200, `only the rows in view are in the DOM (${rendered})`);
    // Click the first span (focuses the tree), then End as a person would.
    await rows.first().locator('.tl-name').click();
    await page.keyboard.press('End');
    const last = doc.locator(`.tl-row[data-span-index="${lastIndex}"]:not([hidden])`);
    await last.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await waitUntil('the last span to be selected', async () =>
      /\btl-selected\b/.test((await last.getAttribute('class')) ?? ''),
    );
    const scroller = doc.locator('.tl-scroller');
    const atEnd = await waitUntil('the waterfall to be scrolled to its end', () =>
      scroller.evaluate((el, lastIndex) => {
        const row = el.querySelector(`.tl-row[data-span-index="${lastIndex}"]:not([hidden])`);
        if (!row) return undefined;
        const r = row.getBoundingClientRect();
        const s = el.getBoundingClientRect();
        const bottom = Math.abs(el.scrollTop + el.clientHeight - el.scrollHeight) <= 1;
        return bottom && r.top >= s.top && r.bottom <= s.bottom + 1 ? { scrollTop: el.scrollTop } : undefined;
      }, lastIndex),
    );
    assert.ok(atEnd.scrollTop > 0, 'the list scrolled');
    assert.equal(
      await last.getAttribute('aria-posinset'),
      String(BATCH_SPANS),
      `the last row is row ${BATCH_SPANS} of ${BATCH_SPANS}`,
    );
    // The last span in tree order is the last item's database call.
    assert.equal(await readText(last.locator('.tl-name')), 'UPDATE items');
    await screenshot('08-big-trace-end');
  });

  it('8. the panel follows the dark, light and high-contrast themes', async function () {
    const { page } = e2e;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, workflow, WORKFLOW_SPANS);
    await selectSpan(doc, 'GET');
    await waitUntil('the url.full attribute in the detail pane', () => detailAttribute(doc, 'url.full'));
    const themes = [
      { theme: 'Default Dark Modern', kind: 'dark', cls: 'vscode-dark', shot: 'theme-dark' },
      { theme: 'Default Light Modern', kind: 'light', cls: 'vscode-light', shot: 'theme-light' },
      {
        theme: 'Default High Contrast',
        kind: 'high-contrast',
        cls: 'vscode-high-contrast',
        shot: 'theme-hc',
      },
    ];
    const backgrounds = new Set();
    for (const t of themes) {
      const applied = await host('colorTheme', { theme: t.theme, kind: t.kind });
      assert.equal(applied.kind, t.kind, `${t.theme} is a ${t.kind} theme: ${JSON.stringify(applied)}`);
      await waitUntil(
        `the webview body to carry ${t.cls}`,
        async () => (await bodyThemeClass(doc)) === t.cls,
        {
          timeoutMs: UI_TIMEOUT,
        },
      );
      // The panel's colours follow: its background is the editor's.
      const bg = await doc.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
      backgrounds.add(bg);
      assert.ok(await rowNamed(doc, 'GET').isVisible(), 'the spans are still shown');
      await screenshot(t.shot);
    }
    assert.equal(backgrounds.size, 3, `three different backgrounds: ${[...backgrounds].join(' / ')}`);
    await host('colorTheme', { theme: 'Default Dark Modern', kind: 'dark' });
    await waitUntil(
      'the webview back in the dark theme',
      async () => (await bodyThemeClass(doc)) === 'vscode-dark',
    );
  });

  it('README picture: demo/logs/app.log on the left, the workflow on the right with the 4.2 s GET selected', async function () {
    const { page } = e2e;
    await resetWorkbench();
    await command('workbench.action.closeSidebar');
    // A wider window than the other scenarios' so that both the log lines and the waterfall fit.
    const normal = page.viewportSize();
    try {
      await resizeWorkbench(page, README_VIEWPORT);
      await readmePicture(page, workflow);
    } finally {
      await page.setViewportSize(normal);
      await command('workbench.view.explorer');
    }
  });
});

/**
 * The README's first picture (as scripts/demo-pictures.mjs takes docs/images/panel.png from `npm
 * run demo`): Ctrl+click on the trace ID of data-fetch's "partner API slow" line opens the
 * workflow beside the log at the span that wrote the line; a click on the GET below it shows the
 * 4.2 s the partner API took.
 */
async function readmePicture(page, traceId) {
  const { fetchSpanId, get } = await stepThree(traceId);
  await host('openFile', { path: e2e.demo.appLog, column: 1, line: 1 });
  const doc = await openTraceFromLogLine(page, 'partner API slow', traceId);
  // The link carries the line's span_id: the panel opens at the span that logged it.
  const fetchRow = rowNamed(doc, 'DataFetchNode.fetch');
  await fetchRow.waitFor({ state: 'visible', timeout: 60000 });
  await waitUntil('DataFetchNode.fetch (the line’s span) to be selected', async () =>
    /\btl-selected\b/.test((await fetchRow.getAttribute('class')) ?? ''),
  );
  assert.equal((await detailFact(doc, 'detail-span-id')).trim(), fetchSpanId);
  // Then the slow call below it, as a person looks for where the time went.
  await selectSpan(doc, 'GET');
  assert.equal((await detailFact(doc, 'detail-span-id')).trim(), get.spanId);
  assert.ok(slowSeconds(await detailFact(doc, 'detail-duration')), 'the 4.2 s of step 3 is shown');
  assert.equal(
    await waitUntil('url.full in the detail', () => detailAttribute(doc, 'url.full')),
    get.attributes['url.full'],
  );
  for (const name of ['node.DataFetchNode', 'node.NotifyNode', 'smtp.send']) {
    assert.ok(await rowNamed(doc, name).isVisible(), `${name} is visible`);
  }
  // Both sides are on screen: the log on the left of the panel.
  const tabs = await host('tabs');
  const log = tabs.find((t) => t.label === 'app.log');
  const panel = tabs.find((t) => t.viewType?.includes('traceLens.trace'));
  assert.ok(log && panel && log.group < panel.group, `app.log left of the panel: ${JSON.stringify(tabs)}`);
  // A clean picture: the mouse away from the link and the panel (no hover, no link underline).
  await page.mouse.move(5, 5);
  assert.ok(await readText(doc.locator('#tl-detail')), 'the detail pane has content');
  await screenshot('readme-panel');
}
