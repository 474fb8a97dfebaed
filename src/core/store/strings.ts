/**
 * A string table over UTF-8 bytes: equal byte runs get one ID without being decoded, text is
 * decoded only when asked for (and then cached), and the whole table is a few typed arrays, so
 * a million attribute values cost bytes, not a JS string each, and save to a checkpoint as is.
 */
import { u32, u8, type Grow } from '../otlp/batch';

const utf8 = new TextDecoder('utf-8');
const encoder = new TextEncoder();

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

/** Interned UTF-8 strings, numbered from 0 in order of first use. */
export class StringPool {
  private pool: Grow<Uint8Array>;
  /** `ends[id]` is where string `id` ends in the pool; it starts where `id - 1` ends. */
  private ends: Grow<Uint32Array>;
  private table: Int32Array;
  private readonly decoded: (string | undefined)[] = [];

  /** A new table, or one saved by `save` (its arrays are used as they are, not copied). */
  constructor(pool?: Uint8Array, ends?: Uint32Array, table?: Int32Array) {
    this.pool = u8(1024);
    this.ends = u32(64);
    if (pool && ends) {
      this.pool.data = pool;
      this.pool.length = pool.length;
      this.ends.data = ends;
      this.ends.length = ends.length;
    }
    if (table && table.length >= this.ends.length * 2 && (table.length & (table.length - 1)) === 0) {
      this.table = table;
      return;
    }
    let size = 64;
    while (size < this.ends.length * 2) size <<= 1;
    this.table = new Int32Array(size).fill(-1);
    for (let id = 0; id < this.ends.length; id++) this.place(id);
  }

  /** Number of strings. */
  get size(): number {
    return this.ends.length;
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.pool.length + this.ends.length * 4 + this.table.length * 4;
  }

  private startOf(id: number): number {
    return id === 0 ? 0 : this.ends.data[id - 1]!;
  }

  private place(id: number): void {
    const s = this.startOf(id);
    const mask = this.table.length - 1;
    let slot = hashBytes(this.pool.data, s, this.ends.data[id]!) & mask;
    while (this.table[slot]! >= 0) slot = (slot + 1) & mask;
    this.table[slot] = id;
  }

  private find(buf: Uint8Array, start: number, end: number, h: number): number {
    const table = this.table;
    const mask = table.length - 1;
    const pool = this.pool.data;
    const len = end - start;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const id = table[slot]!;
      if (id < 0) return -(slot + 1);
      const s = this.startOf(id);
      if (this.ends.data[id]! - s !== len) continue;
      let same = true;
      for (let i = 0; i < len; i++) {
        if (pool[s + i] !== buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return id;
    }
  }

  /**
   * The string last interned per (length, first and last byte): attribute keys, span names and
   * many values repeat span after span, and comparing with the one candidate is cheaper than
   * hashing. A wrong guess costs a comparison that fails early.
   */
  private readonly recent = new Int32Array(256).fill(-1);

  /** The ID of `buf[start, end)`, adding it when new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    const slot = len > 0 ? (len * 31 + buf[start]! * 7 + buf[end - 1]!) & 255 : 0;
    const guess = this.recent[slot]!;
    if (guess >= 0) {
      const s = this.startOf(guess);
      if (this.ends.data[guess]! - s === len) {
        const pool = this.pool.data;
        let i = 0;
        while (i < len && pool[s + i] === buf[start + i]) i++;
        if (i === len) return guess;
      }
    }
    const id = this.internHashed(buf, start, end);
    this.recent[slot] = id;
    return id;
  }

  private internHashed(buf: Uint8Array, start: number, end: number): number {
    const found = this.find(buf, start, end, hashBytes(buf, start, end));
    if (found >= 0) return found;
    const id = this.ends.length;
    const len = end - start;
    this.pool.reserve(this.pool.length + len);
    this.pool.data.set(buf.subarray(start, end), this.pool.length);
    this.pool.length += len;
    this.ends.push(this.pool.length);
    this.table[-found - 1] = id;
    if (this.ends.length * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2).fill(-1);
      for (let k = 0; k < this.ends.length; k++) this.place(k);
    }
    return id;
  }

  /** The ID of `text`, adding it when new. */
  internText(text: string): number {
    const b = encoder.encode(text);
    return this.intern(b, 0, b.length);
  }

  /** The ID of `text`, or -1 when the table does not have it. */
  lookup(text: string): number {
    const b = encoder.encode(text);
    const found = this.find(b, 0, b.length, hashBytes(b, 0, b.length));
    return found >= 0 ? found : -1;
  }

  /** The text of string `id`. */
  get(id: number): string {
    let s = this.decoded[id];
    if (s === undefined) {
      s = utf8.decode(this.pool.data.subarray(this.startOf(id), this.ends.data[id]!));
      this.decoded[id] = s;
    }
    return s;
  }

  /** The UTF-8 bytes of string `id` (a view). */
  bytes(id: number): Uint8Array {
    return this.pool.data.subarray(this.startOf(id), this.ends.data[id]!);
  }

  /** The arrays a checkpoint saves. */
  save(): { pool: Uint8Array; ends: Uint32Array; table: Int32Array } {
    return { pool: this.pool.view(), ends: this.ends.view(), table: this.table };
  }
}
