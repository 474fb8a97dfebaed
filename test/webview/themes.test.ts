/** Themes: dark, light and high contrast read only --vscode-* variables; service colours stay apart. */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
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

/** CIE76 distance in Lab: about 2.3 is "just noticeable"; 12+ reads as a different colour at a glance. */
function labDistance(a: Rgb, b: Rgb): number {
  const lab = ([r, g, b2]: Rgb) => {
    const lin = (v: number) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const [R, G, B] = [lin(r), lin(g), lin(b2)];
    const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
    const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
    const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
    const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
    return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
  };
  const [l1, a1, b1] = lab(a);
  const [l2, a2, bb2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - bb2);
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
            min = Math.min(min, labDistance(colours[i] as Rgb, colours[j] as Rgb));
        assert.ok(min > 12, `closest pair of service colours is ΔE ${min.toFixed(1)}`);
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
