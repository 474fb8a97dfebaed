/**
 * What the colours mean (issue 13, item 2): the legend lists each service with its colour, span
 * and error counts, and a click filters (several clicks: several services); the bar encoding is
 * explained; a service keeps its hue across themes; failed spans are marked as plainly in dark
 * and high contrast as in light; the header explains a trace longer than its root span.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { hueOf, rgbToOklab, type Rgb } from '../../webview/palette';
import { CHECKOUT, makeTrace, type SpanSpec } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';

/** The painted colours of the first `n` palette slots. */
function slotColours(view: View, n: number): Promise<Rgb[]> {
  return view.page.evaluate((count) => {
    const shell = document.querySelector('.tl-shell') as HTMLElement;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d')!;
    const out: number[][] = [];
    for (let k = 0; k < count; k++) {
      ctx.fillStyle = '#000';
      ctx.fillStyle = shell.style.getPropertyValue(`--tl-svc-${k}`);
      ctx.fillRect(0, 0, 1, 1);
      out.push(Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)));
    }
    return out;
  }, n) as Promise<Rgb[]>;
}

describe('webview: legend and colours', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('lists services with span and error counts; clicks filter one, then several; "All services" clears', async () => {
    const view = await openView(browser, { trace: makeTrace(CHECKOUT) }, { width: 1280 });
    try {
      const chips = await view.page.$$eval('.tl-legend-service', (cs) =>
        cs.map((c) => ({
          name: c.querySelector('.tl-legend-name')!.textContent,
          spans: c.querySelector('.tl-legend-n')!.textContent,
          errors: c.querySelector('.tl-legend-errors')?.textContent ?? '',
        })),
      );
      assert.deepEqual(chips[0], { name: 'cart', spans: '3', errors: '' }, 'most spans first');
      assert.deepEqual(
        chips.find((c) => c.name === 'payment-gateway'),
        { name: 'payment-gateway', spans: '1', errors: '1' },
      );
      assert.equal(chips.length, 7);
      const key = await view.page.$eval('.tl-legend-key', (k) => k.textContent);
      assert.match(key ?? '', /self time.*in children.*error/);

      const chip = (name: string) => `.tl-legend-service:has(.tl-legend-name:text-is("${name}"))`;
      await view.page.click(chip('cart'));
      await view.frames();
      assert.equal(await view.page.$eval(chip('cart'), (c) => c.getAttribute('aria-pressed')), 'true');
      assert.equal(await view.page.$$eval('.tl-row.tl-match', (r) => r.length), 3);
      await view.page.click(chip('payment'));
      await view.frames();
      assert.equal(await view.page.$$eval('.tl-row.tl-match', (r) => r.length), 4);
      assert.equal(
        await view.page.$eval(
          '[data-testid="service-picker"]',
          (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent,
        ),
        '2 services',
      );
      const state = await view.waitForState((s) => Array.isArray(s.services));
      assert.deepEqual(state.services, ['cart', 'payment']);
      await view.screenshot('legend-two-services-dark');
      await view.page.click('[data-testid="legend-clear"]');
      await view.frames();
      assert.equal(await view.page.$$eval('.tl-row.tl-match', (r) => r.length), 0);
      assert.equal(
        await view.page.$eval('[data-testid="legend-clear"]', (b) => (b as HTMLElement).hidden),
        true,
      );
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });

  it('a service keeps its hue in dark, light and high contrast', async () => {
    const hues: number[][] = [];
    for (const theme of ['dark', 'light', 'hc'] as const) {
      const view = await openView(browser, { theme, trace: makeTrace(CHECKOUT) });
      try {
        hues.push((await slotColours(view, 12)).map((c) => hueOf(rgbToOklab(c))));
      } finally {
        await view.close();
      }
    }
    for (let k = 0; k < 12; k++) {
      const h = hues.map((t) => t[k]!);
      assert.ok(
        Math.max(...h) - Math.min(...h) < 15,
        `slot ${k}: hues ${h.map((x) => x.toFixed(0)).join(' / ')}`,
      );
    }
  });

  for (const theme of ['dark', 'hc'] as const) {
    it(`${theme}: a failed span's bar is outlined in the error colour, not only underlined`, async () => {
      const view = await openView(browser, { theme, trace: makeTrace(CHECKOUT) });
      try {
        const bar = await view.page.$eval('.tl-row.tl-error .tl-bar', (b) => {
          const cs = getComputedStyle(b);
          return { outline: cs.outlineStyle, shadow: cs.boxShadow };
        });
        assert.equal(bar.outline, 'solid');
        assert.match(bar.shadow, /inset/);
      } finally {
        await view.close();
      }
    });
  }

  it('the header explains a trace that lasts longer than its root span', async () => {
    const spans: SpanSpec[] = [
      { id: 'root', name: 'POST /orders', service: 'api', start: 0, dur: 1000 },
      { id: 'q', parent: 'root', name: 'publish order', service: 'api', start: 900, dur: 50 },
      { id: 'c', parent: 'q', name: 'consume order', service: 'worker', start: 1200, dur: 800 },
    ];
    const view = await openView(browser, { theme: 'light', trace: makeTrace(spans) }, { width: 900 });
    try {
      const note = await view.page.$eval('[data-testid="outlives-root"]', (n) => ({
        text: n.textContent,
        title: (n as HTMLElement).title,
      }));
      assert.equal(note.text, 'root 1 s, 1 span outlives it');
      assert.match(note.title, /The root span lasts 1 s; 1 span ends after it .* 1 s longer/);
      await view.screenshot('header-outlives-root-light');
    } finally {
      await view.close();
    }
    const plain = await openView(browser, { trace: makeTrace(CHECKOUT) });
    try {
      assert.equal(await plain.page.$('[data-testid="outlives-root"]'), null);
    } finally {
      await plain.close();
    }
  });
});
