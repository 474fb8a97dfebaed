/**
 * CRC-32 (IEEE 802.3, the one zlib and gzip use) of a byte range. Node 20.15 and later have it
 * natively as `zlib.crc32`; older Node 20 releases get the table-driven version here.
 */
import * as zlib from 'node:zlib';

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** The table-driven CRC-32, exported for the test that compares it with zlib's. */
export function crc32Portable(bytes: Uint8Array, initial = 0): number {
  let c = ~initial;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `bytes`, unsigned; `initial` continues the CRC of bytes that came before. */
export const crc32: (bytes: Uint8Array, initial?: number) => number = native
  ? (b, initial = 0) => native(b, initial) >>> 0
  : crc32Portable;
