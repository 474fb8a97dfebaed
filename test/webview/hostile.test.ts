/**
 * Hostile trace content: markup, script breakers and javascript: URLs in every text the trace can
 * carry. They must render as text, run nothing and trip no CSP rule.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { hexId, indexOf, makeDetail, makeTrace, type SpanSpec } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';

const IMG = '<img src=x onerror="window.__pwned=1">';
const SVG = '<svg onload="window.__pwned=2"></svg>';
const SCRIPT = '</script><script>window.__pwned=3</script>';
const JS = 'javascript:window.__pwned=4';
const STYLE = '<style>body{display:none}</style><b style="color:red">bold</b>';
const ALL = [IMG, SVG, SCRIPT, JS, STYLE];

const spans: SpanSpec[] = [
  { id: 'root', name: IMG, service: SVG, start: 0, dur: 1000 },
  { id: 'a', parent: 'root', name: SCRIPT, service: JS, start: 10, dur: 500, flags: 1 | 2 },
  { id: 'b', parent: 'root', name: JS, service: STYLE, start: 100, dur: 200 },
  { id: 'c', parent: 'a', name: STYLE, service: IMG, start: 20, dur: 50 },
];
const trace = makeTrace(spans, {
  partial: true,
  partialMessage: IMG,
  backendName: SCRIPT,
  canOpenInGrafana: true,
  warnings: [SVG, JS],
});
const A = indexOf(trace, 'a');
const details = {
  [A]: makeDetail(trace, 'a', {
    statusMessage: SCRIPT + IMG,
    attributes: ALL.map((v, k) => ({ key: `${v}.${k}`, value: v })),
    resource: [{ key: IMG, value: SVG }],
    scope: { name: SCRIPT, version: IMG, attributes: [{ key: JS, value: JS }] },
    events: [
      { name: IMG, timeNs: 20_000_000, attributes: [{ key: SVG, value: SCRIPT }] },
      {
        name: 'exception',
        timeNs: 30_000_000,
        attributes: [
          { key: 'exception.type', value: SVG },
          { key: 'exception.message', value: IMG },
          { key: 'exception.stacktrace', value: `${SCRIPT}\n    at ${JS}\n    at ${STYLE}` },
        ],
      },
    ],
    links: [
      { traceId: JS, spanId: IMG, attributes: [{ key: IMG, value: JS }] },
      { traceId: 'javascript:alert(1)//0000000000000000000', spanId: '0', attributes: [] },
    ],
  }),
};

describe('webview: hostile content', () => {
  let browser: Browser;
  let view: View;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    view = await openView(browser, { trace, details });
  });
  afterEach(async () => {
    await view.close();
  });

  async function assertInert(): Promise<void> {
    const report = await view.page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      elements: document.querySelectorAll(
        '#app img, #app svg, #app script, #app style, #app a, #app iframe, #app b',
      ).length,
      hidden: getComputedStyle(document.body).display,
      styled: document.querySelectorAll('#app [style*="color:red"], #app [style*="color: red"]').length,
      errors: (window as unknown as { __tl: { errors: string[] } }).__tl.errors,
    }));
    assert.equal(report.pwned, undefined, 'no payload ran');
    assert.equal(report.elements, 0, 'no element came from trace text');
    assert.notEqual(report.hidden, 'none', 'no injected style applied');
    assert.equal(report.styled, 0);
    assert.deepEqual(report.errors, []);
    assert.deepEqual(await view.cspViolations(), [], 'no CSP violation');
    assert.deepEqual(view.consoleErrors, [], 'no console error');
  }

  it('renders hostile names, services and header facts as text', async () => {
    assert.equal(await view.page.textContent('.tl-root-name'), IMG);
    assert.equal(await view.page.textContent('.tl-root-service'), SVG);
    assert.equal(await view.page.textContent('[data-testid="backend"]'), SCRIPT);
    assert.match(
      (await view.page.textContent('[data-testid="partial-banner"]')) ?? '',
      /This trace is incomplete: <img src=x onerror/,
    );
    const rows = await view.page.$$eval('.tl-row', (rs) =>
      rs.map((r) => [
        r.querySelector('.tl-name')!.textContent,
        r.querySelector('.tl-service')!.textContent,
        r.getAttribute('aria-label'),
      ]),
    );
    const names = rows.map((r) => r[0]);
    assert.deepEqual(names.sort(), [IMG, SCRIPT, JS, STYLE].sort());
    const row = rows.find((r) => r[0] === SCRIPT)!;
    assert.equal(row[1], JS);
    assert.equal(row[2], `${SCRIPT}, ${JS}, 500 ms`);
    await view.page.click('[data-testid="warnings"] summary');
    assert.deepEqual(
      await view.page.$$eval('[data-testid="warnings"] li', (l) => l.map((x) => x.textContent)),
      [SVG, JS],
    );
    await assertInert();
    await view.screenshot('hostile-rows');
  });

  it('renders hostile attributes, events, stack traces, status messages and links as text', async () => {
    await view.page.click(`.tl-row[data-span-index="${A}"] .tl-name`);
    await view.page.waitForSelector('#tl-detail [data-section="links"]');
    const d = view.page.locator('#tl-detail');
    assert.equal(await d.locator('.tl-detail-title').textContent(), SCRIPT);
    assert.equal(await d.locator('[data-testid="status-message"]').textContent(), SCRIPT + IMG);
    const values = await d.locator('[data-section="attributes"] dd .tl-attr-string').allTextContents();
    assert.deepEqual(values.sort(), [...ALL].sort());
    const keys = await d.locator('[data-section="attributes"] dt').allTextContents();
    assert.deepEqual(keys.sort(), ALL.map((v, k) => `${v}.${k}`).sort());
    assert.equal(await d.locator('.tl-exception-type').textContent(), SVG);
    assert.equal(await d.locator('.tl-exception-message').textContent(), IMG);
    assert.equal(await d.locator('pre.tl-stack').textContent(), `${SCRIPT}\n    at ${JS}\n    at ${STYLE}`);
    assert.equal(await d.locator('.tl-event-name').first().textContent(), IMG);
    // Neither link is a valid trace ID: no button, nothing posted, no anchor anywhere.
    assert.equal(await d.locator('[data-testid="open-link"]').count(), 0);
    assert.equal(await d.locator('text=Not a valid trace ID').count(), 2);
    // Copying a hostile value posts it as plain text.
    await d.locator('[data-section="resource"] dd button').click({ force: true });
    assert.deepEqual((await view.postedOfType('copy')).at(-1), { type: 'copy', text: SVG });
    assert.equal((await view.postedOfType('openTrace')).length, 0);
    await view.page.click('[data-section="scope"] summary');
    await assertInert();
    await view.screenshot('hostile-detail');
  });

  it('shows hostile search input and error messages as text', async () => {
    await view.page.fill('#tl-search', `${IMG}=1`);
    await view.frames();
    await view.page.fill('#tl-search', `x${SVG.replace(/\s/g, '')}=1`);
    await view.frames();
    // The quotes split the query; whatever the parser complains about is quoted back as text.
    assert.match((await view.page.textContent('[data-testid="search-problem"]')) ?? '', /<\/svg>=1/);
    // The trace is on screen, so the failure is a banner over it (issue 14 item 4).
    await view.send({ type: 'error', message: `${IMG} ${SCRIPT}` });
    assert.equal(await view.page.textContent('.tl-fail-banner-message'), `${IMG} ${SCRIPT}`);
    await assertInert();
  });

  it('ignores junk messages and a selectSpan with markup', async () => {
    await view.page.evaluate(() => {
      window.postMessage(null, '*');
      window.postMessage('init', '*');
      window.postMessage({ type: 'nope' }, '*');
      window.postMessage(
        { type: 'spanDetail', inReplyTo: 999, detail: { spanId: '<img src=x onerror=window.__pwned=5>' } },
        '*',
      );
    });
    await view.send({ type: 'selectSpan', handle: 'main', spanId: IMG });
    await view.frames();
    assert.equal((await view.rowNames()).length, 4);
    await assertInert();
    assert.equal(hexId('a').length, 16);
  });
});
