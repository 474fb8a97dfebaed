/**
 * Types of the decoder entry point, in their own module so every decoder can import them without
 * an import cycle through `index.ts` (which re-exports them).
 */
import type { SpanDetail, TraceModel } from '../../shared/model';

/** A decoded trace: the columnar model plus on-demand details for one span. */
export interface DecodedTrace {
  model: TraceModel;
  /** Attributes, events, links, resource and scope of span `index` (depth-first index). */
  detail(index: number): SpanDetail | undefined;
}

/** Wire formats the decoders understand. */
export type TraceFormat =
  | 'tempo-json' // Tempo v1 (`batches`), 1.x (`instrumentationLibrarySpans`), OTLP/JSON (`resourceSpans`), v2 envelope
  | 'otlp-proto' // OTLP TracesData / tempopb.Trace (Tempo v1 protobuf)
  | 'tempo-v2-proto' // tempopb.TraceByIDResponse (Tempo v2 protobuf)
  | 'jaeger-json'
  | 'zipkin-json';

/** Why decoding failed. `not-found` is an empty trace (Tempo v2 answers 200 with `trace: {}`). */
export type DecodeErrorKind = 'not-found' | 'malformed' | 'unsupported' | 'too-large';

/** A decoding failure with a sentence a person can act on. */
export class TraceDecodeError extends Error {
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'TraceDecodeError';
  }
}
