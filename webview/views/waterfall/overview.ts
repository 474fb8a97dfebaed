/**
 * The overview: the whole trace drawn once on a canvas from per-pixel buckets (span order down,
 * time across), with the zoom window on top. Dragging selects a time range to zoom into;
 * double-click resets. Buckets come from difference arrays, so drawing costs O(spans + pixels)
 * however long the spans are.
 */
import { SpanFlag } from '../../../src/shared/model';
import { el } from '../../dom';
import { formatDuration, niceTicks } from '../../format';
import type { TraceData } from '../../trace';
import { PALETTE_SIZE } from '../../palette';
import { S } from '../../l10n';

/** Overview height in CSS pixels. */
const HEIGHT = 44;
/** Up to this many spans, each span is drawn as its own rectangle. */
const SMALL = 2000;

/** What the overview tells its owner. */
export interface OverviewEvents {
  /** A range was selected (ns from the trace start); `reset` after a double-click. */
  zoom(start: number, end: number): void;
  reset(): void;
}

type Rgba = [number, number, number, number];

export class Overview {
  readonly element: HTMLDivElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly windowBox: HTMLDivElement;
  private readonly shadeLeft: HTMLDivElement;
  private readonly shadeRight: HTMLDivElement;
  private readonly selection: HTMLDivElement;
  private readonly ticks: HTMLDivElement;
  private readonly probe: HTMLSpanElement;
  private trace: TraceData | undefined;
  private matches: Uint8Array | undefined;
  private viewStart = 0;
  private viewEnd = 1;
  private frame = 0;
  private lastSize = '';
  /** Milliseconds the last redraw took (the benchmark reads it). */
  lastDrawMs = 0;

  constructor(private readonly events: OverviewEvents) {
    this.canvas = el('canvas', { class: 'tl-ov-canvas', attrs: { 'aria-hidden': 'true' } });
    this.shadeLeft = el('div', { class: 'tl-ov-shade' });
    this.shadeRight = el('div', { class: 'tl-ov-shade' });
    this.windowBox = el('div', { class: 'tl-ov-window' });
    this.selection = el('div', { class: 'tl-ov-select', attrs: { hidden: '' } });
    this.ticks = el('div', { class: 'tl-ov-ticks', attrs: { 'aria-hidden': 'true' } });
    this.probe = el('span', { class: 'tl-ov-probe' });
    const surface = el('div', { class: 'tl-ov-surface' }, [
      this.canvas,
      this.shadeLeft,
      this.shadeRight,
      this.windowBox,
      this.selection,
    ]);
    this.element = el(
      'div',
      {
        class: 'tl-overview',
        title: S.overviewTitle,
        attrs: {
          role: 'img',
          'aria-label': S.overviewLabel,
        },
      },
      [surface, this.ticks, this.probe],
    );
    surface.addEventListener('pointerdown', (ev) => this.onPointerDown(ev, surface));
    surface.addEventListener('dblclick', () => this.events.reset());
    new ResizeObserver(() => this.schedule()).observe(surface);
  }

  setTrace(t: TraceData): void {
    this.trace = t;
    this.matches = undefined;
    this.viewStart = 0;
    this.viewEnd = t.totalNs;
    this.lastSize = '';
    this.schedule();
  }

  setMatches(mask: Uint8Array | undefined): void {
    this.matches = mask;
    this.lastSize = '';
    this.schedule();
  }

  setView(start: number, end: number): void {
    this.viewStart = start;
    this.viewEnd = end;
    this.placeWindow();
  }

  /** Redraws at the next frame (theme change, resize). */
  invalidate(): void {
    this.lastSize = '';
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private placeWindow(): void {
    const t = this.trace;
    if (!t) return;
    const l = (this.viewStart / t.totalNs) * 100;
    const r = (this.viewEnd / t.totalNs) * 100;
    const zoomed = l > 0.001 || r < 99.999;
    this.element.classList.toggle('tl-zoomed', zoomed);
    this.windowBox.style.left = `${l}%`;
    this.windowBox.style.width = `${Math.max(0.2, r - l)}%`;
    this.shadeLeft.style.left = '0';
    this.shadeLeft.style.width = `${l}%`;
    this.shadeRight.style.left = `${r}%`;
    this.shadeRight.style.width = `${Math.max(0, 100 - r)}%`;
  }

  /** Converts any CSS colour (variables included) to RGBA by painting it. */
  private color(variable: string, ctx: CanvasRenderingContext2D): Rgba {
    this.probe.style.color = `var(${variable})`;
    const css = getComputedStyle(this.probe).color;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0]!, d[1]!, d[2]!, d[3]!];
  }

  /** Draws the buckets. */
  draw(): void {
    const t = this.trace;
    if (!t) return;
    const started = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const cssW = this.canvas.clientWidth;
    const W = Math.max(1, Math.round(cssW * dpr));
    const H = Math.max(1, Math.round(HEIGHT * dpr));
    const key = `${W}x${H}`;
    this.placeWindow();
    if (key === this.lastSize) return;
    this.lastSize = key;
    if (cssW === 0) return;
    this.canvas.width = W;
    this.canvas.height = H;
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    const fill = this.color('--tl-ov-fill', ctx);
    const error = this.color('--tl-ov-error', ctx);
    const match = this.color('--tl-ov-match', ctx);

    const n = t.n;
    if (n <= SMALL) this.drawSmall(ctx, W, H, error);
    else this.drawBuckets(ctx, W, H, fill, error, match);
    this.renderTicks(cssW);
    this.lastDrawMs = performance.now() - started;
    performance.measure('tl.overview.draw', { start: started, end: started + this.lastDrawMs });
  }

  /** Few spans: one rectangle per span in its service colour, a band of rows each. */
  private drawSmall(ctx: CanvasRenderingContext2D, W: number, H: number, error: Rgba): void {
    const t = this.trace!;
    const c = t.c;
    const n = t.n;
    const palette: Rgba[] = [];
    for (let k = 0; k < PALETTE_SIZE; k++) palette.push(this.color(`--tl-svc-${k}`, ctx));
    ctx.clearRect(0, 0, W, H);
    const xScale = W / t.totalNs;
    const band = H / Math.max(1, n);
    const rgba = (col: Rgba, a: number) => `rgba(${col[0]}, ${col[1]}, ${col[2]}, ${(col[3] / 255) * a})`;
    for (let i = 0; i < n; i++) {
      const y0 = Math.floor(i * band);
      const y1 = Math.max(y0 + 1, Math.floor((i + 1) * band));
      const h = y1 - y0 >= 4 ? y1 - y0 - 1 : y1 - y0;
      const x0 = Math.floor(c.startNs[i]! * xScale);
      const w = Math.max(1, Math.round(c.durationNs[i]! * xScale));
      const dim = this.matches !== undefined && !this.matches[i];
      const isError = (c.flags[i]! & SpanFlag.Error) !== 0;
      ctx.fillStyle = rgba(isError ? error : palette[c.service[i]! % PALETTE_SIZE]!, dim ? 0.25 : 1);
      ctx.fillRect(x0, y0, w, Math.min(h, 6));
    }
  }

  /** Many spans: per-pixel counts from difference arrays, drawn as intensity. */
  private drawBuckets(
    ctx: CanvasRenderingContext2D,
    W: number,
    H: number,
    fill: Rgba,
    error: Rgba,
    match: Rgba,
  ): void {
    const t = this.trace!;
    const n = t.n;
    const c = t.c;
    const total = t.totalNs;
    const stride = W + 1;
    // Difference arrays: +1 where a span starts covering a pixel, -1 one past where it stops.
    const all = new Int32Array(H * stride);
    const err = new Int32Array(H * stride);
    const hit = this.matches ? new Int32Array(H * stride) : undefined;
    const yScale = H / Math.max(1, n);
    const xScale = W / total;
    for (let i = 0; i < n; i++) {
      const y = Math.min(H - 1, Math.floor(i * yScale));
      const s = c.startNs[i]!;
      const x0 = Math.min(W - 1, Math.max(0, Math.floor(s * xScale)));
      const x1 = Math.min(W - 1, Math.max(x0, Math.floor((s + c.durationNs[i]!) * xScale)));
      const base = y * stride;
      all[base + x0]!++;
      all[base + x1 + 1]!--;
      if (c.flags[i]! & SpanFlag.Error) {
        err[base + x0]!++;
        err[base + x1 + 1]!--;
      }
      if (hit && this.matches![i]) {
        hit[base + x0]!++;
        hit[base + x1 + 1]!--;
      }
    }
    // Prefix sums turn the differences into counts; track the maximum for the intensity scale.
    let max = 1;
    for (const layer of hit ? [all, err, hit] : [all, err]) {
      for (let y = 0; y < H; y++) {
        let run = 0;
        const base = y * stride;
        for (let x = 0; x < W; x++) {
          run += layer[base + x]!;
          layer[base + x] = run;
          if (layer === all && run > max) max = run;
        }
      }
    }
    const img = ctx.createImageData(W, H);
    const px = img.data;
    const logMax = Math.log2(1 + max);
    const dim = hit !== undefined;
    for (let y = 0; y < H; y++) {
      const base = y * stride;
      for (let x = 0; x < W; x++) {
        const k = base + x;
        const o = (y * W + x) * 4;
        let col: Rgba | undefined;
        let a = 0;
        if (hit && hit[k]! > 0) {
          col = match;
          a = 1;
        } else if (err[k]! > 0) {
          col = error;
          a = dim ? 0.55 : 1;
        } else if (all[k]! > 0) {
          col = fill;
          a = (0.35 + (0.65 * Math.log2(1 + all[k]!)) / logMax) * (dim ? 0.35 : 1);
        }
        if (!col) continue;
        px[o] = col[0];
        px[o + 1] = col[1];
        px[o + 2] = col[2];
        px[o + 3] = Math.round(col[3] * a);
      }
    }
    ctx.putImageData(img, 0, 0);
  }

  private renderTicks(cssW: number): void {
    const t = this.trace;
    if (!t) return;
    this.ticks.replaceChildren();
    for (const tk of niceTicks(0, t.totalNs, Math.max(2, Math.floor(cssW / 120)))) {
      const pct = (tk / t.totalNs) * 100;
      if (pct > 100.001) continue;
      const s = el('span', { class: 'tl-tick', text: tk === 0 ? '0' : formatDuration(tk) });
      s.style.left = `${pct}%`;
      if (pct > 92) s.classList.add('tl-tick-end');
      this.ticks.append(s);
    }
  }

  private onPointerDown(ev: PointerEvent, surface: HTMLElement): void {
    const t = this.trace;
    if (!t || ev.button !== 0) return;
    ev.preventDefault();
    surface.setPointerCapture(ev.pointerId);
    const rect = surface.getBoundingClientRect();
    const clampX = (x: number) => Math.min(rect.width, Math.max(0, x - rect.left));
    const x0 = clampX(ev.clientX);
    let x1 = x0;
    const paint = () => {
      const a = Math.min(x0, x1);
      const b = Math.max(x0, x1);
      this.selection.hidden = b - a < 2;
      this.selection.style.left = `${a}px`;
      this.selection.style.width = `${b - a}px`;
    };
    const move = (e: PointerEvent) => {
      x1 = clampX(e.clientX);
      paint();
    };
    const up = (e: PointerEvent) => {
      surface.removeEventListener('pointermove', move);
      surface.removeEventListener('pointerup', up);
      surface.removeEventListener('pointercancel', up);
      this.selection.hidden = true;
      if (e.type === 'pointercancel') return;
      x1 = clampX(e.clientX);
      const a = Math.min(x0, x1);
      const b = Math.max(x0, x1);
      if (b - a < 3 || rect.width <= 0) return;
      this.events.zoom((a / rect.width) * t.totalNs, (b / rect.width) * t.totalNs);
    };
    surface.addEventListener('pointermove', move);
    surface.addEventListener('pointerup', up);
    surface.addEventListener('pointercancel', up);
  }
}
