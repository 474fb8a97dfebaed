/**
 * Polls with a deadline, the tempo tier's only way to wait: Tempo makes data visible to search
 * and metrics seconds after ingest (and 30 s later with its 3.0 defaults). Test-only code.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Options for `pollUntil`. */
export interface PollOptions {
  /** Give up after this long. */
  deadlineMs: number;
  /** Pause between attempts. Default 500. */
  intervalMs?: number;
  /** An error that ends the polling at once (instead of being retried). */
  stopOn?: (err: unknown) => boolean;
}

/**
 * Calls `attempt` until it returns something other than `undefined`/`false`, and returns that.
 * Errors count as "not yet" (the last one is reported) unless `stopOn` says otherwise. On the
 * deadline it throws, naming `what` and the last answer or error.
 */
export async function pollUntil<T>(
  what: string,
  attempt: () => Promise<T | undefined | false>,
  options: PollOptions,
): Promise<T> {
  const started = Date.now();
  const interval = options.intervalMs ?? 500;
  let last = 'no attempt finished';
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined && value !== false) return value;
      last = `the last attempt answered ${String(value)}`;
    } catch (err) {
      if (options.stopOn?.(err)) throw err;
      last = `the last attempt failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (Date.now() - started + interval > options.deadlineMs) {
      throw new Error(
        `gave up after ${Math.round((Date.now() - started) / 1000)} s waiting for ${what}; ${last}`,
      );
    }
    await sleep(interval);
  }
}
