/**
 * Test Connection against real Tempo 3.0.3 processes: a plain one, one behind an
 * `http_api_prefix`, a multi-tenant one with and without a tenant, a wrong path and a port where
 * nothing listens.
 */
import * as assert from 'node:assert/strict';
import type { ConnectionReport } from '../../src/core/backends';
import { clientFor, closedPort, tempo } from './fixtures';
import { startProxy } from './proxy';

const names = (r: ConnectionReport) =>
  r.checks.map((c) => `${c.name}:${c.ok ? 'ok' : (c.status ?? 'failed')}`);
const pathOf = (url: string) => new URL(url).pathname;

describe('Tempo 3.0.3: Test Connection', () => {
  it('a plain Tempo: every check passes and the version is v3.0.3', async () => {
    const server = await tempo('main');
    const r = await clientFor(server).testConnection();
    assert.equal(r.ok, true, r.summary);
    assert.deepEqual(names(r), ['echo:ok', 'query:ok', 'ready:ok', 'buildinfo:ok']);
    assert.equal(r.version, 'v3.0.3');
    assert.equal(r.summary, `Connected to Tempo ${new URL(server.origin).host} (Tempo v3.0.3)`);
    assert.deepEqual(
      r.checks.map((c) => pathOf(c.url)),
      ['/api/echo', '/api/search/tags', '/ready', '/api/status/buildinfo'],
    );
  });

  it('behind http_api_prefix: the API under the prefix, /ready found at the root', async () => {
    const server = await tempo('prefix');
    const r = await clientFor(server).testConnection();
    assert.equal(r.ok, true, r.summary);
    assert.equal(r.version, 'v3.0.3');
    assert.deepEqual(names(r), ['echo:ok', 'query:ok', 'ready:ok', 'buildinfo:ok']);
    assert.deepEqual(
      r.checks.map((c) => pathOf(c.url)),
      ['/tempo/api/echo', '/tempo/api/search/tags', '/ready', '/tempo/api/status/buildinfo'],
    );
    assert.equal(r.checks[2]!.message, 'GET /ready → 200: ready');
  });

  it('the prefixed Tempo asked without its prefix: not usable, and the message points at the URL', async () => {
    const server = await tempo('prefix');
    const r = await clientFor(server, { baseUrl: server.origin }).testConnection();
    assert.equal(r.ok, false);
    assert.equal(r.checks[0]!.name, 'echo');
    assert.equal(r.checks[0]!.status, 404);
    assert.match(
      r.summary,
      /^Cannot use Tempo 127\.0\.0\.1:\d+: GET \/api\/echo → 404: .*check traceLens\.tempo\.url, including any path prefix/,
    );
  });

  it('multi-tenant without a tenant: reachable, but queries need X-Scope-OrgID, and the summary says so', async () => {
    const server = await tempo('tenants');
    const r = await clientFor(server).testConnection();
    assert.equal(r.ok, false);
    assert.equal(r.checks[0]!.ok, true, 'echo skips the auth middleware');
    const query = r.checks.find((c) => c.name === 'query');
    assert.equal(query?.status, 401);
    assert.match(r.summary, /multitenancy and needs a tenant \(X-Scope-OrgID\)/);
  });

  for (const tenant of ['a', 'a|b']) {
    it(`multi-tenant with tenant "${tenant}": every check passes`, async () => {
      const r = await clientFor(await tempo('tenants'), { tenant }).testConnection();
      assert.equal(r.ok, true, r.summary);
      assert.deepEqual(names(r), ['echo:ok', 'query:ok', 'ready:ok', 'buildinfo:ok']);
    });
  }

  it('nothing listening: one failed check that says the server cannot be reached', async () => {
    const port = await closedPort();
    const server = await tempo('main');
    const r = await clientFor(server, { baseUrl: `http://127.0.0.1:${port}` }).testConnection();
    assert.equal(r.ok, false);
    assert.deepEqual(names(r), ['echo:failed']);
    assert.match(r.summary, /^Cannot use Tempo 127\.0\.0\.1:\d+: /);
  });

  it('a Tempo built without a version string (buildinfo "version": "") passes with a note, not a failed check', async () => {
    const server = await tempo('main');
    const proxy = await startProxy(server.origin, {
      rewrite: {
        path: /\/api\/status\/buildinfo$/,
        body: (text) => text.replace(/"version":"[^"]*"/, '"version":""'),
      },
    });
    try {
      const r = await clientFor(server, { baseUrl: proxy.origin }).testConnection();
      assert.equal(r.ok, true, r.summary);
      assert.ok(
        r.checks.every((c) => c.ok),
        r.checks.map((c) => `${c.name}: ${c.message}`).join('; '),
      );
      assert.doesNotMatch(r.summary, /failed/);
    } finally {
      await proxy.close();
    }
  });
});
