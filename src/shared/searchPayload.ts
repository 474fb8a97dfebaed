/**
 * Reads a search payload defensively (the webview from the host, the host from a webview's saved
 * state): every field of the right type, every row a row. Pure: no DOM, no vscode.
 */
import type { SearchPayload, SearchRow } from './protocol';

/** The most rows a search view takes (the host asks for at most 1,000). */
export const MAX_ROWS = 5000;

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const text = (v: unknown, max = 4096): string => (typeof v === 'string' ? v.slice(0, max) : '');
const count = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
const finite = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;

function readRow(v: unknown): SearchRow | undefined {
  if (!isObject(v) || typeof v.traceId !== 'string' || !TRACE_ID.test(v.traceId)) return undefined;
  const start = finite(v.startMs, NaN);
  return {
    traceId: v.traceId,
    startMs: start > 0 ? start : NaN,
    durationMs: Math.max(0, finite(v.durationMs, 0)),
    rootService: text(v.rootService, 300),
    rootName: text(v.rootName, 300),
    spanCount: count(v.spanCount),
    errorCount: count(v.errorCount),
    matched: count(v.matched) ?? 0,
    ...(typeof v.spanId === 'string' && SPAN_ID.test(v.spanId) ? { spanId: v.spanId } : {}),
  };
}

/** The payload, or undefined when it is not one. Malformed rows are dropped, not guessed at. */
export function readSearch(v: unknown): SearchPayload | undefined {
  if (!isObject(v)) return undefined;
  const status = v.status === 'running' || v.status === 'error' ? v.status : 'done';
  const rows = Array.isArray(v.rows)
    ? v.rows
        .slice(0, MAX_ROWS)
        .map(readRow)
        .filter((r): r is SearchRow => r !== undefined)
    : [];
  const message = text(v.message);
  return {
    query: text(v.query),
    rangeLabel: text(v.rangeLabel, 200),
    start: finite(v.start, 0),
    end: finite(v.end, 0),
    backendName: text(v.backendName, 200),
    status,
    ...(message ? { message } : {}),
    limit: count(v.limit) ?? 0,
    rows,
    canCompare: v.canCompare === true,
  };
}
