/**
 * What Tempo 3.0.3 answers and how the client reads it, on a loopback server replaying the
 * recordings in test/fixtures/tempo/tempo-3.0.3 (the real-Tempo tier checks the same against the
 * binary): buildinfo without a version, `…+json` types, the root placeholder in search, spss 0,
 * durations beside TraceQL, the instant metrics API, and a URL without its path prefix.
 */
import * as assert from 'node:assert/strict';
import { fixture, rejectsWith, send, startLoopback, type Loopback } from '../testing/loopback';
import { looksLikeJson } from '../decode';
import { TempoClient, type TempoClientOptions } from './client';
import { withTraceDuration } from './query';

const STORY = '1ee91d9a9907b7d1d81164bfbcfda7fb';
const rec = (name: string) => fixture(`tempo-3.0.3/${name}`);
const NO_SECRET = '\u0000';

describe('TempoClient against Tempo 3.0.3 (recorded answers)', () => {
  let tempo: Loopback;
  const client = (options: Partial<TempoClientOptions> = {}) =>
    new TempoClient({ baseUrl: tempo.origin, retryBaseDelayMs: 1, ...options });

  before(async () => {
    tempo = await startLoopback();
  });
  after(() => tempo.close());

  describe('Test Connection', () => {
    it('a buildinfo whose version is "" (3.0.3 built from its tag) is a note, not a failed check', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path === '/api/echo') return send(res, 200, rec('echo.txt'));
        if (log.path === '/ready') return send(res, 200, 'ready\n');
        if (log.path === '/api/search/tags') return send(res, 200, rec('tags-v1.json'), 'application/json');
        if (log.path === '/api/status/buildinfo')
          return send(res, 200, rec('buildinfo.json'), 'application/json');
        send(res, 404, '404 page not found\n');
      });
      const r = await client().testConnection();
      assert.equal(r.ok, true, r.summary);
      assert.ok(
        r.checks.every((c) => c.ok),
        r.checks.map((c) => c.message).join('; '),
      );
      assert.match(r.checks.find((c) => c.name === 'buildinfo')!.message, /did not say its version/);
      assert.doesNotMatch(r.summary, /failed/);
      assert.equal(r.version, undefined);
    });

    it('a buildinfo without any version field still fails that check', async () => {
      tempo.handle((_req, res, log) => {
        if (log.path === '/api/echo') return send(res, 200, 'echo\n');
        if (log.path === '/api/status/buildinfo')
          return send(res, 200, '{"revision":"x"}', 'application/json');
        send(res, 200, '{"tagNames":[]}', 'application/json');
      });
      const r = await client().testConnection();
      assert.equal(r.checks.find((c) => c.name === 'buildinfo')!.ok, false);
    });
  });

  describe('trace by ID', () => {
    it('any …+json content type is JSON, whatever was asked for', async () => {
      for (const type of ['application/vnd.grafana.llm+json', 'application/json; charset=utf-8']) {
        assert.equal(looksLikeJson(type, new Uint8Array([0x0a])), true, type);
      }
      assert.equal(looksLikeJson('application/protobuf', new Uint8Array([0x7b])), false);
      tempo.handle((_req, res) =>
        send(res, 200, rec(`v2-${STORY}.json`), 'application/vnd.example.trace+json'),
      );
      const r = await client({ cacheMaxBytes: 0 }).getTrace(STORY);
      assert.equal(r.decoded.model.traceId, STORY);
      assert.equal(r.decoded.model.spanCount, 6);
    });

    it('with both routes answering `404 page not found`, the API is not at that URL (not a missing trace)', async () => {
      tempo.handle((_req, res) => send(res, 404, '404 page not found\n'));
      const c = client();
      await rejectsWith(
        c.getTrace(STORY),
        'not-found',
        /GET \/api\/traces\/1ee9\S+ → 404: Tempo has no such endpoint.*check traceLens\.tempo\.url, including any path prefix/,
        NO_SECRET,
      );
      assert.equal(c.knownTraceRoute, undefined, 'no route is remembered from a wrong URL');
      // Tempo 3.0.3's own answers: v2 200 with an empty trace, v1 404 with an empty body.
      tempo.handle((_req, res, log) =>
        log.path.startsWith('/api/v2/')
          ? send(res, 200, rec('trace-v2-404.txt'), 'application/json')
          : send(res, 404, rec('trace-404.txt')),
      );
      await rejectsWith(c.getTrace(STORY), 'not-found', /trace 1ee9\S+ not found/, NO_SECRET);
    });

    it('v2 missing (Tempo < 2.6) and the trace missing on v1: a missing trace, and v1 is remembered', async () => {
      tempo.handle((_req, res, log) =>
        log.path.startsWith('/api/v2/') ? send(res, 404, '404 page not found\n') : send(res, 404, ''),
      );
      const c = client();
      await rejectsWith(c.getTrace(STORY), 'not-found', /not found — it may not be ingested yet/, NO_SECRET);
      assert.equal(c.knownTraceRoute, 'v1');
    });
  });

  describe('search', () => {
    it('the root placeholder `<root span not yet received>` is not a service: rootServiceName is ""', async () => {
      const body = rec('search-basic.json')
        .toString('utf8')
        .replace(
          '"rootServiceName":"workflow-engine","rootTraceName":"workflow.execute",',
          '"rootServiceName":"<root span not yet received>",',
        );
      tempo.handle((_req, res) => send(res, 200, body, 'application/json'));
      const r = await client().search({ q: '{ resource.service.name = "notifier" }' });
      assert.equal(r.traces[0]!.rootServiceName, '');
      assert.equal(r.traces[0]!.rootTraceName, undefined);
    });

    it('spss 0 ("all") is sent as 100, since Tempo reads 0 as its default of 3', async () => {
      tempo.handle((_req, res) => send(res, 200, rec('search-basic.json'), 'application/json'));
      await client().search({ q: '{ }', spss: 0 });
      assert.equal(tempo.requests[0]!.query.get('spss'), '100');
    });

    it('minDuration and maxDuration go into the query as traceDuration, not beside it', async () => {
      tempo.handle((_req, res) => send(res, 200, rec('search-basic.json'), 'application/json'));
      await client().search({
        q: '{ resource.service.name = "shop-api" }',
        minDuration: '4s',
        maxDuration: '1m',
      });
      const q = tempo.requests[0]!.query;
      assert.equal(
        q.get('q'),
        '{ resource.service.name = "shop-api" && traceDuration >= 4s && traceDuration <= 1m }',
      );
      assert.equal(q.get('minDuration'), null);
      assert.equal(q.get('maxDuration'), null);
    });

    it('withTraceDuration: every spanset filter gets the conditions; {} becomes the condition alone', () => {
      assert.equal(withTraceDuration('{ }', '100ms'), '{ traceDuration >= 100ms }');
      assert.equal(withTraceDuration('', undefined, '1.5s'), '{ traceDuration <= 1500ms }');
      assert.equal(
        withTraceDuration('{ name = "GET" } && { status = error }', '2s'),
        '{ name = "GET" && traceDuration >= 2s } && { status = error && traceDuration >= 2s }',
      );
      assert.equal(
        withTraceDuration('{ name = "GET" || kind = client }', '2s'),
        '{ (name = "GET" || kind = client) && traceDuration >= 2s }',
      );
      assert.equal(
        withTraceDuration('{ name = "x" } | count() > 2'),
        '{ name = "x" } | count() > 2',
        'no duration: unchanged',
      );
    });

    it('a duration beside a query Trace Lens cannot read, or a duration that is not one: refused, nothing sent', async () => {
      tempo.handle((_req, res) => send(res, 200, rec('search-basic.json'), 'application/json'));
      await rejectsWith(
        client().search({ q: '{ name = "x" } >> { status = error }', minDuration: '1s' }),
        'bad-request',
        /write traceDuration >= 100ms into the query/,
        NO_SECRET,
      );
      await rejectsWith(
        client().search({ q: '{ }', maxDuration: 'soon' }),
        'bad-request',
        /"soon" is not a duration/,
        NO_SECRET,
      );
      assert.equal(tempo.requests.length, 0);
    });
  });

  describe('instant TraceQL metrics', () => {
    it('GET /api/metrics/query with q, start and end; one value per series, bucketed quantiles not exact', async () => {
      tempo.handle((_req, res) => send(res, 200, rec('metrics-instant-quantile.json'), 'application/json'));
      const r = await client().metricsQuery({
        q: '{ } | quantile_over_time(duration, .5, .95)',
        start: 1_796_481_600,
        end: 1_796_485_200,
      });
      const req = tempo.requests[0]!;
      assert.equal(req.path, '/api/metrics/query');
      assert.deepEqual(
        [req.query.get('q'), req.query.get('start'), req.query.get('end')],
        ['{ } | quantile_over_time(duration, .5, .95)', '1796481600', '1796485200'],
      );
      assert.deepEqual(
        r.series.map((s) => [s.labels[0], s.value]),
        [
          [{ key: 'p', value: 0.5 }, 8.589934592],
          [{ key: 'p', value: 0.95 }, 8.589934592],
        ],
      );
      assert.equal(r.exact, undefined);
    });

    it('a server that says "quantiles": "exact" (Trace Lens\'s store) is read as exact', async () => {
      tempo.handle((_req, res) =>
        send(res, 200, '{"series":[{"labels":[],"value":4.3}],"quantiles":"exact"}', 'application/json'),
      );
      const r = await client().metricsQuery({ q: '{ } | quantile_over_time(duration, .95)' });
      assert.equal(r.exact, true);
      assert.equal(r.series[0]!.value, 4.3);
      const range = await client().metricsQueryRange({ q: '{ } | quantile_over_time(duration, .95)' });
      assert.equal(range.exact, true);
    });

    it('a Tempo without the instant API (404): unsupported', async () => {
      tempo.handle((_req, res) => send(res, 404, '404 page not found\n'));
      await rejectsWith(
        client().metricsQuery({ q: '{ } | rate()' }),
        'unsupported',
        /no instant TraceQL metrics API/,
        NO_SECRET,
      );
    });
  });
});
