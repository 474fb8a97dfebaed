/**
 * A protobuf writer into one growable buffer. Nested messages are written in place: `begin`
 * leaves one byte for the length and `end` fills it in, moving the body along in the rare case
 * the length needs more than one byte, so the output is canonical (minimal varints) without a
 * buffer per nested message.
 */

const utf8 = new TextEncoder();

/** Writes protobuf wire format. */
export class ProtoWriter {
  buf: Uint8Array;
  len = 0;
  private readonly starts: number[] = [];

  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  /** A varint below 2^32. */
  uint32(v: number): void {
    this.room(5);
    let n = v >>> 0;
    while (n >= 0x80) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.len++] = n;
  }

  /** A 64-bit varint from its two 32-bit halves (two's complement for negatives). */
  varint64(lo: number, hi: number): void {
    this.room(10);
    let l = lo >>> 0;
    let h = hi >>> 0;
    while (h > 0 || l >= 0x80) {
      this.buf[this.len++] = (l & 0x7f) | 0x80;
      l = ((l >>> 7) | (h << 25)) >>> 0;
      h >>>= 7;
    }
    this.buf[this.len++] = l;
  }

  tag(field: number, wireType: number): void {
    this.uint32((field << 3) | wireType);
  }

  fixed32(v: number): void {
    this.room(4);
    const b = this.buf;
    let p = this.len;
    b[p++] = v & 0xff;
    b[p++] = (v >>> 8) & 0xff;
    b[p++] = (v >>> 16) & 0xff;
    b[p++] = (v >>> 24) & 0xff;
    this.len = p;
  }

  /** A fixed64 from its two 32-bit halves. */
  fixed64(lo: number, hi: number): void {
    this.fixed32(lo);
    this.fixed32(hi);
  }

  double(v: number): void {
    this.room(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setFloat64(this.len, v, true);
    this.len += 8;
  }

  /** A length-delimited field holding `bytes[start, end)`. */
  bytes(field: number, bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.tag(field, 2);
    this.uint32(end - start);
    this.raw(bytes, start, end);
  }

  string(field: number, s: string): void {
    this.bytes(field, utf8.encode(s));
  }

  /** Bytes copied as they are (already encoded fields). */
  raw(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.room(end - start);
    this.buf.set(bytes.subarray(start, end), this.len);
    this.len += end - start;
  }

  /** Starts a nested message in field `field`; close it with `end()`. */
  begin(field: number): void {
    this.tag(field, 2);
    this.room(1);
    this.starts.push(this.len);
    this.len++;
  }

  /** Closes the message opened by the matching `begin`. */
  end(): void {
    const at = this.starts.pop();
    if (at === undefined) throw new Error('ProtoWriter.end() without begin()');
    const bodyStart = at + 1;
    const size = this.len - bodyStart;
    let extra = 0;
    for (let n = size >>> 7; n > 0; n >>>= 7) extra++;
    if (extra > 0) {
      this.room(extra);
      this.buf.copyWithin(bodyStart + extra, bodyStart, this.len);
      this.len += extra;
    }
    let n = size;
    let p = at;
    while (n >= 0x80) {
      this.buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[p] = n;
  }

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    if (this.starts.length > 0) throw new Error('ProtoWriter.finish() with an open message');
    return this.buf.slice(0, this.len);
  }
}
