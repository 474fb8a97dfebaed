// Helpers the Playwright scenarios share: finding text on screen, hovering it, the command palette,
// the trace panel's document. Everything waits for a condition; nothing sleeps a fixed time.
import assert from 'node:assert/strict';
import { command, e2e, host, waitUntil } from './context.mjs';

/* global NodeFilter */

export const UI_TIMEOUT = 30000;

/**
 * The screen rectangle of `needle` inside the element `container` (an editor line, a terminal row):
 * waits until the text is laid out with a real size.
 */
export function textRect(container, needle, what = `"${needle}" to be laid out`) {
  return waitUntil(
    what,
    () =>
      container.evaluate((el, needle) => {
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        const nodes = [];
        let full = '';
        while (walker.nextNode()) {
          nodes.push({ node: walker.currentNode, at: full.length });
          full += walker.currentNode.data;
        }
        // Editors and terminals render spaces as non-breaking spaces.
        const start = full.replace(/\u00a0/g, ' ').indexOf(needle);
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

/** The screen rectangle of `needle` in the visible editor line (in `scope`) that contains `lineText`. */
export async function textBox(page, lineText, needle, scope = page.locator('.monaco-workbench')) {
  const line = scope
    .locator('.monaco-editor .view-lines .view-line')
    .filter({ hasText: lineText, visible: true })
    .first();
  await line.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  // The line may be in the DOM before the editor has laid it out: wait for a real rectangle.
  return textRect(line, needle, `"${needle}" to be laid out in the editor`);
}

/**
 * Rests the mouse on the middle of `box` until `hover` is visible. Monaco shows a hover after the
 * mouse rests over the text; moving away and back again re-triggers it if the first one went to an
 * unfinished request.
 */
export async function hoverUntilVisible(page, box, hover, what, timeoutMs = 45000) {
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await waitUntil(
    what,
    async () => {
      await page.mouse.move(x, y + box.height * 3);
      await page.mouse.move(x, y, { steps: 4 });
      await hover.waitFor({ state: 'visible', timeout: 8000 });
      return true;
    },
    { timeoutMs, intervalMs: 0 },
  );
}

/** Visible text of an element as a person reads it (rendered markdown keeps non-breaking spaces). */
export async function readText(locator) {
  return (await locator.innerText()).replace(/\u00a0/g, ' ');
}

/**
 * Gives keyboard focus to the workbench (it starts elsewhere, e.g. in the Chat view): a click into
 * the editor area, low enough to land below the last line of an open log or on the empty editor part.
 */
export async function focusWorkbench(page) {
  await page.keyboard.press('Escape');
  const editorPart = page.locator('.part.editor');
  const box = await editorPart.boundingBox();
  assert.ok(box, 'the editor part is visible');
  await editorPart.click({ position: { x: Math.min(300, box.width / 2), y: box.height - 60 } });
}

/**
 * Runs a command from the command palette (F1) by its full label, as a person does: types it and
 * picks the row with exactly that label.
 */
export async function runFromPalette(page, label) {
  const widget = page.locator('.quick-input-widget');
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await page.keyboard.type(label);
  const row = widget
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(label)}$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
}

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Puts the window back to a known state: no editors, no panel, the Explorer showing, no hover or
 * notification left over. Each scenario starts here, so one scenario's failure does not cascade.
 */
export async function resetWorkbench() {
  const { page } = e2e;
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
  await command('workbench.action.closeAllEditors');
  await command('workbench.action.closePanel');
  await command('notifications.clearAll');
  await command('workbench.view.explorer');
  await waitUntil(
    'every editor to close',
    async () => (await host('tabs')).length === 0 && (await host('openTraceIds')).length === 0,
    { timeoutMs: UI_TIMEOUT },
  );
}

/** The document the trace panel's script renders (the one visible webview). */
export function traceDoc(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/**
 * Waits for the trace panel to show span rows (failing at once with the panel's error box if it shows
 * one) and for the header to count `spanCount` spans.
 */
export async function waitForTraceRows(page, spanCount) {
  const doc = traceDoc(page);
  // The waterfall recycles row elements and hides the spare ones.
  const rows = doc.locator('.tl-row:not([hidden])');
  const error = doc.locator('[data-testid="error"]');
  const shown = await waitUntil(
    'the panel to render span rows',
    async () => ((await error.isVisible()) ? 'error' : (await rows.first().isVisible()) && 'rows'),
    { timeoutMs: 60000 },
  );
  if (shown === 'error') assert.fail(`the panel shows an error: ${await error.innerText()}`);
  const count = doc.locator('#tl-header [data-testid="span-count"]');
  await waitUntil(
    `the span count to say ${spanCount}`,
    async () => (await count.innerText()).replace(/[^\d]/g, '') === String(spanCount),
    { timeoutMs: UI_TIMEOUT },
  );
  return { doc, rows };
}

/** The visible row of the span named exactly `name` (the first one). */
export function rowNamed(doc, name) {
  return doc
    .locator('.tl-row:not([hidden])')
    .filter({ has: doc.locator('.tl-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) })
    .first();
}

/**
 * Opens `traceId` in a Trace Lens panel the way the extension's links and hovers do
 * (traceLens.openTraceById) and waits for its rows.
 */
export async function openTracePanel(page, traceId, spanCount) {
  await command('traceLens.openTraceById', { traceId });
  const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
  await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return waitForTraceRows(page, spanCount);
}

/**
 * The spans of `traceId` as the extension's own receiver stores them, read from its Tempo API
 * (traceLens.receiver.queryPort): `{ spanId, parentSpanId, name, service, durationNs, error,
 * attributes }` with hex IDs, `error` for status ERROR and attributes as a plain object. For expectations a scenario derives from the
 * real trace (IDs and durations differ per run). Only while the local store holds the trace
 * (before 60-local.mjs clears it).
 */
export async function storedSpans(traceId) {
  const res = await fetch(`http://127.0.0.1:${e2e.receiverPorts.query}/api/traces/${traceId}`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(30000),
  });
  assert.equal(res.status, 200, `the local store's Tempo API has ${traceId}`);
  const body = await res.json();
  const hex = (b64) => (b64 ? Buffer.from(b64, 'base64').toString('hex') : '');
  const value = (v) => v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
  const spans = [];
  for (const batch of body.batches ?? []) {
    const service = value(batch.resource?.attributes?.find((a) => a.key === 'service.name')?.value ?? {});
    for (const scope of batch.scopeSpans ?? [])
      for (const s of scope.spans ?? [])
        spans.push({
          spanId: hex(s.spanId),
          parentSpanId: hex(s.parentSpanId),
          name: s.name,
          service,
          durationNs: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)),
          error: s.status?.code === 'STATUS_CODE_ERROR' || s.status?.code === 2,
          attributes: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, value(a.value)])),
        });
  }
  return spans;
}
