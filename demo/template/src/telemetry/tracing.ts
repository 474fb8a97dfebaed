import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';

export { SpanKind };
export type { Span };

const tracer = trace.getTracer('bizfirst.workflow', '1.0.0');

/**
 * Starts a span; `parent` makes it a child of that span instead of the active one. The caller
 * ends it (we start spans by hand so that node code keeps plain stack traces).
 */
export function startSpan(name: string, kind: SpanKind, attributes: Attributes, parent?: Span): Span {
  const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
  return tracer.startSpan(name, { kind, attributes }, ctx);
}

/** Records `err` on `span` the way our dashboards expect: an `exception` event plus ERROR status. */
export function fail(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/** The IDs a log line carries so that it points back at the span that wrote it. */
export function logIds(span: Span): { trace_id: string; span_id: string } {
  const { traceId, spanId } = span.spanContext();
  return { trace_id: traceId, span_id: spanId };
}

/** W3C `traceparent` for outgoing requests, e.g. `00-<trace id>-<span id>-01`. */
export function traceparent(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${traceFlags.toString(16).padStart(2, '0')}`;
}
