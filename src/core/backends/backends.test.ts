import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError, type BackendErrorKind } from './errors';
import {
  authFromSecrets,
  createBackend,
  FileBackend,
  GrafanaBackend,
  grafanaProxyUrl,
  JaegerBackend,
  TempoClient,
  ZipkinBackend,
  type TraceBackend,
} from './index';
import {
  fixture,
  rejectsWith as rejects,
  send,
  startLoopback,
  TEMPO_FIXTURES,
  type Loopback,
} from './testing/loopback';
import { JAEGER_ID, JAEGER_TRACE, ZIPKIN_ID, ZIPKIN_TRACE } from './testing/samples';

const V1_ID = 'a8e00f77b50a734539bf0e48eec6bec4';
const TOKEN = 'glsa_service_account_token_1234';

const rejectsWith = (p: Promise<unknown>, kind: BackendErrorKind, pattern?: RegExp) =>
  rejects(p, kind, pattern, TOKEN);

describe('backends (loopback server)', () => {
  let server: Loopback;
  before(async () => {
    server = await startLoopback();
  });
  after(() => server.close());

  describe('GrafanaBackend', () => {
    const proxy = () => grafanaProxyUrl(server.origin, 'tempo-main');
    const grafana = () =>
      new GrafanaBackend({ baseUrl: proxy(), auth: { kind: 'bearer', token: TOKEN }, retryBaseDelayMs: 1 });

    it('fetches through the datasource proxy path with the service account token', async () => {
      server.handle((_req, res) =>
        send(res, 200, fixture('tempo-v2-trace-by-id.docs.json'), 'application/json'),
      );
      const b = grafana();
      const r = await b.getTrace('5b8efff798038103d269b633813fc700');
      assert.equal(b.kind, 'grafana');
      assert.equal(r.route, 'v2');
      assert.equal(
        server.requests[0]!.path,
        '/api/datasources/proxy/uid/tempo-main/api/v2/traces/5b8efff798038103d269b633813fc700',
      );
      assert.equal(server.requests[0]!.headers.authorization, `Bearer ${TOKEN}`);
    });

    it('maps Grafana’s 400 "Authentication to data source failed" to unauthorized', async () => {
      server.handle((_req, res) =>
        send(res, 400, '{"message":"Authentication to data source failed"}', 'application/json'),
      );
      await rejectsWith(
        grafana().getTrace(V1_ID),
        'unauthorized',
        /Grafana could not sign in to the Tempo data source "tempo-main"/,
      );
      assert.equal(server.requests.length, 1);
    });

    it('maps Grafana’s own 401 to the service account token', async () => {
      server.handle((_req, res) => send(res, 401, '{"message":"invalid API key"}', 'application/json'));
      await rejectsWith(
        grafana().getTrace(V1_ID),
        'unauthorized',
        /Grafana refused the service account token/,
      );
    });

    it('explains an unknown data source instead of "trace not found"', async () => {
      server.handle((_req, res) =>
        send(res, 404, '{"message":"Unable to find datasource"}', 'application/json'),
      );
      await rejectsWith(grafana().getTrace(V1_ID), 'bad-request', /Grafana has no data source "tempo-main"/);
      assert.equal(server.requests.length, 1, 'no v1 fallback for a Grafana 404');
    });

    it('still falls back to v1 when Tempo behind Grafana has no v2 route', async () => {
      server.handle((_req, res, log) => {
        if (log.path.includes('/api/v2/')) return send(res, 404, '404 page not found');
        send(res, 200, fixture('tempo-2.0.1-trace-v1.pb'), 'application/protobuf');
      });
      const r = await grafana().getTrace(V1_ID);
      assert.equal(r.route, 'v1');
      assert.equal(r.decoded.model.traceId, V1_ID);
      assert.deepEqual(
        server.requests.map((x) => x.path),
        [
          '/api/datasources/proxy/uid/tempo-main/api/v2/traces/' + V1_ID,
          '/api/datasources/proxy/uid/tempo-main/api/traces/' + V1_ID,
        ],
      );
    });

    it('refuses a URL that is not a datasource proxy URL', () => {
      assert.throws(
        () => new GrafanaBackend({ baseUrl: server.origin }),
        (e: unknown) => e instanceof BackendError && /datasources\/proxy\/uid/.test(e.message),
      );
    });
  });

  describe('JaegerBackend', () => {
    it('GETs /api/traces/<id> and decodes Jaeger JSON', async () => {
      server.handle((_req, res) => send(res, 200, JAEGER_TRACE, 'application/json'));
      const b = new JaegerBackend({ baseUrl: `${server.origin}/jaeger` });
      const r = await b.getTrace(JAEGER_ID);
      assert.equal(server.requests[0]!.path, `/jaeger/api/traces/${JAEGER_ID}`);
      assert.equal(r.decoded.model.traceId, JAEGER_ID);
      assert.equal(r.decoded.model.spanCount, 1);
    });

    it('asks for 64-bit IDs in their 16-digit form and maps 404 to not found', async () => {
      server.handle((_req, res) =>
        send(
          res,
          404,
          '{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}',
          'application/json',
        ),
      );
      await rejectsWith(
        new JaegerBackend({ baseUrl: server.origin }).getTrace('00000000000000000123456789abcdef'),
        'not-found',
        /not found/,
      );
      assert.equal(server.requests[0]!.path, '/api/traces/0123456789abcdef');
    });

    it('tests the connection with /api/services', async () => {
      server.handle((_req, res) => send(res, 200, '{"data":["api"],"total":1}', 'application/json'));
      const r = await new JaegerBackend({ baseUrl: server.origin }).testConnection();
      assert.equal(r.ok, true);
      assert.equal(server.requests[0]!.path, '/api/services');
    });
  });

  describe('ZipkinBackend', () => {
    it('GETs /api/v2/trace/<id> and decodes Zipkin JSON', async () => {
      server.handle((_req, res) => send(res, 200, ZIPKIN_TRACE, 'application/json'));
      const r = await new ZipkinBackend({ baseUrl: server.origin }).getTrace('123456789abcdef');
      assert.equal(server.requests[0]!.path, '/api/v2/trace/0123456789abcdef');
      assert.equal(r.decoded.model.traceId, ZIPKIN_ID);
    });

    it('maps 404 to not found and an HTML page to a proxy', async () => {
      server.handle((_req, res) => send(res, 404, 'Trace not found'));
      await rejectsWith(new ZipkinBackend({ baseUrl: server.origin }).getTrace(ZIPKIN_ID), 'not-found');
      server.handle((_req, res) => send(res, 200, '<!doctype html><title>Zipkin</title>', 'text/html'));
      await rejectsWith(
        new ZipkinBackend({ baseUrl: server.origin }).getTrace(ZIPKIN_ID),
        'proxy',
        /not Zipkin/,
      );
    });

    it('reports a failed connection test with the reason', async () => {
      server.handle((_req, res) => send(res, 401, 'nope'));
      const r = await new ZipkinBackend({ baseUrl: server.origin }).testConnection();
      assert.equal(r.ok, false);
      assert.equal(r.checks[0]!.status, 401);
      assert.match(r.summary, /Zipkin needs credentials/);
    });
  });

  describe('createBackend', () => {
    it('builds each kind with its name', () => {
      const kinds = ['tempo', 'grafana', 'jaeger', 'zipkin'] as const;
      for (const kind of kinds) {
        const url = kind === 'grafana' ? grafanaProxyUrl(server.origin, 'uid-1') : server.origin;
        const b: TraceBackend = createBackend({ name: `my ${kind}`, kind, url });
        assert.equal(b.kind, kind);
        assert.equal(b.name, `my ${kind}`);
      }
      assert.ok(createBackend({ name: 't', kind: 'tempo', url: server.origin }) instanceof TempoClient);
      const file = createBackend(
        { name: 'f', kind: 'file', url: '/tmp/x.json' },
        {},
        { readFile: async () => new Uint8Array() },
      );
      assert.ok(file instanceof FileBackend);
      assert.throws(() => createBackend({ name: 'f', kind: 'file', url: '/tmp' }), /no file reader/);
    });

    it('turns secrets into auth: user + token is Basic (Grafana Cloud), a token alone is Bearer', () => {
      assert.deepEqual(authFromSecrets({ user: '12345', token: 'glc_x' }), {
        kind: 'basic',
        user: '12345',
        password: 'glc_x',
      });
      assert.deepEqual(authFromSecrets({ user: 'u', password: 'p' }), {
        kind: 'basic',
        user: 'u',
        password: 'p',
      });
      assert.deepEqual(authFromSecrets({ token: 't' }), { kind: 'bearer', token: 't' });
      assert.deepEqual(authFromSecrets({}), { kind: 'none' });
      assert.throws(() => authFromSecrets({ password: 'p' }), /without a user name/);
    });

    it('sends the tenant, headers and credentials of the config to its origin', async () => {
      server.handle((_req, res) => send(res, 200, '{"traces":[]}', 'application/json'));
      const b = createBackend(
        {
          name: 'cloud',
          kind: 'tempo',
          url: `${server.origin}/tempo`,
          tenant: 'a|b',
          headers: { 'X-Extra': '1' },
        },
        { user: '123', token: TOKEN },
      );
      await b.search!({ q: '{}' });
      const h = server.requests[0]!.headers;
      assert.equal(server.requests[0]!.path, '/tempo/api/search');
      assert.equal(h['x-scope-orgid'], 'a|b');
      assert.equal(h['x-extra'], '1');
      assert.equal(h.authorization, `Basic ${Buffer.from(`123:${TOKEN}`).toString('base64')}`);
    });

    it('names the backend’s URL in configuration errors', () => {
      assert.throws(
        () => createBackend({ name: 'x', kind: 'tempo', url: 'ftp://h' }),
        /the URL of backend "x" must be an http:\/\/ or https:\/\/ URL/,
      );
    });
  });
});

describe('FileBackend', () => {
  const files = new Map<string, Uint8Array>([
    ['/traces/a8e00f77b50a734539bf0e48eec6bec4.pb', fixture('tempo-2.0.1-trace-v1.pb')],
    ['/traces/one.json', fixture('tempo-2.0.1-trace-v1.json')],
  ]);
  const readFile = async (path: string): Promise<Uint8Array> => {
    const bytes = files.get(path);
    if (bytes) return bytes;
    if (path === '/traces')
      throw Object.assign(new Error('EISDIR: illegal operation on a directory'), { code: 'EISDIR' });
    throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  };

  it('finds <id>.pb in a folder', async () => {
    const r = await new FileBackend({ path: '/traces', readFile }).getTrace(V1_ID.toUpperCase());
    assert.equal(r.decoded.model.traceId, V1_ID);
  });

  it('reads a single JSON file and checks the trace ID', async () => {
    const b = new FileBackend({ path: '/traces/one.json', readFile });
    assert.equal((await b.getTrace(V1_ID)).decoded.model.traceId, V1_ID);
    await rejectsWith(b.getTrace('1'), 'not-found', /holds trace a8e0.*, not 0+1/);
  });

  it('reports a missing trace, a missing folder and the size limit', async () => {
    await rejectsWith(
      new FileBackend({ path: '/traces', readFile }).getTrace('abc'),
      'not-found',
      /no 0+abc\.json or 0+abc\.pb in \/traces/,
    );
    await rejectsWith(
      new FileBackend({ path: '/nope/x.json', readFile }).getTrace('abc'),
      'not-found',
      /does not exist/,
    );
    await rejectsWith(
      new FileBackend({ path: '/traces/one.json', readFile, maxBytes: 10 }).getTrace(V1_ID),
      'too-large',
    );
  });

  it('tests a folder and a file', async () => {
    assert.equal((await new FileBackend({ path: '/traces', readFile }).testConnection()).ok, true);
    assert.equal((await new FileBackend({ path: '/missing', readFile }).testConnection()).ok, false);
    const file = await new FileBackend({ path: '/traces/one.json', readFile }).testConnection();
    assert.equal(file.ok, true, file.summary);
  });

  it('locates the recorded fixtures inside the repository, so a lone clone runs the tests', () => {
    assert.match(TEMPO_FIXTURES, /test[/\\]fixtures[/\\]tempo$/);
    assert.ok(existsSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1.json')));
  });
});
