/**
 * The answer about one span (`traceLens_getSpan`, MCP `get_span`): what it did and how long it
 * took, its attributes, its exception with the stack frames mapped to workspace files, its events
 * and logs, resource and links. The span is named by its ID or by its name. Pure.
 */
import {
  SpanFlag,
  spanIdAt,
  spanIndexById,
  type AttributeValue,
  type SpanDetail,
  type TraceModel,
} from '../../shared/model';
import { analyze } from '../analysis';
import { formatDuration } from '../../shared/format';
import { SPAN_ID_INPUT, TRACE_ID_HEX } from '../../shared/traceId';
import { readDetail, type DecodedTrace } from '../decode';
import type { StoredLog } from '../store';
import { formatShare, parseStackTrace, type ResolveContext } from '../source';
import { call, type ToolNames } from './followUp';
import { Paging } from './paging';
import { Answer, code, DATA_NOTE, plural } from './markdown';
import { formatPlace, framePlace, spanCodePlace } from './source';

/** A log record of the span (from the local store's OTLP logs, when there is one). */
export interface SpanLogRecord {
  /** Nanoseconds from the trace start. */
  timeNs: number;
  severity?: string;
  body: string;
}

/** OTLP's severity levels, four numbers each from 1: TRACE (1–4) … FATAL (21–24). */
const SEVERITY_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** `severityText` when the record has one, else the name of its number (`INFO`, `WARN2`). */
function severityOf(log: Pick<StoredLog, 'severityNumber' | 'severityText'>): string | undefined {
  if (log.severityText) return log.severityText;
  const n = log.severityNumber;
  if (!Number.isInteger(n) || n < 1 || n > 24) return undefined;
  const step = (n - 1) % 4;
  return `${SEVERITY_LEVELS[Math.floor((n - 1) / 4)]!}${step > 0 ? step + 1 : ''}`;
}

/**
 * The store's log records of span `index` as the span answer lists them, timed from the trace
 * start. A record with no time at all (neither time nor observed time) is put at the span's start.
 */
export function spanLogRecords(
  logs: readonly StoredLog[],
  model: TraceModel,
  index: number,
): SpanLogRecord[] {
  const start = BigInt(model.traceStartUnixNano);
  return logs.map((l) => {
    const severity = severityOf(l);
    return {
      timeNs: /^[1-9]\d*$/.test(l.timeUnixNano)
        ? Number(BigInt(l.timeUnixNano) - start)
        : model.columns.startNs[index]!,
      ...(severity !== undefined ? { severity } : {}),
      body: l.body,
    };
  });
}

/** What the span answer is about. */
export interface SpanAnswerInput {
  decoded: DecodedTrace;
  backendName: string;
  /** Index of the span (see `findSpan`). */
  index: number;
  /** How `findSpan` chose it when the name matched several. */
  choice?: SpanChoice;
  source?: ResolveContext;
  /** Log records of the span, when the source keeps them. */
  logs?: SpanLogRecord[];
  /** From a previous answer: `attributes:N`, `events:N`, `resource:N`. */
  cursor?: string;
  maxTokens: number;
  names: ToolNames;
}

/** How a span named by name was picked. */
export interface SpanChoice {
  /** Spans with that name. */
  matches: number;
  /** Up to five others, slowest first. */
  others: number[];
  /** How the name matched. */
  how: 'exact' | 'case-insensitive' | 'substring';
}

/** The outcome of looking a span up. */
export type SpanLookup = { index: number; choice?: SpanChoice } | { error: string };

const SECTIONS = ['attributes', 'events', 'resource', 'frames'] as const;
type Section = (typeof SECTIONS)[number];
const FIRST = { attributes: 30, events: 10, resource: 8, frames: 8, links: 5 };
const PAGE = 80;

const nameOf = (m: TraceModel, i: number) => m.strings[m.columns.name[i]!] ?? '';
const serviceOf = (m: TraceModel, i: number) => m.services[m.columns.service[i]!] ?? '';
const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/**
 * The span `query` names: a 16-hex span ID, else a span name (exact, then ignoring case, then as
 * a part of the name). Among several spans of that name, the slowest.
 */
export function findSpan(model: TraceModel, query: string): SpanLookup {
  const q = query.trim();
  if (SPAN_ID_INPUT.test(q)) {
    const i = spanIndexById(model, q);
    if (i >= 0) return { index: i };
  }
  const n = model.spanCount;
  const tiers: Array<[SpanChoice['how'], (name: string) => boolean]> = [
    ['exact', (name) => name === q],
    ['case-insensitive', (name) => name.toLowerCase() === q.toLowerCase()],
    ['substring', (name) => q !== '' && name.toLowerCase().includes(q.toLowerCase())],
  ];
  for (const [how, test] of tiers) {
    // Test each distinct name once, then collect its spans.
    const hit = model.strings.map((s) => test(s));
    const found: number[] = [];
    for (let i = 0; i < n; i++) if (hit[model.columns.name[i]!]) found.push(i);
    if (found.length === 0) continue;
    const d = model.columns.durationNs;
    found.sort((a, b) => d[b]! - d[a]! || a - b);
    const index = found[0]!;
    return found.length === 1 && how === 'exact'
      ? { index }
      : { index, choice: { matches: found.length, others: found.slice(1, 6), how } };
  }
  const isId = SPAN_ID_INPUT.test(q);
  return {
    error: isId
      ? `The trace has no span with ID \`${q.toLowerCase()}\`.`
      : `No span of the trace is named ${code(q)} (nor contains it).`,
  };
}

/** The most frequent span names of a trace, for "did you mean" lines. */
export function commonNames(model: TraceModel, count = 8): string[] {
  const tally = new Map<number, number>();
  for (let i = 0; i < model.spanCount; i++) {
    const k = model.columns.name[i]!;
    tally.set(k, (tally.get(k) ?? 0) + 1);
  }
  return [...tally]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, count)
    .map(([k]) => model.strings[k] ?? '');
}

function value(v: AttributeValue): string {
  if (v === null) return 'null';
  return typeof v === 'string' ? code(v, 200) : `\`${String(v)}\``;
}

function attributeItems(list: SpanDetail['attributes'], from: number, count: number): string[] {
  return list.slice(from, from + count).map((a) => `- ${code(a.key, 80)} = ${value(a.value)}`);
}

function offset(ns: number): string {
  return `+${formatDuration(ns)}`;
}

function eventItems(detail: SpanDetail, input: SpanAnswerInput, from: number, count: number): string[] {
  // Exceptions have their own section; logs from the store join the span's own events in time order.
  type Item = { timeNs: number; text: string };
  const all: Item[] = detail.events
    .filter((e) => e.name !== 'exception')
    .map((e) => {
      const attrs = e.attributes
        .slice(0, 6)
        .map((a) => `${code(a.key, 60)}=${value(a.value)}`)
        .join(', ');
      const extra = e.attributes.length > 6 ? `, and ${e.attributes.length - 6} more` : '';
      return {
        timeNs: e.timeNs,
        text: `- ${offset(e.timeNs)} event ${code(e.name, 80)}${attrs ? ` · ${attrs}${extra}` : ''}`,
      };
    });
  for (const l of input.logs ?? []) {
    all.push({
      timeNs: l.timeNs,
      text: `- ${offset(l.timeNs)} log${l.severity ? ` ${code(l.severity, 20)}` : ''} ${code(l.body, 300)}`,
    });
  }
  all.sort((a, b) => a.timeNs - b.timeNs);
  return all.slice(from, from + count).map((x) => x.text);
}

function eventCount(detail: SpanDetail, input: SpanAnswerInput): number {
  return detail.events.filter((e) => e.name !== 'exception').length + (input.logs?.length ?? 0);
}

function str(attributes: SpanDetail['attributes'], key: string): string | undefined {
  const v = attributes.find((a) => a.key === key)?.value;
  return v === undefined || v === null ? undefined : String(v);
}

/** The exception events' frames, user code first, each mapped into the workspace where it resolves. */
function frameItems(
  detail: SpanDetail,
  input: SpanAnswerInput,
  from: number,
  count: number,
): { items: string[]; total: number; library: number } {
  const items: string[] = [];
  let total = 0;
  let library = 0;
  for (const e of detail.events) {
    if (e.name !== 'exception') continue;
    const st = str(e.attributes, 'exception.stacktrace');
    if (!st) continue;
    for (const f of parseStackTrace(st)) {
      if (f.library) {
        library++;
        continue;
      }
      const k = total++;
      if (k < from || k >= from + count) continue;
      const where = f.line !== undefined ? `${f.file}:${f.line}` : f.file;
      const mapped = framePlace(f, input.source);
      const fn = f.functionName ? `${code(f.functionName, 80)} at ` : '';
      items.push(`${k + 1}. ${fn}${code(where, 160)}${mapped ? ` → ${formatPlace(mapped, true)}` : ''}`);
    }
  }
  return { items, total, library };
}

/** The Markdown answer about span `input.index`, within `maxTokens` (estimated). */
export function spanAnswer(input: SpanAnswerInput): string {
  const m = input.decoded.model;
  const i = input.index;
  const c = m.columns;
  const id = spanIdAt(c, i);
  const traceId = m.traceId;
  const names = input.names;
  const answer = new Answer(input.maxTokens);
  const more: string[] = [];
  const paging = new Paging(input.cursor, {
    sections: SECTIONS,
    first: FIRST,
    page: PAGE,
    tool: names.getSpan,
    args: { trace_id: traceId, span: id },
  });
  const at = paging.at;
  if (paging.badCursor) answer.force(paging.badCursor);
  answer.force(`## Span ${code(nameOf(m, i))} · ${code(serviceOf(m, i), 60)}`);
  answer.force(`Span \`${id}\` of trace \`${traceId}\` · from ${code(input.backendName, 80)}`);
  answer.force(DATA_NOTE);
  const detail = readDetail(input.decoded, i);

  if (input.choice && !at) {
    const ch = input.choice;
    const how =
      ch.how === 'exact'
        ? 'are named so'
        : ch.how === 'case-insensitive'
          ? 'match the name ignoring case'
          : 'contain the name';
    const others = ch.others
      .map((o) => `\`${spanIdAt(c, o)}\` (${formatDuration(c.durationNs[o]!)})`)
      .join(', ');
    answer.force(
      `${plural(ch.matches, 'span')} ${how}; this is the slowest.${others ? ` Others: ${others}${ch.matches > ch.others.length + 1 ? ', …' : ''}.` : ''}`,
    );
    if (ch.others[0] !== undefined)
      more.push(
        `- Another of them: ${call(names.getSpan, { trace_id: traceId, span: spanIdAt(c, ch.others[0]) })}`,
      );
  }

  if (!at) {
    const self = analyze(m).selfTimeNs[i]!;
    const dur = c.durationNs[i]!;
    const status = c.status[i] === 2 ? 'error' : c.status[i] === 1 ? 'ok' : 'unset';
    const message = detail?.statusMessage ? `: ${code(detail.statusMessage, 240)}` : '';
    const critical = (c.flags[i]! & SpanFlag.CriticalPath) !== 0 ? ' · on the critical path' : '';
    answer.add(`- Kind ${KINDS[c.kind[i]!] ?? 'unspecified'} · status ${status}${message}`);
    answer.add(
      `- Starts ${offset(c.startNs[i]!)} after the trace start · lasts ${formatDuration(dur)} (${formatShare(m.durationNs > 0 ? dur / m.durationNs : 0)} of the trace) · self ${formatDuration(self)}${critical}`,
    );
    const p = c.parent[i]!;
    const parent =
      p >= 0
        ? `${code(nameOf(m, p))} (\`${spanIdAt(c, p)}\`)`
        : (c.flags[i]! & SpanFlag.Orphan) !== 0
          ? 'missing from the trace'
          : 'none (the root)';
    answer.add(`- Parent: ${parent} · ${plural(c.childCount[i]!, 'child', 'children')}`);
    if (detail && !detail.damaged) {
      const place = spanCodePlace(detail, serviceOf(m, i), input.source);
      if (place) answer.add(`- Code: ${formatPlace(place, input.source !== undefined)}`);
    }
  }
  if (!detail) return answer.toString();
  if (detail.damaged) {
    answer.add('', detail.damaged);
    return answer.toString(more.length > 0 ? ['Next:', ...more] : []);
  }

  /** Lists a section's items under `heading`, and the "Next" line for the rest. */
  const section = (key: Section, heading: string, items: string[], total: number, label: string) => {
    const rest = paging.more(key, label, answer.list(heading, items), total);
    if (rest) more.push(rest);
  };
  const show = (s: Section) => paging.shows(s);
  const from = (s: Section) => paging.from(s);

  if (show('attributes') && (detail.attributes.length > 0 || at)) {
    answer.add('');
    const f = from('attributes');
    section(
      'attributes',
      `### Attributes (${detail.attributes.length})`,
      attributeItems(detail.attributes, f, paging.count('attributes')),
      detail.attributes.length,
      'Attributes',
    );
  }
  const exceptions = detail.events.filter((e) => e.name === 'exception');
  if ((show('frames') && exceptions.length > 0) || at?.section === 'frames') {
    answer.add('');
    if (!at) {
      for (const e of exceptions.slice(0, 3)) {
        const type = str(e.attributes, 'exception.type');
        const msg = str(e.attributes, 'exception.message');
        answer.add(
          `### Exception at ${offset(e.timeNs)}: ${type ? code(type, 80) : '(no type)'}${msg ? ` · ${code(msg, 300)}` : ''}`,
        );
      }
    }
    const f = from('frames');
    const frames = frameItems(detail, input, f, paging.count('frames'));
    if (frames.total > 0 || frames.library > 0) {
      const lib = frames.library > 0 ? `; ${plural(frames.library, 'library frame')} left out` : '';
      section(
        'frames',
        `Stack frames in application code, innermost first (${frames.total}${lib}):`,
        frames.items,
        frames.total,
        'Stack frames',
      );
    }
  }
  const events = eventCount(detail, input);
  if (show('events') && (events > 0 || at)) {
    answer.add('');
    const f = from('events');
    section(
      'events',
      `### Events and logs (${events})`,
      eventItems(detail, input, f, paging.count('events')),
      events,
      'Events and logs',
    );
  }
  if (show('resource') && (detail.resource.length > 0 || at)) {
    answer.add('');
    const f = from('resource');
    const scope =
      detail.scope.name && !at
        ? ` · scope ${code(detail.scope.name, 80)}${detail.scope.version ? ` ${code(detail.scope.version, 40)}` : ''}`
        : '';
    section(
      'resource',
      `### Resource (${detail.resource.length})${scope}`,
      attributeItems(detail.resource, f, paging.count('resource')),
      detail.resource.length,
      'Resource attributes',
    );
  }
  if (!at && detail.links.length > 0) {
    answer.add('');
    answer.list(
      `### Links (${detail.links.length})`,
      detail.links
        .slice(0, FIRST.links)
        .map((l) => `- trace ${code(l.traceId, 40)} span ${code(l.spanId, 20)}`),
    );
    const first = detail.links[0]!;
    if (TRACE_ID_HEX.test(first.traceId))
      more.push(`- The linked trace: ${call(names.getTrace, { trace_id: first.traceId })}`);
  }
  const p = c.parent[i]!;
  if (!at && p >= 0)
    more.push(`- Its parent: ${call(names.getSpan, { trace_id: traceId, span: spanIdAt(c, p) })}`);
  return answer.toString(more.length > 0 ? ['Next:', ...more] : []);
}
