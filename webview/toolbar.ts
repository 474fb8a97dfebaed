/** The toolbar under the header: search and filter, tree and zoom controls. */
import { el, icon, iconButton } from './dom';
import { formatCount } from './format';
import { S, fmt } from './l10n';

/** What the toolbar asks its owner to do. */
export interface ToolbarActions {
  search(query: string): void;
  nextMatch(delta: 1 | -1): void;
  setOnlyMatches(on: boolean): void;
  setService(service: number): void;
  expandAll(): void;
  collapseToDepth(depth: number): void;
  collapseShorterThan(text: string): void;
  toggleCritical(): void;
  resetZoom(): void;
  clearSearch(): void;
}

export class Toolbar {
  readonly element: HTMLDivElement;
  readonly search: HTMLInputElement;
  private readonly count: HTMLSpanElement;
  private readonly problem: HTMLDivElement;
  private readonly only: HTMLButtonElement;
  private readonly services: HTMLSelectElement;
  private readonly depth: HTMLSelectElement;
  private readonly shorter: HTMLInputElement;
  private readonly critical: HTMLButtonElement;
  private readonly resetZoomBtn: HTMLButtonElement;
  private readonly clearBtn: HTMLButtonElement;
  private debounce = 0;
  /** Milliseconds to wait after a keystroke before searching (longer for big traces). */
  delay = 0;

  constructor(private readonly actions: ToolbarActions) {
    this.search = el('input', {
      class: 'tl-search-input',
      attrs: {
        id: 'tl-search',
        type: 'search',
        spellcheck: 'false',
        autocomplete: 'off',
        placeholder: S.searchPlaceholder,
        'aria-label': S.searchLabel,
      },
    });
    this.count = el('span', {
      class: 'tl-match-count',
      attrs: { 'data-testid': 'match-count', 'aria-live': 'polite' },
    });
    const prev = iconButton('arrow-up', S.previousMatch, () => actions.nextMatch(-1));
    prev.setAttribute('data-testid', 'prev-match');
    const next = iconButton('arrow-down', S.nextMatch, () => actions.nextMatch(1));
    next.setAttribute('data-testid', 'next-match');
    this.clearBtn = iconButton('close', S.clearSearch, () => actions.clearSearch());
    this.clearBtn.classList.add('tl-search-clear');
    this.only = iconButton('filter', S.onlyMatches, () => {
      const on = this.only.getAttribute('aria-pressed') !== 'true';
      this.setOnlyMatches(on);
      actions.setOnlyMatches(on);
    });
    this.only.setAttribute('aria-pressed', 'false');
    this.only.setAttribute('data-testid', 'only-matches');
    this.search.addEventListener('input', () => {
      clearTimeout(this.debounce);
      if (this.delay <= 0) actions.search(this.search.value);
      else this.debounce = window.setTimeout(() => actions.search(this.search.value), this.delay);
    });
    this.search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        clearTimeout(this.debounce);
        actions.search(this.search.value);
        actions.nextMatch(ev.shiftKey ? -1 : 1);
      }
    });
    const searchBox = el('div', { class: 'tl-search-box' }, [
      icon('search', 'tl-search-icon'),
      this.search,
      this.clearBtn,
      this.count,
      prev,
      next,
      this.only,
    ]);

    this.services = el('select', {
      class: 'tl-select',
      attrs: {
        'aria-label': S.service,
        'data-testid': 'service-picker',
        title: S.serviceTitle,
      },
    });
    this.services.addEventListener('change', () => actions.setService(Number(this.services.value)));

    const expand = iconButton('expand-all', S.expandAll, () => actions.expandAll());
    expand.setAttribute('data-testid', 'expand-all');
    this.depth = el('select', {
      class: 'tl-select',
      attrs: {
        'aria-label': S.collapseBelow,
        'data-testid': 'collapse-depth',
        title: S.collapseBelowTitle,
      },
    });
    this.depth.addEventListener('change', () => {
      const v = Number(this.depth.value);
      if (v >= 0) actions.collapseToDepth(v);
      this.depth.value = '-1';
    });
    this.shorter = el('input', {
      class: 'tl-input tl-shorter',
      attrs: {
        type: 'text',
        placeholder: S.shorterPlaceholder,
        'aria-label': S.shorterLabel,
        title: S.shorterTitle,
        'data-testid': 'collapse-shorter',
        spellcheck: 'false',
      },
    });
    this.shorter.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        actions.collapseShorterThan(this.shorter.value);
      }
    });
    const collapseAll = iconButton('collapse-all', S.collapseAll, () => actions.collapseToDepth(0));
    collapseAll.setAttribute('data-testid', 'collapse-all');
    this.critical = iconButton('pulse', S.criticalPathTitle, () => actions.toggleCritical(), S.criticalPath);
    this.critical.setAttribute('aria-pressed', 'false');
    this.critical.setAttribute('data-testid', 'critical-toggle');
    this.resetZoomBtn = iconButton('zoom-out', S.resetZoomTitle, () => actions.resetZoom(), S.resetZoom);
    this.resetZoomBtn.setAttribute('data-testid', 'reset-zoom');
    this.resetZoomBtn.hidden = true;
    this.problem = el('div', {
      class: 'tl-search-problem',
      attrs: { role: 'status', 'data-testid': 'search-problem' },
    });
    this.problem.hidden = true;

    this.element = el(
      'div',
      { class: 'tl-toolbar', attrs: { role: 'toolbar', 'aria-label': S.traceTools } },
      [
        el('div', { class: 'tl-toolbar-row' }, [
          searchBox,
          this.services,
          el('div', { class: 'tl-toolbar-group' }, [expand, collapseAll, this.depth, this.shorter]),
          el('div', { class: 'tl-toolbar-group' }, [this.critical, this.resetZoomBtn]),
        ]),
        this.problem,
      ],
    );
    this.setCount(0, 0, false);
  }

  /** Fills the service picker and the depth menu for a new trace. */
  setTrace(services: string[], maxDepth: number): void {
    const opts = [el('option', { text: S.allServices, attrs: { value: '-1' } })];
    const order = services.map((s, i) => [s, i] as const).sort((a, b) => a[0].localeCompare(b[0]));
    for (const [s, i] of order) opts.push(el('option', { text: s, attrs: { value: String(i) } }));
    this.services.replaceChildren(...opts);
    const depths = [el('option', { text: S.collapseToDepth, attrs: { value: '-1' } })];
    for (let d = 1; d <= Math.min(maxDepth, 12); d++)
      depths.push(el('option', { text: fmt(S.depthN, d), attrs: { value: String(d) } }));
    this.depth.replaceChildren(...depths);
    this.depth.value = '-1';
  }

  /**
   * Shows the service filter: one service, all (-1), or, when the legend picked several
   * (`count` > 1), "N services".
   */
  setService(service: number, count = service >= 0 ? 1 : 0): void {
    let several = this.services.querySelector<HTMLOptionElement>('option[value="-2"]');
    if (count > 1) {
      if (!several) {
        several = el('option', { attrs: { value: '-2', disabled: '' } });
        this.services.append(several);
      }
      several.textContent = fmt(S.nServices, count);
      this.services.value = '-2';
      return;
    }
    several?.remove();
    this.services.value = String(service);
  }

  setQuery(q: string): void {
    this.search.value = q;
  }

  setOnlyMatches(on: boolean): void {
    this.only.setAttribute('aria-pressed', String(on));
    this.only.classList.toggle('tl-on', on);
  }

  setCritical(on: boolean): void {
    this.critical.setAttribute('aria-pressed', String(on));
    this.critical.classList.toggle('tl-on', on);
  }

  setZoomed(zoomed: boolean): void {
    this.resetZoomBtn.hidden = !zoomed;
  }

  /** "3 of 12" (current is 1-based, 0 when no match is selected). */
  setCount(current: number, total: number, active: boolean): void {
    this.clearBtn.hidden = this.search.value === '';
    this.count.hidden = !active;
    this.element.classList.toggle('tl-no-match', active && total === 0);
    if (!active) this.count.textContent = '';
    else if (total === 0) this.count.textContent = S.noMatches;
    else
      this.count.textContent =
        current > 0
          ? fmt(S.matchOf, formatCount(current), formatCount(total))
          : fmt(S.found, formatCount(total));
  }

  setProblem(text: string): void {
    this.problem.textContent = text;
    this.problem.hidden = text === '';
  }
}
