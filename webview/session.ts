/**
 * The panel's session: the traces it holds and what the person is doing with the one shown:
 * which spans are collapsed, which rows that leaves, the selection, the search and service
 * filter, the zoom window, the critical-path toggle, whether the detail pane is open, and the
 * state saved with `setState`. Views read it and call its methods; it tells them what changed
 * through events. No DOM: it runs (and is tested) in plain Node.
 *
 * Every view (the waterfall today; statistics, flame graph and comparison next) works over the
 * same session, so a selection or a filter made in one is the selection or filter of all.
 */
import {
  MAIN_HANDLE,
  subjectTraces,
  type PanelSubject,
  type TraceEntry,
  type TraceHandle,
  type WireComparison,
} from '../src/shared/protocol';
import { parseDuration } from './format';
import {
  collapseBelowDepth,
  collapseShorterThan,
  expandAncestors,
  rowOf,
  visibleRows,
  withAncestors,
  type RowList,
} from './rowModel';
import { hasTextTerm, matchList, matchSpans, parseQuery } from './search';
import type { PanelLayout, SpanTextColumns } from '../src/shared/protocol';
import { MAX_COLLAPSED_IDS, type CollapsedState, type ViewState } from './state';
import { findSpanById, loadTrace, spanIdOf, type TraceData } from './trace';

/** What changed. Listeners read the new values from the session. */
export type SessionEvent =
  /**
   * The shown trace was loaded or replaced: every value may have changed. `state`: the saved (or,
   * after a refresh, the previous) state applied, whose sizes the view restores.
   */
  | { type: 'trace'; state: ViewState | undefined }
  /** `rows` changed (collapse, expand, filter). */
  | { type: 'rows' }
  /**
   * `selected` changed (`changed`), or the selection is to be shown again. `reveal`: scroll it
   * into view (`center`: into the middle when it is off screen). `quiet`: it moved as a side
   * effect of collapsing or filtering (to the parent, or away), not because it was chosen.
   */
  | { type: 'selection'; changed: boolean; reveal?: { center: boolean }; quiet?: boolean }
  /** Scroll the selection into view (after expanding or collapsing many spans). */
  | { type: 'reveal' }
  /** The search or the service filter changed: `query`, `service`, `onlyMatches`, `mask`, `matches`. */
  | { type: 'filter' }
  /** `problem` changed: what is wrong with the query or the typed duration. */
  | { type: 'problem' }
  /** `viewStart`/`viewEnd` changed. */
  | { type: 'zoom' }
  /** `flameRoot` changed. */
  | { type: 'flame' }
  /** `critical` changed. */
  | { type: 'critical' }
  /** `detailOpen` changed. */
  | { type: 'detail' }
  /** `comparison` arrived or changed (a compare panel). */
  | { type: 'comparison' };

/**
 * Spans picked by another view (a statistics row): they filter like a search, and stay until the
 * filter is cleared. `label` says what they are, for the shell to show.
 */
export interface SpanSet {
  label: string;
  /** 1 for each span of the set. */
  mask: Uint8Array;
}

/** How `select` shows the span. */
export interface SelectOptions {
  /** Open the detail pane on it. */
  open: boolean;
  /** Scroll it into view. */
  reveal: boolean;
  /** When off screen, into the middle. */
  center?: boolean;
}

/** Sizes the shown view keeps in the saved state (read when saving). */
export interface Layout {
  detailWidth: number;
  /** Height of the detail pane when it sits below the waterfall (a narrow panel). */
  detailHeight?: number;
  labelWidth: number;
  scrollTop: number;
}

/** What `load` restored, for the view to apply: the saved sizes and scroll position. */
export interface Restored {
  /** The saved or previous state applied, if any. */
  state: ViewState | undefined;
  /** The span `load` selected, or -1. */
  selected: number;
}

export class Session {
  /** What the panel shows (from `init`); undefined until then. */
  subject: PanelSubject | undefined;
  /** Every loaded trace of the subject by handle. */
  readonly traces = new Map<TraceHandle, TraceData>();
  /** The handle of the trace the views show: the subject's first. */
  handle: TraceHandle = MAIN_HANDLE;
  /** The shown trace. */
  trace: TraceData | undefined;
  /** 1 for each collapsed span of the shown trace. */
  collapsed = new Uint8Array(0);
  /** The rows: spans in display order after collapsing and filtering. */
  rows: RowList = { rows: new Int32Array(0), count: 0 };
  /** The selected span, or -1. */
  selected = -1;
  /** Zoom window in ns from the trace start. */
  viewStart = 0;
  viewEnd = 1;
  /**
   * The span whose frame fills the flame graph's width, or -1 for the whole trace. Kept here, not
   * in the flame view, so it is saved and restored with the rest of the state.
   */
  flameRoot = -1;
  query = '';
  /**
   * The services the filter keeps, by index, ascending; empty: all. The picker sets one, the
   * legend toggles several.
   */
  serviceFilter: number[] = [];
  /** Show only matches (and their ancestors). */
  onlyMatches = false;
  /** 1 for each span the search and service filter match; undefined when nothing filters. */
  mask: Uint8Array | undefined;
  /** The matches in tree order. */
  matches: Int32Array = new Int32Array(0);
  /** Spans kept by "only matches": the matches and their ancestors. */
  include: Uint8Array | undefined;
  /** A compare panel's comparison of its traces `a` and `b`, once the host sent it. */
  comparison: WireComparison | undefined;
  /** Spans picked by another view, filtering with the search; undefined when none are. */
  spanSet: SpanSet | undefined;
  /** "Only matches" from before the span set turned it on. */
  private onlyMatchesBeforeSet = false;
  critical = false;
  detailOpen = false;
  /** The legend lists the services, as the person chose; undefined: the shell's default. */
  legendOpen: boolean | undefined;
  /** What is wrong with the query or a typed duration, for the toolbar; '' when nothing is. */
  problem = '';
  /** Deepest depth of the shown trace. */
  maxDepth = 0;
  /**
   * The searchable texts of the shown trace's spans (attribute values, event names), once the
   * host sent them; until then free text matches names and services only.
   */
  spanText: SpanTextColumns | undefined;
  /** Called when a free-text search needs `spanText` and it has not arrived; the shell asks the host. */
  needSpanText: (handle: TraceHandle) => void = () => {};
  /** The pane sizes last chosen in this workspace (from the host), used where no saved state has any. */
  workspaceLayout: PanelLayout | undefined;
  /** The sizes to save; the shell points this at the shown view. */
  layout: () => Layout | undefined = () => undefined;
  private saved: ViewState | undefined;
  private readonly listeners: Array<(e: SessionEvent) => void> = [];

  /** `saved` is the state the webview was given back by VS Code (`readState(getState())`). */
  constructor(saved?: ViewState) {
    this.saved = saved;
  }

  /** The state the panel was restored with or last saved. */
  get savedState(): ViewState | undefined {
    return this.saved;
  }

  /** Calls `fn` on every change, in the order listeners were added. */
  on(fn: (e: SessionEvent) => void): void {
    this.listeners.push(fn);
  }

  private emit(e: SessionEvent): void {
    for (const fn of this.listeners) fn(e);
  }

  // ---- traces -------------------------------------------------------------------------------

  /**
   * Sets what the panel shows. The views show its first trace, or in a comparison trace B (the
   * one being explained; A is the reference it is compared with).
   */
  setSubject(subject: PanelSubject): void {
    this.subject = subject;
    const handles = subjectTraces(subject).map((t) => t.handle);
    this.handle = (subject.kind === 'compare' ? handles[1] : handles[0]) ?? MAIN_HANDLE;
  }

  /** Takes a comparison of the subject's traces from the host. */
  setComparison(c: WireComparison): void {
    this.comparison = c;
    this.emit({ type: 'comparison' });
  }

  /**
   * Takes a trace from the host. The shown trace's handle replaces what is shown (`initial`: the
   * first one this webview gets, when the saved state applies; otherwise the view state carries
   * over from the version before, by span ID) and returns what to restore; another handle's is
   * kept for the views that show more than one, and returns undefined.
   */
  load(entry: TraceEntry, initial: boolean): Restored | undefined {
    const t = loadTrace(entry.trace);
    if (entry.handle !== this.handle) {
      this.traces.set(entry.handle, t);
      return undefined;
    }
    // A refresh keeps what the person was doing: snapshot it by span ID, then apply it again.
    const previous = !initial && this.trace ? this.snapshot() : undefined;
    this.traces.set(entry.handle, t);
    this.trace = t;
    this.spanText = undefined;
    const traceId = entry.trace.model.traceId;
    const state = previous ?? (this.saved && this.saved.traceId === traceId ? this.saved : undefined);
    this.collapsed = new Uint8Array(t.n);
    if (state?.collapsed) this.applyCollapsed(state.collapsed);
    this.critical = state?.critical ?? false;
    this.query = state?.query ?? '';
    const names = state?.services ?? (state?.service !== undefined ? [state.service] : []);
    this.serviceFilter = names
      .map((n) => t.services.indexOf(n))
      .filter((i) => i >= 0)
      .sort((a, b) => a - b);
    this.onlyMatches = state?.onlyMatches ?? false;
    // Span sets are by index, which a new version of the trace may reorder.
    this.spanSet = undefined;
    this.detailOpen = state?.detailOpen ?? false;
    this.legendOpen = state?.legendOpen ?? this.legendOpen;
    let maxDepth = 0;
    for (let i = 0; i < t.n; i++) if (t.c.depth[i]! > maxDepth) maxDepth = t.c.depth[i]!;
    this.maxDepth = maxDepth;
    this.selected = -1;
    this.filter();
    this.rows = visibleRows(t.subtreeEnd, this.collapsed, this.include, this.rows.rows);
    const zoom = state?.zoom;
    this.clampZoom(zoom ? zoom[0] : 0, zoom ? zoom[1] : t.totalNs);
    this.flameRoot = state?.flameRoot ? findSpanById(t, state.flameRoot) : -1;
    this.emit({ type: 'trace', state });

    const wanted = entry.selectSpanId ?? state?.selectSpanId;
    const idx = wanted ? findSpanById(t, wanted.toLowerCase()) : -1;
    if (idx >= 0) {
      this.select(idx, {
        open: entry.selectSpanId !== undefined || this.detailOpen,
        reveal: true,
        center: true,
      });
    }
    return { state, selected: idx };
  }

  /** The span texts of trace `handle` arrived: a free-text search now also matches them. */
  setSpanText(handle: TraceHandle, text: SpanTextColumns | null): void {
    if (handle !== this.handle || !this.trace || !text || text.offsets.length !== this.trace.n + 1) return;
    this.spanText = text;
    if (hasTextTerm(parseQuery(this.query))) this.applyFilter(false);
  }

  /** Selects span `spanId` of trace `handle` (16 hex digits); false when there is no such span. */
  selectById(handle: TraceHandle, spanId: string): boolean {
    const t = this.trace;
    if (!t || handle !== this.handle) return false;
    const i = findSpanById(t, spanId.toLowerCase());
    if (i < 0) return false;
    this.select(i, { open: true, reveal: true, center: true });
    return true;
  }

  // ---- state persistence --------------------------------------------------------------------

  private applyCollapsed(s: CollapsedState): void {
    const t = this.trace!;
    const c = this.collapsed;
    if (s.mode === 'allBut') for (let i = 0; i < t.n; i++) c[i] = t.c.childCount[i]! > 0 ? 1 : 0;
    const want = new Set(s.ids);
    if (want.size === 0) return;
    const v = s.mode === 'listed' ? 1 : 0;
    for (let i = 0; i < t.n; i++) if (want.has(spanIdOf(t, i))) c[i] = v;
  }

  private collapsedState(): CollapsedState | undefined {
    const t = this.trace!;
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

  /** The state to save: spans by ID, so it survives a refresh that adds spans. */
  snapshot(): ViewState | undefined {
    const t = this.trace;
    if (!t) return undefined;
    const s: ViewState = { traceId: t.wire.model.traceId };
    if (this.subject) s.subject = this.subject;
    if (this.selected >= 0) s.selectSpanId = spanIdOf(t, this.selected);
    const col = this.collapsedState();
    if (col) s.collapsed = col;
    if (this.viewStart > 0 || this.viewEnd < t.totalNs) s.zoom = [this.viewStart, this.viewEnd];
    if (this.flameRoot >= 0) s.flameRoot = spanIdOf(t, this.flameRoot);
    if (this.query) s.query = this.query;
    if (this.serviceFilter.length === 1) s.service = t.services[this.serviceFilter[0]!];
    else if (this.serviceFilter.length > 1) s.services = this.serviceFilter.map((i) => t.services[i]!);
    if (this.onlyMatches) s.onlyMatches = true;
    if (this.critical) s.critical = true;
    s.detailOpen = this.detailOpen;
    if (this.legendOpen !== undefined) s.legendOpen = this.legendOpen;
    const layout = this.layout();
    if (layout) {
      s.detailWidth = layout.detailWidth;
      if (layout.detailHeight !== undefined) s.detailHeight = layout.detailHeight;
      s.labelWidth = layout.labelWidth;
      s.scrollTop = layout.scrollTop;
    }
    return s;
  }

  /** Takes a snapshot as the state to restore from (after it was saved). */
  remember(s: ViewState): void {
    this.saved = s;
  }

  // ---- rows: collapse, filter ---------------------------------------------------------------

  private rebuildRows(): void {
    const t = this.trace;
    if (!t) return;
    this.rows = visibleRows(t.subtreeEnd, this.collapsed, this.include, this.rows.rows);
    this.emit({ type: 'rows' });
    this.dropHiddenSelection();
  }

  /** A selection that disappeared (collapsed away or filtered out) is dropped. */
  private dropHiddenSelection(): void {
    if (this.selected >= 0 && rowOf(this.rows, this.selected) < 0) {
      this.selected = -1;
      this.emit({ type: 'selection', changed: true, quiet: true });
    }
  }

  /** Collapses or expands span `i`. */
  toggle(i: number): void {
    const t = this.trace;
    if (!t || t.c.childCount[i] === 0) return;
    this.collapsed[i] = this.collapsed[i] ? 0 : 1;
    // Keep the selection visible: if it was inside the collapsed subtree, move it to the parent.
    if (this.collapsed[i] && this.selected > i && this.selected < t.subtreeEnd[i]!) this.selectQuiet(i);
    this.rebuildRows();
  }

  expandAll(): void {
    this.collapsed.fill(0);
    this.rebuildRows();
    this.revealSelection();
  }

  /** Collapses every span with children at depth `depth` or deeper (0: everything). */
  collapseToDepth(depth: number): void {
    const t = this.trace;
    if (!t) return;
    collapseBelowDepth(t.c.depth, t.c.childCount, depth, this.collapsed);
    this.keepSelectionVisible();
    this.rebuildRows();
    this.revealSelection();
  }

  /** Collapses every span with children shorter than `text` ("5ms"); a problem if it is no duration. */
  collapseShorterThan(text: string): void {
    const t = this.trace;
    if (!t) return;
    const ns = parseDuration(text);
    if (ns === undefined) {
      this.setProblem(`“${text}” is not a duration (try 5ms or 1s)`);
      return;
    }
    this.setProblem('');
    collapseShorterThan(t.c.durationNs, t.c.childCount, ns, this.collapsed);
    this.keepSelectionVisible();
    this.rebuildRows();
    this.revealSelection();
  }

  /** After collapsing many spans: move the selection up to its nearest visible ancestor. */
  private keepSelectionVisible(): void {
    const t = this.trace;
    if (!t || this.selected < 0) return;
    let top = this.selected;
    for (let p = t.c.parent[this.selected]!; p >= 0; p = t.c.parent[p]!) if (this.collapsed[p]) top = p;
    if (top !== this.selected) this.selectQuiet(top);
  }

  private revealSelection(): void {
    if (this.selected >= 0) this.emit({ type: 'reveal' });
  }

  private setProblem(text: string): void {
    this.problem = text;
    this.emit({ type: 'problem' });
  }

  setQuery(q: string): void {
    this.query = q;
    this.applyFilter(true);
  }

  /** The one service the filter keeps, or -1 when it keeps all or several. */
  get service(): number {
    return this.serviceFilter.length === 1 ? this.serviceFilter[0]! : -1;
  }

  /** Keeps only service `s` (the picker); -1: all services. */
  setService(s: number): void {
    this.serviceFilter = s >= 0 ? [s] : [];
    this.applyFilter(true);
  }

  /** Adds service `s` to the filter, or takes it out (a click in the legend). */
  toggleService(s: number): void {
    const at = this.serviceFilter.indexOf(s);
    this.serviceFilter =
      at >= 0 ? this.serviceFilter.filter((x) => x !== s) : [...this.serviceFilter, s].sort((a, b) => a - b);
    this.applyFilter(true);
  }

  setOnlyMatches(on: boolean): void {
    this.onlyMatches = on;
    this.applyFilter(true);
  }

  /** Clears the search, the service filter and the span set. */
  clearFilter(): void {
    this.serviceFilter = [];
    if (this.spanSet) {
      this.spanSet = undefined;
      this.onlyMatches = this.onlyMatchesBeforeSet;
    }
    this.setQuery('');
  }

  /**
   * Filters to the spans of `set` (with the search and service filter, if any), showing only them
   * and their ancestors, and selects the first; `undefined` drops the set and restores "only
   * matches" as it was.
   */
  setSpanSet(set: SpanSet | undefined): void {
    if (set && !this.spanSet) this.onlyMatchesBeforeSet = this.onlyMatches;
    if (!set && this.spanSet) this.onlyMatches = this.onlyMatchesBeforeSet;
    this.spanSet = set;
    if (set) this.onlyMatches = true;
    this.applyFilter(true);
    if (set && this.matches.length > 0) {
      this.select(this.matches[0]!, { open: this.detailOpen, reveal: true, center: true });
    }
  }

  /** Computes the mask, matches and include set from the query, service and "only matches". */
  private filter(): void {
    const t = this.trace!;
    const q = parseQuery(this.query);
    this.problem = q.problems.join(' · ');
    if (!this.spanText && hasTextTerm(q)) this.needSpanText(this.handle);
    const res = withSpanSet(matchSpans(t, q, this.serviceFilter, this.spanText), this.spanSet?.mask);
    this.mask = res?.mask;
    this.matches = res ? matchList(res.mask, res.count) : new Int32Array(0);
    this.include = res && this.onlyMatches ? withAncestors(res.mask, t.c.parent) : undefined;
  }

  /** Applies the filter; `dropSelection`: a selection the filter hid is dropped. */
  private applyFilter(dropSelection: boolean): void {
    const t = this.trace;
    if (!t) return;
    this.filter();
    this.emit({ type: 'problem' });
    this.emit({ type: 'filter' });
    this.rows = visibleRows(t.subtreeEnd, this.collapsed, this.include, this.rows.rows);
    this.emit({ type: 'rows' });
    if (dropSelection) this.dropHiddenSelection();
  }

  /** The position of the selection among the matches (1-based; 0 when it is not a match). */
  get matchPosition(): number {
    return this.selected >= 0 && this.mask?.[this.selected] ? lowerBound(this.matches, this.selected) + 1 : 0;
  }

  /** Selects the next (`1`) or previous (`-1`) match after the selection, wrapping around. */
  gotoMatch(delta: 1 | -1): void {
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

  // ---- selection ----------------------------------------------------------------------------

  private selectQuiet(i: number): void {
    const changed = i !== this.selected;
    this.selected = i;
    this.emit({ type: 'selection', changed, quiet: true });
  }

  /**
   * Selects span `i`: expands its ancestors, leaves "only matches" if that hides it, scrolls it
   * into view (`reveal`) and opens the detail when asked.
   */
  select(i: number, opts: SelectOptions): void {
    const t = this.trace;
    if (!t || i < 0 || i >= t.n) return;
    if (expandAncestors(t.c.parent, this.collapsed, i)) this.rebuildRows();
    if (this.include && !this.include[i]) {
      // Filtered out: leave "only matches" so the span can be shown.
      this.onlyMatches = false;
      this.applyFilter(false);
    }
    const changed = i !== this.selected;
    this.selected = i;
    this.emit({
      type: 'selection',
      changed,
      ...(opts.reveal ? { reveal: { center: opts.center ?? false } } : {}),
    });
    if (opts.open && !this.detailOpen) this.setDetailOpen(true);
  }

  /** Clears the selection. */
  deselect(): void {
    if (this.selected < 0) return;
    this.selected = -1;
    this.emit({ type: 'selection', changed: true });
  }

  setDetailOpen(open: boolean): void {
    this.detailOpen = open;
    this.emit({ type: 'detail' });
  }

  // ---- zoom ---------------------------------------------------------------------------------

  /** Shows the time window [a, b] (ns from the trace start), clamped to the trace. */
  setZoom(a: number, b: number): void {
    if (!this.trace) return;
    this.clampZoom(a, b);
    this.emit({ type: 'zoom' });
  }

  /** Zooms the flame graph to span `i`'s frame (-1: the whole trace). */
  setFlameRoot(i: number): void {
    const t = this.trace;
    if (!t) return;
    const root = i >= 0 && i < t.n ? i : -1;
    if (root === this.flameRoot) return;
    this.flameRoot = root;
    this.emit({ type: 'flame' });
  }

  /** Shows the whole trace. */
  resetZoom(): void {
    this.setZoom(0, this.trace?.totalNs ?? 1);
  }

  get zoomed(): boolean {
    return this.viewStart > 0 || this.viewEnd < (this.trace?.totalNs ?? 1);
  }

  private clampZoom(a: number, b: number): void {
    const total = this.trace!.totalNs;
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
  }

  toggleCritical(): void {
    this.critical = !this.critical;
    this.emit({ type: 'critical' });
  }
}

/** The search's matches narrowed to a span set (or the set alone when nothing else filters). */
function withSpanSet(
  res: { mask: Uint8Array; count: number } | undefined,
  set: Uint8Array | undefined,
): { mask: Uint8Array; count: number } | undefined {
  if (!set) return res;
  const mask = res ? res.mask : set.slice();
  let count = 0;
  for (let i = 0; i < mask.length; i++) {
    mask[i] = mask[i]! & (set[i] ?? 0);
    count += mask[i]!;
  }
  return { mask, count };
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
