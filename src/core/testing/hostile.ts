/**
 * Hostile text for tests of everything that shows untrusted text (notifications, hovers,
 * tooltips): the findings of issue 17 and their variations, and the checks that nothing became
 * a link. Test-only code.
 */
import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import { AUTOLINK_START, hasLiveLink } from '../untrusted';

/** What one click on each link would run: type into the user's terminal. */
export const SEND_SEQUENCE =
  'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22touch%20%2Ftmp%2Fpwned%5Cn%22%7D';

/** Strings a trace, a server or a deep link can carry. */
export const HOSTILE_TEXTS: readonly string[] = [
  // Issue 17, item 1: a span's code.function, its code.filepath, a 500 body, a deep link's path.
  `handleCheckout [open](${SEND_SEQUENCE})`,
  `/srv/app/[checkout.ts](${SEND_SEQUENCE})`,
  `upstream error: [Sign in again](${SEND_SEQUENCE})`,
  `/[Open trace](${SEND_SEQUENCE})`,
  // Other schemes and forms the workbench's pattern accepts.
  '[docs](https://evil.test/x "a title")',
  "[docs](https://evil.test/x 'a title')",
  '[x](file:///etc/passwd)',
  '[x](COMMAND:workbench.action.openSettings)',
  // Split across what a message quotes ("[a" from one value, "](command:…)" from the next).
  `[a`,
  `](${SEND_SEQUENCE})`,
  // Issue 17, item 6: autolinks that Markdown makes live even after appendText.
  '<https://evil.test/x>',
  '<command:traceLens.openTraceById?%5B%7B%22traceId%22%3A%224bf92f3577b34da6a3ce929d0e0e4736%22%7D%5D>',
  '<mailto:a@evil.test>',
  '<a@evil.test>',
  // GFM's bare links.
  'see https://evil.test/x and www.evil.test and a@evil.test',
  // Markdown and HTML syntax.
  '![img](https://evil.test/i.png)',
  '[ref]: https://evil.test/ref',
  '<img src=x onerror=alert(1)>',
  '<a href="command:workbench.action.terminal.new">x</a>',
  '&lt;https://evil.test/x&gt;',
  '\\<https://evil.test/x\\>',
  '\\[x\\](command:workbench.action.terminal.new)',
  '`code` **bold** _em_ # heading',
  '$(alert) $(loading~spin)',
  // Control characters, bidi overrides, line breaks.
  'line\n[x](command:a)\r\n# heading\u202e\u0000',
];

/** Each hostile text, and all of them in one string. */
export const HOSTILE_INPUTS: readonly string[] = [...HOSTILE_TEXTS, HOSTILE_TEXTS.join(' ')];

/** The workbench's link pattern as issue 17 quotes it (VS Code 1.139 also takes '…' titles). */
export const ISSUE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?:\s+"([^"]*)")?\)/i;

/** Asserts `message` holds nothing a notification would make a link. */
export function assertNoNotificationLink(message: string, what = message): void {
  assert.ok(!ISSUE_LINK.test(message), `a notification link in ${JSON.stringify(what)}`);
  assert.ok(!hasLiveLink(message), `a live link in ${JSON.stringify(what)}`);
  assert.ok(!AUTOLINK_START.test(message), `a <scheme: autolink in ${JSON.stringify(what)}`);
}

/** What VS Code's Markdown renderer (marked, GFM) makes of `source`: its links, images and HTML. */
export function rendered(source: string): { html: string; hrefs: string[]; text: string } {
  const html = marked.parse(source, { async: false, gfm: true });
  const hrefs = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]!);
  const text = html
    .replace(/<br>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return { html, hrefs, text };
}
