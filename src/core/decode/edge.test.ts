import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanFlag, spanIdAt, type TraceModel } from '../../shared/model';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '.';
import { encodeOtlpProto, ProtoWriter } from './testing/otlpEncode';
import { BASE_NS, otlpTrace, sid, TEMPO_FIXTURES, TRACE_ID, type SpanSpec } from './testing/testSupport';

/** Decodes the spans as OTLP/JSON and as protobuf, checks both agree, returns the JSON one. */
function decodeBoth(spans: SpanSpec[]): DecodedTrace {
  const doc = otlpTrace(spans);
  const json = decodeTrace(JSON.stringify(doc));
  const pb = decodeTrace(encodeOtlpProto(doc));
  const cols = (m: TraceModel) => Object.values(m.columns).map((c: ArrayLike<number>) => Array.from(c));
  assert.deepEqual(cols(pb.model), cols(json.model), 'protobuf and JSON agree');
  assert.deepEqual(pb.model.warnings, json.model.warnings);
  return json;
}

function ids(m: TraceModel): string[] {
  return Array.from({ length: m.spanCount }, (_, i) => spanIdAt(m.columns, i));
}

function flagsOf(m: TraceModel, id: string): number {
  return m.columns.flags[ids(m).indexOf(id)]!;
}

function malformed(fn: () => unknown, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof TraceDecodeError, `a TraceDecodeError, got ${String(err)}`);
    assert.equal(err.kind, 'malformed', err.message);
    if (pattern) assert.match(err.message, pattern);
    assert.match(err.message, /^[A-Z].*[.)]$/s, 'a sentence');
    return true;
  });
}

describe('model builder', () => {
  it('orders siblings by start time, whatever the arrival order', () => {
    const m = decodeBoth([
      { id: sid(3), parent: sid(1), start: 300, end: 400 },
      { id: sid(1), start: 0, end: 1000 },
      { id: sid(4), parent: sid(2), start: 150, end: 160 },
      { id: sid(2), parent: sid(1), start: 100, end: 200 },
    ]).model;
    assert.deepEqual(ids(m), [sid(1), sid(2), sid(4), sid(3)]);
    assert.deepEqual(Array.from(m.columns.parent), [-1, 0, 1, 0]);
    assert.deepEqual(Array.from(m.columns.depth), [0, 1, 2, 1]);
    assert.deepEqual(Array.from(m.columns.childCount), [2, 1, 0, 0]);
    assert.deepEqual(Array.from(m.columns.startNs), [0, 100, 150, 300]);
    assert.equal(m.durationNs, 1000);
    assert.deepEqual(m.warnings, []);
  });

  it('keeps nanoseconds exact far above 2^53', () => {
    const m = decodeBoth([
      { id: sid(1), start: 1, end: 999_999_999_999 },
      { id: sid(2), parent: sid(1), start: 7, end: 8 },
    ]).model;
    assert.equal(m.traceStartUnixNano, String(BASE_NS + 1n));
    assert.deepEqual(Array.from(m.columns.startNs), [0, 6]);
    assert.deepEqual(Array.from(m.columns.durationNs), [999_999_999_998, 1]);
  });

  it('shows spans whose parent is missing as roots flagged Orphan, after the real root', () => {
    const m = decodeBoth([
      { id: sid(9), parent: sid(404), start: 0, end: 50 },
      { id: sid(1), start: 10, end: 100 },
      { id: sid(2), parent: sid(1), start: 20, end: 30 },
    ]).model;
    assert.deepEqual(ids(m), [sid(1), sid(2), sid(9)]);
    assert.equal(m.columns.parent[2], -1);
    assert.ok(flagsOf(m, sid(9)) & SpanFlag.Orphan);
    assert.equal(flagsOf(m, sid(1)) & SpanFlag.Orphan, 0);
    assert.match(m.warnings.join(' '), /1 span names a parent missing/);
  });

  it('keeps spans with duplicate IDs; children attach to the server side', () => {
    const m = decodeBoth([
      { id: sid(1), start: 0, end: 100, kind: 2 },
      { id: sid(5), parent: sid(1), name: 'client', start: 10, end: 90, kind: 3 },
      { id: sid(5), parent: sid(1), name: 'server', start: 12, end: 88, kind: 2 },
      { id: sid(6), parent: sid(5), name: 'work', start: 20, end: 30 },
    ]).model;
    assert.equal(m.spanCount, 4);
    const names = Array.from({ length: 4 }, (_, i) => m.strings[m.columns.name[i]!]);
    assert.deepEqual(names, [sid(1), 'client', 'server', 'work']);
    assert.equal(m.columns.parent[3], 2, 'work hangs under the server span');
    assert.match(m.warnings.join(' '), /1 span shares a span ID/);
  });

  it('breaks a cycle at its earliest span and flags it CycleBroken', () => {
    const m = decodeBoth([
      { id: sid(1), parent: sid(3), start: 10, end: 100 },
      { id: sid(2), parent: sid(1), start: 20, end: 90 },
      { id: sid(3), parent: sid(2), start: 30, end: 80 },
      { id: sid(4), parent: sid(3), start: 40, end: 50 },
    ]).model;
    assert.deepEqual(ids(m), [sid(1), sid(2), sid(3), sid(4)]);
    assert.deepEqual(Array.from(m.columns.parent), [-1, 0, 1, 2]);
    assert.ok(m.columns.flags[0]! & SpanFlag.CycleBroken);
    assert.equal(m.columns.flags[1]! & SpanFlag.CycleBroken, 0);
    assert.match(m.warnings.join(' '), /formed 1 cycle/);
  });

  it('breaks a span that is its own parent', () => {
    const m = decodeBoth([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(2), start: 5, end: 10 },
    ]).model;
    assert.equal(m.spanCount, 2);
    assert.ok(flagsOf(m, sid(2)) & SpanFlag.CycleBroken);
    assert.equal(m.columns.parent[1], -1);
  });

  it('gives spans that end before they start zero duration and a flag', () => {
    const m = decodeBoth([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 50, end: 40 },
    ]).model;
    assert.equal(m.columns.durationNs[1], 0);
    assert.ok(m.columns.flags[1]! & SpanFlag.NegativeDuration);
    assert.equal(m.columns.flags[0]! & SpanFlag.NegativeDuration, 0);
    assert.equal(m.durationNs, 100);
    assert.match(m.warnings.join(' '), /ends before it starts/);
  });

  it('flags children that start before or end after their parent (clock skew)', () => {
    const m = decodeBoth([
      { id: sid(1), start: 100, end: 200 },
      { id: sid(2), parent: sid(1), start: 90, end: 150 },
      { id: sid(3), parent: sid(1), start: 150, end: 210 },
      { id: sid(4), parent: sid(1), start: 100, end: 200 },
    ]).model;
    assert.deepEqual(ids(m), [sid(1), sid(2), sid(4), sid(3)]);
    assert.deepEqual(
      Array.from(m.columns.flags, (f) => f & SpanFlag.ClockSkew),
      [0, SpanFlag.ClockSkew, 0, SpanFlag.ClockSkew],
    );
    assert.equal(m.columns.startNs[1], 0, 'the skewed child starts the trace');
    assert.equal(m.durationNs, 120);
  });

  it('takes an overhang under 1 ms for rounding when both starts are whole milliseconds (Date.now() SDKs)', () => {
    const MS = 1_000_000;
    // BASE_NS is a whole millisecond: the parent started at it, the children 1 ms later, each
    // ending finer than a millisecond, as the OpenTelemetry JS SDK stamps them.
    const m = decodeBoth([
      { id: sid(1), start: 0, end: 4 * MS + 600_000 },
      { id: sid(2), parent: sid(1), start: MS, end: 4 * MS + 600_000 + 900_000 },
      { id: sid(3), parent: sid(1), start: MS, end: 5 * MS + 600_000 },
      // Off the grid the same overhang is skew.
      { id: sid(4), parent: sid(1), start: MS + 300, end: 4 * MS + 600_000 + 900_000 },
    ]).model;
    const skew = (id: string) => (flagsOf(m, id) & SpanFlag.ClockSkew) !== 0;
    assert.equal(skew(sid(2)), false, '0.9 ms over, both starts on the grid: rounding');
    assert.equal(skew(sid(3)), true, 'a whole millisecond over: skew');
    assert.equal(skew(sid(4)), true, 'a start off the grid: no rounding to allow for');
  });

  it('flags errors from status or exception events, and code from code.* keys or stack traces', () => {
    const m = decodeBoth([
      { id: sid(1), start: 0, end: 100, attributes: { 'code.function.name': 'main' } },
      { id: sid(2), parent: sid(1), start: 1, end: 2, error: true },
      {
        id: sid(3),
        parent: sid(1),
        start: 3,
        end: 4,
        events: [{ name: 'exception', at: 3, attributes: { 'exception.stacktrace': 'at x (a.ts:1)' } }],
      },
      { id: sid(4), parent: sid(1), start: 5, end: 6, events: [{ name: 'retry', at: 5 }] },
      {
        id: sid(5),
        parent: sid(1),
        start: 7,
        end: 8,
        attributes: { 'code.lineno': 3, 'code.filepath': 'a.ts' },
      },
      { id: sid(6), parent: sid(1), start: 9, end: 10, attributes: { 'code.namespace': 'X' } },
    ]).model;
    const f = Array.from(m.columns.flags, (x) => x & (SpanFlag.Error | SpanFlag.HasCode));
    const E = SpanFlag.Error;
    const C = SpanFlag.HasCode;
    assert.deepEqual(f, [C, E, E | C, 0, C, 0]);
    assert.deepEqual(Array.from(m.columns.status), [0, 2, 0, 0, 0, 0]);
  });

  it('builds a 100k-deep parent chain without recursion (depth saturates at 65535)', () => {
    const n = 100_000;
    const spans: SpanSpec[] = [];
    for (let i = 0; i < n; i++)
      spans.push({ id: sid(i + 1), ...(i ? { parent: sid(i) } : {}), start: i, end: 2 * n - i });
    // Reverse arrival order, so the builder cannot lean on parents arriving first.
    spans.reverse();
    const m = decodeBoth(spans).model;
    assert.equal(m.spanCount, n);
    assert.equal(spanIdAt(m.columns, n - 1), sid(n));
    assert.equal(m.columns.parent[n - 1], n - 2);
    assert.equal(m.columns.depth[1000], 1000);
    assert.equal(m.columns.depth[n - 1], 65535);
    assert.match(m.warnings.join(' '), /100000 levels deep/);
  });

  it('sorts roots and a wide fan-out by start time', () => {
    const spans: SpanSpec[] = [{ id: sid(1), start: 0, end: 1_000_000 }];
    for (let i = 0; i < 5000; i++) spans.push({ id: sid(i + 2), parent: sid(1), start: 5000 - i, end: 6000 });
    const m = decodeBoth(spans).model;
    for (let i = 2; i < m.spanCount; i++) assert.ok(m.columns.startNs[i]! >= m.columns.startNs[i - 1]!);
    assert.equal(m.columns.childCount[0], 5000);
  });
});

describe('JSON dialects', () => {
  it('reads snake_case keys, numeric int64 and enums, hex IDs', () => {
    const doc = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'api' } }] },
          scope_spans: [
            {
              scope: { name: 'lib' },
              spans: [
                {
                  trace_id: TRACE_ID.toUpperCase(),
                  span_id: '00F067AA0BA902B7',
                  name: 'root',
                  kind: 2,
                  start_time_unix_nano: 1_700_000_000_000_000,
                  end_time_unix_nano: 1_700_000_001_000_000,
                  status: { code: 2 },
                  attributes: [{ key: 'n', value: { int_value: 5 } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const d = decodeTrace(JSON.stringify(doc));
    assert.equal(d.model.traceId, TRACE_ID);
    assert.equal(spanIdAt(d.model.columns, 0), '00f067aa0ba902b7');
    assert.equal(d.model.columns.kind[0], 2);
    assert.equal(d.model.columns.status[0], 2);
    assert.equal(d.model.durationNs, 1_000_000);
    assert.deepEqual(d.model.services, ['api']);
    assert.deepEqual(d.detail(0)?.attributes, [{ key: 'n', value: 5 }]);
  });

  it('reads Tempo 1.x instrumentationLibrarySpans with a deprecated status code', () => {
    const doc = {
      batches: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'old' } }] },
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'lib', version: '0.1' },
              spans: [
                {
                  traceId: 'AAAAAAAAAAABI0VniavN7w==',
                  spanId: 'AAAAAAAAEjQ=',
                  name: 'x',
                  startTimeUnixNano: '1608239395286533000',
                  endTimeUnixNano: '1608239395386533000',
                  status: { deprecatedCode: 'DEPRECATED_STATUS_CODE_UNKNOWN_ERROR' },
                },
              ],
            },
          ],
        },
      ],
    };
    const d = decodeTrace(JSON.stringify(doc));
    assert.equal(d.model.traceId, '00000000000000000123456789abcdef');
    assert.equal(d.model.columns.status[0], 2);
    assert.deepEqual(d.detail(0)?.scope, { name: 'lib', version: '0.1', attributes: [] });
  });

  it('renders arrays, maps, bytes, doubles and big ints in details', () => {
    const doc = otlpTrace([{ id: sid(1), start: 0, end: 1 }]);
    const span = (doc.resourceSpans[0] as { scopeSpans: { spans: Record<string, unknown>[] }[] })
      .scopeSpans[0]!.spans[0] as {
      attributes: unknown[];
    };
    span.attributes = [
      { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '2' }] } } },
      { key: 'm', value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: false } }] } } },
      { key: 'b', value: { bytesValue: 'AQID' } },
      { key: 'd', value: { doubleValue: 1.5 } },
      { key: 'big', value: { intValue: '9007199254740993' } },
      { key: 'neg', value: { intValue: '-42' } },
      { key: 'empty', value: {} },
    ];
    const want = [
      { key: 'a', value: '["x",2]' },
      { key: 'm', value: '{"k":false}' },
      { key: 'b', value: 'AQID' },
      { key: 'd', value: 1.5 },
      { key: 'big', value: '9007199254740993' },
      { key: 'neg', value: -42 },
      { key: 'empty', value: null },
    ];
    assert.deepEqual(decodeTrace(JSON.stringify(doc)).detail(0)?.attributes, want);
    assert.deepEqual(decodeTrace(encodeOtlpProto(doc)).detail(0)?.attributes, want);
  });
});

describe('damaged input', () => {
  const small = readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1.pb'));
  const smallJson = readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1.json'), 'utf8');

  it('truncated protobuf: every cut either decodes a prefix or throws a TraceDecodeError', () => {
    let errors = 0;
    for (let cut = 1; cut < small.length; cut++) {
      try {
        const d = decodeTrace(new Uint8Array(small.subarray(0, cut)));
        assert.ok(d.model.spanCount < 6);
      } catch (err) {
        assert.ok(err instanceof TraceDecodeError, `cut at ${cut}: ${String(err)}`);
        errors++;
      }
    }
    assert.ok(errors > small.length / 2);
    malformed(
      () => decodeTrace(new Uint8Array(small.subarray(0, small.length - 3))),
      /damaged near byte \d+ of \d+/,
    );
  });

  it('truncated JSON is malformed', () => {
    for (const cut of [1, 10, 100, smallJson.length >> 1, smallJson.length - 2]) {
      malformed(() => decodeTrace(smallJson.slice(0, cut)), /not valid JSON/);
    }
  });

  it('random bytes never escape as anything but a TraceDecodeError', () => {
    let seed = 12345;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 16;
    };
    for (let k = 0; k < 2000; k++) {
      const b = new Uint8Array(1 + (rand() % 300));
      for (let i = 0; i < b.length; i++) b[i] = rand() & 0xff;
      if (k % 2) b[0] = 0x0a; // look like a TracesData
      try {
        decodeTrace(b);
      } catch (err) {
        assert.ok(err instanceof TraceDecodeError, `input ${k}: ${String(err)}`);
      }
    }
  });

  it('flipped bytes in a real body never escape as anything but a TraceDecodeError', () => {
    for (let i = 0; i < small.length; i += 3) {
      const b = new Uint8Array(small);
      b[i] = b[i]! ^ 0xff;
      try {
        decodeTrace(b);
      } catch (err) {
        assert.ok(err instanceof TraceDecodeError, `byte ${i}: ${String(err)}`);
      }
    }
  });

  it('wrong JSON types are malformed with a reason', () => {
    malformed(() => decodeTrace('{"batches":5}'), /"batches"\/"resourceSpans" is a number, not an array/);
    malformed(() => decodeTrace('{"trace":[1]}'), /"trace" is an array/);
    malformed(() => decodeTrace('"hello"'), /not an object or array/);
    malformed(() => decodeTrace('null'), /not an object or array/);
    malformed(() => decodeTrace('{"foo":1}'), /none of "batches", "resourceSpans"/);
    malformed(() => decodeTrace('<html><body>Sign in</body></html>'), /HTML/);
    malformed(
      () => decodeTrace(new TextEncoder().encode('404 page not found\n')),
      /neither JSON nor a protobuf/,
    );
    malformed(() => decodeTrace(Uint8Array.from([0x0a, 0x05, 1, 2]), 'otlp-proto'), /damaged/);
    malformed(() => decodeTrace(Uint8Array.from([0x0a, 0x00]), 'tempo-json'), /should be JSON/);
    assert.throws(
      () => decodeTrace('{"traces":[]}'),
      (e: unknown) => e instanceof TraceDecodeError && e.kind === 'unsupported',
    );
  });

  it('skips entries of the wrong type and still decodes the rest', () => {
    const doc = otlpTrace([{ id: sid(1), start: 0, end: 10 }]);
    (doc.resourceSpans as unknown[]).push(5, { scopeSpans: 'x' }, { scopeSpans: [7, { spans: [null] }] });
    const m = decodeTrace(JSON.stringify(doc)).model;
    assert.equal(m.spanCount, 1);
    assert.match(m.warnings.join(' '), /were skipped/);
  });

  it('a body of whitespace then JSON is JSON; 0x0a then { can still be protobuf', () => {
    assert.equal(decodeTrace('\n\n ' + smallJson).model.spanCount, 6);
    // A TracesData whose first ResourceSpans is exactly 123 bytes long starts with 0a 7b ("\n{").
    const body = (nameLength: number): Uint8Array => {
      const w = new ProtoWriter();
      w.message(1, (rs) => {
        rs.message(1, (r) =>
          r.message(1, (kv) => {
            kv.string(1, 'service.name');
            kv.message(2, (v) => v.string(1, 'svc'));
          }),
        );
        rs.message(2, (ss) =>
          ss.message(2, (s) => {
            s.bytes(1, new Uint8Array(16).fill(1));
            s.bytes(2, new Uint8Array(8).fill(2));
            s.string(5, 'x'.repeat(nameLength));
            s.fixed64(7, 1n);
            s.fixed64(8, 2n);
          }),
        );
      });
      return w.finish();
    };
    let len = 1;
    while (body(len)[1] !== 0x7b) len++;
    const bytes = body(len);
    assert.deepEqual([bytes[0], bytes[1]], [0x0a, 0x7b]);
    assert.equal(decodeTrace(bytes).model.spanCount, 1);
    assert.equal(decodeTrace(bytes, 'otlp-proto').model.spanCount, 1);
  });
});
