/**
 * Characters as the detector sees them: named UTF-16 code units, and the class table its main
 * loop reads once per probed character.
 */

// Named code units, so the scanner says `QUOTE` where it means '"'.
export const TAB = 0x09;
export const LINE_FEED = 0x0a;
export const ESCAPE = 0x1b;
export const SPACE = 0x20;
export const QUOTE = 0x22; // "
export const HASH = 0x23; // #
export const PERCENT = 0x25; // %
export const APOSTROPHE = 0x27; // '
export const COMMA = 0x2c;
export const DASH = 0x2d;
export const DOT = 0x2e;
export const SLASH = 0x2f;
export const DIGIT_0 = 0x30;
export const DIGIT_1 = 0x31;
export const DIGIT_2 = 0x32;
export const DIGIT_3 = 0x33;
export const DIGIT_7 = 0x37;
export const DIGIT_9 = 0x39;
export const COLON = 0x3a;
export const SEMICOLON = 0x3b;
export const LESS_THAN = 0x3c;
export const EQUALS = 0x3d;
export const GREATER_THAN = 0x3e;
export const QUESTION_MARK = 0x3f;
export const AT = 0x40; // @
export const UPPER_A = 0x41;
export const UPPER_F = 0x46;
export const UPPER_W = 0x57;
export const UPPER_Z = 0x5a;
export const OPEN_BRACKET = 0x5b; // [
export const BACKSLASH = 0x5c;
export const CLOSE_BRACKET = 0x5d; // ]
export const UNDERSCORE = 0x5f;
export const BACKTICK = 0x60;
export const LOWER_A = 0x61;
export const LOWER_D = 0x64;
export const LOWER_F = 0x66;
export const LOWER_G = 0x67;
export const LOWER_Z = 0x7a;
export const OPEN_BRACE = 0x7b; // {
export const CLOSE_BRACE = 0x7d; // }
/** One past the last ASCII code unit. */
export const ASCII_END = 0x80;

// ANSI control sequences (CSI): ESC [, then parameter bytes, intermediate bytes and a final byte.
/** First intermediate byte (intermediate bytes run from here to CSI_PARAM_FIRST - 1). */
export const CSI_INTERMEDIATE_FIRST = 0x20;
/** First parameter byte (`0`). */
export const CSI_PARAM_FIRST = 0x30;
/** Last parameter byte (`?`). */
export const CSI_PARAM_LAST = 0x3f;
/** First final byte (`@`). */
export const CSI_FINAL_FIRST = 0x40;
/** Last final byte (`~`). */
export const CSI_FINAL_LAST = 0x7e;

// Character classes. Bits, so a word run's classes can be OR-ed into one mask.
export const DIGIT = 1;
export const HEXL = 2; // a-f, A-F
export const WORD = 4; // other letters, '_', most non-ASCII
export const SEP = 8;
export const TOKEN = DIGIT | HEXL | WORD;
export const HEX = DIGIT | HEXL;
export const UPPER = 32; // A-F, only in CLS16: tells whether a hex run needs lowercasing

const CLS = new Uint8Array(ASCII_END).fill(SEP);
for (let c = DIGIT_0; c <= DIGIT_9; c++) CLS[c] = DIGIT;
for (let c = UPPER_A; c <= UPPER_Z; c++) CLS[c] = c <= UPPER_F ? HEXL : WORD;
for (let c = LOWER_A; c <= LOWER_Z; c++) CLS[c] = c <= LOWER_F ? HEXL : WORD;
CLS[UNDERSCORE] = WORD;

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
for (let c = UPPER_A; c <= UPPER_F; c++) CLS16[c] = HEXL | UPPER;

/** Class of `c`; SEP for -1 (outside the text). */
export function cls(c: number): number {
  return c < 0 ? SEP : c < ASCII_END ? CLS[c]! : highClass(c);
}

/** Whether `c` is an ASCII hex digit. */
export function isHex(c: number): boolean {
  return c >= 0 && c < ASCII_END && (CLS[c]! & HEX) !== 0;
}

/** `c` lower-cased if it is an ASCII capital. */
export function lower(c: number): number {
  return c >= UPPER_A && c <= UPPER_Z ? c + (LOWER_A - UPPER_A) : c;
}
