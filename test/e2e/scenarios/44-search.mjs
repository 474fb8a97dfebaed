// Issue 14 item 3, "Search results worth reading": a TraceQL search from the Trace Search view
// opens the results panel (query, range, a sortable table, a duration-over-time scatter plot), a
// point opens its trace beside it, two picked rows go to `traceLens.compareTraces`, Run Again
// finds what arrived since, and the side bar keeps the search as history. On real telemetry (issue
// 11): the extension's local store answers through its Tempo API, with span and error counts, and
// every figure the panel shows is checked against what that server answers to the same query.
// Loaded by run.mjs after 40-source.mjs; `TL_ONLY=search` runs it alone.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { command, e2e, host, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, localStoreUrl, resetWorkbench, sameDuration, serverSearch } from '../workbench.mjs';
import { runDemoSystem } from '../../../scripts/demoSystem.mjs';

/* global describe, it, after */

const QUERY = '{ duration > 1ms }';
const WEEK = 7 * 24 * 3600;
const COMPARE = 'traceLens.compareTraces';
/** The demo workflow's spans. */
const WORKFLOW_SPANS = 16;

/** What a row's numbers say for a search hit: spans and errors summed over its services, matched spans. */
function expectedNumbers(hit) {
  const stats = Object.values(hit.serviceStats ?? {});
  const sum = (key) => stats.reduce((n, s) => n + (s[key] ?? 0), 0).toLocaleString('en-US');
  const matched = (hit.spanSets?.[0] ?? hit.spanSet)?.matched ?? 0;
  return [sum('spanCount'), sum('errorCount'), matched.toLocaleString('en-US')];
}

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

/** The rows the table shows now, top to bottom: trace IDs. */
function shownOrder(doc) {
  return doc.locator('.tl-sr-scroll .tl-sr-row:not([hidden])').evaluateAll((rows) =>
    rows
      .map((r) => ({
        id: r.dataset.traceId,
        y: Number(/translateY\(([\d.]+)px\)/.exec(r.style.transform)?.[1] ?? 0),
      }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.id),
  );
}

/** The count the panel says, once the search is done. */
async function shownCount(doc) {
  return waitUntil('the results to show', async () => {
    const text = await doc
      .locator('[data-testid="search-count"]')
      .innerText()
      .catch(() => '');
    const m = /^(\d+) traces?$/.exec(text.replace(/,/g, ''));
    return m ? Number(m[1]) : undefined;
  });
}

describe('Search results panel on the local store (issue 14, item 3; issue 11)', function () {
  this.timeout(240000);
  /** The server's answer to QUERY when the panel first showed it. */
  let answer;
  /** The workflow and the batch the runner's demo run put in the store. */
  let workflow = '';
  let batch = '';

  after(async () => {
    await host('unstubCommand', { command: COMPARE }).catch(() => undefined);
    if (e2e.searchViewport) await e2e.page.setViewportSize(e2e.searchViewport).catch(() => undefined);
    await command('traceLens.chooseQueryBackend', 'auto').catch(() => undefined);
  });

  it('a search opens the results panel: query, range, table and scatter plot with what the server answered; a point opens the trace', async function () {
    const { page } = e2e;
    workflow = e2e.demo.workflowTraceId;
    batch = e2e.demo.batchTraceId;
    assert.match(workflow, /^[0-9a-f]{32}$/);
    assert.match(batch, /^[0-9a-f]{32}$/);
    await resetWorkbench();
    const normal = page.viewportSize();
    e2e.searchViewport = normal ?? undefined;
    // The extension's own store answers (a real Tempo API, with span and error counts).
    await command('traceLens.chooseQueryBackend', 'local');
    const pane = await searchFromSideBar(page);

    // The panel opens in the editor area with the query and what was found.
    const doc = await webviewWith(page, '[data-testid="search-view"]');
    const count = await shownCount(doc);
    // The same query asked of the same server: what the panel must show.
    answer = await serverSearch(localStoreUrl(), QUERY, { seconds: WEEK });
    assert.equal(count, answer.traces.length, 'as many traces as the server answered');
    for (const id of [workflow, batch]) {
      assert.ok(
        answer.traces.some((t) => t.traceID === id),
        `the server finds the demo's ${id === batch ? 'batch' : 'workflow'}`,
      );
    }
    e2e.searchFound = count;
    assert.equal(await doc.locator('[data-testid="search-query"]').innerText(), QUERY);
    assert.match(await doc.locator('[data-testid="search-range"]').innerText(), /^Last 7 days \(/);
    assert.equal(await doc.locator('[data-testid="search-backend"]').innerText(), 'local store');
    const tabs = await host('tabs');
    assert.ok(
      tabs.some((t) => t.viewType?.endsWith('traceLens.searchResults') && t.label === `Search: ${QUERY}`),
      JSON.stringify(tabs),
    );
    assert.equal(await doc.locator('.tl-sr-dot').count(), count, 'a point per trace');

    // Newest first: a trace whose start is the latest the server answered.
    const newest = answer.traces.reduce((a, b) =>
      BigInt(b.startTimeUnixNano) > BigInt(a.startTimeUnixNano) ? b : a,
    );
    const first = await waitUntil('the rows to be drawn', async () => (await shownOrder(doc))[0]);
    const firstHit = answer.traces.find((t) => t.traceID === first);
    assert.ok(firstHit, `the first row ${first} is a trace the server answered`);
    assert.equal(firstHit.startTimeUnixNano, newest.startTimeUnixNano, 'the newest trace is first');

    // Each row says what the server said: root service and name, duration, spans, errors, matched.
    for (const id of [batch, workflow]) {
      const hit = answer.traces.find((t) => t.traceID === id);
      const row = doc.locator(`.tl-sr-scroll .tl-sr-row[data-trace-id="${id}"]`);
      assert.equal(await row.locator('.tl-sr-service').innerText(), hit.rootServiceName);
      assert.equal(await row.locator('.tl-sr-name').innerText(), hit.rootTraceName);
      const [duration, ...numbers] = await row.locator('.tl-sr-num').allInnerTexts();
      assert.ok(sameDuration(duration, hit.durationMs), `${duration} is ${hit.durationMs} ms`);
      assert.deepEqual(numbers, expectedNumbers(hit), `the counts of ${hit.rootTraceName}`);
    }
    // Facts of the demo: the batch's 2,002 spans, a few failing; the workflow's 16, its mail refused.
    const batchRow = doc.locator(`.tl-sr-scroll .tl-sr-row[data-trace-id="${batch}"]`);
    assert.equal(await batchRow.locator('.tl-sr-service').innerText(), 'batch-api');
    assert.equal(await batchRow.locator('.tl-sr-name').innerText(), 'POST /batches');
    const [, batchSpans, batchErrors] = await batchRow.locator('.tl-sr-num').allInnerTexts();
    assert.equal(batchSpans, '2,002');
    assert.ok(Number(batchErrors) > 0, `some items failed: ${batchErrors}`);
    assert.match(
      (await batchRow.locator('.tl-sr-c-errors').getAttribute('class')) ?? '',
      /\btl-sr-has-errors\b/,
    );
    const workflowRow = doc.locator(`.tl-sr-scroll .tl-sr-row[data-trace-id="${workflow}"]`);
    assert.equal((await workflowRow.locator('.tl-sr-num').allInnerTexts())[1], String(WORKFLOW_SPANS));

    // The side bar keeps the search as history, its traces under it.
    const runItem = pane.locator('.monaco-list-row', { hasText: QUERY });
    await runItem.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await runItem.first().innerText(), new RegExp(`Last 7 days · ${count} traces?`));
    await page.mouse.move(5, 5);
    await screenshot('search-a-results-wide');

    // Sort by duration: the longest trace the server answered first.
    const longest = answer.traces.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    await doc.locator('.tl-sr-h-duration button').click();
    await waitUntil('sorted by duration', async () => (await shownOrder(doc))[0] === longest.traceID);
    assert.equal(await doc.locator('.tl-sr-h-duration').getAttribute('aria-sort'), 'descending');

    // A click on the workflow trace's point opens it beside the results, at its first matched span.
    const dot = doc.locator(`.tl-sr-dot[data-trace-id="${workflow}"]`);
    const box = await dot.boundingBox();
    assert.ok(box, 'the workflow trace has a point');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitUntil('the trace panel to open', async () =>
      (await host('tabs')).some(
        (t) => t.viewType?.endsWith('traceLens.trace') && t.label.includes(workflow.slice(0, 8)),
      ),
    );
    const trace = await webviewWith(page, '.tl-row');
    await waitUntil(
      `the trace to show its ${WORKFLOW_SPANS} spans`,
      async () =>
        (await trace.locator('#tl-header [data-testid="span-count"]').innerText()).replace(/\D/g, '') ===
        String(WORKFLOW_SPANS),
    );
    const groups = new Map((await host('tabs')).map((t) => [t.viewType?.split('.').pop(), t.group]));
    assert.notEqual(groups.get('searchResults'), groups.get('trace'), 'the trace opens beside the results');
    const matchedFirst = (answer.traces.find((t) => t.traceID === workflow).spanSets?.[0]?.spans ?? [])[0]
      ?.spanID;
    await waitUntil(
      'the first matched span in the detail',
      async () =>
        (await trace
          .locator('#tl-detail [data-testid="detail-span-id"] code')
          .innerText()
          .catch(() => '')) === matchedFirst,
    );

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

  it('Run Again finds a workflow that ran since; Compare sends the two picked traces to traceLens.compareTraces; the history reopens the search', async function () {
    const { page } = e2e;
    let doc = await webviewWith(page, '[data-testid="search-view"]');
    const compare = doc.locator('[data-testid="search-compare"]');
    // Until the comparison view exists, Compare is offered disabled, saying why.
    const stubbed = await host('stubCommand', { command: COMPARE });
    if (stubbed) {
      // The command was not registered before the results were posted.
      assert.equal(await compare.getAttribute('aria-disabled'), 'true');
      assert.match(await compare.getAttribute('title'), /not available/);
    }
    // The demo system runs its workflow once more, into the extension's receiver.
    const run = await runDemoSystem({
      workspace: join(e2e.workspace, 'demo'),
      endpoint: `http://127.0.0.1:${e2e.receiverPorts.http}`,
      once: ['workflow'],
    });
    assert.ok(run.exported, 'the new run exported every span');
    const fresh = run.traces.find((t) => t.kind === 'workflow')?.traceId;
    assert.match(fresh ?? '', /^[0-9a-f]{32}$/);
    const now = await waitUntil('the server to hold the new workflow', async () => {
      const a = await serverSearch(localStoreUrl(), QUERY, { seconds: WEEK });
      return a.traces.some((t) => t.traceID === fresh) ? a : undefined;
    });
    // Run Again: the new workflow is listed, and the panel learns that the command is there now.
    await doc.locator('[data-testid="search-again"]').click();
    await waitUntil(
      'the search to run again and list the new workflow',
      async () => (await doc.locator(`.tl-sr-row[data-trace-id="${fresh}"]`).count()) === 1,
      { timeoutMs: UI_TIMEOUT },
    );
    assert.equal(await shownCount(doc), now.traces.length, 'as many traces as the server holds now');
    e2e.searchFound = now.traces.length;
    await waitUntil('Compare to wait for two picks', async () =>
      /Pick two traces/.test((await compare.getAttribute('title')) ?? ''),
    );
    await doc.locator(`.tl-sr-row[data-trace-id="${workflow}"] .tl-sr-check`).click();
    await doc.locator(`.tl-sr-row[data-trace-id="${batch}"] .tl-sr-check`).click();
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
      assert.deepEqual(calls, [[{ traceId: workflow }, { traceId: batch }]]);
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
    await waitUntil('the results again', async () => (await shownCount(doc)) === e2e.searchFound);
    assert.equal(await doc.locator(`.tl-sr-row[data-trace-id="${fresh}"]`).count(), 1);
    await resetWorkbench();
  });
});
