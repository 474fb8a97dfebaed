// A program instrumented the usual way, for the e2e scenario of the local receiver (local.mjs):
// its OpenTelemetry SDK takes everything from the OTEL_* environment variables (endpoint, service
// name), which Trace Lens adds when VS Code launches it. It records one trace of three spans (one
// failing) and one OTLP log record, appends a log line with the trace's ID to the file named by its
// first argument, exports, and exits. Nothing here knows about Trace Lens.
import { appendFileSync } from 'node:fs';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { detectResources, envDetector } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

const logFile = process.argv[2];
if (!logFile) throw new Error('usage: otel-app.mjs <log file>');
if (!process.env.OTEL_EXPORTER_OTLP_ENDPOINT) throw new Error('OTEL_EXPORTER_OTLP_ENDPOINT is not set');

// service.name from OTEL_SERVICE_NAME, as every SDK's environment detector reads it.
const resource = detectResources({ detectors: [envDetector] });
const tracing = new BasicTracerProvider({
  resource,
  spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
});
const logging = new LoggerProvider({
  resource,
  processors: [new BatchLogRecordProcessor({ exporter: new OTLPLogExporter() })],
});
const tracer = tracing.getTracer('shop', '1.0.0');
const logger = logging.getLogger('shop');

const root = tracer.startSpan('POST /checkout', {
  kind: SpanKind.SERVER,
  attributes: { 'http.request.method': 'POST', 'http.route': '/checkout' },
});
const ctx = trace.setSpan(context.active(), root);
const { traceId, spanId } = root.spanContext();
tracer.startSpan('reserve stock', { attributes: { 'item.count': 3 } }, ctx).end();
const charge = tracer.startSpan('charge card', { kind: SpanKind.CLIENT }, ctx);
charge.recordException(new Error('card declined'));
charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
charge.end();
const line = `${new Date().toISOString()} WARN  checkout failed: card declined order=1042 trace_id=${traceId} span_id=${spanId}`;
logger.emit({
  body: 'checkout failed: card declined',
  severityNumber: 13,
  severityText: 'WARN',
  context: ctx,
});
root.setStatus({ code: SpanStatusCode.ERROR });
root.end();
appendFileSync(logFile, `${line}\n`);
console.log(line);

await tracing.forceFlush();
await logging.forceFlush();
await Promise.all([tracing.shutdown(), logging.shutdown()]);
console.log(`exported trace ${traceId} to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}`);
