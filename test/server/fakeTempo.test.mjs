// Checks that the fake Tempo answers like the recorded Tempo 2.0.1, like a current Tempo in 'v2'
// mode, and like the recorded Tempo 3.0.3 in '3.0.3' mode. Part of the unit tier (.mocharc.json);
// alone: npx mocha --no-config test/server/fakeTempo.test.mjs
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_FIXTURES_DIR,
  TraceQLError,
  encodeTracesData,
  parseTraceQL,
  startFakeTempo,
} from './fakeTempo.mjs';

/* global describe, it, before, after */

const fixture = (name) => readFileSync(join(DEFAULT_FIXTURES_DIR, name));
const TRACE = 'a8e00f77b50a734539bf0e48eec6bec4';
const BIG = '85c5a3cd3c3f9a71b94e6401754cd3e0';
/** Spans of TRACE by span ID (hex), from tempo-2.0.1-trace-v1.json. */
const SPAN = {
  root: 'ac2b7961bf24397d', // workflow.execute, 5.2 s
  validate: '435c7728be227427', // node.ValidateInputNode
  transform: '1bdb53cdbdad1e30', // node.TransformNode
  fetch: 'b864023c7ce958f2', // node.DataFetchNode, 4.3 s, /app/src/nodes/DataFetchNode.ts:55
  get: '88e12c98928f2acd', // GET, 4.2 s
  notify: '9cde4f0d0129781e', // node.NotifyNode, status error
};

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
    // ignoreRange: search answers the recorded times, so its bytes are the recording's.
    before(async () => (tempo = await startFakeTempo({ mode: '2.0.1', ignoreRange: true })));
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

  describe('TraceQL search (both modes)', function () {
    let tempo;
    let v2;
    before(async () => {
      // The recorded times (see "search in time" for the default, which moves them).
      tempo = await startFakeTempo({ mode: '2.0.1', ignoreRange: true });
      v2 = await startFakeTempo({ mode: 'v2', ignoreRange: true });
    });
    after(() => Promise.all([tempo.close(), v2.close()]));

    /** Runs a search; returns the status and the parsed body (or the text of an error). */
    async function search(q, extra = '', base = tempo.url) {
      const r = await get(base, `/api/search?q=${encodeURIComponent(q)}${extra}`);
      const text = r.body.toString();
      return { status: r.status, body: r.status === 200 ? JSON.parse(text) : text };
    }
    /** The matched spans of TRACE for `q` (spss=0: all of them), or undefined when it did not match. */
    async function spansOf(q, extra = '') {
      const { status, body } = await search(q, `&spss=0${extra}`);
      assert.equal(status, 200, String(body));
      return body.traces.find((t) => t.traceID === TRACE)?.spanSet;
    }
    const ids = (set) => set.spans.map((s) => s.spanID).sort();

    it('keeps the recorded result for an unscoped attribute, and resource. scope gives the same', async function () {
      const recorded = JSON.parse(fixture('tempo-2.0.1-search-traceql.json'));
      const { body } = await search('{ resource.service.name = "data-fetch" }');
      assert.deepEqual(body, recorded);
      // span. scope: service.name is a resource attribute, so nothing matches.
      assert.deepEqual((await search('{ span.service.name = "data-fetch" }')).body.traces, []);
    });

    it('&& and || inside a spanset act on one span; the named attributes come back', async function () {
      const both = await spansOf(
        '{ span.code.filepath = "/app/src/nodes/DataFetchNode.ts" && span.code.lineno = 55 }',
      );
      assert.equal(both.matched, 1);
      assert.deepEqual(both.spans[0], {
        spanID: SPAN.fetch,
        startTimeUnixNano: '1795469688178000000',
        durationNanos: '4300000000',
        attributes: [
          { key: 'code.filepath', value: { stringValue: '/app/src/nodes/DataFetchNode.ts' } },
          { key: 'code.lineno', value: { intValue: '55' } },
        ],
      });
      // No span has both: the line of another file.
      assert.equal(
        await spansOf('{ span.code.filepath = "/app/src/nodes/DataFetchNode.ts" && span.code.lineno = 61 }'),
        undefined,
      );
      const either = await spansOf('{ name = "GET" || name = "node.NotifyNode" }');
      assert.deepEqual(ids(either), [SPAN.get, SPAN.notify].sort());
      // `name` is a field of its own, not an attribute.
      assert.ok(either.spans.every((s) => s.attributes === undefined));
    });

    it('evaluates !=, =~, !~ and parentheses; a missing attribute fails every operator', async function () {
      // node.DataFetchNode and GET run in data-fetch; ValidateInputNode has code.file.path, not code.filepath.
      const ne = await spansOf('{ .service.name != "data-fetch" && span.code.filepath != "" }');
      assert.deepEqual(ids(ne), [SPAN.root, SPAN.transform, SPAN.notify].sort());
      const re = await spansOf(String.raw`{ span.code.filepath =~ "Node\\.ts$" }`);
      assert.deepEqual(ids(re), [SPAN.transform, SPAN.fetch, SPAN.notify].sort());
      // Unanchored, as Go's regexp.MatchString in Tempo 2.0.
      assert.deepEqual(ids(await spansOf('{ span.code.function =~ "fetch" }')), [SPAN.fetch]);
      // code.function: WorkflowRunner.execute, run, DataFetchNode.fetch, NotifyNode.send (ValidateInputNode has none).
      const notRe = await spansOf('{ span.code.function !~ "Node" }');
      assert.deepEqual(ids(notRe), [SPAN.root, SPAN.transform].sort());
      const grouped = await spansOf(
        '{ (name = "GET" || name = "node.DataFetchNode") && resource.service.name = "data-fetch" && !(name = "GET") }',
      );
      assert.deepEqual(ids(grouped), [SPAN.fetch]);
      // nil tests presence.
      assert.deepEqual(ids(await spansOf('{ span.code.file.path != nil }')), [SPAN.validate]);
    });

    it('compares durations and numbers: duration > 1s, < 200ms, http status codes', async function () {
      const slow = await spansOf('{ duration > 1s }');
      assert.deepEqual(ids(slow), [SPAN.root, SPAN.fetch, SPAN.get].sort());
      const fast = await spansOf('{ duration < 200ms }');
      assert.deepEqual(ids(fast), [SPAN.validate]);
      assert.deepEqual(ids(await spansOf('{ duration >= 4.3s && duration <= 4300ms }')), [SPAN.fetch]);
      assert.deepEqual(ids(await spansOf('{ span.http.response.status_code = 200 }')), [SPAN.get]);
      assert.deepEqual(ids(await spansOf('{ span.http.response.status_code > 199 }')), [SPAN.get]);
      // A number never equals a string attribute, nor a string an int one.
      assert.equal(await spansOf('{ span.http.response.status_code = "200" }'), undefined);
      // The trace-level intrinsics.
      assert.equal((await spansOf('{ traceDuration > 5s && rootName = "workflow.execute" }')).matched, 6);
    });

    it('status = error returns the failed span with its status attribute; kind works too', async function () {
      const failed = await spansOf('{ status = error }');
      assert.deepEqual(failed.spans, [
        {
          spanID: SPAN.notify,
          startTimeUnixNano: '1795469692488000000',
          durationNanos: '400000000',
          attributes: [{ key: 'status', value: { stringValue: 'error' } }],
        },
      ]);
      assert.equal((await spansOf('{ status != error }')).matched, 5);
      assert.deepEqual(ids(await spansOf('{ kind = client }')), [SPAN.get]);
      assert.deepEqual(ids(await spansOf('{ span:status = error && span:name = "node.NotifyNode" }')), [
        SPAN.notify,
      ]);
    });

    it('evaluates the CodeLens query for DataFetchNode.fetch (Go escapes, regexes, nesting)', async function () {
      // What functionQuery({ name: 'fetch', container: 'DataFetchNode', relativePath: 'src/nodes/DataFetchNode.ts' }) renders.
      const cond = String.raw`span.code.function.name =~ "^(?:.*[.:/#\\\\])?DataFetchNode\\.fetch$" || span.code.function =~ "^(?:.*[.:/#\\\\])?DataFetchNode\\.fetch$" || (span.code.namespace =~ "^(?:.*[.:/#\\\\])?DataFetchNode$" && span.code.function = "fetch") || ((span.code.function.name =~ "^(?:.*[.:/#\\\\])?fetch$" || span.code.function = "fetch") && (span.code.filepath =~ "^(?:.*[/\\\\])?src[/\\\\]nodes[/\\\\]DataFetchNode\\.ts$" || span.code.file.path =~ "^(?:.*[/\\\\])?src[/\\\\]nodes[/\\\\]DataFetchNode\\.ts$"))`;
      const q = `{ ${cond} }`;
      const set = await spansOf(q, '&limit=100');
      assert.equal(set.matched, 1);
      assert.equal(set.spans[0].spanID, SPAN.fetch);
      // Every attribute the query named and the span has, once: what the client filters on again.
      assert.deepEqual(set.spans[0].attributes, [
        { key: 'code.function', value: { stringValue: 'DataFetchNode.fetch' } },
        { key: 'code.filepath', value: { stringValue: '/app/src/nodes/DataFetchNode.ts' } },
      ]);
      // functionQuery(target, true): the same in parentheses, and failed.
      const failing = await search(`{ (${cond}) && status = error }`);
      assert.equal(failing.status, 200, String(failing.body));
      assert.deepEqual(failing.body.traces, []);
    });

    it('groups && and || from the left, as Tempo does, and names what it cannot evaluate', async function () {
      // Tempo's grammar gives && and || one precedence: (GET || NotifyNode) && error.
      const mixed = await spansOf('{ name = "GET" || name = "node.NotifyNode" && status = error }');
      assert.deepEqual(ids(mixed), [SPAN.notify]);
      const structural = await search('{ name = "GET" } >> { status = error }');
      assert.equal(structural.status, 400);
      assert.equal(structural.body, 'invalid TraceQL query: unsupported at 18: structural operator ">>"\n');
      // Tempo's type rules: a status is compared with a status word, not a string.
      assert.equal((await search('{ status = "error" }')).status, 400);
    });

    it('spanset operators: { } && { } needs both, { } || { } takes either', async function () {
      const and = await spansOf('{ name = "GET" } && { status = error }');
      assert.deepEqual(ids(and), [SPAN.get, SPAN.notify].sort());
      assert.equal(await spansOf('{ name = "GET" } && { name = "no such span" }'), undefined);
      const or = await spansOf('{ name = "GET" } || { name = "no such span" }');
      assert.deepEqual(ids(or), [SPAN.get]);
      // {} matches every span of every trace.
      assert.equal((await spansOf('{}')).matched, 6);
    });

    it('honours limit and spss, never filters by start/end with ignoreRange, checks that start is before end', async function () {
      const all = await search('{}', '&spss=2');
      assert.equal(all.status, 200);
      assert.equal(all.body.traces.length, tempo.traceIds.length);
      for (const t of all.body.traces)
        assert.ok(t.spanSet.spans.length <= 2 && t.spanSet.matched >= t.spanSet.spans.length);
      // Newest first; limit keeps the first ones.
      const starts = all.body.traces.map((t) => BigInt(t.startTimeUnixNano));
      assert.deepEqual(
        starts,
        [...starts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)),
      );
      const two = await search('{}', '&limit=2');
      assert.deepEqual(
        two.body.traces.map((t) => t.traceID),
        all.body.traces.slice(0, 2).map((t) => t.traceID),
      );
      // A window in 1970 still finds the 2026 traces: a backend that ignores the range.
      const old = await search('{ name = "GET" }', '&start=0&end=3600');
      assert.deepEqual(
        old.body.traces.map((t) => t.traceID),
        [TRACE],
      );
      const backwards = await search('{ name = "GET" }', '&start=3600&end=0');
      assert.equal(backwards.status, 400);
      assert.match(backwards.body, /start must be before end/);
    });

    it('answers 400 for what it cannot parse, 404 for TraceQL metrics', async function () {
      for (const q of [
        '{ name = }',
        'name = "GET"',
        '{ name = "GET"',
        '{ .a = "x" } | count() > 1',
        '{ .a =~ "(" }',
      ]) {
        const r = await search(q);
        assert.equal(r.status, 400, q);
        assert.match(r.body, /^invalid TraceQL query: /, q);
      }
      assert.throws(() => parseTraceQL('{ span.x = "unterminated }'), TraceQLError);
      for (const base of [tempo.url, v2.url]) {
        const m = await get(base, `/api/metrics/query_range?q=${encodeURIComponent('{} | rate()')}`);
        assert.equal(m.status, 404);
      }
    });

    it("mode 'v2' adds span names and spanSets", async function () {
      const { body } = await search('{ name = "GET" }', '', v2.url);
      const hit = body.traces.find((t) => t.traceID === TRACE);
      assert.equal(hit.spanSets.length, 1);
      assert.deepEqual(hit.spanSets[0], hit.spanSet);
      assert.equal(hit.spanSet.spans[0].name, 'GET');
      assert.ok(body.metrics.completedJobs >= 1);
    });
  });

  it('encodes OTLP JSON to the same protobuf bytes Tempo sent', function () {
    for (const name of ['tempo-2.0.1-trace-v1', 'tempo-2.0.1-trace-v1-2001spans']) {
      const json = JSON.parse(fixture(`${name}.json`));
      assert.ok(encodeTracesData(json.batches).equals(fixture(`${name}.pb`)), name);
    }
  });
});

describe('fake Tempo: search in time (the default)', function () {
  const AGE_MS = 10 * 60_000;
  let clock;
  let tempo;
  let tempo3;
  before(async () => {
    clock = Date.UTC(2027, 0, 5, 12, 0, 0);
    tempo = await startFakeTempo({ mode: '2.0.1', now: () => clock });
    tempo3 = await startFakeTempo({ mode: '3.0.3', now: () => clock, cutoffMs: 0 });
  });
  after(() => Promise.all([tempo.close(), tempo3.close()]));

  async function search(base, q, extra = '') {
    const r = await get(base, `/api/search?q=${encodeURIComponent(q)}&spss=0${extra}`);
    assert.equal(r.status, 200, r.body.toString());
    return JSON.parse(r.body.toString()).traces;
  }
  const sec = (ms) => Math.floor(ms / 1000);

  it('places each trace as if it ended ageMs before the start, span sets moved with it', async function () {
    const [hit] = (await search(tempo.url, '{ name = "node.DataFetchNode" }')).filter(
      (t) => t.traceID === TRACE,
    );
    // TRACE lasts 5.2 s and ends 10 min before the fake started: it starts 5.2 s earlier.
    assert.equal(hit.startTimeUnixNano, String(BigInt(clock - AGE_MS - 5200) * 1_000_000n));
    // node.DataFetchNode starts 450 ms after the root, as recorded.
    assert.equal(
      BigInt(hit.spanSet.spans[0].startTimeUnixNano) - BigInt(hit.startTimeUnixNano),
      450_000_000n,
    );
  });

  it('keeps only the traces that overlap start/end (Unix seconds)', async function () {
    const hour = `&start=${sec(clock) - 3600}&end=${sec(clock)}`;
    assert.deepEqual(
      (await search(tempo.url, '{ name = "GET" }', hour)).map((t) => t.traceID),
      [TRACE],
    );
    // The recording's day, and 1970: nothing there now.
    const recordedDay = Date.UTC(2026, 10, 23);
    assert.deepEqual(
      await search(tempo.url, '{}', `&start=${sec(recordedDay)}&end=${sec(recordedDay) + 86400}`),
      [],
    );
    assert.deepEqual(await search(tempo.url, '{}', '&start=0&end=3600'), []);
    // The last 5 minutes: ended 10 minutes ago, so left out.
    assert.deepEqual(await search(tempo.url, '{}', `&start=${sec(clock) - 300}&end=${sec(clock)}`), []);
    // Switched to ignoring the range (as the e2e host tests do): the recorded times, any window.
    assert.equal((await get(tempo.url, '/__ignoreRange?on=1')).status, 204);
    try {
      const old = await search(tempo.url, '{ name = "GET" }', '&start=0&end=3600');
      assert.deepEqual(
        old.map((t) => [t.traceID, t.startTimeUnixNano]),
        [[TRACE, '1795469687728000000']],
      );
    } finally {
      await get(tempo.url, '/__ignoreRange?on=0');
    }
    assert.deepEqual(await search(tempo.url, '{}', '&start=0&end=3600'), []);
  });

  it('3.0.3: a trace received now is found now, where metrics place it', async function () {
    const [id] = tempo3.traceIds;
    const last5 = `&start=${sec(clock) - 300}&end=${sec(clock)}`;
    assert.deepEqual(await search(tempo3.url, '{}', last5), []);
    tempo3.receive(id, clock);
    const hits = await search(tempo3.url, '{}', last5);
    assert.deepEqual(
      hits.map((t) => t.traceID.padStart(32, '0')),
      [id],
    );
  });
});

describe('fake Tempo: extra fixture folders', function () {
  it('serves the traces of test/fixtures/hostile next to the recorded ones, as JSON and protobuf', async function () {
    const tempo = await startFakeTempo({
      extraFixturesDirs: [join(DEFAULT_FIXTURES_DIR, '..', 'hostile')],
    });
    try {
      const json = await get(tempo.url, '/api/traces/1717deadbeef1717deadbeef1717dead');
      assert.equal(json.status, 200);
      assert.match(json.body.toString(), /\/proc\/self\/environ/);
      const pb = await get(tempo.url, '/api/traces/1717deadbeef1717deadbeef1717dead', {
        Accept: 'application/protobuf',
      });
      assert.equal(pb.type, 'application/protobuf');
      assert.ok(pb.body.includes(Buffer.from('/proc/self/environ')));
      assert.equal((await get(tempo.url, `/api/traces/${TRACE}`)).status, 200, 'the recorded traces stay');
    } finally {
      await tempo.close();
    }
  });
});

describe("fake Tempo: mode '3.0.3' (replaying the Tempo 3.0.3 recordings)", function () {
  const STORY = '1ee91d9a9907b7d1d81164bfbcfda7fb';
  const DIR = join(DEFAULT_FIXTURES_DIR, 'tempo-3.0.3');
  const rec = (name) => readFileSync(join(DIR, name));
  const recJson = (name) => JSON.parse(rec(name));
  let only3;
  let clock;
  let tempo;

  before(async function () {
    // A fixtures folder holding only the 3.0.3 recordings, so figures are the story trace's alone.
    only3 = mkdtempSync(join(tmpdir(), 'fake-tempo-3-'));
    symlinkSync(DIR, join(only3, 'tempo-3.0.3'), 'dir');
    clock = Date.now();
    tempo = await startFakeTempo({ mode: '3.0.3', fixturesDir: only3, now: () => clock, ignoreRange: true });
  });
  after(async function () {
    await tempo.close();
    rmSync(only3, { recursive: true, force: true });
  });

  const metrics = async (route, q, extra = '') => {
    const r = await get(tempo.url, `/api/metrics/${route}?q=${encodeURIComponent(q)}${extra}`);
    assert.equal(r.status, 200, r.body.toString());
    return JSON.parse(r.body);
  };
  const hourAgo = () => `&start=${Math.floor(clock / 1000) - 3600}&end=${Math.floor(clock / 1000)}`;
  const value = (s) => s.samples.filter((x) => 'value' in x);

  it('trace by ID: the recorded v1 and v2 bytes, JSON and protobuf, and the llm answer as …+json', async function () {
    const v2 = await get(tempo.url, `/api/v2/traces/${STORY}`);
    assert.equal(v2.body.toString(), rec(`v2-${STORY}.json`).toString().trim());
    const v2pb = await get(tempo.url, `/api/v2/traces/${STORY}`, { Accept: 'application/protobuf' });
    assert.ok(v2pb.body.equals(rec(`v2-${STORY}.pb`)));
    const v1pb = await get(tempo.url, `/api/traces/${STORY}`, { Accept: 'application/protobuf' });
    assert.ok(v1pb.body.equals(rec(`v1-${STORY}.pb`)));
    const llm = await get(tempo.url, `/api/v2/traces/${STORY}`, { Accept: 'application/vnd.grafana.llm' });
    assert.equal(llm.type, 'application/vnd.grafana.llm+json');
    assert.deepEqual(JSON.parse(llm.body), recJson(`v2-llm-${STORY}.json`));
  });

  it('not found, malformed ID, buildinfo and diff: as recorded', async function () {
    const missing = '00000000000000000000000000000001';
    assert.equal(
      (await get(tempo.url, `/api/v2/traces/${missing}`)).body.toString(),
      rec('trace-v2-404.txt').toString(),
    );
    const v1 = await get(tempo.url, `/api/traces/${missing}`);
    assert.deepEqual([v1.status, v1.body.length], [404, 0]);
    const bad = await get(tempo.url, '/api/traces/not-hex');
    assert.deepEqual(
      [bad.status, bad.body.toString().trim()],
      [400, rec('trace-badid.txt').toString().trim()],
    );
    assert.deepEqual(
      JSON.parse((await get(tempo.url, '/api/status/buildinfo')).body),
      recJson('buildinfo.json'),
    );
    const diff = await fetch(`${tempo.url}/api/v2/traces/diff`, { method: 'POST', body: '{}' });
    assert.equal(diff.status, 400);
    assert.equal(await diff.text(), rec('diff-on-3.0.3.txt').toString());
  });

  it('search: the recorded hit (serviceStats, no span names); spss 0 is 3; over 100 refused; durations ignored beside q', async function () {
    const q = encodeURIComponent('{ resource.service.name = "notifier" }');
    const r = JSON.parse((await get(tempo.url, `/api/search?q=${q}`)).body);
    assert.deepEqual(r.traces, recJson('search-basic.json').traces);
    const all = encodeURIComponent('{ }');
    const spss0 = JSON.parse((await get(tempo.url, `/api/search?q=${all}&spss=0`)).body);
    assert.equal(spss0.traces[0].spanSets[0].spans.length, 3);
    assert.equal(spss0.traces[0].spanSets[0].matched, 6);
    assert.equal((await get(tempo.url, `/api/search?q=${all}&spss=101`)).status, 400);
    const slow = JSON.parse((await get(tempo.url, `/api/search?q=${all}&minDuration=1h`)).body);
    assert.equal(slow.traces.length, 1, 'minDuration beside q is ignored, as Tempo 3.0.3 does');
  });

  it("tags: 3.0's scopes with the recorded intrinsics; typed values", async function () {
    const tags = JSON.parse((await get(tempo.url, '/api/v2/search/tags')).body);
    const recorded = recJson('tags-v2.json');
    assert.deepEqual(
      tags.scopes.map((s) => s.name),
      recorded.scopes.map((s) => s.name),
    );
    assert.deepEqual(tags.scopes[2].tags, recorded.scopes[2].tags);
    assert.ok(tags.scopes.find((s) => s.name === 'event').tags.includes('exception.message'));
    const values = JSON.parse((await get(tempo.url, '/api/v2/search/tag/span.code.lineno/values')).body);
    assert.ok(
      values.tagValues.every((v) => v.type === 'int'),
      JSON.stringify(values),
    );
  });

  it('metrics: the recorded label shapes, value-less steps, exemplars with exact values, bucketed quantiles', async function () {
    const fetchQ = '{ span.code.function = "DataFetchNode.fetch" }';
    const noby = await metrics(
      'query_range',
      `${fetchQ} | quantile_over_time(duration, .5, .95)`,
      `${hourAgo()}&step=60s`,
    );
    const recorded = recJson('metrics-range-quantile-noby.json');
    assert.deepEqual(
      noby.series.map((s) => s.labels),
      recorded.series.map((s) => s.labels),
    );
    for (const s of noby.series) {
      assert.deepEqual(
        value(s).map((x) => x.value),
        [8.589934592],
      );
      assert.ok(s.samples.length >= 60 && s.samples.every((x) => typeof x.timestampMs === 'string'));
    }
    const sortLabels = (e) => [...e.labels].sort((a, b) => a.key.localeCompare(b.key));
    assert.deepEqual(sortLabels(noby.series[0].exemplars[0]), sortLabels(recorded.series[0].exemplars[0]));
    assert.equal(noby.series[0].exemplars[0].value, 4.3);
    assert.equal(noby.series[1].exemplars, undefined);
    const by = await metrics(
      'query_range',
      `${fetchQ} | quantile_over_time(duration, .5, .95) by (span.code.function)`,
      `${hourAgo()}&step=60s`,
    );
    assert.deepEqual(
      by.series.map((s) => s.labels),
      recJson('metrics-range-quantile.json').series.map((s) => s.labels),
    );
    const rate = await metrics(
      'query_range',
      '{ resource.service.name = "notifier" } | rate()',
      `${hourAgo()}&step=60s`,
    );
    assert.deepEqual(rate.series[0].labels, recJson('metrics-range-rate.json').series[0].labels);
    assert.deepEqual(
      value(rate.series[0]).map((x) => x.value),
      [1 / 60],
    );
    const counts = await metrics('query', '{ } | count_over_time() by (status)', hourAgo());
    assert.deepEqual(counts.series.map((s) => [s.labels[0].value.stringValue, s.value]).sort(), [
      ['error', 1],
      ['unset', 5],
    ]);
    const instant = await metrics('query', `${fetchQ} | quantile_over_time(duration, .5, .95)`, hourAgo());
    assert.deepEqual(instant, recJson('metrics-instant-quantile.json'));
    const exact = await metrics('query', `${fetchQ} | max_over_time(duration)`, hourAgo());
    assert.deepEqual(exact.series, [
      { labels: [{ key: '__name__', value: { stringValue: 'max_over_time' } }], value: 4.3 },
    ]);
  });

  it('the cut-off: a trace received just now is in trace by ID only, until the cut-off has passed', async function () {
    // 20 min 30 s into an hour: where the hour and the minute end is known.
    const HOUR = 3_600_000;
    clock = Math.floor(Date.now() / HOUR) * HOUR + 20 * 60_000 + 30_000;
    tempo.receive(STORY);
    const q = encodeURIComponent('{ resource.service.name = "notifier" }');
    const search = async () => JSON.parse((await get(tempo.url, `/api/search?q=${q}`)).body).traces.length;
    const services = async () =>
      JSON.parse((await get(tempo.url, '/api/v2/search/tag/resource.service.name/values')).body).tagValues;
    const count = async (route, extra = '') => {
      const body = await metrics(route, '{ } | count_over_time()', `${hourAgo()}${extra}`);
      return body.series.reduce(
        (n, s) => n + (s.samples ? value(s).reduce((m, x) => m + x.value, 0) : (s.value ?? 0)),
        0,
      );
    };
    assert.equal((await get(tempo.url, `/api/v2/traces/${STORY}`)).status, 200);
    assert.equal(await search(), 0);
    assert.deepEqual(await services(), []);
    assert.equal(await count('query'), 0);
    assert.equal(await count('query_range', '&step=60s'), 0);
    clock += 31_000;
    assert.equal(await search(), 1, 'after the cut-off');
    assert.equal((await services()).length, 3);
    assert.equal(await count('query'), 6, 'the instant query sees it once the cut-off has passed');
    assert.equal(await count('query_range', '&step=60s'), 0, 'not yet: its 60 s step ends past the cut-off');
    clock += 60_000;
    assert.equal(
      await count('query_range', '&step=60s'),
      6,
      '60 s steps: once the span’s step is past the cut-off',
    );
    // One step of an hour: the current hour's step lies beyond the cut-off until the hour is over.
    assert.equal(await count('query_range', '&step=3600s'), 0);
    clock += 40 * 60_000;
    assert.equal(await count('query_range', '&step=3600s&start=' + Math.floor((clock - HOUR) / 1000)), 6);
  });

  it('0 s cut-off: nothing recent is left out', async function () {
    const t = await startFakeTempo({ mode: '3.0.3', fixturesDir: only3, cutoffMs: 0 });
    try {
      t.receive(STORY);
      const q = encodeURIComponent('{ resource.service.name = "notifier" }');
      assert.equal(JSON.parse((await get(t.url, `/api/search?q=${q}`)).body).traces.length, 1);
    } finally {
      await t.close();
    }
  });
});
