/**
 * The scatter plot's geometry: time across, duration up, each trace a point. Domains, scales,
 * ticks and the point nearest a click. No DOM: it runs (and is tested) in plain Node.
 */
import type { SearchRow } from '../../../src/shared/protocol';

/** A rectangle in CSS pixels: where the points go inside the plot. */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where one row's point is; rows without a start time have none. */
export interface Point {
  row: number;
  x: number;
  y: number;
}

/**
 * The plot's domains: start times in Unix ms across, durations in ms up: from 0 to `dMax`, or
 * (`log`) from `dMin` to `dMax` on a log scale, whole powers of ten at both ends.
 */
export interface Domains {
  t0: number;
  t1: number;
  dMin: number;
  dMax: number;
  log: boolean;
}

/** Time steps for the axis, in ms: whole seconds, minutes, hours and days. */
const TIME_STEPS = [
  1e3,
  2e3,
  5e3,
  10e3,
  15e3,
  30e3,
  60e3,
  120e3,
  300e3,
  600e3,
  900e3,
  1800e3,
  3600e3,
  7200e3,
  3 * 3600e3,
  6 * 3600e3,
  12 * 3600e3,
  86400e3,
  2 * 86400e3,
];

/**
 * The domains for `rows`: the start times' extent with 4 % room each side (a minute around a
 * single time), and durations from 0 to a nice value above the longest.
 */
export function domains(rows: readonly SearchRow[], log = false): Domains | undefined {
  let lo = Infinity;
  let hi = -Infinity;
  let dMax = 0;
  let dMinPositive = Infinity;
  for (const r of rows) {
    if (!Number.isFinite(r.startMs)) continue;
    if (r.startMs < lo) lo = r.startMs;
    if (r.startMs > hi) hi = r.startMs;
    if (r.durationMs > dMax) dMax = r.durationMs;
    if (r.durationMs > 0 && r.durationMs < dMinPositive) dMinPositive = r.durationMs;
  }
  if (lo > hi) return undefined;
  const pad = hi > lo ? (hi - lo) * 0.04 : 30_000;
  if (log) {
    // Powers of ten around the durations (traces under 1 ms, sent as 0, sit on the bottom line).
    const bottom = 10 ** Math.floor(Math.log10(Number.isFinite(dMinPositive) ? dMinPositive : 1));
    const top = Math.max(bottom * 10, 10 ** Math.ceil(Math.log10(dMax > 0 ? dMax : 1) - 1e-9));
    return { t0: lo - pad, t1: hi + pad, dMin: bottom, dMax: top, log: true };
  }
  // The top is the first tick at or above the longest trace, so the axis ends on a label.
  const longest = dMax > 0 ? dMax : 1;
  const step = durationStep(longest, 4);
  return { t0: lo - pad, t1: hi + pad, dMin: 0, dMax: Math.ceil(longest / step - 1e-9) * step, log: false };
}

/** Steps of a minute and more that read well: the axis steps from a minute to 12 hours. */
const LONG_STEPS = TIME_STEPS.filter((s) => s >= 60e3 && s <= 12 * 3600e3);
/**
 * A step (ms) giving about `target` ticks up to `max`: 1, 2 or 5 × 10^k below a minute, whole
 * minutes and hours above ("10 min", never "3 min 20 s"), whole days beyond.
 */
export function durationStep(max: number, target: number): number {
  const raw = max / Math.max(1, target);
  if (raw <= 50_000) {
    const pow = 10 ** Math.floor(Math.log10(raw));
    return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  }
  return LONG_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400e3) * 86400e3;
}

/** The y of duration `ms` in `box` (long is high). */
export function yOf(ms: number, d: Domains, box: Box): number {
  const bottom = box.top + box.height;
  if (!d.log) return scale(ms, 0, d.dMax, bottom, box.top);
  const v = Math.log10(Math.max(ms, d.dMin));
  return scale(v, Math.log10(d.dMin), Math.log10(d.dMax), bottom, box.top);
}

/** Maps `v` from `[d0, d1]` onto `[r0, r1]` (the middle of the range when the domain is empty). */
export function scale(v: number, d0: number, d1: number, r0: number, r1: number): number {
  if (!(d1 > d0)) return (r0 + r1) / 2;
  return r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** The points of `rows` in `box`, rounded to half pixels: y grows downwards, so long is high. */
export function layoutPoints(rows: readonly SearchRow[], d: Domains, box: Box): Point[] {
  const points: Point[] = [];
  rows.forEach((r, row) => {
    if (!Number.isFinite(r.startMs)) return;
    const x = scale(r.startMs, d.t0, d.t1, box.left, box.left + box.width);
    const y = yOf(r.durationMs, d, box);
    points.push({ row, x: Math.round(x * 2) / 2, y: Math.round(y * 2) / 2 });
  });
  return points;
}

/**
 * The point nearest `(x, y)` within `radius` pixels, or undefined. Of points at the same
 * distance, the last drawn (the one on top) wins.
 */
export function nearestPoint(
  points: readonly Point[],
  x: number,
  y: number,
  radius: number,
): Point | undefined {
  let best: Point | undefined;
  let bestD = radius * radius;
  for (const p of points) {
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d <= bestD) {
      best = p;
      bestD = d;
    }
  }
  return best;
}

/** Tick times for a time axis from `t0` to `t1` (Unix ms): about `target` of them, on whole units. */
export function timeTicks(t0: number, t1: number, target: number): { step: number; ticks: number[] } {
  const span = t1 - t0;
  if (!(span > 0) || target < 1) return { step: 0, ticks: [] };
  const raw = span / target;
  const step = TIME_STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 86400e3) * 86400e3;
  // Whole minutes and hours in local time: shift by the time zone offset, round, shift back.
  const offset = step >= 3600e3 ? new Date(t0).getTimezoneOffset() * 60e3 : 0;
  const ticks: number[] = [];
  for (let t = Math.ceil((t0 - offset) / step) * step + offset; t <= t1; t += step) ticks.push(t);
  return { step, ticks };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * A tick label: "14:05:30" below a minute's step, "14:05" up to a day, "Mar 3" for days, "Mar
 * 2025" for months and "2025" for years.
 */
export function formatTimeTick(ms: number, step: number): string {
  const d = new Date(ms);
  if (step >= 365 * 86400e3) return String(d.getFullYear());
  if (step >= 28 * 86400e3) return d.toLocaleDateString('en-US', { month: 'short', year: 'numeric' });
  if (step >= 86400e3) return d.toLocaleDateString('en-US', { month: 'short', day: 'numeric' });
  const hm = `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return step >= 60e3 ? hm : `${hm}:${pad2(d.getSeconds())}`;
}

/** Tick durations (ms) for the duration axis: from 0 up to `dMax`, or each power of ten on a log scale. */
export function durationTicks(d: Domains, target: number): number[] {
  if (!d.log) {
    const step = durationStep(d.dMax, target);
    const ticks: number[] = [];
    for (let k = 0; k * step <= d.dMax * (1 + 1e-9); k++) ticks.push(k * step);
    return ticks;
  }
  const ticks: number[] = [];
  const from = Math.round(Math.log10(d.dMin));
  const to = Math.round(Math.log10(d.dMax));
  // Every power of ten, or every other one when there are too many for the height.
  const every = Math.max(1, Math.ceil((to - from) / Math.max(1, target)));
  for (let k = from; k <= to; k += every) ticks.push(10 ** k);
  return ticks;
}
