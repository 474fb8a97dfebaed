/**
 * Durations for people: the one `formatDuration` of the host (hover, CLI, Recent Traces, source
 * hints) and the webview (header, rows, axis, detail), so a trace reads the same everywhere.
 *
 * From a minute on it says whole units ("1 min 30 s", "1 h 5 min") rather than decimals of them
 * ("1.5 min", "1.08 h"): seconds and minutes are not decimal, and "1.08 h" makes a person work
 * out what it means. Pure, no DOM and no Node API: both zones import it.
 */

const UNITS: readonly (readonly [number, string])[] = [
  [1, 'ns'],
  [1e3, 'µs'],
  [1e6, 'ms'],
  [1e9, 's'],
];

/** At most three significant digits, no trailing zeros (`4.20` → `4.2`, `4.00` → `4`). */
function significant(v: number): string {
  return String(Number(v.toPrecision(3)));
}

/**
 * A duration in nanoseconds as "5.2 s", "4 s", "850 ms", "12.5 ms", "420 µs", "12 ns": three
 * significant digits at most, no trailing zeros, the largest unit that keeps the number at or
 * above 1. From a minute on, whole units: "2 min 3 s", "1 h 5 min".
 */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  if (ns < 0) return `-${formatDuration(-ns)}`;
  if (ns === 0) return '0 ms';
  if (ns < 1) return `${significant(ns)} ns`;
  // Rounded to three digits, 59.96 s would read "60 s": switch to minutes from there.
  if (Number((ns / 1e9).toPrecision(3)) >= 60) {
    const totalSeconds = Math.round(ns / 1e9);
    if (totalSeconds < 3600) {
      const min = Math.floor(totalSeconds / 60);
      const sec = totalSeconds % 60;
      return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
    }
    const totalMinutes = Math.round(ns / 60e9);
    const h = Math.floor(totalMinutes / 60);
    const min = totalMinutes % 60;
    return min === 0 ? `${h} h` : `${h} h ${min} min`;
  }
  let u = 0;
  while (u + 1 < UNITS.length && ns >= UNITS[u + 1]![0]) u++;
  let value = Number((ns / UNITS[u]![0]).toPrecision(3));
  // 999.7 µs rounds to 1000 µs: say 1 ms instead.
  if (value >= 1000 && u + 1 < UNITS.length) {
    u++;
    value = Number((ns / UNITS[u]![0]).toPrecision(3));
  }
  return `${significant(value)} ${UNITS[u]![1]}`;
}
