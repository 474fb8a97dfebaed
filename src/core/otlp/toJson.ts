/**
 * Protobuf → JSON in the style Tempo's API writes (gogo jsonpb): IDs and bytes as standard
 * base64, enums as names, 64-bit integers as decimal strings, zero values left out except oneof
 * members. The query API answers JSON trace-by-ID requests with it, so a client that reads
 * Tempo reads the local store unchanged.
 */
import { bytesToBase64 } from '../decode';
import { ProtoReader, utf8Text } from '../decode';
import { fieldByNumber, wireTypeOf, type FieldSpec, type MessageName } from './schema';

/** A JSON value as this module builds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 64;

function uint64String(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function int64String(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

function doubleJson(d: number): JsonValue {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  return d;
}

/** Reads `buf[start, end)` as message `type` into a JSON object. */
function message(
  r: ProtoReader,
  type: MessageName,
  start: number,
  end: number,
  depth: number,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (depth > MAX_DEPTH) return out;
  const buf = r.buf;
  r.pos = start;
  while (r.pos < end) {
    const tag = r.uint32();
    const wire = tag & 7;
    const field: FieldSpec | undefined = fieldByNumber(type, tag >>> 3);
    if (!field || wireTypeOf(field.kind) !== wire) {
      r.skip(wire, end);
      continue;
    }
    let value: JsonValue;
    switch (field.kind) {
      case 'message': {
        const e = r.bytesEnd(end);
        value = message(r, field.type!, r.pos, e, depth + 1);
        r.pos = e;
        break;
      }
      case 'string': {
        const e = r.bytesEnd(end);
        value = utf8Text(buf, r.pos, e);
        r.pos = e;
        break;
      }
      case 'bytes':
      case 'id': {
        const e = r.bytesEnd(end);
        value = bytesToBase64(buf, r.pos, e);
        r.pos = e;
        break;
      }
      case 'fixed64':
        r.fixed64();
        value = uint64String(r.lo, r.hi);
        break;
      case 'int64':
        r.varint64();
        value = int64String(r.lo, r.hi);
        break;
      case 'fixed32':
        value = r.fixed32();
        break;
      case 'uint32':
        value = r.uint32();
        break;
      case 'int32':
        value = r.uint32() | 0;
        break;
      case 'bool':
        r.varint64();
        value = r.lo !== 0 || r.hi !== 0;
        break;
      case 'double':
        value = doubleJson(r.double());
        break;
      case 'enum': {
        const n = r.uint32() | 0;
        value = field.names![n] ?? n;
        break;
      }
    }
    if (field.repeated) {
      const list = out[field.json];
      if (Array.isArray(list)) list.push(value);
      else out[field.json] = [value];
    } else out[field.json] = value;
  }
  return out;
}

/** Decodes protobuf `bytes` of message `type` into Tempo-style JSON. Throws on damaged input. */
export function protoToJson(
  type: MessageName,
  bytes: Uint8Array,
  start = 0,
  end = bytes.length,
): Record<string, JsonValue> {
  return message(new ProtoReader(bytes), type, start, end, 0);
}
