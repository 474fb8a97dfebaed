/**
 * What the detector reports: a found trace ID, its form and how sure it is.
 */

/** Which textual form a trace ID was found in. */
export type IdFormat =
  | 'traceparent'
  | 'key'
  | 'json'
  | 'b3'
  | 'b3-single'
  | 'jaeger'
  | 'xray'
  | 'datadog'
  | 'spring'
  | 'dotnet'
  | 'gcp'
  | 'url'
  | 'grafana-url'
  | 'base64'
  | 'bare';

/** How sure we are that the text names a trace: high for explicit trace context, medium for a bare ID. */
export type Confidence = 'high' | 'medium' | 'low';

/** One trace ID found in the text. */
export interface DetectedId {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits, when the text names the span too. */
  spanId?: string;
  /** UTF-16 offset of the first character of the ID text in the input. */
  start: number;
  /** UTF-16 offset just past the ID text (exclusive). */
  end: number;
  format: IdFormat;
  confidence: Confidence;
}

/** Knobs for {@link detectTraceIds}. */
export interface DetectOptions {
  /** Scan at most this many characters of the input (default: all of it). */
  maxLength?: number;
  /** Also report low-confidence hits, such as a 32-hex value under a `checksum` key (default false). */
  includeLow?: boolean;
}
