/**
 * Keeps a search answer to the time range it was asked for. A list or CodeLens labelled "last 1 h"
 * shows only that hour, even from a backend that ignores `start`/`end` (an old Tempo, a proxy,
 * a stand-in), and says how many traces it left out. Pure.
 */
import type { SearchHit, SearchResult } from '../backends';
import { unixNanoToMs } from './text';

/** Clocks of the traced services and of the backend may differ this much. */
const SLACK_MS = 60_000;

/** Whether a hit overlaps [startMs, endMs] (with a minute of slack for clocks); unknown times count as in. */
export function hitInRange(hit: SearchHit, startMs: number, endMs: number): boolean {
  const t = unixNanoToMs(hit.startTimeUnixNano);
  if (!Number.isFinite(t)) return true;
  return t + Math.max(0, hit.durationMs) >= startMs - SLACK_MS && t <= endMs + SLACK_MS;
}

/** What `keepInRange` kept and left out. */
export interface InRange {
  /** The answer with only the traces of the range. */
  result: SearchResult;
  /** How many traces were left out. */
  dropped: number;
  /** Their trace IDs. */
  left: string[];
}

/** `result` with only the traces that overlap [startMs, endMs], and which were left out. */
export function keepInRange(result: SearchResult, startMs: number, endMs: number): InRange {
  const traces: SearchHit[] = [];
  const left: string[] = [];
  for (const h of result.traces) {
    if (hitInRange(h, startMs, endMs)) traces.push(h);
    else left.push(h.traceId);
  }
  return { result: left.length === 0 ? result : { ...result, traces }, dropped: left.length, left };
}
