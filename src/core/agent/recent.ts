/**
 * The answer listing recently seen trace IDs (`traceLens_recentTraces`): the IDs Trace Lens found
 * in terminals, debug output, logs and hovers, newest first, with where and when. Pure.
 */
import { formatAgo } from '../source';
import { call, type ToolNames } from './followUp';
import { Answer, code, DATA_NOTE } from './markdown';
import { Paging } from './paging';

/** One recently seen trace ID. */
export interface RecentEntry {
  traceId: string;
  spanId?: string;
  /** Where it was seen, in our words: `the terminal`, `debug output`, `a hover`. */
  where: string;
  seenAtMs: number;
  /** "workflow.execute · 5.2 s · 6 spans" once fetched (trace text: quoted). */
  summary?: string;
  /** The last fetch failed. */
  failed?: boolean;
}

/** What the recent-traces answer is about. */
export interface RecentAnswerInput {
  entries: readonly RecentEntry[];
  nowMs: number;
  /** From a previous answer: `items:N`. */
  cursor?: string;
  maxTokens: number;
  names: ToolNames;
}

const FIRST = 20;
const PAGE = 50;

/** The Markdown answer, within `maxTokens` (estimated). */
export function recentAnswer(input: RecentAnswerInput): string {
  const answer = new Answer(input.maxTokens);
  const paging = new Paging(input.cursor, {
    sections: ['items'],
    first: { items: FIRST },
    page: PAGE,
    tool: input.names.recentTraces ?? 'recent',
    args: {},
  });
  if (paging.badCursor) answer.force(paging.badCursor);
  const from = paging.from('items');
  const all = input.entries;
  answer.force(`## Recent trace IDs (${all.length}), newest first`);
  if (all.length === 0) {
    answer.force(
      'None yet. Trace Lens lists IDs it sees in the integrated terminal, debug output and hovers, and traces opened in its panel.',
    );
    return answer.toString();
  }
  answer.force(DATA_NOTE);
  const items = paging.slice('items', all).map((e, k) => {
    const parts = [`${from + k + 1}. \`${e.traceId}\``];
    if (e.spanId) parts.push(`span ${code(e.spanId, 20)}`);
    parts.push(`seen in ${e.where} ${formatAgo(e.seenAtMs, input.nowMs)}`);
    if (e.summary) parts.push(code(e.summary, 120));
    if (e.failed) parts.push('last fetch failed');
    return parts.join(' · ');
  });
  const shown = answer.list(undefined, items);
  const more: string[] = [];
  const rest = paging.more('items', 'Older IDs', shown, all.length);
  if (rest) more.push(rest);
  const first = all[from];
  if (first) {
    more.push(
      `- One of them: ${call(input.names.getTrace, { trace_id: first.traceId })}${first.spanId ? ` or ${call(input.names.getSpan, { trace_id: first.traceId, span: first.spanId })}` : ''}`,
    );
  }
  return answer.toString(['Next:', ...more]);
}
