/**
 * What the parts of the Tempo client share: the transport, the routes the server has shown it
 * has, and small helpers for running an operation and checking a response's shape.
 */
import { RECENT_CUTOFF_HEADER } from '../cutoff';
import { BackendError } from '../errors';
import type { HttpResponse, HttpTransport, Operation } from '../http';
import { checkRange } from '../ids';

/** Which generation of a Tempo API answered: v2 (Tempo 2.6+) or v1. */
export type Route = 'v2' | 'v1';

/** One Tempo server as the client's parts see it. */
export interface TempoApi {
  readonly http: HttpTransport;
  /** Display name, for summaries. */
  readonly name: string;
  /** Trace-by-ID format asked for. */
  readonly format: 'proto' | 'json';
  /**
   * Set once the server showed which route it has, so later calls skip the fallback.
   * `instantMetrics`: whether `/api/metrics/query` exists. `cutoffMs`: the cut-off the server
   * declared in a response header (`RECENT_CUTOFF_HEADER`: Trace Lens's own store says 0).
   */
  readonly routes: { trace?: Route; tags?: Route; instantMetrics?: boolean; cutoffMs?: number };
}

/** Runs `fn` as one operation with the transport's deadline and the caller's signal. */
export async function runOperation<T>(
  api: TempoApi,
  signal: AbortSignal | undefined,
  fn: (op: Operation) => Promise<T>,
): Promise<T> {
  const op = api.http.operation(signal);
  try {
    return await fn(op);
  } finally {
    op.dispose();
  }
}

/**
 * `value`, or a `bad-response` error when the normaliser did not recognise the body. Notes the
 * cut-off the server declares, if it does.
 */
export function shaped<T>(api: TempoApi, res: HttpResponse, value: T | undefined, what: string): T {
  const declared = Number(res.headers.get(RECENT_CUTOFF_HEADER) ?? NaN);
  if (Number.isFinite(declared) && declared >= 0) api.routes.cutoffMs = declared;
  if (value === undefined) {
    throw new BackendError('bad-response', `${res.prefix}: the ${what} are not in the shape Tempo sends`, {
      status: res.status,
      url: res.url,
    });
  }
  return value;
}

/** start/end in seconds, defaulting to the hour before now. */
export function defaultRange(
  start: number | undefined,
  end: number | undefined,
  url: string,
): { start: number; end: number } {
  const checked = checkRange(start, end, url);
  const e = checked.end ?? Math.max(Math.floor(Date.now() / 1000), (checked.start ?? 0) + 1);
  const s = checked.start ?? e - 3600;
  checkRange(s, e, url);
  return { start: s, end: e };
}
