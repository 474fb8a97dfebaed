/**
 * Trace and span IDs as text: the one place that says what a valid ID looks like, used by the
 * detector's callers, the backends, the protocol checks, the host and the webview.
 *
 * Canonical forms are lowercase hex: 32 digits for a trace ID, 16 for a span ID. Input is looser:
 * people, Jaeger and Zipkin drop leading zeros and write upper case, which `normalizeTraceId`
 * turns into the canonical form.
 */

/** A trace ID in canonical form: 32 lowercase hex digits. */
export const TRACE_ID_HEX = /^[0-9a-f]{32}$/;

/** A span ID in canonical form: 16 lowercase hex digits. */
export const SPAN_ID_HEX = /^[0-9a-f]{16}$/;

/** A trace ID as people and servers write it: 1 to 32 hex digits in either case. */
export const TRACE_ID_INPUT = /^[0-9a-fA-F]{1,32}$/;

/** A span ID as servers write it: 16 hex digits in either case. */
export const SPAN_ID_INPUT = /^[0-9a-fA-F]{16}$/;

const ALL_ZERO = /^0+$/;

/** How `normalizeTraceId` treats the all-zero ID. */
export interface NormalizeTraceIdOptions {
  /**
   * Accept the all-zero ID. W3C Trace Context calls it invalid, so by default it is refused: the
   * detector never reports it and a typed one is an error. The backends set this, because Tempo
   * accepts the ID (and answers that the trace does not exist), and they pass on what Tempo takes.
   */
  allowAllZero?: boolean;
}

/**
 * Normalises a typed, pasted or received trace ID: surrounding whitespace ignored, 1 to 32 hex
 * digits in either case, lower-cased and left-padded with zeros to 32 the way Tempo reads it.
 * Undefined for anything else, and for the all-zero ID unless `options.allowAllZero`.
 */
export function normalizeTraceId(input: string, options: NormalizeTraceIdOptions = {}): string | undefined {
  const id = input.trim();
  if (!TRACE_ID_INPUT.test(id)) return undefined;
  if (!options.allowAllZero && ALL_ZERO.test(id)) return undefined;
  return id.toLowerCase().padStart(32, '0');
}
