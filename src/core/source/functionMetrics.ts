/**
 * The CodeLens's TraceQL metrics for one function. The count comes first (one request for the
 * many functions without spans); only when there are spans does it ask the percentiles and the
 * exact maximum (a single span needs only the maximum: it is every percentile). Instant queries
 * (`/api/metrics/query`) where the server has them; on older Tempo, range queries in 60 s steps.
 * Never one step as long as the range: Tempo 3.0 aligns steps, so the current hour's one step
 * stays empty until the hour is over (measured on 3.0.3; tempo-api.md §8). Pure.
 */
import {
  isBackendError,
  type MetricsInstantQuery,
  type MetricsInstantResult,
  type MetricsQuery,
  type MetricsResult,
} from '../backends';
import { functionCountQuery, functionQuantilesQuery, functionQuery, type FunctionTarget } from '../traceql';
import { countsFromMetrics, statsFromMetrics, type AnyMetricsResult } from './spanStats';
import type { FunctionStats } from './text';

/** What the figures need of a backend: Tempo's metrics APIs (the instant one optional). */
export interface MetricsApi {
  metricsQuery?(query: MetricsInstantQuery): Promise<MetricsInstantResult>;
  metricsQueryRange(query: MetricsQuery): Promise<MetricsResult>;
}

/** Step of the range queries on a Tempo without the instant API. */
export const RANGE_STEP = '60s';

/** TraceQL metrics: the slowest of the function's spans, in seconds (exact in Tempo). */
export function functionMaxQuery(target: FunctionTarget): string {
  return `${functionQuery(target)} | max_over_time(duration)`;
}

/** The time range asked about, in Unix seconds. */
export interface LensRange {
  start: number;
  end: number;
}

/**
 * Asks one backend's metrics for functions' figures, remembering whether it has the instant
 * API. Rejects with the backend's error (an 'unsupported' one when it has no metrics API at all).
 */
export class FunctionMetrics {
  /** Whether the instant API answered; undefined until asked. */
  private instant: boolean | undefined;

  constructor(private readonly api: MetricsApi) {}

  /** The backend's words when it said the last figures are partial (PARTIAL status). */
  partial: string | undefined;

  /** The route the last answers came from, once known. */
  get route(): 'instant' | 'range' | undefined {
    return this.instant === undefined ? undefined : this.instant ? 'instant' : 'range';
  }

  private async ask(q: string, range: LensRange, signal?: AbortSignal): Promise<AnyMetricsResult> {
    const base = { q, start: range.start, end: range.end, ...(signal ? { signal } : {}) };
    if (this.instant !== false && this.api.metricsQuery) {
      try {
        const r = await this.api.metricsQuery(base);
        this.instant = true;
        return r;
      } catch (err) {
        // Only a server without the route goes on to the range API; anything else is its answer.
        if (!isBackendError(err, 'unsupported')) throw err;
        this.instant = false;
      }
    } else this.instant = false;
    return this.api.metricsQueryRange({ ...base, step: RANGE_STEP, exemplars: 0 });
  }

  /** The function's figures in `range`, or undefined when it has no spans there. */
  async stats(
    target: FunctionTarget,
    range: LensRange,
    signal?: AbortSignal,
  ): Promise<FunctionStats | undefined> {
    const counts = await this.ask(functionCountQuery(target), range, signal);
    const { count } = countsFromMetrics(counts);
    this.partial = counts.partial ? (counts.message ?? 'no reason given') : undefined;
    if (count <= 0) return undefined;
    const exact = counts.exact === true;
    const [quantiles, max] = await Promise.all([
      count > 1 ? this.ask(functionQuantilesQuery(target), range, signal) : undefined,
      // A server with exact quantiles needs no maximum to bound them.
      count === 1 || !exact ? this.ask(functionMaxQuery(target), range, signal) : undefined,
    ]);
    const partial = [counts, quantiles, max].find((r) => r?.partial);
    this.partial = partial ? (partial.message ?? 'no reason given') : undefined;
    return statsFromMetrics({
      counts,
      ...(quantiles ? { quantiles } : {}),
      ...(max ? { max } : {}),
    });
  }
}
