/**
 * Tempo 3.0 leaves the most recent data out of search, tag values and TraceQL metrics
 * (`query_frontend.query_end_cutoff`, 30 s by default: "recent data queries guarantee complete
 * results"); trace by ID is not affected. An empty answer for a range that ends within the
 * cut-off says nothing about the last seconds: callers say why, ask again once the cut-off has
 * passed, and do not keep the empty answer. Measured on 3.0.3: tempo-api.md §8.
 */

/**
 * The response header of a Tempo-compatible API that leaves nothing out (Trace Lens's own store,
 * `trace-lens receive`): once a response carries it, the client expects no cut-off. Its value
 * is the cut-off in milliseconds ("0").
 */
export const RECENT_CUTOFF_HEADER = 'x-recent-cutoff-ms';

/** Tempo 3.0's default `query_end_cutoff`. */
export const TEMPO_QUERY_END_CUTOFF_MS = 30_000;

/**
 * How long after the cut-off to ask again: what was sent just before the first question needs a
 * few seconds more to reach the blocks search and metrics read.
 */
export const RECHECK_MARGIN_MS = 10_000;

/**
 * Whether an answer for a range ending at `endS` (Unix seconds; undefined: "now", the server's
 * default), asked at `askedAtMs`, may lack data because of a cut-off of `cutoffMs`.
 */
export function mayLackRecent(endS: number | undefined, askedAtMs: number, cutoffMs: number): boolean {
  if (!(cutoffMs > 0)) return false;
  const endMs = endS === undefined ? askedAtMs : endS * 1000;
  return endMs > askedAtMs - cutoffMs;
}

/** When to ask again so that the answer covers everything up to `askedAtMs`. */
export function recheckAt(askedAtMs: number, cutoffMs: number): number {
  return askedAtMs + cutoffMs + RECHECK_MARGIN_MS;
}

/** The cut-off a backend declares (`recentCutoffMs`), 0 when it leaves nothing out. */
export function cutoffOf(backend: { readonly recentCutoffMs?: number }): number {
  const ms = backend.recentCutoffMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
}
