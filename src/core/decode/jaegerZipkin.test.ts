import { strict as assert } from 'node:assert';
import { SpanFlag, spanIdAt, type TraceModel } from '../../shared/model';
import { summarize } from '../analysis';
import { decodeTrace, TraceDecodeError } from '.';

/** A HotROD-like Jaeger trace: frontend → customer (MySQL), frontend → driver → 2 Redis calls. */
const T0 = 1_700_000_000_123_456; // µs
const JAEGER = {
  data: [
    {
      traceID: '7b3f5a2c9d1e4f60', // 64-bit
      spans: [
        {
          traceID: '7b3f5a2c9d1e4f60',
          spanID: '2b9c0d1e2f3a4b5c',
          operationName: 'SQL SELECT',
          references: [{ refType: 'CHILD_OF', traceID: '7b3f5a2c9d1e4f60', spanID: '5c1e2a3b4d5e6f7' }],
          startTime: T0 + 1_500,
          duration: 300_000,
          tags: [
            { key: 'span.kind', type: 'string', value: 'client' },
            { key: 'sql.query', type: 'string', value: 'SELECT * FROM customer WHERE id=123' },
          ],
          logs: [],
          processID: 'p2',
          warnings: null,
        },
        {
          traceID: '7b3f5a2c9d1e4f60',
          spanID: '5c1e2a3b4d5e6f7', // leading zero dropped
          operationName: 'HTTP GET /dispatch',
          references: [],
          startTime: T0,
          duration: 700_000,
          tags: [
            { key: 'span.kind', type: 'string', value: 'server' },
            { key: 'http.status_code', type: 'int64', value: 200 },
            { key: 'code.function', type: 'string', value: 'dispatch' },
          ],
          logs: [
            {
              timestamp: T0 + 10,
              fields: [{ key: 'event', type: 'string', value: 'HTTP request received' }],
            },
          ],
          processID: 'p1',
          warnings: null,
        },
        {
          traceID: '7b3f5a2c9d1e4f60',
          spanID: '3a4b5c6d7e8f9001',
          operationName: 'GetDriver',
          references: [{ refType: 'CHILD_OF', traceID: '7b3f5a2c9d1e4f60', spanID: '05c1e2a3b4d5e6f7' }],
          startTime: T0 + 302_000,
          duration: 390_000,
          tags: [
            { key: 'span.kind', type: 'string', value: 'server' },
            { key: 'error', type: 'bool', value: true },
          ],
          logs: [
            {
              timestamp: T0 + 500_000,
              fields: [
                { key: 'event', type: 'string', value: 'exception' },
                { key: 'exception.type', type: 'string', value: 'RedisTimeout' },
                { key: 'exception.message', type: 'string', value: 'redis timeout' },
              ],
            },
          ],
          processID: 'p3',
          warnings: null,
        },
        {
          traceID: '7b3f5a2c9d1e4f60',
          spanID: '4b5c6d7e8f900102',
          operationName: 'FindDriverIDs',
          references: [
            { refType: 'FOLLOWS_FROM', traceID: '1111111111111111', spanID: '9999999999999999' },
            { refType: 'CHILD_OF', traceID: '7b3f5a2c9d1e4f60', spanID: '3a4b5c6d7e8f9001' },
          ],
          startTime: T0 + 303_000,
          duration: 20_000,
          tags: [{ key: 'span.kind', type: 'string', value: 'client' }],
          logs: [],
          processID: 'p3',
          warnings: null,
        },
      ],
      processes: {
        p1: { serviceName: 'frontend', tags: [{ key: 'hostname', type: 'string', value: 'web-1' }] },
        p2: { serviceName: 'mysql', tags: [] },
        p3: { serviceName: 'driver', tags: [] },
      },
      warnings: null,
    },
  ],
  total: 0,
  limit: 0,
  offset: 0,
  errors: null,
};

/** A Zipkin v2 trace with a shared client/server span and a failed call. */
const ZIPKIN = [
  {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    parentId: 'a2fb4a1d1a96d312',
    id: 'b7ad6b7169203331',
    kind: 'SERVER',
    name: 'get /api',
    timestamp: 1_700_000_000_000_100,
    duration: 8_000,
    localEndpoint: { serviceName: 'backend', ipv4: '192.168.99.101', port: 9000 },
    tags: { 'http.path': '/api' },
    shared: true,
  },
  {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    id: 'a2fb4a1d1a96d312',
    kind: 'SERVER',
    name: 'get /',
    timestamp: 1_700_000_000_000_000,
    duration: 10_000,
    localEndpoint: { serviceName: 'frontend' },
    tags: { 'http.method': 'GET' },
  },
  {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    parentId: 'a2fb4a1d1a96d312',
    id: 'b7ad6b7169203331',
    kind: 'CLIENT',
    name: 'get',
    timestamp: 1_700_000_000_000_050,
    duration: 9_000,
    localEndpoint: { serviceName: 'frontend' },
    remoteEndpoint: { serviceName: 'backend', port: 9000 },
    annotations: [{ timestamp: 1_700_000_000_000_060, value: 'wire send' }],
  },
  {
    traceId: '463ac35c9f6413ad48485a3953bb6124',
    parentId: 'b7ad6b7169203331',
    id: 'c1c2c3c4c5c6c7c8',
    kind: 'CLIENT',
    name: 'query',
    timestamp: 1_700_000_000_001_000,
    duration: 2_000,
    localEndpoint: { serviceName: 'backend' },
    tags: { error: 'connection refused' },
  },
];

function names(m: TraceModel): string[] {
  return Array.from({ length: m.spanCount }, (_, i) => m.strings[m.columns.name[i]!]!);
}

describe('Jaeger JSON', () => {
  const d = decodeTrace(JSON.stringify(JAEGER));
  const m = d.model;

  it('builds the tree from CHILD_OF references and pads the 64-bit trace ID', () => {
    assert.equal(m.traceId, '00000000000000007b3f5a2c9d1e4f60');
    assert.deepEqual(names(m), ['HTTP GET /dispatch', 'SQL SELECT', 'GetDriver', 'FindDriverIDs']);
    assert.deepEqual(Array.from(m.columns.parent), [-1, 0, 0, 2]);
    assert.equal(spanIdAt(m.columns, 0), '05c1e2a3b4d5e6f7');
    assert.deepEqual(m.services, ['frontend', 'mysql', 'driver']);
    assert.deepEqual(Array.from(m.columns.kind), [2, 3, 2, 3]);
    assert.deepEqual(m.warnings, []);
  });

  it('keeps microseconds exact as nanoseconds', () => {
    assert.equal(m.traceStartUnixNano, '1700000000123456000');
    assert.deepEqual(Array.from(m.columns.startNs), [0, 1_500_000, 302_000_000, 303_000_000]);
    assert.deepEqual(Array.from(m.columns.durationNs), [700_000_000, 300_000_000, 390_000_000, 20_000_000]);
    assert.equal(m.durationNs, 700_000_000);
  });

  it('reads errors from the error tag and exception logs, code from code.* tags', () => {
    const f = Array.from(m.columns.flags, (x) => x & (SpanFlag.Error | SpanFlag.HasCode));
    assert.deepEqual(f, [SpanFlag.HasCode, 0, SpanFlag.Error, 0]);
    assert.equal(m.columns.status[2], 2);
    const s = summarize(m);
    assert.equal(s.errorCount, 1);
    assert.equal(s.rootService, 'frontend');
  });

  it('details: tags, process, logs as events, extra references as links', () => {
    const root = d.detail(0)!;
    assert.deepEqual(root.resource, [
      { key: 'service.name', value: 'frontend' },
      { key: 'hostname', value: 'web-1' },
    ]);
    assert.deepEqual(root.events, [{ name: 'HTTP request received', timeNs: 10_000, attributes: [] }]);
    assert.equal(root.parentSpanId, undefined);
    const driver = d.detail(2)!;
    assert.equal(driver.parentSpanId, '05c1e2a3b4d5e6f7');
    assert.deepEqual(driver.events[0], {
      name: 'exception',
      timeNs: 500_000_000,
      attributes: [
        { key: 'exception.type', value: 'RedisTimeout' },
        { key: 'exception.message', value: 'redis timeout' },
      ],
    });
    const find = d.detail(3)!;
    assert.equal(find.parentSpanId, '3a4b5c6d7e8f9001');
    assert.deepEqual(find.links, [
      {
        traceId: '00000000000000001111111111111111',
        spanId: '9999999999999999',
        attributes: [{ key: 'jaeger.refType', value: 'FOLLOWS_FROM' }],
      },
    ]);
  });

  it('not found and malformed responses', () => {
    const notFound = (body: string) =>
      assert.throws(
        () => decodeTrace(body, 'jaeger-json'),
        (e: unknown) => e instanceof TraceDecodeError && e.kind === 'not-found',
      );
    notFound('{"data":[],"total":0}');
    notFound('{"data":null,"errors":[{"code":404,"msg":"trace not found"}]}');
    notFound('{"data":[{"traceID":"1","spans":[],"processes":{}}]}');
    assert.throws(
      () => decodeTrace('{"data":5}'),
      (e: unknown) =>
        e instanceof TraceDecodeError && e.kind === 'malformed' && /"data" is a number/.test(e.message),
    );
  });
});

describe('Zipkin v2 JSON', () => {
  const d = decodeTrace(JSON.stringify(ZIPKIN));
  const m = d.model;

  it('places the shared server span under its client span', () => {
    assert.equal(m.traceId, '463ac35c9f6413ad48485a3953bb6124');
    assert.deepEqual(names(m), ['get /', 'get', 'get /api', 'query']);
    assert.deepEqual(Array.from(m.columns.parent), [-1, 0, 1, 2]);
    assert.deepEqual(Array.from(m.columns.kind), [2, 3, 2, 3]);
    assert.deepEqual(m.services, ['frontend', 'backend']);
    assert.deepEqual(Array.from(m.columns.startNs), [0, 50_000, 100_000, 1_000_000]);
    assert.equal(m.durationNs, 10_000_000);
    assert.match(m.warnings.join(' '), /shares a span ID/);
  });

  it('reads the error tag as the status and message', () => {
    assert.equal(m.columns.status[3], 2);
    assert.ok(m.columns.flags[3]! & SpanFlag.Error);
    assert.equal(d.detail(3)!.statusMessage, 'connection refused');
    assert.deepEqual(d.detail(1)!.events, [{ name: 'wire send', timeNs: 60_000, attributes: [] }]);
    assert.deepEqual(d.detail(2)!.resource, [
      { key: 'service.name', value: 'backend' },
      { key: 'localEndpoint.ipv4', value: '192.168.99.101' },
      { key: 'localEndpoint.port', value: 9000 },
    ]);
  });

  it('pads 64-bit trace IDs and takes the first trace of a list of traces', () => {
    const one = { traceId: '123456789abcdef', id: '1', name: 'x', timestamp: 1, duration: 1 };
    const t = decodeTrace(JSON.stringify([[one], [one]])).model;
    assert.equal(t.traceId, '00000000000000000123456789abcdef');
    assert.equal(spanIdAt(t.columns, 0), '0000000000000001');
    assert.throws(
      () => decodeTrace('[]'),
      (e: unknown) => e instanceof TraceDecodeError && e.kind === 'not-found',
    );
  });
});
