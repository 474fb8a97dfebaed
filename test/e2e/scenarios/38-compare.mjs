// Issue 13 item 5: traceLens.compareTraces with two trace references, in a real VS Code, on the
// demo system's traces (issue 11). The workflow against the batch: no operation shared, so every
// one is new or gone and B's waterfall marks its spans as new. The local workflow against the
// team's (the same system, run elsewhere, found through the configured Tempo backend): the same
// operations on both sides, so the Δ columns have numbers. Loaded after 37-flame.mjs, before
// 60-local.mjs clears the store.
import assert from 'node:assert/strict';
import { command, e2e, screenshot, waitUntil } from '../context.mjs';
import { UI_TIMEOUT, readText, resetWorkbench, waitForTraceRows } from '../workbench.mjs';

/* global describe, it, before, afterEach */

const WORKFLOW_SPANS = 16;
const BATCH_SPANS = 2002;
/** A signed duration as the comparison writes it: `+12 ms`, `−3.1 s`, `±0`. */
const SIGNED = /^(±0|[+−]\d+(\.\d+)? ?(ns|µs|ms|s|min|h))$/;

/** Opens the comparison of A and B and waits for B's waterfall. */
async function compare(a, b, spansOfB) {
  const { page } = e2e;
  await command('traceLens.compareTraces', a, b);
  const tab = page.locator('.tabs-container .tab', { hasText: `Compare ${a.traceId.slice(0, 8)}` });
  await tab.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  // The views show B.
  return waitForTraceRows(page, spansOfB);
}

/** The comparison table's rows as the cells' text. */
async function compareTable(doc) {
  const rows = doc.locator('[data-testid="compare-row"]');
  await rows.first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  return rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())),
  );
}

describe('Trace comparison (Playwright)', function () {
  this.timeout(120000);
  let workflow = '';
  let batch = '';
  let team = '';

  before(function () {
    workflow = e2e.demo.workflowTraceId;
    batch = e2e.demo.batchTraceId;
    team = e2e.team.workflowTraceId;
    for (const id of [workflow, batch, team]) assert.match(id, /^[0-9a-f]{32}$/);
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && e2e.page) {
      await screenshot(`FAILED-${this.currentTest.title}`).catch(() => undefined);
    }
  });

  it('38. comparing the workflow with the batch lists the operations of both and badges B’s spans new', async function () {
    await resetWorkbench();
    const { doc } = await compare({ traceId: workflow }, { traceId: batch }, BATCH_SPANS);
    const badge = doc.locator('.tl-row:not([hidden]) .tl-duration[data-delta="new"]');
    await waitUntil('B’s spans to carry the “new” badge', async () => (await badge.count()) > 0);
    await screenshot('38-compare-waterfall');

    await doc.locator('[data-testid="tab-compare"]').click();
    const table = await compareTable(doc);
    const summary = await readText(doc.locator('[data-testid="compare-summary"]'));
    // The batch's four operations are new; every one of the workflow's is gone.
    assert.match(summary, /4 new in B/, summary);
    const gone = Number(/(\d+) gone from A/.exec(summary)?.[1]);
    assert.equal(gone, table.length - 4, `the workflow's operations are gone from A: ${summary}`);
    const ops = table.map((r) => r[0]);
    for (const op of ['batch-api: item.process', 'batch-api: UPDATE items', 'data-fetch: GET'])
      assert.ok(
        ops.some((o) => o.includes(op)),
        `${op} is listed: ${ops.join(' | ')}`,
      );
    await screenshot('38-compare');
    const rows = doc.locator('[data-testid="compare-row"]');
    await rows.filter({ hasText: 'item.process' }).first().click();
    const set = doc.locator('[data-testid="span-set"]');
    await set.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await set.innerText(), /batch-api: item\.process/);
  });

  it('38b. comparing the local workflow with the team’s: the same operations, and the Δ columns have numbers', async function () {
    await resetWorkbench();
    // A from the extension's store, B through the configured Tempo backend (the team's receiver).
    const { doc } = await compare({ traceId: workflow }, { traceId: team }, WORKFLOW_SPANS);
    await doc.locator('[data-testid="tab-compare"]').click();
    const table = await compareTable(doc);
    const summary = await readText(doc.locator('[data-testid="compare-summary"]'));
    assert.match(summary, new RegExp(`${table.length} operations, 0 new in B, 0 gone from A`), summary);
    assert.match(summary, /B took [+−±]/, summary);
    const [sideA, sideB] = await doc.locator('.tl-cmp-side').allInnerTexts();
    assert.match(sideA, new RegExp(`A.*${workflow.slice(0, 16)}.*16 spans.*local store`, 's'), sideA);
    assert.match(sideB, new RegExp(`B.*${team.slice(0, 16)}.*16 spans`, 's'), sideB);
    assert.doesNotMatch(sideB, /local store/, `B came from the team backend: ${sideB}`);
    // Columns: operation, count A, count B, avg A, avg B, total A, total B, Δ total, Δ self.
    for (const r of table) {
      assert.equal(r[1], r[2], `${r[0]}: as many spans in A as in B`);
      for (const cell of r.slice(3, 7)) assert.match(cell, /^\d/, `${r[0]}: durations on both sides`);
      assert.match(r[7], SIGNED, `${r[0]}: Δ total is a number`);
      assert.match(r[8], SIGNED, `${r[0]}: Δ self is a number`);
    }
    const get = table.find((r) => r[0].endsWith('data-fetch: GET'));
    assert.ok(get, `the partner GET is compared: ${table.map((r) => r[0]).join(' | ')}`);
    assert.deepEqual([get[1], get[2]], ['3', '3'], 'three pages on each side');
    await screenshot('38-compare-team');
    // A row shows B's spans of that operation in the waterfall.
    await doc.locator('[data-testid="compare-row"]', { hasText: 'data-fetch: GET' }).first().click();
    const set = doc.locator('[data-testid="span-set"]');
    await set.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    assert.match(await set.innerText(), /data-fetch: GET/);
  });
});
