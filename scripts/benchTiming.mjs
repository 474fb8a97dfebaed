// Timing helpers shared by the micro-benchmarks (bench-compare, bench-search, bench-views): each
// figure is a median over interleaved runs, so a baseline and its subject see the same machine load.

/** The median of `xs`. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Median ms per call of each of `fns`, interleaved, after one warm-up call each: at least
 * `minRuns` rounds and `minMs` ms, at most `maxRuns` rounds.
 */
export function timeRuns(fns, { minRuns = 7, minMs = 300, maxRuns = 1000 } = {}) {
  for (const fn of fns) fn();
  const times = fns.map(() => []);
  const t0 = performance.now();
  for (let i = 0; i < minRuns || performance.now() - t0 < minMs; i++) {
    fns.forEach((fn, k) => {
      const s = performance.now();
      fn();
      times[k].push(performance.now() - s);
    });
    if (i > maxRuns) break;
  }
  return times.map(median);
}
