/**
 * Tag names and values against a real Tempo 3.0.3 (query_end_cutoff 0 s): the v2 routes grouped
 * by scope and typed, filtered values, the search box's completions from a real answer, and the
 * v1 routes (through a proxy that hides v2, as Tempo < 2.2 has none).
 */
import * as assert from 'node:assert/strict';
import type { TempoClient } from '../../src/core/backends';
import { rejectsWith } from '../../src/core/backends/testing/loopback';
import { tagCompletions } from '../../src/core/traceql';
import { clientFor, mainSearchable, tempo } from './fixtures';
import { startProxy, type TempoProxy } from './proxy';
import { CODE } from './seed';
import type { TempoServer } from './server';

const SERVICES = ['legacy-gw', 'payments', 'shop-api', 'worker'];

describe('Tempo 3.0.3: tag names and values', () => {
  let server: TempoServer;
  let client: TempoClient;

  before(async function () {
    this.timeout(120_000);
    server = await tempo('main');
    await mainSearchable();
    client = clientFor(server);
  });

  it('v2 tag names come grouped by scope: intrinsic, resource, span, event', async () => {
    const r = await client.tags();
    assert.equal(r.route, 'v2');
    const scope = (name: string) => r.scopes.find((s) => s.name === name)?.tags ?? [];
    assert.deepEqual(r.scopes.map((s) => s.name).sort(), ['event', 'intrinsic', 'resource', 'span']);
    assert.deepEqual(scope('resource').sort(), ['service.name', 'service.version']);
    for (const t of [
      'code.function.name',
      'code.file.path',
      'code.line.number',
      'code.function',
      'code.namespace',
      'code.filepath',
      'http.route',
    ]) {
      assert.ok(scope('span').includes(t), `span scope has ${t}`);
    }
    assert.deepEqual(scope('event').sort(), ['exception.message', 'exception.stacktrace', 'exception.type']);
    for (const t of [
      'name',
      'status',
      'duration',
      'kind',
      'rootServiceName',
      'trace:rootService',
      'span:parentID',
    ]) {
      assert.ok(scope('intrinsic').includes(t), `intrinsic scope has ${t}`);
    }
  });

  it('one scope asked for, one scope answered', async () => {
    const r = await client.tags('resource');
    assert.deepEqual(r.scopes, [{ name: 'resource', tags: ['service.name', 'service.version'] }]);
  });

  it('the search box completes tag names from the real answer', async () => {
    const r = await client.tags();
    assert.deepEqual(tagCompletions(r, 'code.function'), ['span.code.function', 'span.code.function.name']);
    assert.ok(tagCompletions(r, 'servi').includes('resource.service.name'));
    assert.ok(tagCompletions(r, 'stat').includes('status'));
  });

  it('values of a resource attribute, typed string', async () => {
    const r = await client.tagValues('resource.service.name');
    assert.equal(r.route, 'v2');
    assert.deepEqual(r.values.map((v) => v.value).sort(), SERVICES);
    assert.ok(r.values.every((v) => v.type === 'string'));
  });

  it('values of an int attribute and of an intrinsic keep their TraceQL types', async () => {
    const lines = await client.tagValues('span.code.line.number');
    assert.ok(lines.values.every((v) => v.type === 'int'));
    for (const line of [CODE.cart.line, CODE.checkout.line, CODE.report.line, CODE.items.line]) {
      assert.ok(
        lines.values.some((v) => v.value === String(line)),
        `line ${line}`,
      );
    }
    const status = await client.tagValues('status');
    assert.ok(status.values.every((v) => v.type === 'keyword'));
    assert.ok(status.values.some((v) => v.value === 'error'));
  });

  it('values filtered by a TraceQL query', async () => {
    const r = await client.tagValues('name', { q: '{ resource.service.name = "payments" }' });
    assert.deepEqual(r.values, [{ type: 'string', value: 'POST /charge' }]);
  });

  it('an invalid filter is ignored by Tempo: the unfiltered values come back', async () => {
    const r = await client.tagValues('resource.service.name', { q: '{ resource.service.name = ' });
    assert.deepEqual(r.values.map((v) => v.value).sort(), SERVICES);
  });

  it('an empty tag name is refused before asking', async () => {
    await rejectsWith(client.tagValues('  '), 'bad-request', /the tag name is empty/, '\u0000');
  });

  describe('v1, where the v2 routes are missing (emulated by a proxy that 404s /api/v2)', () => {
    let proxy: TempoProxy;
    before(async () => {
      proxy = await startProxy(server.origin, { hideV2: true });
    });
    const old = () => clientFor(server, { baseUrl: proxy.origin });
    after(() => proxy.close());

    it('tag names as one unscoped list', async () => {
      const r = await old().tags();
      assert.equal(r.route, 'v1');
      assert.equal(r.scopes.length, 1);
      for (const t of ['service.name', 'code.function.name', 'http.route'])
        assert.ok(r.scopes[0]!.tags.includes(t), t);
      assert.ok(tagCompletions(r, 'http.ro').includes('.http.route'));
    });

    it('values of a scoped identifier, asked for without its scope', async () => {
      proxy.requests.length = 0;
      const r = await old().tagValues('resource.service.name');
      assert.equal(r.route, 'v1');
      assert.deepEqual(r.values.map((v) => v.value).sort(), SERVICES);
      assert.deepEqual(proxy.paths(), [
        '/api/v2/search/tag/resource.service.name/values',
        '/api/search/tag/service.name/values',
      ]);
    });
  });
});
