/** Decoder for Jaeger's query API JSON (`{"data":[{traceID, spans, processes}]}`). */
import { TraceDecodeError, type DecodedTrace } from './types';

/** Parsed Jaeger JSON → decoded trace. */
export function decodeJaegerJson(_doc: unknown): DecodedTrace {
  throw new TraceDecodeError('unsupported', 'Jaeger JSON is not supported yet.');
}
