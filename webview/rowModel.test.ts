/** The row model: subtree ends, visible rows, collapsing, filtering, self time. */
import assert from 'node:assert/strict';
import {
  collapseBelowDepth,
  collapseShorterThan,
  computeSubtreeEnd,
  expandAncestors,
  rowOf,
  selfIntervals,
  visibleRows,
  withAncestors,
} from './rowModel';
import { CHECKOUT, indexOf, makeTrace } from './testing/traceBuilder';

describe('webview pure: row model', () => {
  // 0 ─┬ 1 ─┬ 2
  //    │    └ 3
  //    └ 4 ── 5
  // 6
  const depth = Uint16Array.from([0, 1, 2, 2, 1, 2, 0]);
  const parent = Int32Array.from([-1, 0, 1, 1, 0, 4, -1]);
  const childCount = Uint32Array.from([2, 2, 0, 0, 1, 0, 0]);
  const end = computeSubtreeEnd(depth);
  const rows = (collapsed: number[], include?: number[]) => {
    const c = new Uint8Array(7);
    for (const i of collapsed) c[i] = 1;
    const inc = include ? Uint8Array.from({ length: 7 }, (_, i) => (include.includes(i) ? 1 : 0)) : undefined;
    const l = visibleRows(end, c, inc);
    return Array.from(l.rows.subarray(0, l.count));
  };

  it('computes subtree ends from depths', () => assert.deepEqual(Array.from(end), [6, 4, 3, 4, 6, 6, 7]));
  it('lists every span when nothing is collapsed', () => assert.deepEqual(rows([]), [0, 1, 2, 3, 4, 5, 6]));
  it('skips collapsed subtrees', () => {
    assert.deepEqual(rows([1]), [0, 1, 4, 5, 6]);
    assert.deepEqual(rows([0]), [0, 6]);
    assert.deepEqual(rows([1, 4]), [0, 1, 4, 6]);
  });
  it('keeps included spans and skips excluded subtrees', () => {
    const marked = withAncestors(Uint8Array.from([0, 0, 0, 1, 0, 0, 0]), parent);
    assert.deepEqual(Array.from(marked), [1, 1, 0, 1, 0, 0, 0]);
    assert.deepEqual(rows([], [0, 1, 3]), [0, 1, 3]);
  });
  it('finds row positions by binary search', () => {
    const l = visibleRows(end, Uint8Array.from([0, 1, 0, 0, 0, 0, 0]));
    assert.equal(rowOf(l, 4), 2);
    assert.equal(rowOf(l, 2), -1);
  });
  it('collapses by depth and by duration, and expands ancestors', () => {
    const c = new Uint8Array(7);
    collapseBelowDepth(depth, childCount, 1, c);
    assert.deepEqual(Array.from(c), [0, 1, 0, 0, 1, 0, 0]);
    const d = new Uint8Array(7);
    collapseShorterThan(Float64Array.from([100, 5, 1, 1, 50, 1, 1]), childCount, 10, d);
    assert.deepEqual(Array.from(d), [0, 1, 0, 0, 0, 0, 0]);
    const all = Uint8Array.from([1, 1, 0, 0, 1, 0, 0]);
    assert.equal(expandAncestors(parent, all, 3), true);
    assert.deepEqual(Array.from(all), [0, 0, 0, 0, 1, 0, 0]);
  });
  it('lists a million spans (speed is measured by npm run bench, not here)', () => {
    const n = 1_000_000;
    const deep = new Uint16Array(n);
    for (let i = 0; i < n; i++) deep[i] = i % 7;
    const e = computeSubtreeEnd(deep);
    const l = visibleRows(e, new Uint8Array(n));
    assert.equal(l.count, n);
    assert.equal(e[0], 7);
    assert.equal(e[n - 1], n);
  });
  it('finds self-time intervals between children', () => {
    const t = makeTrace(CHECKOUT);
    const c = t.model.columns;
    const pay = indexOf(t, 'pay');
    const iv = selfIntervals(pay, c.startNs, c.durationNs, c.depth, computeSubtreeEnd(c.depth), 12);
    const r = iv.map((x) => Math.round(x * 4200));
    assert.deepEqual(r, [0, 100, 1000, 1100, 4100, 4200]);
  });
});
