// Issue "The trace panel": the critical path, the span detail, a 2,001-span trace scrolled to its end,
// the panel in dark, light and high-contrast themes, and the README picture. Loaded by run.mjs after
// 20-detection.mjs.
import assert from 'node:assert/strict';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  openTracePanel,
  readText,
  resetWorkbench,
  rowNamed,
  textBox,
  traceDoc,
} from '../workbench.mjs';

/* global describe, it, afterEach, after */

/** The GET span of the fixture trace: its ID is in app.log's traceparent line. */
const GET_SPAN_ID = '88e12c98928f2acd';
const GET_URL = 'https://api.partner.example/v2/invoices?since=2026-11-01';
/** The README picture's window: wide enough for both the log lines and the waterfall. */
const README_VIEWPORT = { width: 2400, height: 820 };

/** The value the detail pane shows for attribute `key` (in its Attributes section). */
async function detailAttribute(doc, key) {
  const section = doc.locator('#tl-detail [data-section="attributes"]');
  await section.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return section.evaluate((el, key) => {
    const dt = [...el.querySelectorAll('dt')].find((d) => d.textContent === key);
    return dt?.nextElementSibling?.textContent ?? undefined;
  }, key);
}

/** Selects the span named `name` with a click on its row; waits for the detail pane to show it. */
async function selectSpan(doc, name) {
  const row = rowNamed(doc, name);
  await row.locator('.tl-name').click();
  await waitUntil(`the ${name} row to be selected`, async () =>
    /\btl-selected\b/.test((await row.getAttribute('class')) ?? ''),
  );
  const title = doc.locator('#tl-detail .tl-detail-title');
  await waitUntil(`the detail pane to show ${name}`, async () => (await title.innerText()) === name, {
    timeoutMs: UI_TIMEOUT,
  });
  return row;
}

/** The theme kind class on the webview's body: vscode-dark, vscode-light, vscode-high-contrast. */
async function bodyThemeClass(doc) {
  const cls = (await doc.locator('body').getAttribute('class')) ?? '';
  return cls.split(/\s+/).find((c) => /^vscode-(dark|light|high-contrast(-light)?)$/.test(c));
}

describe('The trace panel (Playwright)', function () {
  this.timeout(120000);

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

  it('5. the critical path runs through node.DataFetchNode and its GET child', async function () {
    const { page, traceId } = e2e;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, traceId, 6);
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
    assert.ok(
      onPath.includes('node.DataFetchNode'),
      `node.DataFetchNode is on the path: ${onPath.join(', ')}`,
    );
    assert.ok(onPath.includes('GET'), `GET is on the path: ${onPath.join(', ')}`);
    // GET is DataFetchNode's child, and both say so to assistive technology.
    const fetchRow = rowNamed(doc, 'node.DataFetchNode');
    const getRow = rowNamed(doc, 'GET');
    assert.equal(
      Number(await getRow.getAttribute('aria-level')),
      Number(await fetchRow.getAttribute('aria-level')) + 1,
      'GET sits one level below node.DataFetchNode',
    );
    for (const row of [fetchRow, getRow]) {
      assert.match((await row.getAttribute('aria-description')) ?? '', /on the critical path/);
      // The highlight is visible: the bars of the path are outlined.
      const outline = await row.locator('.tl-bar').evaluate((el) => getComputedStyle(el).outlineStyle);
      assert.equal(outline, 'solid', 'the bar on the critical path is outlined');
    }
    await screenshot('06-critical-path');
  });

  it('6. selecting the GET span shows its url.full in the detail pane', async function () {
    const { page, traceId } = e2e;
    // Same panel as scenario 5 (openTraceById reveals it), or a new one if that scenario failed.
    const { doc } = await openTracePanel(page, traceId, 6);
    await selectSpan(doc, 'GET');
    const detail = doc.locator('#tl-detail');
    await detail.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const value = await waitUntil('the url.full attribute in the detail pane', () =>
      detailAttribute(doc, 'url.full'),
    );
    assert.equal(value, GET_URL);
    assert.equal(
      await doc.locator('#tl-detail [data-testid="detail-span-id"] code').innerText(),
      GET_SPAN_ID,
    );
    assert.ok(await doc.locator('#tl-detail').getByText(GET_URL).isVisible(), 'the URL is on screen');
    await screenshot('07-span-detail');
  });

  it('7. the 2,001-span trace scrolls to its last span', async function () {
    const { page, bigTraceId } = e2e;
    await resetWorkbench();
    const { doc, rows } = await openTracePanel(page, bigTraceId, 2001);
    // Virtual list: far fewer row elements than spans.
    const rendered = await rows.count();
    assert.ok(rendered < 200, `only the rows in view are in the DOM (${rendered})`);
    // Click the first span (focuses the tree), then End as a person would.
    await rows.first().locator('.tl-name').click();
    await page.keyboard.press('End');
    const last = doc.locator('.tl-row[data-span-index="2000"]:not([hidden])');
    await last.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await waitUntil('the last span to be selected', async () =>
      /\btl-selected\b/.test((await last.getAttribute('class')) ?? ''),
    );
    const scroller = doc.locator('.tl-scroller');
    const atEnd = await waitUntil('the waterfall to be scrolled to its end', () =>
      scroller.evaluate((el) => {
        const row = el.querySelector('.tl-row[data-span-index="2000"]:not([hidden])');
        if (!row) return undefined;
        const r = row.getBoundingClientRect();
        const s = el.getBoundingClientRect();
        const bottom = Math.abs(el.scrollTop + el.clientHeight - el.scrollHeight) <= 1;
        return bottom && r.top >= s.top && r.bottom <= s.bottom + 1 ? { scrollTop: el.scrollTop } : undefined;
      }),
    );
    assert.ok(atEnd.scrollTop > 0, 'the list scrolled');
    assert.equal(await last.getAttribute('aria-posinset'), '2001', 'the last row is row 2001 of 2001');
    await screenshot('08-big-trace-end');
  });

  it('8. the panel follows the dark, light and high-contrast themes', async function () {
    const { page, traceId } = e2e;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, traceId, 6);
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

  it('README picture: app.log on the left, the trace on the right with GET selected', async function () {
    const { page, traceId } = e2e;
    await resetWorkbench();
    await command('workbench.action.closeSidebar');
    // A wider window than the other scenarios' so that both the log lines and the waterfall fit.
    const normal = page.viewportSize();
    await page.setViewportSize(README_VIEWPORT);
    try {
      await readmePicture(page, traceId);
    } finally {
      await page.setViewportSize(normal);
      await command('workbench.view.explorer');
    }
  });
});

async function readmePicture(page, traceId) {
  await waitUntil('the workbench to lay out at the README size', async () => {
    const box = await page.locator('.monaco-workbench').boundingBox();
    return box && Math.round(box.width) === README_VIEWPORT.width;
  });
  await host('openFile', { path: 'app.log', column: 1, line: 10 });
  // Ctrl+click the traceparent in the data-fetch line: it names the trace and the GET span.
  const traceparent = `00-${traceId}-${GET_SPAN_ID}-01`;
  const editor = page.locator('.part.editor');
  const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
  await waitUntil(
    'Ctrl+click on the traceparent link to open the trace',
    async () => {
      // Measured on each try: the editor may still scroll to the line openFile revealed after the
      // line is first laid out, and a click at a stale position lands on another line.
      const box = await textBox(
        page,
        'data-fetch GET https://api.example.com/v1/invoices traceparent',
        traceparent,
        editor,
      );
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      const under = await page.evaluate(
        ([px, py]) => document.elementFromPoint(px, py)?.closest('.view-line')?.textContent ?? '',
        [x, y],
      );
      if (!under.replace(/\u00a0/g, ' ').includes(traceparent)) return false;
      await page.keyboard.down('Control');
      try {
        await page.mouse.click(x, y);
      } finally {
        await page.keyboard.up('Control');
      }
      await tab.first().waitFor({ state: 'visible', timeout: 5000 });
      return true;
    },
    { timeoutMs: UI_TIMEOUT, intervalMs: 100 },
  );
  const doc = traceDoc(page);
  await rowNamed(doc, 'GET').waitFor({ state: 'visible', timeout: 60000 });
  // The link carries the span: the panel opens with GET selected and its detail shown.
  await waitUntil('GET to be selected', async () =>
    /\btl-selected\b/.test((await rowNamed(doc, 'GET').getAttribute('class')) ?? ''),
  );
  assert.equal(await waitUntil('url.full in the detail', () => detailAttribute(doc, 'url.full')), GET_URL);
  assert.ok(await rowNamed(doc, 'node.DataFetchNode').isVisible(), 'node.DataFetchNode is visible');
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
