/**
 * ID helpers of the detector: base64 and decimal IDs as hex, and the all-zero check. (What a
 * valid trace ID is, `normalizeTraceId`, lives in src/shared/traceId.ts.)
 */
const ASCII_END = 0x80;
const DIGIT_0 = 0x30; // '0'
const EQUALS = 0x3d; // '=', base64 padding

const HEX_DIGITS = '0123456789abcdef';
const B64 = new Int8Array(ASCII_END).fill(-1);
for (let i = 0; i < 64; i++) {
  B64['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)] = i;
}
const MAX_U64 = (1n << 64n) - 1n;

/** Whether `t[from, to)` is all standard base64 characters. */
export function isBase64(t: string, from: number, to: number): boolean {
  for (let p = from; p < to; p++) {
    const c = t.charCodeAt(p);
    if (c >= ASCII_END || B64[c]! < 0) return false;
  }
  return true;
}

/**
 * The base64 at `t[from, to)` (checked with `isBase64`; `=` ends it) as `bytes` bytes of lowercase
 * hex; undefined if it is shorter or all zero.
 */
export function base64ToHex(t: string, from: number, to: number, bytes: number): string | undefined {
  let hex = '';
  let acc = 0;
  let bits = 0;
  let zero = true;
  for (let p = from; p < to && hex.length < bytes * 2; p++) {
    const c = t.charCodeAt(p);
    if (c === EQUALS) break;
    acc = ((acc << 6) | B64[c]!) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const b = (acc >> bits) & 0xff;
      if (b !== 0) zero = false;
      hex += HEX_DIGITS[b >> 4]! + HEX_DIGITS[b & 15]!;
    }
  }
  return hex.length === bytes * 2 && !zero ? hex : undefined;
}

/** Whether every character of `hex` is '0'. */
export function isZero(hex: string): boolean {
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== DIGIT_0) return false;
  return true;
}

/** A decimal up to 2^64-1 as lowercase hex left-padded to `width`; undefined if zero or too big. */
export function decimalToHex(dec: string, width: number): string | undefined {
  if (dec.length === 0 || dec.length > 20) return undefined;
  if (dec.length <= 15) {
    // Below 2^53 a Number is exact and much cheaper than a BigInt.
    const small = Number(dec);
    return small === 0 ? undefined : small.toString(16).padStart(width, '0');
  }
  const v = BigInt(dec);
  if (v === 0n || v > MAX_U64) return undefined;
  return v.toString(16).padStart(width, '0');
}
