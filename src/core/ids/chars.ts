/**
 * Characters as the detector sees them: the class tables its main loop reads once per probed
 * character. (The character codes it compares against are named in detect.ts itself; see there.)
 */

const code = (c: string): number => c.charCodeAt(0);
/** One past the last ASCII code unit. */
const ASCII_END = 0x80;

// Character classes. Bits, so a word run's classes can be OR-ed into one mask.
export const DIGIT = 1;
export const HEXL = 2; // a-f, A-F
export const WORD = 4; // other letters, '_', most non-ASCII
export const SEP = 8;
export const TOKEN = DIGIT | HEXL | WORD;
export const HEX = DIGIT | HEXL;
export const UPPER = 32; // A-F, only in CLS16: tells whether a hex run needs lowercasing

const CLS = new Uint8Array(ASCII_END).fill(SEP);
for (let c = code('0'); c <= code('9'); c++) CLS[c] = DIGIT;
for (let c = code('A'); c <= code('Z'); c++) CLS[c] = c <= code('F') ? HEXL : WORD;
for (let c = code('a'); c <= code('z'); c++) CLS[c] = c <= code('f') ? HEXL : WORD;
CLS[code('_')] = WORD;

/** Class of a non-ASCII character: letters glue to IDs, spaces and symbols (box drawing, arrows) do not. */
function highClass(c: number): number {
  if (c === 0xa0 || c === 0x3000 || c === 0xfeff) return SEP; // no-break, ideographic space; BOM
  if (c >= 0x2000 && c <= 0x2bff) return SEP; // punctuation, arrows, box drawing, symbols
  if (c >= 0xff01 && c <= 0xff0f) return SEP; // full-width punctuation
  if (c >= 0xd800 && c <= 0xdfff) return SEP; // astral symbols (emoji)
  return WORD;
}

/** The class of every UTF-16 code unit (plus UPPER), so the main loop needs no range check. */
export const CLS16 = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) CLS16[c] = c < ASCII_END ? CLS[c]! : highClass(c);
for (let c = code('A'); c <= code('F'); c++) CLS16[c] = HEXL | UPPER;

/** Class of `c`; SEP for -1 (outside the text). */
export function cls(c: number): number {
  return c < 0 ? SEP : c < ASCII_END ? CLS[c]! : highClass(c);
}

/** Whether `c` is an ASCII hex digit. */
export function isHex(c: number): boolean {
  return c >= 0 && c < ASCII_END && (CLS[c]! & HEX) !== 0;
}

const UPPER_A = code('A');
const UPPER_Z = code('Z');
const CASE_OFFSET = code('a') - code('A');

/** `c` lower-cased if it is an ASCII capital. */
export function lower(c: number): number {
  return c >= UPPER_A && c <= UPPER_Z ? c + CASE_OFFSET : c;
}
