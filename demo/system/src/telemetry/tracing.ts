import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Link, Span, SpanContext } from '@opentelemetry/api';

export { SpanKind };
export type { Span };

const tracer = trace.getTracer('bizfirst-workflow', '1.5.0');

export interface SpanOptions {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Spans of other traces this one is about (OpenTelemetry span links). */
  readonly links?: Link[];
}

/**
 * Runs `fn` in a new span, active for everything `fn` starts (child spans, log lines, outgoing
 * requests). A throw is recorded on the span (exception event + ERROR status) and rethrown. The
 * span's `code.*` attributes name the line that called withSpan (see codeLocation.ts).
 */
export function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, options, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      fail(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Records `err` on `span`: an `exception` event with the stack, and ERROR status. */
export function fail(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

/** The active span as a W3C `traceparent` value, for a caller that wants to link to it later. */
export function activeTraceparent(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return undefined;
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.traceFlags.toString(16).padStart(2, '0')}`;
}

/** A `traceparent` value (version 00) as a span context to link to; undefined when it is not one. */
export function parseTraceparent(value: string | undefined): SpanContext | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(value?.trim() ?? '');
  if (!m) return undefined;
  const ctx: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  return trace.isSpanContextValid(ctx) ? ctx : undefined;
}

/** The trace ID of the active span, for responses that tell the caller which trace they made. */
export function activeTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}
