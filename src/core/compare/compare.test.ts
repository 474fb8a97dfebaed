import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTrace } from '../decode';
import { otlpTrace, sid, TEMPO_FIXTURES, type SpanSpec } from '../decode/testing/testSupport';
import { compareTraces, operationPath, type OperationDiff, type TraceComparison } from './index';

const ms = 1e6;

function model(spans: SpanSpec[], traceId: string) {
  return decodeTrace(JSON.stringify(otlpTrace(spans.map((s) => ({ ...s, traceId }))))).model;
}

const A_ID = '0000000000000000000000000000000a';
const B_ID = '0000000000000000000000000000000b';

/** A request that calls `db` once per item and then `render`. */
function run(items: number, dbMs: number, extra: SpanSpec[] = []): SpanSpec[] {
  const spans: SpanSpec[] = [];
  let t = 1 * ms;
  for (let i = 0; i < items; i++) {
    spans.push({
      id: sid(10 + i),
      parent: sid(1),
      name: 'SELECT',
      service: 'db',
      start: t,
      end: t + dbMs * ms,
    });
    t += dbMs * ms;
  }
  spans.push({ id: sid(2), parent: sid(1), name: 'render', service: 'api', start: t, end: t + 5 * ms });
  t += 5 * ms;
  spans.unshift({ id: sid(1), name: 'GET /orders', service: 'api', start: 0, end: t + 1 * ms });
  return [...spans, ...extra];
}

function op(c: TraceComparison, ...names: string[]): OperationDiff {
  const found = c.operations.find((_, k) => {
    const path = operationPath(c, k);
    return path.length === names.length && path.every((s, i) => s.name === names[i]);
  });
  assert.ok(found, `operation ${names.join(' > ')}`);
  return found;
}

describe('compareTraces', () => {
  it('matches spans by service and operation path, and sums count, duration and self time per side', () => {
    const a = model(run(2, 10), A_ID);
    const b = model(run(5, 12), B_ID);
    const c = compareTraces(a, b);
    const db = op(c, 'GET /orders', 'SELECT');
    assert.deepEqual(operationPath(c, c.operations.indexOf(db)), [
      { service: 'api', name: 'GET /orders' },
      { service: 'db', name: 'SELECT' },
    ]);
    assert.equal(db.depth, 1);
    assert.equal(c.operations[db.parent]!.name, 'GET /orders');
    assert.equal(db.countA, 2);
    assert.equal(db.countB, 5);
    assert.equal(db.durationA, 20 * ms);
    assert.equal(db.durationB, 60 * ms);
    assert.equal(db.durationDelta, 40 * ms);
    assert.equal(db.selfDelta, 40 * ms);
    assert.equal(db.change, 'both');
    const render = op(c, 'GET /orders', 'render');
    assert.equal(render.durationDelta, 0);
    assert.equal(c.a.traceId, A_ID);
    assert.equal(c.b.rootName, 'GET /orders');
    assert.equal(c.added + c.missing, 0);
  });

  it('sorts by the largest self-time difference, so the slow leaf leads rather than the root', () => {
    // B: each SELECT 90 ms slower, and the root itself 20 ms slower after its children.
    const slower = run(2, 100).map((s) => (s.parent ? s : { ...s, end: s.end + 20 * ms }));
    const c = compareTraces(model(run(2, 10), A_ID), model(slower, B_ID));
    assert.equal(c.operations[0]!.name, 'SELECT');
    assert.equal(c.operations[0]!.selfDelta, 180 * ms);
    assert.equal(c.operations[1]!.depth, 0, 'then the root, 20 ms of its own');
    assert.equal(c.operations[1]!.selfDelta, 20 * ms);
    // By summed duration the root (which contains everything) leads.
    const byDuration = compareTraces(model(run(2, 10), A_ID), model(slower, B_ID), { sort: 'duration' });
    assert.equal(byDuration.operations[0]!.depth, 0);
    assert.equal(byDuration.operations[0]!.durationDelta, 200 * ms);
  });

  it('reports operations only B has as added and only A has as missing', () => {
    const retry: SpanSpec = {
      id: sid(99),
      parent: sid(1),
      name: 'retry',
      service: 'api',
      start: 2 * ms,
      end: 3 * ms,
    };
    const c = compareTraces(model(run(1, 10), A_ID), model(run(1, 10, [retry]), B_ID));
    assert.equal(c.added, 1);
    assert.equal(c.missing, 0);
    const added = op(c, 'GET /orders', 'retry');
    assert.equal(added.change, 'added');
    assert.equal(added.countA, 0);
    const reverse = compareTraces(model(run(1, 10, [retry]), A_ID), model(run(1, 10), B_ID));
    assert.equal(op(reverse, 'GET /orders', 'retry').change, 'missing');
    assert.equal(reverse.missing, 1);
  });

  it('keeps the same name under different parents apart', () => {
    const spans: SpanSpec[] = [
      { id: sid(1), name: 'root', service: 'a', start: 0, end: 100 },
      { id: sid(2), parent: sid(1), name: 'x', service: 'a', start: 0, end: 50 },
      { id: sid(3), parent: sid(1), name: 'y', service: 'a', start: 50, end: 100 },
      { id: sid(4), parent: sid(2), name: 'q', service: 'db', start: 0, end: 10 },
      { id: sid(5), parent: sid(3), name: 'q', service: 'db', start: 50, end: 60 },
    ];
    const c = compareTraces(model(spans, A_ID), model(spans, B_ID));
    assert.equal(c.operations.length, 5);
    assert.equal(op(c, 'root', 'x', 'q').countA, 1);
    assert.equal(op(c, 'root', 'y', 'q').countA, 1);
  });

  it('maps every span of A and B to its operation row', () => {
    const a = model(run(3, 10), A_ID);
    const b = model(run(4, 10), B_ID);
    const c = compareTraces(a, b);
    assert.equal(c.operationOfB.length, b.spanCount);
    for (let i = 0; i < b.spanCount; i++) {
      const row = c.operations[c.operationOfB[i]!]!;
      assert.equal(row.name, b.strings[b.columns.name[i]!]);
    }
    for (let i = 0; i < a.spanCount; i++) {
      const row = c.operations[c.operationOfA[i]!]!;
      assert.equal(row.name, a.strings[a.columns.name[i]!]);
    }
  });

  it('compares a trace with itself as no difference at all (the 2,001-span fixture)', () => {
    const bytes = readFileSync(join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.json'));
    const m = decodeTrace(new Uint8Array(bytes)).model;
    const c = compareTraces(m, m);
    assert.ok(c.operations.every((o) => o.durationDelta === 0 && o.selfDelta === 0 && o.change === 'both'));
    const total = c.operations.reduce((s, o) => s + o.countA, 0);
    assert.equal(total, 2001);
    assert.ok(c.operations.some((o) => o.name === 'SELECT items' && o.countA > 100));
  });

  it('handles an empty side', () => {
    const empty = { ...model(run(1, 1), A_ID), spanCount: 0 };
    const cols = empty.columns;
    empty.columns = {
      ...cols,
      parent: new Int32Array(0),
      durationNs: new Float64Array(0),
      startNs: new Float64Array(0),
      service: new Uint16Array(0),
      name: new Uint32Array(0),
    };
    const c = compareTraces(empty, model(run(1, 1), B_ID));
    assert.equal(c.missing, 0);
    assert.equal(c.added, c.operations.length);
    assert.equal(c.a.rootName, '');
  });
});
