/**
 * The one trace fetch cache of the backends: concurrent calls for one key share one request, and
 * recent results stay in an LRU bounded in (estimated) bytes. Tempo, Grafana, Jaeger, Zipkin and
 * file backends all fetch through a `TraceFetchCache`; nothing above them caches traces again.
 */
import type { TraceResult } from './backend';
import type { BackendError } from './errors';

/** What a shared fetch needs of the operation it runs in (an HTTP `Operation` fits). */
export interface Stoppable {
  /** Stops the work; called when every caller gave up. */
  stop(reason: 'cancelled'): void;
  /** Releases timers and listeners once the work settled. */
  dispose(): void;
}

/** An operation with no deadline, for work that only needs to be stoppable (file reads). */
export class Stoppage implements Stoppable {
  private readonly controller = new AbortController();

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(): void {
    this.controller.abort(new Error('cancelled'));
  }

  dispose(): void {}
}

/** An LRU map whose total size, as estimated by the caller, stays under `maxBytes`. */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** Estimated bytes held. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.value;
  }

  /**
   * Stores `value` as the newest entry and evicts the oldest until the budget holds. The newest
   * entry is always kept, even when it alone exceeds the budget (everything else goes then): the
   * trace just fetched is the one about to be asked for again (a hover, then Open Trace).
   */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes || k === key) break;
      this.entries.delete(k);
      this.total -= e.bytes;
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.total -= e.bytes;
  }

  /** Deletes every entry whose key passes `test`. */
  deleteWhere(test: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (test(key)) this.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/**
 * One operation shared by every caller that asks for the same thing while it runs. Each caller
 * may cancel its own wait; the request itself is cancelled only when no caller is left.
 */
export class SharedRequest<T, O extends Stoppable = Stoppable> {
  private waiters = 0;
  private settled = false;
  readonly promise: Promise<T>;

  constructor(
    private readonly op: O,
    run: (op: O) => Promise<T>,
    private readonly onDone: () => void,
    private readonly cancelledError: () => BackendError,
  ) {
    this.promise = run(op).finally(() => {
      this.settled = true;
      op.dispose();
      onDone();
    });
    // Callers handle rejections through `join`; this keeps an abandoned request quiet.
    this.promise.catch(() => undefined);
  }

  /** Waits for the shared result; `signal` ends only this caller's wait. */
  join(signal?: AbortSignal): Promise<T> {
    // Counted before the check, so a request whose only caller had already given up is stopped.
    this.waiters++;
    if (signal?.aborted) {
      this.leave();
      return Promise.reject(this.cancelledError());
    }
    if (!signal) return this.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(this.cancelledError());
        this.leave();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.promise.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  private leave(): void {
    this.waiters--;
    if (this.waiters === 0 && !this.settled) {
      // Nobody wants the answer any more: stop the request and let the next caller start afresh.
      this.onDone();
      this.op.stop('cancelled');
    }
  }
}

/** Default budget of a trace fetch cache. */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/**
 * How long after its newest span ended a trace may still change: spans still arriving, and
 * Tempo 3.0 rewriting a just-ingested trace's body while its live store flushes (~10 s), within
 * the 30 s it leaves recent data out of search. A trace fetched sooner is not kept as final.
 */
export const SETTLE_MS = 30_000;

/** Whether `result` may still change: its newest span ended less than `settleMs` before `nowMs`. */
export function stillSettling(result: TraceResult, nowMs: number, settleMs = SETTLE_MS): boolean {
  const model = result.decoded.model;
  const endMs = model.traceStartMs + model.durationNs / 1e6;
  // A trace dated in the future (clock skew between machines) is treated as just written.
  return Number.isFinite(endMs) && endMs > nowMs - settleMs;
}

/**
 * What a fetched trace costs to keep: the decoded columns are small, and what a decoded trace
 * keeps for on-demand details is about the size of the response, so twice the body plus the
 * columns is a fair estimate.
 */
export function traceCost(bodyBytes: number, result: TraceResult): number {
  return bodyBytes * 2 + result.decoded.model.spanCount * 100;
}

/** One fetch through the cache. */
export interface TraceFetch<R, O extends Stoppable> {
  /** What identifies the answer (trace ID, and for Tempo the time range and format). */
  key: string;
  /** Ends this caller's wait; the fetch stops when no caller is left. */
  signal?: AbortSignal | undefined;
  /** Fetch even when the cache holds the key (the result replaces the cached one). */
  noCache?: boolean | undefined;
  /** Starts the operation the fetch runs in: its deadline, not any caller's signal. */
  start: () => O;
  /** Fetches and decodes; `bodyBytes` sizes the result for the budget. */
  run: (op: O) => Promise<{ result: R; bodyBytes: number }>;
  /** The error a cancelled caller gets. */
  cancelled: () => BackendError;
}

/** Options of a `TraceFetchCache` besides its budget. */
export interface TraceFetchCacheOptions {
  /** A trace whose newest span ended less than this long ago is not kept. Default `SETTLE_MS`. */
  settleMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Recent traces within a byte budget, and the fetches under way, by key. A trace still settling
 * (see `stillSettling`) is shared with the callers waiting for it but not kept: the next call
 * asks the backend again.
 */
export class TraceFetchCache<R extends TraceResult = TraceResult> {
  private readonly lru: ByteLru<R> | undefined;
  private readonly inflight = new Map<string, SharedRequest<R, Stoppable>>();
  private readonly settleMs: number;
  private readonly now: () => number;

  /** `maxBytes` 0 keeps nothing, but concurrent fetches are still shared. */
  constructor(maxBytes: number = DEFAULT_CACHE_BYTES, options: TraceFetchCacheOptions = {}) {
    this.lru = maxBytes > 0 ? new ByteLru(maxBytes) : undefined;
    this.settleMs = options.settleMs ?? SETTLE_MS;
    this.now = options.now ?? Date.now;
  }

  /** The cached result for `key`, without fetching. */
  peek(key: string): R | undefined {
    return this.lru?.get(key);
  }

  /** Forgets every cached result, or those whose key passes `test`. */
  forget(test?: (key: string) => boolean): void {
    if (!test) this.lru?.clear();
    else this.lru?.deleteWhere(test);
  }

  /** The cached result, else the fetch under way for the key, else a new fetch. */
  get<O extends Stoppable>(fetch: TraceFetch<R, O>): Promise<R> {
    const { key } = fetch;
    if (!fetch.noCache) {
      const hit = this.lru?.get(key);
      if (hit) return Promise.resolve(hit);
    }
    // Cancelled before it started: nothing is sent.
    if (fetch.signal?.aborted) return Promise.reject(fetch.cancelled());
    let shared = this.inflight.get(key);
    if (!shared) {
      const created: SharedRequest<R, O> = new SharedRequest(
        fetch.start(),
        async (op) => {
          const { result, bodyBytes } = await fetch.run(op);
          if (stillSettling(result, this.now(), this.settleMs)) this.lru?.delete(key);
          else this.lru?.set(key, result, traceCost(bodyBytes, result));
          return result;
        },
        () => {
          if (this.inflight.get(key) === created) this.inflight.delete(key);
        },
        fetch.cancelled,
      );
      shared = created;
      this.inflight.set(key, shared);
    }
    return shared.join(fetch.signal);
  }
}
