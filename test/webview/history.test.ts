/**
 * The panel's history and export from the header (issue 13, items 6 and 9): back and forward
 * appear once the panel has moved, post `history` to the host (which owns the history and the
 * Alt+← / Alt+→ keybindings); the mouse's back button does the same; "Save Trace As…" posts
 * `saveTrace` for the shown trace; a span link asks the host to open the linked span.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHECKOUT, makeTrace } from './helpers/fixtures';
import { launchBrowser, openView } from './helpers/harness';

describe('webview: panel history and Save Trace As', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('a panel that never moved has no back/forward buttons, but can save', async () => {
    const view = await openView(browser, { trace: makeTrace(CHECKOUT) });
    try {
      assert.equal(await view.page.$('[data-testid="history-back"]'), null);
      await view.page.click('[data-testid="save-trace"]');
      assert.deepEqual(await view.postedOfType('saveTrace'), [{ type: 'saveTrace', handle: 'main' }]);
    } finally {
      await view.close();
    }
  });

  it('after a link: Back is enabled, Forward not; a click and the mouse back button post history', async () => {
    const view = await openView(browser, {
      theme: 'light',
      trace: makeTrace(CHECKOUT),
      history: { back: true, forward: false },
    });
    try {
      const back = '[data-testid="history-back"]';
      const fwd = '[data-testid="history-forward"]';
      assert.equal(await view.page.$eval(back, (b) => (b as HTMLButtonElement).disabled), false);
      assert.equal(await view.page.$eval(fwd, (b) => (b as HTMLButtonElement).disabled), true);
      assert.match((await view.page.getAttribute(back, 'aria-label')) ?? '', /Alt\+←/);
      await view.page.click(fwd, { force: true }); // disabled: nothing posted
      await view.page.click(back);
      // The mouse's back button (Playwright's mouse has no such button: a real event instead).
      await view.page.evaluate(() =>
        document
          .querySelector('.tl-scroller')!
          .dispatchEvent(new MouseEvent('mouseup', { button: 3, bubbles: true })),
      );
      assert.deepEqual(await view.postedOfType('history'), [
        { type: 'history', delta: -1 },
        { type: 'history', delta: -1 },
      ]);
      await view.screenshot('history-header-light');
    } finally {
      await view.close();
    }
  });
});
