/**
 * The panel's shell: the loading and error states, the trace header, the toolbar (search, filter,
 * tree and zoom controls, shared by the views), the switch between views, the theme, the
 * global keys and saving the state. The state itself is the session's (session.ts), the host
 * channel is hostApi.ts, the key map keys.ts, and each view lives in views/<name>/.
 */
import type { PanelSubject, TraceEntry } from '../src/shared/protocol';
import { el, icon } from './dom';
import { renderHeader } from './header';
import { HostApi, type VsCodeApi } from './hostApi';
import { globalKey } from './keys';
import { Session, type SessionEvent } from './session';
import { readState } from './state';
import { applyPalette, watchTheme } from './theme';
import { Toolbar } from './toolbar';
import { VIEWS, type ViewName } from './views';
import type { View } from './views/view';
import { S } from './l10n';

export type { VsCodeApi } from './hostApi';

export class App {
  private readonly shell: HTMLDivElement;
  private readonly headerSlot: HTMLDivElement;
  private readonly progress: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly viewer: HTMLDivElement;
  private readonly toolbar: Toolbar;
  private readonly session: Session;
  private readonly host: HostApi;
  private readonly views = new Map<ViewName, View>();
  private view: View;
  private saveTimer = 0;

  constructor(
    root: HTMLElement,
    private readonly api: VsCodeApi,
  ) {
    const s = (this.session = new Session(readState(api.getState())));
    this.host = new HostApi(api, {
      init: (subject, traces) => this.onInit(subject, traces),
      trace: (entry) => this.showTrace(entry, false),
      loading: (handle, traceId) => {
        if (handle === undefined || handle === s.handle) this.showLoading(traceId);
      },
      error: (message, handle) => {
        if (handle === undefined || handle === s.handle) this.showError(message);
      },
      selectSpan: (handle, spanId) => s.selectById(handle, spanId),
      spanDetail: (handle, index, detail) => this.view.detailArrived(handle, index, detail),
    });
    this.progress = el('div', {
      class: 'tl-progress',
      attrs: { role: 'progressbar', 'aria-label': S.loading },
    });
    this.progress.hidden = true;
    this.status = el('div', { class: 'tl-status' });
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
    // The shell follows the session first: the header and toolbar are in place before a view
    // paints, and a view's synchronous paint sees the final layout.
    s.on((e) => this.follow(e));
    for (const { name, create } of VIEWS) {
      this.views.set(
        name,
        create({ session: s, host: this.host, root, layoutChanged: () => this.saveSoon() }),
      );
    }
    this.view = this.views.get(VIEWS[0]!.name)!;
    s.layout = () => this.view.layout();
    this.viewer = el('div', { class: 'tl-viewer' }, [
      this.headerSlot,
      this.toolbar.element,
      ...[...this.views.values()].map((v) => v.element),
    ]);
    this.showView(VIEWS[0]!.name);
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
    this.showLoading(s.savedState?.traceId);

    document.addEventListener('keydown', (ev) => this.onGlobalKey(ev));
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
    this.view = next;
    for (const v of this.views.values()) v.element.hidden = v !== next;
  }

  // ---- states: loading, error, trace ----------------------------------------------------------

  private onInit(subject: PanelSubject | undefined, traces: TraceEntry[]): void {
    if (subject) this.session.setSubject(subject);
    for (const entry of traces) this.showTrace(entry, true);
  }

  private showLoading(traceId: string | undefined): void {
    this.progress.hidden = false;
    if (this.session.trace && !this.viewer.hidden) return; // keep showing the old trace under the progress bar
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box', attrs: { role: 'status', 'data-testid': 'loading' } }, [
        icon('loading', 'codicon-modifier-spin tl-status-icon'),
        el('div', { class: 'tl-status-title', text: S.loadingTrace }),
        traceId ? el('code', { class: 'tl-status-detail', text: traceId }) : null,
      ]),
    );
    this.status.hidden = false;
  }

  private showError(message: string): void {
    this.progress.hidden = true;
    this.viewer.hidden = true;
    const retry = el('button', {
      class: 'tl-btn tl-btn-text tl-primary',
      text: S.tryAgain,
      attrs: { type: 'button' },
    });
    retry.addEventListener('click', () => this.host.refresh());
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box tl-error-box', attrs: { role: 'alert', 'data-testid': 'error' } }, [
        icon('error', 'tl-status-icon'),
        el('div', { class: 'tl-status-title', text: S.traceNotShown }),
        el('p', { class: 'tl-error-message', text: message }),
        retry,
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
        this.viewer.hidden = false;
        this.headerSlot.replaceChildren(
          renderHeader(t.wire, t.n, t.totalNs, {
            copy: (text) => this.host.copy(text),
            refresh: () => this.host.refresh(),
            openInGrafana: () => this.host.openInGrafana(s.handle),
          }),
        );
        this.toolbar.setTrace(t.services, s.maxDepth);
        this.toolbar.delay = t.n > 50000 ? 200 : t.n > 5000 ? 60 : 0;
        this.syncToolbar();
        this.toolbar.setCritical(s.critical);
        this.toolbar.setZoomed(s.zoomed);
        this.toolbar.setProblem(s.problem);
        // The host forgets the selection when it posts a trace; nothing to tell it here.
        return;
      case 'filter':
        this.syncToolbar();
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
      case 'critical':
        this.toolbar.setCritical(s.critical);
        break;
      case 'rows':
      case 'reveal':
      case 'detail':
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
    this.toolbar.setService(s.service);
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
      if (s) {
        this.session.remember(s);
        this.api.setState(s);
      }
    }, 150);
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
