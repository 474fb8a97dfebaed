/**
 * Search hits as the search view lists them: one flat row per trace, whatever backend answered
 * (Tempo's `/api/search`, Grafana's proxy of it, the local store's Tempo-compatible API). Counts a
 * backend did not send stay null, so the view says "–" rather than a made-up 0.
 */
import type { SearchRow } from '../../shared/protocol';
import type { SearchHit } from './backend';

/** Longest root service or operation name kept (the table cuts long names with an ellipsis anyway). */
const MAX_NAME = 300;
const SPAN_ID = /^[0-9a-f]{16}$/;
// eslint-disable-next-line no-control-regex -- control and bidi characters never reach a label
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** A name from the server as one line of at most `MAX_NAME` characters. */
function name(text: string | undefined): string {
  const flat = (text ?? '').replace(UNPRINTABLE, ' ').trim();
  return flat.length <= MAX_NAME ? flat : flat.slice(0, MAX_NAME - 1).trimEnd() + '…';
}

/** Unix nanoseconds (a decimal string) as milliseconds; NaN when absent, zero or malformed. */
export function nanosToMs(ns: string): number {
  if (!/^\d{1,25}$/.test(ns)) return NaN;
  // Milliseconds and the remainder apart: a Number holds 2^53, Unix nanoseconds are near 2^61.
  const ms = ns.length > 6 ? Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6 : Number(ns) / 1e6;
  return ms > 0 ? ms : NaN;
}

/** One search hit as a row: span and error counts summed over `serviceStats` when it came. */
export function searchRow(hit: SearchHit): SearchRow {
  let spanCount: number | null = null;
  let errorCount: number | null = null;
  if (hit.serviceStats) {
    spanCount = 0;
    errorCount = 0;
    for (const s of Object.values(hit.serviceStats)) {
      spanCount += Number.isFinite(s.spanCount) && s.spanCount > 0 ? s.spanCount : 0;
      errorCount += Number.isFinite(s.errorCount) && s.errorCount > 0 ? s.errorCount : 0;
    }
  }
  const first = hit.spanSets.find((set) => set.spans.length > 0)?.spans[0]?.spanId;
  const durationMs = Number.isFinite(hit.durationMs) && hit.durationMs > 0 ? hit.durationMs : 0;
  return {
    traceId: hit.traceId,
    startMs: nanosToMs(hit.startTimeUnixNano),
    durationMs,
    rootService: name(hit.rootServiceName),
    rootName: name(hit.rootTraceName),
    spanCount,
    errorCount,
    matched: Number.isFinite(hit.matched) && hit.matched > 0 ? hit.matched : 0,
    ...(first !== undefined && SPAN_ID.test(first) ? { spanId: first } : {}),
  };
}

/** Rows for a search result, one per trace (a trace a backend listed twice is listed once). */
export function searchRows(hits: readonly SearchHit[]): SearchRow[] {
  const seen = new Set<string>();
  const rows: SearchRow[] = [];
  for (const hit of hits) {
    if (seen.has(hit.traceId)) continue;
    seen.add(hit.traceId);
    rows.push(searchRow(hit));
  }
  return rows;
}
