// Issue 13, item 1: the panel as everyone first sees it, opened beside the code at about 540 px.
// The detail pane sits below the waterfall, the sash between them moves with the keyboard, span
// names keep at least 16 characters (the service shrinks to its chip), in dark, light and high
// contrast. On the demo system's workflow (issue 11), opened beside the demo/logs/app.log that
// logged it. Loaded by run.mjs after 30-panel.mjs; TL_ONLY=narrow runs it alone.
import assert from 'node:assert/strict';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, openTracePanel, resetWorkbench, rowNamed } from '../workbench.mjs';

/* global describe, it, afterEach, after */

/** The workflow the demo system ran before the window opened: 16 spans across 3 services. */
const WORKFLOW_SPANS = 16;
/** A window whose editor area splits into a log and a ~540 px trace panel. */
const VIEWPORT = { width: 1140, height: 860 };

/** The theme kind class on the webview's body. */
async function bodyThemeClass(doc) {
  const cls = (await doc.locator('body').getAttribute('class')) ?? '';
  return cls.split(/\s+/).find((c) => /^vscode-(dark|light|high-contrast(-light)?)$/.test(c));
}

describe('The trace panel beside the code (narrow layout)', function () {
  this.timeout(180000);
  let normal;

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    await host('colorTheme', { theme: 'Default Dark Modern', kind: 'dark' }).catch(() => undefined);
    if (normal) await e2e.page.setViewportSize(normal).catch(() => undefined);
    await command('workbench.view.explorer').catch(() => undefined);
  });

  it('35. beside demo/logs/app.log: details below the rows, a keyboard sash, names of 16+ characters, three themes', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    assert.match(traceId, /^[0-9a-f]{32}$/, 'the demo system produced a workflow trace');
    await resetWorkbench();
    normal = page.viewportSize();
    await page.setViewportSize(VIEWPORT);
    await command('workbench.action.closeSidebar');
    await host('openFile', { path: e2e.demo.appLog, column: 1, line: 1 });
    const { doc } = await openTracePanel(page, traceId, WORKFLOW_SPANS);

    const width = await doc.locator('.tl-view-waterfall').evaluate((v) => v.clientWidth);
    assert.ok(width >= 480 && width < 800, `the panel is beside the code: ${width} px wide`);
    await waitUntil('the narrow layout', async () =>
      /\btl-stacked\b/.test((await doc.locator('.tl-main').getAttribute('class')) ?? ''),
    );

    // Select the partner GET of step 3: its details open below the rows, across the whole width.
    const row = rowNamed(doc, 'GET');
    await row.locator('.tl-name').click();
    const title = doc.locator('#tl-detail .tl-detail-title');
    await waitUntil('the detail pane to show GET', async () => (await title.innerText()) === 'GET', {
      timeoutMs: UI_TIMEOUT,
    });
    const rows = await doc.locator('.tl-waterfall').boundingBox();
    const detail = await doc.locator('#tl-detail').boundingBox();
    assert.ok(rows && detail, 'both panes are laid out');
    assert.ok(detail.y >= rows.y + rows.height - 1, 'the detail pane is below the rows');
    assert.ok(detail.width >= width - 2, 'and as wide as the panel');

    // Every visible name keeps 16 characters (or all of a shorter one).
    const cut = await doc.locator('.tl-row:not([hidden]) .tl-name').evaluateAll((names) =>
      names
        .map((n) => {
          const text = n.textContent ?? '';
          const range = document.createRange();
          const node = n.firstChild;
          const limit = n.getBoundingClientRect().right - (n.scrollWidth > n.clientWidth ? 12 : 0);
          let shown = 0;
          for (let k = 0; node && k < text.length; k++) {
            range.setStart(node, k);
            range.setEnd(node, k + 1);
            if (range.getBoundingClientRect().right <= limit + 0.5) shown = k + 1;
            else break;
          }
          return { text, shown };
        })
        .filter((r) => r.shown < Math.min(16, r.text.length)),
    );
    assert.deepEqual(cut, [], 'no name is cut below 16 characters');

    // The sash: reachable from the keyboard, ↑ makes the detail pane taller.
    const sash = doc.locator('.tl-main > .tl-splitter');
    assert.equal(await sash.getAttribute('aria-orientation'), 'horizontal');
    const before = detail.height;
    await sash.focus();
    await page.keyboard.press('Shift+ArrowUp');
    await waitUntil('the detail pane to grow by 50 px', async () => {
      const box = await doc.locator('#tl-detail').boundingBox();
      return box && Math.round(box.height - before) === 50;
    });
    await page.keyboard.press('Shift+ArrowDown');

    await screenshot('35-narrow-dark');
    for (const [theme, kind, shot] of [
      ['Default Light Modern', 'light', '35-narrow-light'],
      ['Default High Contrast', 'high-contrast', '35-narrow-hc'],
    ]) {
      await host('colorTheme', { theme, kind });
      await waitUntil(
        `the webview in ${theme}`,
        async () => (await bodyThemeClass(doc)) === `vscode-${kind}`,
      );
      await screenshot(shot);
    }
  });
});
