/**
 * The search results view (a webview whose subject is `{ kind: 'search' }`): what was searched
 * (query, range, backend), a duration-over-time scatter plot, and a sortable table of the traces
 * found. A click on a point or a row opens the trace; two picked rows can be compared. Every
 * piece of trace data reaches the DOM as text.
 */
import './search.css';
import type { SearchPayload, SearchRow } from '../../../src/shared/protocol';
import { el, icon } from '../../dom';
import { formatCount } from '../../format';
import type { HostApi } from '../../hostApi';
import { ScatterPlot } from './plot';
import { ResultsTable } from './table';
import { S, fmt } from '../../l10n';

/** What the search view is built with. */
export interface SearchViewContext {
  host: HostApi;
}

/** "13:05 – 14:05" (or with dates when the range spans days) for a range in Unix seconds. */
function rangeText(start: number, end: number): string {
  if (!(end > start) || start <= 0) return '';
  const a = new Date(start * 1000);
  const b = new Date(end * 1000);
  const time = (d: Date) => d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const day = (d: Date) => d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  return a.toDateString() === b.toDateString()
    ? `${time(a)} – ${time(b)}`
    : `${day(a)} ${time(a)} – ${day(b)} ${time(b)}`;
}

function fact(label: string, value: string, testId: string): HTMLSpanElement {
  return el('span', { class: 'tl-fact' }, [
    el('span', { class: 'tl-fact-label', text: label }),
    el('span', { class: 'tl-fact-value', text: value, attrs: { 'data-testid': testId } }),
  ]);
}

export class SearchView {
  readonly element: HTMLDivElement;
  private readonly query: HTMLElement;
  private readonly facts: HTMLDivElement;
  private readonly note: HTMLDivElement;
  private readonly progress: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly results: HTMLDivElement;
  private readonly compare: HTMLButtonElement;
  private readonly plot: ScatterPlot;
  private readonly table: ResultsTable;
  private readonly host: HostApi;
  private search: SearchPayload | undefined;

  constructor(ctx: SearchViewContext) {
    this.host = ctx.host;
    this.query = el('code', { class: 'tl-sr-query', attrs: { 'data-testid': 'search-query' } });
    const again = el(
      'button',
      {
        class: 'tl-btn tl-btn-text',
        title: S.runAgainTitle,
        attrs: { type: 'button', 'data-testid': 'search-again' },
      },
      [icon('refresh'), el('span', { text: S.runAgain })],
    );
    again.addEventListener('click', () => this.host.refresh());
    this.compare = el(
      'button',
      { class: 'tl-btn tl-btn-text', attrs: { type: 'button', 'data-testid': 'search-compare' } },
      [icon('git-compare'), el('span', { text: S.compare })],
    );
    this.compare.addEventListener('click', () => this.runCompare());
    this.facts = el('div', { class: 'tl-facts' });
    this.note = el('div', { class: 'tl-sr-note', attrs: { role: 'status', 'data-testid': 'search-note' } });
    this.note.hidden = true;
    const header = el('div', { class: 'tl-header tl-sr-header' }, [
      el('div', { class: 'tl-header-top' }, [
        icon('search', 'tl-sr-query-icon'),
        this.query,
        el('div', { class: 'tl-header-actions' }, [this.compare, again]),
      ]),
      this.facts,
      this.note,
    ]);
    this.progress = el('div', {
      class: 'tl-progress',
      attrs: { role: 'progressbar', 'aria-label': S.searching },
    });
    this.progress.hidden = true;
    this.plot = new ScatterPlot({
      open: (row) => {
        this.table.setCursor(row);
        this.open(row);
      },
      hover: (row) => this.table.highlight(row),
    });
    this.table = new ResultsTable({
      open: (row) => this.open(row),
      changed: () => this.syncMarks(),
      hover: (row) => this.plot.highlight(row),
    });
    this.status = el('div', { class: 'tl-status' });
    this.status.hidden = true;
    this.results = el('div', { class: 'tl-sr-results' }, [this.plot.element, this.table.element]);
    this.element = el('div', { class: 'tl-sr', attrs: { 'data-testid': 'search-view' } }, [
      this.progress,
      header,
      this.status,
      this.results,
    ]);
    this.syncCompare();
  }

  /** Shows a search: its query and range, and its results once they are in. */
  show(search: SearchPayload): void {
    const previous = this.search;
    this.search = search;
    this.query.textContent = search.query;
    this.query.title = search.query;
    const range = rangeText(search.start, search.end);
    const n = search.rows.length;
    const facts = [
      fact(S.range, search.rangeLabel + (range ? ` (${range})` : ''), 'search-range'),
      fact(S.searchIn, search.backendName, 'search-backend'),
    ];
    if (search.status === 'done')
      facts.push(fact(S.searchFound, n === 1 ? S.oneTrace : fmt(S.nTraces, formatCount(n)), 'search-count'));
    this.facts.replaceChildren(...facts);
    const notes: string[] = [];
    if (search.status === 'done' && search.limit > 0 && n >= search.limit)
      notes.push(fmt(S.searchLimited, formatCount(search.limit)));
    if (search.message && search.status !== 'error') notes.push(search.message);
    this.note.textContent = notes.join(' ');
    this.note.hidden = notes.length === 0;
    this.progress.hidden = search.status !== 'running';

    if (
      search.status === 'running' &&
      previous &&
      previous.query === search.query &&
      previous.rows.length > 0
    ) {
      // Running the same search again: keep the old results on screen under the progress bar.
      this.syncCompare();
      return;
    }
    if (search.status !== 'done' || n === 0) {
      this.results.hidden = true;
      this.status.hidden = false;
      this.status.replaceChildren(this.statusBox(search));
      this.table.setRows([]);
      this.plot.setRows([]);
    } else {
      this.status.hidden = true;
      this.status.replaceChildren();
      this.results.hidden = false;
      this.table.setRows(search.rows);
      this.plot.setRows(search.rows);
    }
    this.syncMarks();
  }

  private statusBox(search: SearchPayload): HTMLElement {
    if (search.status === 'running') {
      return el(
        'div',
        { class: 'tl-status-box', attrs: { role: 'status', 'data-testid': 'search-running' } },
        [
          icon('loading', 'codicon-modifier-spin tl-status-icon'),
          el('div', { class: 'tl-status-title', text: S.searchingEllipsis }),
        ],
      );
    }
    if (search.status === 'error') {
      const retry = el('button', {
        class: 'tl-btn tl-btn-text tl-primary',
        text: S.tryAgain,
        attrs: { type: 'button' },
      });
      retry.addEventListener('click', () => this.host.refresh());
      return el(
        'div',
        { class: 'tl-status-box tl-error-box', attrs: { role: 'alert', 'data-testid': 'search-error' } },
        [
          icon('error', 'tl-status-icon'),
          el('div', { class: 'tl-status-title', text: S.searchFailed }),
          el('p', { class: 'tl-error-message', text: search.message ?? S.backendNoAnswer }),
          retry,
        ],
      );
    }
    return el('div', { class: 'tl-status-box', attrs: { role: 'status', 'data-testid': 'search-empty' } }, [
      icon('search', 'tl-status-icon'),
      el('div', { class: 'tl-status-title', text: S.noTracesMatched }),
      el('div', {
        class: 'tl-status-detail',
        text: fmt(S.nothingMatched, search.rangeLabel.toLowerCase() || S.theRange),
      }),
    ]);
  }

  private row(i: number): SearchRow | undefined {
    return this.table.model.rows[i];
  }

  private open(i: number): void {
    const r = this.row(i);
    if (r) this.host.openTrace(r.traceId, r.spanId);
  }

  private syncMarks(): void {
    this.plot.setMarks(this.table.model.cursor, this.table.model.picks);
    this.syncCompare();
  }

  /** Compare is offered when the host has the command and exactly two rows are picked. */
  private syncCompare(): void {
    const can = this.search?.canCompare === true;
    const pair = this.table.model.comparison();
    let title: string;
    if (!can) title = S.compareUnavailable;
    else if (!pair) title = S.pickTwoToCompare;
    else title = fmt(S.compareAWithB, pair[0].traceId.slice(0, 8), pair[1].traceId.slice(0, 8));
    const enabled = can && pair !== undefined;
    // aria-disabled rather than disabled: the button stays focusable and its tooltip says why.
    this.compare.setAttribute('aria-disabled', enabled ? 'false' : 'true');
    this.compare.classList.toggle('tl-disabled', !enabled);
    this.compare.title = title;
  }

  private runCompare(): void {
    const pair = this.table.model.comparison();
    if (!this.search?.canCompare || !pair) return;
    this.host.compareTraces(pair[0], pair[1]);
  }

  /** Puts the keyboard focus on the table. */
  focus(): void {
    this.table.focus();
  }
}
