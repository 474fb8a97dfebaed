/**
 * TraceQL metrics over the store, in the shapes of Tempo's `/api/metrics/query_range` and
 * `/api/metrics/query`: `rate()`, `count_over_time()`, `avg_over_time(f)`, `min_over_time(f)`,
 * `max_over_time(f)`, `sum_over_time(f)` and `quantile_over_time(f, q...)`, each with an optional
 * `by (field, ...)`. The spanset part is parsed and evaluated by the TraceQL engine; only the one
 * pipeline stage after `|` is read here, from the engine's tokens (its fields parsed by the engine
 * too). Unlike Tempo's, quantiles are exact (linear interpolation between the closest ranks of
 * every span's value, not bucket bounds), and nothing recent is left out.
 *
 * A sample at time t covers the spans starting in (t - step, t], as in Tempo's answers; durations
 * are in seconds; a value of 0 is left out, as Tempo's jsonpb does. Every answer says
 * `"quantiles": "exact"` (not in Tempo's answers), so the client shows them without `≤`.
 */
import {
  compileFilter,
  compileQuery,
  KIND_WORDS,
  parse,
  parseDuration,
  STATUS_WORDS,
  tokenize,
  TraceQLError,
  type Field,
  type FieldExpr,
  type Query,
  type SpansetExpr,
  type TraceFacts,
  type FieldValue,
} from '../traceql';
import { RefAccessor, SegmentAccessor } from './accessor';
import { prefilter } from './prefilter';
import { parseQuery } from './search';
import type { StoreData } from './store';
import { traceLocations, wordsToHex } from './traces';

/** A metrics query the store cannot run: a 400 naming why. */
export class MetricsQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetricsQueryError';
  }
}

type Fn =
  | 'rate'
  | 'count_over_time'
  | 'avg_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'sum_over_time'
  | 'quantile_over_time';
const FUNCTIONS: readonly Fn[] = [
  'rate',
  'count_over_time',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'quantile_over_time',
];

/** A parsed metrics query. */
export interface MetricsQuery {
  query: Query;
  fn: Fn;
  /** The field aggregated (`duration`, a numeric attribute); undefined for rate and count. */
  field?: Field;
  quantiles: number[];
  /** Grouping fields with their text as written (the series label key). */
  by: { field: Field; label: string }[];
}

/** A field written in TraceQL (`span.code.function`, `duration`), parsed by the engine. */
function parseField(text: string): Field {
  const q = parse(`{ ${text} != nil }`);
  const root = q.root;
  if (root.kind === 'filter' && root.expr.kind === 'compare') return root.expr.field;
  throw new MetricsQueryError(`invalid TraceQL query: "${text}" is not a field`);
}

/** Splits `q` at its top-level `|` and reads the metrics stage. */
export function parseMetricsQuery(q: string): MetricsQuery {
  const tokens = tokenize(q);
  let depth = 0;
  let pipe = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && (t.text === '{' || t.text === '(')) depth++;
    else if (t.kind === 'punct' && (t.text === '}' || t.text === ')')) depth--;
    else if (t.kind === 'op' && t.text === '|' && depth === 0) {
      pipe = i;
      break;
    }
  }
  if (pipe < 0)
    throw new MetricsQueryError('invalid TraceQL query: a metrics query needs a stage such as | rate()');
  let query: Query;
  try {
    query = parseQuery(q.slice(0, tokens[pipe]!.at));
  } catch (err) {
    throw new MetricsQueryError(err instanceof Error ? err.message : String(err));
  }
  const rest = tokens.slice(pipe + 1);
  let i = 0;
  const fail = (what: string): never => {
    const at = (rest[i]?.at ?? q.length) + 1;
    throw new MetricsQueryError(`invalid TraceQL query: unsupported at ${at}: ${what}`);
  };
  const expect = (text: string): void => {
    const t = rest[i];
    if (!t || t.text !== text) fail(`expected "${text}" but found "${t?.text ?? 'the end'}"`);
    i++;
  };
  /** The source text of tokens from `i` up to (not including) a `,` or `)` at depth 0. */
  const argText = (): string => {
    const first = i;
    let d = 0;
    while (i < rest.length) {
      const t = rest[i]!;
      if (t.kind === 'end') break;
      if (d === 0 && t.kind === 'punct' && (t.text === ',' || t.text === ')')) break;
      if (t.kind === 'punct' && t.text === '(') d++;
      if (t.kind === 'punct' && t.text === ')') d--;
      i++;
    }
    if (i === first) fail('an empty argument');
    return q.slice(rest[first]!.at, rest[i - 1]!.end);
  };
  const name = rest[i];
  if (!name || name.kind !== 'word' || !FUNCTIONS.includes(name.text as Fn))
    fail(`metrics function "${name?.text ?? ''}" (this store answers ${FUNCTIONS.join(', ')})`);
  const fn = name!.text as Fn;
  i++;
  expect('(');
  const args: string[] = [];
  while (rest[i] && rest[i]!.text !== ')') {
    args.push(argText());
    if (rest[i]?.text === ',') i++;
  }
  expect(')');
  const by: MetricsQuery['by'] = [];
  if (rest[i]?.kind === 'word' && rest[i]!.text === 'by') {
    i++;
    expect('(');
    while (rest[i] && rest[i]!.text !== ')') {
      const label = argText();
      by.push({ field: parseFieldOrFail(label), label });
      if (rest[i]?.text === ',') i++;
    }
    expect(')');
  }
  if (rest[i] && rest[i]!.kind !== 'end') fail(`"${q.slice(rest[i]!.at)}" after the metrics function`);
  const out: MetricsQuery = { query, fn, quantiles: [], by };
  if (fn === 'rate' || fn === 'count_over_time') {
    if (args.length > 0) fail(`${fn}() takes no arguments`);
    return out;
  }
  if (args.length === 0) fail(`${fn}() needs a field, e.g. ${fn}(duration)`);
  out.field = parseFieldOrFail(args[0]!);
  if (fn === 'quantile_over_time') {
    if (args.length < 2)
      fail('quantile_over_time() needs at least one quantile, e.g. quantile_over_time(duration, .99)');
    for (const a of args.slice(1)) {
      const v = Number(a);
      if (!Number.isFinite(v) || v < 0 || v > 1) fail(`quantile "${a}" (quantiles are numbers from 0 to 1)`);
      out.quantiles.push(v);
    }
  } else if (args.length > 1) fail(`${fn}() takes one field`);
  return out;
}

function parseFieldOrFail(text: string): Field {
  try {
    return parseField(text);
  } catch (err) {
    if (err instanceof TraceQLError)
      throw new MetricsQueryError(`invalid TraceQL query: ${err.message} in "${text}"`);
    throw err;
  }
}

/** A field's value on a span for grouping and aggregation: status and kind as words, duration in ns. */
function fieldValue(field: Field, acc: SegmentAccessor | RefAccessor, s: number): FieldValue {
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'name':
        return acc.name(s);
      case 'status':
        return STATUS_WORDS[acc.status(s)] ?? 'unset';
      case 'kind':
        return KIND_WORDS[acc.kind(s)] ?? 'unspecified';
      case 'duration':
        return acc.durationNs(s);
      case 'statusMessage':
        return acc.statusMessage(s) ?? '';
      default:
        return undefined;
    }
  }
  if (field.scope === 'any')
    return acc.attribute(s, 'span', field.name) ?? acc.attribute(s, 'resource', field.name);
  return acc.attribute(s, field.scope, field.name);
}

function labelValue(v: FieldValue): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return {};
}

/** Time parameters as Tempo reads them for metrics: seconds, nanoseconds, a float, or RFC 3339. */
export function parseTimeParam(v: string | null, name = 'time'): number | undefined {
  if (v === null || v === '') return undefined;
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return v.length > 10 ? n / 1e9 : n;
  }
  if (/^\d+\.\d*$/.test(v)) return Number(v);
  const t = Date.parse(v);
  if (Number.isFinite(t) && /^\d{4}-\d{2}-\d{2}T/.test(v)) return t / 1000;
  throw new MetricsQueryError(`invalid ${name}: cannot parse "${v.slice(0, 40)}" as a time`);
}

function stepParam(v: string | null, rangeSeconds: number): number {
  if (v === null || v === '') return Math.max(1, Math.ceil(rangeSeconds / 60));
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
  const ns = parseDuration(v);
  if (ns === undefined || ns <= 0) throw new MetricsQueryError(`invalid step: "${v.slice(0, 40)}"`);
  return ns / 1e9;
}

/** Calls `visit(acc, s)` for every span the query's spansets select that starts in (startMs, endMs]. */
function matchingSpans(
  data: StoreData,
  query: Query,
  startMs: number,
  endMs: number,
  visit: (acc: SegmentAccessor | RefAccessor, s: number, startMs: number) => void,
): void {
  const segs = data.segments();
  const single = query.root.kind === 'filter';
  const filters: FieldExpr[] = [];
  const collect = (n: SpansetExpr): void => {
    if (n.kind === 'filter') filters.push(n.expr);
    else n.items.forEach(collect);
  };
  collect(query.root);
  const facts: TraceFacts = { rootName: undefined, rootServiceName: undefined, durationNs: 0 };
  const accessors = new Map(segs.map((seg) => [seg, new SegmentAccessor(data, seg)] as const));
  const refs = new RefAccessor();
  const whole = compileQuery(query, refs);
  const candidates = new Set<string>();
  for (const seg of segs) {
    const x = seg.index;
    if (x.spanCount === 0 || x.maxTimeMs < startMs || x.minTimeMs > endMs) continue;
    const acc = accessors.get(seg)!;
    const tests: { pre: true | ((s: number) => boolean); pred: (s: number, t: TraceFacts) => boolean }[] = [];
    for (const f of filters) {
      const pre = prefilter(f, x);
      if (pre !== false) tests.push({ pre, pred: compileFilter(f, acc) });
    }
    if (tests.length === 0) continue;
    for (let s = 0; s < x.spanCount; s++) {
      const ms = (x.startHi.data[s]! * 4294967296 + x.startLo.data[s]!) / 1e6;
      if (ms <= startMs || ms > endMs) continue;
      let hit = false;
      for (const { pre, pred } of tests) {
        if ((pre === true || pre(s)) && pred(s, facts)) {
          hit = true;
          break;
        }
      }
      if (!hit) continue;
      if (single) visit(acc, s, ms);
      else candidates.add(wordsToHex(x.traceWords.data, 4 * x.spanTrace.data[s]!));
    }
  }
  // Spanset operators: evaluate each candidate trace whole, then count its selected spans.
  for (const id of candidates) {
    refs.reset();
    for (const { seg, trace } of traceLocations(data, id)) {
      const acc = accessors.get(seg)!;
      for (let s = seg.index.traceFirstSpan.data[trace]!; s >= 0; s = seg.index.nextSpan.data[s]!)
        refs.add(acc, s);
    }
    const selected = whole(
      Array.from({ length: refs.length }, (_, k) => k),
      facts,
    );
    for (const r of selected) {
      const { acc, span } = refs.at(r);
      const x = acc.index;
      const ms = (x.startHi.data[span]! * 4294967296 + x.startLo.data[span]!) / 1e6;
      if (ms > startMs && ms <= endMs) visit(refs, r, ms);
    }
  }
}

const NO_LABELS: FieldValue[] = [];

interface SeriesAcc {
  labels: { key: string; value: Record<string, unknown> }[];
  /** Per step: values (for quantiles/avg/...) or a count. */
  values: number[][];
  exemplars: { traceId: string; value: number; ms: number }[];
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

function aggregate(fn: Fn, values: number[], stepSeconds: number, q?: number): number | undefined {
  if (fn === 'rate') return values.length / stepSeconds;
  if (fn === 'count_over_time') return values.length;
  if (values.length === 0) return undefined;
  switch (fn) {
    case 'avg_over_time':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'sum_over_time':
      return values.reduce((a, b) => a + b, 0);
    case 'min_over_time':
      return Math.min(...values);
    case 'max_over_time':
      return Math.max(...values);
    case 'quantile_over_time':
      return quantile(values, q!); // sorted by the caller, once for every quantile
  }
}

/** Evaluates a metrics query over `buckets` steps ending at `firstEnd + k * step`. */
function evaluate(
  data: StoreData,
  mq: MetricsQuery,
  firstEndMs: number,
  stepMs: number,
  buckets: number,
  maxExemplars: number,
  untilMs = Infinity,
): Map<string, SeriesAcc> {
  const series = new Map<string, SeriesAcc>();
  const rangeStart = firstEndMs - stepMs;
  const rangeEnd = Math.min(firstEndMs + (buckets - 1) * stepMs, untilMs);
  const durationField = mq.field?.kind === 'intrinsic' && mq.field.name === 'duration';
  matchingSpans(data, mq.query, rangeStart, rangeEnd, (acc, s, ms) => {
    const labelValues = mq.by.length === 0 ? NO_LABELS : mq.by.map((b) => fieldValue(b.field, acc, s));
    let key = '';
    if (labelValues.length === 1 && typeof labelValues[0] === 'string') key = labelValues[0];
    else for (const v of labelValues) key += `\u0001${typeof v}:${String(v)}`;
    let acc2 = series.get(key);
    if (!acc2) {
      acc2 = {
        labels: mq.by.map((b, k) => ({ key: b.label, value: labelValue(labelValues[k]) })),
        values: Array.from({ length: buckets }, () => []),
        exemplars: [],
      };
      series.set(key, acc2);
    }
    const bucket = Math.min(buckets - 1, Math.max(0, Math.ceil((ms - firstEndMs) / stepMs)));
    let value = 1;
    if (mq.field) {
      const v = fieldValue(mq.field, acc, s);
      if (typeof v !== 'number') return;
      value = durationField ? v / 1e9 : v;
    }
    acc2.values[bucket]!.push(value);
    if (acc2.exemplars.length < maxExemplars) {
      const traceId =
        acc instanceof RefAccessor
          ? wordsToHex(
              acc.at(s).acc.index.traceWords.data,
              4 * acc.at(s).acc.index.spanTrace.data[acc.at(s).span]!,
            )
          : wordsToHex(acc.index.traceWords.data, 4 * acc.index.spanTrace.data[s]!);
      acc2.exemplars.push({ traceId, value, ms });
    }
  });
  return series;
}

function seriesLabels(
  mq: MetricsQuery,
  acc: SeriesAcc,
  q?: number,
): { key: string; value: Record<string, unknown> }[] {
  const labels = [...acc.labels];
  if (q !== undefined) labels.push({ key: 'p', value: { doubleValue: q } });
  if (labels.length === 0) labels.push({ key: '__name__', value: { stringValue: mq.fn } });
  return labels;
}

/** The range [start, end] in seconds from `start`/`end`/`since` (default: the last hour). */
function range(params: URLSearchParams, nowMs: number): { start: number; end: number } {
  const end = parseTimeParam(params.get('end'), 'end') ?? nowMs / 1000;
  let start = parseTimeParam(params.get('start'), 'start');
  if (start === undefined) {
    const since = params.get('since');
    const ns = since ? parseDuration(since) : 3600e9;
    if (ns === undefined) throw new MetricsQueryError(`invalid since: "${since!.slice(0, 40)}"`);
    start = end - ns / 1e9;
  }
  if (end <= start) throw new MetricsQueryError('invalid start and end: start must be before end');
  return { start, end };
}

function queryText(params: URLSearchParams): string {
  const q = params.get('q') ?? params.get('query');
  if (!q) throw new MetricsQueryError('invalid request: q is required');
  return q;
}

/** `/api/metrics/query_range` in Tempo's shape. */
export function metricsRange(data: StoreData, params: URLSearchParams, nowMs: number): unknown {
  const mq = parseMetricsQuery(queryText(params));
  const { start, end } = range(params, nowMs);
  const step = stepParam(params.get('step'), end - start);
  const stepMs = step * 1000;
  const firstEndMs = Math.floor((start * 1000) / stepMs) * stepMs;
  // The last sample is the first step boundary at or after `end`, so the spans since the last
  // boundary count too (a one-hour step would otherwise leave out everything of the current hour).
  const buckets = Math.max(1, Math.ceil((end * 1000 - firstEndMs) / stepMs) + 1);
  if (buckets > 11000)
    throw new MetricsQueryError(`the step is too small for the range: ${buckets} samples (at most 11000)`);
  const exemplarsParam = params.get('exemplars');
  const maxExemplars = exemplarsParam !== null && /^\d+$/.test(exemplarsParam) ? Number(exemplarsParam) : 100;
  const series = evaluate(data, mq, firstEndMs, stepMs, buckets, maxExemplars, end * 1000);
  const out: unknown[] = [];
  for (const acc of series.values()) {
    if (mq.fn === 'quantile_over_time') for (const vals of acc.values) vals.sort((a, b) => a - b);
    const qs = mq.fn === 'quantile_over_time' ? mq.quantiles : [undefined];
    for (const q of qs) {
      out.push({
        labels: seriesLabels(mq, acc, q),
        samples: acc.values.map((vals, k) => {
          const v = aggregate(mq.fn, vals, step, q);
          return { timestampMs: String(firstEndMs + k * stepMs), ...(v ? { value: v } : {}) };
        }),
        exemplars: acc.exemplars.map((e) => ({
          labels: [{ key: 'trace:id', value: { stringValue: e.traceId } }],
          value: e.value,
          timestampMs: String(Math.round(e.ms)),
        })),
      });
    }
  }
  return { series: out, metrics: { completedJobs: 1, totalJobs: 1 }, quantiles: 'exact' };
}

/** `/api/metrics/query` (instant: one value per series over the whole range) in Tempo's shape. */
export function metricsInstant(data: StoreData, params: URLSearchParams, nowMs: number): unknown {
  const mq = parseMetricsQuery(queryText(params));
  const { start, end } = range(params, nowMs);
  const stepMs = (end - start) * 1000;
  const series = evaluate(data, mq, end * 1000, stepMs, 1, 0);
  const out: unknown[] = [];
  for (const acc of series.values()) {
    if (mq.fn === 'quantile_over_time') acc.values[0]!.sort((a, b) => a - b);
    const qs = mq.fn === 'quantile_over_time' ? mq.quantiles : [undefined];
    for (const q of qs) {
      const v = aggregate(mq.fn, acc.values[0]!, end - start, q);
      out.push({ labels: seriesLabels(mq, acc, q), ...(v ? { value: v } : {}) });
    }
  }
  return { series: out, metrics: { completedJobs: 1, totalJobs: 1 }, quantiles: 'exact' };
}
