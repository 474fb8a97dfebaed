/**
 * Trace by ID against a real Tempo 3.0.3: v2 (protobuf and JSON), v1 (protobuf and JSON, through
 * a proxy that hides the v2 route as Tempo < 2.6 does), not found, malformed and short IDs, time
 * ranges, and what the decoded trace holds (services, errors, the exception, code.* attributes).
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { TempoClient } from '../../src/core/backends';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { summarize } from '../../src/core/analysis';
import type { DecodedTrace } from '../../src/core/decode';
import { SpanFlag, spanIdAt, spanIndexById, type Attribute } from '../../src/shared/model';
import { clientFor, complete, mainSeed, nowS, tempo } from './fixtures';
import type { SentTrace } from './otel';
import { startProxy, type TempoProxy } from './proxy';
import { CODE, REPORT_RENDER_MS, seedOne, type MainSeed } from './seed';
import type { TempoServer } from './server';

function attr(list: readonly Attribute[], key: string): Attribute['value'] | undefined {
  return list.find((a) => a.key === key)?.value;
}

function span(decoded: DecodedTrace, sent: SentTrace, name: string) {
  const id = sent.spanIds.get(name);
  assert.ok(id, `no span ${name} was sent`);
  const index = spanIndexById(decoded.model, id);
  assert.ok(index >= 0, `span ${name} (${id}) is not in the decoded trace`);
  const detail = decoded.detail(index);
  assert.ok(detail, `no detail for span ${name}`);
  return { index, detail };
}

/** What two decodings of one trace must agree on. */
function shape(decoded: DecodedTrace) {
  const m = decoded.model;
  const rows = Array.from({ length: m.spanCount }, (_, i) => ({
    id: spanIdAt(m.columns, i),
    name: m.strings[m.columns.name[i]!],
    service: m.services[m.columns.service[i]!],
    parent: m.columns.parent[i]! >= 0 ? spanIdAt(m.columns, m.columns.parent[i]!) : '',
    startNs: m.columns.startNs[i],
    durationNs: m.columns.durationNs[i],
    kind: m.columns.kind[i],
    status: m.columns.status[i],
  }));
  return { traceId: m.traceId, start: m.traceStartUnixNano, durationNs: m.durationNs, rows };
}

const randomId = () => randomBytes(16).toString('hex');

describe('Tempo 3.0.3: trace by ID', () => {
  let server: TempoServer;
  let seed: MainSeed;
  let proto: TempoClient;
  let json: TempoClient;
  let protoTrace: DecodedTrace;

  before(async () => {
    server = await tempo('main');
    seed = await mainSeed();
    proto = clientFor(server);
    json = clientFor(server, { format: 'json' });
    protoTrace = await complete(proto, seed.checkout);
  });

  it('v2 protobuf (the default) decodes the whole trace: services, kinds, errors, the exception, code.* attributes', async () => {
    const r = await proto.getTrace(seed.checkout.traceId);
    assert.equal(r.route, 'v2');
    assert.equal(r.partial, false);
    const m = r.decoded.model;
    assert.equal(m.traceId, seed.checkout.traceId);
    assert.equal(m.spanCount, 4);
    assert.deepEqual([...m.services].sort(), ['payments', 'shop-api']);
    const s = summarize(m);
    assert.equal(s.rootName, 'POST /checkout');
    assert.equal(s.rootService, 'shop-api');
    assert.equal(s.errorCount, 2);
    assert.equal(m.durationNs, 250e6);

    const charge = span(r.decoded, seed.checkout, 'PaymentClient.charge');
    assert.ok(m.columns.flags[charge.index]! & SpanFlag.Error, 'the failed call is flagged as an error');
    assert.equal(m.columns.kind[charge.index], 3, 'CLIENT');
    const exception = charge.detail.events.find((e) => e.name === 'exception');
    assert.ok(exception, 'the exception event arrived');
    assert.equal(attr(exception.attributes, 'exception.type'), 'Error');
    assert.equal(attr(exception.attributes, 'exception.message'), 'card declined');
    assert.match(
      String(attr(exception.attributes, 'exception.stacktrace')),
      /Error: card declined\n\s+at .*seed\.ts/,
    );
    assert.equal(charge.detail.statusMessage, 'card declined');
    // The pre-1.30 code attributes, as they arrive (line numbers are intValue strings on the wire).
    assert.equal(attr(charge.detail.attributes, 'code.namespace'), CODE.payment.namespace);
    assert.equal(attr(charge.detail.attributes, 'code.filepath'), CODE.payment.file);
    assert.equal(Number(attr(charge.detail.attributes, 'code.lineno')), CODE.payment.line);

    const cart = span(r.decoded, seed.checkout, 'CartService.load');
    assert.ok(m.columns.flags[cart.index]! & SpanFlag.HasCode, 'code.* attributes are noticed');
    assert.equal(attr(cart.detail.attributes, 'code.function.name'), CODE.cart.function);
    assert.equal(attr(cart.detail.attributes, 'code.file.path'), CODE.cart.file);
    assert.equal(Number(attr(cart.detail.attributes, 'code.line.number')), CODE.cart.line);
    assert.equal(attr(cart.detail.resource, 'service.version'), '1.4.2');
    assert.equal(cart.detail.scope.name, 'trace-lens-tempo-tier');

    const server = span(r.decoded, seed.checkout, 'POST /charge');
    assert.equal(m.services[m.columns.service[server.index]!], 'payments');
    assert.equal(
      spanIdAt(m.columns, m.columns.parent[server.index]!),
      seed.checkout.spanIds.get('PaymentClient.charge'),
    );
  });

  it('v2 JSON decodes to the same trace as protobuf', async () => {
    const r = await json.getTrace(seed.checkout.traceId);
    assert.equal(r.route, 'v2');
    assert.deepEqual(shape(r.decoded), shape(protoTrace));
    const charge = span(r.decoded, seed.checkout, 'PaymentClient.charge');
    assert.equal(Number(attr(charge.detail.attributes, 'code.lineno')), CODE.payment.line);
  });

  it('a 4.3 s span keeps its exact duration (start and end set through the SDK)', async () => {
    const decoded = await complete(proto, seed.report);
    const render = span(decoded, seed.report, 'ReportJob.render');
    assert.equal(decoded.model.columns.durationNs[render.index], REPORT_RENDER_MS * 1e6);
  });

  describe('v1, where the v2 route is missing (Tempo < 2.6, emulated by a proxy that 404s /api/v2)', () => {
    let proxy: TempoProxy;
    before(async () => {
      proxy = await startProxy(server.origin, { hideV2: true });
    });
    after(() => proxy.close());

    for (const format of ['proto', 'json'] as const) {
      it(`${format}: falls back to /api/traces/<id> once, then asks v1 first`, async () => {
        proxy.requests.length = 0;
        const client = clientFor(server, { baseUrl: proxy.origin, format });
        const first = await client.getTrace(seed.checkout.traceId);
        assert.equal(first.route, 'v1');
        assert.deepEqual(shape(first.decoded), shape(protoTrace));
        assert.equal(client.knownTraceRoute, 'v1');
        const second = await client.getTrace(seed.report.traceId);
        assert.equal(second.route, 'v1');
        assert.deepEqual(proxy.paths(), ['/api/v2/traces/<id>', '/api/traces/<id>', '/api/traces/<id>']);
      });
    }

    it('v1 not found (404, empty body) is "not found", not a server error', async () => {
      const client = clientFor(server, { baseUrl: proxy.origin });
      await rejectsWith(
        client.getTrace(randomId()),
        'not-found',
        /→ 404: trace [0-9a-f]{32} not found/,
        '\u0000',
      );
    });
  });

  for (const format of ['proto', 'json'] as const) {
    it(`not found on v2 (200 {"trace":{}}), ${format}: a not-found error that says why it may be missing`, async () => {
      const client = format === 'proto' ? proto : json;
      const err = await rejectsWith(
        client.getTrace(randomId()),
        'not-found',
        /not found — it may not be ingested yet/,
        '\u0000',
      );
      assert.equal(err.status, 200);
    });
  }

  // (A range that misses a trace this recent still finds it: Tempo 3.0.3 answers from its live
  // store whatever the range, so "outside the range" cannot be shown with fresh data.)
  it('a time range around the trace (in Unix seconds) finds it', async () => {
    const sentS = Math.floor(seed.sentAtMs / 1000);
    const r = await proto.getTrace(seed.checkout.traceId, { start: sentS - 600, end: nowS() + 60 });
    assert.equal(r.decoded.model.spanCount, 4);
  });

  it('a malformed ID is refused with a clear message before anything is sent', async () => {
    const proxy = await startProxy(server.origin);
    try {
      const client = clientFor(server, { baseUrl: proxy.origin });
      await rejectsWith(
        client.getTrace('0x1234'),
        'bad-request',
        /"0x1234" is not a trace ID: expected 1 to 32 hex digits/,
        '\u0000',
      );
      await rejectsWith(
        client.getTrace(`${seed.checkout.traceId}0`),
        'bad-request',
        /not a trace ID/,
        '\u0000',
      );
      assert.deepEqual(proxy.requests, []);
    } finally {
      await proxy.close();
    }
  });

  it('short IDs: a 64-bit ID by its 16 digits, a zero-led ID without its zero, any case', async () => {
    const short = await proto.getTrace(seed.short.traceId.slice(16));
    assert.equal(short.decoded.model.traceId, seed.short.traceId);
    const zeroLed = await json.getTrace(seed.zeroLed.traceId.slice(1));
    assert.equal(zeroLed.decoded.model.traceId, seed.zeroLed.traceId);
    const upper = await proto.getTrace(seed.checkout.traceId.toUpperCase());
    assert.equal(upper.decoded.model.traceId, seed.checkout.traceId);
  });

  it('a trace whose root span never arrived decodes, its orphan flagged and warned about', async () => {
    const decoded = await complete(proto, seed.orphan);
    const m = decoded.model;
    assert.equal(m.spanCount, 1);
    assert.ok(m.columns.flags[0]! & SpanFlag.Orphan);
    assert.ok(
      m.warnings.some((w) => /missing from the trace/.test(w)),
      m.warnings.join('; '),
    );
  });

  it('a trace fetched in its first seconds is asked for again, not served from the cache', async () => {
    const proxy = await startProxy(server.origin);
    try {
      const client = clientFor(server, { baseUrl: proxy.origin, cacheMaxBytes: 64 * 1024 * 1024 });
      const fresh = await seedOne({ otlpHttp: server.otlpHttp }, 'cache-api', 'GET /fresh', 0);
      await complete(client, fresh);
      proxy.requests.length = 0;
      // Tempo can still change this trace's body for ~10 s (live-store flush).
      await client.getTrace(fresh.traceId);
      await client.getTrace(fresh.traceId);
      assert.equal(proxy.requests.length, 2, 'both fetches reached Tempo');
    } finally {
      await proxy.close();
    }
  });
});
