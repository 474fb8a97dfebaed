/**
 * Public entry of the trace decoders: `decodeTrace` turns a backend's response body into the
 * columnar `TraceModel` (src/shared/model.ts) plus on-demand span details, whatever the wire
 * format. The folder:
 *
 *   index.ts          `decodeTrace`: tells the format from the bytes and picks a decoder
 *   otlpProto.ts      OTLP / Tempo protobuf: entry and Tempo v2's envelope, over
 *     protoColumns.ts   the columns pass (also for a receiver's ExportTraceServiceRequest)
 *     protoDetails.ts   one span's attributes, events and links, on demand
 *     protoFields.ts    the messages' tags by name;  protoReader.ts  the wire primitives
 *   jsonScan.ts       Tempo/OTLP JSON from bytes without JSON.parse: the document walker, over
 *     jsonCursor.ts     the byte cursor (gives up on anything unusual, for otlpJson.ts)
 *   otlpJson.ts       Tempo/OTLP JSON after JSON.parse: every dialect, tolerant, with warnings
 *   jaeger.ts, zipkin.ts   the other JSON formats
 *   raw.ts, build.ts  raw span columns in arrival order, and the depth-first model built from them
 *   ids.ts            span and trace IDs as hex, base64 or bytes
 *   times.ts          span times made safe to draw (damaged times do not stretch the trace)
 *   json.ts, jsonError.ts  typed reads of parsed JSON; where invalid JSON breaks
 *   types.ts          `DecodedTrace`, `TraceFormat`, `TraceDecodeError`, damaged details
 *   testing/          an OTLP protobuf encoder and trace builders for tests (test-only)
 */
import { obj, type JsonObject } from './json';
import { decodeOtlpJson, notFound } from './otlpJson';
import { assertProtoStart, decodeOtlpProto, looksLikeTraceByIdResponse } from './otlpProto';
import { decodeJaegerJson } from './jaeger';
import { scanTempoJson } from './jsonScan';
import { decodeZipkinJson } from './zipkin';
import { describeJsonError } from './jsonError';
import { TraceDecodeError, type DecodedTrace, type TraceFormat } from './types';

// The wire primitives, for the embedded store's receiver (src/core/otlp), which reads and writes
// the same OTLP protobuf and ID forms.
export { bytesToBase64, idStringToBytes } from './ids';
export { CODE_KEYS } from './otlpJson';
export { ProtoReader, utf8Text } from './protoReader';
export {
  readDetail,
  TraceDecodeError,
  type DecodeErrorKind,
  type DecodedTrace,
  type TraceFormat,
} from './types';

const utf8 = new TextDecoder('utf-8');

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Index of the first byte that is not JSON whitespace. */
function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i]!)) i++;
  return i;
}

/**
 * `JSON.parse`, with failures as a `TraceDecodeError` that says where the JSON breaks (`bytes`:
 * the body as received, so the position is a byte offset into it).
 */
function parseJson(text: string, bytes: Uint8Array | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const head = text.trimStart();
    if (head.startsWith('<')) {
      throw new TraceDecodeError(
        'malformed',
        'The response is HTML, not a trace: a proxy, gateway or login page answered instead of the trace backend.',
      );
    }
    if (err instanceof RangeError) throw tooLarge();
    // Not V8's message: it may quote the body, which a stranger wrote.
    const where = describeJsonError(bytes ?? new TextEncoder().encode(text));
    throw new TraceDecodeError(
      'malformed',
      where
        ? `The response is not valid JSON: ${where}. It may be truncated or damaged.`
        : 'The response is not valid JSON; it may be truncated or damaged.',
    );
  }
}

function tooLarge(): TraceDecodeError {
  return new TraceDecodeError('too-large', 'The trace is too large to decode in memory.');
}

/** Which JSON decoder fits a parsed document, by its keys. */
function jsonShape(doc: unknown): 'tempo-json' | 'jaeger-json' | 'zipkin-json' {
  if (Array.isArray(doc)) return 'zipkin-json';
  const o: JsonObject | undefined = obj(doc);
  if (!o) {
    throw new TraceDecodeError(
      'malformed',
      'The response is JSON but not an object or array, so it is not a trace.',
    );
  }
  if ('data' in o && !('batches' in o) && !('resourceSpans' in o)) return 'jaeger-json';
  if ('traces' in o) {
    throw new TraceDecodeError(
      'unsupported',
      'The response is a search result (it has "traces"), not a single trace.',
    );
  }
  return 'tempo-json';
}

function decodeJson(text: string, format: TraceFormat | undefined, bytes?: Uint8Array): DecodedTrace {
  if (text.trim().length === 0) throw notFound();
  const doc = parseJson(text, bytes);
  const shape =
    format === 'tempo-json' || format === 'jaeger-json' || format === 'zipkin-json' ? format : jsonShape(doc);
  switch (shape) {
    case 'tempo-json':
      return decodeOtlpJson(doc);
    case 'jaeger-json':
      return decodeJaegerJson(doc);
    case 'zipkin-json':
      return decodeZipkinJson(doc);
  }
}

/**
 * Decodes a trace. `format` names the wire format when the caller knows it; without it, the
 * body is JSON when its first non-space byte is `{` or `[` (protobuf traces never start so) and
 * protobuf otherwise, and the JSON dialect is told by its keys.
 *
 * Throws `TraceDecodeError`: `not-found` for an empty trace (including Tempo v2's `{"trace":{}}`),
 * `malformed` for anything that is not a readable trace.
 */
export function decodeTrace(input: Uint8Array | string, format?: TraceFormat): DecodedTrace {
  try {
    return decodeAny(input, format);
  } catch (err) {
    if (err instanceof TraceDecodeError) throw err;
    // Nothing else may escape: a caller shows one sentence and moves on.
    if (err instanceof RangeError) throw tooLarge();
    throw new TraceDecodeError(
      'malformed',
      `The trace could not be decoded (${err instanceof Error ? err.name : 'unknown error'}); it may be damaged.`,
    );
  }
}

function decodeAny(input: Uint8Array | string, format: TraceFormat | undefined): DecodedTrace {
  if (typeof input === 'string') {
    const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
    return decodeJson(text, format);
  }
  const bytes = input;
  const first = firstNonSpace(bytes);
  if (first === bytes.length) throw notFound();
  const c = bytes[first]!;
  const jsonStart = c === 0x7b || c === 0x5b; // { [
  const bom = c === 0xef && bytes[first + 1] === 0xbb && bytes[first + 2] === 0xbf;
  const wantsProto = format === 'otlp-proto' || format === 'tempo-v2-proto';
  if (bom || (jsonStart && bytes[0] !== 0x0a)) {
    // Tempo/OTLP JSON goes through the byte scanner; whatever it declines, through JSON.parse.
    const fast =
      format === undefined || format === 'tempo-json' || wantsProto ? scanTempoJson(bytes) : undefined;
    return fast ?? decodeJson(utf8.decode(bytes), wantsProto ? undefined : format, bytes);
  }
  if (jsonStart) {
    // A newline then `{`: JSON with a leading blank line, or protobuf whose field-1 tag (0x0a)
    // is followed by a length of 123 or 91. Try the likelier reading first, then the other.
    const asJson = (): DecodedTrace => decodeJson(utf8.decode(bytes), wantsProto ? undefined : format, bytes);
    const asProto = (): DecodedTrace => decodeProto(bytes, wantsProto ? format : undefined);
    const [likely, other] = wantsProto ? [asProto, asJson] : [asJson, asProto];
    try {
      return likely();
    } catch (err) {
      if (!(err instanceof TraceDecodeError) || err.kind !== 'malformed') throw err;
      try {
        return other();
      } catch {
        throw err;
      }
    }
  }
  if (format === 'tempo-json' || format === 'jaeger-json' || format === 'zipkin-json') {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new TraceDecodeError(
      'malformed',
      `The response should be JSON but starts with bytes ${hex}; it may be protobuf or compressed.`,
    );
  }
  return decodeProto(bytes, format);
}

function decodeProto(bytes: Uint8Array, format: TraceFormat | undefined): DecodedTrace {
  assertProtoStart(bytes);
  // TracesData has only field 1, so a body with fields 2 to 4 is a v2 response whatever we were told.
  const v2 = format === 'tempo-v2-proto' || looksLikeTraceByIdResponse(bytes);
  return decodeOtlpProto(bytes, v2);
}
