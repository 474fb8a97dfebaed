/**
 * The scatter plot: each trace a point, start time across and duration up, errors in red. Built
 * with DOM APIs as SVG (every label through textContent). A click opens the trace nearest the
 * pointer; hovering shows what it is. Picked traces carry their A/B ring, the table's current row
 * a highlight. The geometry is scatter.ts.
 */
import type { SearchRow } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { formatDuration } from '../../format';
import {
  domains,
  durationTicks,
  formatTimeTick,
  layoutPoints,
  nearestPoint,
  timeTicks,
  yOf,
  type Box,
  type Point,
} from './scatter';
import { S, fmt } from '../../l10n';

const SVG = 'http://www.w3.org/2000/svg';
/** How close (CSS px) the pointer must be to a point for a click to take it. */
const HIT_RADIUS = 8;
const MARGIN = { left: 56, right: 14, top: 12, bottom: 22 };

/** What the plot tells its owner. */
export interface PlotEvents {
  /** A point was clicked: open row `row`'s trace. */
  open(row: number): void;
  /** The pointer is over row `row`'s point (-1: none). */
  hover(row: number): void;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  cls?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (cls) node.setAttribute('class', cls);
  return node;
}

export class ScatterPlot {
  readonly element: HTMLDivElement;
  private readonly surface: SVGSVGElement;
  private readonly axes: SVGGElement;
  private readonly dots: SVGGElement;
  private readonly marks: SVGGElement;
  private readonly tip: HTMLDivElement;
  private rows: readonly SearchRow[] = [];
  private points: Point[] = [];
  private byRow = new Map<number, Point>();
  private width = 0;
  private height = 0;
  private hovered = -1;
  private cursor = -1;
  private picks: number[] = [];
  /** Durations on a log scale (the toggle in the corner). */
  private log = false;
  private readonly logToggle: HTMLButtonElement;

  constructor(private readonly events: PlotEvents) {
    this.surface = svg('svg', {}, 'tl-sr-svg');
    this.axes = svg('g', {}, 'tl-sr-axes');
    this.dots = svg('g', {}, 'tl-sr-dots');
    this.marks = svg('g', {}, 'tl-sr-marks');
    this.surface.append(this.axes, this.dots, this.marks);
    this.tip = el('div', { class: 'tl-sr-tip', attrs: { role: 'tooltip' } });
    this.tip.hidden = true;
    this.logToggle = el('button', {
      class: 'tl-btn tl-btn-text tl-sr-log',
      text: S.logScale,
      title: S.logScaleTitle,
      attrs: { type: 'button', 'aria-pressed': 'false', 'data-testid': 'search-log' },
    });
    this.logToggle.addEventListener('click', () => {
      this.log = !this.log;
      this.logToggle.setAttribute('aria-pressed', String(this.log));
      this.logToggle.classList.toggle('tl-on', this.log);
      this.draw();
    });
    this.element = el('div', { class: 'tl-sr-plot', attrs: { role: 'img', 'data-testid': 'search-plot' } }, [
      this.surface,
      this.tip,
      this.logToggle,
    ]);
    this.surface.addEventListener('pointermove', (ev) => this.onMove(ev));
    this.surface.addEventListener('pointerleave', () => this.setHover(-1));
    this.surface.addEventListener('click', (ev) => {
      const p = this.pointAt(ev);
      if (p) this.events.open(p.row);
    });
    new ResizeObserver(() => this.resize()).observe(this.element);
  }

  /** Shows `rows` (all of them: the plot does not follow the table's sort). */
  setRows(rows: readonly SearchRow[]): void {
    this.rows = rows;
    this.hovered = -1;
    this.draw();
  }

  /** Marks the table's current row and the picked rows (A first). */
  setMarks(cursor: number, picks: readonly number[]): void {
    this.cursor = cursor;
    this.picks = [...picks];
    this.drawMarks();
  }

  /** Highlights row `row`'s point (the pointer is over its table row); -1 for none. */
  highlight(row: number): void {
    this.hovered = row;
    this.drawMarks();
  }

  /** The centre of row `row`'s point in client coordinates (tests click it), if it has one. */
  pointOf(row: number): { x: number; y: number } | undefined {
    const p = this.byRow.get(row);
    if (!p) return undefined;
    const r = this.surface.getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }

  private resize(): void {
    const w = Math.floor(this.element.clientWidth);
    const h = Math.floor(this.element.clientHeight);
    if (w === this.width && h === this.height) return;
    this.width = w;
    this.height = h;
    this.draw();
  }

  private box(): Box {
    return {
      left: MARGIN.left,
      top: MARGIN.top,
      width: Math.max(1, this.width - MARGIN.left - MARGIN.right),
      height: Math.max(1, this.height - MARGIN.top - MARGIN.bottom),
    };
  }

  private draw(): void {
    const { width, height } = this;
    this.surface.setAttribute('width', String(width));
    this.surface.setAttribute('height', String(height));
    this.surface.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.axes.replaceChildren();
    this.dots.replaceChildren();
    this.points = [];
    this.byRow.clear();
    const d = domains(this.rows, this.log);
    if (!d || width < 40 || height < 40) {
      this.element.setAttribute('aria-label', S.plotEmpty);
      this.drawMarks();
      return;
    }
    const box = this.box();
    const bottom = box.top + box.height;
    const right = box.left + box.width;
    for (const t of durationTicks(d, Math.max(2, Math.floor(box.height / 36)))) {
      const y = Math.round(yOf(t, d, box)) + 0.5;
      this.axes.append(svg('line', { x1: box.left, x2: right, y1: y, y2: y }, 'tl-sr-grid'));
      const label = svg('text', { x: box.left - 6, y: y + 4, 'text-anchor': 'end' }, 'tl-sr-label');
      label.textContent = t === 0 ? '0' : formatDuration(t * 1e6);
      this.axes.append(label);
    }
    const { step, ticks } = timeTicks(d.t0, d.t1, Math.max(2, Math.floor(box.width / 90)));
    for (const t of ticks) {
      const x = Math.round(box.left + ((t - d.t0) / (d.t1 - d.t0)) * box.width) + 0.5;
      this.axes.append(svg('line', { x1: x, x2: x, y1: bottom, y2: bottom + 4 }, 'tl-sr-tick'));
      const label = svg('text', { x, y: bottom + 16, 'text-anchor': 'middle' }, 'tl-sr-label');
      label.textContent = formatTimeTick(t, step);
      this.axes.append(label);
    }
    this.axes.append(
      svg('line', { x1: box.left, x2: right, y1: bottom + 0.5, y2: bottom + 0.5 }, 'tl-sr-axis'),
    );

    this.points = layoutPoints(this.rows, d, box);
    // Errors last, so a red point is never hidden under a plain one.
    const ordered = [...this.points].sort(
      (a, b) =>
        Number((this.rows[a.row]!.errorCount ?? 0) > 0) - Number((this.rows[b.row]!.errorCount ?? 0) > 0),
    );
    this.points = ordered;
    const frag = document.createDocumentFragment();
    for (const p of ordered) {
      this.byRow.set(p.row, p);
      const error = (this.rows[p.row]!.errorCount ?? 0) > 0;
      const dot = svg(
        'circle',
        { cx: p.x, cy: p.y, r: 3.5, 'data-row': p.row, 'data-trace-id': this.rows[p.row]!.traceId },
        `tl-sr-dot${error ? ' tl-sr-error' : ''}`,
      );
      frag.append(dot);
    }
    this.dots.append(frag);
    const longest = this.rows.reduce((m, r) => Math.max(m, r.durationMs), 0);
    this.element.setAttribute(
      'aria-label',
      fmt(S.plotLabel, this.points.length, formatDuration(longest * 1e6)),
    );
    this.drawMarks();
  }

  private drawMarks(): void {
    this.marks.replaceChildren();
    const ring = (row: number, cls: string, r: number) => {
      const p = this.byRow.get(row);
      if (p) this.marks.append(svg('circle', { cx: p.x, cy: p.y, r }, cls));
      return p;
    };
    this.picks.forEach((row, k) => {
      const p = ring(row, 'tl-sr-pick', 7);
      if (!p) return;
      const label = svg('text', { x: p.x + 9, y: p.y - 6 }, 'tl-sr-pick-label');
      label.textContent = k === 0 ? 'A' : 'B';
      this.marks.append(label);
    });
    if (this.cursor >= 0) ring(this.cursor, 'tl-sr-cursor', 6);
    if (this.hovered >= 0) ring(this.hovered, 'tl-sr-hover', 5.5);
  }

  private pointAt(ev: MouseEvent): Point | undefined {
    const r = this.surface.getBoundingClientRect();
    return nearestPoint(this.points, ev.clientX - r.left, ev.clientY - r.top, HIT_RADIUS);
  }

  private onMove(ev: PointerEvent): void {
    const p = this.pointAt(ev);
    this.setHover(p ? p.row : -1);
    if (!p) return;
    const row = this.rows[p.row]!;
    const lines = [
      row.rootService || row.rootName
        ? `${row.rootService || '?'} · ${row.rootName || '?'}`
        : S.rootSpanMissing,
      `${row.durationMs > 0 ? formatDuration(row.durationMs * 1e6) : S.underOneMs} · ${new Date(row.startMs).toLocaleString()}`,
      [
        row.spanCount !== null ? fmt(S.nSpans, row.spanCount) : '',
        row.errorCount ? fmt(S.nErrors, row.errorCount) : '',
        fmt(S.nMatched, row.matched),
      ]
        .filter(Boolean)
        .join(' · '),
    ];
    this.tip.replaceChildren(
      ...lines.map((text, k) => el('div', { class: k === 0 ? 'tl-sr-tip-title' : '', text })),
    );
    this.tip.hidden = false;
    // Beside the point, kept inside the plot.
    const tw = this.tip.offsetWidth;
    const th = this.tip.offsetHeight;
    const left = p.x + 12 + tw > this.width ? p.x - 12 - tw : p.x + 12;
    this.tip.style.left = `${Math.max(0, left)}px`;
    this.tip.style.top = `${Math.max(0, Math.min(this.height - th, p.y - th / 2))}px`;
  }

  private setHover(row: number): void {
    if (row < 0) this.tip.hidden = true;
    this.surface.classList.toggle('tl-sr-pointing', row >= 0);
    if (row === this.hovered) return;
    this.hovered = row;
    this.drawMarks();
    this.events.hover(row);
  }
}
