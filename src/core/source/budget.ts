/**
 * A request budget for background queries (CodeLens figures): at most `concurrency` at a time
 * and at most `perMinute` started in any sliding minute. Queued tasks can be dropped before
 * they start (the document they were for is no longer visible). Pure: the clock and the timer
 * are injectable for tests.
 */

/** Clock and timer, `Date.now`/`setTimeout` by default. */
export interface BudgetClock {
  now(): number;
  setTimer(fn: () => void, ms: number): { cancel(): void };
}

const realClock: BudgetClock = {
  now: () => Date.now(),
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

interface Queued {
  run: () => Promise<void>;
  /** Checked right before starting: false drops the task. */
  stillWanted: () => boolean;
  resolve: (started: boolean) => void;
}

/** Runs tasks within a concurrency limit and a per-minute budget, in the order they came. */
export class RequestBudget {
  private readonly queue: Queued[] = [];
  private readonly starts: number[] = [];
  private running = 0;
  private timer: { cancel(): void } | undefined;
  private disposed = false;

  constructor(
    readonly concurrency: number,
    readonly perMinute: number,
    private readonly clock: BudgetClock = realClock,
  ) {}

  /** Tasks waiting to start. */
  get pending(): number {
    return this.queue.length;
  }

  /** Tasks started in the last minute. */
  get usedThisMinute(): number {
    this.prune();
    return this.starts.length;
  }

  /**
   * Queues `run`. Resolves true once it has finished, false when it was dropped (no longer
   * wanted, or the budget was disposed). `run`'s own errors are its business: catch them there.
   */
  schedule(run: () => Promise<void>, stillWanted: () => boolean = () => true): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      this.queue.push({ run, stillWanted, resolve });
      this.pump();
    });
  }

  /** Drops every queued task that is no longer wanted. */
  sweep(): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const q = this.queue[i]!;
      if (!q.stillWanted()) {
        this.queue.splice(i, 1);
        q.resolve(false);
      }
    }
  }

  private prune(): void {
    const cutoff = this.clock.now() - 60_000;
    while (this.starts.length > 0 && this.starts[0]! <= cutoff) this.starts.shift();
  }

  private pump(): void {
    if (this.disposed) return;
    this.prune();
    while (this.running < this.concurrency && this.queue.length > 0) {
      if (this.starts.length >= this.perMinute) {
        // Wake when the oldest start leaves the window.
        if (!this.timer) {
          const wait = this.starts[0]! + 60_000 - this.clock.now() + 1;
          this.timer = this.clock.setTimer(
            () => {
              this.timer = undefined;
              this.pump();
            },
            Math.max(1, wait),
          );
        }
        return;
      }
      const next = this.queue.shift()!;
      if (!next.stillWanted()) {
        next.resolve(false);
        continue;
      }
      this.running++;
      this.starts.push(this.clock.now());
      void next
        .run()
        .catch(() => undefined)
        .then(() => {
          this.running--;
          next.resolve(true);
          this.pump();
        });
    }
  }

  /** Drops the queue; running tasks finish on their own. */
  dispose(): void {
    this.disposed = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (const q of this.queue.splice(0)) q.resolve(false);
  }
}
