import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import {
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { CodeLocationProcessor } from './codeLocation';

// This module is the first import of every service entry: the http instrumentation hooks
// `require('node:http')` here, before any of our modules loads it. The tracer and logger
// providers come later, in startTelemetry(), once the service knows its name; until then the
// instrumentation's tracer is the API's proxy, which starts nothing.
diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
registerInstrumentations({ instrumentations: [new HttpInstrumentation()] });

/** What one exporter did since the process started. */
export interface ExporterCounts {
  readonly exported: number;
  readonly failed: number;
}

/** Export results of a service, reported to run.mjs after each flush. */
export interface ExportStats {
  readonly spans: ExporterCounts;
  readonly logs: ExporterCounts;
  /** The distinct reasons of failed exports, e.g. `connect ECONNREFUSED 127.0.0.1:4318`. */
  readonly errors: readonly string[];
}

export interface Telemetry {
  /** Exports everything ended so far; resolves when the exporters have answered. */
  flush(): Promise<ExportStats>;
  /** flush() and stop the providers; call once, before the process exits. */
  shutdown(): Promise<ExportStats>;
}

interface Exporter<T> {
  export(items: T[], resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

/** Wraps an exporter to count what it exported and what it failed to, so a run can say so. */
class Counted<T> implements Exporter<T> {
  exported = 0;
  failed = 0;
  readonly errors = new Set<string>();

  constructor(private readonly inner: Exporter<T>) {}

  export(items: T[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(items, (result) => {
      if (result.code === ExportResultCode.SUCCESS) {
        this.exported += items.length;
      } else {
        this.failed += items.length;
        this.errors.add(result.error?.message ?? 'export failed');
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

/**
 * Starts tracing and logging for one service. The standard variables apply: `OTEL_SERVICE_NAME`
 * (overrides `serviceName`), `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces`
 * and `/v1/logs` are appended), the per-signal `OTEL_EXPORTER_OTLP_{TRACES,LOGS}_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_HEADERS` and `_TIMEOUT`. The protocol is always http/protobuf.
 */
export function startTelemetry(serviceName: string): Telemetry {
  const protocol = process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
  if (protocol && protocol !== 'http/protobuf') {
    diag.warn(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported here; exporting http/protobuf`);
  }
  const resource = resourceFromAttributes({
    'service.name': serviceName,
    'service.namespace': 'bizfirst',
    'service.version': '1.5.0',
    'deployment.environment.name': 'demo',
  }).merge(detectResources({ detectors: [hostDetector, processDetector, envDetector] }));

  const spanExporter = new Counted(new OTLPTraceExporter());
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: [
      new CodeLocationProcessor(),
      // A batch of 1,000 items ends ~2,000 spans within a second: keep them all queued.
      new BatchSpanProcessor(spanExporter, { maxQueueSize: 16_384 }),
    ],
  });
  tracerProvider.register();

  const logExporter = new Counted(new OTLPLogExporter());
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [new BatchLogRecordProcessor({ exporter: logExporter })],
  });
  logs.setGlobalLoggerProvider(loggerProvider);

  const stats = (): ExportStats => ({
    spans: { exported: spanExporter.exported, failed: spanExporter.failed },
    logs: { exported: logExporter.exported, failed: logExporter.failed },
    errors: [...new Set([...spanExporter.errors, ...logExporter.errors])],
  });
  // A failed export rejects forceFlush/shutdown; the counts say what was lost, so report them.
  const settle = async (work: Promise<unknown>[]) => {
    await Promise.allSettled(work);
    return stats();
  };
  return {
    flush: () => settle([tracerProvider.forceFlush(), loggerProvider.forceFlush()]),
    shutdown: () => settle([tracerProvider.shutdown(), loggerProvider.shutdown()]),
  };
}
