/** The search results' row model: sorting, the cursor, picks for a comparison, the virtual window. */
import assert from 'node:assert/strict';
import type { SearchRow } from '../../../src/shared/protocol';
import { DEFAULT_SORT, ResultTable, nextSort, scrollToShow, sortRows, visibleWindow } from './model';

const id = (n: number) => n.toString(16).padStart(32, '0');
function row(n: number, over: Partial<SearchRow> = {}): SearchRow {
  return {
    traceId: id(n),
    startMs: 1_700_000_000_000 + n * 1000,
    durationMs: n * 10,
    rootService: `svc${n}`,
    rootName: 'GET /',
    spanCount: n,
    errorCount: 0,
    matched: 1,
    ...over,
  };
}

describe('webview pure: search results', () => {
  const rows = [
    row(1, { durationMs: 300, rootService: 'checkout', spanCount: null }),
    row(2, { durationMs: 50, rootService: 'api', errorCount: 2 }),
    row(3, { durationMs: 300, rootService: '', rootName: '', errorCount: null }),
    row(4, { durationMs: 9000, rootService: 'Api', startMs: NaN, errorCount: 1 }),
  ];
  const sorted = (key: Parameters<typeof nextSort>[1], descending: boolean) =>
    Array.from(sortRows(rows, { key, descending }), (i) => i + 1);

  it('sorts each column both ways, unknowns last, ties in the backend order', () => {
    assert.deepEqual(sorted('start', true), [3, 2, 1, 4]);
    assert.deepEqual(sorted('start', false), [1, 2, 3, 4]);
    assert.deepEqual(sorted('duration', true), [4, 1, 3, 2]);
    assert.deepEqual(sorted('duration', false), [2, 1, 3, 4]);
    assert.deepEqual(sorted('spans', true), [4, 3, 2, 1]);
    assert.deepEqual(sorted('spans', false), [2, 3, 4, 1]);
    assert.deepEqual(sorted('errors', true), [2, 4, 1, 3]);
    // Names without regard to case; a missing root last either way.
    assert.deepEqual(sorted('root', false), [2, 4, 1, 3]);
    assert.deepEqual(sorted('root', true), [1, 2, 4, 3]);
  });

  it('a new column starts largest first (names A to Z); the same column flips', () => {
    assert.deepEqual(nextSort(DEFAULT_SORT, 'duration'), { key: 'duration', descending: true });
    assert.deepEqual(nextSort(DEFAULT_SORT, 'root'), { key: 'root', descending: false });
    assert.deepEqual(nextSort({ key: 'duration', descending: true }, 'duration'), {
      key: 'duration',
      descending: false,
    });
  });

  it('keeps the cursor and the picks on the same traces when the rows change', () => {
    const t = new ResultTable();
    t.setRows(rows);
    t.moveTo(0);
    assert.equal(t.cursor, 2, 'newest first: trace 3');
    t.togglePick(0);
    t.togglePick(3);
    assert.deepEqual(t.comparison(), [{ traceId: id(1) }, { traceId: id(4) }]);
    assert.equal(t.pickLabel(0), 'A');
    assert.equal(t.pickLabel(3), 'B');
    t.setRows([rows[3]!, rows[2]!, row(9)]);
    assert.equal(t.cursor, 1, 'trace 3 moved to index 1');
    assert.deepEqual(t.picks, [0], 'trace 1 is gone; trace 4 is now row 0');
    assert.equal(t.comparison(), undefined);
  });

  it('a third pick drops the first; picking again unpicks', () => {
    const t = new ResultTable();
    t.setRows(rows);
    t.togglePick(0);
    t.togglePick(1);
    t.togglePick(2);
    assert.deepEqual(t.picks, [1, 2]);
    t.togglePick(1);
    assert.deepEqual(t.picks, [2]);
    t.togglePick(7);
    assert.deepEqual(t.picks, [2]);
  });

  it('moves the cursor in display order, clamped at both ends', () => {
    const t = new ResultTable();
    t.setRows(rows);
    t.sortBy('duration'); // 4, 1, 3, 2 → indexes 3, 0, 2, 1
    t.move(1);
    assert.equal(t.cursor, 3, 'the first row when there was no cursor');
    t.move(2);
    assert.equal(t.cursor, 2);
    t.move(10);
    assert.equal(t.cursor, 1);
    t.move(-100);
    assert.equal(t.cursor, 3);
    t.moveTo(-1);
    assert.equal(t.cursor, 1);
    assert.equal(t.positionOf(1), 3);
  });

  it('renders only the rows in view, with overscan', () => {
    assert.deepEqual(visibleWindow(0, 220, 22, 1000, 5), { first: 0, end: 16 });
    assert.deepEqual(visibleWindow(22 * 500, 220, 22, 1000, 5), { first: 495, end: 516 });
    assert.deepEqual(visibleWindow(22 * 2000, 220, 22, 1000, 5), { first: 994, end: 1000 });
    assert.deepEqual(visibleWindow(0, 220, 22, 0), { first: 0, end: 0 });
  });

  it('scrolls only as far as needed to show a row', () => {
    assert.equal(scrollToShow(5, 0, 220, 22), 0);
    assert.equal(scrollToShow(10, 0, 220, 22), 22);
    assert.equal(scrollToShow(2, 200, 220, 22), 44);
  });
});
