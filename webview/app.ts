/**
 * The panel's shell: the loading and error states, the trace header, the toolbar (search, filter,
 * tree and zoom controls, shared by the views), the switch between views, the theme, the
 * global keys and saving the state. The state itself is the session's (session.ts), the host
 * channel is hostApi.ts, the key map keys.ts, and each view lives in views/<name>/.
 */
import type {
  PanelHistoryState,
  PanelLayout,
  SearchPayload,
  TraceEntry,
  WebviewSubject,
} from '../src/shared/protocol';
import { ErrorBanner, errorActions } from './banner';
import { el, icon } from './dom';
import { renderHeader } from './header';
import { Legend } from './legend';
import { HostApi, type VsCodeApi } from './hostApi';
import { globalKey } from './keys';
import { Session, type SessionEvent } from './session';
import { readState, type ViewState } from './state';
import { applyPalette, watchTheme } from './theme';
import { Toolbar } from './toolbar';
import { ViewTabs } from './viewTabs';
import { SUBJECT_VIEWS, VIEWS, isViewName, type SearchView, type ViewEntry, type ViewName } from './views';
import type { View } from './views/view';
import { S, fmt } from './l10n';

export type { VsCodeApi } from './hostApi';

export class App {
  private readonly shell: HTMLDivElement;
  private readonly headerSlot: HTMLDivElement;
  private readonly progress: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly viewer: HTMLDivElement;
  private readonly toolbar: Toolbar;
  private readonly legend: Legend;
  private readonly banner: ErrorBanner;
  private readonly session: Session;
  private readonly host: HostApi;
  private readonly views = new Map<ViewName, View>();
  private view: View;
  private viewName: ViewName = VIEWS[0].name;
  private readonly tabs: ViewTabs;
  /** "Compare with…": a single-trace panel asks the host to compare its trace with another. */
  private readonly compareButton: HTMLButtonElement;
  /** Says which span set (a statistics row) filters the views, with a button to drop it. */
  private readonly spanSetBar: HTMLDivElement;
  /** The search results view, when the subject is a search. */
  private searchView: SearchView | undefined;
  private saveTimer = 0;
  /** Where the panel is in its back/forward history (from `init`). */
  private history: PanelHistoryState = { back: false, forward: false };
  /** The pane sizes last told to the host (JSON), '' before the first save. */
  private postedLayout = '';

  constructor(
    root: HTMLElement,
    private readonly api: VsCodeApi,
  ) {
    const s = (this.session = new Session(readState(api.getState())));
    this.host = new HostApi(api, {
      init: (subject, traces, panel) => {
        this.history = panel.history;
        if (panel.layout) s.workspaceLayout = panel.layout;
        this.onInit(subject, traces);
      },
      trace: (entry) => this.showTrace(entry, false),
      loading: (handle, traceId) => {
        if (handle === undefined || handle === s.handle) this.showLoading(traceId);
      },
      error: (message, handle) => {
        if (handle === undefined || handle === s.handle) this.showError(message);
        else for (const v of this.views.values()) v.traceFailed?.(handle, message);
      },
      selectSpan: (handle, spanId) => s.selectById(handle, spanId),
      spanDetail: (handle, index, detail) => this.view.detailArrived(handle, index, detail),
      spanText: (handle, text) => s.setSpanText(handle, text),
      comparison: (c) => s.setComparison(c),
      spanLogs: (handle, index, logs) => {
        for (const v of this.views.values()) v.logsArrived?.(handle, index, logs);
      },
      search: (search) => this.showSearch(search),
    });
    s.needSpanText = (handle) => this.host.requestSpanText(handle);
    this.progress = el('div', {
      class: 'tl-progress',
      attrs: { role: 'progressbar', 'aria-label': S.loading },
    });
    this.progress.hidden = true;
    this.status = el('div', { class: 'tl-status' });
    this.banner = new ErrorBanner(this.host);
    this.headerSlot = el('div', { class: 'tl-header-slot' });
    this.toolbar = new Toolbar({
      search: (q) => s.setQuery(q),
      nextMatch: (d) => s.gotoMatch(d),
      setOnlyMatches: (on) => s.setOnlyMatches(on),
      setService: (svc) => s.setService(svc),
      expandAll: () => s.expandAll(),
      collapseToDepth: (d) => s.collapseToDepth(d),
      collapseShorterThan: (text) => s.collapseShorterThan(text),
      toggleCritical: () => s.toggleCritical(),
      resetZoom: () => s.resetZoom(),
      clearSearch: () => s.setQuery(''),
    });
    this.legend = new Legend({
      toggleService: (i) => s.toggleService(i),
      clearServices: () => s.setService(-1),
      openChanged: (open) => {
        s.legendOpen = open;
        this.saveSoon();
      },
    });
    // The shell follows the session first: the header and toolbar are in place before a view
    // paints, and a view's synchronous paint sees the final layout.
    s.on((e) => this.follow(e));
    for (const { name, create } of VIEWS) {
      this.views.set(
        name,
        create({
          session: s,
          host: this.host,
          root,
          layoutChanged: () => this.saveSoon(),
          show: (to) => {
            if (isViewName(to)) this.showView(to);
          },
        }),
      );
    }
    this.view = this.views.get(VIEWS[0].name)!;
    // The saved sizes are the waterfall's, whichever view is shown.
    s.layout = () => this.views.get('waterfall')?.layout?.();
    this.tabs = new ViewTabs(VIEWS, (name) => {
      if (isViewName(name)) this.showView(name);
    });
    this.compareButton = this.tabs.addAction(
      'diff',
      S.compareWith,
      () => this.host.compareWith(s.handle),
      'compare-with',
    );
    this.compareButton.hidden = true;
    this.spanSetBar = el('div', {
      class: 'tl-spanset',
      attrs: { role: 'status', 'data-testid': 'span-set' },
    });
    this.spanSetBar.hidden = true;
    this.viewer = el('div', { class: 'tl-viewer' }, [
      this.banner.element,
      this.headerSlot,
      this.legend.element,
      this.toolbar.element,
      this.tabs.element,
      this.spanSetBar,
      ...[...this.views.values()].map((v) => v.element),
    ]);
    this.showView(VIEWS[0].name);
    this.viewer.hidden = true;
    this.shell = el('div', { class: 'tl-shell' }, [this.progress, this.status, this.viewer]);
    root.replaceChildren(this.shell);
    const probe = el('span', { class: 'tl-probe', attrs: { 'aria-hidden': 'true' } });
    this.shell.append(probe);
    const theme = () => {
      applyPalette(this.shell, probe);
      for (const v of this.views.values()) v.themeChanged();
    };
    theme();
    // A search page says so until its results arrive (its subject is in the page, before `init`).
    if (root.dataset.subject === 'search') this.showLoading(undefined, S.loadingSearch);
    else this.showLoading(s.savedState?.traceId);

    document.addEventListener('keydown', (ev) => this.onGlobalKey(ev));
    // The mouse's back and forward buttons walk the panel's history (Alt+← / Alt+→ are
    // keybindings in the host, which sees the keys of a focused webview).
    document.addEventListener('mouseup', (ev) => {
      if (ev.button === 3 && this.history.back) this.host.history(-1);
      else if (ev.button === 4 && this.history.forward) this.host.history(1);
    });
    watchTheme(theme);
  }

  /** Tells the host the webview is ready; it answers with `init`. */
  start(): void {
    this.host.ready();
  }

  /** Handles a message from the host. Unknown or malformed messages are ignored. */
  onMessage(raw: unknown): void {
    this.host.receive(raw);
  }

  /** Shows view `name` (the others keep their state, hidden). */
  showView(name: ViewName): void {
    const next = this.views.get(name);
    if (!next) return;
    const changed = next !== this.view;
    this.view = next;
    this.viewName = name;
    for (const v of this.views.values()) v.element.hidden = v !== next;
    this.tabs.setCurrent(name);
    next.shown?.();
    if (changed) this.saveSoon();
  }

  /** The views the subject has a tab for. */
  private availableViews(): Set<string> {
    const subject = this.session.subject;
    return new Set(
      (VIEWS as readonly ViewEntry[]).filter((v) => v.available?.(subject) ?? true).map((v) => v.name),
    );
  }

  /** Shows or hides the span-set bar after a filter change. */
  private syncSpanSet(): void {
    const set = this.session.spanSet;
    this.spanSetBar.hidden = !set;
    if (!set) return;
    const clearSet = el('button', {
      class: 'tl-btn tl-btn-text',
      text: S.showAllSpans,
      title: S.dropFilter,
      attrs: { type: 'button', 'data-testid': 'span-set-clear' },
    });
    clearSet.addEventListener('click', () => this.session.setSpanSet(undefined));
    const back = el('button', {
      class: 'tl-btn tl-btn-text',
      text: S.backToStatistics,
      attrs: { type: 'button' },
    });
    back.addEventListener('click', () => this.showView('stats'));
    this.spanSetBar.replaceChildren(
      icon('filter'),
      el('span', { text: S.spansOf }),
      el('span', { class: 'tl-spanset-label', text: set.label, title: set.label }),
      el('span', { class: 'tl-muted', text: fmt(S.walkMatches, this.session.matches.length) }),
      clearSet,
      back,
    );
  }

  // ---- states: loading, error, trace ----------------------------------------------------------

  private onInit(subject: WebviewSubject | undefined, traces: TraceEntry[]): void {
    if (subject?.kind === 'search') {
      this.showSearch(undefined);
      return;
    }
    if (subject) this.session.setSubject(subject);
    const available = this.availableViews();
    this.tabs.setAvailable(available);
    this.compareButton.hidden = this.session.subject?.kind !== 'trace';
    const saved = this.session.savedState?.view;
    const first = [...available][0];
    if (saved && isViewName(saved) && available.has(saved)) this.showView(saved);
    else if (!available.has(this.viewName) && first && isViewName(first)) this.showView(first);
    for (const entry of traces) this.showTrace(entry, true);
  }

  /** A search webview: its view replaces the trace views (`search` undefined: not yet known). */
  private showSearch(search: SearchPayload | undefined): void {
    let view = this.searchView;
    if (!view) {
      view = this.searchView = SUBJECT_VIEWS.search({ host: this.host });
      this.shell.replaceChildren(view.element);
      view.focus();
    }
    if (!search) return;
    view.show(search);
    // The host's serializer shows these results again after a window reload.
    this.api.setState({ subject: { kind: 'search' }, search });
  }

  private showLoading(traceId: string | undefined, title: string = S.loadingTrace): void {
    this.progress.hidden = false;
    if (this.session.trace && !this.viewer.hidden) return; // keep showing the old trace under the progress bar
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box', attrs: { role: 'status', 'data-testid': 'loading' } }, [
        icon('loading', 'codicon-modifier-spin tl-status-icon'),
        el('div', { class: 'tl-status-title', text: title }),
        traceId ? el('code', { class: 'tl-status-detail', text: traceId }) : null,
      ]),
    );
    this.status.hidden = false;
  }

  private showError(message: string): void {
    this.progress.hidden = true;
    // A trace on screen stays: the failure (a refresh with the backend down) becomes a banner.
    if (this.session.trace && !this.viewer.hidden) {
      this.banner.show(message);
      return;
    }
    this.viewer.hidden = true;
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box tl-error-box', attrs: { role: 'alert', 'data-testid': 'error' } }, [
        icon('error', 'tl-status-icon'),
        el('div', { class: 'tl-status-title', text: S.traceNotShown }),
        el('p', { class: 'tl-error-message', text: message }),
        errorActions(this.host, true),
      ]),
    );
    this.status.hidden = false;
  }

  private showTrace(entry: TraceEntry, initial: boolean): void {
    this.host.forget(entry.handle);
    const restored = this.session.load(entry, initial);
    if (!restored) return; // a trace the views do not show (yet)
    this.view.loaded(restored);
    this.saveSoon();
  }

  /** Keeps the shell (header, toolbar, the host's idea of the selection) in step with the session. */
  private follow(e: SessionEvent): void {
    const s = this.session;
    const t = s.trace;
    if (!t) return;
    switch (e.type) {
      case 'trace':
        this.progress.hidden = true;
        this.status.hidden = true;
        this.status.replaceChildren();
        this.banner.hide();
        this.viewer.hidden = false;
        this.headerSlot.replaceChildren(
          renderHeader(
            t.wire,
            t.n,
            t.totalNs,
            {
              copy: (text) => this.host.copy(text),
              refresh: () => this.host.refresh(),
              openInGrafana: () => this.host.openInGrafana(s.handle),
              save: () => this.host.saveTrace(s.handle),
              history: (delta) => this.host.history(delta),
            },
            this.history,
          ),
        );
        this.toolbar.setTrace(t.services, s.maxDepth);
        // Beside the code (a narrow panel) the legend starts folded to its one line of bar key.
        this.legend.setTrace(t, s.legendOpen ?? window.innerWidth >= 800);
        this.toolbar.delay = t.n > 50000 ? 200 : t.n > 5000 ? 60 : 0;
        this.syncToolbar();
        this.toolbar.setCritical(s.critical);
        this.toolbar.setZoomed(s.zoomed);
        this.toolbar.setProblem(s.problem);
        this.syncSpanSet();
        // The host forgets the selection when it posts a trace; nothing to tell it here.
        return;
      case 'filter':
        this.syncToolbar();
        this.syncSpanSet();
        break;
      case 'selection':
        this.updateCount();
        if (e.changed) this.host.selectionChanged(s.handle, s.selected);
        break;
      case 'problem':
        this.toolbar.setProblem(s.problem);
        return;
      case 'zoom':
        this.toolbar.setZoomed(s.zoomed);
        break;
      case 'flame':
        break;
      case 'critical':
        this.toolbar.setCritical(s.critical);
        break;
      case 'rows':
      case 'reveal':
      case 'detail':
      case 'comparison':
        break;
      default: {
        const never: never = e;
        return never;
      }
    }
    this.saveSoon();
  }

  /** The toolbar's controls show the session's filter (after a load, Escape, or a selection). */
  private syncToolbar(): void {
    const s = this.session;
    if (this.toolbar.search.value !== s.query) this.toolbar.setQuery(s.query);
    this.toolbar.setService(s.service, s.serviceFilter.length);
    this.legend.setFilter(s.serviceFilter);
    this.toolbar.setOnlyMatches(s.onlyMatches);
    this.updateCount();
  }

  private updateCount(): void {
    const s = this.session;
    this.toolbar.setCount(s.matchPosition, s.matches.length, s.mask !== undefined);
  }

  // ---- state persistence ----------------------------------------------------------------------

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => {
      const s = this.session.snapshot();
      if (s && this.viewName !== VIEWS[0].name) s.view = this.viewName;
      if (s) {
        this.session.remember(s);
        this.api.setState(s);
        this.saveWorkspaceLayout(s);
      }
    }, 150);
  }

  /** Tells the host the pane sizes when they changed, so new panels in this workspace open with them. */
  private saveWorkspaceLayout(s: ViewState): void {
    const layout: PanelLayout = {};
    if (s.detailWidth !== undefined) layout.detailWidth = s.detailWidth;
    if (s.detailHeight !== undefined) layout.detailHeight = s.detailHeight;
    if (s.labelWidth !== undefined) layout.labelWidth = s.labelWidth;
    const key = JSON.stringify(layout);
    if (key === this.postedLayout || key === '{}') return;
    if (this.postedLayout === '') {
      // The first save after loading only restates what the panel opened with.
      this.postedLayout = key;
      return;
    }
    this.postedLayout = key;
    this.host.saveLayout(layout);
  }

  // ---- keyboard -------------------------------------------------------------------------------

  private onGlobalKey(ev: KeyboardEvent): void {
    if (this.viewer.hidden) return;
    const target = ev.target as HTMLElement | null;
    const r = globalKey(this.session, ev, {
      inSearch: target === this.toolbar.search,
      searchText: this.toolbar.search.value,
      typing: target?.closest('input, textarea, select') != null,
    });
    if (!r.handled) return;
    if (r.focus === 'search') {
      this.toolbar.search.focus();
      this.toolbar.search.select();
    } else if (r.focus === 'tree') {
      this.view.focus();
    }
    ev.preventDefault();
  }
}
