import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanFlag, spanIdAt, type TraceModel } from '../../shared/model';
import { decodeTrace, type DecodedTrace } from '../decode';
import { otlpTrace, sid, TEMPO_FIXTURES, type SpanSpec } from '../decode/testing/testSupport';
import { analyze, criticalPath, errorSpans, selfTime, slowestSpans, summarize } from '.';

function decode(spans: SpanSpec[]): DecodedTrace {
  return decodeTrace(JSON.stringify(otlpTrace(spans)));
}

/** Self time by span ID, so expectations do not depend on the depth-first order. */
function selfById(m: TraceModel): Record<string, number> {
  const self = selfTime(m);
  return Object.fromEntries(Array.from(self, (v, i) => [spanIdAt(m.columns, i), v]));
}

function pathIds(m: TraceModel): string[] {
  return Array.from(criticalPath(m), (i) => spanIdAt(m.columns, i));
}

describe('selfTime', () => {
  it('subtracts the union of children, clipped to the span', () => {
    const m = decode([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 10, end: 30 }, // 10..30
      { id: sid(3), parent: sid(1), start: 20, end: 40 }, // overlaps: union 10..40
      { id: sid(4), parent: sid(1), start: 60, end: 70 }, // 60..70
      { id: sid(5), parent: sid(1), start: 90, end: 130 }, // clipped to 90..100
      { id: sid(6), parent: sid(2), start: 12, end: 14 },
    ]).model;
    assert.deepEqual(selfById(m), {
      [sid(1)]: 100 - 30 - 10 - 10,
      [sid(2)]: 18,
      [sid(3)]: 20,
      [sid(4)]: 10,
      [sid(5)]: 40,
      [sid(6)]: 2,
    });
  });

  it('is zero for a span fully covered by a child, and ignores children outside it', () => {
    const m = decode([
      { id: sid(1), start: 0, end: 50 },
      { id: sid(2), parent: sid(1), start: 0, end: 50 },
      { id: sid(3), parent: sid(1), start: 60, end: 70 },
    ]).model;
    const s = selfById(m);
    assert.equal(s[sid(1)], 0);
    assert.equal(s[sid(2)], 50);
  });
});

describe('criticalPath', () => {
  it('follows the last-finishing child, then earlier children that end before the cut', () => {
    // root 0..100: a 0..30, b 20..60 (overlaps a), c 40..50 (inside b's time, ends before b),
    // d 70..90. Walk: d (ends 90) → back at cut 70 → b (60 < 70) → back at cut 20 → nothing ends
    // before 20 (a ends 30) → root. c and a are off the path.
    const m = decode([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 0, end: 30 },
      { id: sid(3), parent: sid(1), start: 20, end: 60 },
      { id: sid(4), parent: sid(1), start: 40, end: 50 },
      { id: sid(5), parent: sid(1), start: 70, end: 90 },
      { id: sid(6), parent: sid(3), start: 25, end: 55 },
    ]).model;
    assert.deepEqual(pathIds(m), [sid(1), sid(3), sid(6), sid(5)]);
    const flagged = Array.from(m.columns.flags, (f, i) =>
      f & SpanFlag.CriticalPath ? spanIdAt(m.columns, i) : '',
    ).filter(Boolean);
    assert.deepEqual(flagged, [sid(1), sid(3), sid(6), sid(5)]);
  });

  it('keeps a step whose end the next whole-millisecond start overlaps by under 1 ms', () => {
    // The JS SDK stamps starts with Date.now() (whole ms) and ends finer: step 3 (4.2 s) ends
    // 0.3 ms after step 4's recorded start. Taken strictly, step 3 would fall off the path.
    const ms = 1_000_000;
    const m = decode([
      { id: sid(1), start: 0, end: 4400 * ms },
      { id: sid(2), parent: sid(1), start: 1 * ms, end: 2 * ms + 400_000 },
      { id: sid(3), parent: sid(1), start: 3 * ms, end: 4203 * ms + 300_000 },
      { id: sid(4), parent: sid(1), start: 4203 * ms, end: 4300 * ms + 700_000 },
    ]).model;
    assert.deepEqual(pathIds(m), [sid(1), sid(2), sid(3), sid(4)]);
    // Off the millisecond grid the rule stays strict: an overlap of 0.3 ms is an overlap.
    const fine = decode([
      { id: sid(1), start: 0, end: 4400 * ms },
      { id: sid(3), parent: sid(1), start: 3 * ms, end: 4203 * ms + 300_123 },
      { id: sid(4), parent: sid(1), start: 4203 * ms + 123, end: 4300 * ms + 700_000 },
    ]).model;
    assert.deepEqual(pathIds(fine), [sid(1), sid(4)]);
  });

  it('clips a child that overruns its parent and ignores one entirely outside it', () => {
    const m = decode([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 10, end: 40 },
      { id: sid(3), parent: sid(1), start: 50, end: 150 }, // clipped to 50..100
      { id: sid(4), parent: sid(1), start: 120, end: 130 }, // outside: ignored
    ]).model;
    assert.deepEqual(pathIds(m), [sid(1), sid(2), sid(3)]);
  });

  it('a child ending exactly at the cut is not before it (Jaeger uses <)', () => {
    const m = decode([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 0, end: 50 },
      { id: sid(3), parent: sid(1), start: 50, end: 100 },
    ]).model;
    assert.deepEqual(pathIds(m), [sid(1), sid(3)]);
  });

  it('walks a 100k-span sequential fan-out and a 20k-deep chain without recursion', () => {
    const fan: SpanSpec[] = [{ id: sid(1), start: 0, end: 1_000_000 }];
    for (let i = 0; i < 100_000; i++)
      fan.push({ id: sid(i + 2), parent: sid(1), start: 10 * i, end: 10 * i + 5 });
    assert.equal(criticalPath(decode(fan).model).length, 100_001);
    const chain: SpanSpec[] = [];
    for (let i = 0; i < 20_000; i++)
      chain.push({ id: sid(i + 1), ...(i ? { parent: sid(i) } : {}), start: i, end: 40_000 - i });
    assert.equal(criticalPath(decode(chain).model).length, 20_000);
  });
});

describe('analyze: self time and critical path once per load', () => {
  const spans: SpanSpec[] = [
    { id: sid(1), start: 0, end: 100 },
    { id: sid(2), parent: sid(1), start: 10, end: 60 },
    { id: sid(3), parent: sid(1), start: 70, end: 90 },
  ];

  it('answers from the first computation for the same model, and computes afresh for another', () => {
    const m = decode(spans).model;
    const first = analyze(m);
    assert.equal(analyze(m), first);
    assert.notEqual(analyze(decode(spans).model), first);
    assert.deepEqual(Array.from(first.selfTimeNs), Array.from(selfTime(m)));
    assert.deepEqual(Array.from(first.criticalPath), Array.from(criticalPath(m)));
  });

  it('is what summarize uses: the summary and the panel columns share one critical path', () => {
    const m = decode(spans).model;
    const s = summarize(m);
    assert.equal(s.criticalPath, analyze(m).criticalPath);
    assert.equal(summarize(m).criticalPath, s.criticalPath);
  });

  it('marks the critical path in the flags on the first call', () => {
    // b ends last; after it the cut is 20, before which a (ending at 50) does not end: a is off.
    const m = decode([
      { id: sid(1), start: 0, end: 100 },
      { id: sid(2), parent: sid(1), start: 0, end: 50 },
      { id: sid(3), parent: sid(1), start: 20, end: 60 },
    ]).model;
    analyze(m);
    const flagged = [];
    for (let i = 0; i < m.spanCount; i++)
      if (m.columns.flags[i]! & SpanFlag.CriticalPath) flagged.push(spanIdAt(m.columns, i));
    assert.deepEqual(flagged.sort(), [sid(1), sid(3)].sort());
  });
});

describe('summarize, slowestSpans, errorSpans', () => {
  const spans: SpanSpec[] = [
    { id: sid(1), service: 'api', name: 'GET /', start: 0, end: 1000 },
    { id: sid(2), parent: sid(1), service: 'db', name: 'query', start: 100, end: 700, error: true },
    {
      id: sid(3),
      parent: sid(1),
      service: 'api',
      name: 'render',
      start: 710,
      end: 900,
      events: [
        {
          name: 'exception',
          at: 800,
          attributes: { 'exception.type': 'TypeError', 'exception.message': 'x is undefined' },
        },
      ],
    },
  ];

  it('summarizes services, errors and the top contributor', () => {
    const s = summarize(decode(spans).model);
    assert.equal(s.rootService, 'api');
    assert.equal(s.rootName, 'GET /');
    assert.equal(s.durationNs, 1000);
    assert.equal(s.spanCount, 3);
    assert.equal(s.serviceCount, 2);
    assert.equal(s.errorCount, 2);
    assert.deepEqual(s.services, [
      { name: 'api', spanCount: 2, selfTimeNs: 210 + 190, errorCount: 1 },
      { name: 'db', spanCount: 1, selfTimeNs: 600, errorCount: 1 },
    ]);
    assert.deepEqual(Array.from(s.criticalPath), [0, 1, 2]);
    assert.deepEqual(s.topContributor, {
      index: 1,
      name: 'query',
      service: 'db',
      selfTimeNs: 600,
      share: 0.6,
    });
  });

  it('lists the slowest spans, longest first', () => {
    const m = decode(spans).model;
    assert.deepEqual(
      slowestSpans(m, 2).map((s) => [s.name, s.durationNs]),
      [
        ['GET /', 1000],
        ['query', 600],
      ],
    );
    assert.equal(slowestSpans(m, 10).length, 3);
    assert.deepEqual(slowestSpans(m, 0), []);
  });

  it('lists error spans with the exception, or the status message', () => {
    assert.deepEqual(errorSpans(decode(spans)), [
      { index: 1, name: 'query', service: 'db', message: 'failed' },
      { index: 2, name: 'render', service: 'api', exceptionType: 'TypeError', message: 'x is undefined' },
    ]);
  });

  it('reads the exception of the 2001-span fixture from protobuf', () => {
    const b = readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.pb'));
    const errors = errorSpans(decodeTrace(new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
    assert.equal(errors.length, 4);
    for (const e of errors) {
      assert.equal(e.name, 'process item');
      assert.equal(e.service, 'batch-worker');
      assert.equal(e.exceptionType, 'TimeoutError');
      assert.equal(e.message, 'lock wait timeout');
    }
  });
});
