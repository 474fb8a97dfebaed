/**
 * The answer comparing two traces (`traceLens_compareTraces`, MCP `compare_traces`): the
 * operations whose time changed most, and those only one trace has. The comparison itself is
 * `core/compare`, shared with the trace panel. Pure.
 */
import { formatDuration } from '../../shared/format';
import { operationPath, type OperationDiff, type TraceComparison } from '../compare';
import { call, type ToolNames } from './followUp';
import { Answer, cell, code, DATA_NOTE, plural } from './markdown';
import { Paging } from './paging';

/** What the comparison answer is about. */
export interface CompareAnswerInput {
  comparison: TraceComparison;
  /** Where trace A came from (and B, unless `backendNameB` says otherwise). */
  backendName: string;
  /** Where trace B came from, when not where A did (the local store and a Tempo, say). */
  backendNameB?: string;
  /** From a previous answer: `rows:N`. */
  cursor?: string;
  maxTokens: number;
  names: ToolNames;
}

const FIRST = 12;
const PAGE = 60;

function signed(ns: number): string {
  if (ns === 0) return '0';
  return `${ns > 0 ? '+' : '−'}${formatDuration(Math.abs(ns))}`;
}

function percent(a: number, b: number): string {
  if (a <= 0) return '';
  const p = Math.round(((b - a) / a) * 100);
  return ` (${p > 0 ? '+' : ''}${p}%)`;
}

/** "… › `process item` › `SELECT items` (`postgres-proxy`)": the last steps of an operation's path. */
function label(c: TraceComparison, index: number): string {
  const path = operationPath(c, index);
  const shown = path.slice(-3);
  const head = path.length > shown.length ? '… › ' : '';
  const last = shown[shown.length - 1]!;
  return `${head}${shown.map((s) => cell(s.name, 50)).join(' › ')} (${cell(last.service, 40)})`;
}

function rowOf(c: TraceComparison, o: OperationDiff, index: number): string {
  const count = o.countA === o.countB ? `${o.countA}` : `${o.countA} → ${o.countB}`;
  const tag = o.change === 'added' ? ' **only in B**' : o.change === 'missing' ? ' **only in A**' : '';
  const a = o.countA > 0 ? formatDuration(o.durationA) : '–';
  const b = o.countB > 0 ? formatDuration(o.durationB) : '–';
  return `| ${label(c, index)}${tag} | ${count} | ${a} → ${b} | ${signed(o.selfDelta)} | ${signed(o.durationDelta)} |`;
}

/** The Markdown answer comparing trace A with trace B, within `maxTokens` (estimated). */
export function compareAnswer(input: CompareAnswerInput): string {
  const c = input.comparison;
  const answer = new Answer(input.maxTokens);
  const paging = new Paging(input.cursor, {
    sections: ['rows'],
    first: { rows: FIRST },
    page: PAGE,
    tool: input.names.compareTraces,
    args: { trace_id_a: c.a.traceId, trace_id_b: c.b.traceId },
  });
  if (paging.badCursor) answer.force(paging.badCursor);
  const from = paging.from('rows');
  answer.force(`## Trace B \`${c.b.traceId}\` compared with trace A \`${c.a.traceId}\``);
  const sources =
    input.backendNameB === undefined
      ? `From ${code(input.backendName, 80)}.`
      : `A from ${code(input.backendName, 80)}, B from ${code(input.backendNameB, 80)}.`;
  answer.force(`${sources} Spans are matched by the services and span names from the root down.`);
  answer.force(
    `- A: ${code(c.a.rootService, 60)} · ${code(c.a.rootName)} · ${formatDuration(c.a.durationNs)} · ${plural(c.a.spanCount, 'span')}`,
  );
  answer.force(
    `- B: ${code(c.b.rootService, 60)} · ${code(c.b.rootName)} · ${formatDuration(c.b.durationNs)} · ${plural(c.b.spanCount, 'span')}`,
  );
  const delta = c.b.durationNs - c.a.durationNs;
  answer.force(
    `- B took ${signed(delta)}${percent(c.a.durationNs, c.b.durationNs)} ${delta >= 0 ? 'longer' : 'less'} · ${plural(c.operations.length, 'operation')}, ${c.added} only in B, ${c.missing} only in A`,
  );
  if (c.a.rootService !== c.b.rootService || c.a.rootName !== c.b.rootName) {
    answer.force(
      '- The roots differ: these may be different kinds of request, so most operations will be in one trace only.',
    );
  }
  answer.force(DATA_NOTE);
  answer.force('');
  const changed = c.operations.filter(
    (o) => o.selfDelta !== 0 || o.durationDelta !== 0 || o.change !== 'both',
  );
  if (changed.length === 0) {
    answer.force('Every operation ran as often and took as long in both traces.');
    return answer.toString();
  }
  const heading = [
    `Operations by the largest change in self time (time not spent in child spans), from ${from + 1} of ${changed.length}:`,
    '',
    '| operation (service) | spans A → B | duration A → B | Δ self | Δ duration |',
    '|---|---|---|---|---|',
  ];
  const rows = paging.slice('rows', changed).map((o) => rowOf(c, o, c.operations.indexOf(o)));
  let shown = 0;
  if (rows.length > 0 && answer.fits(...heading, rows[0]!)) {
    answer.add(...heading);
    shown = answer.list(undefined, rows);
  } else if (rows.length === 0) {
    answer.force(`No operations from ${from + 1} on (${changed.length} changed).`);
  }
  const more: string[] = [];
  const rest = paging.more('rows', 'Operations', shown, changed.length);
  if (rest) more.push(rest);
  more.push(`- Trace B in full: ${call(input.names.getTrace, { trace_id: c.b.traceId })}`);
  return answer.toString(['Next:', ...more]);
}
