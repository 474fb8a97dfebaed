import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceModel } from '../../shared/model';
import { decodeTrace, type DecodedTrace } from '.';
import { scanTempoJson } from './jsonScan';
import { decodeOtlpJson } from './otlpJson';
import { fixtureFiles, otlpTrace, sid, TEMPO_FIXTURES, type SpanSpec } from './testing/testSupport';

const enc = new TextEncoder();

function plain(m: TraceModel): unknown {
  return {
    ...m,
    columns: Object.fromEntries(
      Object.entries(m.columns).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]),
    ),
  };
}

/** The scanner's result must equal the JSON.parse decoder's, details included. */
function sameAsTolerant(bytes: Uint8Array): DecodedTrace {
  const fast = scanTempoJson(bytes);
  assert.ok(fast, 'the scanner reads it');
  const slow = decodeOtlpJson(JSON.parse(new TextDecoder().decode(bytes)));
  assert.deepEqual(plain(fast.model), plain(slow.model));
  for (let i = 0; i < slow.model.spanCount; i++)
    assert.deepEqual(fast.detail(i), slow.detail(i), `detail(${i})`);
  return fast;
}

describe('JSON byte scanner', () => {
  const traceFixtures = fixtureFiles().filter(
    (f) =>
      f.endsWith('.json') && /"(batches|resourceSpans)"/.test(readFileSync(join(TEMPO_FIXTURES, f), 'utf8')),
  );

  for (const f of traceFixtures) {
    it(`reads ${f} exactly as JSON.parse does`, () => {
      sameAsTolerant(new Uint8Array(readFileSync(join(TEMPO_FIXTURES, f))));
    });
  }

  it('reads the v2 envelope with PARTIAL, escapes, snake_case and numbers', () => {
    const doc = otlpTrace([
      {
        id: sid(1),
        name: 'caf\u00e9 "quoted" \\ name',
        start: 0,
        end: 100,
        attributes: { 'code.file.path': 'a.ts' },
      },
      { id: sid(2), parent: sid(1), start: 10, end: 20, error: true },
      {
        id: sid(3),
        parent: sid(404),
        start: 30,
        end: 20,
        events: [{ name: 'exception', at: 5, attributes: { 'exception.stacktrace': 's' } }],
      },
    ]);
    const bytes = enc.encode(
      JSON.stringify({
        trace: doc,
        metrics: { inspectedBytes: '1' },
        status: 'PARTIAL',
        message: 'too \\"big\\"',
      }),
    );
    const d = sameAsTolerant(bytes);
    assert.equal(d.model.partial, true);
    assert.equal(d.model.partialMessage, 'too \\"big\\"');
    assert.equal(d.model.strings[0], 'caf\u00e9 "quoted" \\ name');
    const snake = JSON.stringify(doc)
      .replace(/"resourceSpans"/g, '"resource_spans"')
      .replace(/"scopeSpans"/g, '"scope_spans"')
      .replace(/"spanId"/g, '"span_id"')
      .replace(/"parentSpanId"/g, '"parent_span_id"')
      .replace(/"startTimeUnixNano":"(\d+)"/g, '"start_time_unix_nano":$1');
    // Bare integers above 2^53 lose precision in JSON.parse, so compare with the string form.
    const fromSnake = scanTempoJson(enc.encode(snake));
    assert.ok(fromSnake);
    assert.deepEqual(plain(fromSnake.model), plain(decodeTrace(JSON.stringify(doc)).model));
  });

  it('agrees with JSON.parse on the builder edge cases', () => {
    const cases: SpanSpec[][] = [
      [
        { id: sid(1), parent: sid(3), start: 10, end: 100 },
        { id: sid(2), parent: sid(1), start: 20, end: 90 },
        { id: sid(3), parent: sid(2), start: 30, end: 80 },
      ],
      [
        { id: sid(5), parent: sid(1), start: 10, end: 90, kind: 3 },
        { id: sid(5), parent: sid(1), start: 12, end: 88, kind: 2 },
        { id: sid(1), start: 0, end: 100 },
      ],
    ];
    for (const spans of cases) sameAsTolerant(enc.encode(JSON.stringify(otlpTrace(spans))));
  });

  it('declines what it was not written for, and decodeTrace still answers', () => {
    const base = JSON.stringify(otlpTrace([{ id: sid(1), start: 0, end: 100 }]));
    const declined = [
      base.replace('"spanId"', '"span\\u0049d"'), // escaped key
      base.replace(/"endTimeUnixNano":"\d+"/, '"endTimeUnixNano":1.5e18'), // not an integer
      base.replace(/"endTimeUnixNano":"\d+",/, ''), // no end time
      base.replace('"spans":[', '"spans":[7,'), // not an object
      base.slice(0, -3), // truncated
      base + 'x', // trailing junk
      '{"data":[]}', // Jaeger
      '{"trace":{}}', // nothing to read
    ];
    for (const text of declined) assert.equal(scanTempoJson(enc.encode(text)), undefined, text.slice(0, 80));
    assert.equal(decodeTrace(enc.encode(declined[0]!)).model.spanCount, 1);
    assert.equal(decodeTrace(enc.encode(declined[3]!)).model.spanCount, 1);
  });

  it('flipped bytes: declined, or read without throwing', () => {
    const bytes = new Uint8Array(readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1.json')));
    let read = 0;
    for (let i = 0; i < bytes.length; i += 7) {
      const b = new Uint8Array(bytes);
      b[i] = b[i]! ^ 0x5a;
      const d = scanTempoJson(b);
      if (d) {
        read++;
        assert.ok(d.model.spanCount >= 1);
        for (let k = 0; k < d.model.spanCount; k++) d.detail(k);
        let doc: unknown;
        try {
          doc = JSON.parse(new TextDecoder().decode(b));
        } catch {
          continue; // accepted bytes JSON.parse would not (e.g. a damaged number in a skipped field)
        }
        assert.deepEqual(plain(d.model), plain(decodeOtlpJson(doc).model), `byte ${i}`);
      }
    }
    assert.ok(read > 0);
  });
});
