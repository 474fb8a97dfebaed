import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TempoClient } from '../backends';
import { decodeTrace } from '../decode';
import { jsonToProto } from '../otlp/json';
import { protoToJson } from '../otlp/toJson';
import { otlpHttpHandler } from '../otlp/httpReceiver';
import { startReceiver, type Receiver, type ReceiverOptions } from './receiver';
import { StoreBusyError } from './store';
import { queryApiHandler } from './tempoApi';
import { readTrace } from './traces';
import { encodeLogs, encodeSpans, generateTraces } from './testing/exports';

const FIXTURES = join(__dirname, '../../../test/fixtures/tempo');

interface Reply {
  status: number;
  type: string;
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

/** A raw HTTP request (fetch cannot send a wrong Host header or an unread 100 MB body). */
function request(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'POST', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
          headers: res.headers,
        }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const PROTO = { 'Content-Type': 'application/x-protobuf' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('receiver: OTLP/HTTP in, Tempo API out', () => {
  const dirs: string[] = [];
  const receivers: Receiver[] = [];
  const start = async (
    options: Partial<ReceiverOptions> = {},
    dir?: string,
  ): Promise<{ r: Receiver; dir: string }> => {
    const d = dir ?? fs.mkdtempSync(join(tmpdir(), 'trace-lens-recv-'));
    if (!dir) dirs.push(d);
    const r = await startReceiver({ storeDir: d, httpPort: 0, grpcPort: null, queryPort: 0, ...options });
    receivers.push(r);
    return { r, dir: d };
  };
  afterEach(async () => {
    for (const r of receivers.splice(0).reverse()) await r.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const otlp = (r: Receiver, path = '/v1/traces') => `http://127.0.0.1:${r.status.httpPort}${path}`;

  it('serves what it received to the Tempo client: trace by ID (v2 and v1, JSON and protobuf), tags, values, connection test', async () => {
    const { r } = await start({ version: '0.1.0-test' });
    assert.equal(r.status.role, 'writer');
    const { spans, traceIds } = generateTraces(4, 6);
    const half = spans.length / 2;
    for (const part of [spans.slice(0, half), spans.slice(half)]) {
      const res = await request(otlp(r), { headers: PROTO, body: encodeSpans(part) });
      assert.equal(res.status, 200);
      assert.equal(res.type, 'application/x-protobuf');
      assert.equal(res.body.length, 0, 'a full success is an empty ExportTraceServiceResponse');
    }
    const id = traceIds[2]!;
    for (const format of ['proto', 'json'] as const) {
      const client = new TempoClient({ baseUrl: r.status.queryUrl!, format });
      const got = await client.getTrace(id);
      assert.equal(got.route, 'v2');
      assert.equal(got.decoded.model.spanCount, 6);
      assert.equal(got.decoded.model.traceId, id);
      // A Tempo before 2.6 has no v2 route: the client falls back to v1, which the store serves too.
      const v1Only = new TempoClient({
        baseUrl: r.status.queryUrl!,
        format,
        fetch: (url, init) =>
          url.includes('/api/v2/traces/')
            ? Promise.resolve(new Response('404 page not found', { status: 404 }))
            : fetch(url, init),
      });
      const v1 = await v1Only.getTrace(id);
      assert.equal(v1.route, 'v1');
      assert.equal(v1.decoded.model.spanCount, 6);
      assert.deepEqual(
        Array.from(v1.decoded.model.columns.startNs),
        Array.from(got.decoded.model.columns.startNs),
      );
      await assert.rejects(
        client.getTrace('0'.repeat(31) + '9'),
        (e: unknown) => (e as { kind?: string }).kind === 'not-found',
      );
      await assert.rejects(
        v1Only.getTrace('0'.repeat(31) + '9'),
        (e: unknown) => (e as { kind?: string }).kind === 'not-found',
      );
    }
    const client = new TempoClient({ baseUrl: r.status.queryUrl! });
    const tags = await client.tags();
    assert.equal(tags.route, 'v2');
    const scope = (name: string) => tags.scopes.find((s) => s.name === name)?.tags ?? [];
    assert.deepEqual(scope('resource'), ['service.name', 'telemetry.sdk.language']);
    assert.ok(scope('span').includes('http.response.status_code'));
    assert.ok(scope('intrinsic').includes('duration'));
    const services = await client.tagValues('resource.service.name');
    assert.ok(services.values.some((v) => v.value === 'api' && v.type === 'string'));
    const codes = await client.tagValues('.http.response.status_code');
    assert.deepEqual(new Set(codes.values.map((v) => `${v.type}:${v.value}`)), new Set(['int:200']));
    const status = await client.tagValues('status');
    assert.deepEqual(
      status.values.map((v) => v.value),
      ['unset', 'ok', 'error'],
    );
    const report = await client.testConnection();
    assert.equal(report.ok, true, report.summary);
    assert.equal(report.version, '0.1.0-test');
    // The raw v1 JSON is Tempo's: `batches`, base64 IDs.
    const v1 = await fetch(`${r.status.queryUrl}/api/traces/${id}`);
    const doc = (await v1.json()) as { batches: unknown[] };
    assert.equal(doc.batches.length > 0, true);
    assert.equal(decodeTrace(JSON.stringify(doc)).model.spanCount, 6);
    // Bad IDs are Tempo's 400s.
    const bad = await fetch(`${r.status.queryUrl}/api/v2/traces/xyz`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /invalid character 'x' at position 1/);
    // Short IDs are left-padded as Tempo does.
    const short = await fetch(`${r.status.queryUrl}/api/v2/traces/${id.replace(/^0+/, '')}`);
    assert.equal(short.status, 200);
  });

  it('stores every body intact when many requests are in flight (body buffers are reused)', async () => {
    const { r } = await start();
    const { spans, traceIds } = generateTraces(48, 12, { seed: 7 });
    const bodies = traceIds.map((id, i) => {
      const body = encodeSpans(spans.filter((s) => s.traceId === id));
      return i % 4 === 3 ? { body: gzipSync(body), gzip: true } : { body, gzip: false };
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < bodies.length) {
          const { body, gzip } = bodies[next++]!;
          const res = await request(otlp(r), {
            headers: { ...PROTO, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) },
            body,
          });
          assert.equal(res.status, 200);
        }
      }),
    );
    for (const id of traceIds) {
      const res = await fetch(`${r.status.queryUrl}/api/traces/${id}`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.equal(decodeTrace(text).model.spanCount, 12);
      for (const s of spans.filter((x) => x.traceId === id)) {
        assert.ok(text.includes(`"${String(s.attributes!['item.id'])}"`), `${id} keeps ${s.spanId}`);
        assert.ok(text.includes(`"${s.name}"`));
      }
    }
  });

  it('takes OTLP/JSON in the spec form and Tempo form, gzip, and answers partial success in JSON', async () => {
    const { r } = await start();
    const spec = fs.readFileSync(join(FIXTURES, 'otlp-json-ingest-input-5B.observatorium.json'));
    const res = await request(otlp(r), { headers: JSON_TYPE, body: spec });
    assert.equal(res.status, 200);
    assert.equal(res.type, 'application/json');
    assert.deepEqual(JSON.parse(res.body.toString()), {});
    const pb = new Uint8Array(
      fs.readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    );
    const gz = await request(otlp(r), {
      headers: { ...PROTO, 'Content-Encoding': 'gzip' },
      body: gzipSync(pb),
    });
    assert.equal(gz.status, 200);
    const withBad = protoToJson('TracesData', pb) as {
      resourceSpans: { scopeSpans: { spans: { spanId?: string }[] }[] }[];
    };
    withBad.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.spanId = '';
    const partial = await request(otlp(r), {
      headers: { ...JSON_TYPE, 'Content-Encoding': 'gzip' },
      body: gzipSync(JSON.stringify(withBad)),
    });
    assert.equal(partial.status, 200);
    assert.deepEqual(JSON.parse(partial.body.toString()), {
      partialSuccess: { rejectedSpans: '1', errorMessage: 'a span has no span ID' },
    });
    const client = new TempoClient({ baseUrl: r.status.queryUrl! });
    assert.equal((await client.getTrace('5b8efff798038103d269b633813fc60c')).decoded.model.spanCount, 1);
    assert.equal((await client.getTrace('1ee91d9a9907b7d1d81164bfbcfda7fb')).decoded.model.spanCount, 6);
    // Partial success in protobuf: ExportTraceServiceResponse.partial_success.rejected_spans = 1.
    const again = await request(otlp(r), {
      headers: PROTO,
      body: jsonToProto('ExportTraceServiceRequest', withBad),
    });
    assert.equal(again.status, 200);
    assert.deepEqual(protoToJson('ExportTraceServiceResponse', again.body), {
      partialSuccess: { rejectedSpans: '1', errorMessage: 'a span has no span ID' },
    });
  });

  it('keeps OTLP logs and serves them per trace and span', async () => {
    const { r } = await start();
    const { spans, traceIds } = generateTraces(1, 2);
    await request(otlp(r), { headers: PROTO, body: encodeSpans(spans) });
    const res = await request(otlp(r, '/v1/logs'), {
      headers: PROTO,
      body: encodeLogs('api', [
        { traceId: traceIds[0], spanId: spans[1]!.spanId, timeNs: 5n, body: 'charged' },
      ]),
    });
    assert.equal(res.status, 200);
    const logs = await fetch(
      `${r.status.queryUrl}/api/trace-lens/logs?traceId=${traceIds[0]}&spanId=${spans[1]!.spanId}`,
    );
    const body = (await logs.json()) as { logs: { body: string; spanId: string }[] };
    assert.deepEqual(
      body.logs.map((l) => [l.body, l.spanId]),
      [['charged', spans[1]!.spanId]],
    );
    const recent = (await (await fetch(`${r.status.queryUrl}/api/trace-lens/recent`)).json()) as {
      traces: { traceId: string; rootName: string; spanCount: number }[];
    };
    assert.deepEqual(
      recent.traces.map((t) => [t.traceId, t.rootName, t.spanCount]),
      [[traceIds[0], 'GET /orders', 2]],
    );
    assert.equal((await r.stats()).logs, 1);
  });

  it('refuses hostile bodies with the status OTLP prescribes, and keeps working', async () => {
    const { r } = await start({ maxBodyBytes: 1024 * 1024 });
    const pb = new Uint8Array(
      fs.readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    );
    // Truncated protobuf: 400 with a google.rpc.Status in protobuf.
    const truncated = await request(otlp(r), { headers: PROTO, body: pb.subarray(0, pb.length - 7) });
    assert.equal(truncated.status, 400);
    const st = protoToJson('RpcStatus', truncated.body);
    assert.equal(st.code, 3);
    assert.match(String(st.message), /not a valid OTLP ExportTraceServiceRequest/);
    // Wrong types in JSON: 400 with the path, in JSON.
    const wrong = await request(otlp(r), {
      headers: JSON_TYPE,
      body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: ['x'] }] }] }] }),
    });
    assert.equal(wrong.status, 400);
    assert.match(JSON.parse(wrong.body.toString()).message, /spans\[0\]\.name: expected a string/);
    const notJson = await request(otlp(r), { headers: JSON_TYPE, body: '{"resourceSpans": [' });
    assert.equal(notJson.status, 400);
    // A gzip bomb: 64 MiB of zeros in ~64 KB; refused once it inflates past the cap.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    assert.ok(bomb.length < 1024 * 1024);
    const inflated = await request(otlp(r), {
      headers: { ...PROTO, 'Content-Encoding': 'gzip' },
      body: bomb,
    });
    assert.equal(inflated.status, 413);
    assert.match(JSON.stringify(protoToJson('RpcStatus', inflated.body)), /once decompressed/);
    // A body over the cap, announced (Content-Length) and not (chunked).
    const big = Buffer.alloc(100 * 1024 * 1024, 1);
    assert.equal((await request(otlp(r), { headers: PROTO, body: big })).status, 413);
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        otlp(r),
        { method: 'POST', headers: { ...PROTO, 'Transfer-Encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) =>
        e.code === 'EPIPE' || e.code === 'ECONNRESET' ? resolve(413) : reject(e),
      );
      const piece = Buffer.alloc(256 * 1024, 1);
      let sent = 0;
      const more = () => {
        while (sent < 8 * 1024 * 1024) {
          sent += piece.length;
          if (!req.write(piece)) return req.once('drain', more);
        }
        req.end();
      };
      more();
    });
    assert.equal(chunked, 413);
    // Other content types, encodings, methods and paths.
    assert.equal(
      (await request(otlp(r), { headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status,
      415,
    );
    assert.equal(
      (await request(otlp(r), { headers: { ...PROTO, 'Content-Encoding': 'br' }, body: pb })).status,
      415,
    );
    assert.equal((await request(otlp(r), { method: 'GET', headers: PROTO })).status, 405);
    assert.equal((await request(otlp(r, '/v1/metrics'), { headers: PROTO, body: pb })).status, 404);
    // A request addressed to another host name (DNS rebinding) is refused.
    assert.equal(
      (await request(otlp(r), { headers: { ...PROTO, Host: 'evil.example:4318' }, body: pb })).status,
      403,
    );
    const api = await request(`${r.status.queryUrl}/api/echo`, {
      method: 'GET',
      headers: { Host: 'evil.example' },
    });
    assert.equal(api.status, 403);
    // Still receiving.
    assert.equal((await request(otlp(r), { headers: PROTO, body: pb })).status, 200);
    assert.equal((await r.stats()).spans, 6);
  });

  it('answers 429 when the store is behind and 503 when the disk is full, with Retry-After', async () => {
    let failure: Error = new StoreBusyError('the store is behind on writing; retry shortly', 1);
    const server = http.createServer(otlpHttpHandler({ append: () => Promise.reject(failure) }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
      const body = encodeSpans(generateTraces(1, 1).spans);
      const behind = await request(url, { headers: PROTO, body });
      assert.equal(behind.status, 429);
      assert.equal(behind.headers['retry-after'], '1');
      assert.equal(protoToJson('RpcStatus', behind.body).code, 8);
      failure = new StoreBusyError('the disk holding the trace store is full', 30, true);
      const full = await request(url, { headers: JSON_TYPE, body: '{"resourceSpans":[]}' });
      assert.equal(full.status, 503);
      assert.equal(full.headers['retry-after'], '30');
      assert.deepEqual(JSON.parse(full.body.toString()), {
        code: 14,
        message: 'the disk holding the trace store is full',
      });
    } finally {
      server.close();
    }
  });

  it('serves a trace too large to send whole as Tempo does: v2 partial, v1 422', async () => {
    const { r } = await start();
    const traceId = 'abcdef0123456789abcdef0123456789';
    const gen = generateTraces(1, 2000, { seed: 5 });
    for (const sp of gen.spans) sp.traceId = traceId;
    await r.store!.append('traces', encodeSpans(gen.spans));
    const whole = readTrace(r.store!, traceId)!;
    assert.equal(whole.spanCount, 2000);
    const part = readTrace(r.store!, traceId, { maxBytes: 50_000 })!;
    assert.equal(part.partial, true);
    assert.ok(part.spanCount > 100 && part.spanCount < 2000, String(part.spanCount));
    assert.equal(decodeTrace(part.bytes).model.spanCount, part.spanCount);
    const api = http.createServer(queryApiHandler(r.store!, { maxTraceBytes: 50_000 }));
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      const client = new TempoClient({ baseUrl: base });
      const got = await client.getTrace(traceId);
      assert.equal(got.partial, true);
      assert.match(got.message ?? '', /exceeds maximum size of 50000 bytes/);
      assert.equal(got.decoded.model.spanCount, part.spanCount);
      const v1 = await fetch(`${base}/api/traces/${traceId}`);
      assert.equal(v1.status, 422);
      assert.equal(await v1.text(), 'trace exceeds max size (max bytes: 50000)');
    } finally {
      api.close();
    }
  });

  it('says once that a port is taken and carries on without it', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      const logs: string[] = [];
      const { r } = await start({ httpPort: taken, log: (m) => logs.push(m) });
      assert.equal(r.status.role, 'writer');
      assert.equal(r.status.httpPort, undefined);
      assert.ok(r.status.queryPort! > 0);
      assert.match(r.status.problems.join('\n'), new RegExp(`port ${taken} is taken .*OTLP/HTTP is off`));
      assert.equal(logs.filter((m) => /is taken/.test(m)).length, 1);
      // The query API falls back to a free port when its own is taken.
      const { r: r2 } = await start({ queryPort: taken });
      assert.ok(r2.status.queryPort! > 0 && r2.status.queryPort !== taken);
      assert.match(r2.status.problems.join('\n'), /the query API listens on port \d+ instead/);
    } finally {
      blocker.close();
    }
  });

  it('makes a second process a reader of the first, which takes over when the first stops', async () => {
    const fast = { store: { lock: { heartbeatMs: 50, staleMs: 2000 } }, takeoverPollMs: 50 };
    const { r: first, dir } = await start(fast);
    const { r: second } = await start(fast, dir);
    assert.equal(second.status.role, 'reader');
    assert.equal(second.status.queryUrl, first.status.queryUrl);
    assert.equal(second.status.writerPid, process.pid);
    assert.equal(second.store, undefined);
    const { spans } = generateTraces(2, 3);
    await request(otlp(first), { headers: PROTO, body: encodeSpans(spans) });
    assert.equal((await second.stats()).spans, 6);
    await second.clear();
    assert.equal((await first.stats()).spans, 0);
    // Without the token, nobody else can clear.
    assert.equal(
      (await fetch(`${first.status.queryUrl}/api/trace-lens/clear`, { method: 'POST' })).status,
      403,
    );
    await request(otlp(first), { headers: PROTO, body: encodeSpans(spans) });
    const changed = new Promise<void>((resolve) =>
      second.onDidChangeStatus((s) => {
        if (s.role === 'writer') resolve();
      }),
    );
    await first.close();
    await changed;
    assert.equal(second.status.role, 'writer');
    assert.ok(second.status.httpPort! > 0);
    assert.equal((await second.stats()).spans, 6, 'the new writer has what the old one stored');
  });
});
