/**
 * The answer about a whole trace (`traceLens_getTrace`, MCP `get_trace`): root, duration,
 * services, errors with their messages, and where the time went on the critical path, each span
 * mapped to a workspace `file:line` where the mapping resolves. Pure.
 */
import { spanIdAt, type TraceModel } from '../../shared/model';
import { analyze, errorSpans, summarize, type TraceSummary } from '../analysis';
import { formatDuration } from '../../shared/format';
import { readDetail, type DecodedTrace } from '../decode';
import { formatShare, type ResolveContext } from '../source';
import { call, type ToolNames } from './followUp';
import { Answer, code, DATA_NOTE, plural } from './markdown';
import { Paging } from './paging';
import { formatPlace, spanCodePlace } from './source';

/** What the trace answer is about. */
export interface TraceAnswerInput {
  decoded: DecodedTrace;
  /** Computed when not given. */
  summary?: TraceSummary;
  /** Which backend answered (a name from settings: shown quoted). */
  backendName: string;
  /** The backend's message when the trace is partial. */
  partialMessage?: string;
  /** The workspace, for `file:line`; without it the recorded places are shown. */
  source?: ResolveContext;
  /** From a previous answer: `errors:N`, `path:N` or `ops:N`. */
  cursor?: string;
  /** The span ID the input named (a log line's), if any: offered as a follow-up. */
  spanId?: string;
  maxTokens: number;
  names: ToolNames;
}

const SECTIONS = ['errors', 'path', 'ops'] as const;
type Section = (typeof SECTIONS)[number];
/** How a "Next" line names the rest of each section. */
const LABELS: Record<Section, string> = {
  errors: 'Errors',
  path: 'The critical path',
  ops: 'Operations on the critical path',
};
/** Items per section in a first answer: small steps. */
const FIRST = { errors: 5, path: 8, ops: 5, services: 8 };
/** Items per section when a cursor asks for one section. */
const PAGE = 40;

const nameOf = (m: TraceModel, i: number) => m.strings[m.columns.name[i]!] ?? '';
const serviceOf = (m: TraceModel, i: number) => m.services[m.columns.service[i]!] ?? '';

function iso(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : 'unknown';
}

/** The header lines: what the trace is, in a few lines. */
function header(input: TraceAnswerInput, s: TraceSummary, full: boolean): string[] {
  const m = input.decoded.model;
  const lines = [`## Trace \`${m.traceId}\``];
  const figures = [
    formatDuration(s.durationNs),
    plural(s.spanCount, 'span'),
    plural(s.serviceCount, 'service'),
    plural(s.errorCount, 'error'),
  ].join(' · ');
  lines.push(
    `Root: ${s.spanCount > 0 ? `${code(s.rootService)} · ${code(s.rootName)}` : '(no spans)'} · ${figures}`,
  );
  if (!full) return lines;
  lines.push(`Started ${iso(s.traceStartMs)} · from ${code(input.backendName, 80)}`);
  if (input.partialMessage !== undefined || m.partial) {
    lines.push(
      `Partial: the backend returned part of the trace only (${code(input.partialMessage ?? m.partialMessage ?? 'no reason given', 200)}).`,
    );
  }
  if (m.warnings.length > 0) {
    lines.push(
      `Decoder warnings (${m.warnings.length}): ${m.warnings
        .slice(0, 2)
        .map((w) => code(w, 160))
        .join('; ')}`,
    );
  }
  return lines;
}

function serviceLine(s: TraceSummary): string {
  const shown = s.services.slice(0, FIRST.services).map((x) => {
    const errors = x.errorCount > 0 ? `, ${plural(x.errorCount, 'error')}` : '';
    return `${code(x.name, 60)} (${plural(x.spanCount, 'span')}${errors})`;
  });
  const more = s.services.length > FIRST.services ? `, and ${s.services.length - FIRST.services} more` : '';
  return `Services: ${shown.join(', ')}${more}`;
}

function placeOf(input: TraceAnswerInput, index: number): string | undefined {
  const detail = readDetail(input.decoded, index);
  if (!detail || detail.damaged) return undefined;
  const place = spanCodePlace(detail, serviceOf(input.decoded.model, index), input.source);
  return place ? formatPlace(place, input.source !== undefined) : undefined;
}

function errorItems(
  input: TraceAnswerInput,
  from: number,
  count: number,
): { items: string[]; total: number } {
  const m = input.decoded.model;
  const all = errorSpans(input.decoded);
  const items: string[] = [];
  for (let k = from; k < Math.min(all.length, from + count); k++) {
    const e = all[k]!;
    const parts = [
      `${k + 1}. ${code(e.service, 60)} · ${code(e.name)} · span \`${spanIdAt(m.columns, e.index)}\` · ${formatDuration(m.columns.durationNs[e.index]!)}`,
    ];
    if (e.exceptionType !== undefined) parts.push(`exception ${code(e.exceptionType, 80)}`);
    if (e.message !== undefined) parts.push(`message ${code(e.message, 240)}`);
    const place = placeOf(input, e.index);
    if (place) parts.push(place);
    items.push(parts.join(' · '));
  }
  return { items, total: all.length };
}

/** Spans of the critical path with self time, largest first. */
function pathBySelf(s: TraceSummary, self: Float64Array): number[] {
  return Array.from(s.criticalPath)
    .filter((i) => self[i]! > 0)
    .sort((a, b) => self[b]! - self[a]! || a - b);
}

function pathItems(
  input: TraceAnswerInput,
  ranked: number[],
  self: Float64Array,
  from: number,
  count: number,
): string[] {
  const m = input.decoded.model;
  const items: string[] = [];
  for (let k = from; k < Math.min(ranked.length, from + count); k++) {
    const i = ranked[k]!;
    const share = m.durationNs > 0 ? self[i]! / m.durationNs : 0;
    const parts = [
      `${k + 1}. ${code(nameOf(m, i))} · ${code(serviceOf(m, i), 60)} · self ${formatDuration(self[i]!)} (${formatShare(share)} of the trace) · span \`${spanIdAt(m.columns, i)}\``,
    ];
    const place = placeOf(input, i);
    if (place) parts.push(place);
    items.push(parts.join(' · '));
  }
  return items;
}

/** Operations (service + span name) on the critical path, by summed self time. */
function pathOperations(m: TraceModel, s: TraceSummary, self: Float64Array) {
  const ops = new Map<
    string,
    { service: string; name: string; count: number; self: number; first: number }
  >();
  for (const i of s.criticalPath) {
    const key = `${m.columns.service[i]}\u0000${m.columns.name[i]}`;
    const op = ops.get(key) ?? { service: serviceOf(m, i), name: nameOf(m, i), count: 0, self: 0, first: i };
    op.count++;
    op.self += self[i]!;
    ops.set(key, op);
  }
  return [...ops.values()].filter((o) => o.self > 0).sort((a, b) => b.self - a.self || a.first - b.first);
}

function opItems(
  m: TraceModel,
  ops: ReturnType<typeof pathOperations>,
  from: number,
  count: number,
): string[] {
  return ops.slice(from, from + count).map((o, k) => {
    const share = m.durationNs > 0 ? o.self / m.durationNs : 0;
    return `${from + k + 1}. ${code(o.name)} · ${code(o.service, 60)} · ×${o.count} on the path · self ${formatDuration(o.self)} (${formatShare(share)})`;
  });
}

/** The Markdown answer about a trace, within `maxTokens` (estimated). */
export function traceAnswer(input: TraceAnswerInput): string {
  const m = input.decoded.model;
  const s = input.summary ?? summarize(m);
  const self = analyze(m).selfTimeNs;
  const names = input.names;
  const id = m.traceId;
  const answer = new Answer(input.maxTokens);
  const more: string[] = [];
  const paging = new Paging(input.cursor, {
    sections: SECTIONS,
    first: FIRST,
    page: PAGE,
    tool: names.getTrace,
    args: { trace_id: id },
  });
  const at = paging.at;
  if (paging.badCursor) answer.force(paging.badCursor);
  for (const l of header(input, s, !at)) answer.force(l);
  answer.force(DATA_NOTE);

  const ranked = pathBySelf(s, self);
  const ops = pathOperations(m, s, self);
  const repeated = ops.some((o) => o.count > 1);

  /** Lists a section's items under `heading`, and the "Next" line for the rest. */
  const section = (key: Section, heading: string, items: string[], total: number) => {
    const rest = paging.more(key, LABELS[key], answer.list(heading, items), total);
    if (rest) more.push(rest);
  };
  if (at) {
    // One section, from the cursor on.
    answer.force('');
    const from = paging.from(at.section);
    const count = paging.count(at.section);
    if (at.section === 'errors') {
      const { items, total } = errorItems(input, from, count);
      section('errors', `### Errors, from ${from + 1} of ${total}`, items, total);
      if (items.length === 0) answer.force(`No errors from ${from + 1} on: the trace has ${total}.`);
    } else if (at.section === 'path') {
      const items = pathItems(input, ranked, self, from, count);
      section(
        'path',
        `### Critical path by self time, from ${from + 1} of ${ranked.length}`,
        items,
        ranked.length,
      );
      if (items.length === 0)
        answer.force(`No spans from ${from + 1} on: the path has ${ranked.length} with self time.`);
    } else {
      const items = opItems(m, ops, from, count);
      section(
        'ops',
        `### Operations on the critical path, from ${from + 1} of ${ops.length}`,
        items,
        ops.length,
      );
      if (items.length === 0) answer.force(`No operations from ${from + 1} on: there are ${ops.length}.`);
    }
  } else {
    answer.add(serviceLine(s));
    // Errors first: they are usually why someone asks.
    const errors = errorItems(input, 0, paging.count('errors'));
    if (errors.total > 0) {
      answer.add('');
      section('errors', `### Errors (${plural(errors.total, 'span')})`, errors.items, errors.total);
    }
    answer.add('');
    section(
      'path',
      `### Where the time went: critical path (${plural(s.criticalPath.length, 'span')}), largest self time first`,
      pathItems(input, ranked, self, 0, paging.count('path')),
      ranked.length,
    );
    if (repeated) {
      answer.add('');
      section(
        'ops',
        '### Operations on the critical path, by summed self time',
        opItems(m, ops, 0, paging.count('ops')),
        ops.length,
      );
    }
  }
  const focus = input.spanId ?? (ranked[0] !== undefined ? spanIdAt(m.columns, ranked[0]) : undefined);
  if (focus !== undefined) {
    const why = input.spanId !== undefined ? 'the span the input named' : 'the largest contributor';
    more.push(`- Details of ${why}: ${call(names.getSpan, { trace_id: id, span: focus })}`);
  }
  return answer.toString(more.length > 0 ? ['Next:', ...more] : []);
}
