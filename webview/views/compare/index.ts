/**
 * The comparison view of a compare panel: trace A (the reference) against trace B, one row per
 * operation (the path of service and span name from the root), count and durations in A and B
 * and the difference, largest difference first; operations only B has are `new`, only A has
 * `gone`. Clicking a row shows that operation's spans in B's waterfall, where every span carries
 * its operation's delta badge.
 */
import type { SpanDetail } from '../../../src/shared/model';
import type { TraceHandle, WireComparison } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { formatCount, formatDuration } from '../../format';
import type { Restored, Session, SessionEvent } from '../../session';
import { spanName } from '../../trace';
import type { View, ViewContext } from '../view';
import {
  averages,
  filterOperations,
  pathLabel,
  signedDuration,
  spansOfOperation,
  type CompareFilter,
} from './compare';
import './compare.css';
import '../stats/stats.css';
import { S, fmt } from '../../l10n';

/** Rows drawn at most (the rest are summarised). */
const MAX_ROWS = 2000;

export class CompareView implements View {
  readonly element: HTMLDivElement;
  private readonly session: Session;
  private readonly summary: HTMLDivElement;
  private readonly filters: HTMLDivElement;
  private readonly body: HTMLTableSectionElement;
  private readonly empty: HTMLDivElement;
  private filter: CompareFilter = 'all';
  private shownOps: number[] = [];

  constructor(private readonly ctx: ViewContext) {
    const s = (this.session = ctx.session);
    this.summary = el('div', { class: 'tl-cmp-summary', attrs: { 'data-testid': 'compare-summary' } });
    this.filters = el('div', {
      class: 'tl-seg',
      attrs: { role: 'radiogroup', 'aria-label': S.operationsToList },
    });
    const head = el('tr', {}, [
      th(S.operation, S.cmpOperationTitle, false),
      th(S.cmpCountA, S.cmpCountATitle, true),
      th(S.cmpCountB, S.cmpCountBTitle, true),
      th(S.cmpAvgA, S.cmpAvgATitle, true),
      th(S.cmpAvgB, S.cmpAvgBTitle, true),
      th(S.cmpTotalA, S.cmpTotalATitle, true),
      th(S.cmpTotalB, S.cmpTotalBTitle, true),
      th(S.cmpDeltaTotal, S.cmpDeltaTotalTitle, true),
      th(S.cmpDeltaSelf, S.cmpDeltaSelfTitle, true),
    ]);
    this.body = el('tbody');
    this.body.addEventListener('click', (ev) => {
      const tr = (ev.target as HTMLElement).closest('tr');
      if (tr?.dataset.op) this.activate(Number(tr.dataset.op));
    });
    this.body.addEventListener('keydown', (ev) => this.onKey(ev));
    this.empty = el('div', { class: 'tl-cmp-empty', text: S.comparing });
    this.element = el(
      'div',
      { class: 'tl-view tl-view-compare tl-view-stats', attrs: { 'data-testid': 'view-compare' } },
      [
        this.summary,
        el('div', { class: 'tl-stats-bar' }, [
          this.filters,
          el('span', {
            class: 'tl-stats-hint',
            text: S.cmpHint,
          }),
        ]),
        this.empty,
        el('div', { class: 'tl-stats-scroll' }, [
          el('table', { class: 'tl-stats tl-cmp', attrs: { 'data-testid': 'compare-table' } }, [
            el('thead', {}, [head]),
            this.body,
          ]),
        ]),
      ],
    );
    s.on((e) => this.follow(e));
  }

  loaded(_restored: Restored): void {
    this.render();
  }

  shown(): void {
    this.render();
  }

  detailArrived(_handle: TraceHandle, _index: number, _detail: SpanDetail | null): void {}

  traceFailed(handle: TraceHandle, message: string): void {
    this.empty.hidden = false;
    this.empty.textContent = fmt(S.cmpTraceFailed, handle.toUpperCase(), message);
  }

  themeChanged(): void {}

  focus(): void {
    this.body.querySelector<HTMLElement>('tr[tabindex="0"]')?.focus();
  }

  private follow(e: SessionEvent): void {
    if (e.type === 'comparison' || e.type === 'trace') this.render();
  }

  private render(): void {
    const c = this.session.comparison;
    if (c) this.empty.hidden = true;
    if (!c || this.element.hidden) return;
    this.renderSummary(c);
    this.renderFilters(c);
    this.shownOps = filterOperations(c, this.filter);
    const rows = this.shownOps.slice(0, MAX_ROWS).map((k, pos) => this.row(c, k, pos));
    const more =
      this.shownOps.length > MAX_ROWS
        ? el('tr', { class: 'tl-stats-more' }, [
            el('td', {
              text: fmt(S.cmpMoreRows, formatCount(this.shownOps.length - MAX_ROWS)),
              attrs: { colspan: '9' },
            }),
          ])
        : null;
    this.body.replaceChildren(...rows, ...(more ? [more] : []));
  }

  private renderSummary(c: WireComparison): void {
    const a = this.session.traces.get('a');
    const b = this.session.traces.get('b');
    const side = (label: string, t: typeof a) =>
      el('div', { class: 'tl-cmp-side' }, [
        el('span', { class: 'tl-cmp-letter', text: label }),
        t
          ? el('span', {}, [
              el('span', { class: 'tl-cmp-root', text: t.n > 0 ? spanName(t, 0) : S.noSpans }),
              el('span', {
                class: 'tl-muted',
                text: ` ${fmt(
                  S.cmpSide,
                  t.wire.model.traceId.slice(0, 16),
                  formatDuration(t.wire.model.durationNs),
                  formatCount(t.n),
                  t.wire.header.backendName,
                )}`,
              }),
            ])
          : el('span', { class: 'tl-muted', text: S.notLoaded }),
      ]);
    const parts: HTMLElement[] = [side('A', a), side('B', b)];
    if (a && b) {
      const d = b.wire.model.durationNs - a.wire.model.durationNs;
      const pct = a.wire.model.durationNs > 0 ? (100 * d) / a.wire.model.durationNs : 0;
      parts.push(
        el('div', { class: 'tl-cmp-total' }, [
          el('span', {
            class: d > 0 ? 'tl-cmp-slower' : d < 0 ? 'tl-cmp-faster' : '',
            text: fmt(S.cmpTook, signedDuration(d), `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}`),
          }),
          el('span', {
            class: 'tl-muted',
            text: ` · ${fmt(S.cmpCounts, formatCount(c.operations.length), formatCount(c.added), formatCount(c.missing))}`,
          }),
        ]),
      );
    }
    this.summary.replaceChildren(...parts);
  }

  private renderFilters(c: WireComparison): void {
    const make = (f: CompareFilter, label: string) => {
      const b = el('button', {
        class: 'tl-seg-btn',
        text: label,
        attrs: {
          type: 'button',
          role: 'radio',
          'aria-checked': String(f === this.filter),
          'data-filter': f,
        },
      });
      b.addEventListener('click', () => {
        this.filter = f;
        this.render();
      });
      return b;
    };
    this.filters.replaceChildren(
      make('all', S.cmpAll),
      make('changed', S.cmpChanged),
      make('added', fmt(S.cmpNewInB, c.added)),
      make('missing', fmt(S.cmpGoneFromA, c.missing)),
    );
  }

  private row(c: WireComparison, k: number, pos: number): HTMLTableRowElement {
    const op = c.operations[k]!;
    const { a, b } = averages(op);
    const path = pathLabel(c, k);
    const name = el('td', { class: 'tl-cmp-op', title: path }, [
      el('span', { class: 'tl-cmp-indent' }),
      op.change === 'added' ? el('span', { class: 'tl-cmp-tag tl-cmp-new', text: S.tagNew }) : null,
      op.change === 'missing' ? el('span', { class: 'tl-cmp-tag tl-cmp-gone', text: S.tagGone }) : null,
      el('span', { class: 'tl-cmp-svc', text: `${op.service}: ` }),
      el('span', { text: op.name }),
    ]);
    name.style.setProperty('--depth', String(Math.min(op.depth, 12)));
    const delta = (ns: number) =>
      el('td', {
        class: `tl-num ${ns > 0 ? 'tl-cmp-slower' : ns < 0 ? 'tl-cmp-faster' : ''}`,
        text: signedDuration(ns),
      });
    const dur = (ns: number, has: boolean) =>
      el('td', { class: 'tl-num', text: has ? formatDuration(ns) : '–' });
    return el(
      'tr',
      {
        class: `tl-stats-row${op.countB === 0 ? ' tl-cmp-only-a' : ''}`,
        title: op.countB > 0 ? fmt(S.cmpShowSpans, formatCount(op.countB)) : S.cmpOnlyA,
        attrs: { tabindex: pos === 0 ? '0' : '-1', 'data-op': String(k), 'data-testid': 'compare-row' },
      },
      [
        name,
        el('td', { class: 'tl-num', text: formatCount(op.countA) }),
        el('td', { class: 'tl-num', text: formatCount(op.countB) }),
        dur(a, op.countA > 0),
        dur(b, op.countB > 0),
        dur(op.durationA, op.countA > 0),
        dur(op.durationB, op.countB > 0),
        delta(op.durationDelta),
        delta(op.selfDelta),
      ],
    );
  }

  /** Shows operation `k`'s spans in B's waterfall. */
  private activate(k: number): void {
    const c = this.session.comparison;
    const t = this.session.trace;
    if (!c || !t || this.session.handle !== 'b') return;
    const op = c.operations[k];
    if (!op || op.countB === 0) return;
    this.session.setSpanSet({ label: pathLabel(c, k), mask: spansOfOperation(c, k, t.n) });
    this.ctx.show?.('waterfall');
  }

  private onKey(ev: KeyboardEvent): void {
    const tr = (ev.target as HTMLElement).closest('tr');
    if (!tr) return;
    const rows = Array.from(this.body.querySelectorAll<HTMLTableRowElement>('tr[data-op]'));
    const k = rows.indexOf(tr);
    let next = k;
    if (ev.key === 'Enter' || ev.key === ' ') this.activate(Number(tr.dataset.op));
    else if (ev.key === 'ArrowDown') next = Math.min(k + 1, rows.length - 1);
    else if (ev.key === 'ArrowUp') next = Math.max(k - 1, 0);
    else return;
    ev.preventDefault();
    ev.stopPropagation();
    const to = rows[next];
    if (next !== k && to) {
      tr.tabIndex = -1;
      to.tabIndex = 0;
      to.focus();
    }
  }
}

function th(label: string, title: string, numeric: boolean): HTMLTableCellElement {
  return el('th', { class: numeric ? 'tl-num' : '', text: label, title, attrs: { scope: 'col' } });
}
