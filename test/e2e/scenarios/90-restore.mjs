// A trace panel survives "Developer: Reload Window": the webview keeps { subject, traceId,
// selectSpanId } with setState, and the panel serializer (TracePanels.serializer()) fetches the
// trace again and selects the span. Loaded by run.mjs LAST (its number is the highest): the reload
// restarts the workbench and the extension host. The trace is the team's workflow (e2e.team): it
// is still there after 60-local cleared the local store, and the new extension host, whose caches
// are empty, can only show it by fetching it again from the configured backend.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { command, e2e, host, reconnectHost, screenshot, waitUntil } from '../context.mjs';
import {
  UI_TIMEOUT,
  openTracePanel,
  resetWorkbench,
  rowNamed,
  runFromPalette,
  teamTraceFacts,
  waitForTraceRows,
} from '../workbench.mjs';

/* global describe, it, afterEach, MessagePort */

const RELOAD_TIMEOUT = 120000;

/** The value the detail pane shows for attribute `key` (in its Attributes section). */
async function detailAttribute(doc, key) {
  const section = doc.locator('#tl-detail [data-section="attributes"]');
  await section.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return section.evaluate((el, key) => {
    const dt = [...el.querySelectorAll('dt')].find((d) => d.textContent === key);
    return dt?.nextElementSibling?.textContent ?? undefined;
  }, key);
}

/**
 * The webview's host frame (iframe.webview.ready) forwards the panel's setState to the workbench as
 * a `do-update-state` message on a MessagePort. Records the last one there, so the scenario can wait
 * until the state holding the selection has reached the workbench before it reloads.
 */
async function recordSavedState(page) {
  const frame = await page
    .locator('iframe.webview.ready')
    .elementHandle()
    .then((h) => h.contentFrame());
  assert.ok(frame, 'the webview host frame is there');
  await frame.evaluate(() => {
    if (window.__tlSavedStates) return;
    window.__tlSavedStates = [];
    const post = MessagePort.prototype.postMessage;
    MessagePort.prototype.postMessage = function (message, ...rest) {
      if (message && message.channel === 'do-update-state') window.__tlSavedStates.push(message.data);
      return post.call(this, message, ...rest);
    };
  });
  return () => frame.evaluate(() => window.__tlSavedStates.map((s) => JSON.parse(s)));
}

/** The backend the panel header names as where the trace came from. */
function headerBackend(doc) {
  return doc.locator('#tl-header [data-testid="backend"]').innerText();
}

describe('Window reload (Playwright)', function () {
  this.timeout(RELOAD_TIMEOUT * 2);

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('9. after Developer: Reload Window the panel is back with GET selected', async function () {
    const { page } = e2e;
    const traceId = e2e.team.workflowTraceId;
    const facts = await teamTraceFacts(traceId);
    // The first GET in the waterfall: the partner call for the first page, the one that waited.
    const get = facts.spans.filter((s) => s.name === 'GET').sort((a, b) => Number(a.startNs - b.startNs))[0];
    assert.ok(get && get.attributes['url.full'], 'the team workflow has the partner GET');
    const GET_SPAN_ID = get.spanId;
    const GET_URL = get.attributes['url.full'];
    await resetWorkbench();
    const { doc } = await openTracePanel(page, traceId, facts.spanCount);
    assert.match(await headerBackend(doc), /Tempo/, 'the configured backend answered');
    const savedStates = await recordSavedState(page);

    // Select GET with a click on its row, as a person does.
    const getRow = rowNamed(doc, 'GET');
    await getRow.locator('.tl-name').click();
    await waitUntil(
      'the GET row to be selected',
      async () => (await getRow.getAttribute('aria-selected')) === 'true',
    );
    assert.equal(await waitUntil('url.full in the detail', () => detailAttribute(doc, 'url.full')), GET_URL);
    const saved = await waitUntil(
      'the webview to save a state with GET selected',
      async () => (await savedStates()).findLast((s) => s.selectSpanId === GET_SPAN_ID),
      { timeoutMs: UI_TIMEOUT },
    );
    assert.equal(saved.traceId, traceId);
    assert.deepEqual(saved.subject, { kind: 'trace', traceId }, 'the serializer reopens the subject');

    // The new extension host writes the control file again; remove the old one so the wait below
    // cannot find the old host's port.
    rmSync(e2e.controlPath, { force: true });
    const oldControlUrl = e2e.controlUrl;
    const navigated = page.waitForEvent('framenavigated', {
      predicate: (f) => f === page.mainFrame(),
      timeout: RELOAD_TIMEOUT,
    });
    // Keyboard focus to the Explorer: the webview takes the keys (and closes the palette) when it
    // has focus.
    await command('workbench.files.action.focusFilesExplorer');
    await waitUntil('the Explorer to have keyboard focus', () =>
      page.evaluate(() => Boolean(document.activeElement?.closest('.explorer-folders-view'))),
    );
    await runFromPalette(page, 'Developer: Reload Window');
    await navigated;

    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: RELOAD_TIMEOUT });
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' })
      .first()
      .waitFor({ state: 'visible', timeout: RELOAD_TIMEOUT });
    await reconnectHost(RELOAD_TIMEOUT);
    console.log(`      control channel: ${oldControlUrl} → ${e2e.controlUrl}`);

    // The serializer restored the panel: its tab, the open trace in the new host, the rows.
    const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
    await tab.first().waitFor({ state: 'visible', timeout: RELOAD_TIMEOUT });
    await waitUntil(
      'the new extension host to hold the trace panel',
      async () => (await host('openTraceIds')).includes(traceId),
      { timeoutMs: UI_TIMEOUT },
    );
    // The new host's caches are empty: these rows were fetched again, from the configured backend
    // (the local store never held this trace, and 60-local has cleared it besides).
    const { doc: restored } = await waitForTraceRows(page, facts.spanCount);
    assert.equal(
      await restored.locator('.tl-row:not([hidden])').count(),
      facts.spanCount,
      `${facts.spanCount} rows`,
    );
    assert.match(await headerBackend(restored), /Tempo/, 'fetched again from the configured backend');

    const restoredGet = rowNamed(restored, 'GET');
    await waitUntil(
      'the GET row to be selected again',
      async () => (await restoredGet.getAttribute('aria-selected')) === 'true',
      { timeoutMs: UI_TIMEOUT },
    );
    const selected = await restored
      .locator('.tl-row[aria-selected="true"]:not([hidden]) .tl-name')
      .allInnerTexts();
    assert.deepEqual(selected, ['GET'], 'only GET is selected');
    assert.equal(
      await waitUntil('url.full in the restored detail', () => detailAttribute(restored, 'url.full')),
      GET_URL,
    );
    assert.equal(
      await restored.locator('#tl-detail [data-testid="detail-span-id"] code').innerText(),
      GET_SPAN_ID,
    );
    await page.mouse.move(5, 5);
    await screenshot('09-restored-after-reload');
  });
});
