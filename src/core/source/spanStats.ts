/**
 * Figures for the spans a function produced, from a TraceQL search (spans counted and
 * percentiles computed here) or from TraceQL metrics (Tempo computes them). Pure.
 */
import type { MetricsResult, SearchHit, SearchResult } from '../backends';
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
    spans: main.spans.map(({ hit: _hit, ...s }) => s),
    slowest,
    failing: failingChoices,
  };
}

function labelValue(labels: readonly { key: string; value: unknown }[], key: string): unknown {
  return labels.find((l) => l.key === key)?.value;
}

/**
 * Figures from TraceQL metrics: `quantile_over_time(duration, .5, .95)` (series labelled `p`,
 * values in seconds) and `count_over_time() by (status)`. Quantiles of several time buckets are
 * averaged weighted by the bucket's span count: an approximation, as Tempo's quantiles already
 * are (they come from histogram buckets). Undefined when nothing was counted.
 */
export function statsFromMetrics(quantiles: MetricsResult, counts: MetricsResult): FunctionStats | undefined {
  const perBucket = new Map<number, number>();
  let count = 0;
  let errors = 0;
  for (const series of counts.series) {
    const status = labelValue(series.labels, 'status');
    const isError = status === 'error' || status === 2 || status === 'STATUS_CODE_ERROR';
    for (const s of series.samples) {
      if (!Number.isFinite(s.value) || s.value <= 0) continue;
      count += s.value;
      if (isError) errors += s.value;
      perBucket.set(s.timestampMs, (perBucket.get(s.timestampMs) ?? 0) + s.value);
    }
  }
  if (count <= 0) return undefined;
  const quantile = (p: number): number => {
    const series = quantiles.series.find((s) => {
      const v = labelValue(s.labels, 'p');
      const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      return Math.abs(n - p) < 1e-9;
    });
    if (!series) return NaN;
    let weighted = 0;
    let weights = 0;
    for (const s of series.samples) {
      if (!Number.isFinite(s.value) || s.value <= 0) continue;
      const w = perBucket.get(s.timestampMs) ?? 0;
      weighted += s.value * (w || 1);
      weights += w || 1;
    }
    return weights > 0 ? (weighted / weights) * 1e9 : NaN;
  };
  return {
    count: Math.round(count),
    errors: Math.round(errors),
    p50Ns: quantile(0.5),
    p95Ns: quantile(0.95),
  };
}
