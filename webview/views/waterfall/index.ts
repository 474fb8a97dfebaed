/**
 * The waterfall view: the overview strip, the span rows over a time axis, and the span detail
 * pane beside them. It follows the session (rows, selection, filter, zoom, critical path, detail
 * pane) and turns clicks and keys in it into session calls.
 */
import type { SpanDetail } from '../../../src/shared/model';
import type { TraceHandle } from '../../../src/shared/protocol';
import { dragResize, el } from '../../dom';
import type { HostApi, SpanLogs } from '../../hostApi';
import { treeKey } from '../../keys';
import { rowOf } from '../../rowModel';
import type { Layout, Restored, Session, SessionEvent } from '../../session';
import type { View, ViewContext } from '../view';
import { deltaBadge } from '../compare/compare';
import { DetailPane } from './detail';
import { LogsSection } from './logs';
import { Overview } from './overview';
import { Waterfall } from './waterfall';
import { S } from '../../l10n';

/** Detail pane width before the person drags it. */
const DETAIL_WIDTH = 380;
/** Share of the room the detail pane takes below the waterfall, before the person drags it. */
const DETAIL_SHARE = 0.45;
/**
 * Below this panel width the detail pane moves below the waterfall: beside it, it would leave
 * the rows too little room (a panel opened beside the code is about 540 px wide).
 */
export const STACK_BELOW_PX = 800;

export class WaterfallView implements View {
  readonly element: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly overview: Overview;
  private readonly waterfall: Waterfall;
  private readonly detail: DetailPane;
  private readonly logs: LogsSection;
  private readonly session: Session;
  private readonly host: HostApi;
  private readonly root: HTMLElement;
  private detailWidth = DETAIL_WIDTH;
  /** Height chosen for the detail pane below the waterfall; undefined: a share of the room. */
  private detailHeight: number | undefined;
  private readonly splitter: HTMLDivElement;
  /** The detail pane is below the waterfall (a narrow panel), not beside it. */
  private stacked = false;

  constructor(private readonly ctx: ViewContext) {
    const s = ctx.session;
    const host = ctx.host;
    this.session = s;
    this.host = host;
    this.root = ctx.root;
    this.overview = new Overview({
      zoom: (a, b) => s.setZoom(a, b),
      reset: () => s.resetZoom(),
    });
    this.waterfall = new Waterfall({
      select: (i, open) => s.select(i, { open, reveal: false }),
      toggle: (i) => s.toggle(i),
    });
    this.logs = new LogsSection(host);
    this.detail = new DetailPane({
      copy: (text) => host.copy(text),
      openTrace: (traceId, spanId) => host.openTrace(traceId, spanId),
      goToSource: (index) => host.goToSource(s.handle, index),
      openStackFrame: (index, eventIndex, frameIndex) =>
        host.openStackFrame(s.handle, index, eventIndex, frameIndex),
      close: () => s.setDetailOpen(false),
      select: (i) => s.select(i, { open: true, reveal: true }),
      extraSection: (i) => this.logs.sectionFor(s.handle, i, s.trace?.c.startNs[i] ?? 0),
    });
    const splitter = (this.splitter = el('div', {
      class: 'tl-splitter',
      attrs: { role: 'separator', 'aria-controls': 'tl-detail' },
    }));
    dragResize(
      splitter,
      () => (this.stacked ? this.shownDetailHeight() : this.detailWidth),
      (v) => {
        if (this.stacked) this.setDetailHeight(v);
        else this.setDetailWidth(v);
      },
      -1,
      () => (this.stacked ? 'y' : 'x'),
    );
    this.waterfall.onLabelWidth = () => ctx.layoutChanged();
    this.detail.element.id = 'tl-detail';
    this.main = el('div', { class: 'tl-main' }, [this.waterfall.element, splitter, this.detail.element]);
    this.element = el('div', { class: 'tl-view tl-view-waterfall' }, [this.overview.element, this.main]);
    const saved = s.savedState;
    this.detailHeight = saved?.detailHeight;
    this.setDetailWidth(saved?.detailWidth ?? this.detailWidth);
    this.setStacked(false);
    new ResizeObserver(() => this.onResize()).observe(this.element);

    const scroller = this.waterfall.scroller;
    scroller.addEventListener('keydown', (ev) => {
      if (!treeKey(s, ev, this.waterfall.pageRows).handled) return;
      ev.preventDefault();
      ev.stopPropagation();
    });
    scroller.addEventListener('scroll', () => ctx.layoutChanged(), { passive: true });
    s.on((e) => this.follow(e));
  }

  layout(): Layout {
    return {
      detailWidth: this.detailWidth,
      ...(this.detailHeight !== undefined ? { detailHeight: this.detailHeight } : {}),
      labelWidth: this.waterfall.nameColumnWidth,
      scrollTop: this.waterfall.scroller.scrollTop,
    };
  }

  themeChanged(): void {
    this.overview.invalidate();
  }

  focus(): void {
    this.waterfall.scroller.focus();
  }

  /** Shown again: a span chosen in another view while this one was hidden is scrolled to now. */
  shown(): void {
    const s = this.session;
    this.waterfall.schedule();
    if (s.selected >= 0) this.waterfall.revealRow(rowOf(s.rows, s.selected), true);
    this.waterfall.flush();
  }

  loaded(restored: Restored): void {
    if (restored.selected < 0 && restored.state?.scrollTop) {
      this.waterfall.scroller.scrollTop = restored.state.scrollTop;
    }
    if (!this.session.detailOpen) this.detail.showEmpty();
    this.waterfall.flush();
  }

  logsArrived(handle: TraceHandle, index: number, logs: SpanLogs): void {
    this.logs.arrived(handle, index, logs);
  }

  detailArrived(handle: TraceHandle, index: number, detail: SpanDetail | null): void {
    if (handle === this.session.handle && this.detail.index === index && this.session.detailOpen) {
      this.detail.show(index, detail);
    }
  }

  /** Applies a session change to the overview, the rows and the detail pane. */
  private follow(e: SessionEvent): void {
    const s = this.session;
    switch (e.type) {
      case 'trace': {
        const t = s.trace!;
        // The panel's own saved sizes, else the ones last chosen in this workspace.
        const ws = s.workspaceLayout;
        const labelWidth = e.state?.labelWidth ?? ws?.labelWidth;
        const detailWidth = e.state?.detailWidth ?? ws?.detailWidth;
        const detailHeight = e.state?.detailHeight ?? ws?.detailHeight;
        if (labelWidth) this.waterfall.setLabelWidth(labelWidth);
        if (detailWidth) this.setDetailWidth(detailWidth);
        if (detailHeight) this.setDetailHeight(detailHeight);
        this.waterfall.setTrace(t, s.collapsed);
        this.waterfall.setCritical(s.critical);
        this.overview.setTrace(t);
        this.detail.setTrace(t);
        this.waterfall.setSelection(-1);
        this.waterfall.setMatches(s.mask);
        this.overview.setMatches(s.mask);
        this.waterfall.setRows(s.rows);
        this.waterfall.setView(s.viewStart, s.viewEnd);
        this.overview.setView(s.viewStart, s.viewEnd);
        this.main.classList.toggle('tl-detail-open', s.detailOpen);
        return;
      }
      case 'rows':
        this.waterfall.setRows(s.rows);
        return;
      case 'selection': {
        this.waterfall.setSelection(s.selected);
        if (e.quiet) return;
        if (e.reveal) this.waterfall.revealRow(rowOf(s.rows, s.selected), e.reveal.center);
        // Render now: the selection (and aria-activedescendant) must be current when the key handler returns.
        this.waterfall.flush();
        const i = s.selected;
        if (i >= 0 && s.detailOpen && (e.changed || this.detail.index !== i)) this.showDetail(i);
        return;
      }
      case 'reveal':
        if (s.selected >= 0) this.waterfall.revealRow(rowOf(s.rows, s.selected), true);
        return;
      case 'filter':
        this.waterfall.setMatches(s.mask);
        this.overview.setMatches(s.mask);
        return;
      case 'zoom':
        this.waterfall.setView(s.viewStart, s.viewEnd);
        this.overview.setView(s.viewStart, s.viewEnd);
        return;
      case 'critical':
        this.waterfall.setCritical(s.critical);
        return;
      case 'detail':
        this.main.classList.toggle('tl-detail-open', s.detailOpen);
        // Below the waterfall the opening pane takes rows away: keep the selected one in view.
        if (s.detailOpen && s.selected >= 0 && this.stacked)
          this.waterfall.revealRow(rowOf(s.rows, s.selected));
        if (s.detailOpen && s.selected >= 0) this.showDetail(s.selected);
        else if (!s.detailOpen) this.detail.showEmpty();
        this.waterfall.schedule();
        return;
      case 'problem':
      case 'flame':
        return;
      case 'comparison': {
        const c = s.comparison;
        this.waterfall.setBadges(c && s.subject?.kind === 'compare' ? (i) => deltaBadge(c, i) : undefined);
        return;
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private showDetail(i: number): void {
    this.detail.show(i, this.host.detail(this.session.handle, i));
  }

  /** Places the detail pane below the waterfall in a narrow panel, beside it in a wide one. */
  private onResize(): void {
    const w = this.element.clientWidth;
    if (w === 0) return; // hidden: keep the layout it had
    const stacked = w < STACK_BELOW_PX;
    if (stacked !== this.stacked) this.setStacked(stacked);
    // Clamp the sizes to the new room (without remembering the clamped value as a choice).
    const main = this.main.style;
    main.setProperty('--tl-detail-w', `${this.clampWidth(this.detailWidth)}px`);
    main.setProperty('--tl-detail-h', `${this.shownDetailHeight()}px`);
  }

  private setStacked(stacked: boolean): void {
    this.stacked = stacked;
    this.main.classList.toggle('tl-stacked', stacked);
    const sp = this.splitter;
    sp.setAttribute('aria-orientation', stacked ? 'horizontal' : 'vertical');
    sp.setAttribute('aria-label', stacked ? S.resizeDetailRows : S.resizeDetailColumns);
    sp.title = stacked ? S.resizeDetailRowsTitle : S.resizeDetailColumnsTitle;
    this.updateSplitterValue();
    this.waterfall.schedule();
  }

  private updateSplitterValue(): void {
    const v = this.stacked ? this.shownDetailHeight() : this.clampWidth(this.detailWidth);
    this.splitter.setAttribute('aria-valuenow', String(v));
  }

  private clampWidth(w: number): number {
    const max = Math.max(240, (this.root.clientWidth || 1200) - 320);
    return Math.round(Math.min(Math.max(w, 240), max));
  }

  /** Below the waterfall the pane leaves at least ~6 rows of spans above it. */
  private clampHeight(h: number): number {
    const room = this.main.clientHeight || 600;
    return Math.round(Math.min(Math.max(h, 120), Math.max(120, room - 160)));
  }

  private shownDetailHeight(): number {
    return this.clampHeight(this.detailHeight ?? (this.main.clientHeight || 600) * DETAIL_SHARE);
  }

  private setDetailWidth(w: number): void {
    this.detailWidth = this.clampWidth(w);
    this.main.style.setProperty('--tl-detail-w', `${this.detailWidth}px`);
    this.updateSplitterValue();
    this.ctx.layoutChanged();
  }

  private setDetailHeight(h: number): void {
    this.detailHeight = this.clampHeight(h);
    this.main.style.setProperty('--tl-detail-h', `${this.detailHeight}px`);
    this.updateSplitterValue();
    this.ctx.layoutChanged();
  }
}
