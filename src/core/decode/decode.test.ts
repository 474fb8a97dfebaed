import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanFlag, spanIdAt, type TraceModel } from '../../shared/model';
import { criticalPath, summarize } from '../analysis';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '.';
import { encodeOtlpProto, encodeTraceByIdResponse } from './testing/otlpEncode';
import { fixtureFiles, TEMPO_FIXTURES } from './testing/testSupport';

/**
 * What each trace fixture must decode to. Worked out from the JSON with a separate Python script
 * (base64/hex IDs decoded by hand, trees built from parentSpanId, times subtracted as integers),
 * not by running this decoder.
 */
interface Expected {
  traceId: string;
  spanCount: number;
  rootName: string;
  rootService: string;
  traceStartUnixNano: string;
  durationNs: number;
  /** In depth-first order of first use. */
  services: string[];
  errorCount: number;
  hasCodeCount: number;
  orphanCount: number;
  maxDepth: number;
  criticalPathLength: number;
  topContributor: { spanId: string; name: string; selfTimeNs: number };
  /** Span IDs in depth-first order, for the small traces. */
  order?: string[];
  partial?: string;
}

const WORKFLOW: Expected = {
  traceId: 'a8e00f77b50a734539bf0e48eec6bec4',
  spanCount: 6,
  rootName: 'workflow.execute',
  rootService: 'workflow-engine',
  traceStartUnixNano: '1795469687728000000',
  durationNs: 5_200_000_000,
  services: ['workflow-engine', 'data-fetch', 'notifier'],
  errorCount: 1,
  hasCodeCount: 6,
  orphanCount: 0,
  maxDepth: 2,
  criticalPathLength: 6,
  topContributor: { spanId: '88e12c98928f2acd', name: 'GET', selfTimeNs: 4_200_000_000 },
  order: [
    'ac2b7961bf24397d',
    '435c7728be227427',
    '1bdb53cdbdad1e30',
    'b864023c7ce958f2',
    '88e12c98928f2acd',
    '9cde4f0d0129781e',
  ],
};

const BATCH: Expected = {
  traceId: '85c5a3cd3c3f9a71b94e6401754cd3e0',
  spanCount: 2001,
  rootName: 'POST /batches',
  rootService: 'batch-api',
  traceStartUnixNano: '1795469891528000000',
  durationNs: 6_115_600_098,
  services: ['batch-api', 'batch-worker', 'postgres-proxy'],
  errorCount: 4,
  hasCodeCount: 2001,
  orphanCount: 0,
  maxDepth: 2,
  criticalPathLength: 501,
  // A fan-out has many equally long chains of items; the walk takes one through the 808 ms
  // outlier (a cut on a whole millisecond lets an item ending 0.5 ms after it count as before).
  topContributor: { spanId: 'ff6ad09cd04fe923', name: 'SELECT items', selfTimeNs: 808_000_000 },
};

const SERVER_SPAN_5B: Expected = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanCount: 1,
  rootName: "I'm a server span",
  rootService: 'my.service',
  traceStartUnixNano: '1544712660000000000',
  durationNs: 1_000_000_000,
  services: ['my.service'],
  errorCount: 0,
  hasCodeCount: 0,
  // Its parentSpanId (eee19b7ec3c1b173) is not in the trace.
  orphanCount: 1,
  maxDepth: 0,
  criticalPathLength: 1,
  topContributor: { spanId: 'eee19b7ec3c1b174', name: "I'm a server span", selfTimeNs: 1_000_000_000 },
  order: ['eee19b7ec3c1b174'],
};

const EXPECTED: Record<string, Expected> = {
  'tempo-2.0.1-trace-v1.json': WORKFLOW,
  'tempo-2.0.1-trace-v1.pb': WORKFLOW,
  'tempo-2.0.1-trace-v1-2001spans.json': BATCH,
  'tempo-2.0.1-trace-v1-2001spans.pb': BATCH,
  'tempo-2.9.0-v1-trace-by-id.observatorium.json': SERVER_SPAN_5B,
  'otlp-json-ingest-input-5B.observatorium.json': SERVER_SPAN_5B,
  'tempo-jsonpb-trace.vulture.json': {
    traceId: '3149195ffb0bec05347b48efe8ecc1b0',
    spanCount: 6,
    rootName: 'vulture-68',
    rootService: 'tempo-vulture',
    traceStartUnixNano: '1636729665000000000',
    durationNs: 92_000,
    services: ['tempo-vulture'],
    errorCount: 0,
    hasCodeCount: 0,
    orphanCount: 0,
    maxDepth: 3,
    criticalPathLength: 4,
    topContributor: { spanId: '04b1672edf34433d', name: 'vulture-48', selfTimeNs: 84_000 },
    // Two roots with the same start: arrival order breaks the tie.
    order: [
      '4b23de25d1fb6641',
      '3ef58fd67f3c3c44',
      '23483ddcaf958888',
      '04b1672edf34433d',
      '083a27a20c7b6de3',
      '5ef2b292ae1ab9e8',
    ],
  },
  'tempo-v2-trace-by-id.docs.json': {
    traceId: '5b8efff798038103d269b633813fc700',
    spanCount: 1,
    rootName: 'I am a span!',
    rootService: 'my.service',
    traceStartUnixNano: '1689969302000000000',
    durationNs: 698_000_000_000,
    services: ['my.service'],
    errorCount: 0,
    hasCodeCount: 0,
    orphanCount: 0,
    maxDepth: 0,
    criticalPathLength: 1,
    topContributor: { spanId: 'eee19b7ec3c1b100', name: 'I am a span!', selfTimeNs: 698_000_000_000 },
    order: ['eee19b7ec3c1b100'],
  },
  'tempo-1.x-v1-trace-by-id-legacy.docs.json': {
    traceId: '00000000000000000123456789abcdef',
    spanCount: 1,
    rootName: 'span from bash!',
    rootService: 'shell script',
    traceStartUnixNano: '1608239395286533000',
    durationNs: 100_000_000,
    services: ['shell script'],
    errorCount: 0,
    hasCodeCount: 0,
    orphanCount: 0,
    maxDepth: 0,
    criticalPathLength: 1,
    topContributor: { spanId: '0000000000001234', name: 'span from bash!', selfTimeNs: 100_000_000 },
    order: ['0000000000001234'],
  },
};

function read(name: string): Uint8Array {
  const b = readFileSync(join(TEMPO_FIXTURES, name));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** True for fixtures that hold a trace (as opposed to search results, tag lists, error bodies). */
function isTraceFixture(name: string): boolean {
  if (name.endsWith('.pb')) return true;
  if (!name.endsWith('.json')) return false;
  const text = readFileSync(join(TEMPO_FIXTURES, name), 'utf8');
  return /"(batches|resourceSpans|trace)"\s*:/.test(text);
}

function count(model: TraceModel, flag: SpanFlag): number {
  let n = 0;
  for (let i = 0; i < model.spanCount; i++) if (model.columns.flags[i]! & flag) n++;
  return n;
}

describe('decodeTrace on the Tempo fixtures', () => {
  const files = fixtureFiles();

  it('has an expectation for every trace fixture', () => {
    const traces = files.filter(isTraceFixture);
    assert.deepEqual(
      traces.filter((f) => !EXPECTED[f]),
      [],
      'a new trace fixture needs an entry in EXPECTED',
    );
    assert.ok(traces.length >= 9, `found only ${traces.length} trace fixtures in ${TEMPO_FIXTURES}`);
  });

  for (const [file, want] of Object.entries(EXPECTED)) {
    it(file, () => {
      const decoded = decodeTrace(read(file));
      const m = decoded.model;
      const c = m.columns;
      assert.equal(m.traceId, want.traceId);
      assert.equal(m.spanCount, want.spanCount);
      assert.equal(m.strings[c.name[0]!], want.rootName);
      assert.equal(m.services[c.service[0]!], want.rootService);
      assert.equal(m.traceStartUnixNano, want.traceStartUnixNano);
      assert.equal(m.traceStartMs, Math.round(Number(BigInt(want.traceStartUnixNano) / 1000n) / 1000));
      assert.equal(m.durationNs, want.durationNs);
      assert.deepEqual(m.services, want.services);
      assert.equal(count(m, SpanFlag.Error), want.errorCount);
      assert.equal(count(m, SpanFlag.HasCode), want.hasCodeCount);
      assert.equal(count(m, SpanFlag.Orphan), want.orphanCount);
      assert.equal(Math.max(...c.depth), want.maxDepth);
      assert.equal(m.partial, false);
      for (const col of Object.values(c))
        assert.equal(col.length, col === c.spanIdWords ? 2 * m.spanCount : m.spanCount);
      if (want.order) {
        assert.deepEqual(
          Array.from({ length: m.spanCount }, (_, i) => spanIdAt(c, i)),
          want.order,
        );
      }
      // Structure: parents come first, depth and child counts agree with the parent column.
      const kids = new Uint32Array(m.spanCount);
      for (let i = 0; i < m.spanCount; i++) {
        const p = c.parent[i]!;
        assert.ok(p < i, `parent of ${i} comes before it`);
        assert.equal(c.depth[i], p < 0 ? 0 : c.depth[p]! + 1);
        if (p >= 0) kids[p]!++;
        assert.ok(Number.isInteger(c.startNs[i]) && c.startNs[i]! >= 0);
        assert.ok(Number.isInteger(c.durationNs[i]) && c.durationNs[i]! >= 0);
      }
      assert.deepEqual(Array.from(kids), Array.from(c.childCount));

      const s = summarize(m);
      assert.equal(s.criticalPath.length, want.criticalPathLength);
      assert.equal(s.criticalPath[0], 0);
      assert.ok(s.topContributor);
      assert.equal(spanIdAt(c, s.topContributor.index), want.topContributor.spanId);
      assert.equal(s.topContributor.name, want.topContributor.name);
      assert.equal(s.topContributor.selfTimeNs, want.topContributor.selfTimeNs);
      for (let i = 0; i < m.spanCount; i++) {
        const d = decoded.detail(i);
        assert.ok(d);
        assert.equal(d.spanId, spanIdAt(c, i));
      }
      assert.equal(decoded.detail(m.spanCount), undefined);
      assert.equal(decoded.detail(-1), undefined);
    });
  }
});

describe('the workflow trace (tempo-2.0.1-trace-v1)', () => {
  for (const file of ['tempo-2.0.1-trace-v1.json', 'tempo-2.0.1-trace-v1.pb']) {
    it(`${file}: summary, critical path through DataFetchNode → GET, the failed NotifyNode`, () => {
      const decoded = decodeTrace(read(file));
      const m = decoded.model;
      const s = summarize(m);
      assert.equal(s.traceId, 'a8e00f77b50a734539bf0e48eec6bec4');
      assert.equal(s.spanCount, 6);
      assert.equal(s.rootName, 'workflow.execute');
      assert.equal(s.rootService, 'workflow-engine');
      assert.equal(s.durationNs, 5200 * 1e6);
      assert.equal(s.serviceCount, 3);
      assert.equal(s.errorCount, 1);
      const names = Array.from(s.criticalPath, (i) => m.strings[m.columns.name[i]!]);
      const fetch = names.indexOf('node.DataFetchNode');
      assert.ok(fetch > 0, 'DataFetchNode is on the critical path');
      assert.equal(names[fetch + 1], 'GET', 'and so is its GET child, right after it');
      const get = s.criticalPath[fetch + 1]!;
      assert.equal(m.columns.parent[get], s.criticalPath[fetch]);
      assert.ok(m.columns.flags[get]! & SpanFlag.CriticalPath);
      assert.equal(s.topContributor?.name, 'GET');
      assert.equal(s.topContributor?.share, 4200 / 5200);
      // GET starts 480 ms into the trace (1795469688208000000 - 1795469687728000000).
      assert.equal(m.columns.startNs[get], 480_000_000);
      assert.equal(m.columns.durationNs[get], 4_200_000_000);

      const notify = names.indexOf('node.NotifyNode');
      const ni = s.criticalPath[notify]!;
      assert.equal(m.columns.status[ni], 2);
      const d = decoded.detail(ni)!;
      assert.equal(d.statusMessage, 'SMTP 451 temporary failure');
      const ex = d.events.find((e) => e.name === 'exception');
      assert.ok(ex);
      assert.ok(ex.attributes.some((a) => a.key === 'exception.stacktrace'));
      assert.ok(
        ex.timeNs > m.columns.startNs[ni]! && ex.timeNs < m.columns.startNs[ni]! + m.columns.durationNs[ni]!,
      );
      assert.deepEqual(d.scope, { name: 'bizfirst.workflow', version: '1.0.0', attributes: [] });
      assert.deepEqual(
        d.resource.find((a) => a.key === 'service.name'),
        { key: 'service.name', value: 'notifier' },
      );
      assert.deepEqual(
        d.attributes.find((a) => a.key === 'code.lineno'),
        { key: 'code.lineno', value: 12 },
      );
      assert.equal(d.parentSpanId, 'ac2b7961bf24397d');
    });
  }
});

/** Models compared column by column, with the typed arrays turned into plain arrays. */
function plain(d: DecodedTrace): unknown {
  const m = d.model;
  criticalPath(m); // both sides get the same flag, so it cannot hide a difference
  return {
    ...m,
    columns: Object.fromEntries(
      Object.entries(m.columns).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]),
    ),
  };
}

describe('JSON and protobuf of the same trace decode to the same model', () => {
  for (const [json, pb] of [
    ['tempo-2.0.1-trace-v1.json', 'tempo-2.0.1-trace-v1.pb'],
    ['tempo-2.0.1-trace-v1-2001spans.json', 'tempo-2.0.1-trace-v1-2001spans.pb'],
  ] as const) {
    it(`${json} = ${pb}, details included`, () => {
      const a = decodeTrace(read(json));
      const b = decodeTrace(read(pb));
      assert.deepEqual(plain(a), plain(b));
      for (let i = 0; i < a.model.spanCount; i++) assert.deepEqual(a.detail(i), b.detail(i), `detail(${i})`);
    });
  }

  for (const file of Object.keys(EXPECTED).filter((f) => f.endsWith('.json'))) {
    it(`${file} re-encoded as protobuf (v1 and v2)`, () => {
      const bytes = read(file);
      const a = decodeTrace(bytes);
      const pb = encodeOtlpProto(JSON.parse(new TextDecoder().decode(bytes)));
      const b = decodeTrace(pb);
      assert.deepEqual(plain(a), plain(b));
      const c = decodeTrace(encodeTraceByIdResponse(pb));
      assert.deepEqual(plain(a), plain(c));
      for (let i = 0; i < a.model.spanCount; i++) assert.deepEqual(a.detail(i), b.detail(i), `detail(${i})`);
    });
  }
});

describe('Tempo v2 responses', () => {
  const v2doc = JSON.parse(new TextDecoder().decode(read('tempo-v2-trace-by-id.docs.json'))) as Record<
    string,
    unknown
  >;

  it('a missing status means COMPLETE', () => {
    const m = decodeTrace(JSON.stringify(v2doc)).model;
    assert.equal(m.partial, false);
    assert.equal(m.partialMessage, undefined);
  });

  it('PARTIAL sets partial and the message (JSON and protobuf)', () => {
    const message = 'Trace exceeds maximum size of 5000000 bytes, a partial trace is returned';
    const json = decodeTrace(
      JSON.stringify({ ...v2doc, metrics: { inspectedBytes: '12345' }, status: 'PARTIAL', message }),
    );
    assert.equal(json.model.partial, true);
    assert.equal(json.model.partialMessage, message);
    const pb = decodeTrace(encodeTraceByIdResponse(encodeOtlpProto(v2doc), 1, message));
    assert.equal(pb.model.partial, true);
    assert.equal(pb.model.partialMessage, message);
    assert.equal(pb.model.traceId, '5b8efff798038103d269b633813fc700');
    const explicit = decodeTrace(
      encodeTraceByIdResponse(encodeOtlpProto(v2doc), 1, message),
      'tempo-v2-proto',
    );
    assert.equal(explicit.model.partial, true);
  });

  const notFound: [string, Uint8Array | string][] = [
    ['{"trace":{}}', '{"trace":{}}'],
    ['{"trace":{},"metrics":{...}}', '{"trace":{},"metrics":{"inspectedBytes":"1024","totalBlocks":3}}'],
    ['{"trace":{"resourceSpans":[]}}', '{"trace":{"resourceSpans":[]}}'],
    ['v1 {"batches":[]}', '{"batches":[]}'],
    ['{}', '{}'],
    ['empty body', new Uint8Array(0)],
    ['whitespace body', '  \n'],
    ['protobuf TraceByIDResponse with an empty trace', encodeTraceByIdResponse(new Uint8Array(0))],
    ['protobuf resource without spans', Uint8Array.from([0x0a, 0x02, 0x0a, 0x00])],
  ];
  for (const [name, body] of notFound) {
    it(`not found: ${name}`, () => {
      assert.throws(
        () => decodeTrace(typeof body === 'string' ? new TextEncoder().encode(body) : body),
        (err: unknown) =>
          err instanceof TraceDecodeError && err.kind === 'not-found' && /no spans/.test(err.message),
      );
    });
  }
});
