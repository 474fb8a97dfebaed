// Issue 17: text from a trace never acts. The hostile trace (test/fixtures/hostile/hostile-trace.json)
// reaches Trace Lens the way an attacker's telemetry would: exported over OTLP/HTTP to the
// extension's own receiver (test/e2e/hostileTelemetry.mjs), so it is read back from the local store.
// Its spans carry a `code.function` and a `code.filepath` with a `[label](command:…sendSequence…)`
// link that would type `touch /tmp/trace-lens-e2e-pwned` into the terminal, span names that are
// Markdown autolinks, and a span naming /proc/self/environ. Go to Source on each: the toast appears,
// every link in it is clicked, and no terminal receives text; /proc gets no "open it?" dialog; the
// hover over the trace ID links only to Trace Lens's own commands. Loaded by run.mjs before
// 60-local.mjs (which clears the store) and 90-restore.mjs.
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import { HOSTILE_SERVICE, sendHostileTrace } from '../hostileTelemetry.mjs';
import {
  UI_TIMEOUT,
  focusWorkbench,
  hoverUntilVisible,
  openTracePanel,
  readText,
  resetWorkbench,
  rowNamed,
  runFromPalette,
  textBox,
} from '../workbench.mjs';

/* global describe, it, before, afterEach, after */

/** What the links in the fixture would create, through the shell of the active terminal. */
const MARKER = '/tmp/trace-lens-e2e-pwned';
const HOSTILE_LOG = 'hostile.log';
const PROC_SPAN =
  '<command:traceLens.openTraceById?%5B%7B%22traceId%22%3A%22a8e00f77b50a734539bf0e48eec6bec4%22%7D%5D>';

/** The active terminal's rendered rows (the DOM renderer puts its text in the page). */
function terminal(page) {
  return page.locator('.part.panel .terminal-wrapper.active .xterm');
}

async function terminalText(page) {
  return (await terminal(page).locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' ');
}

/** Types `line` into the focused terminal and waits until `expect` shows in its output. */
async function runInTerminal(page, line, expect) {
  await terminal(page).click();
  await waitUntil(
    'the terminal to take keyboard focus',
    () => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea')),
    { timeoutMs: UI_TIMEOUT },
  );
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await waitUntil(`"${expect}" in the terminal`, async () => (await terminalText(page)).includes(expect), {
    timeoutMs: UI_TIMEOUT,
  });
}

/** Selects the span named `name` in the panel and presses its Go to Source button. */
async function goToSourceOf(doc, name) {
  const row = rowNamed(doc, name);
  await row.locator('.tl-name').click();
  const title = doc.locator('#tl-detail .tl-detail-title');
  await waitUntil(`the detail pane to show ${name}`, async () => (await title.innerText()) === name, {
    timeoutMs: UI_TIMEOUT,
  });
  const button = doc.locator('#tl-detail [data-testid="go-to-source"]');
  await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await button.click();
}

describe('Hostile trace text never acts (issue 17, Playwright)', function () {
  this.timeout(180000);

  /** The hostile trace as the receiver took it: `{ traceId, spans: { [name]: spanId } }`. */
  let hostile;

  before(async function () {
    // The extension's receiver is where an instrumented program (or an attacker's) sends spans.
    const receiver = await host('localReceiver');
    assert.ok(receiver.otlpHttpUrl, `the local receiver listens for OTLP: ${JSON.stringify(receiver)}`);
    hostile = await sendHostileTrace(receiver.otlpHttpUrl);
    assert.ok(hostile.spans[PROC_SPAN], 'the hostile trace has the span that names /proc/self/environ');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    rmSync(join(e2e.workspace, HOSTILE_LOG), { force: true });
    await command('workbench.action.terminal.killAll').catch(() => undefined);
    await command('notifications.clearAll').catch(() => undefined);
  });

  it('1. Go to Source on spans whose code.* attributes are command links: the toasts hold no link, and clicking everything in them types nothing into the terminal', async function () {
    const { page } = e2e;
    const hostileTraceId = hostile.traceId;
    rmSync(MARKER, { force: true });
    await resetWorkbench();
    // Earlier scenarios' terminals go: this one has exactly one, so a new one would show.
    await command('workbench.action.terminal.killAll');
    await waitUntil('no terminal', async () => (await host('terminals')).length === 0, {
      timeoutMs: UI_TIMEOUT,
    });
    // A terminal with a running shell: what `workbench.action.terminal.sendSequence` would type into.
    await focusWorkbench(page);
    await runFromPalette(page, 'Terminal: Create New Terminal');
    await terminal(page).locator('.xterm-rows').waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await runInTerminal(page, 'echo shell-ready-$((20+3))', 'shell-ready-23');
    const terminalsBefore = await host('terminals');
    assert.equal(terminalsBefore.length, 1, `one terminal: ${JSON.stringify(terminalsBefore)}`);

    const { doc } = await openTracePanel(page, hostileTraceId, 4);
    assert.equal(
      await doc.locator('#tl-header [data-testid="backend"]').innerText(),
      'local store',
      'read back from where the receiver put it',
    );
    const cases = [
      // code.function `handleCheckout [open](command:…)`: no function of that name in the workspace.
      {
        span: 'checkout.handle',
        toast: /no function named handleCheckout/,
        shot: 'hostile-1a-code-function',
      },
      // code.filepath `/srv/app/[checkout.ts](command:…)`: not in the workspace, nor on this machine.
      { span: 'cart.read', toast: /the span names \/srv\/app\//, shot: 'hostile-1b-code-filepath' },
      // code.filepath /proc/self/environ: never offered, and no "open it?" dialog.
      { span: PROC_SPAN, toast: /not a source file/, shot: 'hostile-1c-proc' },
    ];
    for (const [n, c] of cases.entries()) {
      await command('notifications.clearAll');
      await goToSourceOf(doc, c.span);
      const toast = page
        .locator('.notifications-toasts .notification-toast')
        .filter({ hasText: c.toast, visible: true })
        .first();
      await toast.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
      const message = toast.locator('.notification-list-item-message');
      const text = await readText(message);
      assert.ok(
        !(await page.locator('.monaco-dialog-box').isVisible()),
        `${c.span}: no dialog asks to open the file (${text})`,
      );
      // The whole message on the picture: a long toast shows one line until expanded (its chevron
      // shows while the mouse is over it).
      await toast.hover();
      const expand = toast.locator('.codicon-notifications-expand');
      if (await expand.isVisible()) {
        await expand.click();
        await waitUntil(
          'the toast to expand',
          () => toast.locator('.codicon-notifications-collapse').isVisible(),
          {
            timeoutMs: UI_TIMEOUT,
          },
        );
      }
      await screenshot(c.shot);
      // Every link or anchor the toast's message holds is clicked, as a curious person would.
      const anchors = message.locator('a');
      const links = [];
      for (let i = 0; i < (await anchors.count()); i++) {
        const a = anchors.nth(i);
        links.push({ text: await a.innerText(), href: await a.getAttribute('href') });
        await a.click();
      }
      // Anything a link typed reaches the shell before this line, so it is in the buffer by the
      // time the sentinel's output is.
      await runInTerminal(page, `echo sentinel-$((${n + 1}*7))`, `sentinel-${(n + 1) * 7}`);
      const shown = await terminalText(page);
      assert.ok(
        !shown.includes('trace-lens-e2e-pwned'),
        `${c.span}: the terminal received a link's text (links ${JSON.stringify(links)}):\n${shown}`,
      );
      assert.ok(!existsSync(MARKER), `${c.span}: ${MARKER} was created: a link ran a command`);
      assert.deepEqual(await host('terminals'), terminalsBefore, `${c.span}: no link opened a terminal`);
      assert.deepEqual(links, [], `${c.span}: the toast holds no link`);
      if (c.span === 'checkout.handle') {
        // The span's text shows as written, link syntax included.
        assert.match(text.replace(/\u200b/g, ''), /handleCheckout \[open\]\(command:workbench/);
      }
    }
    await screenshot('hostile-1d-terminal');
  });

  it('2. the hover over the hostile trace ID shows its autolink-like span names as text; its only links are Trace Lens commands', async function () {
    const { page } = e2e;
    const hostileTraceId = hostile.traceId;
    await resetWorkbench();
    const line = `${new Date().toISOString()} ERROR checkout failed trace_id=${hostileTraceId} span_id=${hostile.spans[PROC_SPAN]}`;
    writeFileSync(join(e2e.workspace, HOSTILE_LOG), `${line}\n`);
    await host('openFile', { path: HOSTILE_LOG });
    const box = await textBox(page, 'checkout failed', hostileTraceId);
    const hover = page
      .locator('.monaco-hover', { hasText: HOSTILE_SERVICE })
      .filter({ visible: true })
      .first();
    await hoverUntilVisible(page, box, hover, 'the hover of the hostile trace');
    const text = await waitUntil(
      'the hover to name the spans',
      async () => {
        const t = await readText(hover);
        return t.includes('This line was written by span') ? t : undefined;
      },
      { timeoutMs: UI_TIMEOUT },
    );
    await screenshot('hostile-2-hover');
    // Read back from where the receiver put it.
    assert.match(text, /from the local store/, text);
    assert.ok(text.includes('<https://evil.test/x>'), `the root span's name reads as written:\n${text}`);
    assert.ok(text.includes(PROC_SPAN), `the line's span name reads as written:\n${text}`);
    const links = await hover.locator('a').evaluateAll((els) =>
      els
        .map((a) => ({
          text: a.textContent,
          href: a.getAttribute('data-href') || a.getAttribute('href') || '',
        }))
        .filter((l) => l.href !== '' && l.href !== '#'),
    );
    assert.ok(links.length >= 3, `Open Trace, Copy ID and Go to Source: ${JSON.stringify(links)}`);
    for (const l of links) {
      assert.match(
        l.href,
        /^command:traceLens\.(?:openTraceById|copyTraceId|goToSpanSource|openInGrafana)\?/,
        JSON.stringify(l),
      );
    }
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });
});
