/**
 * The search results view (a webview whose subject is a search): the query and range, sorting,
 * picking two rows and Compare, the scatter plot's click, the keyboard, 1,000 rows, hostile text.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { SearchPayload, SearchRow } from '../../src/shared/protocol';
import { launchBrowser, openView, type View } from './helpers/harness';

const T0 = Date.UTC(2026, 11, 7, 12, 0, 0);
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const id = (n: number) => hex(0xabc0000 + n, 32);

function row(n: number, over: Partial<SearchRow> = {}): SearchRow {
  return {
    traceId: id(n),
    startMs: T0 + n * 60_000,
    durationMs: 100 + n * 10,
    rootService: 'checkout',
    rootName: `POST /order/${n}`,
    spanCount: 10 + n,
    errorCount: 0,
    matched: 1,
    spanId: hex(0x1000 + n, 16),
    ...over,
  };
}

const ROWS: SearchRow[] = [
  row(1, { durationMs: 5200, errorCount: 2, rootService: 'workflow-engine', rootName: 'workflow.execute' }),
  row(2, { durationMs: 80, rootService: 'api', rootName: 'GET /health' }),
  row(3, { durationMs: 1200, spanCount: null, errorCount: null }),
  row(4, { durationMs: 350, rootService: '', rootName: '' }),
];

function search(over: Partial<SearchPayload> = {}): SearchPayload {
  return {
    query: '{ resource.service.name = "checkout" }',
    rangeLabel: 'Last 1 hour',
    start: T0 / 1000,
    end: T0 / 1000 + 3600,
    backendName: 'Tempo (127.0.0.1:3200)',
    status: 'done',
    limit: 100,
    rows: ROWS,
    canCompare: false,
    ...over,
  };
}

/** Trace IDs of the rendered rows, top to bottom. */
function shownIds(view: View): Promise<string[]> {
  return view.page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.tl-sr-scroll .tl-sr-row:not([hidden])'))
      .map((r) => ({ y: r.getBoundingClientRect().top, id: r.dataset.traceId ?? '' }))
      .sort((a, b) => a.y - b.y)
      .map((r) => r.id),
  );
}

async function open(browser: Browser, s: SearchPayload, width = 1100, height = 700): Promise<View> {
  const view = await openView(browser, { search: s }, { width, height });
  await view.page.waitForSelector('[data-testid="search-view"]');
  if (s.status === 'done' && s.rows.length > 0) await view.page.waitForSelector('.tl-sr-scroll .tl-sr-row');
  await view.frames();
  return view;
}

describe('webview: search results', () => {
  let browser: Browser;
  let view: View | undefined;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    if (!view) return;
    assert.deepEqual(await view.cspViolations(), []);
    assert.deepEqual(view.consoleErrors, []);
    await view.close();
    view = undefined;
  });

  it('says it is loading search results, not a trace, until the host answers', async () => {
    // The page as the search panel writes it, before any message: no `init` yet.
    view = await openView(
      browser,
      { search: search(), autoInit: false },
      { subject: 'search', waitForRows: false },
    );
    const status = view.page.locator('[data-testid="loading"]');
    await status.waitFor();
    assert.equal(await status.locator('.tl-status-title').textContent(), 'Loading search results…');
    assert.equal(await status.locator('.tl-status-detail').count(), 0, 'no trace ID under the title');
  });

  it('shows the query, range and backend, and the rows newest first', async () => {
    view = await open(browser, search());
    const p = view.page;
    assert.equal(
      await p.textContent('[data-testid="search-query"]'),
      '{ resource.service.name = "checkout" }',
    );
    assert.match(
      (await p.textContent('[data-testid="search-range"]')) ?? '',
      /^Last 1 hour \(\d\d:\d\d – \d\d:\d\d\)$/,
    );
    assert.equal(await p.textContent('[data-testid="search-backend"]'), 'Tempo (127.0.0.1:3200)');
    assert.equal(await p.textContent('[data-testid="search-count"]'), '4 traces');
    assert.deepEqual(await shownIds(view), [id(4), id(3), id(2), id(1)]);
    const first = p.locator(`.tl-sr-row[data-trace-id="${id(1)}"]`);
    assert.equal(await first.locator('.tl-sr-service').textContent(), 'workflow-engine');
    assert.equal(await first.locator('.tl-sr-name').textContent(), 'workflow.execute');
    assert.equal(await first.locator('.tl-sr-c-duration').textContent(), '5.2 s');
    assert.equal(await first.locator('.tl-sr-c-errors').textContent(), '2');
    const unknown = p.locator(`.tl-sr-row[data-trace-id="${id(3)}"]`);
    assert.deepEqual(await unknown.locator('.tl-sr-num').allTextContents(), ['1.2 s', '–', '–', '1']);
    assert.equal(
      await p.locator(`.tl-sr-row[data-trace-id="${id(4)}"] .tl-sr-service`).textContent(),
      'root span missing',
    );
    assert.equal(await p.locator('.tl-sr-dot').count(), 4);
    assert.equal(await p.locator('.tl-sr-dot.tl-sr-error').count(), 1);
    await view.screenshot('search-wide');
    // Log scale: the 80 ms trace leaves the bottom line (5.2 s flattens it there on a linear axis).
    const cy = () =>
      p.locator(`.tl-sr-dot[data-trace-id="${id(2)}"]`).evaluate((c) => Number(c.getAttribute('cy')));
    const linear = await cy();
    await p.click('[data-testid="search-log"]');
    assert.equal(await p.getAttribute('[data-testid="search-log"]', 'aria-pressed'), 'true');
    assert.ok((await cy()) < linear - 30, `${await cy()} vs ${linear}`);
    assert.deepEqual(
      await p.locator('.tl-sr-label').evaluateAll((ls) => ls.slice(0, 3).map((l) => l.textContent)),
      ['10 ms', '100 ms', '1 s'],
    );
    await view.screenshot('search-wide-log');
  });

  it('sorts by a column header, both ways, and says so to assistive technology', async () => {
    view = await open(browser, search());
    const p = view.page;
    const header = p.locator('.tl-sr-h-duration');
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await shownIds(view), [id(1), id(3), id(4), id(2)]);
    await header.locator('button').click();
    assert.equal(await header.getAttribute('aria-sort'), 'ascending');
    assert.deepEqual(await shownIds(view), [id(2), id(4), id(3), id(1)]);
    assert.equal(await p.locator('.tl-sr-h-start').getAttribute('aria-sort'), 'none');
    await p.locator('.tl-sr-h-spans button').click();
    // The backend did not say for trace 3: last, whichever way.
    assert.deepEqual(await shownIds(view), [id(4), id(2), id(1), id(3)]);
  });

  it('a row click and a point click open the trace at its first matched span', async () => {
    view = await open(browser, search());
    const p = view.page;
    await p.locator(`.tl-sr-row[data-trace-id="${id(2)}"] .tl-sr-c-root`).click();
    assert.deepEqual((await view.postedOfType('openTrace')).at(-1), {
      type: 'openTrace',
      traceId: id(2),
      spanId: hex(0x1002, 16),
    });
    // The point of trace 1 (the longest, so the highest): hover shows what it is, a click opens it.
    const dot = p.locator('.tl-sr-dot[data-row="0"]');
    const box = (await dot.boundingBox())!;
    await p.mouse.move(box.x + box.width / 2 + 2, box.y + box.height / 2 + 1);
    await p.waitForSelector('.tl-sr-tip:not([hidden])');
    assert.match((await p.textContent('.tl-sr-tip')) ?? '', /workflow-engine · workflow\.execute5\.2 s/);
    assert.ok(await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"].tl-sr-hot`).count(), 'its row lights up');
    await p.mouse.click(box.x + box.width / 2 + 2, box.y + box.height / 2 + 1);
    assert.deepEqual((await view.postedOfType('openTrace')).at(-1), {
      type: 'openTrace',
      traceId: id(1),
      spanId: hex(0x1001, 16),
    });
    assert.ok(
      await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"].tl-sr-cursor`).count(),
      'the table follows',
    );
    // Far from every point: nothing.
    const plot = (await p.locator('.tl-sr-svg').boundingBox())!;
    const before = (await view.postedOfType('openTrace')).length;
    await p.mouse.click(plot.x + 60, plot.y + 12);
    assert.equal((await view.postedOfType('openTrace')).length, before);
  });

  it('picks two rows for Compare (A then B), which is offered only when the host has the command', async () => {
    view = await open(browser, search());
    const p = view.page;
    const compare = p.locator('[data-testid="search-compare"]');
    assert.equal(await compare.getAttribute('aria-disabled'), 'true');
    assert.match((await compare.getAttribute('title')) ?? '', /not available/);
    await p.locator(`.tl-sr-row[data-trace-id="${id(2)}"] .tl-sr-check`).click();
    await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"] .tl-sr-check`).click();
    assert.equal(await p.locator(`.tl-sr-row[data-trace-id="${id(2)}"] .tl-sr-badge`).textContent(), 'A');
    assert.equal(await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"] .tl-sr-badge`).textContent(), 'B');
    assert.deepEqual(await p.locator('.tl-sr-pick-label').allTextContents(), ['A', 'B']);
    assert.equal((await view.postedOfType('openTrace')).length, 0, 'a checkbox does not open the trace');
    // aria-disabled (it keeps its tooltip): a forced click still sends nothing.
    await compare.click({ force: true });
    assert.equal((await view.postedOfType('compareTraces')).length, 0, 'disabled: nothing is sent');

    // The host has the command: the same picks are compared.
    await view.send({ type: 'search', search: search({ canCompare: true }) });
    await view.frames();
    assert.equal(await compare.getAttribute('aria-disabled'), 'false');
    assert.match((await compare.getAttribute('title')) ?? '', /^Compare A \(00000000\) with B \(00000000\)$/);
    await compare.click();
    assert.deepEqual(await view.postedOfType('compareTraces'), [
      { type: 'compareTraces', a: { traceId: id(2) }, b: { traceId: id(1) } },
    ]);
    // One picked: nothing to compare.
    await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"] .tl-sr-check`).click();
    assert.equal(await compare.getAttribute('aria-disabled'), 'true');
    assert.match((await compare.getAttribute('title')) ?? '', /Pick two traces/);
  });

  it('works from the keyboard: arrows, Home/End, Space picks, Enter opens, Escape unpicks', async () => {
    view = await open(browser, search({ canCompare: true }));
    const p = view.page;
    await p.focus('[data-testid="search-rows"]');
    assert.equal(
      await p.getAttribute('#tl-sr-cursor', 'data-trace-id'),
      id(4),
      'focus lands on the first row',
    );
    await p.keyboard.press('ArrowDown');
    assert.equal(await p.getAttribute('#tl-sr-cursor', 'data-trace-id'), id(3));
    await p.keyboard.press('ArrowUp');
    await p.keyboard.press('Space');
    await p.keyboard.press('End');
    assert.equal(await p.getAttribute('#tl-sr-cursor', 'data-trace-id'), id(1));
    await p.keyboard.press('Space');
    assert.equal(await p.getAttribute('[data-testid="search-compare"]', 'aria-disabled'), 'false');
    await p.keyboard.press('ArrowUp');
    await p.keyboard.press('Enter');
    assert.deepEqual((await view.postedOfType('openTrace')).at(-1), {
      type: 'openTrace',
      traceId: id(2),
      spanId: hex(0x1002, 16),
    });
    assert.equal(
      await p.getAttribute('[data-testid="search-rows"]', 'aria-activedescendant'),
      'tl-sr-cursor',
    );
    await p.keyboard.press('Escape');
    assert.equal(await p.locator('.tl-sr-row.tl-sr-picked').count(), 0);
    await p.keyboard.press('Home');
    assert.equal(await p.getAttribute('#tl-sr-cursor', 'data-trace-id'), id(4));
  });

  it('1,000 results: only the rows in view exist, the end scrolls into view, every trace is a point', async () => {
    const many = Array.from({ length: 1000 }, (_, k) =>
      row(k, {
        startMs: T0 + k * 3_000,
        durationMs: 20 + ((k * 7919) % 3000),
        errorCount: k % 50 === 0 ? 1 : 0,
      }),
    );
    view = await open(browser, search({ rows: many, limit: 1000 }));
    const p = view.page;
    assert.equal(await p.textContent('[data-testid="search-count"]'), '1,000 traces');
    assert.match((await p.textContent('[data-testid="search-note"]')) ?? '', /first 1,000 traces only/);
    assert.equal(await p.locator('.tl-sr-dot').count(), 1000);
    const rendered = await p.locator('.tl-sr-scroll .tl-sr-row:not([hidden])').count();
    assert.ok(rendered > 5 && rendered < 80, `${rendered} rows rendered`);
    await p.focus('[data-testid="search-rows"]');
    await p.keyboard.press('End');
    await view.frames();
    assert.equal(await p.getAttribute('#tl-sr-cursor', 'data-trace-id'), id(0), 'the oldest is last');
    assert.ok(await p.locator('#tl-sr-cursor').isVisible());
    await p.locator('.tl-sr-h-duration button').click();
    await view.frames();
    const longest = many.reduce((a, b) => (b.durationMs > a.durationMs ? b : a));
    const ids = await shownIds(view);
    assert.ok(ids.includes(longest.traceId) || (await p.locator('#tl-sr-cursor').isVisible()));
    await p.evaluate(() => {
      const s = document.querySelector('[data-testid="search-rows"]')!;
      s.scrollTop = 0;
    });
    await view.frames();
    assert.equal((await shownIds(view))[0], longest.traceId);
    assert.ok((await p.locator('.tl-sr-scroll .tl-sr-row:not([hidden])').count()) < 80);
    await view.screenshot('search-1000');
  });

  it('says when nothing matched, when it failed (with Try Again), and while it runs', async () => {
    view = await open(
      browser,
      search({ rows: [], message: 'Tempo 3.0 leaves out the last ~30 s; this refreshes on its own.' }),
    );
    const p = view.page;
    await p.waitForSelector('[data-testid="search-empty"]');
    assert.match(
      (await p.textContent('[data-testid="search-empty"]')) ?? '',
      /No traces matched.*last 1 hour/,
    );
    assert.match((await p.textContent('[data-testid="search-note"]')) ?? '', /Tempo 3\.0 leaves out/);
    await view.send({
      type: 'search',
      search: search({ status: 'error', rows: [], message: 'GET /api/search → 400: parse error at line 1' }),
    });
    await p.waitForSelector('[data-testid="search-error"]');
    assert.match((await p.textContent('[data-testid="search-error"]')) ?? '', /400: parse error/);
    await p.locator('[data-testid="search-error"] button').click();
    assert.equal((await view.postedOfType('refresh')).length, 1);
    await view.send({ type: 'search', search: search({ status: 'running', rows: [] }) });
    await p.waitForSelector('[data-testid="search-running"]');
    assert.equal(await p.isVisible('.tl-sr .tl-progress'), true);
  });

  it('keeps hostile trace text as text, at 540 px', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    view = await open(
      browser,
      search({
        query: `{ name = "${evil}" }`,
        backendName: `<b>${evil}</b>`,
        rows: [row(1, { rootService: evil, rootName: '<script>window.__pwned=2</script>' }), row(2)],
      }),
      540,
      640,
    );
    const p = view.page;
    assert.equal(await p.locator('.tl-sr img, .tl-sr script, .tl-sr b').count(), 0);
    assert.equal(await p.locator(`.tl-sr-row[data-trace-id="${id(1)}"] .tl-sr-service`).textContent(), evil);
    assert.equal(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    // Narrow: the columns still fit, no horizontal scrolling.
    const overflow = await p.evaluate(() => {
      const s = document.querySelector<HTMLElement>('[data-testid="search-rows"]')!;
      return s.scrollWidth - s.clientWidth;
    });
    assert.ok(overflow <= 0, `${overflow} px too wide`);
    await view.send({ type: 'search', search: search() });
    await view.frames();
    await view.screenshot('search-narrow');
  });
});
