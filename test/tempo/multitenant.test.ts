/**
 * A multi-tenant Tempo 3.0.3 (`multitenancy_enabled: true`): each tenant sees its own traces,
 * `a|b` sees both (trace by ID, search, tags, metrics), no tenant is a clear 401, and a malformed
 * tenant is refused before anything is sent.
 */
import * as assert from 'node:assert/strict';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { functionCountQuery } from '../../src/core/traceql';
import { clientFor, nowS, tempo, tenantsSearchable } from './fixtures';
import type { SentTrace } from './otel';
import { pollUntil } from './poll';
import type { TempoServer } from './server';
import { BackendError } from '../../src/core/backends';

describe('Tempo 3.0.3 with multitenancy_enabled', () => {
  let server: TempoServer;
  let seed: { a: SentTrace; b: SentTrace };

  before(async function () {
    this.timeout(120_000);
    server = await tempo('tenants');
    seed = await tenantsSearchable();
  });

  it('a tenant fetches its own trace by ID, and not the other tenant’s', async () => {
    const a = clientFor(server, { tenant: 'a' });
    const r = await a.getTrace(seed.a.traceId);
    assert.deepEqual(r.decoded.model.services, ['svc-a']);
    await rejectsWith(a.getTrace(seed.b.traceId), 'not-found', /not found/, '\u0000');
  });

  it('"a|b" fetches both tenants’ traces, in protobuf and JSON', async () => {
    for (const format of ['proto', 'json'] as const) {
      const both = clientFor(server, { tenant: 'a|b', format });
      assert.equal((await both.getTrace(seed.a.traceId)).decoded.model.services[0], 'svc-a');
      assert.equal((await both.getTrace(seed.b.traceId)).decoded.model.services[0], 'svc-b');
    }
  });

  it('search, tag values and metrics per tenant and across tenants', async () => {
    const services = async (tenant: string) =>
      (await clientFor(server, { tenant }).search({ q: '{ }' })).traces.map((h) => h.rootServiceName).sort();
    assert.deepEqual(await services('a'), ['svc-a']);
    assert.deepEqual(await services('b'), ['svc-b']);
    assert.deepEqual(await services('a|b'), ['svc-a', 'svc-b']);

    const both = clientFor(server, { tenant: 'a|b' });
    const values = await both.tagValues('resource.service.name');
    assert.deepEqual(values.values.map((v) => v.value).sort(), ['svc-a', 'svc-b']);
    const tags = await clientFor(server, { tenant: 'b' }).tags('resource');
    assert.ok(tags.scopes[0]!.tags.includes('service.name'));

    const end = nowS();
    const count = async (tenant: string) => {
      const r = await clientFor(server, { tenant }).metricsQueryRange({
        q: functionCountQuery({ name: 'handle', container: 'svc-a', relativePath: 'src/svc-a.ts' }),
        start: end - 3600,
        end,
        step: '3600s',
      });
      return r.series.reduce((n, s) => n + s.samples.reduce((m, p) => m + p.value, 0), 0);
    };
    await pollUntil('svc-a in the cross-tenant metrics', async () => (await count('a|b')) === 1, {
      deadlineMs: 30_000,
    });
    assert.equal(await count('b'), 0);
  });

  it('no tenant: a 401 that says to set the tenant (X-Scope-OrgID)', async () => {
    const none = clientFor(server);
    const err = await rejectsWith(
      none.getTrace(seed.a.traceId),
      'unauthorized',
      /needs a tenant \(X-Scope-OrgID\)/,
      '\u0000',
    );
    assert.equal(err.status, 401);
    await rejectsWith(none.search({ q: '{ }' }), 'unauthorized', /needs a tenant/, '\u0000');
  });

  it('a malformed tenant is refused when the client is made, before any request', () => {
    for (const bad of ['a||b', 'a b', '..']) {
      assert.throws(
        () => clientFor(server, { tenant: bad }),
        (e: unknown) =>
          e instanceof BackendError && e.kind === 'bad-request' && /X-Scope-OrgID/.test(e.message),
        bad,
      );
    }
  });
});
