/**
 * The trace viewer: owns the view state (collapsed spans, zoom, selection, filter) and wires the
 * header, toolbar, overview, waterfall and detail pane to it and to the host protocol.
 */
import type { SpanDetail, StackFrameRef } from '../src/shared/model';
import type { HostMessage, WebviewMessage, WireTrace } from '../src/shared/protocol';
import { DetailPane } from './detail';
import { el, icon } from './dom';
import { parseDuration } from './format';
import { renderHeader } from './header';
import { Overview } from './overview';
import { applyPalette } from './palette';
import {
  collapseBelowDepth,
  collapseShorterThan,
  expandAncestors,
  rowOf,
  visibleRows,
  withAncestors,
  type RowList,
} from './rowModel';
import { matchList, matchSpans, parseQuery } from './search';
import { MAX_COLLAPSED_IDS, readState, type CollapsedState, type ViewState } from './state';
import { Toolbar } from './toolbar';
import { findSpanById, loadTrace, spanIdOf, type TraceData } from './trace';
import { dragResize, Waterfall } from './waterfall';

/** The object `acquireVsCodeApi()` returns. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** Details kept for spans looked at recently. */
const DETAIL_CACHE = 64;

export class App {
  private readonly shell: HTMLDivElement;
  private readonly headerSlot: HTMLDivElement;
  private readonly progress: HTMLDivElement;
  private readonly status: HTMLDivElement;
  private readonly viewer: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly toolbar: Toolbar;
  private readonly overview: Overview;
  private readonly waterfall: Waterfall;
  private readonly detail: DetailPane;

  private t: TraceData | undefined;
  private collapsed = new Uint8Array(0);
  private list: RowList = { rows: new Int32Array(0), count: 0 };
  private selected = -1;
  private viewStart = 0;
  private viewEnd = 1;
  private query = '';
  private service = -1;
  private onlyMatches = false;
  private mask: Uint8Array | undefined;
  private matches: Int32Array = new Int32Array(0);
  private include: Uint8Array | undefined;
  private critical = false;
  private detailOpen = false;
  private detailWidth = 380;
  private nextRequestId = 1;
  private pendingDetail: { requestId: number; index: number } | undefined;
  private readonly details = new Map<number, SpanDetail | null>();
  private saved: ViewState | undefined;
  private saveTimer = 0;

  constructor(
    private readonly root: HTMLElement,
    private readonly api: VsCodeApi,
  ) {
    this.saved = readState(api.getState());
    this.progress = el('div', {
      class: 'tl-progress',
      attrs: { role: 'progressbar', 'aria-label': 'Loading' },
    });
    this.progress.hidden = true;
    this.status = el('div', { class: 'tl-status' });
    this.headerSlot = el('div', { class: 'tl-header-slot' });
    this.toolbar = new Toolbar({
      search: (q) => this.setQuery(q),
      nextMatch: (d) => this.gotoMatch(d),
      setOnlyMatches: (on) => this.setOnlyMatches(on),
      setService: (s) => this.setService(s),
      expandAll: () => this.expandAll(),
      collapseToDepth: (d) => this.collapseToDepth(d),
      collapseShorterThan: (text) => this.collapseShorter(text),
      toggleCritical: () => this.toggleCritical(),
      resetZoom: () => this.setZoom(0, this.t?.totalNs ?? 1),
      clearSearch: () => this.clearSearch(),
    });
    this.overview = new Overview({
      zoom: (a, b) => this.setZoom(a, b),
      reset: () => this.setZoom(0, this.t?.totalNs ?? 1),
    });
    this.waterfall = new Waterfall({
      select: (i, open) => this.select(i, { open, reveal: false }),
      toggle: (i) => this.toggle(i),
    });
    this.detail = new DetailPane({
      copy: (text) => this.post({ type: 'copy', text }),
      openTrace: (traceId, spanId) =>
        this.post({ type: 'openTrace', traceId, ...(spanId ? { spanId } : {}) }),
      goToSource: (index) => this.post({ type: 'goToSource', index }),
      openStackFrame: (index, eventIndex, frameIndex) =>
        this.post({ type: 'openStackFrame', index, eventIndex, frameIndex }),
      close: () => this.setDetailOpen(false),
      select: (i) => this.select(i, { open: true, reveal: true }),
    });
    const splitter = el('div', {
      class: 'tl-splitter',
      title: 'Drag to resize the detail pane',
      attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': 'Resize the detail pane' },
    });
    dragResize(
      splitter,
      () => this.detailWidth,
      (w) => this.setDetailWidth(w),
      -1,
    );
    this.main = el('div', { class: 'tl-main' }, [this.waterfall.element, splitter, this.detail.element]);
    this.viewer = el('div', { class: 'tl-viewer' }, [
      this.headerSlot,
      this.toolbar.element,
      this.overview.element,
      this.main,
    ]);
    this.viewer.hidden = true;
    this.shell = el('div', { class: 'tl-shell' }, [this.progress, this.status, this.viewer]);
    root.replaceChildren(this.shell);
    const probe = el('span', { class: 'tl-probe', attrs: { 'aria-hidden': 'true' } });
    this.shell.append(probe);
    const theme = () => {
      applyPalette(this.shell, probe);
      this.overview.invalidate();
    };
    theme();
    this.showLoading(this.saved?.traceId);
    this.setDetailWidth(this.saved?.detailWidth ?? this.detailWidth);

    this.waterfall.scroller.addEventListener('keydown', (ev) => this.onTreeKey(ev));
    this.waterfall.scroller.addEventListener('scroll', () => this.saveSoon(), { passive: true });
    document.addEventListener('keydown', (ev) => this.onGlobalKey(ev));
    // VS Code swaps the theme by changing body classes and the --vscode-* variables.
    const themeWatch = new MutationObserver(theme);
    themeWatch.observe(document.body, {
      attributes: true,
      attributeFilter: ['class', 'data-vscode-theme-kind'],
    });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  }

  /** Tells the host the webview is ready; it answers with `init`. */
  start(): void {
    this.post({ type: 'ready', requestId: this.nextRequestId++ });
  }

  private post(message: WebviewMessage): void {
    this.api.postMessage(message);
  }

  /** Handles a message from the host. Unknown or malformed messages are ignored. */
  onMessage(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null || typeof (raw as { type?: unknown }).type !== 'string')
      return;
    const msg = raw as HostMessage;
    switch (msg.type) {
      case 'init':
        this.showTrace(msg.trace, msg.selectSpanId, true);
        return;
      case 'trace':
        this.showTrace(msg.trace, msg.selectSpanId, false);
        return;
      case 'loading':
        this.showLoading(typeof msg.traceId === 'string' ? msg.traceId : undefined);
        return;
      case 'error':
        this.showError(typeof msg.message === 'string' ? msg.message : 'The trace could not be loaded.');
        return;
      case 'spanDetail':
        this.onSpanDetail(msg.inReplyTo, msg.detail);
        return;
      case 'selectSpan':
        if (this.t && typeof msg.spanId === 'string') {
          const i = findSpanById(this.t, msg.spanId.toLowerCase());
          if (i >= 0) this.select(i, { open: true, reveal: true, center: true });
        }
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  // ---- states: loading, error, trace ----------------------------------------------------------

  private showLoading(traceId: string | undefined): void {
    this.progress.hidden = false;
    if (this.t && !this.viewer.hidden) return; // keep showing the old trace under the progress bar
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box', attrs: { role: 'status', 'data-testid': 'loading' } }, [
        icon('loading', 'codicon-modifier-spin tl-status-icon'),
        el('div', { class: 'tl-status-title', text: 'Loading trace…' }),
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
      text: 'Try again',
      attrs: { type: 'button' },
    });
    retry.addEventListener('click', () => this.post({ type: 'refresh' }));
    this.status.replaceChildren(
      el('div', { class: 'tl-status-box tl-error-box', attrs: { role: 'alert', 'data-testid': 'error' } }, [
        icon('error', 'tl-status-icon'),
        el('div', { class: 'tl-status-title', text: 'The trace could not be shown' }),
        el('p', { class: 'tl-error-message', text: message }),
        retry,
      ]),
    );
    this.status.hidden = false;
  }

  private showTrace(wire: WireTrace, selectSpanId: string | undefined, initial: boolean): void {
    if (!wire || typeof wire !== 'object' || !wire.model) {
      this.showError('The host sent a trace this view cannot read.');
      return;
    }
    // A refresh keeps what the person was doing: snapshot it by span ID, then apply it again.
    const previous = !initial && this.t ? this.snapshot() : undefined;
    const t = loadTrace(wire);
    this.t = t;
    this.details.clear();
    this.pendingDetail = undefined;
    this.progress.hidden = true;
    this.status.hidden = true;
    this.status.replaceChildren();
    this.viewer.hidden = false;

    const traceId = wire.model.traceId;
    const state = previous ?? (this.saved && this.saved.traceId === traceId ? this.saved : undefined);
    this.collapsed = new Uint8Array(t.n);
    if (state?.collapsed) this.applyCollapsed(state.collapsed);
    this.critical = state?.critical ?? false;
    this.query = state?.query ?? '';
    this.service = state?.service !== undefined ? t.services.indexOf(state.service) : -1;
    this.onlyMatches = state?.onlyMatches ?? false;
    this.detailOpen = state?.detailOpen ?? false;
    if (state?.labelWidth) this.waterfall.setLabelWidth(state.labelWidth);
    if (state?.detailWidth) this.setDetailWidth(state.detailWidth);

    this.headerSlot.replaceChildren(
      renderHeader(wire, t.n, t.totalNs, {
        copy: (text) => this.post({ type: 'copy', text }),
        refresh: () => this.post({ type: 'refresh' }),
        openInGrafana: () => this.post({ type: 'openInGrafana' }),
      }),
    );
    let maxDepth = 0;
    for (let i = 0; i < t.n; i++) if (t.c.depth[i]! > maxDepth) maxDepth = t.c.depth[i]!;
    this.toolbar.setTrace(t.services, maxDepth);
    this.toolbar.delay = t.n > 50000 ? 200 : t.n > 5000 ? 60 : 0;
    this.toolbar.setQuery(this.query);
    this.toolbar.setService(this.service);
    this.toolbar.setOnlyMatches(this.onlyMatches);
    this.toolbar.setCritical(this.critical);

    this.waterfall.setTrace(t, this.collapsed);
    this.waterfall.setCritical(this.critical);
    this.overview.setTrace(t);
    this.detail.setTrace(t);
    this.selected = -1;
    this.waterfall.setSelection(-1);
    this.applyFilter(false);
    const zoom = state?.zoom;
    if (zoom) this.setZoom(zoom[0], zoom[1], false);
    else this.setZoom(0, t.totalNs, false);

    const wanted = selectSpanId ?? state?.selectSpanId;
    const idx = wanted ? findSpanById(t, wanted.toLowerCase()) : -1;
    this.main.classList.toggle('tl-detail-open', this.detailOpen);
    if (idx >= 0) {
      this.select(idx, { open: selectSpanId !== undefined || this.detailOpen, reveal: true, center: true });
    } else if (state?.scrollTop) {
      this.waterfall.scroller.scrollTop = state.scrollTop;
    }
    if (!this.detailOpen) this.detail.showEmpty();
    this.waterfall.flush();
    this.saveSoon();
  }

  // ---- state persistence ----------------------------------------------------------------------

  private applyCollapsed(s: CollapsedState): void {
    const t = this.t!;
    const c = this.collapsed;
    if (s.mode === 'allBut') for (let i = 0; i < t.n; i++) c[i] = t.c.childCount[i]! > 0 ? 1 : 0;
    const want = new Set(s.ids);
    if (want.size === 0) return;
    const v = s.mode === 'listed' ? 1 : 0;
    for (let i = 0; i < t.n; i++) if (want.has(spanIdOf(t, i))) c[i] = v;
  }

  private collapsedState(): CollapsedState | undefined {
    const t = this.t!;
    const listed: number[] = [];
    const expanded: number[] = [];
    for (let i = 0; i < t.n; i++) {
      if (t.c.childCount[i] === 0) continue;
      if (this.collapsed[i]) listed.push(i);
      else expanded.push(i);
    }
    if (listed.length === 0) return undefined;
    const pick =
      listed.length <= expanded.length
        ? { mode: 'listed' as const, ids: listed }
        : { mode: 'allBut' as const, ids: expanded };
    // Too many to keep cheaply: forget the collapsed set rather than post megabytes on every change.
    if (pick.ids.length > MAX_COLLAPSED_IDS) return undefined;
    return { mode: pick.mode, ids: pick.ids.map((i) => spanIdOf(t, i)) };
  }

  private snapshot(): ViewState | undefined {
    const t = this.t;
    if (!t) return undefined;
    const s: ViewState = { traceId: t.wire.model.traceId };
    if (this.selected >= 0) s.selectSpanId = spanIdOf(t, this.selected);
    const col = this.collapsedState();
    if (col) s.collapsed = col;
    if (this.viewStart > 0 || this.viewEnd < t.totalNs) s.zoom = [this.viewStart, this.viewEnd];
    if (this.query) s.query = this.query;
    if (this.service >= 0) s.service = t.services[this.service];
    if (this.onlyMatches) s.onlyMatches = true;
    if (this.critical) s.critical = true;
    s.detailOpen = this.detailOpen;
    s.detailWidth = this.detailWidth;
    s.labelWidth = this.waterfall.nameColumnWidth;
    s.scrollTop = this.waterfall.scroller.scrollTop;
    return s;
  }

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => {
      const s = this.snapshot();
      if (s) {
        this.saved = s;
        this.api.setState(s);
      }
    }, 150);
  }

  // ---- rows: collapse, filter -----------------------------------------------------------------

  private rebuildRows(): void {
    const t = this.t;
    if (!t) return;
    this.list = visibleRows(t.subtreeEnd, this.collapsed, this.include, this.list.rows);
    this.waterfall.setRows(this.list);
    // A selection that disappeared (collapsed away or filtered out) is dropped.
    if (this.selected >= 0 && rowOf(this.list, this.selected) < 0) {
      this.selected = -1;
      this.waterfall.setSelection(-1);
    }
    this.saveSoon();
  }

  private toggle(i: number): void {
    const t = this.t;
    if (!t || t.c.childCount[i] === 0) return;
    this.collapsed[i] = this.collapsed[i] ? 0 : 1;
    // Keep the selection visible: if it was inside the collapsed subtree, move it to the parent.
    if (this.collapsed[i] && this.selected > i && this.selected < t.subtreeEnd[i]!) this.selectQuiet(i);
    this.rebuildRows();
  }

  private expandAll(): void {
    this.collapsed.fill(0);
    this.rebuildRows();
    this.revealSelection();
  }

  private collapseToDepth(depth: number): void {
    const t = this.t;
    if (!t) return;
    collapseBelowDepth(t.c.depth, t.c.childCount, depth, this.collapsed);
    this.keepSelectionVisible();
    this.rebuildRows();
    this.revealSelection();
  }

  private collapseShorter(text: string): void {
    const t = this.t;
    if (!t) return;
    const ns = parseDuration(text);
    if (ns === undefined) {
      this.toolbar.setProblem(`“${text}” is not a duration (try 5ms or 1s)`);
      return;
    }
    this.toolbar.setProblem('');
    collapseShorterThan(t.c.durationNs, t.c.childCount, ns, this.collapsed);
    this.keepSelectionVisible();
    this.rebuildRows();
    this.revealSelection();
  }

  /** After collapsing many spans: move the selection up to its nearest visible ancestor. */
  private keepSelectionVisible(): void {
    const t = this.t;
    if (!t || this.selected < 0) return;
    let top = this.selected;
    for (let p = t.c.parent[this.selected]!; p >= 0; p = t.c.parent[p]!) if (this.collapsed[p]) top = p;
    if (top !== this.selected) this.selectQuiet(top);
  }

  private setQuery(q: string): void {
    this.query = q;
    this.applyFilter(true);
  }

  private clearSearch(): void {
    this.toolbar.setQuery('');
    this.setQuery('');
  }

  private setService(s: number): void {
    this.service = s;
    this.applyFilter(true);
  }

  private setOnlyMatches(on: boolean): void {
    this.onlyMatches = on;
    this.applyFilter(true);
  }

  private applyFilter(rebuild: boolean): void {
    const t = this.t;
    if (!t) return;
    const q = parseQuery(this.query);
    this.toolbar.setProblem(q.problems.join(' · '));
    const res = matchSpans(t, q, this.service);
    this.mask = res?.mask;
    this.matches = res ? matchList(res.mask, res.count) : new Int32Array(0);
    this.include = res && this.onlyMatches ? withAncestors(res.mask, t.c.parent) : undefined;
    this.waterfall.setMatches(this.mask);
    this.overview.setMatches(this.mask);
    this.updateCount();
    this.list = visibleRows(t.subtreeEnd, this.collapsed, this.include, this.list.rows);
    this.waterfall.setRows(this.list);
    if (rebuild) {
      if (this.selected >= 0 && rowOf(this.list, this.selected) < 0) {
        this.selected = -1;
        this.waterfall.setSelection(-1);
      }
      this.saveSoon();
    }
  }

  private updateCount(): void {
    const active = this.mask !== undefined;
    const k =
      this.selected >= 0 && this.mask?.[this.selected] ? lowerBound(this.matches, this.selected) + 1 : 0;
    this.toolbar.setCount(k, this.matches.length, active);
  }

  /** Selects the next (`1`) or previous (`-1`) match after the selection, wrapping around. */
  private gotoMatch(delta: 1 | -1): void {
    const m = this.matches;
    if (m.length === 0) return;
    let k: number;
    if (this.selected < 0) k = delta > 0 ? 0 : m.length - 1;
    else {
      const lb = lowerBound(m, this.selected);
      if (delta > 0) k = lb < m.length && m[lb] === this.selected ? lb + 1 : lb;
      else k = lb - 1;
      k = (k + m.length) % m.length;
    }
    this.select(m[k]!, { open: this.detailOpen, reveal: true, center: true });
  }

  // ---- selection ------------------------------------------------------------------------------

  private selectQuiet(i: number): void {
    this.selected = i;
    this.waterfall.setSelection(i);
  }

  /**
   * Selects span `i`: expands its ancestors, scrolls it into view (`reveal`), opens the detail
   * when asked, and tells the host.
   */
  select(i: number, opts: { open: boolean; reveal: boolean; center?: boolean }): void {
    const t = this.t;
    if (!t || i < 0 || i >= t.n) return;
    if (expandAncestors(t.c.parent, this.collapsed, i)) this.rebuildRows();
    if (this.include && !this.include[i]) {
      // Filtered out: leave "only matches" so the span can be shown.
      this.onlyMatches = false;
      this.toolbar.setOnlyMatches(false);
      this.applyFilter(false);
    }
    const changed = i !== this.selected;
    this.selectQuiet(i);
    if (opts.reveal) this.waterfall.revealRow(rowOf(this.list, i), opts.center);
    // Render now: the selection (and aria-activedescendant) must be current when the key handler returns.
    this.waterfall.flush();
    if (opts.open && !this.detailOpen) this.setDetailOpen(true);
    if (this.detailOpen && (changed || this.detail.index !== i)) this.showDetail(i);
    this.updateCount();
    if (changed) this.post({ type: 'selectionChanged', index: i });
    this.saveSoon();
  }

  private revealSelection(): void {
    if (this.selected >= 0) this.waterfall.revealRow(rowOf(this.list, this.selected), true);
  }

  private setDetailOpen(open: boolean): void {
    this.detailOpen = open;
    this.main.classList.toggle('tl-detail-open', open);
    if (open && this.selected >= 0) this.showDetail(this.selected);
    else if (!open) this.detail.showEmpty();
    this.waterfall.schedule();
    this.saveSoon();
  }

  private setDetailWidth(w: number): void {
    const max = Math.max(240, (this.root.clientWidth || 1200) - 320);
    this.detailWidth = Math.round(Math.min(Math.max(w, 240), max));
    this.main.style.setProperty('--tl-detail-w', `${this.detailWidth}px`);
    this.saveSoon();
  }

  private showDetail(i: number): void {
    const cached = this.details.get(i);
    this.detail.show(i, cached);
    if (cached !== undefined) return;
    const requestId = this.nextRequestId++;
    this.pendingDetail = { requestId, index: i };
    this.post({ type: 'getSpanDetail', requestId, index: i });
  }

  private onSpanDetail(inReplyTo: number, detail: SpanDetail | null): void {
    const p = this.pendingDetail;
    if (!p || p.requestId !== inReplyTo) return;
    this.pendingDetail = undefined;
    const d = detail && typeof detail === 'object' ? normaliseDetail(detail) : null;
    this.details.set(p.index, d);
    if (this.details.size > DETAIL_CACHE) this.details.delete(this.details.keys().next().value!);
    if (this.detail.index === p.index && this.detailOpen) this.detail.show(p.index, d);
  }

  // ---- zoom -----------------------------------------------------------------------------------

  private setZoom(a: number, b: number, save = true): void {
    const t = this.t;
    if (!t) return;
    const total = t.totalNs;
    const minSpan = Math.max(1, total * 1e-7);
    let start = Math.max(0, Math.min(a, total));
    let end = Math.max(0, Math.min(b, total));
    if (end - start < minSpan) {
      const mid = (start + end) / 2;
      start = Math.max(0, mid - minSpan / 2);
      end = Math.min(total, start + minSpan);
    }
    this.viewStart = start;
    this.viewEnd = end;
    this.waterfall.setView(start, end);
    this.overview.setView(start, end);
    this.toolbar.setZoomed(start > 0 || end < total);
    if (save) this.saveSoon();
  }

  private toggleCritical(): void {
    this.critical = !this.critical;
    this.waterfall.setCritical(this.critical);
    this.toolbar.setCritical(this.critical);
    this.saveSoon();
  }

  // ---- keyboard -------------------------------------------------------------------------------

  private onTreeKey(ev: KeyboardEvent): void {
    const t = this.t;
    if (!t || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const list = this.list;
    if (list.count === 0) return;
    const pos = this.selected >= 0 ? rowOf(list, this.selected) : -1;
    const go = (p: number) => {
      const q = Math.max(0, Math.min(list.count - 1, p));
      this.select(list.rows[q]!, { open: false, reveal: true });
    };
    switch (ev.key) {
      case 'ArrowDown':
        go(pos < 0 ? 0 : pos + 1);
        break;
      case 'ArrowUp':
        go(pos < 0 ? 0 : pos - 1);
        break;
      case 'PageDown':
        go(pos + this.waterfall.pageRows);
        break;
      case 'PageUp':
        go(pos - this.waterfall.pageRows);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(list.count - 1);
        break;
      case 'ArrowLeft': {
        if (pos < 0) return go(0);
        const i = this.selected;
        const hasKids = t.c.childCount[i]! > 0;
        if (hasKids && !this.collapsed[i]) this.toggle(i);
        else if (t.c.parent[i]! >= 0) this.select(t.c.parent[i]!, { open: false, reveal: true });
        break;
      }
      case 'ArrowRight': {
        if (pos < 0) return go(0);
        const i = this.selected;
        if (t.c.childCount[i]! === 0) break;
        if (this.collapsed[i]) this.toggle(i);
        else if (pos + 1 < list.count && t.c.parent[list.rows[pos + 1]!] === i) go(pos + 1);
        break;
      }
      case 'Enter':
        if (this.selected >= 0) this.select(this.selected, { open: true, reveal: true });
        else go(0);
        break;
      case ' ':
        if (this.selected >= 0) this.toggle(this.selected);
        break;
      case '*':
        this.expandAll();
        break;
      default:
        return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  }

  private onGlobalKey(ev: KeyboardEvent): void {
    if (!this.t || this.viewer.hidden || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = ev.target as HTMLElement | null;
    const typing =
      target?.closest('input, textarea, select') !== null &&
      target?.closest('input, textarea, select') !== undefined;
    if (ev.key === 'Escape') {
      if (target === this.toolbar.search) {
        if (this.toolbar.search.value) this.clearSearch();
        this.waterfall.scroller.focus();
      } else if (this.query || this.service >= 0) {
        this.toolbar.setService(-1);
        this.service = -1;
        this.clearSearch();
      } else if (this.detailOpen) {
        this.setDetailOpen(false);
        this.waterfall.scroller.focus();
      } else if (this.selected >= 0) {
        this.selected = -1;
        this.waterfall.setSelection(-1);
        this.waterfall.flush();
        this.updateCount();
        this.saveSoon();
      }
      ev.preventDefault();
      return;
    }
    if (typing) return;
    switch (ev.key) {
      case '/':
        this.toolbar.search.focus();
        this.toolbar.search.select();
        break;
      case 'n':
        this.gotoMatch(1);
        break;
      case 'N':
        this.gotoMatch(-1);
        break;
      case 'c':
      case 'C':
        this.toggleCritical();
        break;
      default:
        return;
    }
    ev.preventDefault();
  }
}

/** First position in sorted `a` whose value is ≥ `v`. */
function lowerBound(a: Int32Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Stack frames from the host, every field of the right type (at most 200 kept). */
function normaliseFrames(v: unknown): StackFrameRef[] {
  if (!Array.isArray(v)) return [];
  const num = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : undefined);
  return v
    .slice(0, 200)
    .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
    .map((f) => {
      const line = num(f.line);
      const column = num(f.column);
      return {
        file: String(f.file ?? ''),
        ...(line !== undefined ? { line } : {}),
        ...(column !== undefined ? { column } : {}),
        ...(typeof f.functionName === 'string' && f.functionName ? { functionName: f.functionName } : {}),
        userCode: f.userCode === true,
      };
    });
}

/** Makes a detail from the host safe to render: every list present, every text a string. */
function normaliseDetail(d: SpanDetail): SpanDetail {
  const attrs = (v: unknown) =>
    Array.isArray(v)
      ? v
          .filter((a): a is { key: unknown; value: unknown } => typeof a === 'object' && a !== null)
          .map((a) => ({
            key: String(a.key),
            value:
              a.value === null || typeof a.value === 'number' || typeof a.value === 'boolean'
                ? a.value
                : String(a.value),
          }))
      : [];
  const scope = (d.scope ?? {}) as Partial<SpanDetail['scope']>;
  return {
    index: Number(d.index),
    spanId: String(d.spanId ?? ''),
    ...(d.parentSpanId != null ? { parentSpanId: String(d.parentSpanId) } : {}),
    ...(d.statusMessage != null && d.statusMessage !== '' ? { statusMessage: String(d.statusMessage) } : {}),
    ...(d.damaged != null && d.damaged !== '' ? { damaged: String(d.damaged) } : {}),
    attributes: attrs(d.attributes),
    resource: attrs(d.resource),
    scope: {
      name: String(scope.name ?? ''),
      ...(scope.version != null ? { version: String(scope.version) } : {}),
      attributes: attrs(scope.attributes),
    },
    events: Array.isArray(d.events)
      ? d.events.map((e) => {
          const frames = normaliseFrames(e?.frames);
          return {
            name: String(e?.name ?? ''),
            timeNs: Number(e?.timeNs) || 0,
            attributes: attrs(e?.attributes),
            ...(frames.length ? { frames } : {}),
          };
        })
      : [],
    links: Array.isArray(d.links)
      ? d.links.map((l) => ({
          traceId: String(l?.traceId ?? ''),
          spanId: String(l?.spanId ?? ''),
          attributes: attrs(l?.attributes),
        }))
      : [],
  };
}
