/**
 * Checkpoints: a sealed segment's index saved beside it (`<seq>.idx`), so opening a store reads
 * typed arrays back instead of scanning every segment. The file is a list of named arrays
 * (the columns of `SegmentIndex.columns()`, the string table and the scalars) with a CRC-32 at
 * the end; anything that does not check out is ignored and the segment is scanned instead.
 *
 *   "TLIDX001" | u32 count | count × (u8 nameLength, name, u8 type, u32 byteLength, pad to 8, data) | u32 crc32
 */
import { crc32 } from './crc32';
import { SegmentIndex } from './segmentIndex';
import { StringPool } from './strings';

const MAGIC = 'TLIDX001';
type Typed = Uint8Array | Uint32Array | Int32Array | Float64Array;
const TYPES: [number, (b: ArrayBuffer, n: number) => Typed, new (n: number) => Typed][] = [
  [1, (b, n) => new Uint8Array(b, 0, n), Uint8Array],
  [2, (b, n) => new Uint32Array(b, 0, n / 4), Uint32Array],
  [3, (b, n) => new Int32Array(b, 0, n / 4), Int32Array],
  [4, (b, n) => new Float64Array(b, 0, n / 8), Float64Array],
];

function typeCode(a: Typed): number {
  if (a instanceof Uint8Array) return 1;
  if (a instanceof Uint32Array) return 2;
  if (a instanceof Int32Array) return 3;
  return 4;
}

function viewOf(code: number, buffer: ArrayBufferLike, at: number, byteLength: number): Typed {
  if (code === 2) return new Uint32Array(buffer, at, byteLength / 4);
  if (code === 3) return new Int32Array(buffer, at, byteLength / 4);
  return new Float64Array(buffer, at, byteLength / 8);
}

/**
 * A segment index serialised as a list of byte ranges: small headers made here and views on the
 * index's own columns, which a writer hands to `writev` as they are. Copying a sealed segment's
 * columns (tens of MB) into one new buffer first cost the receiver more than the write: fresh
 * memory is paid for page by page on first touch.
 */
export function checkpointParts(index: SegmentIndex): Uint8Array[] {
  const sections: [string, Typed][] = index.columns().map(([name, g]) => [name, g.view()]);
  const { pool, ends, table } = index.strings.save();
  sections.push(
    ['strings.pool', pool],
    ['strings.ends', ends],
    ['strings.table', table],
    ['scalars', index.scalars()],
  );
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(12);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(8, sections.length, true);
  parts.push(head);
  let crc = crc32(head);
  let p = head.length;
  for (const [name, a] of sections) {
    // Name, type and length, padded so that the data starts at a multiple of 8 in the file.
    const start = p;
    p = Math.ceil((p + 1 + name.length + 1 + 4) / 8) * 8;
    const h = new Uint8Array(p - start);
    let q = 0;
    h[q++] = name.length;
    for (let i = 0; i < name.length; i++) h[q++] = name.charCodeAt(i);
    h[q++] = typeCode(a);
    new DataView(h.buffer).setUint32(q, a.byteLength, true);
    const data = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    parts.push(h, data);
    crc = crc32(data, crc32(h, crc));
    p += a.byteLength;
  }
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc, true);
  parts.push(tail);
  return parts;
}

/** Serialises a segment index into one buffer (what `checkpointParts` writes, joined). */
export function saveCheckpoint(index: SegmentIndex): Uint8Array {
  const parts = checkpointParts(index);
  let size = 0;
  for (const b of parts) size += b.length;
  const out = new Uint8Array(size);
  let p = 0;
  for (const b of parts) {
    out.set(b, p);
    p += b.length;
  }
  return out;
}

/** Reads a checkpoint; undefined when it is damaged or from another version. */
export function loadCheckpoint(bytes: Uint8Array): SegmentIndex | undefined {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 4;
  if (view.getUint32(end, true) !== crc32(bytes.subarray(0, end))) return undefined;
  const sections = new Map<string, Typed>();
  const count = view.getUint32(8, true);
  let p = 12;
  for (let s = 0; s < count; s++) {
    if (p >= end) return undefined;
    const nameLen = bytes[p++]!;
    const name = String.fromCharCode(...bytes.subarray(p, p + nameLen));
    p += nameLen;
    const code = bytes[p++]!;
    const byteLength = view.getUint32(p, true);
    p = Math.ceil((p + 4) / 8) * 8;
    if (p + byteLength > end) return undefined;
    const type = TYPES.find((t) => t[0] === code);
    if (!type) return undefined;
    const at = bytes.byteOffset + p;
    const size = code === 1 ? 1 : code === 4 ? 8 : 4;
    if (at % size === 0) {
      // A view on the file's bytes (sections are 8-aligned in the file): no copy.
      sections.set(
        name,
        type[2] === Uint8Array
          ? bytes.subarray(p, p + byteLength)
          : viewOf(code, bytes.buffer, at, byteLength),
      );
    } else {
      const copy = new ArrayBuffer(byteLength);
      new Uint8Array(copy).set(bytes.subarray(p, p + byteLength));
      sections.set(name, type[1](copy, byteLength));
    }
    p += byteLength;
  }
  const pool = sections.get('strings.pool');
  const ends = sections.get('strings.ends');
  const scalars = sections.get('scalars');
  if (!(pool instanceof Uint8Array) || !(ends instanceof Uint32Array) || !(scalars instanceof Float64Array))
    return undefined;
  const table = sections.get('strings.table');
  const index = new SegmentIndex(new StringPool(pool, ends, table instanceof Int32Array ? table : undefined));
  for (const [name, g] of index.columns()) {
    const a = sections.get(name);
    if (!a || a.constructor !== g.data.constructor) return undefined;
    // Exactly the saved length: a loaded index takes no room for growth it may never need.
    g.data = a as typeof g.data;
    g.length = a.length;
  }
  index.restore(scalars);
  return index;
}
