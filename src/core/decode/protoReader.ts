/**
 * A minimal protobuf wire-format reader over a Uint8Array: varints, fixed32/64, doubles and
 * length-delimited fields, with bounds checks that turn truncated or damaged input into a
 * `TraceDecodeError` instead of reading garbage.
 */
import { TraceDecodeError } from './types';

/** Wire types (the low 3 bits of a tag). */
export const enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

/** Reads protobuf fields; `pos` is public so decoders can save and restore positions. */
export class ProtoReader {
  pos = 0;
  /** Low and high 32 bits of the last `varint64`/`fixed64` read. */
  lo = 0;
  hi = 0;
  readonly buf: Uint8Array;
  private readonly view: DataView;

  constructor(buf: Uint8Array) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** The error for bytes that do not form a valid message. */
  damaged(what = 'the data ends in the middle of a field'): TraceDecodeError {
    return new TraceDecodeError(
      'malformed',
      `The protobuf trace is damaged near byte ${this.pos} of ${this.buf.length}: ${what}. The body may be truncated, or not a trace at all.`,
    );
  }

  /** A varint, truncated to its low 32 bits, as an unsigned number. */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    let b = buf[pos++]!;
    let v = b & 0x7f;
    if (b >= 0x80) {
      b = buf[pos++]!;
      v |= (b & 0x7f) << 7;
      if (b >= 0x80) {
        b = buf[pos++]!;
        v |= (b & 0x7f) << 14;
        if (b >= 0x80) {
          b = buf[pos++]!;
          v |= (b & 0x7f) << 21;
          if (b >= 0x80) {
            b = buf[pos++]!;
            v |= (b & 0x0f) << 28;
            // Up to five more bytes for 64-bit values; their bits are dropped.
            for (let k = 0; b >= 0x80 && k < 5; k++) b = buf[pos++]!;
            if (b >= 0x80) {
              this.pos = pos;
              throw this.damaged('a varint is longer than 10 bytes');
            }
          }
        }
      }
    }
    if (pos > buf.length) {
      this.pos = buf.length;
      throw this.damaged();
    }
    this.pos = pos;
    return v >>> 0;
  }

  /** A 64-bit varint into `lo`/`hi`. */
  varint64(): void {
    const buf = this.buf;
    let lo = 0;
    let hi = 0;
    let b = 0;
    let done = false;
    for (let i = 0; i < 4; i++) {
      b = buf[this.pos++]!;
      lo |= (b & 0x7f) << (7 * i);
      if (b < 0x80) {
        done = true;
        break;
      }
    }
    if (!done) {
      b = buf[this.pos++]!;
      lo |= (b & 0x7f) << 28;
      hi = (b & 0x7f) >> 4;
      if (b >= 0x80) {
        for (let i = 0; i < 5; i++) {
          b = buf[this.pos++]!;
          hi |= (b & 0x7f) << (7 * i + 3);
          if (b < 0x80) {
            done = true;
            break;
          }
        }
        if (!done) {
          if (this.pos > buf.length) this.pos = buf.length;
          throw this.damaged(this.pos >= buf.length ? undefined : 'a varint is longer than 10 bytes');
        }
      }
    }
    if (this.pos > buf.length) {
      this.pos = buf.length;
      throw this.damaged();
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
  }

  /** A little-endian fixed32. */
  fixed32(): number {
    if (this.pos + 4 > this.buf.length) throw this.damaged();
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A little-endian fixed64 into `lo`/`hi`. */
  fixed64(): void {
    if (this.pos + 8 > this.buf.length) throw this.damaged();
    this.lo = this.view.getUint32(this.pos, true);
    this.hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
  }

  /** A little-endian IEEE 754 double. */
  double(): number {
    if (this.pos + 8 > this.buf.length) throw this.damaged();
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads a length prefix and returns where the field ends (checked against `limit`). */
  bytesEnd(limit: number): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > limit) throw this.damaged(`a field of ${len} bytes runs past the end of its message`);
    return end;
  }

  /** Skips one field's value of the given wire type. */
  skip(wireType: number, limit: number): void {
    switch (wireType) {
      case WireType.Varint:
        this.varint64();
        break;
      case WireType.Fixed64:
        this.pos += 8;
        break;
      case WireType.Bytes:
        this.pos = this.bytesEnd(limit);
        break;
      case WireType.Fixed32:
        this.pos += 4;
        break;
      default:
        throw this.damaged(`wire type ${wireType} is not used by traces`);
    }
    if (this.pos > limit) throw this.damaged();
  }
}

/** True when `buf[start, end)` holds exactly the bytes of `ascii`. */
export function bytesEqual(buf: Uint8Array, start: number, end: number, ascii: Uint8Array): boolean {
  if (end - start !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (buf[start + i] !== ascii[i]) return false;
  return true;
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of `buf[start, end)`; short ASCII strings skip the TextDecoder call. */
export function utf8Text(buf: Uint8Array, start: number, end: number): string {
  if (end - start < 32) {
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      if (c >= 0x80) return utf8.decode(buf.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(buf.subarray(start, end));
}

/**
 * Interns strings read as bytes: equal byte runs map to one index without decoding them again.
 * Span names repeat heavily, so this saves a UTF-8 decode per span.
 */
export class ByteInterner {
  readonly values: string[] = [];
  private table = new Int32Array(64).fill(-1);
  private hashes: number[] = [];
  private pool = new Uint8Array(1024);
  private poolUsed = 0;
  private offsets: number[] = [];

  intern(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const table = this.table;
    const mask = table.length - 1;
    let slot = h & mask;
    for (;;) {
      const k = table[slot]!;
      if (k < 0) break;
      if (this.hashes[k] === h) {
        const off = this.offsets[k]!;
        const len = this.offsets[k + 1]! - off;
        if (len === end - start) {
          let same = true;
          for (let i = 0; i < len; i++) {
            if (this.pool[off + i] !== buf[start + i]) {
              same = false;
              break;
            }
          }
          if (same) return k;
        }
      }
      slot = (slot + 1) & mask;
    }
    const k = this.values.length;
    this.values.push(utf8Text(buf, start, end));
    this.hashes.push(h);
    if (this.offsets.length === 0) this.offsets.push(0);
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      bigger.set(this.pool.subarray(0, this.poolUsed));
      this.pool = bigger;
    }
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    this.poolUsed += len;
    this.offsets.push(this.poolUsed);
    table[slot] = k;
    if (this.values.length * 2 > table.length) this.rehash();
    return k;
  }

  /** Interns a string given as text. */
  internText(s: string): number {
    const bytes = new TextEncoder().encode(s);
    return this.intern(bytes, 0, bytes.length);
  }

  private rehash(): void {
    const table = new Int32Array(this.table.length * 2).fill(-1);
    const mask = table.length - 1;
    for (let k = 0; k < this.values.length; k++) {
      let slot = this.hashes[k]! & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = k;
    }
    this.table = table;
  }
}
