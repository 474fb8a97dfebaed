/**
 * Readable at any width (issue 13, item 1): under 800 px the detail pane moves below the
 * waterfall; the sash between them is focusable and moves with the arrow keys; the sizes are
 * saved; at 480 px and wider no span name is cut below 16 characters (the service shrinks to its
 * colour chip, named in its tooltip). Screenshots at 480, 540, 800 and 1400 px in three themes.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { makeTrace, type SpanSpec } from './helpers/fixtures';
import { launchBrowser, openView, type View } from './helpers/harness';

// A deep chain of long names across long service names: the case that cut names to `node.Valid…`.
const DEEP: SpanSpec[] = [];
for (let d = 0; d < 14; d++) {
  DEEP.push({
    id: `d${d}`,
    ...(d > 0 ? { parent: `d${d - 1}` } : {}),
    name: `node.ValidateAndPersistOrder level ${d}`,
    service: d % 2 ? 'order-validation-service' : 'checkout-frontend-gateway',
    start: d * 10,
    dur: 2000 - d * 100,
    ...(d === 9 ? { flags: 1 } : {}),
  });
}

/** How many characters of each visible row's name are shown (whole names count in full). */
function shownChars(view: View): Promise<Array<{ name: string; shown: number }>> {
  return view.page.$$eval('.tl-row:not([hidden]) .tl-name', (names) =>
    names.map((n) => {
      const text = n.textContent ?? '';
      const box = n.getBoundingClientRect();
      const node = n.firstChild;
      if (!node || box.width === 0) return { name: text, shown: 0 };
      const range = document.createRange();
      let shown = 0;
      // Characters whose right edge lies inside the box (less the ellipsis, when cut).
      const cut = n.scrollWidth > n.clientWidth;
      const limit = box.right - (cut ? 12 : 0);
      for (let k = 0; k < text.length; k++) {
        range.setStart(node, k);
        range.setEnd(node, k + 1);
        if (range.getBoundingClientRect().right <= limit + 0.5) shown = k + 1;
        else break;
      }
      return { name: text, shown };
    }),
  );
}

describe('webview: layout at any width', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  for (const width of [480, 540, 800, 1400]) {
    for (const theme of ['light', 'dark', 'hc'] as const) {
      it(`${width} px, ${theme}: detail ${width < 800 ? 'below' : 'beside'} the rows, names keep ≥ 16 characters`, async () => {
        const view = await openView(browser, { theme, trace: makeTrace(DEEP) }, { width, height: 720 });
        try {
          await view.page.click('.tl-row[data-span-index="9"]');
          await view.page.waitForSelector('.tl-detail .tl-detail-title');
          const geo = await view.page.evaluate(() => ({
            stacked: document.querySelector('.tl-main')!.classList.contains('tl-stacked'),
            rows: document.querySelector('.tl-waterfall')!.getBoundingClientRect().toJSON() as DOMRect,
            detail: document.querySelector('.tl-detail')!.getBoundingClientRect().toJSON() as DOMRect,
            sash: document
              .querySelector('.tl-main > .tl-splitter')!
              .getBoundingClientRect()
              .toJSON() as DOMRect,
          }));
          if (width < 800) {
            assert.ok(geo.stacked, 'narrow: stacked');
            assert.ok(geo.detail.top >= geo.rows.bottom - 1, 'the detail pane is below the rows');
            assert.ok(geo.rows.width >= width - 2, 'the rows take the whole width');
            assert.ok(geo.sash.height >= 4 && geo.sash.width >= width - 2, 'a visible horizontal sash');
          } else {
            assert.ok(!geo.stacked, 'wide: side by side');
            assert.ok(geo.detail.left >= geo.rows.right - 1, 'the detail pane is beside the rows');
            assert.ok(geo.sash.width >= 4, 'a visible vertical sash');
          }
          // The clicked row stays in view above the pane that opened below it.
          const sel = await view.page.$eval(
            '.tl-row.tl-selected',
            (r) => r.getBoundingClientRect().toJSON() as DOMRect,
          );
          assert.ok(
            sel.bottom <= geo.rows.bottom + 1 && sel.top >= geo.rows.top,
            'the selected row is visible',
          );
          for (const r of await shownChars(view)) {
            assert.ok(
              r.shown >= Math.min(16, r.name.length),
              `“${r.name}” shows only ${r.shown} characters at ${width} px`,
            );
          }
          const compact = await view.page.$eval('.tl-waterfall', (w) => w.classList.contains('tl-compact'));
          if (compact) {
            // The service is a chip; its tooltip names it.
            const title = await view.page.$eval(
              '.tl-row[data-span-index="1"] .tl-service',
              (s) => (s as HTMLElement).title,
            );
            assert.equal(title, 'order-validation-service');
          }
          // The header's facts take two lines beside the code, and the whole ID stays at hand.
          const facts = await view.page.$$eval('#tl-header .tl-facts > *', (els) =>
            els
              .map((e) => e.getBoundingClientRect())
              .filter((r) => r.width > 0)
              .map((r) => Math.round(r.top)),
          );
          // Items of one line are baseline-aligned, so their tops differ by a few pixels.
          const lines = facts
            .sort((x, y) => x - y)
            .filter((top, i, all) => i === 0 || top - all[i - 1]! > 8).length;
          assert.ok(lines <= 2, `the header's facts take ${lines} lines at ${width} px`);
          assert.equal(
            await view.page.$eval('#tl-header .tl-trace-id', (c) => (c as HTMLElement).title),
            '4bf92f3577b34da6a3ce929d0e0e4736',
          );
          await view.screenshot(`layout-${width}-${theme}`);
          assert.deepEqual(view.consoleErrors, []);
        } finally {
          await view.close();
        }
      });
    }
  }

  it('540 px: the sash is reachable with Tab and resizes with ↑ ↓; the height is saved and restored', async () => {
    const view = await openView(browser, { trace: makeTrace(DEEP) }, { width: 540, height: 1000 });
    let saved: Record<string, unknown>;
    try {
      await view.page.click('.tl-row[data-span-index="2"]');
      await view.page.waitForSelector('.tl-detail .tl-detail-title');
      const sash = '.tl-main > .tl-splitter';
      assert.equal(await view.page.$eval(sash, (e) => e.getAttribute('aria-orientation')), 'horizontal');
      assert.equal(await view.page.$eval(sash, (e) => (e as HTMLElement).tabIndex), 0);
      const before = await view.page.$eval('.tl-detail', (d) => d.getBoundingClientRect().height);
      await view.page.focus(sash);
      await view.page.keyboard.press('Shift+ArrowUp');
      await view.page.keyboard.press('ArrowUp');
      await view.frames();
      const after = await view.page.$eval('.tl-detail', (d) => d.getBoundingClientRect().height);
      assert.equal(Math.round(after - before), 60, 'Shift+↑ and ↑ grow the pane by 50 + 10 px');
      saved = await view.waitForState((s) => s.detailHeight === Math.round(after));
    } finally {
      await view.close();
    }
    const again = await openView(
      browser,
      { trace: makeTrace(DEEP), initialState: saved },
      { width: 540, height: 1000 },
    );
    try {
      await again.page.waitForSelector('.tl-detail .tl-detail-title');
      const h = await again.page.$eval('.tl-detail', (d) => d.getBoundingClientRect().height);
      assert.equal(Math.round(h), saved.detailHeight);
    } finally {
      await again.close();
    }
  });

  it('a new panel opens with the sizes last chosen in the workspace, and a resize is sent to the host', async () => {
    const view = await openView(
      browser,
      { trace: makeTrace(DEEP), layout: { detailWidth: 520, labelWidth: 260 } },
      { width: 1400, height: 720 },
    );
    try {
      await view.page.click('.tl-row[data-span-index="2"]');
      await view.page.waitForSelector('.tl-detail .tl-detail-title');
      assert.equal(
        Math.round(await view.page.$eval('.tl-detail', (d) => d.getBoundingClientRect().width)),
        520,
      );
      assert.equal(
        Math.round(await view.page.$eval('.tl-label', (d) => d.getBoundingClientRect().width)),
        260,
      );
      assert.deepEqual(await view.postedOfType('saveLayout'), [], 'opening restates nothing');
      await view.page.focus('.tl-main > .tl-splitter');
      await view.page.keyboard.press('Shift+ArrowLeft'); // the pane is on the right: ← widens it
      await view.waitForState((s) => s.detailWidth === 570);
      for (let k = 0; k < 50 && (await view.postedOfType('saveLayout')).length === 0; k++)
        await view.page.waitForTimeout(50);
      assert.deepEqual((await view.postedOfType('saveLayout')).at(-1), {
        type: 'saveLayout',
        layout: { detailWidth: 570, labelWidth: 260 },
      });
    } finally {
      await view.close();
    }
  });
});
