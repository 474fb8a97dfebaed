/**
 * OTLP/JSON → protobuf. The receiver stores protobuf only, so a JSON export is transcoded once
 * on arrival, walking the schema in `schema.ts`. The rules are the OTLP/JSON ones: lowerCamelCase
 * keys (snake_case accepted), trace and span IDs as hex (base64 accepted, as Tempo writes it),
 * enums as integers (names accepted), 64-bit integers as decimal strings (numbers accepted),
 * unknown keys ignored. A value of the wrong type fails the whole request with the path to it,
 * as a protobuf decoder fails on a damaged message.
 */
import { idStringToBytes } from '../decode';
import { ProtoWriter } from './protoWriter';
import { fieldByJson, type FieldSpec, type MessageName } from './schema';

/** A body that is not the OTLP message it claims to be; `message` names where and why. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}

const MAX_DEPTH = 64;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_VALUE[B64.charCodeAt(i)] = i;
B64_VALUE[45] = 62;
B64_VALUE[95] = 63;

type Path = () => string;

function fail(path: Path, what: string): never {
  throw new OtlpDecodeError(`${path() || 'the body'}: ${what}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** A decimal integer string or a number as two's-complement 64-bit halves. */
function int64Words(v: unknown, signed: boolean, path: Path): [number, number] {
  let big: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) fail(path, `expected an integer, got ${describe(v)}`);
    big = BigInt(v);
  } else if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) {
    big = BigInt(v);
  } else {
    fail(path, `expected an integer (a decimal string), got ${describe(v)}`);
  }
  const min = signed ? -(1n << 63n) : 0n;
  const max = signed ? (1n << 63n) - 1n : (1n << 64n) - 1n;
  if (big < min || big > max) fail(path, `${String(v)} is out of range`);
  const u = BigInt.asUintN(64, big);
  return [Number(u & 0xffffffffn), Number(u >> 32n)];
}

function uint32Of(v: unknown, signed: boolean, path: Path): number {
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) fail(path, `expected an integer, got ${describe(v)}`);
  if (signed ? n < -0x80000000 || n > 0x7fffffff : n < 0 || n > 0xffffffff)
    fail(path, `${String(v)} is out of range`);
  return n;
}

function doubleOf(v: unknown, path: Path): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  fail(path, `expected a number, got ${describe(v)}`);
}

function base64Bytes(s: string, path: Path): Uint8Array {
  let len = s.length;
  while (len > 0 && s.charCodeAt(len - 1) === 61) len--;
  const out = new Uint8Array(Math.floor((len * 6) / 8));
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_VALUE[c]! : -1;
    if (v < 0) fail(path, 'expected base64 bytes');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

const idScratch = new Uint8Array(64);

class JsonToProto {
  constructor(readonly w: ProtoWriter) {}

  message(type: MessageName, o: unknown, path: Path, depth: number): void {
    if (typeof o !== 'object' || o === null || Array.isArray(o))
      fail(path, `expected an object, got ${describe(o)}`);
    if (depth > MAX_DEPTH) fail(path, `nested more than ${MAX_DEPTH} levels deep`);
    const record = o as Record<string, unknown>;
    for (const key in record) {
      const field = fieldByJson(type, key);
      const value = record[key];
      if (!field || value === null || value === undefined) continue;
      const at: Path = () => `${path()}${path() ? '.' : ''}${key}`;
      if (field.repeated) {
        if (!Array.isArray(value)) fail(at, `expected an array, got ${describe(value)}`);
        for (let i = 0; i < value.length; i++) {
          const item: unknown = value[i];
          if (item === null) fail(() => `${at()}[${i}]`, 'null in a list');
          this.field(field, item, () => `${at()}[${i}]`, depth);
        }
      } else this.field(field, value, at, depth);
    }
  }

  private field(field: FieldSpec, v: unknown, path: Path, depth: number): void {
    const w = this.w;
    switch (field.kind) {
      case 'message':
        w.begin(field.no);
        this.message(field.type!, v, path, depth + 1);
        w.end();
        return;
      case 'string':
        if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
        if (v !== '' || field.oneof) w.string(field.no, v);
        return;
      case 'bytes':
        if (typeof v !== 'string') fail(path, `expected base64 bytes, got ${describe(v)}`);
        w.bytes(field.no, base64Bytes(v, path));
        return;
      case 'id': {
        if (typeof v !== 'string') fail(path, `expected a hex ID, got ${describe(v)}`);
        if (v === '') return;
        const n = idStringToBytes(v, idScratch);
        if (n < 0) fail(path, `expected a hex ID, got ${describe(v)}`);
        w.bytes(field.no, idScratch, 0, n);
        return;
      }
      case 'fixed64': {
        const [lo, hi] = int64Words(v, false, path);
        if (lo !== 0 || hi !== 0) {
          w.tag(field.no, 1);
          w.fixed64(lo, hi);
        }
        return;
      }
      case 'int64': {
        const [lo, hi] = int64Words(v, true, path);
        if (lo !== 0 || hi !== 0 || field.oneof) {
          w.tag(field.no, 0);
          w.varint64(lo, hi);
        }
        return;
      }
      case 'fixed32': {
        const n = uint32Of(v, false, path);
        if (n !== 0) {
          w.tag(field.no, 5);
          w.fixed32(n);
        }
        return;
      }
      case 'uint32':
      case 'int32': {
        const n = uint32Of(v, field.kind === 'int32', path);
        if (n !== 0) {
          w.tag(field.no, 0);
          if (n < 0) w.varint64(n >>> 0, 0xffffffff);
          else w.uint32(n);
        }
        return;
      }
      case 'bool':
        if (typeof v !== 'boolean') fail(path, `expected true or false, got ${describe(v)}`);
        if (v || field.oneof) {
          w.tag(field.no, 0);
          w.uint32(v ? 1 : 0);
        }
        return;
      case 'double': {
        const d = doubleOf(v, path);
        if (d !== 0 || Object.is(d, -0) || field.oneof) {
          w.tag(field.no, 1);
          w.double(d);
        }
        return;
      }
      case 'enum': {
        let n: number;
        if (typeof v === 'string' && !/^\d+$/.test(v)) {
          n = field.names!.indexOf(v);
          if (n < 0) fail(path, `unknown value ${describe(v)}`);
        } else n = uint32Of(v, true, path);
        if (n !== 0) {
          w.tag(field.no, 0);
          if (n < 0) w.varint64(n >>> 0, 0xffffffff);
          else w.uint32(n);
        }
        return;
      }
    }
  }
}

/**
 * Transcodes a parsed OTLP/JSON document of message `type` (e.g. `ExportTraceServiceRequest`)
 * into protobuf. Throws `OtlpDecodeError` naming the first value of the wrong type.
 */
export function jsonToProto(type: MessageName, doc: unknown, sizeHint = 1024): Uint8Array {
  const w = new ProtoWriter(sizeHint);
  new JsonToProto(w).message(type, doc, () => '', 0);
  return w.finish();
}

/** Parses JSON text, turning a syntax error into an `OtlpDecodeError`. */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(
      `the body is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
}
