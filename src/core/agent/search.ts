/**
 * The answer to a TraceQL search (`traceLens_searchTraces`, MCP `search_traces`): the matching
 * traces as table rows, newest first as the backend returns them, only those of the range asked
 * for (a backend that ignores the range has the others left out, and the answer says so). Pure.
 */
import type { SearchHit, SearchResult } from '../backends';
import { formatDuration } from '../../shared/format';
import { formatAgo, hitInRange, unixNanoToMs } from '../source';
import { call, type ToolNames } from './followUp';
import { Answer, cell, code, DATA_NOTE, plural } from './markdown';

/** A time range that ends now, as the tools take it. */
export interface SinceRange {
  /** Seconds. */
  seconds: number;
  /** As the input said it, normalised: `1h`, `15m`, `7d`. */
  label: string;
}

/** Go-style durations with days and weeks: `30s`, `15m`, `1h`, `1h30m`, `7d`, `2w`. Undefined when invalid. */
export function parseSince(raw: string): SinceRange | undefined {
  const text = raw.trim().toLowerCase();
  if (!/^(?:\d{1,6}(?:\.\d+)?(?:w|d|h|m|s))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(w|d|h|m|s)/g)) seconds += Number(m[1]) * unit[m[2]!]!;
  seconds = Math.round(seconds);
  if (seconds < 1) return undefined;
  return { seconds, label: text };
}

/** The range rule the CodeLens and the Search view share (core/source/timeRange). */
export { hitInRange };

/** What the search answer is about. */
export interface SearchAnswerInput {
  result: SearchResult;
  query: string;
  since: SinceRange;
  /** The end of the range, Unix milliseconds (now). */
  nowMs: number;
  backendName: string;
  /** Results before this one were shown by earlier answers. */
  offset: number;
  /** The page size the caller asked for. */
  limit: number;
  maxTokens: number;
  names: ToolNames;
}

function row(hit: SearchHit, nowMs: number): string {
  const start = unixNanoToMs(hit.startTimeUnixNano);
  const duration = hit.durationMs > 0 ? formatDuration(hit.durationMs * 1e6) : '<1 ms';
  const root = hit.rootTraceName !== undefined ? cell(hit.rootTraceName) : '(root not received)';
  return `| ${cell(hit.traceId, 40)} | ${formatAgo(start, nowMs) || '?'} | ${cell(hit.rootServiceName, 60)} · ${root} | ${duration} | ${hit.matched} |`;
}

/** The Markdown answer to a search, within `maxTokens` (estimated). */
export function searchAnswer(input: SearchAnswerInput): string {
  const { nowMs, since } = input;
  const startMs = nowMs - since.seconds * 1000;
  const all = input.result.traces;
  const inRange = all.filter((h) => hitInRange(h, startMs, nowMs));
  const outside = all.length - inRange.length;
  const page = inRange.slice(input.offset, input.offset + input.limit);
  const answer = new Answer(input.maxTokens);
  answer.force(
    `## TraceQL search ${code(input.query, 300)} · last ${since.label} · from ${code(input.backendName, 80)}`,
  );
  if (outside > 0) {
    answer.force(
      `${plural(outside, 'result')} outside the last ${since.label} left out: the backend did not apply the time range.`,
    );
  }
  const more: string[] = [];
  if (page.length === 0) {
    answer.force(
      input.offset > 0
        ? `No results from ${input.offset + 1} on (there were ${inRange.length}).`
        : `No traces match in the last ${since.label}. Widen the range with \`since\` (e.g. \`24h\`), or loosen the query.`,
    );
    return answer.toString();
  }
  answer.force(DATA_NOTE);
  answer.force('');
  const heading = [
    `Traces ${input.offset + 1}–… of ${inRange.length}${all.length >= input.offset + input.limit ? ' (the backend may hold more)' : ''}, as the backend ordered them:`,
    '',
    '| trace ID | started | root service · operation | duration | matching spans |',
    '|---|---|---|---|---|',
  ];
  const rows = page.map((h) => row(h, nowMs));
  let shown = 0;
  if (answer.fits(...heading, rows[0]!)) {
    answer.add(...heading);
    shown = answer.list(undefined, rows);
  }
  // The heading said "…": say the real last row now.
  const last = input.offset + shown;
  answer.force('');
  answer.force(`(showing ${input.offset + 1}–${last})`);
  if (last < inRange.length || all.length >= input.offset + input.limit) {
    more.push(
      `- The next results: \`${input.names.searchTraces}\` again with the same \`query\` and \`${JSON.stringify({ since: since.label, cursor: String(last) })}\`; or narrow the query`,
    );
  }
  const first = page[0]!;
  more.push(`- One of them in full: ${call(input.names.getTrace, { trace_id: first.traceId })}`);
  if (page.length > 1) {
    more.push(
      `- What differs between two: ${call(input.names.compareTraces, { trace_id_a: page[1]!.traceId, trace_id_b: first.traceId })}`,
    );
  }
  return answer.toString(['Next:', ...more]);
}
