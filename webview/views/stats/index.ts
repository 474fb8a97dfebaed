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

/** Rows drawn at most; the rest are summarised in one line (a trace of 100k distinct names). */
const MAX_ROWS = 2000;

const HEADINGS: Array<{ column: StatsColumn; label: string; title: string; numeric: boolean }> = [
  { column: 'service', label: 'Service', title: 'Service', numeric: false },
  { column: 'name', label: 'Operation', title: 'Span name', numeric: false },
  { column: 'count', label: 'Count', title: 'Number of spans', numeric: true },
  { column: 'totalNs', label: 'Total', title: 'Summed duration of the spans', numeric: true },
  {
    column: 'selfNs',
    label: 'Self',
    title: 'Summed self time: duration minus the time covered by child spans',
    numeric: true,
  },
  { column: 'avgNs', label: 'Avg', title: 'Average duration', numeric: true },
  { column: 'p50Ns', label: 'P50', title: 'Median duration (exact, nearest rank)', numeric: true },
  { column: 'p95Ns', label: 'P95', title: '95th percentile duration (exact, nearest rank)', numeric: true },
  { column: 'maxNs', label: 'Max', title: 'Longest span', numeric: true },
  { column: 'errors', label: 'Errors', title: 'Spans with status ERROR or an exception', numeric: true },
];

export class StatsView implements View {
  readonly element: HTMLDivElement;
  private readonly session: Session;
  private readonly body: HTMLTableSectionElement;
  private readonly headRow: HTMLTableRowElement;
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
      attrs: { role: 'radiogroup', 'aria-label': 'Group spans by' },
    });
    for (const [g, label] of [
      ['operation', 'By operation'],
      ['service', 'By service'],
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
      text: 'Click a row to show its spans in the waterfall; n / N walk them.',
    });
    this.headRow = el('tr');
    this.body = el('tbody');
    const table = el('table', { class: 'tl-stats', attrs: { 'data-testid': 'stats-table' } }, [
      el('thead', {}, [this.headRow]),
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
    this.renderHead();
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
    this.headRow
      .querySelector('[data-column="name"]')
      ?.toggleAttribute('hidden', this.grouping === 'service');
  }

  private setSort(column: StatsColumn): void {
    const numeric = HEADINGS.find((h) => h.column === column)?.numeric ?? true;
    this.sort = this.sort.column === column ? { column, desc: !this.sort.desc } : { column, desc: numeric };
    this.applySort();
    this.renderHead();
    this.syncGrouping();
    this.renderBody();
  }

  private applySort(): void {
    const t = this.session.trace;
    if (t) sortStats(this.rows, this.sort.column, this.sort.desc, t.strings, t.services);
  }

  private renderHead(): void {
    this.headRow.replaceChildren(
      ...HEADINGS.map((h) => {
        const sorted = this.sort.column === h.column;
        const button = el('button', {
          class: 'tl-stats-sort',
          text: h.label,
          title: `${h.title}. Click to sort.`,
          attrs: { type: 'button' },
        });
        if (sorted)
          button.append(el('span', { class: `codicon codicon-arrow-${this.sort.desc ? 'down' : 'up'}` }));
        button.addEventListener('click', () => this.setSort(h.column));
        return el(
          'th',
          {
            class: h.numeric ? 'tl-num' : '',
            attrs: {
              scope: 'col',
              'data-column': h.column,
              'aria-sort': sorted ? (this.sort.desc ? 'descending' : 'ascending') : 'none',
            },
          },
          [button],
        );
      }),
    );
  }

  private renderBody(): void {
    const t = this.session.trace;
    if (!t) return;
    const byService = this.grouping === 'service';
    const shown = this.rows.slice(0, MAX_ROWS);
    let maxSelf = 0;
    for (const r of shown) maxSelf = Math.max(maxSelf, r.selfNs);
    this.rowElements = shown.map((r, k) => {
      const svc = t.services[r.service] ?? 'unknown service';
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
          title: `Show the ${formatCount(r.count)} ${byService ? `spans of ${svc}` : `“${name}” spans`} in the waterfall`,
          attrs: { tabindex: k === 0 ? '0' : '-1', 'data-row': String(k), 'data-testid': 'stats-row' },
        },
        cells,
      );
    });
    const more =
      this.rows.length > MAX_ROWS
        ? el('tr', { class: 'tl-stats-more' }, [
            el('td', {
              text: `${formatCount(this.rows.length - MAX_ROWS)} more rows not shown; sort by another column to see others.`,
              attrs: { colspan: String(HEADINGS.length) },
            }),
          ])
        : null;
    this.body.replaceChildren(...this.rowElements, ...(more ? [more] : []));
    const spans = formatCount(t.n);
    this.caption.textContent = `${formatCount(this.rows.length)} ${byService ? 'services' : 'operations'} · ${spans} spans`;
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
    const svc = t.services[r.service] ?? 'unknown service';
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
