import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { BackendError, type BackendErrorKind } from '../errors';
import { fixture, rejectsWith as rejects, send, startLoopback, type Loopback } from '../testing/loopback';
import { TempoClient, tenantProblem, type TempoClientOptions } from './client';

const V1_ID = 'a8e00f77b50a734539bf0e48eec6bec4';
const V2_DOC_ID = '5b8efff798038103d269b633813fc700';
const SECRET = 's3cr3t-token-value';

/** Protobuf length-delimited field. */
function lenField(field: number, payload: Uint8Array): Buffer {
  const len: number[] = [];
  let n = payload.length;
  while (n > 127) {
    len.push((n & 127) | 128);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(field << 3) | 2, ...len]), payload]);
}

/** A tempopb.TraceByIDResponse around the recorded v1 protobuf trace (a tempopb.Trace). */
function v2Proto(partialMessage?: string): Buffer {
  const parts = [lenField(1, fixture('tempo-2.0.1-trace-v1.pb'))];
  if (partialMessage !== undefined) {
    parts.push(Buffer.from([3 << 3, 1]), lenField(4, Buffer.from(partialMessage)));
  }
  return Buffer.concat(parts);
}

const rejectsWith = (p: Promise<unknown>, kind: BackendErrorKind, pattern?: RegExp) =>
  rejects(p, kind, pattern, SECRET);

const JSON_TYPE = 'application/json';
const PROTO_TYPE = 'application/protobuf';

describe('TempoClient (loopback server)', () => {
  let tempo: Loopback;
  let other: Loopback;
  const client = (options: Partial<TempoClientOptions> = {}) =>
    new TempoClient({ baseUrl: tempo.origin, retryBaseDelayMs: 1, ...options });

  before(async () => {
    tempo = await startLoopback();
    other = await startLoopback();
  });
  after(async () => {
    await tempo.close();
    await other.close();
  });

  describe('getTrace', () => {
    it('fetches the v2 envelope as protobuf, asking with exactly Accept: application/protobuf', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      const r = await client().getTrace(V1_ID);
      assert.equal(r.route, 'v2');
      assert.equal(r.partial, false);
      assert.equal(r.decoded.model.traceId, V1_ID);
      assert.ok(r.decoded.model.spanCount > 0);
      assert.equal(tempo.requests.length, 1);
      assert.equal(tempo.requests[0]!.path, `/api/v2/traces/${V1_ID}`);
      assert.equal(tempo.requests[0]!.headers.accept, 'application/protobuf');
    });

    it('fetches the v2 envelope as JSON with format json', async () => {
      tempo.handle((_req, res) => send(res, 200, fixture('tempo-v2-trace-by-id.docs.json'), JSON_TYPE));
      const r = await client({ format: 'json' }).getTrace(V2_DOC_ID);
      assert.equal(r.route, 'v2');
      assert.equal(r.decoded.model.traceId, V2_DOC_ID);
      assert.equal(r.decoded.model.spanCount, 1);
      assert.equal(tempo.requests[0]!.headers.accept, 'application/json');
    });

    it('decodes JSON when the server ignores Accept: application/protobuf', async () => {
      tempo.handle((_req, res) => send(res, 200, fixture('tempo-v2-trace-by-id.docs.json'), JSON_TYPE));
      const r = await client().getTrace(V2_DOC_ID);
      assert.equal(r.decoded.model.traceId, V2_DOC_ID);
    });

    it('falls back to v1 on a v2 404 and remembers the route', async () => {
      tempo.handle((req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, fixture('tempo-2.0.1-v2-route-404.txt'));
        send(res, 200, fixture('tempo-2.0.1-trace-v1.pb'), PROTO_TYPE);
      });
      const c = client();
      const first = await c.getTrace(V1_ID);
      assert.equal(first.route, 'v1');
      assert.equal(first.decoded.model.traceId, V1_ID);
      const second = await c.getTrace(V1_ID, { noCache: true });
      assert.equal(second.route, 'v1');
      assert.deepEqual(
        tempo.requests.map((r) => r.path),
        [`/api/v2/traces/${V1_ID}`, `/api/traces/${V1_ID}`, `/api/traces/${V1_ID}`],
      );
      assert.equal(c.knownTraceRoute, 'v1');
    });

    it('reads the recorded v1 JSON too', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, '404 page not found');
        send(res, 200, fixture('tempo-2.0.1-trace-v1.json'), JSON_TYPE);
      });
      const r = await client({ format: 'json' }).getTrace(V1_ID);
      assert.equal(r.route, 'v1');
      assert.equal(r.decoded.model.traceId, V1_ID);
    });

    it('reports v2 200 with an empty trace as not found', async () => {
      tempo.handle((_req, res) =>
        send(res, 200, '{"trace":{},"metrics":{"inspectedBytes":"123","completedJobs":2}}', JSON_TYPE),
      );
      const err = await rejectsWith(
        client().getTrace('1'),
        'not-found',
        /trace 0{31}1 not found — it may not be ingested yet \(Tempo needs a few seconds after the trace ends\)/,
      );
      assert.equal(err.status, 200);
      assert.equal(tempo.requests.length, 1);
    });

    it('reports an empty v2 protobuf envelope as not found', async () => {
      tempo.handle((_req, res) => send(res, 200, Buffer.from([0x0a, 0x00]), PROTO_TYPE));
      await rejectsWith(client().getTrace(V1_ID), 'not-found');
    });

    it('surfaces a PARTIAL trace with Tempo’s message (JSON)', async () => {
      const envelope = JSON.parse(fixture('tempo-v2-trace-by-id.docs.json').toString()) as Record<
        string,
        unknown
      >;
      const message = 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned';
      const body = JSON.stringify({
        ...envelope,
        metrics: { inspectedBytes: '99' },
        status: 'PARTIAL',
        message,
      });
      tempo.handle((_req, res) => send(res, 200, body, JSON_TYPE));
      const r = await client().getTrace(V2_DOC_ID);
      assert.equal(r.partial, true);
      assert.equal(r.message, message);
      assert.equal(r.decoded.model.partial, true);
    });

    it('surfaces a PARTIAL trace with Tempo’s message (protobuf)', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto('cut at 5 MB'), PROTO_TYPE));
      const r = await client().getTrace(V1_ID);
      assert.equal(r.partial, true);
      assert.equal(r.message, 'cut at 5 MB');
    });

    it('reports a v1 404 with an empty body as not found, naming the time range', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, '404 page not found');
        send(res, 404);
      });
      const err = await rejectsWith(
        client().getTrace(V1_ID, { start: 1_700_000_000, end: 1_700_003_600 }),
        'not-found',
        /not found — .* outside the time range from 2023-11-14 22:13:20 UTC to 2023-11-14 23:13:20 UTC/,
      );
      assert.equal(err.status, 404);
      assert.match(err.message, /^GET \/api\/traces\/a8e0.* → 404: /);
    });

    it('reports Tempo 2.0.1’s v1 404 "trace not found" as not found', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, fixture('tempo-2.0.1-v2-route-404.txt'));
        send(res, 404, fixture('tempo-2.0.1-trace-v1-404.txt'));
      });
      await rejectsWith(client().getTrace(V1_ID), 'not-found', /not be ingested yet/);
    });

    it('quotes a 400 plain-text body', async () => {
      tempo.handle((_req, res) => send(res, 400, fixture('tempo-2.0.1-trace-v1-400.txt')));
      await rejectsWith(
        client().getTrace(V1_ID),
        'bad-request',
        /→ 400: Tempo rejected the request: "trace IDs can only contain hex characters: invalid character 'x' at position 1"$/,
      );
    });

    it('strips control characters from quoted bodies and cuts them to about 200 characters', async () => {
      tempo.handle((_req, res) => send(res, 400, `bad\u001b[31m\u0000 thing\r\n${'x'.repeat(500)}`));
      const err = await rejectsWith(client().getTrace(V1_ID), 'bad-request', /"bad \[31m thing x+…"$/);
      assert.ok(err.message.length < 320, err.message);
    });

    it('never trusts an ID that is not hex, and sends no request for it', async () => {
      tempo.handle((_req, res) => send(res, 500));
      await rejectsWith(client().getTrace('0xabc'), 'bad-request', /not a trace ID/);
      assert.equal(tempo.requests.length, 0);
    });

    it('maps 401 to unauthorized without leaking the token', async () => {
      tempo.handle((_req, res) => send(res, 401, `invalid token ${SECRET}`));
      await rejectsWith(
        client({ auth: { kind: 'bearer', token: SECRET } }).getTrace(V1_ID),
        'unauthorized',
        /→ 401: Tempo refused the credentials; check them with "Trace Lens: Set Credentials…"$/,
      );
    });

    it('explains a 401 "no org id" as a missing tenant', async () => {
      tempo.handle((_req, res) => send(res, 401, 'no org id'));
      await rejectsWith(client().getTrace(V1_ID), 'unauthorized', /X-Scope-OrgID/);
    });

    it('maps 403 to forbidden', async () => {
      tempo.handle((_req, res) => send(res, 403, 'forbidden'));
      await rejectsWith(
        client({ auth: { kind: 'basic', user: 'u', password: SECRET } }).getTrace(V1_ID),
        'forbidden',
      );
    });

    it('explains 422 "trace exceeds max size" as too large', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, '404 page not found');
        send(res, 422, 'trace exceeds max size (max bytes: 5000000)');
      });
      await rejectsWith(
        client().getTrace(V1_ID),
        'too-large',
        /→ 422: .*max_bytes_per_trace.*"trace exceeds max size \(max bytes: 5000000\)".*v2 API returns a partial trace/,
      );
    });

    it('explains Tempo ≤ 2.6’s 500 "trace exceeds max size" as too large', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, '404 page not found');
        send(res, 500, 'trace exceeds max size (max bytes: 5000000)');
      });
      await rejectsWith(client().getTrace(V1_ID), 'too-large', /→ 500: .*max_bytes_per_trace/);
    });

    it('maps another 500 to a server error', async () => {
      tempo.handle((_req, res) => send(res, 500, 'error reading block'));
      await rejectsWith(client().getTrace(V1_ID), 'server', /"error reading block"/);
    });

    it('retries a 429 after Retry-After and succeeds on the second attempt', async () => {
      tempo.handle((_req, res) => {
        if (tempo.requests.length === 1) {
          res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'text/plain' });
          return res.end('too many outstanding requests');
        }
        send(res, 200, v2Proto(), PROTO_TYPE);
      });
      const r = await client().getTrace(V1_ID);
      assert.equal(r.decoded.model.traceId, V1_ID);
      assert.equal(tempo.requests.length, 2);
    });

    it('honours Retry-After as an HTTP date', async () => {
      tempo.handle((_req, res) => {
        if (tempo.requests.length === 1) {
          res.writeHead(429, { 'Retry-After': new Date(Date.now() - 1000).toUTCString() });
          return res.end();
        }
        send(res, 200, v2Proto(), PROTO_TYPE);
      });
      await client().getTrace(V1_ID);
      assert.equal(tempo.requests.length, 2);
    });

    it('gives up on 429 after exactly 3 attempts', async () => {
      tempo.handle((_req, res) => {
        res.writeHead(429, { 'Retry-After': '0', 'Content-Type': 'text/plain' });
        res.end('too many outstanding requests');
      });
      await rejectsWith(
        client().getTrace(V1_ID),
        'rate-limited',
        /→ 429: .*3 attempts.*too many outstanding/,
      );
      assert.equal(tempo.requests.length, 3);
    });

    it('does not wait longer than the deadline for a retry', async () => {
      tempo.handle((_req, res) => {
        res.writeHead(429, { 'Retry-After': '3600' });
        res.end();
      });
      await rejectsWith(client({ maxRetryWaitMs: 60_000, timeoutMs: 2000 }).getTrace(V1_ID), 'rate-limited');
      assert.equal(tempo.requests.length, 1);
    });

    it('retries a 503 with backoff, then reports it', async () => {
      tempo.handle((_req, res) => send(res, 503, 'Query Frontend not ready'));
      await rejectsWith(client().getTrace(V1_ID), 'rate-limited', /→ 503: Tempo is unavailable/);
      assert.equal(tempo.requests.length, 3);
    });

    it('succeeds when a 503 clears up', async () => {
      tempo.handle((_req, res) =>
        tempo.requests.length < 3 ? send(res, 503, 'not ready') : send(res, 200, v2Proto(), PROTO_TYPE),
      );
      await client().getTrace(V1_ID);
      assert.equal(tempo.requests.length, 3);
    });

    it('maps 504 to "Tempo timed out"', async () => {
      tempo.handle((_req, res) => send(res, 504, 'context deadline exceeded'));
      await rejectsWith(client().getTrace(V1_ID), 'timeout', /→ 504: Tempo timed out/);
      assert.equal(tempo.requests.length, 1);
    });

    it('recognises a proxy’s HTML error page', async () => {
      tempo.handle((_req, res) =>
        send(
          res,
          502,
          '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
          'text/html',
        ),
      );
      await rejectsWith(
        client().getTrace(V1_ID),
        'proxy',
        /→ 502: a proxy answered with an HTML page \("502 Bad Gateway"\), not Tempo \(check traceLens.tempo.url\)$/,
      );
    });

    it('recognises an HTML page served with 200 (a login page, or Grafana’s UI)', async () => {
      tempo.handle((_req, res) =>
        send(res, 200, '<html><body>Sign in</body></html>', 'text/html; charset=utf-8'),
      );
      await rejectsWith(client().getTrace(V1_ID), 'proxy', /HTML page/);
    });

    it('times out when the server never answers (overall deadline)', async () => {
      tempo.handle(() => undefined);
      await rejectsWith(
        client({ timeoutMs: 300 }).getTrace(V1_ID),
        'timeout',
        /Tempo timed out after 0\.3 s/,
      );
    });

    it('times out when the body trickles in a byte per second (idle timeout)', async () => {
      const timers: NodeJS.Timeout[] = [];
      tempo.handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': PROTO_TYPE });
        const body = v2Proto();
        let i = 0;
        const tick = () => {
          if (res.destroyed || i >= body.length) return;
          res.write(body.subarray(i, ++i));
          timers.push(setTimeout(tick, 1000));
        };
        tick();
      });
      try {
        await rejectsWith(
          client({ timeoutMs: 5000, idleTimeoutMs: 200 }).getTrace(V1_ID),
          'timeout',
          /stopped sending data for 0.2 s/,
        );
      } finally {
        timers.forEach(clearTimeout);
      }
    });

    it('times out on a steady trickle that outlasts the overall deadline', async () => {
      const timers: NodeJS.Timeout[] = [];
      tempo.handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': PROTO_TYPE });
        const tick = () => {
          if (res.destroyed) return;
          res.write(Buffer.from([0x0a]));
          timers.push(setTimeout(tick, 20));
        };
        tick();
      });
      try {
        await rejectsWith(
          client({ timeoutMs: 300, idleTimeoutMs: 5000 }).getTrace(V1_ID),
          'timeout',
          /after 0\.3 s/,
        );
      } finally {
        timers.forEach(clearTimeout);
      }
    });

    it('follows a redirect to another origin without Authorization, tenant or custom headers', async () => {
      tempo.handle((_req, res) => {
        res.writeHead(302, { Location: `${other.origin}/moved/api/v2/traces/${V1_ID}` });
        res.end();
      });
      other.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      const r = await client({
        auth: { kind: 'bearer', token: SECRET },
        tenant: 'team-a',
        headers: { 'X-Api-Key': SECRET },
      }).getTrace(V1_ID);
      assert.equal(r.decoded.model.traceId, V1_ID);
      assert.equal(tempo.requests[0]!.headers.authorization, `Bearer ${SECRET}`);
      assert.equal(other.requests.length, 1);
      const sent = other.requests[0]!.headers;
      assert.equal(sent.authorization, undefined);
      assert.equal(sent['x-scope-orgid'], undefined);
      assert.equal(sent['x-api-key'], undefined);
      assert.equal(sent.accept, 'application/protobuf');
    });

    it('explains a 401 from the other origin after a redirect', async () => {
      tempo.handle((_req, res) => {
        res.writeHead(307, { Location: `${other.origin}/login` });
        res.end();
      });
      other.handle((_req, res) => send(res, 401, 'who are you'));
      const err = await rejectsWith(
        client({ auth: { kind: 'basic', user: 'me', password: SECRET } }).getTrace(V1_ID),
        'unauthorized',
        /redirected to http:\/\/127\.0\.0\.1:\d+, and credentials are never sent to another origin/,
      );
      assert.equal(other.requests[0]!.headers.authorization, undefined);
      assert.match(err.url, /\/login$/);
    });

    it('keeps credentials on a same-origin redirect', async () => {
      tempo.handle((_req, res, log) => {
        if (!log.path.startsWith('/new/')) {
          res.writeHead(301, { Location: `/new${log.url}` });
          return res.end();
        }
        send(res, 200, v2Proto(), PROTO_TYPE);
      });
      await client({ auth: { kind: 'bearer', token: SECRET } }).getTrace(V1_ID);
      assert.equal(tempo.requests.length, 2);
      assert.equal(tempo.requests[1]!.headers.authorization, `Bearer ${SECRET}`);
    });

    it('stops after 3 redirects', async () => {
      tempo.handle((_req, res, log) => {
        res.writeHead(302, { Location: `${log.path}x` });
        res.end();
      });
      await rejectsWith(client().getTrace(V1_ID), 'redirect-blocked', /more than 3 redirects/);
      assert.equal(tempo.requests.length, 4);
    });

    it('stops a gzip bomb at maxBytes without inflating all of it', async () => {
      // 16 MB of zeros is 16 KB gzipped; gzip members concatenate, so 4096 of them inflate to 64 GB.
      const member = gzipSync(Buffer.alloc(16 * 1024 * 1024));
      const members = 4096;
      let written = 0;
      let closed!: () => void;
      const serverDone = new Promise<void>((ok) => (closed = ok));
      tempo.handle((_req, res) => {
        res.writeHead(200, { 'Content-Type': PROTO_TYPE, 'Content-Encoding': 'gzip' });
        const pump = () => {
          while (written < members && !res.destroyed) {
            written++;
            if (!res.write(member)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', closed);
        pump();
      });
      await rejectsWith(
        client({ maxBytes: 1024 * 1024 }).getTrace(V1_ID),
        'too-large',
        /larger than the 1 MB limit/,
      );
      await serverDone;
      assert.ok(written < members, `the server wrote all ${members} members`);
    });

    it('refuses a body whose Content-Length is over maxBytes', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await rejectsWith(client({ maxBytes: 100 }).getTrace(V1_ID), 'too-large', /100 bytes limit/);
    });

    it('is cancelled through an AbortSignal', async () => {
      const controller = new AbortController();
      tempo.handle(() => controller.abort());
      await rejectsWith(client().getTrace(V1_ID, { signal: controller.signal }), 'cancelled');
    });

    it('is cancelled at once by an already aborted signal, without a request', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await rejectsWith(client().getTrace(V1_ID, { signal: AbortSignal.abort() }), 'cancelled');
      assert.equal(tempo.requests.length, 0);
    });

    it('shares one request between concurrent calls for the same trace', async () => {
      const pending: ServerResponse[] = [];
      tempo.handle((_req, res) => {
        pending.push(res);
      });
      const c = client({ cacheMaxBytes: 0 });
      const a = c.getTrace(V1_ID);
      const b = c.getTrace(V1_ID.toUpperCase());
      await waitFor(() => pending.length === 1);
      send(pending[0]!, 200, v2Proto(), PROTO_TYPE);
      const [ra, rb] = await Promise.all([a, b]);
      assert.equal(ra, rb);
      assert.equal(tempo.requests.length, 1);
    });

    it('keeps a shared request going when only one of its callers cancels', async () => {
      const pending: ServerResponse[] = [];
      tempo.handle((_req, res) => {
        pending.push(res);
      });
      const c = client();
      const controller = new AbortController();
      const a = c.getTrace(V1_ID, { signal: controller.signal });
      const b = c.getTrace(V1_ID);
      await waitFor(() => pending.length === 1);
      controller.abort();
      await rejectsWith(a, 'cancelled');
      send(pending[0]!, 200, v2Proto(), PROTO_TYPE);
      assert.equal((await b).decoded.model.traceId, V1_ID);
      assert.equal(tempo.requests.length, 1);
    });

    it('serves a repeated call from the cache, and keeps the newest trace even past the byte budget', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      const c = client();
      const first = await c.getTrace(V1_ID);
      assert.equal(await c.getTrace(V1_ID), first);
      assert.equal(tempo.requests.length, 1);
      c.clearCache(V1_ID);
      await c.getTrace(V1_ID);
      assert.equal(tempo.requests.length, 2);

      const tiny = client({ cacheMaxBytes: 100 });
      await tiny.getTrace(V1_ID);
      await tiny.getTrace(V1_ID);
      assert.equal(tempo.requests.length, 3, 'the newest trace is kept, larger than the budget as it is');
    });

    it('keeps the base URL’s path prefix', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await client({ baseUrl: `${tempo.origin}/tempo/` }).getTrace(V1_ID);
      await client({ baseUrl: `${tempo.origin}/api/datasources/proxy/uid/tempo-main` }).getTrace(V1_ID);
      assert.deepEqual(
        tempo.requests.map((r) => r.path),
        [`/tempo/api/v2/traces/${V1_ID}`, `/api/datasources/proxy/uid/tempo-main/api/v2/traces/${V1_ID}`],
      );
    });

    it('sends basic and bearer auth', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await client({ auth: { kind: 'basic', user: '123456', password: 'glc_pass:word' } }).getTrace(V1_ID);
      await client({ auth: { kind: 'bearer', token: SECRET } }).getTrace(V1_ID);
      await client().getTrace(V1_ID);
      assert.equal(
        tempo.requests[0]!.headers.authorization,
        `Basic ${Buffer.from('123456:glc_pass:word').toString('base64')}`,
      );
      assert.equal(tempo.requests[1]!.headers.authorization, `Bearer ${SECRET}`);
      assert.equal(tempo.requests[2]!.headers.authorization, undefined);
    });

    it('takes credentials from the URL as basic auth but never sends them in the URL', async () => {
      tempo.handle((_req, res) => send(res, 401));
      const err = await rejectsWith(
        client({ baseUrl: tempo.origin.replace('//', `//me:${SECRET}@`) }).getTrace(V1_ID),
        'unauthorized',
      );
      assert.equal(
        tempo.requests[0]!.headers.authorization,
        `Basic ${Buffer.from(`me:${SECRET}`).toString('base64')}`,
      );
      assert.ok(!err.url.includes(SECRET) && !err.url.includes('me@'), err.url);
    });

    it('sends X-Scope-OrgID for one or several tenants', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await client({ tenant: 'a|b' }).getTrace(V1_ID);
      await client().getTrace(V1_ID);
      assert.equal(tempo.requests[0]!.headers['x-scope-orgid'], 'a|b');
      assert.equal(tempo.requests[1]!.headers['x-scope-orgid'], undefined);
    });

    it('sends start and end in seconds, and rejects milliseconds', async () => {
      tempo.handle((_req, res) => send(res, 200, v2Proto(), PROTO_TYPE));
      await client().getTrace(V1_ID, { start: 1_700_000_000.7, end: 1_700_003_600 });
      assert.equal(tempo.requests[0]!.query.get('start'), '1700000000');
      assert.equal(tempo.requests[0]!.query.get('end'), '1700003600');
      await rejectsWith(
        client().getTrace(V1_ID, { start: 1_700_000_000_000 }),
        'bad-request',
        /milliseconds/,
      );
      await rejectsWith(client().getTrace(V1_ID, { start: 20, end: 10 }), 'bad-request', /before it starts/);
      assert.equal(tempo.requests.length, 1);
    });

    it('reports a refused connection as unreachable', async () => {
      const gone = await startLoopback();
      await gone.close();
      await rejectsWith(
        new TempoClient({ baseUrl: gone.origin }).getTrace(V1_ID),
        'unreachable',
        /could not reach Tempo \(connection refused\)/,
      );
    });

    it('reports a body that is not a trace as a bad response', async () => {
      tempo.handle((_req, res) => send(res, 200, '{"trace": 5, "nonsense": [', JSON_TYPE));
      await rejectsWith(client().getTrace(V1_ID), 'bad-response', /→ 200: /);
    });
  });

  describe('search', () => {
    it('always sends q, start, end, limit and spss, and normalises spanSet (Tempo 2.0)', async () => {
      tempo.handle((_req, res) => send(res, 200, fixture('tempo-2.0.1-search-traceql.json'), JSON_TYPE));
      const before = Math.floor(Date.now() / 1000);
      const r = await client().search({ q: '{ .service.name = "data-fetch" }' });
      const q = tempo.requests[0]!.query;
      assert.equal(tempo.requests[0]!.path, '/api/search');
      assert.equal(q.get('q'), '{ .service.name = "data-fetch" }');
      assert.equal(q.get('limit'), '20');
      assert.equal(q.get('spss'), '3');
      const end = Number(q.get('end'));
      assert.ok(end >= before && end < 1e11, `end ${end} in seconds`);
      assert.equal(Number(q.get('start')), end - 3600);
      assert.equal(tempo.requests[0]!.headers.accept, 'application/json');

      assert.equal(r.traces.length, 1);
      const hit = r.traces[0]!;
      assert.equal(hit.traceId, V1_ID);
      assert.equal(hit.rootServiceName, 'workflow-engine');
      assert.equal(hit.rootTraceName, 'workflow.execute');
      assert.equal(hit.startTimeUnixNano, '1795469687728000000');
      assert.equal(hit.durationMs, 5200);
      assert.equal(hit.spanSets.length, 1);
      assert.equal(hit.matched, 2);
      assert.equal(hit.spanSets[0]!.spans[0]!.spanId, '88e12c98928f2acd');
      assert.equal(hit.spanSets[0]!.spans[0]!.durationNanos, '4200000000');
      assert.deepEqual(hit.spanSets[0]!.spans[0]!.attributes, [{ key: 'service.name', value: 'data-fetch' }]);
    });

    it('passes explicit values and prefers spanSets over the deprecated spanSet', async () => {
      tempo.handle((_req, res) => send(res, 200, fixture('tempo-search-traceql.docs.json'), JSON_TYPE));
      const r = await client().search({
        q: '{}',
        start: 1_694_718_000,
        end: 1_694_719_000,
        limit: 5,
        spss: 0,
      });
      const q = tempo.requests[0]!.query;
      assert.deepEqual(
        [q.get('start'), q.get('end'), q.get('limit'), q.get('spss')],
        // spss 0 ("all") goes out as Tempo's default cap: Tempo reads 0 as its default of 3.
        ['1694718000', '1694719000', '5', '100'],
      );
      assert.equal(r.traces[0]!.spanSets.length, 1);
      assert.equal(r.traces[0]!.matched, 1);
      assert.equal(r.metrics?.['inspectedBytes'], '292781');
    });

    it('pads 64-bit trace IDs and accepts results without span sets', async () => {
      tempo.handle((_req, res) =>
        send(res, 200, fixture('tempo-search-tags-based-64bit-ids.docs.json'), JSON_TYPE),
      );
      const r = await client().search({ q: '{}' });
      assert.deepEqual(
        r.traces.map((t) => t.traceId),
        ['0000000000000000d6e9329d67b6146a', '00000000000000001b1ba462b409200d'],
      );
      assert.deepEqual(r.traces[0]!.spanSets, []);
      assert.equal(r.traces[0]!.matched, 0);
    });

    it('quotes an invalid TraceQL error', async () => {
      tempo.handle((_req, res) => send(res, 400, 'invalid TraceQL query: parse error at line 1, col 3'));
      await rejectsWith(
        client().search({ q: '{ .a = }' }),
        'bad-request',
        /"invalid TraceQL query: parse error/,
      );
    });
  });

  describe('tags and tag values', () => {
    it('uses /api/v2/search/tags and returns the scopes', async () => {
      tempo.handle((_req, res) =>
        send(
          res,
          200,
          '{"scopes":[{"name":"resource","tags":["service.name"]},{"name":"span","tags":["http.method"]}],"metrics":{}}',
          JSON_TYPE,
        ),
      );
      const r = await client().tags('span', { start: 10, end: 20 });
      assert.equal(tempo.requests[0]!.path, '/api/v2/search/tags');
      assert.equal(tempo.requests[0]!.query.get('scope'), 'span');
      assert.equal(tempo.requests[0]!.query.get('start'), '10');
      assert.deepEqual(r, {
        route: 'v2',
        scopes: [
          { name: 'resource', tags: ['service.name'] },
          { name: 'span', tags: ['http.method'] },
        ],
      });
    });

    it('falls back to the v1 tag routes on 404 and remembers it', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path.startsWith('/api/v2/')) return send(res, 404, '404 page not found');
        if (log.path === '/api/search/tags')
          return send(res, 200, fixture('tempo-2.0.1-search-tags.json'), JSON_TYPE);
        if (log.path === '/api/search/tag/service.name/values') {
          return send(res, 200, fixture('tempo-2.0.1-tag-values.json'), JSON_TYPE);
        }
        send(res, 404, '404 page not found');
      });
      const c = client();
      const tags = await c.tags();
      assert.equal(tags.route, 'v1');
      assert.equal(tags.scopes[0]!.name, 'all');
      assert.ok(tags.scopes[0]!.tags.includes('service.name'));
      const values = await c.tagValues('resource.service.name');
      assert.deepEqual(values, {
        route: 'v1',
        values: ['data-fetch', 'notifier', 'workflow-engine'].map((value) => ({ type: 'string', value })),
      });
      assert.deepEqual(
        tempo.requests.map((r) => r.path),
        ['/api/v2/search/tags', '/api/search/tags', '/api/search/tag/service.name/values'],
      );
    });

    it('reads typed v2 tag values and escapes the tag in the path', async () => {
      tempo.handle((_req, res) => send(res, 200, fixture('tempo-v2-search-tag-values.docs.json'), JSON_TYPE));
      const r = await client().tagValues('.service.name');
      assert.equal(r.route, 'v2');
      assert.deepEqual(r.values[0], { type: 'string', value: 'article-service' });
      await client().tagValues('span.a/b%c');
      assert.deepEqual(
        tempo.requests.map((x) => x.url),
        ['/api/v2/search/tag/.service.name/values', '/api/v2/search/tag/span.a%2Fb%25c/values'],
      );
    });
  });

  describe('metricsQueryRange', () => {
    it('sends q, start, end and step, and normalises the series', async () => {
      const body = {
        series: [
          {
            labels: [{ key: 'p', value: { doubleValue: 0.99 } }],
            samples: [{ timestampMs: '1700000000000', value: 2.5 }, { timestampMs: '1700000060000' }],
            exemplars: [
              {
                labels: [{ key: 'trace:id', value: { stringValue: 'abc' } }],
                value: 1.5,
                timestampMs: '1700000001000',
              },
            ],
          },
        ],
        metrics: {},
      };
      tempo.handle((_req, res) => send(res, 200, JSON.stringify(body), JSON_TYPE));
      const r = await client().metricsQueryRange({
        q: '{} | quantile_over_time(duration, .99)',
        start: 1_700_000_000,
        end: 1_700_003_600,
        step: '1m',
      });
      const q = tempo.requests[0]!.query;
      assert.equal(tempo.requests[0]!.path, '/api/metrics/query_range');
      assert.deepEqual(
        [q.get('q'), q.get('start'), q.get('end'), q.get('step')],
        ['{} | quantile_over_time(duration, .99)', '1700000000', '1700003600', '1m'],
      );
      assert.deepEqual(r.series[0]!.samples, [
        { timestampMs: 1_700_000_000_000, value: 2.5 },
        { timestampMs: 1_700_000_060_000, value: 0 },
      ]);
      assert.equal(r.series[0]!.exemplars[0]!.traceId, 'abc'.padStart(32, '0'));
      assert.equal(r.partial, false);
    });

    it('reports a missing metrics API (Tempo < 2.4) as unsupported', async () => {
      tempo.handle((_req, res) => send(res, 404, '404 page not found'));
      await rejectsWith(client().metricsQueryRange({ q: '{} | rate()' }), 'unsupported', /Tempo 2\.4/);
    });
  });

  describe('testConnection', () => {
    it('passes against a Tempo that answers echo, tags, ready and buildinfo', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path === '/api/echo') return send(res, 200, 'echo\n');
        if (log.path === '/ready') return send(res, 200, 'ready\n');
        if (log.path === '/api/search/tags') return send(res, 200, '{"tagNames":[]}', JSON_TYPE);
        if (log.path === '/api/status/buildinfo') return send(res, 200, '{"version":"2.9.0"}', JSON_TYPE);
        send(res, 404, '404 page not found');
      });
      const r = await client().testConnection();
      assert.equal(r.ok, true, r.summary);
      assert.equal(r.version, '2.9.0');
      assert.deepEqual(
        r.checks.map((c) => [c.name, c.ok]),
        [
          ['echo', true],
          ['query', true],
          ['ready', true],
          ['buildinfo', true],
        ],
      );
    });

    it('tries /ready under the prefix, then at the root, and says which failed', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path === '/prefix/api/echo') return send(res, 200, 'echo\n');
        if (log.path === '/prefix/api/search/tags') return send(res, 200, '{"tagNames":[]}', JSON_TYPE);
        if (log.path === '/ready')
          return send(
            res,
            503,
            'Query Frontend not ready: number of queriers connected to query-frontend is 0',
          );
        send(res, 404, '404 page not found');
      });
      const r = await client({ baseUrl: `${tempo.origin}/prefix` }).testConnection();
      assert.equal(r.ok, true, 'ready is informational');
      const ready = r.checks.find((c) => c.name === 'ready')!;
      assert.equal(ready.ok, false);
      assert.equal(ready.status, 503);
      assert.match(
        ready.message,
        /\/prefix\/ready answered 404, and then GET \/ready → 503: Tempo is not ready: "Query Frontend not ready/,
      );
      const info = r.checks.find((c) => c.name === 'buildinfo')!;
      assert.match(info.message, /before 2\.3/);
      assert.ok(tempo.requests.some((x) => x.path === '/prefix/ready'));
      assert.equal(tempo.requests.filter((x) => x.path === '/ready').length, 1, '/ready is not retried');
    });

    it('fails with the reason when credentials are refused', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path === '/api/echo') return send(res, 200, 'echo\n');
        send(res, 401, 'no org id');
      });
      const r = await client().testConnection();
      assert.equal(r.ok, false);
      assert.match(r.summary, /X-Scope-OrgID/);
    });

    it('stops after echo when the server cannot be reached', async () => {
      const gone = await startLoopback();
      await gone.close();
      const r = await new TempoClient({ baseUrl: gone.origin }).testConnection();
      assert.equal(r.ok, false);
      assert.equal(r.checks.length, 1);
      assert.match(r.summary, /connection refused/);
    });
  });

  describe('configuration', () => {
    it('rejects invalid tenants and URLs with a sentence', () => {
      assert.throws(
        () => client({ tenant: 'a||b' }),
        (e: unknown) => e instanceof BackendError && /empty tenant/.test(e.message),
      );
      assert.throws(() => client({ tenant: 'a b' }), /may only use letters/);
      assert.throws(() => new TempoClient({ baseUrl: 'ftp://x' }), /http:\/\/ or https:\/\//);
      assert.throws(() => new TempoClient({ baseUrl: 'not a url' }), /is not a URL/);
    });

    it('refuses credentials and headers that HTTP cannot carry, before any request', () => {
      assert.throws(
        () => client({ auth: { kind: 'bearer', token: 'abc\ndef' } }),
        /credentials contain characters/,
      );
      assert.throws(() => client({ headers: { 'X-Key': 'a\r\nInjected: 1' } }), /header "X-Key" contains/);
      assert.throws(() => client({ headers: { 'Bad Name': 'x' } }), /not a valid HTTP header/);
    });

    it('uses the injected fetch', async () => {
      tempo.handle((_req, res) => send(res, 200, '{"traces":[]}', JSON_TYPE));
      const seen: string[] = [];
      const c = client({
        fetch: (input, init) => {
          seen.push(input);
          return globalThis.fetch(input, init);
        },
      });
      await c.search({ q: '{}' });
      assert.equal(seen.length, 1);
      assert.match(seen[0]!, /^http:\/\/127\.0\.0\.1:\d+\/api\/search\?q=/);
    });

    it('validates tenants like Tempo', () => {
      assert.equal(tenantProblem('a|b'), undefined);
      assert.equal(tenantProblem("team_1.prod!*'()-x"), undefined);
      assert.match(tenantProblem('..')!, /not allowed/);
      assert.match(tenantProblem('x'.repeat(151))!, /150 bytes/);
      assert.match(tenantProblem('a|')!, /empty tenant/);
    });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  assert.ok(condition(), 'condition never became true');
}
