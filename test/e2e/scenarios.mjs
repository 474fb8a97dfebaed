// What a person sees: Playwright scenarios against the code-server workbench, loaded by run.mjs as
// a mocha suite. The runner has already opened the workbench (e2e.page) on a copy of
// test/fixtures/e2e-workspace, with traceLens.tempo.url pointing at the fake Tempo server.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from './context.mjs';

/* global describe, it, afterEach, NodeFilter */

const UI_TIMEOUT = 30000;

/** The screen rectangle of `needle` in the visible editor line that contains `lineText`. */
async function textBox(page, lineText, needle) {
  const line = page
    .locator('.monaco-editor .view-lines .view-line')
    .filter({ hasText: lineText, visible: true })
    .first();
  await line.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  // The line may be in the DOM before the editor has laid it out: wait for a real rectangle.
  return waitUntil(
    `"${needle}" to be laid out in the editor`,
    () =>
      line.evaluate((el, needle) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let full = '';
        while (walker.nextNode()) {
          nodes.push({ node: walker.currentNode, at: full.length });
          full += walker.currentNode.data;
        }
        const start = full.indexOf(needle);
        if (start < 0) return undefined;
        const end = start + needle.length;
        const from = nodes.findLast((n) => n.at <= start);
        const to = nodes.findLast((n) => n.at < end);
        const range = document.createRange();
        range.setStart(from.node, start - from.at);
        range.setEnd(to.node, end - to.at);
        const r = range.getBoundingClientRect();
        return r.width > 0 && r.height > 0
          ? { x: r.left, y: r.top, width: r.width, height: r.height }
          : undefined;
      }, needle),
    { timeoutMs: UI_TIMEOUT },
  );
}

/**
 * Gives keyboard focus to the workbench (it starts elsewhere, e.g. in the Chat view): a click into
 * the editor area, low enough to land below the last line of app.log or on the empty editor part.
 */
async function focusWorkbench(page) {
  await page.keyboard.press('Escape');
  const editorPart = page.locator('.part.editor');
  const box = await editorPart.boundingBox();
  assert.ok(box, 'the editor part is visible');
  await editorPart.click({ position: { x: Math.min(300, box.width / 2), y: box.height - 60 } });
}

describe('Trace Lens in the workbench (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('a. hovering a trace ID in app.log shows the trace summary', async function () {
    const { page, traceId } = e2e;
    const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' });
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await row.click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'app.log' });
    await tab.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const box = await textBox(page, `trace_id=${traceId}`, traceId);
    const idX = box.x + box.width / 2;
    const idY = box.y + box.height / 2;
    const hover = page.locator('.monaco-hover', { hasText: 'workflow.execute' });
    // Monaco shows a hover after the mouse rests over the text; moving away and back again
    // re-triggers it if the first one went to an unfinished request.
    await waitUntil(
      'a hover with workflow.execute',
      async () => {
        await page.mouse.move(idX, idY - box.height * 3);
        await page.mouse.move(idX, idY, { steps: 4 });
        await hover.waitFor({ state: 'visible', timeout: 8000 });
        return true;
      },
      { timeoutMs: 45000, intervalMs: 0 },
    );
    // Rendered markdown keeps the extension's non-breaking spaces.
    const hoverText = async () => (await hover.innerText()).replace(/\u00a0/g, ' ');
    await waitUntil('the hover to show 5.2 s', async () => (await hoverText()).includes('5.2 s'), {
      timeoutMs: UI_TIMEOUT,
    });
    await screenshot('01-hover');
    const text = await hoverText();
    assert.match(text, /workflow\.execute/);
    assert.match(text, /5\.2 s/);
    assert.ok(
      e2e.tempo.requests.some((r) => r.path.toLowerCase().includes(traceId)),
      `the fake Tempo at ${e2e.tempo.url} was asked for the trace`,
    );
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('b. "Trace Lens: Open Trace…" opens the trace in a panel with its spans', async function () {
    const { page, traceId } = e2e;
    await focusWorkbench(page);
    const widget = page.locator('.quick-input-widget');
    const input = widget.locator('input.input').first();
    await page.keyboard.press('F1');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.keyboard.type('Trace Lens: Open Trace');
    const command = widget.locator('.monaco-list-row', { hasText: 'Trace Lens: Open Trace…' });
    await command.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    // Enter runs the focused row: make sure it is "Open Trace…" (not "Open Trace at Cursor").
    const focused = widget.locator('.monaco-list-row.focused');
    const focusedIsOpenTrace = async () =>
      /Trace Lens: Open Trace…/.test((await focused.innerText().catch(() => '')) ?? '');
    if (
      !(await waitUntil('the command list to settle', focusedIsOpenTrace, { timeoutMs: 3000 }).catch(
        () => false,
      ))
    ) {
      await command.first().hover();
      await command.first().click();
    } else {
      await page.keyboard.press('Enter');
    }
    // The command's input box replaces the palette: same widget, empty value, no list.
    await waitUntil(
      'the Open Trace input box',
      async () =>
        (await widget.isVisible()) &&
        (await input.inputValue()) === '' &&
        !(await command.first().isVisible()),
      { timeoutMs: UI_TIMEOUT },
    );
    await screenshot('02a-input-box');
    await page.keyboard.type(traceId);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });

    const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
    await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const doc = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    // The waterfall recycles row elements and hides the spare ones.
    const rows = doc.locator('.tl-row:not([hidden])');
    const error = doc.locator('[data-testid="error"]');
    // Rows, or the panel's error box: an error is the answer, no point in waiting longer.
    const shown = await waitUntil(
      'the panel to render span rows',
      async () => ((await error.isVisible()) ? 'error' : (await rows.first().isVisible()) && 'rows'),
      { timeoutMs: 60000 },
    );
    if (shown === 'error') assert.fail(`the panel shows an error: ${await error.innerText()}`);
    await waitUntil('six span rows', async () => (await rows.count()) === 6, { timeoutMs: UI_TIMEOUT });
    await rows.locator('.tl-name', { hasText: 'workflow.execute' }).first().waitFor({ timeout: UI_TIMEOUT });
    await rows
      .locator('.tl-name', { hasText: 'node.DataFetchNode' })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    const count = doc.locator('[data-testid="span-count"]');
    await waitUntil('the span count to say 6', async () => /\b6\b/.test(await count.innerText()), {
      timeoutMs: UI_TIMEOUT,
    });
    const indexes = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-span-index')));
    assert.equal(new Set(indexes).size, 6, `each row has its own data-span-index: ${indexes.join(',')}`);
    assert.ok(
      indexes.every((i) => i !== null && /^\d+$/.test(i)),
      `data-span-index is a number: ${indexes.join(',')}`,
    );
    assert.match(await tab.first().innerText(), new RegExp(traceId.slice(0, 8)));
    await screenshot('02-panel');
  });
});
