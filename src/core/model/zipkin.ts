/** Decoder for Zipkin v2 JSON (an array of spans). */
import { TraceDecodeError, type DecodedTrace } from './types';

/** Parsed Zipkin JSON → decoded trace. */
export function decodeZipkinJson(_doc: unknown): DecodedTrace {
  throw new TraceDecodeError('unsupported', 'Zipkin JSON is not supported yet.');
}
