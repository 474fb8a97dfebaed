// Issue 14 item 3, "Search results worth reading": a TraceQL search from the Trace Search view
// opens the results panel (query, range, a sortable table, a duration-over-time scatter plot), a
// point opens its trace beside it, two picked rows go to `traceLens.compareTraces`, and the side
// bar keeps the search as history. Against the fake Tempo (2.0.1: no span or error counts).
// Loaded by run.mjs after 40-source.mjs; `TL_ONLY=search` runs it alone.
import assert from 'node:assert/strict';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, resetWorkbench } from '../workbench.mjs';

/* global describe, it, after */

const QUERY = '{ duration > 1ms }';
/** At least what the fake Tempo finds for QUERY: every recorded trace with a span over 1 ms. */
const AT_LEAST = 5;
const WORKFLOW = 'a8e00f77b50a734539bf0e48eec6bec4';
const BATCH = '85c5a3cd3c3f9a71b94e6401754cd3e0';
const COMPARE = 'traceLens.compareTraces';

/**
 * The document of the visible webview whose page has `selector` (the search results and a trace
 * panel are side by side, so "the" webview is ambiguous).
 */
async function webviewWith(page, selector) {
  return waitUntil(
    `a webview showing ${selector}`,
    async () => {
      const frames = page.locator('iframe.webview.ready');
      const n = await frames.count();
      for (let k = 0; k < n; k++) {
        const doc = page.frameLocator('iframe.webview.ready').nth(k).frameLocator('#active-frame');
        if (
          await doc
            .locator(selector)
            .first()
            .isVisible()
            .catch(() => false)
        )
          return doc;
      }
      return undefined;
    },
    { timeoutMs: UI_TIMEOUT },
  );
}

/** Runs QUERY over the last 7 days from the Trace Search view, as a person does. */
async function searchFromSideBar(page) {
  await command('workbench.view.extension.traceLens');
  const pane = page.locator('.part.sidebar .pane').filter({
    has: page.locator('.pane-header', { hasText: 'Trace Search' }),
  });
  const header = pane.locator('.pane-header');
  await header.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  await header.hover();
  await header.locator('.action-label[aria-label="Search…"]').click();
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await waitUntil('the TraceQL search box', async () =>
    /Search Traces \(TraceQL\)/.test(await widget.innerText()),
  );
  await input.fill(QUERY);
  const run = widget.locator('.monaco-list-row').filter({ hasText: 'Search' }).first();
  await waitUntil('the "Search" row for the query', async () => (await run.innerText()).includes(QUERY));
  await run.click();
  const range = widget.locator('.monaco-list-row', { hasText: 'Last 7 days' }).first();
  await range.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await range.click();
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  return pane;
}

describe('Search results panel (issue 14, item 3)', function () {
  after(async () => {
    await host('unstubCommand', { command: COMPARE }).catch(() => undefined);
    if (e2e.searchViewport) await e2e.page.setViewportSize(e2e.searchViewport).catch(() => undefined);
  });

  it('a search opens the results panel: query, range, table and scatter plot; a point opens the trace', async function () {
    const { page } = e2e;
    await resetWorkbench();
    const normal = page.viewportSize();
    e2e.searchViewport = normal ?? undefined;
    const searches = () => e2e.tempo.requests.filter((r) => r.path === '/api/search').length;
    const before = searches();
    const pane = await searchFromSideBar(page);

    // The panel opens in the editor area with the query and what was found.
    const doc = await webviewWith(page, '[data-testid="search-view"]');
    const countText = () =>
      doc
        .locator('[data-testid="search-count"]')
        .innerText()
        .catch(() => '');
    const count = await waitUntil('the results to show', async () => {
      const m = /^(\d+) traces$/.exec(await countText());
      return m ? Number(m[1]) : undefined;
    });
    assert.ok(count >= AT_LEAST, `${count} traces`);
    e2e.searchFound = count;
    assert.equal(await doc.locator('[data-testid="search-query"]').innerText(), QUERY);
    assert.match(await doc.locator('[data-testid="search-range"]').innerText(), /^Last 7 days \(/);
    assert.equal(await doc.locator('[data-testid="search-backend"]').innerText(), 'Tempo');
    assert.equal(searches(), before + 1);
    const request = e2e.tempo.requests.filter((r) => r.path === '/api/search').at(-1);
    assert.equal(new URLSearchParams(request.query).get('limit'), '100', 'traceLens.search.limit by default');
    const tabs = await host('tabs');
    assert.ok(
      tabs.some((t) => t.viewType?.endsWith('traceLens.searchResults') && t.label === `Search: ${QUERY}`),
      JSON.stringify(tabs),
    );
    assert.equal(await doc.locator('.tl-sr-dot').count(), count, 'a point per trace');
    // Newest first: the trace whose start is latest in what the backend answered (asked again here
    // with the same parameters; the fake places traces at recent times, one per trace).
    const answered = await (await fetch(`${e2e.tempo.url}/api/search${request.query}`)).json();
    const newest = answered.traces.reduce((a, b) =>
      BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? b : a,
    );
    const first = doc.locator('.tl-sr-scroll .tl-sr-row:not([hidden])').first();
    await waitUntil(
      'the newest trace first',
      async () => (await first.getAttribute('data-trace-id')) === newest.traceID.padStart(32, '0'),
    );
    // The 2.0.1 fake sends no span or error counts: they say "–", never 0.
    const batch = doc.locator(`.tl-sr-scroll .tl-sr-row[data-trace-id="${BATCH}"]`);
    assert.equal(await batch.locator('.tl-sr-service').innerText(), 'batch-api');
    assert.equal(await batch.locator('.tl-sr-name').innerText(), 'POST /batches');
    assert.deepEqual(await batch.locator('.tl-sr-num').allInnerTexts(), ['6.12 s', '–', '–', '1,943']);

    // The side bar keeps the search as history, its traces under it.
    const runItem = pane.locator('.monaco-list-row', { hasText: QUERY });
    await runItem.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await runItem.first().innerText(), new RegExp(`Last 7 days · ${count} traces`));
    await page.mouse.move(5, 5);
    await screenshot('search-a-results-wide');

    // Sort by duration: the 698 s trace (my.service) first.
    await doc.locator('.tl-sr-h-duration button').click();
    await waitUntil('sorted by duration', async () =>
      /my\.service/.test(await doc.locator('.tl-sr-scroll .tl-sr-row:not([hidden])').first().innerText()),
    );
    assert.equal(await doc.locator('.tl-sr-h-duration').getAttribute('aria-sort'), 'descending');

    // A click on the workflow trace's point opens it beside the results, at its first matched span.
    const dot = doc.locator(`.tl-sr-dot[data-trace-id="${WORKFLOW}"]`);
    const box = await dot.boundingBox();
    assert.ok(box, 'the workflow trace has a point');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitUntil('the trace panel to open', async () =>
      (await host('tabs')).some(
        (t) => t.viewType?.endsWith('traceLens.trace') && t.label.includes(WORKFLOW.slice(0, 8)),
      ),
    );
    const trace = await webviewWith(page, '.tl-row');
    await waitUntil(
      'the trace to show its six spans',
      async () =>
        (await trace.locator('#tl-header [data-testid="span-count"]').innerText()).replace(/\D/g, '') === '6',
    );
    const groups = new Map((await host('tabs')).map((t) => [t.viewType?.split('.').pop(), t.group]));
    assert.notEqual(groups.get('searchResults'), groups.get('trace'), 'the trace opens beside the results');
    assert.ok(await trace.locator('#tl-detail').isVisible(), 'at its first matched span');

    // At ~540 px per column (no side bar), the results stay readable.
    await command('workbench.action.closeSidebar');
    await page.setViewportSize({ width: 1130, height: 760 });
    await waitUntil('the results panel to be about 540 px wide', async () => {
      const w = await doc.locator('[data-testid="search-view"]').evaluate((el) => el.clientWidth);
      return w > 480 && w < 600;
    });
    await page.mouse.move(5, 5);
    await screenshot('search-b-narrow-with-trace');
    if (normal) await page.setViewportSize(normal);
    await command('workbench.view.extension.traceLens');
  });

  it('Compare sends the two picked traces to traceLens.compareTraces; Run Again and the history reopen the search', async function () {
    const { page } = e2e;
    // Until the comparison view exists, Compare is offered disabled, saying why.
    let doc = await webviewWith(page, '[data-testid="search-view"]');
    const compare = doc.locator('[data-testid="search-compare"]');
    const stubbed = await host('stubCommand', { command: COMPARE });
    if (stubbed) {
      // The command was not registered before the results were posted.
      assert.equal(await compare.getAttribute('aria-disabled'), 'true');
      assert.match(await compare.getAttribute('title'), /not available/);
    }
    // Run Again: a new request, and the panel learns that the command is there now.
    const before = e2e.tempo.requests.filter((r) => r.path === '/api/search').length;
    await doc.locator('[data-testid="search-again"]').click();
    await waitUntil(
      'the search to run again',
      async () => e2e.tempo.requests.filter((r) => r.path === '/api/search').length === before + 1,
    );
    await waitUntil('Compare to wait for two picks', async () =>
      /Pick two traces/.test((await compare.getAttribute('title')) ?? ''),
    );
    await doc.locator(`.tl-sr-row[data-trace-id="${WORKFLOW}"] .tl-sr-check`).click();
    await doc.locator(`.tl-sr-row[data-trace-id="${BATCH}"] .tl-sr-check`).click();
    assert.deepEqual(await doc.locator('.tl-sr-pick-label').allTextContents(), ['A', 'B']);
    assert.equal(await compare.getAttribute('aria-disabled'), 'false');
    await page.mouse.move(5, 5);
    await screenshot('search-c-picked');
    await compare.click();
    if (stubbed) {
      const calls = await waitUntil('traceLens.compareTraces to be called', async () => {
        const c = await host('stubCalls', { command: COMPARE });
        return c?.length ? c : undefined;
      });
      assert.deepEqual(calls, [[{ traceId: WORKFLOW }, { traceId: BATCH }]]);
    } else {
      // The comparison view is there: it opens.
      await waitUntil('a comparison to open', async () =>
        (await host('tabs')).some((t) => /Compare/.test(t.label)),
      );
    }

    // The history: closing the panel and clicking the search in the side bar shows it again.
    await command('workbench.action.closeAllEditors');
    await waitUntil('every editor to close', async () => (await host('tabs')).length === 0);
    await command('workbench.view.extension.traceLens');
    const runItem = page.locator('.part.sidebar .pane .monaco-list-row', { hasText: QUERY }).first();
    await runItem.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await runItem.click();
    doc = await webviewWith(page, '[data-testid="search-view"]');
    const again = doc.locator('[data-testid="search-count"]');
    await waitUntil(
      'the results again',
      async () => (await again.innerText().catch(() => '')) === `${e2e.searchFound} traces`,
    );
    await resetWorkbench();
  });
});
