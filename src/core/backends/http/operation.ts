/**
 * Deadlines and cancellation for backend requests: one `Operation` per call a caller makes (it
 * may take several requests: fallback routes, retries, redirects), and one `AttemptGuard` per
 * request, which adds the idle timer while a body streams.
 */

/**
 * One deadline and one cancellation for an operation that may take several requests (fallback
 * routes, retries, redirects). Abort reasons are remembered so errors can say which one fired.
 */
export class Operation {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly deadlineAt: number;
  private readonly unlink: (() => void) | undefined;
  /** Why the operation stopped, once it did. */
  reason: 'deadline' | 'cancelled' | undefined;

  constructor(
    readonly timeoutMs: number,
    signal?: AbortSignal,
  ) {
    this.deadlineAt = Date.now() + timeoutMs;
    this.timer = setTimeout(() => this.stop('deadline'), timeoutMs);
    if (signal) {
      if (signal.aborted) this.stop('cancelled');
      else {
        const onAbort = () => this.stop('cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
        this.unlink = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left before the deadline. */
  get remainingMs(): number {
    return Math.max(0, this.deadlineAt - Date.now());
  }

  /** Stops every request of the operation. */
  stop(reason: 'deadline' | 'cancelled'): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(reason));
  }

  /** Releases the timer and the caller's signal. */
  dispose(): void {
    clearTimeout(this.timer);
    this.unlink?.();
  }
}

/** One request's abort signal: the operation's, plus an idle timer while the body streams. */
export class AttemptGuard {
  private readonly controller = new AbortController();
  private readonly unlink: () => void;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The idle timer fired. */
  idle = false;

  constructor(
    op: Operation,
    private readonly idleTimeoutMs: number,
  ) {
    const onAbort = () => this.controller.abort(op.signal.reason);
    if (op.signal.aborted) onAbort();
    op.signal.addEventListener('abort', onAbort, { once: true });
    this.unlink = () => op.signal.removeEventListener('abort', onAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  startIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idle = true;
      this.controller.abort(new Error('idle'));
    }, this.idleTimeoutMs);
  }

  stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
  }

  abort(): void {
    this.controller.abort(new Error('stopped'));
  }

  dispose(): void {
    this.stopIdleTimer();
    this.unlink();
  }
}

/** Waits `ms`, or less when `signal` aborts first (the caller then checks why). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
