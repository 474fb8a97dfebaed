/**
 * The waterfall: a virtual list of span rows over a time axis.
 *
 * Rows have a fixed height, so the visible window is index arithmetic: only the rows in view plus
 * an overscan buffer exist in the DOM, recycled as the list scrolls. Scroll and resize work is
 * batched into one animation frame. Bars are placed as percentages of the view window, so zooming
 * only rewrites a few style properties of the rows on screen and never lays out the list again.
 */
import { SpanFlag } from '../../../src/shared/model';
import { dragResize, el, icon } from '../../dom';
import { formatDuration, niceTicks } from '../../format';
import { PALETTE_SIZE } from '../../palette';
import { selfIntervals, type RowList } from '../../rowModel';
import { spanName, spanService, type TraceData } from '../../trace';
import { S, fmt } from '../../l10n';

/** A short note after a row's duration: how the span's operation changed in a comparison. */
export interface RowBadge {
  text: string;
  tone: 'slower' | 'faster' | 'added';
}

/** Row height in CSS pixels (also in style.css as --tl-row-h). */
export const ROW_H = 22;
/** Rows rendered above and below the viewport. */
const OVERSCAN = 12;
/** Indentation per depth level in pixels. */
const INDENT = 12;
/** A name keeps at least this many characters visible, however deep its span (issue 13). */
export const MIN_NAME_CHARS = 16;
/**
 * Below this name-column width the service shows as its colour chip only, with its name in the
 * chip's tooltip: the room goes to the span name.
 */
export const COMPACT_LABEL_PX = 300;
/** Label pixels that are not the name: paddings, the twistie, one mark, the chip, an ellipsis. */
const LABEL_CHROME_PX = 4 + 8 + 16 + 18 + 14 + 12;
/** Bars are clamped to this range (in % of the track) so deep zoom never overflows layout units. */
const CLAMP_LO = -5;
const CLAMP_HI = 105;

/** What the waterfall tells its owner. */
export interface WaterfallEvents {
  /** A row was clicked (`open`: the detail should show it). */
  select(index: number, open: boolean): void;
  /** A twistie was clicked or a row double-clicked. */
  toggle(index: number): void;
}

interface RowEls {
  row: HTMLDivElement;
  guides: HTMLSpanElement;
  twistie: HTMLSpanElement;
  marks: HTMLSpanElement;
  name: HTMLSpanElement;
  service: HTMLSpanElement;
  bar: HTMLDivElement;
  dur: HTMLSpanElement;
  /** Span shown, or -1. */
  span: number;
  /** Row position the element is placed at. */
  pos: number;
  /** View version the bar was positioned for. */
  viewVersion: number;
  /** Indent in levels the guides show. */
  indent: number;
  /** What the row currently shows, to skip writes that change nothing. */
  note: string;
  error: boolean;
  onPath: boolean;
  svc: number;
  marksShown: number;
  setSize: number;
  twistieState: '' | 'leaf' | 'open' | 'closed';
  selected: boolean;
  match: boolean;
  durMode: string;
  titled: boolean;
}

/** Flags shown as marks in the label. */
const MARK_FLAGS =
  SpanFlag.Error | SpanFlag.Orphan | SpanFlag.ClockSkew | SpanFlag.NegativeDuration | SpanFlag.CycleBroken;

/** The row's aria-description: what the marks and the critical-path highlight show. */
function describe(flags: number, onPath: boolean): string {
  const notes: string[] = [];
  if (flags & SpanFlag.Error) notes.push('error');
  if (flags & SpanFlag.Orphan) notes.push('parent span missing');
  if (flags & SpanFlag.ClockSkew) notes.push('clock skew');
  if (flags & SpanFlag.NegativeDuration) notes.push('negative duration');
  if (flags & SpanFlag.CycleBroken) notes.push('parent link dropped');
  if (onPath) notes.push('on the critical path');
  return notes.join('; ');
}

/** Self-time gradients per span, as fractions of the span (zoom independent). */
type SelfCache = Map<number, number[]>;

export class Waterfall {
  readonly element: HTMLDivElement;
  readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly axis: HTMLDivElement;
  private readonly grid: HTMLDivElement;
  private readonly labelHead: HTMLDivElement;
  private trace: TraceData | undefined;
  private list: RowList = { rows: new Int32Array(0), count: 0 };
  private readonly live = new Map<number, RowEls>();
  private readonly free: RowEls[] = [];
  private frame = 0;
  private viewStart = 0;
  private viewEnd = 1;
  private viewVersion = 0;
  private selected = -1;
  private matches: Uint8Array | undefined;
  private critical = false;
  private collapsed: Uint8Array = new Uint8Array(0);
  private selfCache: SelfCache = new Map();
  private lastTickKey = '';
  private labelWidth = 340;
  private viewportH = 0;
  private viewportW = 0;
  private shownLabelWidth = -1;
  private lastTop = 0;
  private activeId = '';
  /** Deepest indent (in levels) that still leaves MIN_NAME_CHARS for the name; -1: not measured. */
  private indentCap = -1;
  private charW = 0;
  /** Called after each paint of rows (the benchmark and tests hook here). */
  onPaint: (() => void) | undefined;
  /** Called when the person resized the name column. */
  onLabelWidth: (() => void) | undefined;

  constructor(private readonly events: WaterfallEvents) {
    this.labelHead = el('div', { class: 'tl-axis-label', text: S.serviceAndOperation });
    const colSplit = el('div', {
      class: 'tl-col-splitter',
      title: S.resizeNameTitle,
      attrs: { role: 'separator', 'aria-orientation': 'vertical', 'aria-label': S.resizeName },
    });
    this.axis = el('div', { class: 'tl-axis', attrs: { 'aria-hidden': 'true' } });
    const head = el('div', { class: 'tl-axis-row' }, [this.labelHead, colSplit, this.axis]);
    this.grid = el('div', { class: 'tl-grid', attrs: { 'aria-hidden': 'true' } });
    this.spacer = el('div', { class: 'tl-spacer' });
    this.scroller = el(
      'div',
      {
        class: 'tl-scroller',
        attrs: { role: 'tree', tabindex: '0', 'aria-label': S.spans, 'aria-multiselectable': 'false' },
      },
      [this.spacer],
    );
    const body = el('div', { class: 'tl-body' }, [this.grid, this.scroller]);
    this.element = el('div', { class: 'tl-waterfall' }, [head, body]);
    this.setLabelWidth(this.labelWidth);

    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver((entries) => {
      this.viewportH = entries[0]?.contentRect.height ?? 0;
      this.viewportW = entries[0]?.contentRect.width ?? 0;
      // The axis and grid stop where the rows stop: left of the vertical scrollbar.
      const sbw = Math.max(0, this.scroller.offsetWidth - this.scroller.clientWidth);
      this.element.style.setProperty('--tl-sbw', `${sbw}px`);
      this.applyLabelWidth();
      this.lastTickKey = '';
      this.schedule();
    }).observe(this.scroller);
    this.spacer.addEventListener('click', (ev) => this.onClick(ev));
    this.spacer.addEventListener('mouseover', (ev) => this.onHover(ev));
    this.spacer.addEventListener('dblclick', (ev) => {
      const i = this.spanAt(ev.target);
      if (i >= 0 && !(ev.target as HTMLElement).closest('.tl-twistie')) this.events.toggle(i);
    });
    dragResize(
      colSplit,
      () => this.shownLabelWidth,
      (w) => {
        this.setLabelWidth(w);
        this.onLabelWidth?.();
      },
    );
  }

  /** Width of the name column in pixels. */
  get nameColumnWidth(): number {
    return this.labelWidth;
  }

  /** Sets the preferred width of the name column (kept in the view state). */
  setLabelWidth(w: number): void {
    this.labelWidth = Math.round(Math.min(Math.max(w, 120), 2000));
    this.applyLabelWidth();
  }

  /** The shown width: the preferred one, but never more than 60% of a narrow pane. */
  private applyLabelWidth(): void {
    const avail = this.viewportW;
    const w = avail > 0 ? Math.round(Math.min(this.labelWidth, Math.max(120, avail * 0.6))) : this.labelWidth;
    if (w === this.shownLabelWidth) return;
    this.shownLabelWidth = w;
    this.indentCap = -1;
    this.element.style.setProperty('--tl-label-w', `${w}px`);
    const compact = w < COMPACT_LABEL_PX;
    this.element.classList.toggle('tl-compact', compact);
    this.labelHead.textContent = compact ? S.operation : S.serviceAndOperation;
    for (const r of this.live.values()) r.indent = -1;
    this.lastTickKey = '';
    this.schedule();
  }

  /** A note after each row's duration (a comparison's delta badge), or undefined for none. */
  private badgeOf: ((span: number) => RowBadge | undefined) | undefined;

  /** Sets the notes after the rows' durations (undefined: none) and repaints the rows. */
  setBadges(fn: ((span: number) => RowBadge | undefined) | undefined): void {
    this.badgeOf = fn;
    for (const r of this.live.values()) r.span = -1;
    this.schedule();
  }

  setTrace(t: TraceData, collapsed: Uint8Array): void {
    this.trace = t;
    this.collapsed = collapsed;
    this.selfCache = new Map();
    for (const r of this.live.values()) this.release(r);
    this.live.clear();
    this.viewStart = 0;
    this.viewEnd = t.totalNs;
    this.viewVersion++;
    this.lastTickKey = '';
  }

  /** Sets the rows to show (after a collapse, expand or filter change). */
  setRows(list: RowList): void {
    this.list = list;
    this.spacer.style.height = `${list.count * ROW_H}px`;
    for (const r of this.live.values()) r.pos = -1;
    this.schedule();
  }

  get rows(): RowList {
    return this.list;
  }

  /** Sets the visible time window in ns from the trace start. */
  setView(start: number, end: number): void {
    if (start === this.viewStart && end === this.viewEnd) return;
    this.viewStart = start;
    this.viewEnd = Math.max(end, start + 1);
    this.viewVersion++;
    this.lastTickKey = '';
    this.schedule();
  }

  setSelection(i: number): void {
    this.selected = i;
    this.schedule();
  }

  setMatches(mask: Uint8Array | undefined): void {
    this.matches = mask;
    this.element.classList.toggle('tl-searching', mask !== undefined);
    this.schedule();
  }

  setCritical(on: boolean): void {
    this.critical = on;
    this.element.classList.toggle('tl-critical-on', on);
    this.schedule();
  }

  /** Scrolls so that row position `pos` is visible (`center`: in the middle when it was off screen). */
  revealRow(pos: number, center = false): void {
    if (pos < 0) return;
    const top = pos * ROW_H;
    const h = this.scroller.clientHeight;
    const cur = this.scroller.scrollTop;
    if (top >= cur && top + ROW_H <= cur + h) return;
    this.scroller.scrollTop = center
      ? Math.max(0, top - h / 2 + ROW_H / 2)
      : top < cur
        ? top
        : top + ROW_H - h;
    this.schedule();
  }

  /** Rows that fit in the viewport (for Page Up / Page Down). */
  get pageRows(): number {
    return Math.max(1, Math.floor(this.scroller.clientHeight / ROW_H) - 1);
  }

  /** Renders now instead of at the next frame (used after a state change that must be visible). */
  flush(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.render();
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private spanAt(target: EventTarget | null): number {
    const row = (target as HTMLElement | null)?.closest?.('.tl-row');
    const v = row?.getAttribute('data-span-index');
    return v == null ? -1 : Number(v);
  }

  private onClick(ev: MouseEvent): void {
    const i = this.spanAt(ev.target);
    if (i < 0) return;
    if ((ev.target as HTMLElement).closest('.tl-twistie')) {
      this.events.toggle(i);
      return;
    }
    this.events.select(i, true);
  }

  private release(r: RowEls): void {
    r.span = -1;
    r.row.hidden = true;
    r.row.removeAttribute('id');
    this.free.push(r);
  }

  private createRow(): RowEls {
    const guides = el('span', { class: 'tl-guides' });
    const twistie = el('span', { class: 'tl-twistie codicon', attrs: { 'aria-hidden': 'true' } });
    const marks = el('span', { class: 'tl-marks' });
    const name = el('span', { class: 'tl-name' });
    const service = el('span', { class: 'tl-service' });
    const label = el('div', { class: 'tl-label' }, [guides, twistie, marks, name, service]);
    const bar = el('div', { class: 'tl-bar' });
    const dur = el('span', { class: 'tl-duration' });
    const track = el('div', { class: 'tl-track' }, [bar, dur]);
    const row = el('div', { class: 'tl-row', attrs: { role: 'treeitem' } }, [label, track]);
    this.spacer.append(row);
    return {
      row,
      guides,
      twistie,
      marks,
      name,
      service,
      bar,
      dur,
      span: -1,
      pos: -1,
      viewVersion: -1,
      indent: -1,
      note: '',
      error: false,
      onPath: false,
      svc: -1,
      marksShown: 0,
      setSize: -1,
      twistieState: '',
      selected: false,
      match: false,
      durMode: '',
      titled: false,
    };
  }

  private render(): void {
    const t = this.trace;
    if (!t) return;
    this.renderAxis();
    const { rows, count } = this.list;
    const h = this.viewportH || this.scroller.clientHeight || 600;
    const top = this.scroller.scrollTop;
    // A jump of more than a screen (a fast scroll, a drag of the scrollbar) renders only what is
    // visible this frame; the overscan follows in the next frame once the list holds still.
    const jumped = Math.abs(top - this.lastTop) > h;
    this.lastTop = top;
    const overscan = jumped ? 0 : OVERSCAN;
    const first = Math.max(0, Math.floor(top / ROW_H) - overscan);
    const last = Math.min(count, Math.ceil((top + h) / ROW_H) + overscan);

    // Keep the elements of spans still in the window; reuse the others for the new spans.
    const next = new Map<number, RowEls | undefined>();
    for (let p = first; p < last; p++) {
      const span = rows[p]!;
      next.set(span, this.live.get(span));
      this.live.delete(span);
    }
    const spare = [...this.live.values()];
    this.live.clear();
    let activeId = '';
    for (let p = first; p < last; p++) {
      const span = rows[p]!;
      let r = next.get(span);
      if (!r) r = spare.pop() ?? this.free.pop() ?? this.createRow();
      this.live.set(span, r);
      this.update(r, span, p, t);
      if (span === this.selected) activeId = r.row.id;
    }
    for (const r of spare) this.release(r);
    // Elements beyond what a tall window needs are dropped rather than hoarded.
    while (this.free.length > 2 * OVERSCAN) this.free.pop()!.row.remove();
    if (activeId !== this.activeId) {
      this.activeId = activeId;
      if (activeId) this.scroller.setAttribute('aria-activedescendant', activeId);
      else this.scroller.removeAttribute('aria-activedescendant');
    }
    if (jumped) this.schedule();
    this.onPaint?.();
  }

  private update(r: RowEls, span: number, pos: number, t: TraceData): void {
    // Every write is skipped when the value is already there: a fast scroll repaints every row
    // each frame, and needless attribute and class writes cost style recalculation.
    const c = t.c;
    const row = r.row;
    if (r.span !== span) {
      r.span = span;
      r.viewVersion = -1;
      r.indent = -1;
      r.titled = false;
      const name = spanName(t, span);
      const service = spanService(t, span);
      const dur = formatDuration(c.durationNs[span]!);
      const flags = c.flags[span]!;
      if (row.hidden) row.hidden = false;
      row.id = `tl-row-${span}`;
      row.setAttribute('data-span-index', String(span));
      row.setAttribute('aria-level', String(c.depth[span]! + 1));
      row.setAttribute('aria-label', `${name}, ${service}, ${dur}`);
      const onPath = t.onCritical[span] === 1;
      const markBits = flags & MARK_FLAGS;
      const note = markBits === 0 && !onPath ? '' : describe(flags, onPath);
      if (note !== r.note) {
        r.note = note;
        if (note) row.setAttribute('aria-description', note);
        else row.removeAttribute('aria-description');
      }
      r.name.textContent = name;
      r.service.textContent = service;
      // In a narrow column only the chip shows: its tooltip names the service.
      r.service.title = service;
      r.dur.textContent = dur;
      const badge = this.badgeOf?.(span);
      if (badge) {
        r.dur.dataset.delta = badge.text;
        r.dur.dataset.tone = badge.tone;
      } else if (r.dur.dataset.delta !== undefined) {
        delete r.dur.dataset.delta;
        delete r.dur.dataset.tone;
      }
      const isError = (flags & SpanFlag.Error) !== 0;
      if (isError !== r.error) {
        r.error = isError;
        row.classList.toggle('tl-error', isError);
      }
      if (onPath !== r.onPath) {
        r.onPath = onPath;
        row.classList.toggle('tl-on-path', onPath);
      }
      const svc = c.service[span]! % PALETTE_SIZE;
      if (svc !== r.svc) {
        r.svc = svc;
        row.style.setProperty('--svc', `var(--tl-svc-${svc})`);
      }
      if (markBits !== r.marksShown) {
        r.marksShown = markBits;
        this.renderMarks(r.marks, markBits);
      }
    }
    if (r.pos !== pos) {
      r.pos = pos;
      row.style.transform = `translateY(${pos * ROW_H}px)`;
      row.setAttribute('aria-posinset', String(pos + 1));
    }
    if (r.setSize !== this.list.count) {
      r.setSize = this.list.count;
      row.setAttribute('aria-setsize', String(this.list.count));
    }
    const indent = this.indentFor(c.depth[span]!);
    if (r.indent !== indent) {
      r.indent = indent;
      r.guides.style.width = `${indent * INDENT}px`;
    }
    const hasKids = c.childCount[span]! > 0 && t.subtreeEnd[span]! > span + 1;
    const twistie = hasKids ? (this.collapsed[span] === 1 ? 'closed' : 'open') : 'leaf';
    if (twistie !== r.twistieState) {
      r.twistieState = twistie;
      if (twistie === 'leaf') {
        row.removeAttribute('aria-expanded');
        r.twistie.className = 'tl-twistie codicon tl-leaf';
      } else {
        row.setAttribute('aria-expanded', String(twistie === 'open'));
        r.twistie.className = `tl-twistie codicon codicon-chevron-${twistie === 'open' ? 'down' : 'right'}`;
      }
    }
    const selected = span === this.selected;
    if (selected !== r.selected) {
      r.selected = selected;
      row.classList.toggle('tl-selected', selected);
      row.setAttribute('aria-selected', String(selected));
    }
    const match = this.matches !== undefined && this.matches[span] === 1;
    if (match !== r.match) {
      r.match = match;
      row.classList.toggle('tl-match', match);
    }
    if (r.viewVersion !== this.viewVersion) {
      r.viewVersion = this.viewVersion;
      this.placeBar(r, span, t);
    }
  }

  /** Sets the bar's tooltip when the pointer reaches it (not on every scroll frame). */
  private onHover(ev: MouseEvent): void {
    const bar = (ev.target as HTMLElement | null)?.closest?.('.tl-bar');
    const t = this.trace;
    if (!bar || !t) return;
    const i = this.spanAt(bar);
    const r = this.live.get(i);
    if (!r || r.titled) return;
    r.titled = true;
    const d = t.c.durationNs[i]!;
    const self = d > 0 && t.c.childCount[i]! > 0 ? fmt(S.barSelf, formatDuration(t.selfTimeNs[i]!)) : '';
    r.bar.title = `${fmt(S.barTitle, spanName(t, i), formatDuration(d), formatDuration(t.c.startNs[i]!))}${self}`;
  }

  private indentFor(depth: number): number {
    if (this.indentCap < 0) {
      // Deep trees would push names out of the column: indent only as far as leaves the name
      // MIN_NAME_CHARS characters (measured in the rows' font), and at most half the column.
      const charW = this.measureCharWidth();
      // 10% over the average: names of wide letters (`ValidateAndPersist`) must fit too.
      const room = this.shownLabelWidth - LABEL_CHROME_PX - MIN_NAME_CHARS * charW * 1.1;
      const half = Math.floor((this.shownLabelWidth * 0.5) / INDENT);
      this.indentCap = Math.max(1, Math.min(half, Math.floor(room / INDENT)));
    }
    return Math.min(depth, this.indentCap);
  }

  /** The average width of a character of a span name, in pixels. */
  private measureCharWidth(): number {
    if (this.charW > 0) return this.charW;
    const font = this.scroller.isConnected ? getComputedStyle(this.scroller).font : '';
    const ctx = font ? document.createElement('canvas').getContext('2d') : null;
    if (!ctx) return 7.5;
    ctx.font = font;
    // A mix of the letters, digits and signs span names are made of.
    const sample = 'POST /v1/charges process_item GET cart_items 0123456789';
    this.charW = ctx.measureText(sample).width / sample.length;
    return this.charW;
  }

  private renderMarks(marks: HTMLSpanElement, flags: number): void {
    while (marks.firstChild) marks.removeChild(marks.firstChild);
    if (flags & SpanFlag.Error) marks.append(mark('error', 'tl-mark-error', S.markError));
    if (flags & SpanFlag.Orphan) marks.append(mark('debug-disconnect', 'tl-mark-orphan', S.markOrphan));
    if (flags & SpanFlag.ClockSkew) marks.append(mark('warning', 'tl-mark-skew', S.markSkew));
    if (flags & SpanFlag.NegativeDuration) marks.append(mark('warning', 'tl-mark-skew', S.markNegative));
    if (flags & SpanFlag.CycleBroken) marks.append(mark('debug-disconnect', 'tl-mark-orphan', S.markCycle));
  }

  private placeBar(r: RowEls, span: number, t: TraceData): void {
    const c = t.c;
    const vs = this.viewStart;
    const vw = this.viewEnd - this.viewStart;
    const s = c.startNs[span]!;
    const d = c.durationNs[span]!;
    const rawL = ((s - vs) / vw) * 100;
    const rawR = ((s + d - vs) / vw) * 100;
    const bar = r.bar;
    const dur = r.dur;
    const setMode = (mode: string) => {
      if (mode === r.durMode) return;
      r.durMode = mode;
      dur.className = `tl-duration ${mode}`;
    };
    if (rawR < 0 || rawL > 100) {
      if (!bar.hidden) bar.hidden = true;
      setMode(`tl-dur-off ${rawR < 0 ? 'tl-dur-left' : 'tl-dur-right'}`);
      dur.style.left = rawR < 0 ? '2px' : '';
      dur.style.right = rawR < 0 ? '' : '2px';
      return;
    }
    if (bar.hidden) bar.hidden = false;
    const l = Math.max(CLAMP_LO, rawL);
    const rr = Math.min(CLAMP_HI, rawR);
    bar.style.left = `${l}%`;
    bar.style.width = `${Math.max(0, rr - l)}%`;
    const fill = c.childCount[span] === 0 ? 'none' : this.selfGradient(span, t, rawL, rawR, l, rr);
    if (fill !== bar.style.backgroundImage) bar.style.backgroundImage = fill;
    if (rr <= 78) {
      setMode('tl-dur-after');
      dur.style.left = `calc(${rr}% + 4px)`;
      dur.style.right = '';
    } else if (l >= 22) {
      setMode('tl-dur-before');
      dur.style.left = '';
      dur.style.right = `calc(${100 - l}% + 4px)`;
    } else {
      setMode('tl-dur-inside');
      dur.style.left = '';
      dur.style.right = `calc(${Math.max(0, 100 - rr)}% + 4px)`;
    }
  }

  /**
   * The bar's fill: self time solid, time covered by children translucent. Stops are fractions
   * of the span mapped into the (possibly clamped) bar.
   */
  private selfGradient(span: number, t: TraceData, rawL: number, rawR: number, l: number, r: number): string {
    const c = t.c;
    if (c.childCount[span] === 0) return 'none';
    let iv = this.selfCache.get(span);
    if (!iv) {
      iv = selfIntervals(span, c.startNs, c.durationNs, c.depth, t.subtreeEnd, 12);
      this.selfCache.set(span, iv);
    }
    const w = r - l;
    if (!(w > 0)) return 'none';
    const full = 'var(--svc)';
    const faint = 'var(--tl-child-fill)';
    const stops: string[] = [];
    let at = 0;
    const toBar = (f: number) => {
      const pct = ((rawL + f * (rawR - rawL) - l) / w) * 100;
      return Math.min(100, Math.max(0, pct));
    };
    for (let k = 0; k < iv.length; k += 2) {
      const a = toBar(iv[k]!);
      const b = toBar(iv[k + 1]!);
      if (b <= a) continue;
      if (a > at) stops.push(`${faint} ${at.toFixed(3)}% ${a.toFixed(3)}%`);
      stops.push(`${full} ${a.toFixed(3)}% ${b.toFixed(3)}%`);
      at = b;
    }
    if (at < 100) stops.push(`${faint} ${at.toFixed(3)}% 100%`);
    if (stops.length === 1)
      return stops[0]!.startsWith(full) ? 'none' : `linear-gradient(90deg, ${faint}, ${faint})`;
    return `linear-gradient(90deg, ${stops.join(', ')})`;
  }

  private renderAxis(): void {
    const width = Math.max(0, this.scroller.clientWidth - this.shownLabelWidth);
    const key = `${this.viewStart}:${this.viewEnd}:${width}`;
    if (key === this.lastTickKey) return;
    this.lastTickKey = key;
    const ticks = niceTicks(this.viewStart, this.viewEnd, Math.max(2, Math.floor(width / 80)));
    const vw = this.viewEnd - this.viewStart;
    this.axis.replaceChildren();
    this.grid.replaceChildren();
    for (const tk of ticks) {
      const pct = ((tk - this.viewStart) / vw) * 100;
      if (pct < 0 || pct > 100) continue;
      const label = el('span', { class: 'tl-tick', text: tk === 0 ? '0' : formatDuration(tk) });
      label.style.left = `${pct}%`;
      if (pct > 92) label.classList.add('tl-tick-end');
      this.axis.append(label);
      const line = el('span', { class: 'tl-gridline' });
      line.style.left = `${pct}%`;
      this.grid.append(line);
    }
  }
}

function mark(name: string, cls: string, label: string): HTMLSpanElement {
  const m = icon(name, `tl-mark ${cls}`);
  m.title = label;
  return m;
}
