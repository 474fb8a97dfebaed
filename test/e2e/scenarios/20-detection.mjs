// Issue "Trace IDs come alive wherever they appear": an output channel, the integrated terminal and a
// debugged program's output, seen the way a person sees them. Loaded by run.mjs after 10-workbench.mjs
// (the app.log hover is scenario a there). The IDs are the demo system's (e2e.demo): the workflow
// and the batch it ran into the extension's store before the window opened.
import assert from 'node:assert/strict';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  durationText,
  focusWorkbench,
  hoverUntilVisible,
  localTraceFacts,
  readText,
  resetWorkbench,
  runFromPalette,
  textBox,
  textRect,
  waitForTraceRows,
} from '../workbench.mjs';

/* global describe, it, afterEach */

/** Recent Traces' entry for `traceId` seen in `source` at or after `since` (host clock = ours). */
async function recentEntry(traceId, source, since) {
  const list = await host('recentTraces');
  return list.find((e) => e.traceId === traceId && e.source === source && e.seenAt >= since);
}

/**
 * The Recent Traces item of `traceId`, after opening the Trace Lens container from the activity bar
 * (its label is the ID, or the summary with the ID's first 16 digits as description).
 */
async function recentTraceItem(page, traceId) {
  await page.locator('.part.activitybar .action-item .action-label[aria-label^="Trace Lens"]').click();
  const view = page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header', { hasText: 'Recent Traces' }) });
  await view.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  const item = view.locator('.monaco-list-row', { hasText: traceId.slice(0, 16) }).first();
  await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return item;
}

/** Rests the mouse on the Recent Traces item of `traceId` until its tooltip shows; returns its text. */
async function showRecentTraceTooltip(page, traceId) {
  const item = await recentTraceItem(page, traceId);
  const box = await item.locator('.label-name').first().boundingBox();
  assert.ok(box, 'the item has a label on screen');
  const tooltip = page
    .locator('.monaco-hover, .workbench-hover')
    .filter({ hasText: traceId, visible: true })
    .first();
  await hoverUntilVisible(page, box, tooltip, `the tooltip of the Recent Traces item ${traceId}`);
  return readText(tooltip);
}

describe('Detection: trace IDs come alive wherever they appear (Playwright)', function () {
  this.timeout(120000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('2. hovering a trace ID in an output channel shows the trace summary', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    const facts = await localTraceFacts(traceId);
    const figures = `${durationText(facts.durationNs)} · ${facts.spanCount} spans · ${facts.services.length} services`;
    await resetWorkbench();
    // What a service's extension prints to its own output channel.
    const now = Date.now();
    const at = (ms) => new Date(now + ms).toISOString();
    const line = `${at(0)} INFO  demo-service workflow finished status=error trace_id=${traceId} run=wf-invoice-sync`;
    await host('outputChannel', {
      name: 'Demo Service',
      lines: [
        `${at(-9000)} INFO  demo-service listening on :8080`,
        `${at(-5000)} INFO  demo-service POST /workflows/wf-invoice-sync/runs accepted`,
        line,
      ],
    });
    const panel = page.locator('.part.panel');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const box = await textBox(page, 'demo-service workflow finished', traceId, panel);
    const hover = page
      .locator('.monaco-hover', { hasText: facts.root.name })
      .filter({ visible: true })
      .first();
    await hoverUntilVisible(page, box, hover, `a hover with ${facts.root.name} over the output channel`);
    await waitUntil(`the hover to show ${figures}`, async () => (await readText(hover)).includes(figures), {
      timeoutMs: UI_TIMEOUT,
    });
    const text = await readText(hover);
    assert.ok(text.includes(facts.root.name), text);
    assert.ok(text.includes(figures), text);
    // The hovered text is in the Output view, showing the Demo Service channel.
    assert.ok(
      await panel.locator('.output-view, [id="workbench.panel.output"]').first().isVisible(),
      'the Output view is showing',
    );
    await screenshot('03-output-channel-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('3. a trace ID printed in the terminal is a link that opens the trace', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    const { spanCount } = await localTraceFacts(traceId);
    await resetWorkbench();
    await focusWorkbench(page);
    await runFromPalette(page, 'Terminal: Create New Terminal');
    const terminal = page.locator('.part.panel .terminal-wrapper.active .xterm');
    await terminal.locator('.xterm-rows').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await waitUntil(
      'the terminal to take keyboard focus',
      () => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')),
      { timeoutMs: UI_TIMEOUT },
    );
    // The workflow's first line in the demo's log, the part that fits on one terminal row (the
    // whole log scrolls it out of the terminal; a wrapped line's link did not open on a click).
    await page.keyboard.type(`grep -m1 -o 'workflow started trace_id=[0-9a-f]*' ${e2e.demo.appLog}`);
    await page.keyboard.press('Enter');
    const row = terminal
      .locator('.xterm-rows > div')
      .filter({ hasText: new RegExp(`workflow\\s+started\\s+trace_id=${traceId}`) })
      .first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const box = await textRect(row, traceId, 'the trace ID to be laid out in the terminal');
    // The link's hover: the provider's tooltip with how to follow it.
    const tooltip = page
      .locator('.monaco-hover, .workbench-hover')
      .filter({ hasText: 'Open trace in Trace Lens', visible: true })
      .first();
    await hoverUntilVisible(page, box, tooltip, 'the terminal link tooltip "Open trace in Trace Lens"');
    const underlined = await row.evaluate((el) =>
      [...el.querySelectorAll('span')].some((s) =>
        /underline/.test(getComputedStyle(s).textDecorationLine + s.className),
      ),
    );
    assert.ok(underlined, 'the hovered trace ID is underlined as a link');
    await screenshot('04-terminal-link');

    const since = Date.now();
    await page.keyboard.down('Control');
    try {
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    } finally {
      await page.keyboard.up('Control');
    }
    const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
    await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const { rows, doc } = await waitForTraceRows(page, spanCount);
    await doc.locator('.tl-name', { hasText: 'node.DataFetchNode' }).first().waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await rows.count(), spanCount, `the panel shows the ${spanCount} spans`);
    assert.deepEqual(await host('openTraceIds'), [traceId]);
    // The click put the trace at the top of Recent Traces.
    await waitUntil('Recent Traces to list the trace from the click', async () => {
      const [top] = await host('recentTraces');
      return top?.traceId === traceId && top.seenAt >= since;
    });
    await screenshot('04b-terminal-link-opened');
  });

  it('3b. Recent Traces says the trace clicked in the terminal came from the terminal', async function () {
    // Follows scenario 3: the demo workflow was just opened with a terminal link.
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    const [top] = await host('recentTraces');
    assert.equal(top?.traceId, traceId, 'scenario 3 opened the trace from the terminal');
    // On screen: the item's tooltip says where the ID was seen.
    const tooltip = await showRecentTraceTooltip(page, traceId);
    await screenshot('04c-terminal-recent-traces');
    // The terminal link passes its source to traceLens.openTraceById, which records it;
    // the entry must not be overwritten as merely "opened".
    assert.match(tooltip, /seen in the terminal/, `the tooltip names the terminal: ${tooltip}`);
    assert.equal(top.source, 'terminal', 'recentTraces() gives the terminal as where the ID was seen');
  });

  it('4. a trace ID a debugged program prints shows up in Recent Traces', async function () {
    const { page } = e2e;
    // The demo's batch: the launch configuration asks which ID printer.js logs.
    const bigTraceId = e2e.demo.batchTraceId;
    await resetWorkbench();
    const since = Date.now();
    const sessionsBefore = (await host('debugSessions')).length;
    await focusWorkbench(page);
    // .vscode/launch.json: a `node` launch of printer.js with the built-in JavaScript debugger,
    // which first asks for the trace ID (a promptString input).
    const widget = page.locator('.quick-input-widget');
    await page.keyboard.press('F1');
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.keyboard.type('Debug: Start Debugging');
    await widget
      .locator('.monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: /^Debug: Start Debugging$/ }) })
      .first()
      .click();
    await waitUntil(
      'the launch configuration to ask for the trace ID',
      async () =>
        (await widget.isVisible()) && (await widget.innerText()).includes('Trace ID for printer.js to log'),
      { timeoutMs: UI_TIMEOUT },
    );
    await page.keyboard.type(bigTraceId);
    await page.keyboard.press('Enter');
    await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    // The Debug Console opens by itself on the window's first session only, and the in-host
    // suite has debugged programs before (host-tests/local.js): open it as a person would.
    await command('workbench.debug.action.focusRepl');
    const repl = page.locator('.repl');
    await repl
      .locator('.monaco-list-row', { hasText: `trace_id=${bigTraceId}` })
      .first()
      .waitFor({ state: 'visible', timeout: 60000 });
    await waitUntil(
      'the debug session to end',
      async () => {
        const sessions = (await host('debugSessions')).slice(sessionsBefore);
        return sessions.length > 0 && sessions.every((s) => s.terminated > 0);
      },
      { timeoutMs: 60000 },
    );
    // In the host: the extension's API lists the ID, seen in debug output.
    const entry = await waitUntil('recentTraces() to list the ID from the debug output', () =>
      recentEntry(bigTraceId, 'debug', since),
    );
    assert.equal(entry.traceId, bigTraceId);

    // On screen: the Trace Lens container in the activity bar, its Recent Traces view.
    const item = await recentTraceItem(page, bigTraceId);
    const itemText = await readText(item);
    // Label: the summary once the trace was fetched, else the ID with where it was seen.
    if (entry.summary)
      assert.ok(itemText.includes(entry.summary), `the item shows ${entry.summary}: ${itemText}`);
    else assert.match(itemText, new RegExp(`${bigTraceId}.*debug output`, 's'));
    assert.ok(await repl.isVisible(), 'the Debug Console still shows the program output');
    // The tooltip says where it was seen (the side bar is too narrow for the description).
    const tooltip = await showRecentTraceTooltip(page, bigTraceId);
    assert.match(tooltip, /seen in debug output/);
    await screenshot('05-debug-recent-traces');
  });
});
