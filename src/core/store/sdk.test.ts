/**
 * The real OpenTelemetry JS SDK exporting to the receiver over OTLP/HTTP protobuf, OTLP/HTTP
 * JSON and OTLP/gRPC, traces and logs: what arrives must be what the SDK recorded.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { TempoClient } from '../backends';
import * as grpcServer from '../otlp/grpcServer';
import { startReceiver, type Receiver } from './receiver';

describe('receiver with the OpenTelemetry JS SDK', function () {
  this.timeout(20000);
  let dir: string;
  let receiver: Receiver;

  before(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-sdk-'));
    receiver = await startReceiver({
      storeDir: dir,
      httpPort: 0,
      grpcPort: 0,
      queryPort: 0,
      loadGrpc: () => grpcServer,
    });
    assert.ok(
      receiver.status.httpPort && receiver.status.grpcPort && receiver.status.queryPort,
      JSON.stringify(receiver.status),
    );
  });
  after(async () => {
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Records a small trace with the SDK through `exporter`; returns its trace ID. */
  async function record(service: string, exporter: SpanExporter): Promise<string> {
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new BatchSpanProcessor(exporter)],
    });
    const tracer = provider.getTracer('trace-lens-test', '1.2.3');
    let traceId = '';
    tracer.startActiveSpan('checkout', { kind: 1 }, (root: Span) => {
      traceId = root.spanContext().traceId;
      root.setAttribute('http.route', '/checkout');
      for (const step of ['reserve', 'charge']) {
        // No context manager is registered: the parent is passed explicitly.
        const child = tracer.startSpan(
          step,
          { attributes: { 'item.count': 3, retry: false } },
          trace.setSpan(context.active(), root),
        );
        if (step === 'charge') {
          child.recordException(new Error('card declined'));
          child.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
        }
        child.end();
      }
      root.end();
    });
    await provider.forceFlush();
    await provider.shutdown();
    return traceId;
  }

  async function check(traceId: string, service: string): Promise<void> {
    const client = new TempoClient({ baseUrl: receiver.status.queryUrl! });
    const got = await client.getTrace(traceId);
    const model = got.decoded.model;
    assert.equal(model.traceId, traceId);
    assert.equal(model.spanCount, 3);
    assert.deepEqual(model.services, [service]);
    assert.deepEqual(model.strings, ['checkout', 'reserve', 'charge']);
    assert.equal(model.columns.status[2], 2, 'charge failed');
    const charge = got.decoded.detail(2)!;
    assert.equal(charge.statusMessage, 'card declined');
    assert.deepEqual(
      charge.attributes.map((a) => [a.key, a.value]),
      [
        ['item.count', 3],
        ['retry', false],
      ],
    );
    assert.equal(charge.events[0]?.name, 'exception');
    assert.equal(charge.scope.name, 'trace-lens-test');
    assert.equal(charge.scope.version, '1.2.3');
    assert.deepEqual(got.decoded.detail(0)!.attributes, [{ key: 'http.route', value: '/checkout' }]);
  }

  it('receives OTLP/HTTP protobuf', async () => {
    const exporter = new ProtoExporter({ url: `http://127.0.0.1:${receiver.status.httpPort}/v1/traces` });
    await check(await record('sdk-proto', exporter), 'sdk-proto');
  });

  it('receives OTLP/HTTP JSON', async () => {
    const exporter = new JsonExporter({ url: `http://127.0.0.1:${receiver.status.httpPort}/v1/traces` });
    await check(await record('sdk-json', exporter), 'sdk-json');
  });

  it('receives OTLP/gRPC', async () => {
    const exporter = new GrpcExporter({ url: `http://127.0.0.1:${receiver.status.grpcPort}` });
    await check(await record('sdk-grpc', exporter), 'sdk-grpc');
  });

  it('receives OTLP logs with the trace and span of the active context', async () => {
    const loggers = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': 'sdk-logs' }),
      processors: [
        new BatchLogRecordProcessor({
          exporter: new OTLPLogExporter({ url: `http://127.0.0.1:${receiver.status.httpPort}/v1/logs` }),
        }),
      ],
    });
    const provider = new BasicTracerProvider();
    const span = provider.getTracer('t').startSpan('work');
    const ctx = trace.setSpan(context.active(), span);
    loggers.getLogger('app').emit({
      body: 'order 42 charged',
      severityNumber: 9,
      severityText: 'INFO',
      context: ctx,
      attributes: { order: 42 },
    });
    span.end();
    await loggers.forceFlush();
    await loggers.shutdown();
    const { traceId, spanId } = span.spanContext();
    const res = await fetch(
      `${receiver.status.queryUrl}/api/trace-lens/logs?traceId=${traceId}&spanId=${spanId}`,
    );
    const { logs } = (await res.json()) as {
      logs: { body: string; severityText: string; service: string; attributes: unknown[] }[];
    };
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.body, 'order 42 charged');
    assert.equal(logs[0]!.severityText, 'INFO');
    assert.equal(logs[0]!.service, 'sdk-logs');
    assert.deepEqual(logs[0]!.attributes, [{ key: 'order', value: 42 }]);
  });
});
