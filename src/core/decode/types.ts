/**
 * Types of the decoder entry point, in their own module so every decoder can import them without
 * an import cycle through `index.ts` (which re-exports them).
 */
import { spanIdAt, type SpanDetail, type TraceModel } from '../../shared/model';

/** A decoded trace: the columnar model plus on-demand details for one span. */
export interface DecodedTrace {
  model: TraceModel;
  /**
   * Attributes, events, links, resource and scope of span `index` (depth-first index); undefined
   * only when there is no such span. Never throws: when the bytes of the span's details (or of
   * its resource or scope) are damaged, the detail has `damaged` set and empty lists.
   */
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

/**
 * The detail of a span whose attributes, events or links cannot be read: the facts the columns
 * hold, and where the damage is (`at` of `total` bytes, when known). Every decoder words it the
 * same way.
 */
export function damagedDetail(index: number, model: TraceModel, at?: number, total?: number): SpanDetail {
  const p = model.columns.parent[index]!;
  const where = at !== undefined && total !== undefined ? ` (near byte ${at} of ${total})` : '';
  return {
    index,
    spanId: spanIdAt(model.columns, index),
    ...(p >= 0 ? { parentSpanId: spanIdAt(model.columns, p) } : {}),
    attributes: [],
    resource: [],
    scope: { name: '', attributes: [] },
    events: [],
    links: [],
    damaged: `The attributes, events and links of this span are damaged in the trace data${where}, so they cannot be shown; the rest of the trace is not affected.`,
  };
}

/**
 * `decoded.detail(index)` for the panel and commands, which must answer every request: null when
 * there is no such span (or no trace), and a damaged detail should a decoder throw after all.
 */
export function readDetail(decoded: DecodedTrace | undefined, index: number): SpanDetail | null {
  if (!decoded) return null;
  try {
    return decoded.detail(index) ?? null;
  } catch {
    const inRange = Number.isInteger(index) && index >= 0 && index < decoded.model.spanCount;
    return inRange ? damagedDetail(index, decoded.model) : null;
  }
}
