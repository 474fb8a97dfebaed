/**
 * The waterfall view: the overview strip, the span rows over a time axis, and the span detail
 * pane beside them. It follows the session (rows, selection, filter, zoom, critical path, detail
 * pane) and turns clicks and keys in it into session calls.
 */
import type { SpanDetail } from '../../../src/shared/model';
import type { TraceHandle } from '../../../src/shared/protocol';
import { dragResize, el } from '../../dom';
import type { HostApi } from '../../hostApi';
import { treeKey } from '../../keys';
import { rowOf } from '../../rowModel';
import type { Layout, Restored, Session, SessionEvent } from '../../session';
import type { View, ViewContext } from '../view';
import { DetailPane } from './detail';
import { Overview } from './overview';
import { Waterfall } from './waterfall';
import { S } from '../../l10n';

/** Detail pane width before the person drags it. */
const DETAIL_WIDTH = 380;

export class WaterfallView implements View {
  readonly element: HTMLDivElement;
  private readonly main: HTMLDivElement;
  private readonly overview: Overview;
  private readonly waterfall: Waterfall;
  private readonly detail: DetailPane;
  private readonly session: Session;
  private readonly host: HostApi;
  private readonly root: HTMLElement;
  private detailWidth = DETAIL_WIDTH;

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
    this.detail = new DetailPane({
      copy: (text) => host.copy(text),
      openTrace: (traceId, spanId) => host.openTrace(traceId, spanId),
      goToSource: (index) => host.goToSource(s.handle, index),
      openStackFrame: (index, eventIndex, frameIndex) =>
        host.openStackFrame(s.handle, index, eventIndex, frameIndex),
      close: () => s.setDetailOpen(false),
      select: (i) => s.select(i, { open: true, reveal: true }),
    });
    const splitter = el('div', {
      class: 'tl-splitter',
      title: S.resizeDetailTitle,
      attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': S.resizeDetail },
    });
    dragResize(
      splitter,
      () => this.detailWidth,
      (w) => this.setDetailWidth(w),
      -1,
    );
    this.waterfall.onLabelWidth = () => ctx.layoutChanged();
    this.main = el('div', { class: 'tl-main' }, [this.waterfall.element, splitter, this.detail.element]);
    this.element = el('div', { class: 'tl-view tl-view-waterfall' }, [this.overview.element, this.main]);
    this.setDetailWidth(s.savedState?.detailWidth ?? this.detailWidth);

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

  loaded(restored: Restored): void {
    if (restored.selected < 0 && restored.state?.scrollTop) {
      this.waterfall.scroller.scrollTop = restored.state.scrollTop;
    }
    if (!this.session.detailOpen) this.detail.showEmpty();
    this.waterfall.flush();
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
        if (e.state?.labelWidth) this.waterfall.setLabelWidth(e.state.labelWidth);
        if (e.state?.detailWidth) this.setDetailWidth(e.state.detailWidth);
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
        if (s.detailOpen && s.selected >= 0) this.showDetail(s.selected);
        else if (!s.detailOpen) this.detail.showEmpty();
        this.waterfall.schedule();
        return;
      case 'problem':
        return;
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private showDetail(i: number): void {
    this.detail.show(i, this.host.detail(this.session.handle, i));
  }

  private setDetailWidth(w: number): void {
    const max = Math.max(240, (this.root.clientWidth || 1200) - 320);
    this.detailWidth = Math.round(Math.min(Math.max(w, 240), max));
    this.main.style.setProperty('--tl-detail-w', `${this.detailWidth}px`);
    this.ctx.layoutChanged();
  }
}
