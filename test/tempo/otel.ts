/**
 * Sends traces to a real Tempo the way an instrumented service does: the OpenTelemetry JS SDK
 * (one tracer provider per service resource) exporting over OTLP HTTP. Spans are written as a
 * tree with explicit start and end times, so a 4.3 s span costs no 4.3 s of test time. Every
 * export is checked: a batch Tempo refused fails the send. Test-only code.
 */
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type HrTime,
  type Span,
} from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  RandomIdGenerator,
  type IdGenerator,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';

export { SpanKind };

/** Where spans go: a Tempo's OTLP HTTP receiver, as one tenant. */
export interface OtlpSink {
  otlpHttp: string;
  /** `X-Scope-OrgID` for a multi-tenant Tempo. */
  tenant?: string;
}

/** One span to write, with its children. */
export interface SpanSpec {
  service: string;
  name: string;
  kind?: SpanKind;
  /** Unix milliseconds (fractions kept). */
  startMs: number;
  durationMs: number;
  attributes?: Attributes;
  /** Recorded as an `exception` event; the span's status becomes ERROR. */
  exception?: Error;
  /** Status ERROR without an exception. */
  error?: boolean;
  /** Started but never ended, so never exported: its children arrive without their parent. */
  neverEnds?: boolean;
  children?: SpanSpec[];
}

/** What a sent trace turned into. */
export interface SentTrace {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** Span IDs by span name (the first span of each name). */
  spanIds: Map<string, string>;
  /** Spans exported (those with `neverEnds` are not). */
  spanCount: number;
}

function hr(ms: number): HrTime {
  const whole = Math.floor(ms);
  const seconds = Math.floor(whole / 1000);
  const nanos = (whole - seconds * 1000) * 1e6 + Math.round((ms - whole) * 1e6);
  return [seconds, nanos];
}

/** Hands out a chosen trace ID for the next root span, random ones otherwise. */
class ChosenIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  next: string | undefined;
  generateTraceId(): string {
    const id = this.next ?? this.random.generateTraceId();
    this.next = undefined;
    return id;
  }
  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}

/** Passes spans to the real exporter and remembers every result that was not a success. */
class CheckedExporter implements SpanExporter {
  readonly failures: string[] = [];
  exported = 0;
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code === ExportResultCode.SUCCESS) this.exported += spans.length;
      else this.failures.push(result.error?.message ?? 'export failed');
      done(result);
    });
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/** Writes traces for several services into one Tempo; `flush()` sends them and checks the answers. */
export class TraceSender {
  private readonly ids = new ChosenIds();
  private readonly providers = new Map<
    string,
    { provider: BasicTracerProvider; exporter: CheckedExporter }
  >();
  private readonly unended: Span[] = [];
  private expected = 0;

  constructor(private readonly sink: OtlpSink) {}

  private tracer(service: string) {
    let entry = this.providers.get(service);
    if (!entry) {
      const exporter = new CheckedExporter(
        new OTLPTraceExporter({
          url: `${this.sink.otlpHttp}/v1/traces`,
          headers: this.sink.tenant ? { 'X-Scope-OrgID': this.sink.tenant } : {},
        }),
      );
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.4.2' }),
        idGenerator: this.ids,
        spanProcessors: [new BatchSpanProcessor(exporter)],
      });
      entry = { provider, exporter };
      this.providers.set(service, entry);
    }
    return entry.provider.getTracer('trace-lens-tempo-tier', '1.0.0');
  }

  /** Writes one trace; `traceId` chooses its ID (for short and zero-led IDs). */
  trace(root: SpanSpec, traceId?: string): SentTrace {
    if (traceId !== undefined) this.ids.next = traceId;
    const spanIds = new Map<string, string>();
    let count = 0;
    let id = '';
    const write = (spec: SpanSpec, parent: Span | undefined) => {
      const ctx = parent ? trace.setSpan(context.active(), parent) : context.active();
      const span = this.tracer(spec.service).startSpan(
        spec.name,
        {
          kind: spec.kind ?? SpanKind.INTERNAL,
          startTime: hr(spec.startMs),
          attributes: spec.attributes ?? {},
        },
        ctx,
      );
      id ||= span.spanContext().traceId;
      if (!spanIds.has(spec.name)) spanIds.set(spec.name, span.spanContext().spanId);
      for (const child of spec.children ?? []) write(child, span);
      if (spec.exception) {
        span.recordException(spec.exception, hr(spec.startMs + spec.durationMs * 0.9));
        span.setStatus({ code: SpanStatusCode.ERROR, message: spec.exception.message });
      } else if (spec.error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (spec.neverEnds) this.unended.push(span);
      else {
        span.end(hr(spec.startMs + spec.durationMs));
        count++;
      }
    };
    write(root, undefined);
    this.expected += count;
    return { traceId: id, spanIds, spanCount: count };
  }

  /** Exports everything written so far and shuts the providers down; throws when Tempo refused a batch. */
  async flush(): Promise<void> {
    const entries = [...this.providers.values()];
    await Promise.all(entries.map((e) => e.provider.forceFlush()));
    await Promise.all(entries.map((e) => e.provider.shutdown()));
    const failures = entries.flatMap((e) => e.exporter.failures);
    const exported = entries.reduce((n, e) => n + e.exporter.exported, 0);
    if (failures.length > 0 || exported !== this.expected) {
      throw new Error(
        `OTLP export to ${this.sink.otlpHttp} failed: ${exported} of ${this.expected} spans accepted${failures.length ? `; ${failures.join('; ')}` : ''}`,
      );
    }
  }
}
