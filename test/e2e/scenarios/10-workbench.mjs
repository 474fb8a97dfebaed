// What a person sees: Playwright scenarios against the code-server workbench, loaded by run.mjs as
// a mocha suite. The runner has already opened the workbench (e2e.page) on a copy of
// test/fixtures/e2e-workspace, with traceLens.tempo.url pointing at the fake Tempo server.
import assert from 'node:assert/strict';
import { e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, focusWorkbench, hoverUntilVisible, readText, textBox } from '../workbench.mjs';

/* global describe, it, afterEach */

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
    // The line app.log's header lines push far enough down that the whole hover fits above it.
    const box = await textBox(page, `workflow.execute started trace_id=${traceId}`, traceId);
    const hover = page
      .locator('.monaco-hover', { hasText: 'workflow.execute' })
      .filter({ visible: true })
      .first();
    await hoverUntilVisible(page, box, hover, 'a hover with workflow.execute');
    const hoverText = () => readText(hover);
    await waitUntil('the hover to show 5.2 s', async () => (await hoverText()).includes('5.2 s'), {
      timeoutMs: UI_TIMEOUT,
    });
    // The whole hover is on screen and inside the editor, not clipped by the top of the window.
    const hoverBox = await hover.boundingBox();
    const editorBox = await page.locator('.part.editor').boundingBox();
    assert.ok(
      hoverBox && editorBox && hoverBox.y >= editorBox.y && hoverBox.y + hoverBox.height <= box.y,
      `the hover sits whole above the hovered line: hover ${JSON.stringify(hoverBox)}, line at y=${box.y}`,
    );
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
