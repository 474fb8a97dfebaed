// SDK load generator of the store benchmark (bench-store.mjs), run in a worker thread: the real
// OpenTelemetry JS SDK (BasicTracerProvider, BatchSpanProcessor, OTLP/HTTP protobuf exporter)
// making `spans` spans as 10-span traces to `url`, in steps of 10k spans, waiting for its
// exporter to drain after each step, so it never has more than 10 exports of 1,000 spans in
// flight (the SDK drops spans beyond 30: `Concurrent export limit reached`). Posts
// `{ ms }` when done. Several of these run side by side as several exporting processes would.
import { parentPort, workerData } from 'node:worker_threads';

const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
const { resourceFromAttributes } = await import('@opentelemetry/resources');
const api = await import('@opentelemetry/api');

const { url, spans, first = 0, service = 'bench' } = workerData;
const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ 'service.name': service, 'service.version': '1.0.0' }),
  spanProcessors: [
    new BatchSpanProcessor(new OTLPTraceExporter({ url }), {
      maxQueueSize: 20_000,
      maxExportBatchSize: 1000,
      scheduledDelayMillis: 10,
    }),
  ],
});
const tracer = provider.getTracer('bench', '1.0.0');
// Ready; wait for the go signal so every worker starts together, after its imports.
parentPort.postMessage('ready');
await new Promise((resolve) => parentPort.once('message', resolve));
const t0 = performance.now();
for (let made = 0; made < spans;) {
  // A step of up to 10k spans (1,000 traces of 10), then wait for the exporter to drain.
  for (let t = 0; t < 1000 && made < spans; t++) {
    const rootSpan = tracer.startSpan('GET /orders', {
      kind: 1,
      attributes: { 'http.route': '/orders', 'http.response.status_code': 200 },
    });
    const ctx = api.trace.setSpan(api.context.active(), rootSpan);
    for (let k = 0; k < 9; k++) {
      const s = tracer.startSpan(
        k % 2 ? 'SELECT orders' : 'charge',
        { attributes: { 'code.function.name': `handler${k}`, 'item.id': first + made + k } },
        ctx,
      );
      s.end();
    }
    rootSpan.end();
    made += 10;
  }
  await provider.forceFlush();
}
const ms = performance.now() - t0;
await provider.shutdown();
parentPort.postMessage({ ms });
