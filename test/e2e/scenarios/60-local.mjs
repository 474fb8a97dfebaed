// The local receiver (issue 10) as a person meets it: press F5 on a program instrumented with the
// OpenTelemetry JS SDK, and its trace arrives in the Live view with no Tempo anywhere; it opens in
// the panel; the log line it wrote is hoverable, the hover naming the local store; the status bar
// item counts what the store holds and offers its menu. The runner gave the receiver free ports in
// the user settings (e2e.receiverPorts). Loaded by run.mjs after hostile.mjs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  hoverUntilVisible,
  readText,
  resetWorkbench,
  textBox,
  waitForTraceRows,
} from '../workbench.mjs';

/* global describe, it, afterEach */

const here = dirname(fileURLToPath(import.meta.url));
const STATUS_ITEM = '.statusbar-item[id="tracelens.trace-lens.traceLens.receiver"]';

/** The Live view's pane in the Trace Lens container, shown and expanded. */
async function liveView(page) {
  await page.locator('.part.activitybar .action-item .action-label[aria-label^="Trace Lens"]').click();
  const pane = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header', { hasText: /^Live/ }) });
  await pane.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  const header = pane.locator('.pane-header');
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  return pane;
}

describe('The local receiver: traces with no Tempo (Playwright)', function () {
  this.timeout(180000);
  /** The trace otel-app.mjs recorded. */
  let traceId = '';

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('a. F5 on a program with the OpenTelemetry SDK: the debug console says where its traces go, and they arrive in the Live view', async function () {
    const { page, receiverPorts } = e2e;
    await resetWorkbench();
    await waitUntil(
      'the receiver to receive',
      async () => (await host('localReceiver')).state === 'receiving',
      {
        timeoutMs: UI_TIMEOUT,
      },
    );
    const logFile = join(e2e.workspace, 'local.log');
    const sessionsBefore = (await host('debugSessions')).length;
    // A launch configuration with no OTEL_* of its own: Trace Lens adds them.
    const started = await host('startDebugging', {
      config: {
        type: 'node',
        request: 'launch',
        name: 'shop-e2e',
        program: join(here, '..', 'otel-app.mjs'),
        args: [logFile],
        console: 'internalConsole',
        internalConsoleOptions: 'openOnSessionStart',
      },
    });
    assert.equal(started, true, 'the launch started');
    await waitUntil(
      'the program to export its trace and exit',
      async () => {
        const sessions = (await host('debugSessions')).slice(sessionsBefore);
        return sessions.length > 0 && sessions.every((s) => s.terminated > 0);
      },
      { timeoutMs: 60000 },
    );
    const line = readFileSync(logFile, 'utf8').trim().split('\n').at(-1);
    traceId = /trace_id=([0-9a-f]{32})/.exec(line)?.[1] ?? '';
    assert.ok(traceId, `the program wrote a log line with its trace ID: ${line}`);

    const repl = page.locator('.repl');
    const note = repl.locator('.monaco-list-row', { hasText: 'Trace Lens: OpenTelemetry traces and logs' });
    await note.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(
      await readText(note.first()),
      new RegExp(`go to http://127\\.0\\.0\\.1:${receiverPorts.http} as service "shop-e2e"`),
    );
    assert.equal(await note.count(), 1, 'said once');
    await repl
      .locator('.monaco-list-row', { hasText: `exported trace ${traceId}` })
      .first()
      .waitFor({ timeout: UI_TIMEOUT });
    await screenshot('local-01-debug-console');

    const pane = await liveView(page);
    const row = pane.locator('.monaco-list-row', { hasText: 'POST /checkout' }).first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const text = await readText(row);
    assert.match(text, /shop-e2e · \S+ m?s · 2 errors · \d\d:\d\d:\d\d/, text);
    const rows = await host('liveRows');
    assert.equal(rows[0].traceId, traceId, 'the newest trace is first');
    await screenshot('local-02-live-view');

    await row.click();
    const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
    await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const { doc } = await waitForTraceRows(page, 3);
    assert.equal((await doc.locator('[data-testid="backend"]').innerText()).trim(), 'local store');
    await screenshot('local-03-panel');
  });

  it('b. the log line the program wrote is hoverable, and the hover names the local store', async function () {
    const { page } = e2e;
    assert.ok(traceId, 'scenario a recorded a trace');
    await resetWorkbench();
    await host('openFile', { path: 'local.log' });
    const box = await textBox(page, `trace_id=${traceId}`, traceId);
    const hover = page
      .locator('.monaco-hover', { hasText: 'POST /checkout' })
      .filter({ visible: true })
      .first();
    await hoverUntilVisible(page, box, hover, 'a hover with POST /checkout');
    const text = await readText(hover);
    assert.match(text, /3 spans · 1 service/, text);
    assert.match(text, /2 errors · from the local store/, text);
    assert.match(text, /This line was written by span POST \/checkout/);
    await screenshot('local-04-hover-local-store');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('c. the status bar item counts the store and opens the receiver menu; Clear Local Traces empties it', async function () {
    const { page, receiverPorts } = e2e;
    await resetWorkbench();
    const item = page.locator(STATUS_ITEM);
    await waitUntil(
      'the status bar item to count traces',
      async () => /\d+ traces · \d+(\.\d)?[kMG]? spans/.test(await readText(item)),
      {
        timeoutMs: UI_TIMEOUT,
      },
    );
    await item.click();
    const widget = page.locator('.quick-input-widget');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const copy = widget.locator('.monaco-list-row', { hasText: 'Copy OTLP Endpoint' });
    await copy.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await readText(copy), new RegExp(`http://127\\.0\\.0\\.1:${receiverPorts.http}`));
    for (const label of ['Copy OTEL_* Variables', 'Open Live View', 'Stop Receiving', 'Clear Local Traces…'])
      await widget.locator('.monaco-list-row', { hasText: label }).first().waitFor({ timeout: UI_TIMEOUT });
    await screenshot('local-05-status-bar-menu');

    await widget.locator('.monaco-list-row', { hasText: 'Clear Local Traces…' }).first().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await readText(dialog), /Delete the \d+ traces and \d+ spans in the local store\?/);
    await screenshot('local-06-clear-confirmation');
    await dialog.locator('.monaco-button', { hasText: 'Delete' }).click();
    await waitUntil(
      'the status bar item to count 0 traces',
      async () => (await readText(item)).includes('0 traces · 0 spans'),
      {
        timeoutMs: UI_TIMEOUT,
      },
    );
    const pane = await liveView(page);
    await waitUntil(
      'the Live view to empty',
      async () => (await pane.locator('.monaco-list-row', { hasText: 'POST /checkout' }).count()) === 0,
      { timeoutMs: UI_TIMEOUT },
    );
  });
});
