/**
 * The page's words: the table the host wrote into the page (`data-strings` on `#app`, read by
 * main.ts before anything is drawn), English until then and in tests. Read labels as `S.key`;
 * fill `{0}` with `fmt`.
 */
import { ENGLISH_STRINGS, formatString, type WebviewStrings } from '../src/shared/strings';

/** The current table. */
export let S: WebviewStrings = ENGLISH_STRINGS;

/** Uses `strings` from now on. */
export function useStrings(strings: WebviewStrings): void {
  S = strings;
}

/** `{0}`, `{1}`… of a message filled in. */
export const fmt = formatString;
