/**
 * The segment file format: a 16-byte header, then framed records appended one after another.
 *
 *   header  "TLSEG001" | f64 created (Unix ms)
 *   frame   u32 payloadLength | u32 crc32(payload) | payload
 *   payload u8 kind (1 traces, 2 logs) | 3 reserved bytes | f64 received (Unix ms) | OTLP protobuf body
 *
 * Little-endian. A frame whose length runs past the end of the file or whose CRC does not match
 * ends the readable part: after a crash that is the torn tail of the last write, which the writer
 * cuts off when it opens the store (a reader just stops there).
 */
import { crc32 } from './crc32';

export const SEGMENT_MAGIC = 'TLSEG001';
export const SEGMENT_HEADER = 16;
export const FRAME_HEADER = 8;
export const RECORD_HEADER = 12;
export const KIND_TRACES = 1;
export const KIND_LOGS = 2;
/** No single record is larger (the receiver caps bodies far below). */
const MAX_PAYLOAD = 1 << 30;

/** The header of a new segment file. */
export function segmentHeader(createdMs: number): Uint8Array {
  const b = new Uint8Array(SEGMENT_HEADER);
  b.set(new TextEncoder().encode(SEGMENT_MAGIC));
  new DataView(b.buffer).setFloat64(8, createdMs, true);
  return b;
}

/** Whether `bytes` starts with a segment header. */
export function isSegment(bytes: Uint8Array): boolean {
  if (bytes.length < SEGMENT_HEADER) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SEGMENT_MAGIC.charCodeAt(i)) return false;
  return true;
}

/** The frame and record header written before `body`. */
export function frameHeader(kind: number, receivedMs: number, body: Uint8Array): Uint8Array {
  const h = new Uint8Array(FRAME_HEADER + RECORD_HEADER);
  const view = new DataView(h.buffer);
  h[FRAME_HEADER] = kind;
  view.setFloat64(FRAME_HEADER + 4, receivedMs, true);
  view.setUint32(0, RECORD_HEADER + body.length, true);
  view.setUint32(4, crc32(body, crc32(h.subarray(FRAME_HEADER))), true);
  return h;
}

/** One readable record of a segment. */
export interface Frame {
  kind: number;
  receivedMs: number;
  /** Where the OTLP body starts in the segment, and its length. */
  bodyOffset: number;
  bodyLength: number;
}

/** The readable records of segment bytes, from `from` (a frame boundary) on. */
export interface FrameScan {
  frames: Frame[];
  /** End of the last good frame: everything after it is a torn or damaged tail. */
  validEnd: number;
}

/** Reads frames until the end of `bytes` or the first frame that does not check out. */
export function scanFrames(bytes: Uint8Array, from = SEGMENT_HEADER): FrameScan {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: Frame[] = [];
  let p = from;
  while (p + FRAME_HEADER + RECORD_HEADER <= bytes.length) {
    const len = view.getUint32(p, true);
    if (len < RECORD_HEADER || len > MAX_PAYLOAD || p + FRAME_HEADER + len > bytes.length) break;
    const payload = bytes.subarray(p + FRAME_HEADER, p + FRAME_HEADER + len);
    if (crc32(payload) !== view.getUint32(p + 4, true)) break;
    const kind = payload[0]!;
    if (kind !== KIND_TRACES && kind !== KIND_LOGS) break;
    frames.push({
      kind,
      receivedMs: view.getFloat64(p + FRAME_HEADER + 4, true),
      bodyOffset: p + FRAME_HEADER + RECORD_HEADER,
      bodyLength: len - RECORD_HEADER,
    });
    p += FRAME_HEADER + len;
  }
  return { frames, validEnd: p };
}
