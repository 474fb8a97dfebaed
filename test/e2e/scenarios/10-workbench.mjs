// What a person sees: Playwright scenarios against the code-server workbench, loaded by run.mjs as
// a mocha suite. The runner has already opened the workbench (e2e.page) on a copy of
// test/fixtures/e2e-workspace, after running the demo system into the extension's store: the
// workflow it ran is e2e.demo.workflowTraceId, and demo/logs/app.log holds its log lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  durationText,
  focusWorkbench,
  hoverUntilVisible,
  localTraceFacts,
  readText,
  textBox,
} from '../workbench.mjs';

/* global describe, it, afterEach */

describe('Trace Lens in the workbench (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('a. hovering a trace ID in demo/logs/app.log shows the trace summary', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    const facts = await localTraceFacts(traceId);
    const figures = `${durationText(facts.durationNs)} · ${facts.spanCount} spans · ${facts.services.length} services`;
    await host('openFile', { path: e2e.demo.appLog, line: 0 });
    const tab = page.locator('.tabs-container .tab', { hasText: 'app.log' });
    await tab.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    // The workflow's last line: the lines of the run above it leave room for the whole hover.
    const lines = readFileSync(join(e2e.workspace, e2e.demo.appLog), 'utf8').split('\n');
    const last = lines.findLast((l) => l.includes(`trace_id=${traceId}`));
    assert.ok(last, `${e2e.demo.appLog} logs the workflow`);
    const box = await textBox(page, last.slice(last.indexOf('trace_id=')), traceId);
    const hover = page
      .locator('.monaco-hover', { hasText: facts.root.name })
      .filter({ visible: true })
      .first();
    await hoverUntilVisible(page, box, hover, `a hover with ${facts.root.name}`);
    const hoverText = () => readText(hover);
    await waitUntil(`the hover to show ${figures}`, async () => (await hoverText()).includes(figures), {
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
    assert.ok(text.includes(facts.root.name), text);
    assert.ok(text.includes(figures), text);
    // The extension's store holds the trace: it answered, not the configured Tempo.
    assert.match(text, /from the local store/, text);
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('b. "Trace Lens: Open Trace…" opens the trace in a panel with its spans', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    const { spanCount } = await localTraceFacts(traceId);
    assert.equal(spanCount, 16, 'the demo workflow has 16 spans');
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
    await waitUntil(`${spanCount} span rows`, async () => (await rows.count()) === spanCount, {
      timeoutMs: UI_TIMEOUT,
    });
    await rows.locator('.tl-name', { hasText: 'workflow.execute' }).first().waitFor({ timeout: UI_TIMEOUT });
    await rows.locator('.tl-name', { hasText: 'smtp.send' }).first().waitFor({ timeout: UI_TIMEOUT });
    await rows
      .locator('.tl-name', { hasText: 'node.DataFetchNode' })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    const count = doc.locator('[data-testid="span-count"]');
    await waitUntil(
      `the span count to say ${spanCount}`,
      async () => new RegExp(`\\b${spanCount}\\b`).test(await count.innerText()),
      { timeoutMs: UI_TIMEOUT },
    );
    const indexes = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-span-index')));
    assert.equal(
      new Set(indexes).size,
      spanCount,
      `each row has its own data-span-index: ${indexes.join(',')}`,
    );
    assert.ok(
      indexes.every((i) => i !== null && /^\d+$/.test(i)),
      `data-span-index is a number: ${indexes.join(',')}`,
    );
    assert.match(await tab.first().innerText(), new RegExp(traceId.slice(0, 8)));
    await screenshot('02-panel');
  });
});
