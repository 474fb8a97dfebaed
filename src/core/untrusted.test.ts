import { strict as assert } from 'node:assert';
import {
  HOSTILE_INPUTS,
  HOSTILE_TEXTS,
  ISSUE_LINK,
  SEND_SEQUENCE,
  assertNoNotificationLink,
  rendered,
} from './testing/hostile';
import * as l10n from '@vscode/l10n';
import { inertText, markdownText, notice, quoted } from './untrusted';

/** What the helpers make of control characters and bidi overrides: one space per run. */
// eslint-disable-next-line no-control-regex
const printable = (s: string) => s.replace(/[\u0000-\u001f\u202e]+/g, ' ');

/** The text with zero-width spaces removed (what a person reads). */
const visible = (s: string) => s.replace(/\u200b/g, '');

describe('inertText (notification messages)', () => {
  it('the hostile texts of issue 17 are links before and are not after', () => {
    for (const raw of [
      `handleCheckout [open](${SEND_SEQUENCE})`,
      `/srv/app/[checkout.ts](${SEND_SEQUENCE})`,
      `[Sign in again](${SEND_SEQUENCE})`,
    ]) {
      assert.ok(ISSUE_LINK.test(raw), `the test input is a link: ${raw}`);
      assertNoNotificationLink(inertText(raw), raw);
    }
  });

  it('no hostile input keeps a link, and each reads as it was written', () => {
    for (const raw of HOSTILE_INPUTS) {
      assertNoNotificationLink(inertText(raw), raw);
      assert.equal(visible(inertText(raw, 100_000)), printable(raw));
    }
  });

  it('cuts long text', () => {
    assert.equal(inertText('x'.repeat(5000)).length, 1000);
  });
});

describe('notice', () => {
  it('fills placeholders with untrusted values that cannot join into a link', () => {
    // "[a" in one value and "](command:…)" in the next would meet in the message.
    const out = notice(l10n.t('Trace Lens: {0}{1}', quoted('[a'), quoted(`](${SEND_SEQUENCE})`)));
    assertNoNotificationLink(out);
    assert.equal(visible(out), `Trace Lens: [a](${SEND_SEQUENCE})`);
  });

  it('cuts each untrusted value', () => {
    const out = notice(l10n.t('no function named {0}.', quoted('f'.repeat(10_000))));
    assert.ok(out.length < 400, `${out.length} characters`);
  });
});

describe('markdownText (hovers, tooltips)', () => {
  it('an autolink in a span name stays text (appendText would leave it live)', () => {
    for (const name of ['<https://evil.test/x>', '<command:traceLens.openTraceById?%5B%5D>']) {
      // What MarkdownString.appendText produces (VS Code 1.139): the link survives.
      const appendText = name.replace(/[\\`*_{}[\]()#+\-!~]/g, '\\$&').replace(/>/g, '\\>');
      assert.equal(rendered(appendText).hrefs.length, 1, `appendText leaves ${name} a link`);
      const r = rendered(markdownText(name));
      assert.deepEqual(r.hrefs, [], `${name}: ${r.html}`);
      assert.equal(r.text.trim(), name);
    }
  });

  it('renders every hostile input as exactly its text, with no link, image, HTML or icon', () => {
    for (const raw of HOSTILE_TEXTS) {
      const r = rendered(markdownText(raw));
      assert.deepEqual(r.hrefs, [], `${JSON.stringify(raw)} → ${r.html}`);
      assert.ok(!/<(?!\/?p>)[a-z]/i.test(r.html), `markup from ${JSON.stringify(raw)}: ${r.html}`);
      // Theme icons render from `$(name)` in the HTML's text: none may remain.
      assert.ok(!/\$\([a-z0-9-]+(?:~[a-z]+)?\)/i.test(r.html), `an icon from ${JSON.stringify(raw)}`);
      assert.equal(visible(r.text).trim(), printable(raw).trim());
    }
  });

  it('keeps lines as paragraphs when asked, one line otherwise', () => {
    assert.equal(rendered(markdownText('a\nb', { lines: true })).html, '<p>a</p>\n<p>b</p>\n');
    assert.equal(rendered(markdownText('a\nb')).text.trim(), 'a b');
  });
});
