/**
 * The results table: a header of sortable columns over a virtual list of rows (only the rows in
 * view exist, at a fixed height, so 1,000 results scroll as smoothly as 10). Each row has a
 * checkbox that picks it for a comparison. The state is model.ts's `ResultTable`; this file
 * draws it and turns clicks and keys into calls on it.
 */
import type { SearchRow } from '../../../src/shared/protocol';
import { el, icon } from '../../dom';
import { formatCount, formatDuration, formatTimestamp } from '../../format';
import { SortHeader, type SortColumn } from '../../sortHeader';
import { ResultTable, scrollToShow, visibleWindow, type SortKey } from './model';
import { S, fmt } from '../../l10n';

/** Row height in CSS pixels (matches --tl-sr-row-h in search.css). */
export const ROW_HEIGHT = 24;

/** The columns after the checkbox, in order; a function, since the page's words arrive after this module loads. */
const columns = (): ReadonlyArray<SortColumn<SortKey>> => [
  { key: 'start', label: S.start, title: S.srStartTitle, numeric: false },
  { key: 'root', label: S.srRoot, title: S.srRootTitle, numeric: false },
  { key: 'duration', label: S.duration, title: S.srDurationTitle, numeric: true },
  { key: 'spans', label: S.spans, title: S.srSpansTitle, numeric: true },
  { key: 'errors', label: S.errors, title: S.srErrorsTitle, numeric: true },
  { key: 'matched', label: S.srMatched, title: S.srMatchedTitle, numeric: true },
];

/** What the table tells its owner. */
export interface TableEvents {
  /** Open row `row`'s trace. */
  open(row: number): void;
  /** The cursor or the picks changed. */
  changed(): void;
  /** The pointer is over row `row` (-1: none). */
  hover(row: number): void;
}

/** One rendered row's elements, reused as the list scrolls. */
interface RowView {
  element: HTMLDivElement;
  check: HTMLInputElement;
  badge: HTMLSpanElement;
  start: HTMLDivElement;
  service: HTMLSpanElement;
  name: HTMLSpanElement;
  duration: HTMLSpanElement;
  bar: HTMLSpanElement;
  spans: HTMLDivElement;
  errors: HTMLDivElement;
  matched: HTMLDivElement;
  /** The row it shows, or -1, and that row's data when it was drawn. */
  row: number;
  data: SearchRow | undefined;
}

/** How much of a start time the column says: the time, with the day, or with the date. */
type StartForm = 'time' | 'day' | 'date';

/** "14:03:27" when every start is on one day, "Dec 7 14:03:27" in one year, else "2024-12-07 14:03". */
function startLabel(ms: number, form: StartForm): string {
  if (!Number.isFinite(ms)) return '–';
  const full = formatTimestamp(ms); // "2026-12-07 14:03:27.123"
  if (form === 'time') return full.slice(11, 19);
  if (form === 'date') return full.slice(0, 16);
  return `${new Date(ms).toLocaleDateString('en-US', { month: 'short', day: 'numeric' })} ${full.slice(11, 19)}`;
}

export class ResultsTable {
  readonly element: HTMLDivElement;
  /** The focusable list of rows (keyboard: arrows, Page Up/Down, Home/End, Enter, Space). */
  readonly scroller: HTMLDivElement;
  readonly model = new ResultTable();
  private readonly spacer: HTMLDivElement;
  private readonly header: SortHeader<SortKey>;
  private readonly pool: RowView[] = [];
  private frame = 0;
  private startForm: StartForm = 'time';
  private longest = 0;

  constructor(private readonly events: TableEvents) {
    this.header = new SortHeader(
      columns(),
      {
        tag: 'div',
        cellClass: (c) => `tl-sr-cell tl-sr-h-${c.key}${c.numeric ? ' tl-sr-num' : ''}`,
        cellAttrs: () => ({ role: 'columnheader' }),
        buttonClass: 'tl-sr-sort-btn',
        labelSpan: true,
        arrowClass: 'tl-sr-sort',
        sortedClass: 'tl-sr-sorted',
      },
      (key) => this.sortBy(key),
    );
    const head = el(
      'div',
      { class: 'tl-sr-row tl-sr-head-row', attrs: { role: 'row', 'aria-rowindex': '1' } },
      [
        el(
          'div',
          {
            class: 'tl-sr-cell tl-sr-pick-cell',
            attrs: { role: 'columnheader' },
            title: S.pickTwo,
          },
          [icon('git-compare')],
        ),
        ...this.header.cells,
      ],
    );
    this.spacer = el('div', { class: 'tl-sr-spacer' });
    this.scroller = el(
      'div',
      {
        class: 'tl-sr-scroll',
        attrs: {
          role: 'rowgroup',
          tabindex: '0',
          'aria-label': S.srListLabel,
          'data-testid': 'search-rows',
        },
      },
      [this.spacer],
    );
    this.element = el(
      'div',
      { class: 'tl-sr-table', attrs: { role: 'grid', 'aria-label': S.searchResults, 'aria-rowcount': '1' } },
      [head, this.scroller],
    );
    this.scroller.addEventListener('scroll', () => this.schedule());
    // Focus lands on a row, as in VS Code's lists: the first one when none was chosen yet.
    this.scroller.addEventListener('focus', () => {
      if (!this.cursorOnFocus()) return;
      this.render();
      this.events.changed();
    });
    this.scroller.addEventListener('keydown', (ev) => this.onKey(ev));
    this.scroller.addEventListener('pointerleave', () => this.events.hover(-1));
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.syncHeaders();
  }

  /** Shows a new list of rows (the sort, cursor and picks carry over by trace ID). */
  setRows(rows: readonly SearchRow[]): void {
    this.model.setRows(rows);
    for (const v of this.pool) v.data = undefined;
    const starts = rows.filter((r) => Number.isFinite(r.startMs)).map((r) => new Date(r.startMs));
    const days = new Set(starts.map((d) => d.toDateString()));
    const years = new Set(starts.map((d) => d.getFullYear()));
    this.startForm = days.size <= 1 ? 'time' : years.size <= 1 ? 'day' : 'date';
    this.element.classList.toggle('tl-sr-days', this.startForm !== 'time');
    this.longest = rows.reduce((m, r) => Math.max(m, r.durationMs), 0);
    this.element.setAttribute('aria-rowcount', String(rows.length + 1));
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    if (document.activeElement === this.scroller) this.cursorOnFocus();
    this.render();
  }

  /** The list has the focus: a row must have it too (the first when none was chosen). */
  private cursorOnFocus(): boolean {
    if (this.model.cursor >= 0 || this.model.order.length === 0) return false;
    this.model.moveTo(0);
    return true;
  }

  /** Sorts by `key` (again: the other way round), keeping the cursor in view. */
  sortBy(key: SortKey): void {
    this.model.sortBy(key);
    this.syncHeaders();
    this.reveal();
    this.render();
  }

  /** Puts the cursor on row `row` and scrolls it into view. */
  setCursor(row: number): void {
    if (row < 0 || row >= this.model.rows.length) return;
    this.model.cursor = row;
    this.reveal(true);
    this.render();
    this.events.changed();
  }

  /** Marks row `row` as the one under the pointer in the plot (-1: none). */
  highlight(row: number): void {
    for (const v of this.pool) v.element.classList.toggle('tl-sr-hot', v.row >= 0 && v.row === row);
  }

  focus(): void {
    this.scroller.focus();
  }

  private syncHeaders(): void {
    this.header.show(this.model.sort.key, this.model.sort.descending);
  }

  /** Scrolls the cursor into view (`center`: into the middle when it is off screen). */
  private reveal(center = false): void {
    const pos = this.model.cursor >= 0 ? this.model.positionOf(this.model.cursor) : -1;
    if (pos < 0) return;
    const h = this.scroller.clientHeight;
    const top = this.scroller.scrollTop;
    const next = scrollToShow(pos, top, h, ROW_HEIGHT);
    if (next === top) return;
    this.scroller.scrollTop = center ? Math.max(0, pos * ROW_HEIGHT - h / 2) : next;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private rowView(): RowView {
    const check = el('input', {
      class: 'tl-sr-check',
      attrs: { type: 'checkbox', tabindex: '-1', 'aria-label': S.pickForComparison },
    });
    const badge = el('span', { class: 'tl-sr-badge' });
    const start = el('div', { class: 'tl-sr-cell tl-sr-c-start', attrs: { role: 'gridcell' } });
    const service = el('span', { class: 'tl-sr-service' });
    const name = el('span', { class: 'tl-sr-name' });
    const bar = el('span', { class: 'tl-sr-bar', attrs: { 'aria-hidden': 'true' } });
    const duration = el('span', { class: 'tl-sr-dur-text' });
    const spans = el('div', { class: 'tl-sr-cell tl-sr-num', attrs: { role: 'gridcell' } });
    const errors = el('div', { class: 'tl-sr-cell tl-sr-num tl-sr-c-errors', attrs: { role: 'gridcell' } });
    const matched = el('div', { class: 'tl-sr-cell tl-sr-num', attrs: { role: 'gridcell' } });
    const element = el('div', { class: 'tl-sr-row', attrs: { role: 'row' } }, [
      el('div', { class: 'tl-sr-cell tl-sr-pick-cell', attrs: { role: 'gridcell' } }, [check, badge]),
      start,
      el('div', { class: 'tl-sr-cell tl-sr-c-root', attrs: { role: 'gridcell' } }, [service, name]),
      el('div', { class: 'tl-sr-cell tl-sr-num tl-sr-c-duration', attrs: { role: 'gridcell' } }, [
        bar,
        duration,
      ]),
      spans,
      errors,
      matched,
    ]);
    const v: RowView = {
      element,
      check,
      badge,
      start,
      service,
      name,
      duration,
      bar,
      spans,
      errors,
      matched,
      row: -1,
      data: undefined,
    };
    check.addEventListener('click', (ev) => {
      ev.stopPropagation();
      if (v.row < 0) return;
      this.model.togglePick(v.row);
      this.model.cursor = v.row;
      this.render();
      this.events.changed();
    });
    element.addEventListener('click', () => {
      if (v.row < 0) return;
      this.model.cursor = v.row;
      this.render();
      this.events.changed();
      this.events.open(v.row);
    });
    element.addEventListener('pointerenter', () => this.events.hover(v.row));
    this.spacer.append(element);
    return v;
  }

  /** Draws the rows in view; rows scrolled away are reused. */
  private render(): void {
    const m = this.model;
    const n = m.order.length;
    const { first, end } = visibleWindow(
      this.scroller.scrollTop,
      this.scroller.clientHeight || 400,
      ROW_HEIGHT,
      n,
    );
    const need = end - first;
    while (this.pool.length < need) this.pool.push(this.rowView());
    for (let k = 0; k < this.pool.length; k++) {
      const v = this.pool[k]!;
      const pos = first + k;
      if (pos >= end) {
        v.element.hidden = true;
        v.row = -1;
        continue;
      }
      const i = m.order[pos]!;
      v.element.hidden = false;
      v.element.style.transform = `translateY(${pos * ROW_HEIGHT}px)`;
      v.element.setAttribute('aria-rowindex', String(pos + 2));
      this.fill(v, i);
    }
    const cursorRow = m.cursor >= 0 ? this.pool.find((v) => v.row === m.cursor) : undefined;
    if (cursorRow) {
      cursorRow.element.id = 'tl-sr-cursor';
      this.scroller.setAttribute('aria-activedescendant', 'tl-sr-cursor');
    } else this.scroller.removeAttribute('aria-activedescendant');
  }

  private fill(v: RowView, i: number): void {
    const m = this.model;
    const r = m.rows[i]!;
    const label = m.pickLabel(i);
    v.element.id = '';
    v.element.dataset.traceId = r.traceId;
    v.element.classList.toggle('tl-sr-cursor', i === m.cursor);
    v.element.classList.toggle('tl-sr-picked', label !== '');
    v.element.setAttribute('aria-selected', label !== '' ? 'true' : 'false');
    if (v.row === i && v.data === r && v.badge.textContent === label) return;
    v.row = i;
    v.data = r;
    v.check.checked = label !== '';
    v.badge.textContent = label;
    v.start.textContent = startLabel(r.startMs, this.startForm);
    v.start.title = Number.isFinite(r.startMs) ? formatTimestamp(r.startMs) : S.backendDidNotSay;
    const missing = r.rootService === '' && r.rootName === '';
    v.service.textContent = missing ? S.rootSpanMissing : r.rootService || '?';
    v.name.textContent = missing ? '' : r.rootName || '?';
    v.element.classList.toggle('tl-sr-missing', missing);
    v.element.title = `${missing ? S.rootSpanMissingTitle : `${r.rootService} · ${r.rootName}`}\n${fmt(S.traceN, r.traceId)}`;
    v.duration.textContent = r.durationMs > 0 ? formatDuration(r.durationMs * 1e6) : '<1 ms';
    v.bar.style.width = `${this.longest > 0 ? Math.max(1, (r.durationMs / this.longest) * 100) : 0}%`;
    v.spans.textContent = r.spanCount === null ? '–' : formatCount(r.spanCount);
    v.errors.textContent = r.errorCount === null ? '–' : formatCount(r.errorCount);
    v.errors.classList.toggle('tl-sr-has-errors', (r.errorCount ?? 0) > 0);
    v.matched.textContent = formatCount(r.matched);
  }

  private onKey(ev: KeyboardEvent): void {
    const m = this.model;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    switch (ev.key) {
      case 'ArrowDown':
        m.move(1);
        break;
      case 'ArrowUp':
        m.move(-1);
        break;
      case 'PageDown':
        m.move(page);
        break;
      case 'PageUp':
        m.move(-page);
        break;
      case 'Home':
        m.moveTo(0);
        break;
      case 'End':
        m.moveTo(-1);
        break;
      case 'Enter':
        if (m.cursor >= 0) this.events.open(m.cursor);
        ev.preventDefault();
        return;
      case ' ':
        if (m.cursor < 0) m.move(1);
        else m.togglePick(m.cursor);
        break;
      case 'Escape':
        if (m.picks.length === 0) return;
        m.picks = [];
        break;
      default:
        return;
    }
    ev.preventDefault();
    this.reveal();
    this.render();
    this.events.changed();
  }
}
