/** Number formatting for people: durations, times, counts. Pure functions, no DOM. */

/** Durations: the host's function, so the panel and the hover say the same. */
export { formatDuration } from '../src/shared/format';

/** Rounds to at most `digits` significant digits and drops trailing zeros (`4.20` → `4.2`). */
function significant(v: number, digits: number): string {
  if (v === 0) return '0';
  // toPrecision may answer in exponent form ("1.00e+3"); Number() turns it back into plain digits.
  return String(Number(v.toPrecision(digits)));
}

/** A count with thousands separators, e.g. "12,345". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** A Unix time in milliseconds as local "2024-05-01 14:03:27.123". */
export function formatTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

/** A percentage with at most one decimal, e.g. "42.5%". */
export function formatPercent(part: number, whole: number): string {
  if (whole <= 0) return '–';
  return `${significant((part / whole) * 100, 3)}%`;
}

/**
 * Tick positions for a time axis: a "nice" step (1, 2 or 5 × 10^k ns) giving about `target`
 * ticks between `from` and `to`, returned as offsets in nanoseconds.
 */
export function niceTicks(from: number, to: number, target: number): number[] {
  const span = to - from;
  if (!(span > 0) || target < 1) return [from];
  const raw = span / target;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? 10 * pow;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to + step * 1e-9; t += step) ticks.push(t);
  return ticks;
}

/**
 * Parses a duration typed by a person ("500ms", "2s", "1.5 min", "300us", "42" = ms) into
 * nanoseconds, or undefined when it is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|μs|ms|s|sec|m|min|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const v = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const scale: Record<string, number> = {
    ns: 1,
    us: 1e3,
    µs: 1e3,
    μs: 1e3,
    ms: 1e6,
    s: 1e9,
    sec: 1e9,
    m: 60e9,
    min: 60e9,
    h: 3600e9,
  };
  const f = scale[unit];
  return f === undefined ? undefined : v * f;
}
