import { strict as assert } from 'node:assert';
import { normalizeTraceId } from '../../shared/traceId';
import { detectTraceIds, type DetectedId, type IdFormat, type Confidence } from './detect';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

/** One expected hit: the text it should cover is given literally so offsets are checked by hand. */
interface Want {
  text: string;
  traceId: string;
  spanId?: string;
  format: IdFormat;
  confidence: Confidence;
}

interface Case {
  name: string;
  input: string;
  want: Want[];
  includeLow?: boolean;
}

/** Checks hits against expectations; each expected `text` must occur once in the input. */
function check(c: Case): void {
  const got = detectTraceIds(c.input, c.includeLow ? { includeLow: true } : undefined);
  const expected: DetectedId[] = c.want.map((w) => {
    const start = c.input.indexOf(w.text);
    assert.ok(start >= 0, `${c.name}: fixture text ${w.text} not in input`);
    assert.equal(c.input.indexOf(w.text, start + 1), -1, `${c.name}: fixture text ${w.text} is ambiguous`);
    const d: DetectedId = {
      traceId: w.traceId,
      start,
      end: start + w.text.length,
      format: w.format,
      confidence: w.confidence,
    };
    if (w.spanId) d.spanId = w.spanId;
    return d;
  });
  const norm = (d: DetectedId) => ({ ...d, spanId: d.spanId ?? null });
  assert.deepEqual(got.map(norm), expected.map(norm), c.name);
}

const formatCases: Case[] = [
  {
    name: 'W3C traceparent header',
    input: `traceparent: 00-${T}-${S}-01`,
    want: [{ text: T, traceId: T, spanId: S, format: 'traceparent', confidence: 'high' }],
  },
  {
    name: 'logfmt trace_id and span_id, upper-case hex',
    input: `level=info trace_id=${T.toUpperCase()} span_id=${S.toUpperCase()} msg="ok"`,
    want: [{ text: T.toUpperCase(), traceId: T, spanId: S, format: 'key', confidence: 'high' }],
  },
  {
    name: 'key: value form with trace-id',
    input: `trace-id: ${T}`,
    want: [{ text: T, traceId: T, format: 'key', confidence: 'high' }],
  },
  {
    name: 'trace.id (ECS) with span.id',
    input: `trace.id=${T} span.id=${S}`,
    want: [{ text: T, traceId: T, spanId: S, format: 'key', confidence: 'high' }],
  },
  {
    name: 'JSON traceId / spanId',
    input: `{"traceId":"${T}","spanId":"${S}"}`,
    want: [{ text: T, traceId: T, spanId: S, format: 'json', confidence: 'high' }],
  },
  {
    name: 'JSON traceID with a space after the colon, span key before the trace key',
    input: `{"spanID": "${S}", "traceID": "${T}"}`,
    want: [{ text: T, traceId: T, spanId: S, format: 'json', confidence: 'high' }],
  },
  {
    name: 'otelTraceID (Python logging instrumentation)',
    input: `[otelTraceID=${T} otelSpanID=${S} otelServiceName=api]`,
    want: [{ text: T, traceId: T, spanId: S, format: 'key', confidence: 'high' }],
  },
  {
    name: 'B3 multi-header on separate lines, 64-bit trace',
    input:
      'X-B3-TraceId: 463ac35c9f6413ad\nX-B3-ParentSpanId: 0020000000000001\nX-B3-SpanId: a2fb4a1d1a96d312\n',
    want: [
      {
        text: '463ac35c9f6413ad',
        traceId: '0000000000000000463ac35c9f6413ad',
        spanId: 'a2fb4a1d1a96d312',
        format: 'b3',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'B3 single header with flag and parent',
    input: `b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90`,
    want: [
      {
        text: '80f198ee56343ba864fe8b2a57d3eff7',
        traceId: '80f198ee56343ba864fe8b2a57d3eff7',
        spanId: 'e457b5a2e4d86bd1',
        format: 'b3-single',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Jaeger uber-trace-id with a short trace part',
    input: 'uber-trace-id: 5e8b3:1f2e3d4c5b6a7988:0:1',
    want: [
      {
        text: '5e8b3',
        traceId: '0000000000000000000000000005e8b3',
        spanId: '1f2e3d4c5b6a7988',
        format: 'jaeger',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Jaeger uber-trace-id URL-encoded',
    input: `GET /x?uber-trace-id=${T}%3A${S}%3A0%3A1 HTTP/1.1`,
    want: [{ text: T, traceId: T, spanId: S, format: 'jaeger', confidence: 'high' }],
  },
  {
    name: 'AWS X-Ray Root with Parent',
    input: 'X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
    want: [
      {
        text: '1-5759e988-bd862e3fe1be46a994272793',
        traceId: '5759e988bd862e3fe1be46a994272793',
        spanId: '53995c3f42cd8ad8',
        format: 'xray',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Datadog decimal IDs',
    input: 'dd.trace_id=1234567890123456789 dd.span_id=987654321',
    want: [
      {
        text: '1234567890123456789',
        traceId: '0000000000000000112210f47de98115',
        spanId: '000000003ade68b1',
        format: 'datadog',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Datadog JSON with the largest 64-bit ID',
    input: '{"dd.trace_id":"18446744073709551615","dd.span_id":"1"}',
    want: [
      {
        text: '18446744073709551615',
        traceId: '0000000000000000ffffffffffffffff',
        spanId: '0000000000000001',
        format: 'datadog',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Spring Boot / Micrometer [app,trace,span]',
    input: `2024-05-01 10:00:00.123  INFO [orders,${T},${S}] 4711 --- [main] c.e.OrderController : created`,
    want: [{ text: T, traceId: T, spanId: S, format: 'spring', confidence: 'high' }],
  },
  {
    name: 'Spring Sleuth [app,trace,span,exportable] with 64-bit trace',
    input: 'INFO [billing,463ac35c9f6413ad,a2fb4a1d1a96d312,true] 1 --- [nio-8080-exec-1] Billing : ok',
    want: [
      {
        text: '463ac35c9f6413ad',
        traceId: '0000000000000000463ac35c9f6413ad',
        spanId: 'a2fb4a1d1a96d312',
        format: 'spring',
        confidence: 'high',
      },
    ],
  },
  {
    name: '.NET console logger scopes',
    input: `=> SpanId:${S}, TraceId:${T}, ParentId:0000000000000000 => ConnectionId:0HMPO`,
    want: [{ text: T, traceId: T, spanId: S, format: 'dotnet', confidence: 'high' }],
  },
  {
    name: 'GCP trace resource name',
    input: `"logging.googleapis.com/trace":"projects/my-proj/traces/${T}","logging.googleapis.com/spanId":"${S}"`,
    want: [{ text: T, traceId: T, spanId: S, format: 'gcp', confidence: 'high' }],
  },
  {
    name: 'Tempo API URLs',
    input: `GET /api/traces/${T} 200\nGET /api/v2/traces/abcdef0123456789abcdef0123456789?start=1 200`,
    want: [
      { text: T, traceId: T, format: 'url', confidence: 'high' },
      {
        text: 'abcdef0123456789abcdef0123456789',
        traceId: 'abcdef0123456789abcdef0123456789',
        format: 'url',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Jaeger UI URL with a 64-bit ID',
    input: 'see http://localhost:16686/trace/463ac35c9f6413ad for details',
    want: [
      {
        text: '463ac35c9f6413ad',
        traceId: '0000000000000000463ac35c9f6413ad',
        format: 'url',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'Grafana Explore URL, legacy left= state',
    input: `https://grafana.example.com/explore?orgId=1&left=%7B%22datasource%22:%22tempo%22,%22queries%22:%5B%7B%22refId%22:%22A%22,%22query%22:%22${T}%22%7D%5D%7D`,
    want: [{ text: T, traceId: T, format: 'grafana-url', confidence: 'high' }],
  },
  {
    name: 'Grafana Explore URL, panes= state fully encoded',
    input: `https://ops.example.com/explore?schemaVersion=1&panes=%7B%22x1%22%3A%7B%22queries%22%3A%5B%7B%22query%22%3A%22${T}%22%2C%22queryType%22%3A%22traceql%22%7D%5D%7D%7D`,
    want: [{ text: T, traceId: T, format: 'grafana-url', confidence: 'high' }],
  },
  {
    name: 'OTLP JSON base64 IDs',
    input: '{"traceId":"W47/95gDgQPSabYzgT/GDA==","spanId":"7uGbfsPBsXQ=","name":"GET"}',
    want: [
      {
        text: 'W47/95gDgQPSabYzgT/GDA==',
        traceId: '5b8efff798038103d269b633813fc60c',
        spanId: 'eee19b7ec3c1b174',
        format: 'base64',
        confidence: 'high',
      },
    ],
  },
  {
    name: 'ANSI colours around the value',
    input: `\x1b[2mtrace_id\x1b[0m=\x1b[36m${T}\x1b[0m \x1b[2mspan_id\x1b[0m=\x1b[36m${S}\x1b[0m`,
    want: [{ text: T, traceId: T, spanId: S, format: 'key', confidence: 'high' }],
  },
  {
    name: 'ANSI colour between traceparent= and its value (stern, kubectl)',
    input: `\x1b[33mtraceparent=\x1b[36m00-${T}-${S}-01\x1b[0m`,
    want: [{ text: T, traceId: T, spanId: S, format: 'traceparent', confidence: 'high' }],
  },
  {
    name: 'bare 32-hex token',
    input: `failed request ${T} after 3 retries`,
    want: [{ text: T, traceId: T, format: 'bare', confidence: 'medium' }],
  },
  {
    name: 'neutral key: request-id',
    input: `request-id=${T}`,
    want: [{ text: T, traceId: T, format: 'bare', confidence: 'medium' }],
  },
  {
    name: 'offsets across lines',
    input: `first line\nsecond trace_id=${T}\n`,
    want: [{ text: T, traceId: T, format: 'key', confidence: 'high' }],
  },
];

const negativeCases: Case[] = [
  { name: 'md5 under a key', input: `md5=${T}`, want: [] },
  { name: 'checksum in JSON', input: `{"checksum":"${T}"}`, want: [] },
  { name: 'etag header', input: `ETag: "${T}"`, want: [] },
  { name: 'session key', input: `session_id=${T}`, want: [] },
  { name: 'git SHA-1', input: 'commit 3f786850e387550fdab836ed7e6dc881de23001b', want: [] },
  {
    name: 'sha256 digest',
    input: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    want: [],
  },
  { name: 'hex run longer than 32', input: `x ${T}ab y`, want: [] },
  { name: '32 hex glued to word characters', input: `id_${T} ${T}zz`, want: [] },
  { name: 'UUID', input: 'user 550e8400-e29b-41d4-a716-446655440000 logged in', want: [] },
  {
    name: 'all-zero trace ID',
    input: `trace_id=00000000000000000000000000000000 ${'0'.repeat(32)}`,
    want: [],
  },
  { name: 'CSS colours', input: 'color: #aabbcc; background: #AABBCCDD;', want: [] },
  { name: 'bare 16-hex token', input: `span ${S} alone`, want: [] },
  { name: 'span key alone', input: `span_id=${S}`, want: [] },
  { name: '32 hex under a span key is not a trace', input: `span_id=${T}`, want: [] },
  {
    name: 'X-Ray Self segment is not the trace',
    input: 'Self=1-67891233-12456789abcdef012345678912',
    want: [],
  },
];

describe('detectTraceIds', () => {
  describe('formats', () => {
    for (const c of formatCases) it(c.name, () => check(c));
  });

  describe('negatives', () => {
    for (const c of negativeCases) it(c.name, () => check(c));
  });

  it('reports low-confidence hits when asked', () => {
    check({
      name: 'includeLow',
      input: `md5=${T}`,
      includeLow: true,
      want: [{ text: T, traceId: T, format: 'bare', confidence: 'low' }],
    });
  });

  it('maxLength stops the scan and never reports a cut run', () => {
    const line = `trace_id=${T} trace_id=${T}`;
    assert.equal(detectTraceIds(line, { maxLength: 42 }).length, 1);
    assert.equal(detectTraceIds(line, { maxLength: 60 }).length, 1);
    assert.equal(detectTraceIds(line).length, 2);
    assert.deepEqual(detectTraceIds(`x ${T}ab`, { maxLength: 34 }), []);
    assert.deepEqual(detectTraceIds(line, { maxLength: 0 }), []);
    assert.deepEqual(detectTraceIds(line, { maxLength: -5 }), []);
  });

  describe('pathological input', () => {
    it('a 1 MB line of hex digits is one long run, not a trace ID', () => {
      const hex = '0123456789abcdef'.repeat(65536);
      assert.deepEqual(detectTraceIds(hex), []);
      assert.deepEqual(detectTraceIds(hex, { includeLow: true }), []);
    });

    it('a 1 MB line of 32-hex tokens finds every token', () => {
      const count = 1 << 15;
      const line = `${T} `.repeat(count);
      const got = detectTraceIds(line);
      assert.equal(got.length, count);
      assert.equal(got[count - 1]?.start, (count - 1) * 33);
      assert.ok(got.every((d) => d.traceId === T && d.confidence === 'medium'));
    });

    it('150k characters of repeated trace_id= keys', () => {
      const line = 'trace_id='.repeat(150_000 / 9);
      assert.deepEqual(detectTraceIds(line), []);
      const withId = line + T;
      assert.deepEqual(detectTraceIds(withId), [
        { traceId: T, start: line.length, end: line.length + 32, format: 'key', confidence: 'high' },
      ]);
    });

    it('repeated anchors and structures give exact results', () => {
      const fill = (unit: string, count: number) => unit.repeat(count);
      assert.deepEqual(detectTraceIds(fill('_id=1 ', 40_000)), []);
      assert.deepEqual(detectTraceIds(fill('uber-trace-id: 1:', 20_000)), []);
      const dd = detectTraceIds(fill('dd.trace_id=7 ', 20_000));
      assert.equal(dd.length, 20_000);
      assert.ok(dd.every((d) => d.traceId === '00000000000000000000000000000007' && d.format === 'datadog'));
      const url = detectTraceIds('https://grafana.example.com/explore?x=' + fill(`%22${T}`, 8_000));
      assert.equal(url.length, 8_000);
      assert.ok(url.every((d) => d.format === 'grafana-url' && d.confidence === 'high'));
      const b3 = detectTraceIds(fill(`X-B3-TraceId: ${T}\n`, 8_000) + `X-B3-SpanId: ${S}\n`);
      assert.equal(b3.length, 8_000);
      // The nearest trace header claims the span header; a claimed span is not handed out again.
      assert.deepEqual(
        b3.map((d) => d.spanId ?? ''),
        [...Array<string>(7_999).fill(''), S],
      );
    });

    it('long runs of separators, quotes, escapes and colons', () => {
      for (const unit of ['"', '%22', '\x1b[0m', ':', '-', '=', 'a:', '1-', '[x,']) {
        const line = unit.repeat(200_000 / unit.length);
        assert.deepEqual(detectTraceIds(line + ` trace_id=${T}`).length, 1, JSON.stringify(unit));
      }
    });
  });
});

describe('normalizeTraceId', () => {
  const cases: Array<[string, string | undefined]> = [
    [T, T],
    [T.toUpperCase(), T],
    ['463ac35c9f6413ad', '0000000000000000463ac35c9f6413ad'],
    ['1', '00000000000000000000000000000001'],
    [`  ${T}\n`, T],
    ['', undefined],
    ['0'.repeat(32), undefined],
    ['000', undefined],
    [`${T}0`, undefined],
    ['0x1234', undefined],
    ['xyz', undefined],
    ['550e8400-e29b-41d4-a716-446655440000', undefined],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${String(want)}`, () => assert.equal(normalizeTraceId(input), want));
  }
});
