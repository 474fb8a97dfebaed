/**
 * A corpus of log lines as real services write them, each with the trace IDs a person reading it
 * would want to click. Every expectation is written by hand (Datadog decimals and base64 values
 * were converted with an independent tool and pasted in), never computed by the detector.
 */
import type { Confidence, IdFormat } from '../types';

/** One expected hit. `text` is the exact text the hit covers; `nth` picks among repeats (0-based). */
export interface CorpusHit {
  text: string;
  nth?: number;
  traceId: string;
  spanId?: string;
  format: IdFormat;
  confidence: Confidence;
}

/** A line or block of text from one source and the hits expected in it. */
export interface CorpusCase {
  source: string;
  input: string;
  want: CorpusHit[];
}

// W3C spec example IDs and a few others, so that lines do not all share one ID.
const A = '0af7651916cd43dd8448eb211c80319c';
const SA = 'b7ad6b7169203331';
const B = '6650d1f4a2c3e9b8d7f6a5b4c3d2e1f0';
const SB = 'a1b2c3d4e5f60718';
const C = '2f3e0cee77ae5dc9c17ade3689eb2e54';
const SC = 'e0f1a2b3c4d5e6f7';
const D = '4bf92f3577b34da6a3ce929d0e0e4736';
const SD = '00f067aa0ba902b7';
const E = '80f198ee56343ba864fe8b2a57d3eff7';
const SE = 'e457b5a2e4d86bd1';

export const corpus: CorpusCase[] = [
  // ── Java / Spring Boot ──────────────────────────────────────────────────────────────────
  {
    source: 'Spring Boot 3 logback, Micrometer [app,traceId,spanId]',
    input: `2024-05-14 09:21:07.412  INFO [order-service,${B},${SB}] 1 --- [nio-8080-exec-3] c.e.orders.OrderController : Created order 1042`,
    want: [{ text: B, traceId: B, spanId: SB, format: 'spring', confidence: 'high' }],
  },
  {
    source: 'Spring Boot 3.2 default correlation [traceId-spanId]',
    input: `2024-05-14T09:21:07.412Z  INFO 1 --- [order-service] [nio-8080-exec-3] [${B}-${SB}] c.e.orders.OrderController : Created order 1042`,
    want: [{ text: B, traceId: B, spanId: SB, format: 'spring', confidence: 'high' }],
  },
  {
    source: 'Spring Cloud Sleuth 2 with 64-bit IDs and the exportable flag',
    input:
      '2019-03-12 10:15:32.123  INFO [payment,5f4e3d2c1b0a9988,5f4e3d2c1b0a9988,true] 4242 --- [http-nio-8081-exec-1] c.e.p.PaymentService : charge ok',
    want: [
      {
        text: '5f4e3d2c1b0a9988',
        nth: 0,
        traceId: '00000000000000005f4e3d2c1b0a9988',
        spanId: '5f4e3d2c1b0a9988',
        format: 'spring',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Sleuth line without an application name',
    input: `2019-03-12 10:15:32.123 DEBUG [,${E},${SE},false] 4242 --- [main] o.s.w.s.DispatcherServlet : Completed 200 OK`,
    want: [{ text: E, traceId: E, spanId: SE, format: 'spring', confidence: 'high' }],
  },
  {
    source: 'logstash-logback-encoder JSON',
    input: `{"@timestamp":"2024-05-14T09:21:07.412Z","@version":"1","message":"Created order 1042","logger_name":"c.e.orders.OrderController","thread_name":"nio-8080-exec-3","level":"INFO","level_value":20000,"traceId":"${B}","spanId":"${SB}"}`,
    want: [{ text: B, traceId: B, spanId: SB, format: 'json', confidence: 'high' }],
  },
  {
    source: 'log4j2 pattern with OpenTelemetry MDC keys',
    input: `09:21:07.412 [main] INFO  c.e.App - trace_id=${D} span_id=${SD} trace_flags=01 started in 2.3s`,
    want: [{ text: D, traceId: D, spanId: SD, format: 'key', confidence: 'high' }],
  },

  // ── .NET ────────────────────────────────────────────────────────────────────────────────
  {
    source: 'ASP.NET Core console logger with scopes (two lines)',
    input: `info: Microsoft.AspNetCore.Hosting.Diagnostics[1]\n      => SpanId:${SA}, TraceId:${A}, ParentId:0000000000000000 => ConnectionId:0HMR4V1S4J2DA => RequestPath:/api/orders RequestId:0HMR4V1S4J2DA:00000001\n      Request starting HTTP/1.1 GET http://localhost:5000/api/orders - -`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'dotnet', confidence: 'high' }],
  },
  {
    source: '.NET JSON console formatter: scope message and scope properties',
    input: `{"Timestamp":"2024-05-14T09:21:07.412Z","EventId":1,"LogLevel":"Information","Category":"Orders","Message":"Created order","Scopes":[{"Message":"SpanId:${SA}, TraceId:${A}, ParentId:0000000000000000","SpanId":"${SA}","TraceId":"${A}","ParentId":"0000000000000000"}]}`,
    want: [
      { text: A, nth: 0, traceId: A, spanId: SA, format: 'dotnet', confidence: 'high' },
      { text: A, nth: 1, traceId: A, spanId: SA, format: 'json', confidence: 'high' },
    ],
  },
  {
    source: 'Serilog compact JSON (CLEF) @tr / @sp',
    input: `{"@t":"2024-05-14T09:21:07.4120000Z","@mt":"Created order {OrderId}","OrderId":1042,"@tr":"${A}","@sp":"${SA}"}`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'json', confidence: 'high' }],
  },

  // ── Go ──────────────────────────────────────────────────────────────────────────────────
  {
    source: 'zap JSON',
    input: `{"level":"info","ts":1715678467.412,"caller":"orders/handler.go:42","msg":"order created","trace_id":"${C}","span_id":"${SC}","order_id":1042}`,
    want: [{ text: C, traceId: C, spanId: SC, format: 'json', confidence: 'high' }],
  },
  {
    source: 'slog text handler',
    input: `time=2024-05-14T09:21:07.412Z level=INFO msg="order created" trace_id=${C} span_id=${SC} order_id=1042`,
    want: [{ text: C, traceId: C, spanId: SC, format: 'key', confidence: 'high' }],
  },
  {
    source: 'slog JSON handler with traceID / spanID',
    input: `{"time":"2024-05-14T09:21:07.412Z","level":"INFO","msg":"order created","traceID":"${C}","spanID":"${SC}"}`,
    want: [{ text: C, traceId: C, spanId: SC, format: 'json', confidence: 'high' }],
  },
  {
    source: 'logrus text, span before trace',
    input: `time="2024-05-14T09:21:07Z" level=info msg="order created" span_id=${SC} trace_id=${C}`,
    want: [{ text: C, traceId: C, spanId: SC, format: 'key', confidence: 'high' }],
  },
  {
    source: 'charmbracelet/log with ANSI colours',
    input: `\x1b[2m09:21:07\x1b[0m \x1b[1;32mINFO\x1b[0m order created \x1b[2mtrace_id=\x1b[0m\x1b[36m${C}\x1b[0m \x1b[2mspan_id=\x1b[0m\x1b[36m${SC}\x1b[0m`,
    want: [{ text: C, traceId: C, spanId: SC, format: 'key', confidence: 'high' }],
  },

  // ── Python ──────────────────────────────────────────────────────────────────────────────
  {
    source: 'logging with opentelemetry-instrumentation-logging default format',
    input: `2024-05-14 09:21:07,412 INFO [orders.handlers] [handlers.py:42] [trace_id=${D} span_id=${SD} resource.service.name=orders trace_sampled=True] - order created`,
    want: [{ text: D, traceId: D, spanId: SD, format: 'key', confidence: 'high' }],
  },
  {
    source: 'logging with otelTraceID / otelSpanID',
    input: `2024-05-14 09:21:07,412 INFO orders otelTraceID=${D} otelSpanID=${SD} otelServiceName=orders order created`,
    want: [{ text: D, traceId: D, spanId: SD, format: 'key', confidence: 'high' }],
  },
  {
    source: 'structlog JSON',
    input: `{"event": "order created", "trace_id": "${D}", "span_id": "${SD}", "level": "info", "timestamp": "2024-05-14T09:21:07.412Z"}`,
    want: [{ text: D, traceId: D, spanId: SD, format: 'json', confidence: 'high' }],
  },
  {
    source: 'logging instrumentation outside a span (zeros)',
    input:
      '2024-05-14 09:21:07,412 INFO [root] [app.py:7] [trace_id=0 span_id=0 resource.service.name=orders trace_sampled=False] - boot',
    want: [],
  },

  // ── Node ────────────────────────────────────────────────────────────────────────────────
  {
    source: 'pino with @opentelemetry/instrumentation-pino',
    input: `{"level":30,"time":1715678467412,"pid":7,"hostname":"orders-7d9c8b-x2k4p","trace_id":"${E}","span_id":"${SE}","trace_flags":"01","msg":"order created"}`,
    want: [{ text: E, traceId: E, spanId: SE, format: 'json', confidence: 'high' }],
  },
  {
    source: 'JSON with a span link: each trace takes the span nearest it',
    input: `{"msg":"batch consumed","trace_id":"${E}","span_id":"${SE}","links":[{"trace_id":"${A}","span_id":"${SA}"}]}`,
    want: [
      { text: E, traceId: E, spanId: SE, format: 'json', confidence: 'high' },
      { text: A, traceId: A, spanId: SA, format: 'json', confidence: 'high' },
    ],
  },

  // ── nginx ───────────────────────────────────────────────────────────────────────────────
  {
    source: 'nginx access log with otel_trace_id / otel_span_id variables',
    input: `10.0.3.7 - - [14/May/2024:09:21:07 +0000] "GET /api/orders HTTP/1.1" 200 512 "-" "curl/8.5.0" otel_trace_id=${A} otel_span_id=${SA}`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'key', confidence: 'high' }],
  },
  {
    source: 'nginx access log with bare $opentelemetry_trace_id $opentelemetry_span_id',
    input: `10.0.3.7 - - [14/May/2024:09:21:07 +0000] "GET /api/orders HTTP/1.1" 200 512 "-" "curl/8.5.0" ${A} ${SA}`,
    want: [{ text: A, traceId: A, format: 'bare', confidence: 'medium' }],
  },
  {
    source: 'nginx access log with $http_traceparent',
    input: `10.0.3.7 - - [14/May/2024:09:21:07 +0000] "POST /checkout HTTP/2.0" 201 87 "https://shop.example.com/cart" "Mozilla/5.0" "00-${A}-${SA}-01"`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'traceparent', confidence: 'high' }],
  },

  // ── Kubernetes ──────────────────────────────────────────────────────────────────────────
  {
    source: 'kubectl logs --prefix with a JSON line',
    input: `[pod/orders-7d9c8b-x2k4p/orders] {"level":"info","ts":"2024-05-14T09:21:07.412Z","msg":"order created","traceId":"${B}","spanId":"${SB}"}`,
    want: [{ text: B, traceId: B, spanId: SB, format: 'json', confidence: 'high' }],
  },
  {
    source: 'CRI container log file line',
    input: `2024-05-14T09:21:07.412345678Z stdout F {"level":"info","trace_id":"${B}","span_id":"${SB}","msg":"order created"}`,
    want: [{ text: B, traceId: B, spanId: SB, format: 'json', confidence: 'high' }],
  },
  {
    source: 'kubectl describe: container and image IDs are not traces',
    input:
      '    Container ID:   containerd://4f9a2c7e1b3d5f7a9c1e3b5d7f9a1c3e4f9a2c7e1b3d5f7a9c1e3b5d7f9a1c3e\n    Image ID:       registry.example.com/orders@sha256:2b9d7f86c1cba8d2d0a1b9e5f7c3a4e6d8b0c2e4f6a8b0d2e4f6a8b0c2e4f6a8\n    pod-template-hash=7d9c8b6f5',
    want: [],
  },

  // ── AWS ─────────────────────────────────────────────────────────────────────────────────
  {
    source: 'ALB access log with the X-Ray trace ID',
    input:
      'h2 2024-05-14T09:21:07.412345Z app/my-alb/50dc6c495c0c9188 10.0.1.23:51234 10.0.2.45:8080 0.001 0.023 0.000 200 200 34 366 "GET https://shop.example.com:443/api/orders HTTP/2.0" "curl/8.5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/orders/73e2d6bc24d8a067 "Root=1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a" "shop.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" 0 2024-05-14T09:21:07.388000Z "forward" "-" "-" "10.0.2.45:8080" "200" "-" "-"',
    want: [
      {
        text: '1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a',
        traceId: '66432c235f1e8d2c9b3a4e7f6d5c4b3a',
        format: 'xray',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'X-Amzn-Trace-Id with Self and Root (AWS docs example)',
    input:
      'X-Amzn-Trace-Id: Self=1-67891234-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678',
    want: [
      {
        text: '1-67891233-abcdef012345678912345678',
        traceId: '67891233abcdef012345678912345678',
        format: 'xray',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Lambda structured log with xray_trace_id',
    input:
      '{"timestamp":"2024-05-14T09:21:07.412Z","level":"INFO","requestId":"8f5f4a1e-7b2c-4d3e-9f8a-1b2c3d4e5f6a","xray_trace_id":"1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a","message":"order created"}',
    want: [
      {
        text: '1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a',
        traceId: '66432c235f1e8d2c9b3a4e7f6d5c4b3a',
        format: 'xray',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Lambda _X_AMZN_TRACE_ID with Parent and Lineage',
    input:
      '_X_AMZN_TRACE_ID=Root=1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=1:0f3ad5e1:0',
    want: [
      {
        text: '1-66432c23-5f1e8d2c9b3a4e7f6d5c4b3a',
        traceId: '66432c235f1e8d2c9b3a4e7f6d5c4b3a',
        spanId: '53995c3f42cd8ad8',
        format: 'xray',
        confidence: 'high',
      },
    ],
  },

  // ── GCP ─────────────────────────────────────────────────────────────────────────────────
  {
    source: 'Cloud Logging structured JSON',
    input: `{"severity":"INFO","message":"order created","logging.googleapis.com/trace":"projects/shop-prod/traces/${A}","logging.googleapis.com/spanId":"${SA}","logging.googleapis.com/trace_sampled":true}`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'gcp', confidence: 'high' }],
  },
  {
    source: 'gcloud logging read YAML: the span is on another line',
    input: `insertId: 1x2y3z4w5v\nspanId: ${SA}\ntrace: projects/shop-prod/traces/${A}\ntraceSampled: true`,
    want: [{ text: A, traceId: A, format: 'gcp', confidence: 'high' }],
  },
  {
    source: 'X-Cloud-Trace-Context header with a decimal span',
    input: 'X-Cloud-Trace-Context: 105445aa7843bc8bf206b12000100000/1;o=1',
    want: [
      {
        text: '105445aa7843bc8bf206b12000100000',
        traceId: '105445aa7843bc8bf206b12000100000',
        spanId: '0000000000000001',
        format: 'gcp',
        confidence: 'high',
      },
    ],
  },

  // ── Datadog ─────────────────────────────────────────────────────────────────────────────
  {
    source: 'ddtrace Python log injection',
    input:
      '2024-05-14 09:21:07,412 INFO [orders] [handlers.py:42] [dd.service=orders dd.env=prod dd.version=1.4.2 dd.trace_id=5837249472925127411 dd.span_id=1152209712337385283] - order created',
    want: [
      {
        text: '5837249472925127411',
        traceId: '000000000000000051021377f309d2f3',
        spanId: '0ffd78a0f29ff743',
        format: 'datadog',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'dd-trace-java JSON with dd.* keys',
    input:
      '{"message":"order created","dd.trace_id":"5837249472925127411","dd.span_id":"1152209712337385283","dd.service":"orders"}',
    want: [
      {
        text: '5837249472925127411',
        traceId: '000000000000000051021377f309d2f3',
        spanId: '0ffd78a0f29ff743',
        format: 'datadog',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'dd-trace-js with pino: nested "dd" object',
    input:
      '{"level":30,"msg":"order created","dd":{"trace_id":"5837249472925127411","span_id":"1152209712337385283","service":"orders","version":"1.4.2","env":"prod"}}',
    want: [
      {
        text: '5837249472925127411',
        traceId: '000000000000000051021377f309d2f3',
        spanId: '0ffd78a0f29ff743',
        format: 'datadog',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Datadog with small decimal IDs',
    input: '{"dd":{"trace_id":"123","span_id":"456"}} dd.trace_id=42',
    want: [
      {
        text: '123',
        traceId: '0000000000000000000000000000007b',
        spanId: '00000000000001c8',
        format: 'datadog',
        confidence: 'high',
      },
      { text: '42', traceId: '0000000000000000000000000000002a', format: 'datadog', confidence: 'high' },
    ],
  },

  // ── Jaeger, B3, W3C headers ─────────────────────────────────────────────────────────────
  {
    source: 'uber-trace-id of a root span',
    input: 'uber-trace-id: 3a5f9c1d2e4b6a78:3a5f9c1d2e4b6a78:0:1',
    want: [
      {
        text: '3a5f9c1d2e4b6a78',
        nth: 0,
        traceId: '00000000000000003a5f9c1d2e4b6a78',
        spanId: '3a5f9c1d2e4b6a78',
        format: 'jaeger',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Uber-Trace-Id from Go net/http header dump, unpadded IDs',
    input: 'Uber-Trace-Id: [5e8b3f1:a7c2:0:1]',
    want: [
      {
        text: '5e8b3f1',
        traceId: '00000000000000000000000005e8b3f1',
        spanId: '000000000000a7c2',
        format: 'jaeger',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'curl -v request headers with B3 multi',
    input: `> GET /api/orders HTTP/1.1\n> Host: orders:8080\n> X-B3-TraceId: ${E}\n> X-B3-ParentSpanId: 05e3ac9a4f6e3b90\n> X-B3-SpanId: ${SE}\n> X-B3-Sampled: 1\n>`,
    want: [{ text: E, traceId: E, spanId: SE, format: 'b3', confidence: 'high' }],
  },
  {
    source: 'B3 single header in a JSON header map',
    input: `{"method":"GET","url":"/api/orders","headers":{"b3":"${E}-${SE}-1","user-agent":"okhttp/4.12.0"}}`,
    want: [{ text: E, traceId: E, spanId: SE, format: 'b3-single', confidence: 'high' }],
  },
  {
    source: 'traceparent and tracestate headers',
    input: `traceparent: 00-${A}-${SA}-01\ntracestate: congo=t61rcWkgMzE,rojo=00f067aa0ba902b7`,
    want: [{ text: A, traceId: A, spanId: SA, format: 'traceparent', confidence: 'high' }],
  },

  // ── Tempo, Jaeger UI and Grafana URLs ───────────────────────────────────────────────────
  {
    source: 'curl to the Tempo API',
    input: `$ curl -s http://tempo:3200/api/traces/${C} | jq '.batches | length'`,
    want: [{ text: C, traceId: C, format: 'url', confidence: 'high' }],
  },
  {
    source: 'Tempo v2 API with time range',
    input: `GET /api/v2/traces/${C}?start=1715670000&end=1715680000 200 12.3ms`,
    want: [{ text: C, traceId: C, format: 'url', confidence: 'high' }],
  },
  {
    source: 'Jaeger UI link pasted in chat',
    input:
      'see http://jaeger.internal:16686/trace/3a5f9c1d2e4b6a78?uiFind=3a5f9c1d2e4b6a78 for the slow call',
    want: [
      {
        text: '3a5f9c1d2e4b6a78',
        nth: 0,
        traceId: '00000000000000003a5f9c1d2e4b6a78',
        format: 'url',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Grafana 10 Explore URL (panes, percent-encoded)',
    input: `https://grafana.example.com/explore?schemaVersion=1&panes=%7B%22k2v%22:%7B%22datasource%22:%22tempo-main%22,%22queries%22:%5B%7B%22refId%22:%22A%22,%22datasource%22:%7B%22type%22:%22tempo%22,%22uid%22:%22tempo-main%22%7D,%22queryType%22:%22traceql%22,%22limit%22:20,%22query%22:%22${C}%22%7D%5D,%22range%22:%7B%22from%22:%22now-1h%22,%22to%22:%22now%22%7D%7D%7D&orgId=1`,
    want: [{ text: C, traceId: C, format: 'grafana-url', confidence: 'high' }],
  },
  {
    source: 'Grafana Cloud Explore URL (left, fully encoded)',
    input: `https://acme.grafana.net/explore?orgId=1&left=%7B%22datasource%22%3A%22grafanacloud-traces%22%2C%22queries%22%3A%5B%7B%22refId%22%3A%22A%22%2C%22queryType%22%3A%22traceId%22%2C%22query%22%3A%22${C}%22%7D%5D%2C%22range%22%3A%7B%22from%22%3A%22now-1h%22%2C%22to%22%3A%22now%22%7D%7D`,
    want: [{ text: C, traceId: C, format: 'grafana-url', confidence: 'high' }],
  },

  // ── OTLP / Tempo JSON ───────────────────────────────────────────────────────────────────
  {
    source: 'OTLP/JSON span (hex IDs)',
    input: `{"traceId":"${D}","spanId":"${SD}","parentSpanId":"00f067aa0ba902b6","name":"GET /api/orders","kind":2,"startTimeUnixNano":"1715678467412000000"}`,
    want: [{ text: D, traceId: D, spanId: SD, format: 'json', confidence: 'high' }],
  },
  {
    source: 'Tempo v1 response, protobuf-JSON base64 IDs on one line',
    input: '{"traceId":"Lz4M7neuXcnBet42iesuVA==","spanId":"t61rcWkgMzE=","name":"GET /api/orders"}',
    want: [
      {
        text: 'Lz4M7neuXcnBet42iesuVA==',
        traceId: C,
        spanId: SA,
        format: 'base64',
        confidence: 'high',
      },
    ],
  },
  {
    source: 'Tempo v1 response, pretty-printed: the span is on the next line',
    input:
      '{\n  "batches": [{\n    "scopeSpans": [{\n      "spans": [{\n        "traceId": "Lz4M7neuXcnBet42iesuVA==",\n        "spanId": "t61rcWkgMzE=",\n        "name": "GET /api/orders"',
    want: [{ text: 'Lz4M7neuXcnBet42iesuVA==', traceId: C, format: 'base64', confidence: 'high' }],
  },

  // ── Bare IDs ────────────────────────────────────────────────────────────────────────────
  {
    source: 'an ID pasted into a message',
    input: `@oncall can someone look at ${D}? it timed out twice`,
    want: [{ text: D, traceId: D, format: 'bare', confidence: 'medium' }],
  },
  {
    source: 'md5sum output is a bare 32-hex run: medium, as any unlabelled ID',
    input: 'd41d8cd98f00b204e9800998ecf8427e  empty.txt',
    want: [
      {
        text: 'd41d8cd98f00b204e9800998ecf8427e',
        traceId: 'd41d8cd98f00b204e9800998ecf8427e',
        format: 'bare',
        confidence: 'medium',
      },
    ],
  },

  // ── Not trace IDs ───────────────────────────────────────────────────────────────────────
  {
    source: 'md5 under a key',
    input: 'uploaded asset md5=9e107d9d372bb6826bd81d3542a419d6 size=43',
    want: [],
  },
  {
    source: 'JSON hash field',
    input: '{"name":"empty.txt","hash":"d41d8cd98f00b204e9800998ecf8427e"}',
    want: [],
  },
  { source: 'sha1 checksum', input: '"checksum":"sha1:2fd4e1c67a2d28fced849ee1bb76e7391b93eb12"', want: [] },
  {
    source: 'git log',
    input:
      'commit 7f3d2a1b9c8e4f5a6b7c8d9e0f1a2b3c4d5e6f70\nAuthor: Dana <dana@example.com>\nDate:   Tue May 14 09:21:07 2024 +0200\n\n    Fix race in order handler (#4812)\n\n7f3d2a1 Fix race in order handler\nb9c8e4f Bump deps',
    want: [],
  },
  {
    source: 'UUID request ID',
    input: 'request_id=8f5f4a1e-7b2c-4d3e-9f8a-1b2c3d4e5f6a status=200',
    want: [],
  },
  {
    source: 'CSS colours',
    input: '.btn-primary { color: #ffffff; background-color: #0d6efd; border-color: #0d6efdcc; }',
    want: [],
  },
  {
    source: 'npm lockfile integrity',
    input:
      '"integrity": "sha512-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+Pw=="',
    want: [],
  },
  {
    source: 'docker pull digest and image ID',
    input:
      'Digest: sha256:2b9d7f86c1cba8d2d0a1b9e5f7c3a4e6d8b0c2e4f6a8b0d2e4f6a8b0c2e4f6a8\nStatus: Downloaded newer image for orders:1.4.2\norders   1.4.2   3f2a9c1e7b5d   2 days ago   142MB',
    want: [],
  },
  {
    source: 'session cookie',
    input: 'Set-Cookie: SESSIONID=3f2a9c1e7b5d4f8a6c0e2b4d6f8a0c2e; Path=/; HttpOnly; Secure',
    want: [],
  },
  { source: 'ETag header', input: 'ETag: "686897696a7c876b7e8d5c4b3a291807"', want: [] },
  { source: 'weak ETag header', input: 'ETag: W/"0815a3c2b4d6e8f0a1b3c5d7e9f1a3b5"', want: [] },
  { source: 'API key', input: 'api_key=9f8e7d6c5b4a39281706f5e4d3c2b1a0 region=eu-west-1', want: [] },
  {
    source: 'CSP nonce',
    input: "Content-Security-Policy: script-src 'nonce-4f9a2c7e1b3d5f7a9c1e3b5d7f9a1c3e' 'strict-dynamic'",
    want: [],
  },
  { source: '0x-prefixed hex', input: 'hash=0x4bf92f3577b34da6a3ce929d0e0e4736 block=19283746', want: [] },
  { source: 'a lone 16-hex span ID', input: `span ${SD} finished in 12ms`, want: [] },
  {
    source: 'all-zero traceparent (invalid)',
    input: 'traceparent: 00-00000000000000000000000000000000-0000000000000000-00',
    want: [],
  },
];
