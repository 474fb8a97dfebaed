/**
 * How a function in the workspace performed, for an agent (`traceLens_functionStats`): span
 * count, p50/p95 and errors over a window, with example traces, from the same queries and rules
 * as the CodeLens over the function (`core/traceql` builds the queries, `core/source/spanStats`
 * counts). The rules that keep the figures honest:
 * - the window is said, and only spans inside it are counted (a backend that ignores the range has
 *   the others left out, and the answer says how many);
 * - TraceQL metrics figures are the backend's estimates (Tempo's come from histogram buckets);
 *   search figures come from the spans the search returned, and say so;
 * - no spans means "none found by this query", with what the query matches.
 */
import { BackendError, isBackendError } from '../backends';
import { formatDuration } from '../../shared/format';
import {
  formatAgo,
  FunctionMetrics,
  keepInRange,
  lensTitle,
  statsFromSearch,
  type FunctionStats,
  type MetricsApi,
  type SearchStats,
  type TraceChoice,
} from '../source';
import { functionCondition, functionQuery, type FunctionTarget } from '../traceql';
import { call, type ToolNames } from './followUp';
import { Answer, code, DATA_NOTE, plural } from './markdown';
import type { AgentBackend } from './run';
import type { SinceRange } from './search';

/** The metrics API of Tempo and Grafana backends (and the local store's query API). */
type MetricsBackend = AgentBackend & MetricsApi;

function hasMetrics(b: AgentBackend): b is MetricsBackend {
  return typeof (b as Partial<MetricsBackend>).metricsQueryRange === 'function';
}

/** A 404 (no metrics API) or 400 (this server cannot run the query): search instead. */
function metricsUnsupported(err: unknown): boolean {
  return (
    isBackendError(err, 'unsupported') ||
    (err instanceof BackendError && (err.status === 400 || err.status === 404))
  );
}

/** What was found about a function. */
export interface FunctionFindings {
  target: FunctionTarget;
  since: SinceRange;
  /** Unix milliseconds of the window's end. */
  endMs: number;
  /** Figures from TraceQL metrics (the backend's estimates), when it has them. */
  metrics?: FunctionStats;
  /** The backend's words when it says the metrics are partial. */
  metricsPartial?: string;
  /** Figures and example traces from a search, when the backend can search. */
  search?: SearchStats;
  /** Traces the search returned from outside the window (left out). */
  outside: number;
  /** Neither metrics nor search: the backend cannot say. */
  unsupported?: boolean;
}

/**
 * Asks `backend` about `target` over the last `since`: TraceQL metrics for the figures when the
 * backend has them, and a search (100 traces, 100 spans each, as the CodeLens) for example traces
 * and, without metrics, the figures. Rejects with the backend's error.
 */
export async function findFunctionStats(
  backend: AgentBackend,
  target: FunctionTarget,
  since: SinceRange,
  endMs: number,
  signal?: AbortSignal,
): Promise<FunctionFindings> {
  const end = Math.floor(endMs / 1000);
  const start = end - since.seconds;
  const findings: FunctionFindings = { target, since, endMs, outside: 0 };
  if (hasMetrics(backend)) {
    try {
      // The CodeLens's own path: instant queries where the backend has them, counts first, and
      // bucketed quantiles marked as bounds and capped at the exact maximum.
      const metrics = new FunctionMetrics(backend);
      findings.metrics = (await metrics.stats(target, { start, end }, signal)) ?? {
        count: 0,
        errors: 0,
        p50Ns: NaN,
        p95Ns: NaN,
      };
      if (metrics.partial !== undefined) findings.metricsPartial = metrics.partial;
    } catch (err) {
      if (!metricsUnsupported(err)) throw err;
    }
  }
  if (backend.search) {
    const sig = signal ? { signal } : {};
    const [all, failing] = await Promise.all([
      backend.search({ q: functionQuery(target), start, end, limit: 100, spss: 100, ...sig }),
      backend.search({ q: functionQuery(target, true), start, end, limit: 20, spss: 20, ...sig }),
    ]);
    const startMs = endMs - since.seconds * 1000;
    const a = keepInRange(all, startMs, endMs);
    const f = keepInRange(failing, startMs, endMs);
    findings.outside = a.dropped;
    findings.search = statsFromSearch(a.result, f.result, functionCondition(target));
  } else if (!findings.metrics) {
    findings.unsupported = true;
  }
  return findings;
}

function qualified(t: FunctionTarget): string {
  return t.container ? `${t.container}.${t.name}` : t.name;
}

function choiceLine(c: TraceChoice, k: number, nowMs: number): string {
  const root = c.rootName ? ` · root ${code(c.rootService, 60)} ${code(c.rootName)}` : '';
  return `${k + 1}. ${code(c.traceId, 40)} · span ${code(c.spanId, 40)} ${formatDuration(c.spanDurationNs)}${c.error ? ' · error' : ''} · ${formatAgo(c.startMs, nowMs) || '?'}${root}`;
}

/** What the function answer is about. */
export interface FunctionAnswerInput {
  findings: FunctionFindings;
  backendName: string;
  maxTokens: number;
  names: ToolNames;
}

/** The Markdown answer about a function, within `maxTokens` (estimated). */
export function functionAnswer(input: FunctionAnswerInput): string {
  const f = input.findings;
  const t = f.target;
  const window = `last ${f.since.label}`;
  const answer = new Answer(input.maxTokens);
  answer.force(
    `## Spans of ${code(qualified(t), 160)} in ${code(t.relativePath, 200)} · ${window} · from ${code(input.backendName, 80)}`,
  );
  answer.force(
    "Spans count as the function's when their `code.function.name`/`code.function` (with `code.namespace`) name it, or name it bare with `code.filepath`/`code.file.path` ending in its file.",
  );
  if (f.unsupported) {
    answer.force(
      'The backend has neither TraceQL metrics nor TraceQL search, so it cannot say how this function performed.',
    );
    return answer.toString();
  }
  const figures = f.metrics ?? f.search;
  if (!figures || figures.count === 0) {
    answer.force(`No spans of this function found in the ${window}.`);
    if (f.outside > 0) {
      answer.force(
        `(${plural(f.outside, 'trace')} outside the window were left out: the backend did not apply the time range.)`,
      );
    }
    return answer.toString([
      `Next:`,
      `- A wider window: ${call(input.names.functionStats ?? 'functionStats', { file: t.relativePath, function: qualified(t), since: '24h' })}`,
    ]);
  }
  answer.force(`**${lensTitle(figures, window)}**`);
  if (f.metrics) {
    answer.force(
      f.metrics.bounded
        ? 'Figures from TraceQL metrics: Tempo computes quantiles from histogram buckets, so p50/p95 are upper bounds (≤), capped at the exact maximum.'
        : 'Figures from TraceQL metrics: exact.',
    );
    if (f.metricsPartial !== undefined) {
      answer.force(`The backend says these figures are partial: ${code(f.metricsPartial, 200)}.`);
    }
  } else if (f.search) {
    const returned = f.search.spans.length;
    const unseen = f.search.count - returned;
    answer.force(
      `Figures from a TraceQL search: p50/p95 computed from the ${plural(returned, 'span')} it returned (at most 100 traces, 100 spans each)${unseen > 0 ? `; ${unseen} more matched and count in the total only` : ''}. The backend has no TraceQL metrics.`,
    );
  }
  if (f.outside > 0) {
    answer.force(
      `${plural(f.outside, 'trace')} outside the window were left out: the backend did not apply the time range.`,
    );
  }
  answer.force(DATA_NOTE);
  const s = f.search;
  const more: string[] = [];
  if (s) {
    if (s.slowest.length > 0) {
      answer.add('');
      answer.list(
        "### Slowest (the function's slowest span per trace)",
        s.slowest.slice(0, 5).map((c, k) => choiceLine(c, k, f.endMs)),
      );
    }
    if (s.failing.length > 0) {
      answer.add('');
      answer.list(
        '### Failing, newest first',
        s.failing.slice(0, 5).map((c, k) => choiceLine(c, k, f.endMs)),
      );
    }
    const example = s.failing[0] ?? s.slowest[0];
    if (example)
      more.push(
        `- One of them: ${call(input.names.getSpan, { trace_id: example.traceId, span: example.spanId })}`,
      );
  } else {
    answer.force('No example traces: the backend has no TraceQL search.');
  }
  return answer.toString(more.length > 0 ? ['Next:', ...more] : []);
}
