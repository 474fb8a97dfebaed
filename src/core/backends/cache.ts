/**
 * Sharing and caching for trace fetches: concurrent calls for one key share one request, and
 * recent results stay in an LRU bounded in (estimated) bytes.
 */
import type { BackendError } from './errors';
import type { Operation } from './http';

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

  /** Stores `value`; an entry larger than the whole budget is not kept. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxBytes) break;
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
export class SharedRequest<T> {
  private waiters = 0;
  private settled = false;
  readonly promise: Promise<T>;

  constructor(
    private readonly op: Operation,
    run: (op: Operation) => Promise<T>,
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
