/**
 * The flame graph view: the shown trace as an icicle on a canvas (layout.ts), frames in their
 * service's colour, the critical path underlined, search matches kept bright and the rest dimmed,
 * the selected span outlined. A click selects the span (in every view) and zooms to it; the
 * breadcrumb above zooms back out. Arrow keys walk the frames (up: parent, down: first child,
 * left/right: siblings), Enter zooms to the selection.
 */
import { SpanFlag, type SpanDetail } from '../../../src/shared/model';
import type { TraceHandle } from '../../../src/shared/protocol';
import { el, icon } from '../../dom';
import { formatDuration, formatPercent } from '../../format';
import { PALETTE_SIZE } from '../../palette';
import type { Restored, Session, SessionEvent } from '../../session';
import { spanName, spanService, type TraceData } from '../../trace';
import type { View, ViewContext } from '../view';
import { cullFrames, frameAt, layoutFlame, type FlameLayout } from './layout';
import './flame.css';
import { S, fmt } from '../../l10n';

/** Row height in CSS pixels. */
const ROW = 18;
/** Frames narrower than this (CSS pixels) are drawn as dust, not one by one. */
const MIN_PX = 1;
/** Frames at least this wide get their name written in. */
const LABEL_PX = 28;

interface Colours {
  services: string[];
  /** Text colour that reads on each service colour (black or white by its luminance). */
  textOn: string[];
  background: string;
  dust: string;
  error: string;
  critical: string;
  selected: string;
  match: string;
}

export class FlameView implements View {
  readonly element: HTMLDivElement;
  private readonly session: Session;
  private readonly canvas: HTMLCanvasElement;
  private readonly scroller: HTMLDivElement;
  private readonly sizer: HTMLDivElement;
  private readonly crumbs: HTMLDivElement;
  private readonly tip: HTMLDivElement;
  private readonly probe: HTMLSpanElement;
  private readonly caption: HTMLSpanElement;
  private trace: TraceData | undefined;
  private layoutData: FlameLayout | undefined;
  private colours: Colours | undefined;
  private frame = 0;
  private frameBuffer: Int32Array | undefined;
  /** Milliseconds the last draw took, layout included when it ran (the benchmark reads it). */
  lastDrawMs = 0;

  constructor(ctx: ViewContext) {
    const s = (this.session = ctx.session);
    this.canvas = el('canvas', { class: 'tl-flame-canvas', attrs: { 'aria-hidden': 'true' } });
    this.sizer = el('div', { class: 'tl-flame-sizer' });
    this.scroller = el(
      'div',
      {
        class: 'tl-flame-scroll',
        attrs: {
          tabindex: '0',
          role: 'application',
          'aria-roledescription': S.flameRole,
          'aria-label': S.flameLabel,
          'data-testid': 'flame',
        },
      },
      [this.sizer],
    );
    this.tip = el('div', { class: 'tl-flame-tip', attrs: { role: 'tooltip' } });
    this.tip.hidden = true;
    this.probe = el('span', { class: 'tl-flame-probe' });
    this.crumbs = el('div', { class: 'tl-flame-crumbs', attrs: { 'aria-label': S.zoom } });
    this.caption = el('span', {
      class: 'tl-flame-caption',
      text: S.flameCaption,
    });
    const surface = el('div', { class: 'tl-flame-surface' }, [this.canvas, this.scroller, this.tip]);
    this.element = el('div', { class: 'tl-view tl-view-flame', attrs: { 'data-testid': 'view-flame' } }, [
      el('div', { class: 'tl-flame-bar' }, [this.crumbs, this.caption]),
      surface,
      this.probe,
    ]);
    this.scroller.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.scroller.addEventListener('click', (ev) => this.onClick(ev));
    this.scroller.addEventListener('pointermove', (ev) => this.onHover(ev));
    this.scroller.addEventListener('pointerleave', () => (this.tip.hidden = true));
    this.scroller.addEventListener('keydown', (ev) => this.onKey(ev));
    new ResizeObserver(() => this.schedule()).observe(surface);
    s.on((e) => this.follow(e));
  }

  loaded(_restored: Restored): void {
    this.schedule();
  }

  shown(): void {
    this.schedule();
  }

  detailArrived(_handle: TraceHandle, _index: number, _detail: SpanDetail | null): void {}

  themeChanged(): void {
    this.colours = undefined;
    this.schedule();
  }

  focus(): void {
    this.scroller.focus();
  }

  private follow(e: SessionEvent): void {
    switch (e.type) {
      case 'trace':
        // The session restored the zoom (the saved state's, or the one before a refresh); the
        // crumbs follow at the first draw, with the layout.
        this.trace = this.session.trace;
        this.layoutData = undefined;
        this.schedule();
        return;
      case 'flame':
        this.renderCrumbs();
        this.schedule();
        return;
      case 'selection': {
        // A span chosen elsewhere that lies outside the zoomed frame: zoom out to show it.
        const i = this.session.selected;
        const root = this.session.flameRoot;
        if (i >= 0 && root >= 0 && !this.contains(root, i)) this.setZoom(-1);
        if (i >= 0 && !this.element.hidden && this.trace) this.revealDepth(this.trace.c.depth[i]!);
        this.schedule();
        return;
      }
      case 'filter':
      case 'critical':
        this.schedule();
        return;
      default:
        return;
    }
  }

  /** Whether span `i` is `root` or inside its subtree. */
  private contains(root: number, i: number): boolean {
    const t = this.trace;
    return !!t && i >= root && i < t.subtreeEnd[root]!;
  }

  /** Scrolls row `depth` into view. */
  private revealDepth(depth: number): void {
    const y = depth * ROW;
    const h = this.scroller.clientHeight;
    if (y < this.scroller.scrollTop || y + ROW > this.scroller.scrollTop + h) {
      this.scroller.scrollTop = Math.max(0, y - h / 2);
    }
  }

  /** Zooms to span `i`'s frame (-1: the whole trace); the session's `flame` event redraws. */
  private setZoom(i: number): void {
    this.session.setFlameRoot(i);
  }

  private renderCrumbs(): void {
    const t = this.trace;
    if (!t) return;
    const chain: number[] = [];
    for (let i = this.session.flameRoot; i >= 0; i = t.c.parent[i]!) chain.unshift(i);
    const crumb = (label: string, target: number, current: boolean) => {
      const b = el('button', {
        class: 'tl-flame-crumb',
        text: label,
        title: label,
        attrs: { type: 'button', ...(current ? { 'aria-current': 'true' } : {}) },
      });
      b.addEventListener('click', () => this.setZoom(target));
      return b;
    };
    const parts: HTMLElement[] = [crumb(S.wholeTrace, -1, chain.length === 0)];
    chain.forEach((i, k) => {
      parts.push(icon('chevron-right', 'tl-flame-sep'));
      parts.push(crumb(spanName(t, i), i, k === chain.length - 1));
    });
    this.crumbs.replaceChildren(...parts);
  }

  // ---- drawing ---------------------------------------------------------------------------------

  private schedule(): void {
    if (this.frame || this.element.hidden) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** The range across that the width shows. */
  private range(l: FlameLayout): [number, number] {
    const root = this.session.flameRoot;
    if (root >= 0) {
      const a = l.x[root]!;
      return [a, a + Math.max(l.w[root]!, 1e-9)];
    }
    return [0, Math.max(l.total, 1e-9)];
  }

  private draw(): void {
    const t = this.trace;
    if (!t || this.element.hidden) return;
    const started = performance.now();
    if (!this.layoutData) {
      this.layoutData = layoutFlame(t);
      this.sizer.style.height = `${(this.layoutData.maxDepth + 1) * ROW + 8}px`;
      this.renderCrumbs();
    }
    const l = this.layoutData;
    const width = this.scroller.clientWidth;
    const height = this.scroller.clientHeight;
    if (width <= 0 || height <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const colours = (this.colours ??= this.readColours());
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const scrollTop = this.scroller.scrollTop;
    const top = Math.floor(scrollTop / ROW);
    const bottom = Math.min(l.maxDepth, Math.ceil((scrollTop + height) / ROW));
    const [from, to] = this.range(l);
    if (!this.frameBuffer || this.frameBuffer.length < t.n) this.frameBuffer = new Int32Array(t.n);
    const culled = cullFrames(t, l, { from, to, width, top, bottom }, MIN_PX, this.frameBuffer);
    const scale = width / (to - from);
    const s = this.session;
    const mask = s.mask;
    const selected = s.selected;
    const c = t.c;

    // Dust: the pixel columns where frames too narrow to draw lie.
    ctx.fillStyle = colours.dust;
    const cols = Math.max(1, Math.floor(width));
    for (let r = 0; r <= bottom - top; r++) {
      const y = (top + r) * ROW - scrollTop;
      for (let px = 0; px < cols;) {
        if (!culled.dust[r * cols + px]) {
          px++;
          continue;
        }
        const a = px;
        while (px < cols && culled.dust[r * cols + px]) px++;
        ctx.fillRect(a, y + 1, px - a, ROW - 2);
      }
    }

    ctx.font = `11px ${getComputedStyle(this.element).fontFamily}`;
    ctx.textBaseline = 'middle';
    let selectedBox: [number, number, number] | undefined;
    for (let k = 0; k < culled.count; k++) {
      const i = culled.frames[k]!;
      const x0 = Math.max(-1, (l.x[i]! - from) * scale);
      const x1 = Math.min(width + 1, (l.x[i]! + l.w[i]! - from) * scale);
      const y = c.depth[i]! * ROW - scrollTop;
      const w = Math.max(1, x1 - x0);
      const dim = (mask !== undefined && !mask[i]) || (s.critical && !t.onCritical[i]);
      ctx.globalAlpha = dim ? 0.25 : 1;
      ctx.fillStyle = colours.services[c.service[i]! % PALETTE_SIZE] ?? colours.dust;
      ctx.fillRect(x0, y + 1, w - (w > 3 ? 1 : 0), ROW - 2);
      if ((c.flags[i]! & SpanFlag.Error) !== 0 || c.status[i] === 2) {
        ctx.fillStyle = colours.error;
        ctx.fillRect(x0, y + 1, Math.min(w, 3), ROW - 2);
      }
      if (t.onCritical[i]) {
        ctx.fillStyle = colours.critical;
        ctx.fillRect(x0, y + ROW - 3, w - (w > 3 ? 1 : 0), 2);
      }
      if (w >= LABEL_PX) {
        ctx.fillStyle = colours.textOn[c.service[i]! % PALETTE_SIZE] ?? '#000';
        const label = fitText(ctx, spanName(t, i), w - 8);
        if (label) ctx.fillText(label, Math.max(x0, 0) + 5, y + ROW / 2);
      }
      if (mask?.[i]) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colours.match;
        ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y + 1.5, w - 2, ROW - 3);
      }
      if (i === selected) selectedBox = [x0, y, w];
    }
    ctx.globalAlpha = 1;
    if (selectedBox) {
      const [x0, y, w] = selectedBox;
      ctx.strokeStyle = colours.selected;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, y + 1, Math.max(2, w - 3), ROW - 2);
    }
    this.element.dataset.frames = String(culled.count);
    this.lastDrawMs = performance.now() - started;
  }

  /** Converts the theme's colours (CSS variables included) to strings a canvas takes. */
  private readColours(): Colours {
    const read = (css: string) => {
      this.probe.style.color = css;
      return getComputedStyle(this.probe).color;
    };
    const services: string[] = [];
    for (let k = 0; k < PALETTE_SIZE; k++) services.push(read(`var(--tl-svc-${k})`));
    return {
      services,
      textOn: services.map((css) => (luminance(css) > 0.179 ? '#000' : '#fff')),
      background: read('var(--vscode-editor-background)'),
      dust: read('var(--tl-flame-dust)'),
      error: read('var(--vscode-charts-red)'),
      critical: read('var(--vscode-foreground)'),
      selected: read('var(--vscode-focusBorder)'),
      match: read('var(--vscode-editor-findMatchBorder, var(--vscode-focusBorder))'),
    };
  }

  // ---- pointer and keys ------------------------------------------------------------------------

  private spanAt(ev: MouseEvent): number {
    const t = this.trace;
    const l = this.layoutData;
    if (!t || !l) return -1;
    const rect = this.scroller.getBoundingClientRect();
    const px = ev.clientX - rect.left;
    const py = ev.clientY - rect.top + this.scroller.scrollTop;
    const [from, to] = this.range(l);
    const pos = from + (px / this.scroller.clientWidth) * (to - from);
    return frameAt(t, l, Math.floor(py / ROW), pos);
  }

  private onClick(ev: MouseEvent): void {
    const i = this.spanAt(ev);
    if (i < 0) return;
    this.session.select(i, { open: this.session.detailOpen, reveal: true, center: true });
    this.setZoom(i === this.session.flameRoot ? this.trace!.c.parent[i]! : i);
  }

  private onHover(ev: PointerEvent): void {
    const t = this.trace;
    const l = this.layoutData;
    const i = this.spanAt(ev);
    if (!t || !l || i < 0) {
      this.tip.hidden = true;
      this.scroller.style.cursor = '';
      return;
    }
    this.scroller.style.cursor = 'pointer';
    const dur = t.c.durationNs[i]!;
    const lines = [
      el('div', { class: 'tl-flame-tip-name', text: spanName(t, i) }),
      el('div', { text: spanService(t, i) }),
      el('div', {
        text: fmt(S.flameTipDuration, formatDuration(dur), formatDuration(t.selfTimeNs[i]!)),
      }),
      el('div', {
        text: fmt(S.flameTipBelow, formatDuration(l.w[i]!), formatPercent(l.w[i]!, l.total)),
      }),
      t.onCritical[i] ? el('div', { class: 'tl-muted', text: S.onCriticalPath }) : null,
    ];
    this.tip.replaceChildren(...lines.filter((x): x is HTMLDivElement => x !== null));
    this.tip.hidden = false;
    const rect = this.scroller.getBoundingClientRect();
    const x = ev.clientX - rect.left + 12;
    const y = ev.clientY - rect.top + 14;
    const maxX = rect.width - this.tip.offsetWidth - 4;
    this.tip.style.left = `${Math.max(0, Math.min(x, maxX))}px`;
    this.tip.style.top = `${Math.min(y, rect.height - this.tip.offsetHeight - 4)}px`;
  }

  private onKey(ev: KeyboardEvent): void {
    const t = this.trace;
    if (!t || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const s = this.session;
    const i = s.selected;
    let next = -1;
    switch (ev.key) {
      case 'ArrowUp':
        next = i >= 0 ? t.c.parent[i]! : -1;
        break;
      case 'ArrowDown':
        next = i < 0 ? 0 : t.c.childCount[i]! > 0 ? i + 1 : -1;
        break;
      case 'ArrowRight':
        next = i >= 0 ? this.sibling(i, 1) : 0;
        break;
      case 'ArrowLeft':
        next = i >= 0 ? this.sibling(i, -1) : 0;
        break;
      case 'Enter':
        if (i >= 0) this.setZoom(i);
        ev.preventDefault();
        return;
      case 'Backspace':
        if (s.flameRoot >= 0) this.setZoom(t.c.parent[s.flameRoot]!);
        ev.preventDefault();
        return;
      default:
        return;
    }
    ev.preventDefault();
    ev.stopPropagation();
    if (next >= 0 && next < t.n) s.select(next, { open: s.detailOpen, reveal: true, center: true });
  }

  /** The next (`1`) or previous (`-1`) sibling of span `i`, or -1. */
  private sibling(i: number, dir: 1 | -1): number {
    const t = this.trace!;
    const p = t.c.parent[i]!;
    if (dir > 0) {
      const j = t.subtreeEnd[i]!;
      return j < t.n && t.c.parent[j] === p ? j : -1;
    }
    // Walk back to the previous span with the same parent.
    for (let j = i - 1; j >= 0 && j > p; j--) if (t.c.parent[j] === p) return j;
    return -1;
  }
}

/** Relative luminance (0–1) of a computed `rgb(r, g, b)` colour; 0.5 when it cannot be read. */
function luminance(css: string): number {
  const m = /rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(css);
  if (!m) return 0.5;
  const lin = (v: string) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!);
}

/** `text` cut with an ellipsis to fit `max` pixels; '' when not even two characters fit. */
function fitText(ctx: CanvasRenderingContext2D, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  // Estimate from the average character width, then trim.
  let n = Math.floor((max / ctx.measureText(text).width) * text.length);
  while (n > 1 && ctx.measureText(`${text.slice(0, n)}…`).width > max) n--;
  return n > 1 ? `${text.slice(0, n)}…` : '';
}
