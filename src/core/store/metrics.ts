/** TraceQL metrics over the store (placeholder until the TraceQL engine lands). */
import type { StoreData } from './store';

/** A metrics query the store cannot run: a 400 naming why. */
export class MetricsQueryError extends Error {}

export function parseTimeParam(_v: string | null): number | undefined {
  return undefined;
}

export function metricsRange(_data: StoreData, _params: URLSearchParams, _nowMs: number): unknown {
  throw new MetricsQueryError('TraceQL metrics are not available yet');
}

export function metricsInstant(_data: StoreData, _params: URLSearchParams, _nowMs: number): unknown {
  throw new MetricsQueryError('TraceQL metrics are not available yet');
}
