/**
 * The search results' row model: the sort order, the cursor (the row the keyboard is on), the
 * rows picked for a comparison, and the window of rows a virtual list renders. No DOM: it runs
 * (and is tested) in plain Node.
 */
import type { SearchRow, TraceRef } from '../../../src/shared/protocol';

/** A sortable column. */
export type SortKey = 'start' | 'root' | 'duration' | 'spans' | 'errors' | 'matched';

/** How the rows are sorted. */
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** Newest first, as a search result is read. */
export const DEFAULT_SORT: Sort = { key: 'start', descending: true };

/** Rows picked for a comparison at most (the first picked is A, the second B). */
export const MAX_PICKS = 2;

/**
 * The sort after a click on column `key`: the same column flips; a new one starts with the
 * largest (or latest) first for numbers, and A to Z for names.
 */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'root' };
}

/** The number a row sorts by; NaN when it is unknown (unknowns sort last either way). */
function numberOf(row: SearchRow, key: Exclude<SortKey, 'root'>): number {
  switch (key) {
    case 'start':
      return row.startMs;
    case 'duration':
      return row.durationMs;
    case 'spans':
      return row.spanCount ?? NaN;
    case 'errors':
      return row.errorCount ?? NaN;
    case 'matched':
      return row.matched;
  }
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

/** The root as sorted and shown: "service · operation"; '' when the root span is missing. */
function rootKey(row: SearchRow): string {
  return row.rootService === '' && row.rootName === '' ? '' : `${row.rootService}\u0000${row.rootName}`;
}

/**
 * The display order of `rows` under `sort`: row indexes. Stable (equal rows keep the backend's
 * order), and rows with an unknown value (no start, no counts, no root) last in both directions.
 */
export function sortRows(rows: readonly SearchRow[], sort: Sort): Int32Array {
  const order = Array.from(rows.keys());
  const dir = sort.descending ? -1 : 1;
  if (sort.key === 'root') {
    const keys = rows.map(rootKey);
    order.sort((a, b) => {
      const ka = keys[a]!;
      const kb = keys[b]!;
      if (ka === '' || kb === '') return ka === kb ? a - b : ka === '' ? 1 : -1;
      return dir * collator.compare(ka, kb) || a - b;
    });
  } else {
    const key = sort.key;
    const values = rows.map((r) => numberOf(r, key));
    order.sort((a, b) => {
      const va = values[a]!;
      const vb = values[b]!;
      const na = Number.isNaN(va);
      const nb = Number.isNaN(vb);
      if (na || nb) return na === nb ? a - b : na ? 1 : -1;
      return dir * (va - vb) || a - b;
    });
  }
  return Int32Array.from(order);
}

/** The rows a virtual list renders: `[first, end)` of `count`, with `overscan` rows each side. */
export function visibleWindow(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8,
): { first: number; end: number } {
  if (count <= 0 || rowHeight <= 0) return { first: 0, end: 0 };
  const top = Math.max(0, Math.floor(scrollTop / rowHeight));
  const shown = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const first = Math.max(0, Math.min(count - 1, top) - overscan);
  const end = Math.min(count, top + shown + overscan);
  return { first, end: Math.max(first, end) };
}

/** The scroll position that shows display position `pos` (unchanged when it is already in view). */
export function scrollToShow(
  pos: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number {
  const top = pos * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewportHeight) return Math.max(0, top + rowHeight - viewportHeight);
  return scrollTop;
}

/**
 * The results table's state over one list of rows: order, cursor and picks. Rows are named by
 * index into `rows`; display positions index `order`.
 */
export class ResultTable {
  rows: readonly SearchRow[] = [];
  sort: Sort = DEFAULT_SORT;
  /** Row indexes in display order. */
  order: Int32Array = new Int32Array(0);
  /** The row the keyboard is on, or -1. */
  cursor = -1;
  /** Picked rows in the order they were picked (A first). */
  picks: number[] = [];

  /**
   * Takes a new list of rows (another search, or the same one run again). The sort stays; the
   * cursor and the picks stay on the same traces when the new list still has them.
   */
  setRows(rows: readonly SearchRow[]): void {
    const cursorId = this.cursor >= 0 ? this.rows[this.cursor]?.traceId : undefined;
    const pickIds = this.picks.map((i) => this.rows[i]?.traceId);
    this.rows = rows;
    const byId = new Map(rows.map((r, i) => [r.traceId, i]));
    this.cursor = cursorId !== undefined ? (byId.get(cursorId) ?? -1) : -1;
    this.picks = pickIds.map((id) => (id === undefined ? -1 : (byId.get(id) ?? -1))).filter((i) => i >= 0);
    this.order = sortRows(rows, this.sort);
  }

  /** Sorts by `key` (again: the other way round). */
  sortBy(key: SortKey): void {
    this.sort = nextSort(this.sort, key);
    this.order = sortRows(this.rows, this.sort);
  }

  /** The display position of row `i`, or -1. */
  positionOf(i: number): number {
    return this.order.indexOf(i);
  }

  /** Moves the cursor by `delta` display positions (clamped); onto the first row when it had none. */
  move(delta: number): void {
    const n = this.order.length;
    if (n === 0) return;
    const pos = this.cursor < 0 ? (delta > 0 ? -1 : n) : this.positionOf(this.cursor);
    this.cursor = this.order[Math.max(0, Math.min(n - 1, pos + delta))]!;
  }

  /** Puts the cursor on display position `pos` (clamped; negative counts from the end). */
  moveTo(pos: number): void {
    const n = this.order.length;
    if (n === 0) return;
    const p = pos < 0 ? n + pos : pos;
    this.cursor = this.order[Math.max(0, Math.min(n - 1, p))]!;
  }

  /** 'A' or 'B' for a picked row, '' otherwise. */
  pickLabel(i: number): '' | 'A' | 'B' {
    const k = this.picks.indexOf(i);
    return k === 0 ? 'A' : k === 1 ? 'B' : '';
  }

  /**
   * Picks row `i` for the comparison, or unpicks it. A third pick drops the oldest, so the last
   * two picked are compared.
   */
  togglePick(i: number): void {
    if (i < 0 || i >= this.rows.length) return;
    const k = this.picks.indexOf(i);
    if (k >= 0) this.picks.splice(k, 1);
    else {
      this.picks.push(i);
      if (this.picks.length > MAX_PICKS) this.picks.shift();
    }
  }

  /** The two picked traces, A then B; undefined unless exactly two are picked. */
  comparison(): [TraceRef, TraceRef] | undefined {
    if (this.picks.length !== MAX_PICKS) return undefined;
    const [a, b] = this.picks.map((i) => ({ traceId: this.rows[i]!.traceId }));
    return [a!, b!];
  }
}
