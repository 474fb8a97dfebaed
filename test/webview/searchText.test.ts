/**
 * Search inside the trace (issue 13, item 8): a free-text term asks the host once for the span
 * texts (attribute values, event names) and then matches them too; the answer is columns.
 */
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { CHECKOUT, indexOf, makeTrace } from './helpers/fixtures';
import { launchBrowser, openView } from './helpers/harness';

describe('webview: search over attribute values and event names', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });

  it('asks for the span texts once, then matches "declined" in an attribute and "retry" in an event', async () => {
    const trace = makeTrace(CHECKOUT);
    const view = await openView(browser, { trace });
    try {
      const search = '.tl-search-input';
      await view.page.fill(search, 'declined');
      await view.frames();
      const asked = await view.postedOfType('getSpanText');
      assert.equal(asked.length, 1);
      assert.equal(asked[0]!.handle, 'main');
      assert.equal(await view.page.$$eval('.tl-row.tl-match', (r) => r.length), 0, 'names only, so far');

      const n = trace.model.spanCount;
      const gw = indexOf(trace, 'gw');
      const auth = indexOf(trace, 'auth');
      const offsets = new Uint32Array(n + 1);
      const refs: number[] = [];
      for (let i = 0; i < n; i++) {
        offsets[i] = refs.length;
        if (i === gw) refs.push(0, 1);
        if (i === auth) refs.push(2);
      }
      offsets[n] = refs.length;
      await view.send({
        type: 'spanText',
        inReplyTo: asked[0]!.requestId,
        handle: 'main',
        text: { strings: ['card_declined', '402', 'retry scheduled'], offsets, refs: Uint32Array.from(refs) },
      });
      await view.frames();
      assert.deepEqual(
        await view.page.$$eval('.tl-row.tl-match', (r) =>
          r.map((x) => Number((x as HTMLElement).dataset.spanIndex)),
        ),
        [gw],
      );
      await view.page.fill(search, 'retry');
      await view.frames();
      assert.deepEqual(
        await view.page.$$eval('.tl-row.tl-match', (r) =>
          r.map((x) => Number((x as HTMLElement).dataset.spanIndex)),
        ),
        [auth],
      );
      assert.equal((await view.postedOfType('getSpanText')).length, 1, 'asked once per trace');
      // A malformed answer (a ref out of range) is ignored, never thrown.
      assert.deepEqual(view.consoleErrors, []);
    } finally {
      await view.close();
    }
  });
});
