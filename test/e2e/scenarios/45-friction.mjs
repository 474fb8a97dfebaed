// Everyday friction (issue 14) as a new user meets it in code-server, on real telemetry (issue 11):
// the hover over the demo workflow's ID names what failed, where the failure started first (the
// refused mail: SMTP 451); the workspace's settings file, edited on disk, points Trace Lens at a
// backend that is down and takes effect without a reload; Refresh then keeps the team backend's
// trace under a banner naming the settings scope, with Retry, Open Setting and Test Connection; a
// trace that fails to load gets the same buttons and stays out of Recent Traces; a trace the
// default backend lacks is found in another; Open Trace catches an ID a digit short. The working
// backends are the local store (e2e.demo) and the team backend (e2e.team); the down one is a port
// nothing listens on. Loaded by run.mjs after 44-search.mjs.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  focusWorkbench,
  hoverUntilVisible,
  openTracePanel,
  readText,
  resetWorkbench,
  textBox,
  traceDoc,
} from '../workbench.mjs';

/* global describe, it, afterEach, after */

/** A port nothing listens on: taken from the OS, then released. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const settingsDir = () => join(e2e.workspace, '.vscode');
const settingsFile = () => join(settingsDir(), 'settings.json');

/** The demo workflow: 16 spans, its step 4 (Notify) failing on the SMTP stub's 451. */
const WORKFLOW_SPANS = 16;
const WORKFLOW_ROOT = 'POST /workflows/:workflowId/runs';

/**
 * A log file in the workspace holding the line the team's deployed copy of the demo logged when it
 * started its workflow (a line pasted from production): an ID only the team backend knows.
 */
const TEAM_LOG = 'friction-team.log';
function writeTeamLog() {
  const id = e2e.team.workflowTraceId;
  const logged = readFileSync(join(e2e.team.deployedDir, 'logs', 'app.log'), 'utf8');
  const line = logged.split('\n').find((l) => l.includes(`workflow started trace_id=${id}`));
  assert.ok(line, `the team's deployed demo logged its workflow ${id}`);
  writeFileSync(join(e2e.workspace, TEAM_LOG), `${line}\n`);
  return id;
}

/** Writes the workspace's settings file on disk, as a person editing it in another editor does. */
function writeWorkspaceSettings(values) {
  mkdirSync(settingsDir(), { recursive: true });
  writeFileSync(settingsFile(), JSON.stringify(values, null, 2));
}

describe('Everyday friction: hover, errors that keep your work, settings, typos (Playwright)', function () {
  this.timeout(180000);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  after(async function () {
    // The next scenarios expect the team backend from the user's settings.
    rmSync(settingsFile(), { force: true });
    rmSync(join(e2e.workspace, TEAM_LOG), { force: true });
  });

  it('a. the hover names the failing span and what it said, where the failure started first, not only "6 errors"', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    await resetWorkbench();
    await host('openFile', { path: e2e.demo.appLog, line: 0 });
    const box = await textBox(page, `workflow started trace_id=${traceId}`, traceId);
    const hover = page.locator('.monaco-hover', { hasText: WORKFLOW_ROOT }).filter({ visible: true }).first();
    await hoverUntilVisible(page, box, hover, 'the trace hover');
    const text = await waitUntil('the hover to name the failing spans', async () => {
      const t = await readText(hover);
      return /smtp\.send/.test(t) ? t : undefined;
    });
    assert.match(text, /\d+ errors\b/, text);
    assert.match(text, /from the local store/, text);
    // The refused mail is where the failure started (the only failing span with no failing child):
    // named first, with what the SMTP stub said; the spans it failed up through come after it.
    const origin = text.indexOf('notifier · smtp.send: SMTP 451');
    const parent = text.indexOf('workflow-engine · workflow.execute');
    assert.ok(origin >= 0, `the failing span and its message: ${text}`);
    assert.ok(parent > origin, `the workflow failing because of it comes after: ${text}`);
    assert.match(text, /workflow-engine · node\.NotifyNode: SMTP 451/, `the step that failed: ${text}`);
    await screenshot('45-a-hover-failures');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
  });

  it('b. the settings file edited on disk applies at once; Refresh with the backend down keeps the trace under a banner', async function () {
    const { page } = e2e;
    // The team backend's trace: the local store does not have it, so Refresh asks the backend.
    const traceId = e2e.team.workflowTraceId;
    await resetWorkbench();
    const { doc } = await openTracePanel(page, traceId, WORKFLOW_SPANS);
    const backend = doc.locator('#tl-header [data-testid="backend"]');
    assert.equal(await backend.innerText(), 'Tempo', 'the configured backend (the team) sent it');
    const port = await closedPort();
    writeWorkspaceSettings({ 'traceLens.tempo.url': `http://127.0.0.1:${port}` });
    const refresh = doc.locator('#tl-header button[aria-label^="Refresh"]');
    const banner = doc.locator('[data-testid="error-banner"]');
    // No reload: the next fetch goes to the URL the file names (VS Code notices the file change).
    await waitUntil(
      'a refresh to fail against the closed port',
      async () => {
        await refresh.click();
        return banner.isVisible().catch(() => false);
      },
      { timeoutMs: UI_TIMEOUT, intervalMs: 1000 },
    );
    const message = await readText(banner);
    assert.match(message, new RegExp(`127\\.0\\.0\\.1:${port}`), message);
    assert.match(message, /traceLens\.tempo\.url from Workspace settings/, message);
    // The trace is still there to read.
    assert.equal(await doc.locator('[data-testid="span-count"]').innerText(), String(WORKFLOW_SPANS));
    assert.ok((await doc.locator('.tl-row').count()) > 0, 'the rows stay');
    assert.equal(await doc.locator('[data-testid="error"]').isVisible(), false, 'no error page');
    await screenshot('45-b-refresh-failed-banner');

    // Open Setting: the Workspace settings, where the URL came from.
    await banner.locator('[data-testid="open-setting"]').click();
    await waitUntil('the Settings editor', async () =>
      (await host('tabs')).some((t) => /Settings/.test(t.label)),
    );
    await screenshot('45-b2-open-setting');
    // The Settings editor opens as a modal over the panel here: Escape closes it (a Settings tab
    // that is active is closed as an editor); the trace panel stays.
    let tries = 0;
    await waitUntil('the Settings editor to close', async () => {
      const settings = (await host('tabs')).find((t) => /Settings/.test(t.label));
      if (!settings) return true;
      // Escape first; only a Settings tab that outlived it is closed as the active editor.
      if (tries++ === 0) await page.keyboard.press('Escape');
      else if (settings.active) await command('workbench.action.closeActiveEditor');
      return false;
    });
    assert.deepEqual(await host('openTraceIds'), [traceId], 'the trace panel is still open');

    // Fixed on disk: Retry brings the trace back and the banner goes.
    rmSync(settingsFile(), { force: true });
    await waitUntil(
      'Retry to succeed with the team backend again',
      async () => {
        await banner
          .locator('[data-testid="retry"]')
          .click({ timeout: 2000 })
          .catch(() => undefined);
        return !(await banner.isVisible().catch(() => true));
      },
      { timeoutMs: UI_TIMEOUT, intervalMs: 1000 },
    );
    assert.equal(await doc.locator('[data-testid="span-count"]').innerText(), String(WORKFLOW_SPANS));
  });

  it('c. a trace that cannot be fetched gets the same buttons, in the panel and in the hover, and is not added to Recent Traces', async function () {
    const { page } = e2e;
    await resetWorkbench();
    // A trace the backend does not have: the panel's error page.
    const missing = '0123456789abcdef0123456789abcdef';
    await command('traceLens.openTraceById', { traceId: missing });
    const box = traceDoc(page).locator('[data-testid="error"]');
    await box.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await readText(box), /not found/, 'the error page says why');
    for (const id of ['retry', 'open-setting', 'test-connection'])
      assert.ok(await box.locator(`[data-testid="${id}"]`).isVisible(), `${id} is offered`);
    await screenshot('45-c-error-page');
    const recent = await host('recentTraces');
    assert.ok(
      !recent.some((r) => r.traceId === missing),
      `a failed fetch is not a viewed trace: ${JSON.stringify(recent)}`,
    );

    // The hover over an ID that cannot be fetched (the backend that has it is down) offers them too.
    await resetWorkbench();
    const traceId = writeTeamLog();
    writeWorkspaceSettings({ 'traceLens.tempo.url': `http://127.0.0.1:${await closedPort()}` });
    await host('openFile', { path: TEAM_LOG, line: 0 });
    const idBox = await textBox(page, `workflow started trace_id=${traceId}`, traceId);
    const hover = page
      .locator('.monaco-hover', { hasText: 'Trace Lens' })
      .filter({ visible: true, hasText: 'Test Connection' })
      .first();
    await hoverUntilVisible(page, idBox, hover, 'the error hover with its buttons');
    const text = await readText(hover);
    assert.match(text, /Retry · .*Open Setting · .*Test Connection · .*Copy ID/s, text);
    await screenshot('45-c2-error-hover');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    rmSync(settingsFile(), { force: true });
  });

  it('e. a trace the default backend lacks is looked up in the other configured backends, and the hover says where it was found', async function () {
    const { page } = e2e;
    await resetWorkbench();
    const traceId = writeTeamLog();
    const port = await closedPort();
    writeWorkspaceSettings({
      'traceLens.backends': [
        { name: 'Down', kind: 'tempo', url: `http://127.0.0.1:${port}` },
        { name: 'Team', kind: 'tempo', url: e2e.team.url },
      ],
      'traceLens.defaultBackend': 'Down',
    });
    await host('openFile', { path: TEAM_LOG, line: 0 });
    const box = await textBox(page, `workflow started trace_id=${traceId}`, traceId);
    const hover = page
      .locator('.monaco-hover', { hasText: WORKFLOW_ROOT })
      .filter({ visible: true, hasText: 'not in Down' })
      .first();
    await hoverUntilVisible(page, box, hover, 'the hover from the second backend');
    const text = await readText(hover);
    const { host: teamHost } = new URL(e2e.team.url);
    assert.ok(text.includes(`from Team at ${teamHost} (not in Down)`), text);
    await screenshot('45-e-found-in-another-backend');
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    rmSync(settingsFile(), { force: true });
  });

  it('d. Open Trace says an ID is a digit short, and pads it only when asked', async function () {
    const { page } = e2e;
    const traceId = e2e.demo.workflowTraceId;
    await resetWorkbench();
    await focusWorkbench(page);
    const widget = page.locator('.quick-input-widget');
    // The command resolves when the box closes: not awaited.
    command('traceLens.openTrace').catch(() => undefined);
    await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    const short = traceId.slice(0, 20) + traceId.slice(21);
    await widget.locator('input.input').first().fill(short);
    await waitUntil('the warning about a missing character', async () =>
      /31 hex digits: a character may be missing/.test(await readText(widget)),
    );
    await screenshot('45-d-typo-warning');
    await page.keyboard.press('Enter');
    const pad = widget.locator('.monaco-list-row', { hasText: `Open 0${short}` });
    await pad.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.ok(
      await widget.locator('.monaco-list-row', { hasText: 'Fix the ID' }).isVisible(),
      'fixing the ID is offered first',
    );
    await screenshot('45-d2-typo-choice');
    // Fix the ID: back in the box with what was typed.
    await page.keyboard.press('Enter');
    await waitUntil('the box again, with the ID', async () => {
      const value = await widget
        .locator('input.input')
        .first()
        .inputValue()
        .catch(() => '');
      return value === short;
    });
    await page.keyboard.press('Escape');
    assert.deepEqual(await host('openTraceIds'), [], 'nothing was opened');
  });
});
