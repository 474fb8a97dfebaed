/** Rendering: the header, one row per span, the DOM contract the e2e tests rely on, loading and error states. */
import assert from 'node:assert/strict';
import { CHECKOUT, indexOf, makeTrace } from './helpers/fixtures';
import { webviewSuite } from './helpers/harness';
import { ENGLISH_STRINGS, type WebviewStrings } from '../../src/shared/strings';

describe('webview: rendering', () => {
  const { open } = webviewSuite();

  it('posts ready first, then renders the header and one row per span on init', async () => {
    const trace = makeTrace(CHECKOUT, { canOpenInGrafana: true });
    const view = await open({ trace });
    const posted = await view.posted();
    assert.equal(posted[0]?.type, 'ready');
    assert.equal(typeof posted[0]?.requestId, 'number');

    const page = view.page;
    assert.equal(await page.textContent('#tl-header .tl-root-name'), 'POST /checkout');
    assert.equal(await page.textContent('#tl-header .tl-root-service'), 'frontend');
    assert.equal(await page.textContent('#tl-header .tl-trace-id'), '4bf92f3577b34da6a3ce929d0e0e4736');
    assert.equal(await page.textContent('#tl-header [data-testid="span-count"]'), '9');
    assert.equal(await page.textContent('#tl-header [data-testid="duration"]'), '5.2 s');
    assert.equal(await page.textContent('#tl-header [data-testid="error-count"]'), '2');
    assert.equal(await page.textContent('#tl-header [data-testid="backend"]'), 'Tempo (127.0.0.1:3200)');
    assert.ok(await page.$('#tl-detail'), 'the detail pane exists');
    assert.ok(await page.$('#tl-search'), 'the search box exists');

    assert.deepEqual(await view.rowNames(), [
      'POST /checkout',
      'authenticate',
      'GET /cart',
      'SELECT cart_items',
      'redis GET session',
      'charge card',
      'fraud check',
      'POST /v1/charges',
      'send receipt',
    ]);
    await view.screenshot('render-dark');
  });

  it('follows the row DOM contract: index, role, level, label, name, service, duration', async () => {
    const trace = makeTrace(CHECKOUT);
    const view = await open({ trace });
    const rows = await view.page.$$eval('.tl-row', (els) =>
      els
        .filter((e) => !(e as HTMLElement).hidden)
        .map((e) => ({
          index: e.getAttribute('data-span-index'),
          role: e.getAttribute('role'),
          level: e.getAttribute('aria-level'),
          label: e.getAttribute('aria-label'),
          name: e.querySelector('.tl-name')?.textContent,
          service: e.querySelector('.tl-service')?.textContent,
          duration: e.querySelector('.tl-duration')?.textContent,
        })),
    );
    const byIndex = new Map(rows.map((r) => [Number(r.index), r]));
    const expect = [
      ['root', 'POST /checkout', 'frontend', '5.2 s', '1'],
      ['pay', 'charge card', 'payment', '4.2 s', '2'],
      ['cart', 'GET /cart', 'cart', '850 ms', '2'],
      ['cartdb', 'SELECT cart_items', 'cart', '12.5 ms', '3'],
      ['redis', 'redis GET session', 'cart', '420 µs', '3'],
      ['gw', 'POST /v1/charges', 'payment-gateway', '3 s', '3'],
      ['lost', 'send receipt', 'email', '90 ms', '1'],
    ] as const;
    for (const [id, name, service, duration, level] of expect) {
      const r = byIndex.get(indexOf(trace, id));
      assert.ok(r, `row for ${id}`);
      assert.equal(r.role, 'treeitem');
      assert.equal(r.level, level, `aria-level of ${id}`);
      assert.equal(r.name, name);
      assert.equal(r.service, service);
      assert.equal(r.duration, duration);
      assert.equal(r.label, `${name}, ${service}, ${duration}`);
    }
    assert.equal(await view.page.getAttribute('.tl-scroller', 'role'), 'tree');
  });

  it('places bars on the time axis as fractions of the trace', async () => {
    const trace = makeTrace(CHECKOUT);
    const view = await open({ trace });
    const geo = await view.page.evaluate(() => {
      const track = document.querySelector('.tl-row .tl-track')!.getBoundingClientRect();
      const out: Record<string, { l: number; w: number }> = {};
      for (const r of Array.from(document.querySelectorAll<HTMLElement>('.tl-row'))) {
        const b = r.querySelector('.tl-bar')!.getBoundingClientRect();
        out[r.dataset.spanIndex!] = { l: (b.left - track.left) / track.width, w: b.width / track.width };
      }
      return out;
    });
    const pay = geo[indexOf(trace, 'pay')]!;
    assert.ok(Math.abs(pay.l - 1000 / 5200) < 0.01, `charge card starts at 19%: ${pay.l}`);
    assert.ok(Math.abs(pay.w - 4200 / 5200) < 0.01, `charge card spans 81%: ${pay.w}`);
    const root = geo[indexOf(trace, 'root')]!;
    assert.ok(root.l < 0.001 && root.w > 0.99);
    const ticks = await view.page.$$eval('.tl-axis .tl-tick', (t) => t.map((x) => x.textContent));
    assert.ok(ticks.includes('0') && ticks.includes('1 s') && ticks.includes('5 s'), `axis ticks: ${ticks}`);
  });

  it('shows the loading state before init and an error panel for error', async () => {
    const view = await open({ autoInit: false }, { waitForRows: false });
    await view.page.waitForSelector('[data-testid="loading"]');
    await view.send({ type: 'loading', handle: 'main', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    assert.match((await view.page.textContent('[data-testid="loading"]')) ?? '', /Loading trace/);
    assert.equal(await view.page.isVisible('.tl-progress'), true);
    await view.screenshot('loading');
    await view.send({
      type: 'error',
      message: 'GET /api/v2/traces/4bf92f35… → 401: check the token in Trace Lens: Set Token',
    });
    const box = await view.page.waitForSelector('[data-testid="error"]');
    assert.equal(await box.getAttribute('role'), 'alert');
    assert.equal(
      await view.page.textContent('.tl-error-message'),
      'GET /api/v2/traces/4bf92f35… → 401: check the token in Trace Lens: Set Token',
    );
    assert.equal(await view.page.isVisible('.tl-progress'), false);
    await view.screenshot('error');
    await view.page.click('[data-testid="error"] [data-testid="retry"]');
    assert.equal((await view.postedOfType('refresh')).length, 1);
    await view.page.click('[data-testid="error"] [data-testid="open-setting"]');
    await view.page.click('[data-testid="error"] [data-testid="test-connection"]');
    assert.equal((await view.postedOfType('openBackendSetting')).length, 1);
    assert.equal((await view.postedOfType('testConnection')).length, 1);
  });

  it('a refresh that fails keeps the trace and says so in a banner with Retry, Open Setting and Test Connection', async () => {
    const view = await open({ trace: makeTrace(CHECKOUT) });
    await view.page.click(`.tl-row[data-span-index="${indexOf(makeTrace(CHECKOUT), 'pay')}"] .tl-name`);
    await view.send({ type: 'loading', handle: 'main', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    const message =
      'GET /api/v2/traces/4bf92f35… could not reach Tempo (connection refused); check traceLens.tempo.url and that the server is running (traceLens.tempo.url from Remote settings)';
    await view.send({ type: 'error', handle: 'main', message });
    const banner = await view.page.waitForSelector('[data-testid="error-banner"]');
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.equal(await view.page.textContent('.tl-fail-banner-message'), message);
    // The trace, its selection and its header stay; no error page replaces them.
    assert.equal(await view.page.isVisible('[data-testid="error"]'), false);
    assert.equal(await view.page.isVisible('.tl-progress'), false);
    assert.equal((await view.rowNames()).length, 9);
    assert.equal(await view.page.textContent('[data-testid="span-count"]'), '9');
    assert.equal(await view.page.isVisible('.tl-row.tl-selected'), true);
    await view.screenshot('refresh-failed-banner');
    await view.page.click('[data-testid="error-banner"] [data-testid="open-setting"]');
    await view.page.click('[data-testid="error-banner"] [data-testid="test-connection"]');
    await view.page.click('[data-testid="error-banner"] [data-testid="retry"]');
    assert.equal((await view.postedOfType('openBackendSetting')).length, 1);
    assert.equal((await view.postedOfType('testConnection')).length, 1);
    assert.equal((await view.postedOfType('refresh')).length, 1);
    // The retry worked: the banner goes, the new version shows.
    await view.send({ type: 'trace', handle: 'main', trace: makeTrace(CHECKOUT) });
    await view.frames();
    assert.equal(await view.page.isVisible('[data-testid="error-banner"]'), false);
    // Dismissed by hand, it stays gone until the next failure.
    await view.send({ type: 'error', handle: 'main', message });
    await view.page.click('[data-testid="banner-dismiss"]');
    assert.equal(await view.page.isVisible('[data-testid="error-banner"]'), false);
    assert.equal((await view.rowNames()).length, 9);
  });

  it('keeps the old trace under a progress bar while refreshing, then shows the new one', async () => {
    const view = await open({ trace: makeTrace(CHECKOUT) });
    await view.send({ type: 'loading', handle: 'main', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
    assert.equal(await view.page.isVisible('.tl-progress'), true);
    assert.equal((await view.rowNames()).length, 9);
    const more = makeTrace([
      ...CHECKOUT,
      { id: 'late', parent: 'root', name: 'late span', service: 'frontend', start: 5000, dur: 100 },
    ]);
    await view.send({ type: 'trace', handle: 'main', trace: more });
    await view.frames();
    assert.equal(await view.page.isVisible('.tl-progress'), false);
    assert.equal(await view.page.textContent('[data-testid="span-count"]'), '10');
    assert.ok((await view.rowNames()).includes('late span'));
  });

  it('shows trace B of a comparison and keeps messages about A to it', async () => {
    const view = await open({ autoInit: false }, { waitForRows: false });
    const a = makeTrace(CHECKOUT.slice(0, 3), { traceId: 'a'.repeat(32) });
    const b = makeTrace(CHECKOUT);
    const subject = { kind: 'compare', a: { traceId: a.model.traceId }, b: { traceId: b.model.traceId } };
    await view.send({
      type: 'init',
      inReplyTo: 1,
      subject,
      traces: [
        { handle: 'a', trace: a },
        { handle: 'b', trace: b },
      ],
    });
    await view.page.waitForSelector('.tl-row');
    await view.frames();
    assert.equal(await view.page.textContent('[data-testid="span-count"]'), '9');
    // News about trace a changes nothing the waterfall shows.
    await view.send({ type: 'loading', handle: 'a', traceId: a.model.traceId });
    await view.send({ type: 'error', handle: 'a', message: 'a is gone' });
    await view.send({ type: 'trace', handle: 'a', trace: a });
    await view.frames();
    assert.equal(await view.page.isVisible('[data-testid="error"]'), false);
    assert.equal(await view.page.isVisible('.tl-progress'), false);
    assert.equal((await view.rowNames()).length, 9);
    // What the person does is about trace b, and the saved state names the comparison.
    await view.page.click(`.tl-row[data-span-index="${indexOf(b, 'pay')}"] .tl-name`);
    assert.deepEqual((await view.postedOfType('selectionChanged')).at(-1), {
      type: 'selectionChanged',
      handle: 'b',
      index: indexOf(b, 'pay'),
    });
    assert.equal((await view.postedOfType('getSpanDetail')).at(-1)?.handle, 'b');
    const saved = await view.waitForState((st) => st.selectSpanId !== undefined);
    assert.deepEqual(saved.subject, subject);
  });

  it('speaks the words the host wrote into the page, from the first paint on, with values filled in', async () => {
    // A stand-in locale: every message in capitals, placeholders kept.
    const upper = Object.fromEntries(
      Object.entries(ENGLISH_STRINGS).map(([k, v]) => [k, v.toUpperCase()]),
    ) as WebviewStrings;
    upper.loadingTrace = 'Chargement de la trace… <b>"&amp;"</b>';
    let view = await open({ autoInit: false }, { waitForRows: false, strings: upper });
    await view.page.waitForSelector('[data-testid="loading"]');
    assert.match(
      (await view.page.textContent('[data-testid="loading"]')) ?? '',
      /Chargement de la trace… <b>"&amp;"<\/b>/,
      'the loading state, before any message, as text',
    );
    await view.close();
    view = await open({ trace: makeTrace(CHECKOUT) }, { strings: upper });
    const page = view.page;
    assert.equal(await page.getAttribute('[role="toolbar"]', 'aria-label'), 'TRACE TOOLS');
    assert.equal(await page.textContent('.tl-axis-label'), 'SERVICE & OPERATION');
    await page.fill('#tl-search', 'cart');
    await view.frames();
    assert.equal(await page.textContent('[data-testid="match-count"]'), '3 FOUND');
  });
});
