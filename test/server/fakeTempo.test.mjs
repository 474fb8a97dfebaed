// Checks that the fake Tempo answers like the recorded Tempo 2.0.1 (and like a current Tempo in 'v2'
// mode). Run: npx mocha --no-config test/server/fakeTempo.test.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FIXTURES_DIR, encodeTracesData, startFakeTempo } from './fakeTempo.mjs';

/* global describe, it, before, after */

const fixture = (name) => readFileSync(join(DEFAULT_FIXTURES_DIR, name));
const TRACE = 'a8e00f77b50a734539bf0e48eec6bec4';
const BIG = '85c5a3cd3c3f9a71b94e6401754cd3e0';

async function get(base, path, headers = {}) {
  const res = await fetch(base + path, { headers });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

describe('fake Tempo', function () {
  describe("mode '2.0.1'", function () {
    let tempo;
    before(async () => (tempo = await startFakeTempo({ mode: '2.0.1' })));
    after(() => tempo.close());

    it('serves the recorded JSON and protobuf for a trace, any case', async function () {
      const json = await get(tempo.url, `/api/traces/${TRACE.toUpperCase()}`);
      assert.equal(json.status, 200);
      assert.equal(json.type, 'application/json');
      assert.equal(json.body.toString(), fixture('tempo-2.0.1-trace-v1.json').toString().trim());
      const pb = await get(tempo.url, `/api/traces/${BIG}`, { Accept: 'application/protobuf' });
      assert.equal(pb.type, 'application/protobuf');
      assert.ok(pb.body.equals(fixture('tempo-2.0.1-trace-v1-2001spans.pb')));
    });

    it('left-pads short IDs like Tempo', async function () {
      const r = await get(tempo.url, '/api/traces/123456789abcdef');
      assert.equal(r.status, 200);
      assert.match(r.body.toString(), /span from bash!/);
    });

    it('answers unknown, bad and v2 requests like the recordings', async function () {
      const missing = await get(tempo.url, '/api/traces/00000000000000000000000000000001');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.toString(), fixture('tempo-2.0.1-trace-v1-404.txt').toString());
      const bad = await get(tempo.url, '/api/traces/xyz');
      assert.equal(bad.status, 400);
      assert.equal(bad.body.toString(), fixture('tempo-2.0.1-trace-v1-400.txt').toString());
      const v2 = await get(tempo.url, `/api/v2/traces/${TRACE}`);
      assert.equal(v2.status, 404);
      assert.equal(v2.body.toString(), fixture('tempo-2.0.1-v2-route-404.txt').toString());
      const build = await get(tempo.url, '/api/status/buildinfo');
      assert.equal(build.status, 404);
      assert.equal(build.body.toString(), fixture('tempo-2.0.1-buildinfo-404.txt').toString());
    });

    it('computes the recorded TraceQL search result from the indexed traces', async function () {
      const q = encodeURIComponent('{ .service.name = "data-fetch" }');
      const r = await get(tempo.url, `/api/search?q=${q}`);
      assert.equal(r.body.toString(), fixture('tempo-2.0.1-search-traceql.json').toString().trim());
    });

    it('serves tags, tag values, echo and ready, and records requests', async function () {
      assert.deepEqual(
        JSON.parse((await get(tempo.url, '/api/search/tags')).body),
        JSON.parse(fixture('tempo-2.0.1-search-tags.json')),
      );
      assert.deepEqual(
        JSON.parse((await get(tempo.url, '/api/search/tag/service.name/values')).body),
        JSON.parse(fixture('tempo-2.0.1-tag-values.json')),
      );
      assert.equal((await get(tempo.url, '/api/echo')).body.toString(), 'echo\n');
      assert.equal((await get(tempo.url, '/ready')).body.toString(), 'ready\n');
      assert.ok(tempo.requests.some((r) => r.path === '/api/echo' && r.status === 200));
    });
  });

  describe("mode 'v2'", function () {
    let tempo;
    before(async () => (tempo = await startFakeTempo({ mode: 'v2' })));
    after(() => tempo.close());

    it('wraps the trace in the v2 envelope (JSON and protobuf)', async function () {
      const json = JSON.parse((await get(tempo.url, `/api/v2/traces/${TRACE}`)).body);
      assert.deepEqual(json.trace.resourceSpans, JSON.parse(fixture('tempo-2.0.1-trace-v1.json')).batches);
      assert.ok(json.metrics);
      const pb = (await get(tempo.url, `/api/v2/traces/${TRACE}`, { Accept: 'application/protobuf' })).body;
      const inner = fixture('tempo-2.0.1-trace-v1.pb');
      // field 1, length-delimited (0x0a), varint length 2382 = 0xce 0x12
      assert.deepEqual([...pb.subarray(0, 3)], [0x0a, 0xce, 0x12]);
      assert.ok(pb.subarray(3, 3 + inner.length).equals(inner));
    });

    it('answers 200 with an empty trace for an unknown ID, 404 with an empty body on v1', async function () {
      const v2 = await get(tempo.url, '/api/v2/traces/00000000000000000000000000000001');
      assert.equal(v2.status, 200);
      assert.equal(v2.body.toString(), '{"trace":{},"metrics":{}}');
      const v1 = await get(tempo.url, '/api/traces/00000000000000000000000000000001');
      assert.equal(v1.status, 404);
      assert.equal(v1.body.length, 0);
    });
  });

  it('encodes OTLP JSON to the same protobuf bytes Tempo sent', function () {
    for (const name of ['tempo-2.0.1-trace-v1', 'tempo-2.0.1-trace-v1-2001spans']) {
      const json = JSON.parse(fixture(`${name}.json`));
      assert.ok(encodeTracesData(json.batches).equals(fixture(`${name}.pb`)), name);
    }
  });
});
