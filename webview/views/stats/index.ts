/**
 * The statistics view: a sortable table of the shown trace per operation (service and span name)
 * or per service, computed from the columns (stats.ts). Clicking a row (or Enter on it) filters
 * the waterfall to that row's spans and shows the waterfall on the first; `n`/`N` walk the rest.
 */
import type { SpanDetail } from '../../../src/shared/model';
import type { TraceHandle } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { formatCount, formatDuration } from '../../format';
import { PALETTE_SIZE } from '../../palette';
import { SortHeader, type SortColumn } from '../../sortHeader';
import type { Restored, Session, SessionEvent } from '../../session';
import type { View, ViewContext } from '../view';
import {
  computeStats,
  sortStats,
  spansOfRow,
  type StatsColumn,
  type StatsGrouping,
  type StatsRow,
} from './stats';
import './stats.css';
import { S, fmt } from '../../l10n';

/** Rows drawn at most; the rest are summarised in one line (a trace of 100k distinct names). */
const MAX_ROWS = 2000;

/** The columns; a function, since the page's words arrive after this module loads. */
const headings = (): Array<SortColumn<StatsColumn>> => [
  { key: 'service', label: S.service, title: S.service, numeric: false },
  { key: 'name', label: S.operation, title: S.statsNameTitle, numeric: false },
  { key: 'count', label: S.statsCount, title: S.statsCountTitle, numeric: true },
  { key: 'totalNs', label: S.statsTotal, title: S.statsTotalTitle, numeric: true },
  { key: 'selfNs', label: S.statsSelf, title: S.statsSelfTitle, numeric: true },
  { key: 'avgNs', label: S.statsAvg, title: S.statsAvgTitle, numeric: true },
  { key: 'p50Ns', label: S.statsP50, title: S.statsP50Title, numeric: true },
  { key: 'p95Ns', label: S.statsP95, title: S.statsP95Title, numeric: true },
  { key: 'maxNs', label: S.statsMax, title: S.statsMaxTitle, numeric: true },
  { key: 'errors', label: S.errors, title: S.statsErrorsTitle, numeric: true },
];

export class StatsView implements View {
  readonly element: HTMLDivElement;
  private readonly session: Session;
  private readonly body: HTMLTableSectionElement;
  private readonly header: SortHeader<StatsColumn>;
  private readonly caption: HTMLSpanElement;
  private readonly groupButtons = new Map<StatsGrouping, HTMLButtonElement>();
  private grouping: StatsGrouping = 'operation';
  private sort: { column: StatsColumn; desc: boolean } = { column: 'selfNs', desc: true };
  private rows: StatsRow[] = [];
  /** The trace the rows are of; recomputed when shown after it changed. */
  private computedFor: unknown;
  private rowElements: HTMLTableRowElement[] = [];

  constructor(private readonly ctx: ViewContext) {
    const s = (this.session = ctx.session);
    const group = el('div', {
      class: 'tl-seg',
      attrs: { role: 'radiogroup', 'aria-label': S.groupSpansBy },
    });
    for (const [g, label] of [
      ['operation', S.byOperation],
      ['service', S.byService],
    ] as const) {
      const b = el('button', {
        class: 'tl-seg-btn',
        text: label,
        attrs: { type: 'button', role: 'radio', 'data-grouping': g },
      });
      b.addEventListener('click', () => this.setGrouping(g));
      this.groupButtons.set(g, b);
      group.append(b);
    }
    this.caption = el('span', { class: 'tl-stats-caption', attrs: { 'aria-live': 'polite' } });
    const hint = el('span', {
      class: 'tl-stats-hint',
      text: S.statsHint,
    });
    this.header = new SortHeader(
      headings(),
      {
        tag: 'th',
        cellClass: (h) => (h.numeric ? 'tl-num' : ''),
        cellAttrs: (h) => ({ scope: 'col', 'data-column': h.key }),
        buttonClass: 'tl-stats-sort',
        labelSpan: false,
      },
      (column) => this.setSort(column),
    );
    this.body = el('tbody');
    const table = el('table', { class: 'tl-stats', attrs: { 'data-testid': 'stats-table' } }, [
      el('thead', {}, [el('tr', {}, this.header.cells)]),
      this.body,
    ]);
    this.body.addEventListener('click', (ev) => {
      const tr = (ev.target as HTMLElement).closest('tr');
      if (tr) this.activate(Number(tr.dataset.row));
    });
    this.body.addEventListener('keydown', (ev) => this.onKey(ev));
    this.element = el('div', { class: 'tl-view tl-view-stats', attrs: { 'data-testid': 'view-stats' } }, [
      el('div', { class: 'tl-stats-bar' }, [group, this.caption, hint]),
      el('div', { class: 'tl-stats-scroll' }, [table]),
    ]);
    this.header.show(this.sort.column, this.sort.desc);
    this.syncGrouping();
    s.on((e) => this.follow(e));
  }

  loaded(_restored: Restored): void {
    if (!this.element.hidden) this.refresh();
  }

  shown(): void {
    this.refresh();
  }

  detailArrived(_handle: TraceHandle, _index: number, _detail: SpanDetail | null): void {}

  themeChanged(): void {}

  focus(): void {
    (this.rowElements[0] ?? this.groupButtons.get(this.grouping))?.focus();
  }

  private follow(e: SessionEvent): void {
    if (e.type === 'trace' && !this.element.hidden) this.refresh();
    if (e.type === 'selection' || e.type === 'filter') this.markCurrent();
  }

  /** Recomputes the rows if the trace changed since, then redraws. */
  private refresh(): void {
    const t = this.session.trace;
    if (!t) return;
    if (this.computedFor !== t) {
      this.computedFor = t;
      this.rows = computeStats(t, this.grouping);
      this.applySort();
    }
    this.renderBody();
  }

  private setGrouping(g: StatsGrouping): void {
    if (g === this.grouping) return;
    this.grouping = g;
    this.computedFor = undefined;
    this.syncGrouping();
    this.refresh();
  }

  private syncGrouping(): void {
    for (const [g, b] of this.groupButtons) b.setAttribute('aria-checked', String(g === this.grouping));
    this.header.cell('name')?.toggleAttribute('hidden', this.grouping === 'service');
  }

  private setSort(column: StatsColumn): void {
    const numeric = headings().find((h) => h.key === column)?.numeric ?? true;
    this.sort = this.sort.column === column ? { column, desc: !this.sort.desc } : { column, desc: numeric };
    this.applySort();
    this.header.show(column, this.sort.desc);
    this.renderBody();
  }

  private applySort(): void {
    const t = this.session.trace;
    if (t) sortStats(this.rows, this.sort.column, this.sort.desc, t.strings, t.services);
  }

  private renderBody(): void {
    const t = this.session.trace;
    if (!t) return;
    const byService = this.grouping === 'service';
    const shown = this.rows.slice(0, MAX_ROWS);
    let maxSelf = 0;
    for (const r of shown) maxSelf = Math.max(maxSelf, r.selfNs);
    this.rowElements = shown.map((r, k) => {
      const svc = t.services[r.service] ?? S.unknownService;
      const name = r.name < 0 ? '' : (t.strings[r.name] ?? '');
      const swatch = el('span', { class: 'tl-swatch', attrs: { 'aria-hidden': 'true' } });
      swatch.style.setProperty('--svc', `var(--tl-svc-${r.service % PALETTE_SIZE})`);
      const bar = el('span', { class: 'tl-stats-bar-fill', attrs: { 'aria-hidden': 'true' } });
      bar.style.setProperty('--w', `${maxSelf > 0 ? (100 * r.selfNs) / maxSelf : 0}%`);
      const cells = [
        el('td', { class: 'tl-stats-svc', title: svc }, [swatch, el('span', { text: svc })]),
        byService ? null : el('td', { class: 'tl-stats-name', text: name, title: name }),
        el('td', { class: 'tl-num', text: formatCount(r.count) }),
        el('td', { class: 'tl-num', text: formatDuration(r.totalNs) }),
        el('td', { class: 'tl-num tl-stats-self' }, [bar, el('span', { text: formatDuration(r.selfNs) })]),
        el('td', { class: 'tl-num', text: formatDuration(r.avgNs) }),
        el('td', { class: 'tl-num', text: formatDuration(r.p50Ns) }),
        el('td', { class: 'tl-num', text: formatDuration(r.p95Ns) }),
        el('td', { class: 'tl-num', text: formatDuration(r.maxNs) }),
        el('td', { class: `tl-num${r.errors > 0 ? ' tl-stats-err' : ''}`, text: formatCount(r.errors) }),
      ];
      return el(
        'tr',
        {
          class: 'tl-stats-row',
          title: fmt(
            byService ? S.statsShowServiceSpans : S.statsShowNameSpans,
            formatCount(r.count),
            byService ? svc : name,
          ),
          attrs: { tabindex: k === 0 ? '0' : '-1', 'data-row': String(k), 'data-testid': 'stats-row' },
        },
        cells,
      );
    });
    const more =
      this.rows.length > MAX_ROWS
        ? el('tr', { class: 'tl-stats-more' }, [
            el('td', {
              text: fmt(S.statsMoreRows, formatCount(this.rows.length - MAX_ROWS)),
              attrs: { colspan: String(headings().length) },
            }),
          ])
        : null;
    this.body.replaceChildren(...this.rowElements, ...(more ? [more] : []));
    const spans = formatCount(t.n);
    this.caption.textContent = fmt(
      byService ? S.statsCaptionServices : S.statsCaptionOperations,
      formatCount(this.rows.length),
      spans,
    );
    this.markCurrent();
  }

  /** Marks the row of the span set being walked, and the row of the selected span. */
  private markCurrent(): void {
    const t = this.session.trace;
    if (!t) return;
    const set = this.session.spanSet?.label;
    const sel = this.session.selected;
    this.rowElements.forEach((tr, k) => {
      const r = this.rows[k]!;
      tr.classList.toggle('tl-stats-active', set !== undefined && set === this.labelOf(r));
      const hasSel = sel >= 0 && t.c.service[sel] === r.service && (r.name < 0 || t.c.name[sel] === r.name);
      tr.classList.toggle('tl-stats-selected', hasSel);
    });
  }

  private labelOf(r: StatsRow): string {
    const t = this.session.trace!;
    const svc = t.services[r.service] ?? S.unknownService;
    return r.name < 0 ? svc : `${svc} › ${t.strings[r.name] ?? ''}`;
  }

  /** Filters the waterfall to row `k`'s spans and shows the waterfall on the first. */
  private activate(k: number): void {
    const t = this.session.trace;
    const r = this.rows[k];
    if (!t || !r) return;
    this.session.setSpanSet({ label: this.labelOf(r), mask: spansOfRow(t, r) });
    this.ctx.show?.('waterfall');
  }

  private onKey(ev: KeyboardEvent): void {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (!tr) return;
    const k = Number(tr.dataset.row);
    let next = k;
    switch (ev.key) {
      case 'Enter':
      case ' ':
        this.activate(k);
        break;
      case 'ArrowDown':
        next = Math.min(k + 1, this.rowElements.length - 1);
        break;
      case 'ArrowUp':
        next = Math.max(k - 1, 0);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.rowElements.length - 1;
        break;
      default:
        return;
    }
    ev.preventDefault();
    ev.stopPropagation();
    if (next !== k) {
      tr.tabIndex = -1;
      const to = this.rowElements[next]!;
      to.tabIndex = 0;
      to.focus();
    }
  }
}
