/**
 * Figures for the spans a function produced, from a TraceQL search (spans counted and
 * percentiles computed here) or from TraceQL metrics (Tempo computes them, its quantiles as
 * bucket bounds). Pure.
 */
import type {
  MetricsInstantResult,
  MetricsInstantSeries,
  MetricsResult,
  MetricsSeries,
  SearchHit,
  SearchResult,
} from '../backends';
import { matchesAttributes, type FieldExpr } from '../traceql';
import { unixNanoToMs, type FunctionStats } from './text';

/**
 * The `q` quantile (0 to 1) of ascending `sorted` values, interpolating linearly between the
 * two nearest ranks (as numpy's default does); NaN for no values.
 */
export function percentile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0 || !Number.isFinite(q)) return NaN;
  const pos = Math.min(1, Math.max(0, q)) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const frac = pos - lo;
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * frac;
}

/** One span of the function, with the trace it belongs to. */
export interface FunctionSpan {
  traceId: string;
  spanId: string;
  durationNs: number;
  /** Unix milliseconds of the span start (NaN when the server did not say). */
  startMs: number;
  error: boolean;
}

/** A trace to offer when a person clicks the lens. */
export interface TraceChoice {
  traceId: string;
  /** The function's slowest span in the trace: the one to select. */
  spanId: string;
  spanDurationNs: number;
  rootName: string;
  /** '' when the trace's root span is missing. */
  rootService: string;
  traceDurationMs: number;
  /** Unix milliseconds of the trace start. */
  startMs: number;
  error: boolean;
}

/** What a search says about a function. */
export interface SearchStats extends FunctionStats {
  spans: FunctionSpan[];
  /** Traces with the slowest function spans, slowest first. */
  slowest: TraceChoice[];
  /** Traces where the function's span failed, newest first. */
  failing: TraceChoice[];
}

function spanErrorState(attributes: readonly { key: string; value: unknown }[]): boolean | undefined {
  const v = attributes.find((a) => a.key === 'status')?.value;
  if (v === undefined) return undefined;
  return v === 'error' || v === 2;
}

/**
 * The spans of `result` that satisfy `condition` by the attributes they carry (see
 * `matchesAttributes`: absent attributes fail). With `errorsOnly`, spans that say their status
 * and it is not `error` are dropped too (the server may have ignored `status = error`).
 * `unseen` counts matches the server reported beyond the spans it returned (`spss`), for
 * span sets whose returned spans all passed.
 */
export function matchingSpans(
  result: SearchResult,
  condition: FieldExpr,
  errorsOnly = false,
): { spans: Array<FunctionSpan & { hit: SearchHit }>; unseen: number } {
  const spans: Array<FunctionSpan & { hit: SearchHit }> = [];
  let unseen = 0;
  const seen = new Set<string>();
  for (const hit of result.traces) {
    for (const set of hit.spanSets) {
      let passed = 0;
      for (const s of set.spans) {
        if (!matchesAttributes(condition, s.attributes)) continue;
        const status = spanErrorState(s.attributes);
        if (errorsOnly && status === false) continue;
        const duration = Number(s.durationNanos);
        if (!Number.isFinite(duration) || duration < 0) continue;
        passed++;
        const key = `${hit.traceId}/${s.spanId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        spans.push({
          traceId: hit.traceId,
          spanId: s.spanId,
          durationNs: duration,
          startMs: unixNanoToMs(s.startTimeUnixNano),
          error: errorsOnly || status === true,
          hit,
        });
      }
      if (passed > 0 && passed === set.spans.length && set.matched > set.spans.length) {
        unseen += set.matched - set.spans.length;
      }
    }
  }
  return { spans, unseen };
}

function choice(span: FunctionSpan & { hit: SearchHit }): TraceChoice {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    spanDurationNs: span.durationNs,
    rootName: span.hit.rootTraceName ?? '',
    rootService: span.hit.rootServiceName,
    traceDurationMs: span.hit.durationMs,
    startMs: unixNanoToMs(span.hit.startTimeUnixNano),
    error: span.error,
  };
}

/** Per trace, the function's slowest span. */
function perTrace(spans: Array<FunctionSpan & { hit: SearchHit }>): TraceChoice[] {
  const best = new Map<string, FunctionSpan & { hit: SearchHit }>();
  for (const s of spans) {
    const b = best.get(s.traceId);
    if (!b || s.durationNs > b.durationNs) best.set(s.traceId, s);
  }
  return [...best.values()].map(choice);
}

/**
 * Figures from a search for the function's spans and (optionally) one for its failing spans.
 * Percentiles come from the returned spans; the count adds what the server reported but did
 * not return. Errors are the failing search's spans, or spans marked `status = error` in the
 * main search, whichever is more.
 */
export function statsFromSearch(
  all: SearchResult,
  failing: SearchResult | undefined,
  condition: FieldExpr,
  maxChoices = 10,
): SearchStats {
  const main = matchingSpans(all, condition);
  const errs = failing ? matchingSpans(failing, condition, true) : { spans: [], unseen: 0 };
  const durations = main.spans.map((s) => s.durationNs).sort((a, b) => a - b);
  const errorIds = new Set(errs.spans.map((s) => `${s.traceId}/${s.spanId}`));
  for (const s of main.spans) if (s.error) errorIds.add(`${s.traceId}/${s.spanId}`);
  const errors = Math.max(errorIds.size + errs.unseen, 0);
  const slowest = perTrace(main.spans)
    .sort((a, b) => b.spanDurationNs - a.spanDurationNs)
    .slice(0, maxChoices);
  const failingChoices = perTrace([...errs.spans, ...main.spans.filter((s) => s.error)])
    .map((c) => ({ ...c, error: true }))
    .sort((a, b) => (b.startMs || 0) - (a.startMs || 0))
    .slice(0, maxChoices);
  return {
    count: main.spans.length + main.unseen,
    errors,
    p50Ns: percentile(durations, 0.5),
    p95Ns: percentile(durations, 0.95),
    ...(durations.length > 0 ? { maxNs: durations[durations.length - 1]! } : {}),
    spans: main.spans.map(({ hit: _hit, ...s }) => s),
    slowest,
    failing: failingChoices,
  };
}

function labelValue(labels: readonly { key: string; value: unknown }[], key: string): unknown {
  return labels.find((l) => l.key === key)?.value;
}

/** A metrics answer of either API: a range (samples per step) or an instant one (one value). */
export type AnyMetricsResult = MetricsResult | MetricsInstantResult;

/** The positive values of one series, one per step (an instant series has one step). */
function seriesValues(series: MetricsSeries | MetricsInstantSeries): number[] {
  const values = 'samples' in series ? series.samples.map((s) => s.value) : [series.value];
  return values.filter((v) => Number.isFinite(v) && v > 0);
}

/**
 * The upper bound of the power-of-two duration bucket Tempo's `quantile_over_time` answered
 * from, in nanoseconds. Tempo answers a bucket's upper bound, or a value interpolated between
 * the bucket below and that bound: either way the quantile lies at or below the next power of
 * two of the answer (8.589934592 s for a 4.3 s span is 2^33 ns).
 */
export function bucketBoundNs(seconds: number): number {
  const ns = seconds * 1e9;
  if (!(ns > 1)) return ns;
  // The tolerance absorbs the float error of seconds × 1e9 at an exact power of two.
  return 2 ** Math.ceil(Math.log2(ns) - 1e-9);
}

/** What the CodeLens asked TraceQL metrics about a function, as answered. */
export interface MetricsAnswers {
  /** `count_over_time() by (status)`. */
  counts: AnyMetricsResult;
  /** `quantile_over_time(duration, .5, .95)` (series labelled `p`, seconds). */
  quantiles?: AnyMetricsResult;
  /** `max_over_time(duration)` (seconds): exact in Tempo. */
  max?: AnyMetricsResult;
}

/** The span count and the errors among them, from `count_over_time() by (status)`. */
export function countsFromMetrics(counts: AnyMetricsResult): { count: number; errors: number } {
  let count = 0;
  let errors = 0;
  for (const series of counts.series) {
    const status = labelValue(series.labels, 'status');
    const isError = status === 'error' || status === 2 || status === 'STATUS_CODE_ERROR';
    for (const v of seriesValues(series)) {
      count += v;
      if (isError) errors += v;
    }
  }
  return { count: Math.round(count), errors: Math.round(errors) };
}

/**
 * Figures from TraceQL metrics, honest about what Tempo knows: counts and the maximum are exact;
 * Tempo's quantiles are bucket bounds, so they are shown as bounds (`p95 ≤ 8.6 s`) and never
 * above the slowest span. A single span, or a server whose quantiles are exact (`exact`, the
 * local store) in one value, gives exact percentiles. Quantiles of several steps (a range
 * query) are bounded by the largest step's. Undefined when nothing was counted.
 */
export function statsFromMetrics(answers: MetricsAnswers): FunctionStats | undefined {
  const { count, errors } = countsFromMetrics(answers.counts);
  if (count <= 0) return undefined;
  let maxNs: number | undefined;
  for (const series of answers.max?.series ?? []) {
    for (const v of seriesValues(series)) maxNs = Math.max(maxNs ?? 0, v * 1e9);
  }
  const exactServer = answers.quantiles?.exact === true;
  let bounded = false;
  const quantile = (p: number): number => {
    const series = answers.quantiles?.series.find((s) => {
      const v = labelValue(s.labels, 'p');
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      return Math.abs(n - p) < 1e-9;
    });
    const values = series ? seriesValues(series) : [];
    let ns: number;
    if (values.length === 0) {
      if (maxNs === undefined) return NaN;
      ns = maxNs;
      bounded = true;
    } else if (exactServer && values.length === 1) {
      ns = values[0]! * 1e9;
    } else {
      ns = Math.max(...values.map((v) => (exactServer ? v * 1e9 : bucketBoundNs(v))));
      bounded = true;
    }
    return maxNs !== undefined ? Math.min(ns, maxNs) : ns;
  };
  if (count === 1 && maxNs !== undefined) {
    // One span: every percentile is that span's duration.
    return { count, errors, p50Ns: maxNs, p95Ns: maxNs, maxNs };
  }
  const p50Ns = quantile(0.5);
  const p95Ns = quantile(0.95);
  return {
    count,
    errors,
    p50Ns,
    p95Ns,
    ...(bounded ? { bounded: true } : {}),
    ...(maxNs !== undefined ? { maxNs } : {}),
  };
}
