// Helpers the Playwright scenarios share: finding text on screen, hovering it, the command palette,
// the trace panel's document. Everything waits for a condition; nothing sleeps a fixed time.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { command, e2e, host, screenshot, waitUntil } from './context.mjs';
import traceFactsModule from './host-tests/traceFacts.js';

const { durationText, traceFacts } = traceFactsModule;

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
 * unfinished request. `box` may be a function that measures it: then each try measures it again
 * (a CodeLens that arrives above the line moves the text down).
 */
export async function hoverUntilVisible(page, box, hover, what, timeoutMs = 45000) {
  await waitUntil(
    what,
    async () => {
      const b = typeof box === 'function' ? await box() : box;
      const x = b.x + b.width / 2;
      const y = b.y + b.height / 2;
      await page.mouse.move(x, y + b.height * 3);
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
 * What a trace of the demo system holds (spans, services, root, duration, errors; see
 * host-tests/traceFacts.js), read from the extension's receiver: expectations come from the trace,
 * since IDs, durations and timestamps differ per run.
 */
export async function localTraceFacts(traceId) {
  return waitUntil(
    `the extension's receiver to serve ${traceId}`,
    async () => traceFacts((await host('localReceiver')).queryUrl, traceId),
    { timeoutMs: UI_TIMEOUT, intervalMs: 250 },
  );
}

/** The same from the team backend (traceLens.tempo.url), for a trace only it holds. */
export function teamTraceFacts(traceId) {
  return traceFacts(e2e.team.url, traceId);
}

/** A duration as Trace Lens prints it ("4.37 s", "810 ms"): see host-tests/traceFacts.js. */
export { durationText };
// ---------------------------------------------------------------------------------------------
// What a Tempo-API server (the extension's local store, the team backend) holds, asked directly:
// the expectations of a scenario on real telemetry come from the server, never from a recording.

/** The Tempo HTTP API of the extension's own receiver: the local store. */
export function localStoreUrl() {
  return `http://127.0.0.1:${e2e.receiverPorts.query}`;
}

/** A span or trace ID as lowercase hex (Tempo's JSON sends them base64, search sends hex). */
function hexId(id, bytes) {
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64')
    .toString('hex')
    .padStart(bytes * 2, '0');
}

/** An OTLP JSON attribute value as a plain value. */
function attrValue(v) {
  if (!v) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return v.boolValue;
  return undefined;
}

function attrMap(list) {
  return Object.fromEntries((list ?? []).map((a) => [a.key, attrValue(a.value)]));
}

/**
 * `traceId` as the server at `url` answers it (`/api/traces/<id>`): its spans, each
 * `{ spanId, parentSpanId, name, service, durationNs, error, attributes, events: [{ name,
 * attributes }] }`, IDs in hex, `error` for status ERROR, attributes as a plain object. For the
 * expectations a scenario derives from the real trace (IDs and durations differ per run).
 */
export async function serverTrace(url, traceId) {
  const res = await fetch(`${url}/api/traces/${traceId}`, { signal: AbortSignal.timeout(30000) });
  assert.equal(res.status, 200, `${url} has trace ${traceId}`);
  const body = await res.json();
  const spans = [];
  for (const batch of body.batches ?? body.resourceSpans ?? []) {
    const service = attrMap(batch.resource?.attributes)['service.name'] ?? '';
    for (const scope of batch.scopeSpans ?? batch.instrumentationLibrarySpans ?? []) {
      for (const s of scope.spans ?? []) {
        spans.push({
          spanId: hexId(s.spanId, 8),
          parentSpanId: s.parentSpanId ? hexId(s.parentSpanId, 8) : '',
          name: s.name,
          service,
          durationNs: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)),
          error: s.status?.code === 'STATUS_CODE_ERROR' || s.status?.code === 2,
          attributes: attrMap(s.attributes),
          events: (s.events ?? []).map((e) => ({ name: e.name, attributes: attrMap(e.attributes) })),
        });
      }
    }
  }
  return spans;
}

/** The one span named `name` of `spans` (fails when there is none or more than one). */
export function spanNamed(spans, name) {
  const found = spans.filter((s) => s.name === name);
  assert.equal(found.length, 1, `one span named ${name}: ${found.length}`);
  return found[0];
}

/**
 * `/api/search` on the server at `url` for TraceQL `q` over the last `seconds`, as the extension
 * asks it (limit, 3 spans per span set): `{ traces: [...] }` with hex trace and span IDs.
 */
export async function serverSearch(url, q, { seconds, limit = 100 } = {}) {
  const end = Math.floor(Date.now() / 1000) + 1;
  const params = new URLSearchParams({ q, start: String(end - seconds), end: String(end) });
  params.set('limit', String(limit));
  params.set('spss', '3');
  const res = await fetch(`${url}/api/search?${params}`, { signal: AbortSignal.timeout(30000) });
  assert.equal(res.status, 200, `${url} searched ${q}`);
  const body = await res.json();
  for (const t of body.traces ?? []) t.traceID = hexId(t.traceID, 16);
  return body;
}

/** Milliseconds of a duration as the extension writes it ("4.3 s", "17.7 ms", "650 µs"). */
export function shownMs(text) {
  const m = /([\d.,]+)\s*(µs|ms|s|min|h)\b/.exec(text);
  assert.ok(m, `a duration in "${text}"`);
  const n = Number(m[1].replace(/,/g, ''));
  return n * { µs: 1e-3, ms: 1, s: 1000, min: 60000, h: 3600000 }[m[2]];
}

/**
 * Whether a shown duration is `actualMs` rounded to the digits it shows ("4.3 s" is 4.25 to
 * 4.35 s): the figure came from this span, not a neighbour's.
 */
export function sameDuration(text, actualMs) {
  const m = /([\d.,]+)\s*(µs|ms|s|min|h)\b/.exec(text);
  if (!m) return false;
  const scale = { µs: 1e-3, ms: 1, s: 1000, min: 60000, h: 3600000 }[m[2]];
  const decimals = m[1].includes('.') ? m[1].split('.')[1].length : 0;
  const half = (0.5 * scale) / 10 ** decimals;
  return Math.abs(shownMs(text) - actualMs) <= half * 1.001;
}

/**
 * The spans of `traceId` as the extension's own receiver stores them (its Tempo API, the local
 * store): `serverTrace` on `localStoreUrl()`. Only while the local store holds the trace (before
 * 60-local.mjs clears it).
 */
export function storedSpans(traceId) {
  return serverTrace(localStoreUrl(), traceId);
}

/**
 * Runs `query` over `rangeLabel` from the Trace Search view (opened from the activity bar), with a
 * screenshot of the box when `shot` names one; returns the view's pane once the box has closed.
 */
export async function searchInView(page, query, rangeLabel, shot) {
  // The Trace Lens container in the activity bar.
  const container = page.locator('.activitybar .action-item a[aria-label^="Trace Lens"]');
  await container.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await container.first().click();
  const pane = page.locator('.part.sidebar .pane').filter({
    has: page.locator('.pane-header', { hasText: 'Trace Search' }),
  });
  const header = pane.locator('.pane-header');
  await header.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // Idle: the welcome content offers "Search…"; otherwise the title bar's search action.
  const welcome = pane.locator('.welcome-view .monaco-button', { hasText: 'Search…' });
  if (await welcome.isVisible()) await welcome.click();
  else {
    await header.hover();
    await header.locator('.action-label[aria-label="Search…"]').click();
  }

  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await waitUntil(
    'the TraceQL search box',
    async () => (await widget.isVisible()) && /Search Traces \(TraceQL\)/.test(await widget.innerText()),
    { timeoutMs: UI_TIMEOUT },
  );
  await input.fill('');
  await page.keyboard.type(query);
  const run = widget.locator('.monaco-list-row').filter({ hasText: 'Search' }).first();
  await waitUntil(
    'the "Search" row for the typed query',
    async () => (await input.inputValue()) === query && (await run.innerText()).includes(query),
    { timeoutMs: UI_TIMEOUT },
  );
  if (shot) await screenshot(shot);
  await run.click();

  // Then the time range.
  const range = widget.locator('.monaco-list-row', { hasText: rangeLabel });
  await range.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await range.first().click();
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });

  return pane;
}

/** Selects the span named `name` with a click on its row; waits for the detail pane to show it. */
export async function selectSpan(doc, name) {
  const row = rowNamed(doc, name);
  await row.locator('.tl-name').click();
  await waitUntil(`the ${name} row to be selected`, async () =>
    /\btl-selected\b/.test((await row.getAttribute('class')) ?? ''),
  );
  const title = doc.locator('#tl-detail .tl-detail-title');
  await waitUntil(
    `the detail pane to show ${name}`,
    async () => (await title.innerText().catch(() => '')) === name,
    { timeoutMs: UI_TIMEOUT },
  );
  return row;
}

/** Sets the page to `size` and waits until the workbench has laid itself out at that width. */
export async function resizeWorkbench(page, size) {
  await page.setViewportSize(size);
  await waitUntil(`the workbench to lay out ${size.width} px wide`, async () => {
    const box = await page.locator('.monaco-workbench').boundingBox();
    return box && Math.round(box.width) === size.width;
  });
}

/**
 * Opens the workspace file `path` (e.g. "logs/app.log") from Quick Open (Ctrl+P), as a person does.
 * Each step waits for what the next one needs: the quick input visible and focused before typing,
 * holding the whole name before a row is picked, the row of exactly that file (its name and folder:
 * the list first shows recent files and fills in as the file search answers) clicked rather than
 * whatever row Enter would take, and the editor tab of that file active at the end.
 */
export async function quickOpen(page, path) {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  const folder = slash > 0 ? path.slice(0, slash) : '';
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await waitUntil(
    'Quick Open to show, its input focused',
    async () => {
      // A key pressed while the workbench is still busy starting may go nowhere: press it again.
      if (!(await widget.isVisible())) await page.keyboard.press('Control+P');
      await widget.waitFor({ state: 'visible', timeout: 5000 });
      return input.evaluate((el) => el === document.activeElement);
    },
    { timeoutMs: UI_TIMEOUT, intervalMs: 200 },
  );
  await input.fill('');
  await page.keyboard.type(path);
  await waitUntil(`the Quick Open input to hold "${path}"`, async () => (await input.inputValue()) === path, {
    timeoutMs: UI_TIMEOUT,
  });
  let row = widget
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRe(name)}$`) }) });
  if (folder) {
    row = row.filter({
      has: page.locator('.label-description', { hasText: new RegExp(`^${escapeRe(folder)}$`) }),
    });
  }
  row = row.first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  const tab = page.locator('.tabs-container .tab.active', { hasText: name });
  await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return tab.first();
}

/**
 * The first line of the workspace's log `file` that contains `text` and `trace_id=<traceId>`: its
 * 1-based number, its text, and the span ID it names (`span_id=`, when it names one).
 */
export function logLine(file, traceId, text) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.includes(text) && l.includes(`trace_id=${traceId}`));
  assert.ok(at >= 0, `${file} has a "${text}" line of ${traceId}`);
  return { number: at + 1, text: lines[at], spanId: /\bspan_id=([0-9a-f]{16})/.exec(lines[at])?.[1] };
}

/**
 * Opens the trace of a log line as a person does: Ctrl+click on `traceId` in the visible editor
 * line (in `scope`) that contains `lineText`, until the trace's panel tab shows. The position is
 * measured on each try, and the click made only once that line is under the mouse: the editor may
 * still scroll to a revealed line after it is first laid out, and a click at a stale position
 * lands on another line. Returns the panel's document (its rows may still be loading).
 */
export async function openTraceFromLogLine(page, lineText, traceId, scope = page.locator('.part.editor')) {
  const tab = page.locator('.tabs-container .tab', { hasText: traceId.slice(0, 8) });
  await waitUntil(
    `Ctrl+click on the trace ID of the "${lineText}" line to open the trace`,
    async () => {
      const box = await textBox(page, lineText, traceId, scope);
      const x = box.x + box.width / 2;
      const y = box.y + box.height / 2;
      await page.mouse.move(x, y);
      const under = await page.evaluate(
        ([px, py]) => document.elementFromPoint(px, py)?.closest('.view-line')?.textContent ?? '',
        [x, y],
      );
      if (!under.replace(/\u00a0/g, ' ').includes(lineText)) return false;
      await page.keyboard.down('Control');
      try {
        await page.mouse.click(x, y);
      } finally {
        await page.keyboard.up('Control');
      }
      await tab.first().waitFor({ state: 'visible', timeout: 5000 });
      return true;
    },
    { timeoutMs: UI_TIMEOUT, intervalMs: 100 },
  );
  return traceDoc(page);
}
