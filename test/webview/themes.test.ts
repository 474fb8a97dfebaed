/** Themes: dark, light and high contrast read only --vscode-* variables; service colours stay apart. */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { labDistance, rgbToOklab } from '../../webview/palette';
import { CHECKOUT, indexOf, makeDetail, makeTrace, type SpanSpec } from './helpers/fixtures';
import { launchBrowser, openView } from './helpers/harness';

// Twelve services, one span each, so every palette colour shows.
const SERVICES = [
  'web',
  'api',
  'auth',
  'cart',
  'db',
  'cache',
  'queue',
  'mail',
  'search',
  'pricing',
  'geo',
  'media',
];
const rainbow: SpanSpec[] = [
  { id: 's0', name: 'request', service: SERVICES[0]!, start: 0, dur: 1200 },
  ...SERVICES.slice(1).map((s, k) => ({
    id: `s${k + 1}`,
    parent: 's0',
    name: `call ${s}`,
    service: s,
    start: 20 + k * 90,
    dur: 300 + k * 20,
  })),
];

type Rgb = [number, number, number];

/** Distance in OKLab (0.02 just noticeable, 0.1 a different colour at a glance). */
function distance(a: Rgb, b: Rgb): number {
  return labDistance(rgbToOklab(a), rgbToOklab(b));
}

describe('webview: themes', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const theme of ['dark', 'light', 'hc'] as const) {
    it(`${theme}: twelve services get twelve distinct bar colours, readable against the background`, async () => {
      const trace = makeTrace(rainbow, { canOpenInGrafana: true });
      const view = await openView(browser, { theme, trace });
      try {
        // Read each bar's painted colour from a screenshot pixel (what a person sees).
        const colours = await view.page.$$eval('.tl-row', (rows) =>
          rows.map((r) => {
            const probe = document.createElement('span');
            probe.style.color = getComputedStyle(r.querySelector('.tl-bar')!).getPropertyValue('--svc');
            document.body.append(probe);
            const c = getComputedStyle(probe).color;
            probe.remove();
            const canvas = document.createElement('canvas');
            canvas.width = canvas.height = 1;
            const ctx = canvas.getContext('2d')!;
            ctx.fillStyle = c;
            ctx.fillRect(0, 0, 1, 1);
            return Array.from(ctx.getImageData(0, 0, 1, 1).data.slice(0, 3));
          }),
        );
        assert.equal(colours.length, 12);
        let min = Infinity;
        for (let i = 0; i < colours.length; i++)
          for (let j = i + 1; j < colours.length; j++)
            min = Math.min(min, distance(colours[i] as Rgb, colours[j] as Rgb));
        assert.ok(min > 0.09, `closest pair of service colours is ΔE(OKLab) ${min.toFixed(3)}`);
        const bg = await view.page.evaluate(() => {
          const c = getComputedStyle(document.body).backgroundColor.match(/\d+/g)!.map(Number);
          return c.slice(0, 3);
        });
        for (const c of colours)
          assert.ok(labDistance(c as Rgb, bg as Rgb) > 20, `bar ${c} stands out from ${bg}`);
        await view.screenshot(`theme-${theme}`);
      } finally {
        await view.close();
      }
    });

    it(`${theme}: the checkout trace with the detail open`, async () => {
      const trace = makeTrace(CHECKOUT, {
        canOpenInGrafana: true,
        partial: true,
        partialMessage: 'Tempo returned a partial trace: 1 of 3 blocks failed',
      });
      const pay = indexOf(trace, 'pay');
      const details = {
        [pay]: makeDetail(trace, 'pay', {
          statusMessage: 'card declined',
          attributes: [
            { key: 'http.request.method', value: 'POST' },
            { key: 'payment.amount', value: 129.5 },
          ],
          events: [
            {
              name: 'exception',
              timeNs: 5_000_000_000,
              attributes: [
                { key: 'exception.type', value: 'CardDeclinedError' },
                { key: 'exception.message', value: 'insufficient funds' },
                {
                  key: 'exception.stacktrace',
                  value: 'CardDeclinedError: insufficient funds\n    at charge (charge.ts:42:11)',
                },
              ],
            },
          ],
        }),
      };
      const view = await openView(browser, { theme, trace, details });
      try {
        await view.page.fill('#tl-search', 'cart');
        await view.page.click(`.tl-row[data-span-index="${pay}"] .tl-name`);
        await view.page.waitForSelector('#tl-detail [data-section="events"]');
        await view.page.focus('.tl-scroller');
        await view.screenshot(`theme-${theme}-detail`);
        const fg = await view.page.$eval('.tl-row .tl-name', (e) => getComputedStyle(e).color);
        const bg = await view.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.notEqual(fg, bg);
        assert.deepEqual(await view.cspViolations(), []);
      } finally {
        await view.close();
      }
    });
  }
});
