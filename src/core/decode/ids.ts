/**
 * Span and trace IDs arrive as hex (OTLP/JSON spec, Jaeger, Zipkin), standard base64 (Tempo's
 * jsonpb output) or raw bytes (protobuf). Everything here turns them into lowercase hex or into
 * two 32-bit words without allocating per call.
 */

/** Value of a hex digit by its code (byte or UTF-16 code unit below 256); -1 for anything else. */
export const HEX_VALUE = new Int8Array(256).fill(-1);
/** Value of a base64 (or base64url) digit by its code below 256; -1 for anything else. */
export const B64_VALUE = new Int8Array(256).fill(-1);
const HEX_DIGITS = '0123456789abcdef';
/** Two hex digits per byte value, so bytes become hex with one lookup each. */
const BYTE_HEX: string[] = [];

for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[65 + i] = 10 + i;
  HEX_VALUE[97 + i] = 10 + i;
}
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
// base64url, accepted leniently: some exporters use it.
B64_VALUE[45] = 62;
B64_VALUE[95] = 63;
for (let i = 0; i < 256; i++) BYTE_HEX.push(HEX_DIGITS[i >> 4]! + HEX_DIGITS[i & 15]!);

/** True when `s` is 16 or 32 hex digits (the rule for telling hex IDs from base64 ones). */
function isHexId(s: string): boolean {
  const n = s.length;
  if (n !== 16 && n !== 32) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || HEX_VALUE[c]! < 0) return false;
  }
  return true;
}

/**
 * Decodes an ID string into `out` and returns the number of bytes, or -1 when it is neither hex
 * nor base64. A 16- or 32-character hex string is hex; anything else is base64.
 */
export function idStringToBytes(s: string, out: Uint8Array): number {
  if (isHexId(s)) {
    const n = s.length >> 1;
    for (let i = 0; i < n; i++) {
      out[i] = (HEX_VALUE[s.charCodeAt(2 * i)]! << 4) | HEX_VALUE[s.charCodeAt(2 * i + 1)]!;
    }
    return n;
  }
  return base64ToBytes(s, out);
}

/** Standard (or url-safe) base64, padding optional. Returns the byte count or -1. */
export function base64ToBytes(s: string, out: Uint8Array): number {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61) len--; // '='
  let bits = 0;
  let acc = 0;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) return -1;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n >= out.length) return -1;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return n;
}

/** Bytes as lowercase hex, left-padded with zeros to `width` characters. */
export function bytesToHex(bytes: Uint8Array, start: number, end: number, width: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += BYTE_HEX[bytes[i]!]!;
  return s.length < width ? s.padStart(width, '0') : s;
}

/** Standard base64 with padding, for `bytesValue` attributes read from protobuf. */
export function bytesToBase64(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  let i = start;
  for (; i + 2 < end; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    s += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
  }
  if (end - i === 1) {
    const v = bytes[i]! << 16;
    s += B64[v >> 18]! + B64[(v >> 12) & 63]! + '==';
  } else if (end - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    s += B64[v >> 18]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + '=';
  }
  return s;
}

/**
 * Reads the last (up to) 8 bytes of `bytes[start, end)` as a big-endian 64-bit ID into `words`
 * (high word at 0, low word at 1). Shorter IDs are left-padded with zeros.
 */
export function bytesToIdWords(bytes: Uint8Array, start: number, end: number, words: Uint32Array): void {
  let hi = 0;
  let lo = 0;
  const from = Math.max(start, end - 8);
  for (let i = from; i < end; i++) {
    hi = ((hi << 8) | (lo >>> 24)) >>> 0;
    lo = ((lo << 8) | bytes[i]!) >>> 0;
  }
  words[0] = hi;
  words[1] = lo;
}

/** Span ID words as 16 lowercase hex digits. */
export function idWordsToHex(hi: number, lo: number): string {
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/**
 * Decodes a hex ID of any length up to 32 digits (Jaeger and Zipkin drop leading zeros; an odd
 * length gets a leading zero as Tempo does) into `out`, right-aligned in `width` bytes.
 * Returns false when `s` is not hex or too long.
 */
export function hexToBytes(s: string, out: Uint8Array, width: number): boolean {
  const n = s.length;
  if (n === 0 || n > 2 * width) return false;
  out.fill(0, 0, width);
  // Walk from the last digit so the value ends up right-aligned (left-padded with zeros).
  let byte = width - 1;
  for (let i = n - 1; i >= 0; i -= 2) {
    const lo = s.charCodeAt(i);
    const hi = i > 0 ? s.charCodeAt(i - 1) : 48;
    const a = hi < 128 ? HEX_VALUE[hi]! : -1;
    const b = lo < 128 ? HEX_VALUE[lo]! : -1;
    if (a < 0 || b < 0) return false;
    out[byte--] = (a << 4) | b;
  }
  return true;
}
