/**
 * Text written by strangers (trace attributes, span names, server bodies, deep links, a cloned
 * repository's settings) made inert before the workbench renders it. Two renderers turn text into
 * live links:
 * - notification messages (`show{Information,Warning,Error}Message`, and `withProgress` titles in
 *   notifications) turn `[label](command:…)`, `[label](https://…)` and `[label](file:…)` into links
 *   that run the command, with its JSON arguments, on one click;
 * - Markdown (hovers, tooltips) turns `<scheme:…>` autolinks, bare `https://…`, `www.…` and e-mail
 *   addresses (GFM), `[label](…)`, HTML and `$(icon)` syntax into markup. `MarkdownString.appendText`
 *   leaves `<scheme:…>` and bare URLs alone.
 * Pure; the host's only way to show a notification (`host/notify.ts`) takes `InertText` from here.
 */

/** The workbench's link syntax in notification messages (VS Code 1.139, `linkedText.ts`). */
export const NOTIFICATION_LINK =
  /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?:\s+(["'])(.+?)\3)?\)/gi;

/** A CommonMark autolink's opening: `<` then a URI scheme and `:` (`<https:`, `<command:`). */
export const AUTOLINK_START = /<[A-Za-z][A-Za-z0-9+.-]{1,31}:/;

declare const inertBrand: unique symbol;
/** Text that no notification renderer turns into a link; only this module makes it. */
export type InertText = string & { readonly [inertBrand]: true };

const ZWSP = '\u200b';
/** Longest untrusted value quoted in a notification; the workbench cuts the message at 1,000. */
const MAX_ARG = 300;

// C0/C1 controls, DEL, and bidi marks and overrides (which can make a quoted text read backwards).
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

function oneLine(text: string, max: number): string {
  const flat = text.replace(UNPRINTABLE, ' ');
  return flat.length > max ? `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}…` : flat;
}

/**
 * Text no notification turns into a link. A zero-width space after every `]` breaks the `](`
 * that every link needs (the text reads the same), one after every `<` breaks `<scheme:`
 * autolinks should a message ever be rendered as Markdown; control characters and bidi overrides
 * become spaces. Backslashes need nothing: notifications do not read escapes.
 */
export function inertText(text: string, max = 1000): InertText {
  const out = oneLine(text, max).replace(/\]/g, `]${ZWSP}`).replace(/</g, `<${ZWSP}`);
  return out as InertText;
}

/**
 * An untrusted value to quote in a notification, as one line cut to a sane length; pass it as an
 * argument of `l10n.t` and the result to `notice`.
 */
export function quoted(value: string | number | boolean): string | number | boolean {
  return typeof value === 'string' ? oneLine(value, MAX_ARG) : value;
}

/**
 * A notification message: our own words, localized by `l10n.t` (from `@vscode/l10n`) with the
 * untrusted values filled in through `quoted`, made inert as a whole. The whole message is
 * escaped, not only the arguments, so a `[` in one argument and `](…)` in the next cannot meet,
 * and a translation cannot add a link either.
 */
export function notice(localized: string): InertText {
  return inertText(localized);
}

/** Whether `text` holds a link that a notification or Markdown would make live (for tests and asserts). */
export function hasLiveLink(text: string): boolean {
  return new RegExp(NOTIFICATION_LINK.source, 'i').test(text) || AUTOLINK_START.test(text);
}

/**
 * Markdown source that renders as exactly `text`: every ASCII punctuation character is
 * backslash-escaped (so no link, autolink, bare-URL or e-mail link, emphasis, heading, list, HTML
 * or entity can form), `$(` gets a zero-width space (no theme icon), control characters become
 * spaces. With `lines`, line breaks stay as paragraph breaks; otherwise the text is one line.
 */
export function markdownText(text: string, options: { lines?: boolean; max?: number } = {}): string {
  const max = options.max ?? 10_000;
  const lines = options.lines ? text.split(/\r\n|\r|\n/) : [text];
  return lines
    .map((line) =>
      oneLine(line, max)
        .replace(/\$\(/g, `$${ZWSP}(`)
        .replace(/[!-/:-@[-`{-~]/g, '\\$&'),
    )
    .join('\n\n');
}
