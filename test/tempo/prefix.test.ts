/**
 * Tempo 3.0.3 with `http_api_prefix: /tempo`, the path shape of Grafana Cloud Traces
 * (`https://tempo-<zone>.grafana.net/tempo`): a backend built from settings the way the extension
 * builds one (Basic auth from a user and an access-policy token), every query path under the
 * prefix, and the same Tempo asked without its prefix.
 */
import * as assert from 'node:assert/strict';
import { createBackend, TempoClient, type BackendConfig, type BackendSecrets } from '../../src/core/backends';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { functionCountQuery } from '../../src/core/traceql';
import { clientFor, nowS, prefixSearchable, tempo } from './fixtures';
import type { SentTrace } from './otel';
import { startProxy } from './proxy';
import type { TempoServer } from './server';

const TOKEN = 'glc_eyJvIjoiMTIzNDU2IiwibiI6InRyYWNlLWxlbnMtdGVzdCJ9';

/** The backend the extension builds from settings and secrets; kind tempo is a TempoClient. */
function backend(config: Omit<BackendConfig, 'name' | 'kind'>, secrets: BackendSecrets): TempoClient {
  const b = createBackend({ name: 'cloud', kind: 'tempo', timeoutMs: 20_000, ...config }, secrets);
  assert.ok(b instanceof TempoClient);
  return b;
}

describe('Tempo 3.0.3 behind http_api_prefix (the Grafana Cloud path shape)', () => {
  let server: TempoServer;
  let seed: SentTrace;
  let cloud: TempoClient;

  before(async function () {
    this.timeout(120_000);
    server = await tempo('prefix');
    seed = await prefixSearchable();
    cloud = backend({ url: `${server.origin}/tempo/`, format: 'proto' }, { user: '123456', token: TOKEN });
  });

  it('trace by ID, search, tag names and values, and metrics all go under the prefix, with Basic auth', async () => {
    const proxy = await startProxy(server.origin);
    try {
      const viaProxy = backend({ url: `${proxy.origin}/tempo` }, { user: '123456', token: TOKEN });
      const trace = await viaProxy.getTrace(seed.traceId);
      assert.equal(trace.route, 'v2');
      assert.deepEqual(trace.decoded.model.services, ['cloud-api']);
      const hits = await viaProxy.search({ q: '{ resource.service.name = "cloud-api" }' });
      assert.deepEqual(
        hits.traces.map((h) => h.traceId),
        [seed.traceId],
      );
      const tags = await viaProxy.tags('resource');
      assert.ok(tags.scopes[0]!.tags.includes('service.name'));
      const values = await viaProxy.tagValues('resource.service.name');
      assert.deepEqual(
        values.values.map((v) => v.value),
        ['cloud-api'],
      );
      const end = nowS();
      const metrics = await viaProxy.metricsQueryRange({
        q: functionCountQuery({ name: 'handle', container: 'cloud-api', relativePath: 'src/cloud-api.ts' }),
        start: end - 3600,
        end,
        step: '60s',
      });
      assert.ok(metrics.series.length >= 1);
      assert.ok(proxy.requests.length >= 5);
      const basic = `Basic ${Buffer.from(`123456:${TOKEN}`).toString('base64')}`;
      for (const r of proxy.requests) {
        assert.match(r.path, /^\/tempo\/api\//);
        assert.equal(r.authorization, basic, r.path);
        assert.equal(r.orgId, undefined, 'no X-Scope-OrgID to Grafana Cloud');
      }
    } finally {
      await proxy.close();
    }
  });

  it('the trailing slash of the base URL does not matter', async () => {
    assert.equal((await cloud.getTrace(seed.traceId)).decoded.model.traceId, seed.traceId);
  });

  it('the bearer-token form (a Grafana service account through a gateway) reaches it too', async () => {
    const bearer = createBackend(
      { name: 'gw', kind: 'tempo', url: `${server.origin}/tempo` },
      { token: TOKEN },
    ) as TempoClient;
    assert.equal((await bearer.getTrace(seed.traceId)).decoded.model.spanCount, seed.spanCount);
  });

  it('search without the prefix: a 404 that says to check the URL and its path prefix', async () => {
    const bare = clientFor(server, { baseUrl: server.origin });
    await rejectsWith(
      bare.search({ q: '{ }' }),
      'not-found',
      /has no such endpoint.*check traceLens\.tempo\.url, including any path prefix/,
      TOKEN,
    );
  });

  it('trace by ID without the prefix says the API is not at that URL, not that the trace is missing', async () => {
    const bare = clientFor(server, { baseUrl: server.origin });
    await rejectsWith(bare.getTrace(seed.traceId), 'not-found', /has no such endpoint.*path prefix/, TOKEN);
  });
});
