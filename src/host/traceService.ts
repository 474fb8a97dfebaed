import * as vscode from 'vscode';
import type { DecodedTrace } from '../core/model';
import { summarize, type TraceSummary } from '../core/analysis';
import { TempoClient } from '../core/backends/tempo/client';
import { describeError } from './errors';
import type { Config } from './config';

/** A fetched trace with what the hover, the panel and the views need. */
export interface LoadedTrace {
  decoded: DecodedTrace;
  summary: TraceSummary;
  backendName: string;
  /** Tempo's message when the trace is PARTIAL. */
  partialMessage?: string;
}

const CACHE_SIZE = 16;

/**
 * Fetches traces from the configured backend and keeps the last few, so a hover followed by
 * "Open Trace" costs one request. Concurrent loads of one ID share one fetch.
 */
export class TraceService implements vscode.Disposable {
  private client: TempoClient | undefined;
  private readonly cache = new Map<string, LoadedTrace>();
  private readonly inflight = new Map<string, Promise<LoadedTrace>>();
  private readonly subscription: vscode.Disposable;
  private readonly loadedEmitter = new vscode.EventEmitter<string>();
  /** Fires with the trace ID after a trace was fetched. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    private readonly config: Config,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = config.onDidChange(() => {
      this.client = undefined;
      this.cache.clear();
    });
  }

  /** Display name of the current backend, e.g. "Tempo 127.0.0.1:3200". */
  get backendName(): string {
    try {
      const u = new URL(this.config.tempoUrl);
      return `Tempo ${u.host}${u.pathname === '/' ? '' : u.pathname}`;
    } catch {
      return 'Tempo';
    }
  }

  private getClient(): TempoClient {
    this.client ??= new TempoClient({ baseUrl: this.config.tempoUrl, timeoutMs: this.config.timeoutMs });
    return this.client;
  }

  /** The cached trace, if it was loaded recently. */
  peek(traceId: string): LoadedTrace | undefined {
    return this.cache.get(traceId);
  }

  /** Drops a trace from the cache so the next load fetches it again. */
  invalidate(traceId: string): void {
    this.cache.delete(traceId);
  }

  /**
   * Loads a trace. Rejects with an Error whose message is one sentence for a person.
   * `signal` cancels this caller's wait; a shared fetch keeps going for the other callers.
   */
  async load(traceId: string, signal?: AbortSignal): Promise<LoadedTrace> {
    const cached = this.cache.get(traceId);
    if (cached) {
      // Refresh its place in the LRU order.
      this.cache.delete(traceId);
      this.cache.set(traceId, cached);
      return cached;
    }
    let pending = this.inflight.get(traceId);
    if (!pending) {
      pending = this.fetch(traceId).finally(() => this.inflight.delete(traceId));
      this.inflight.set(traceId, pending);
    }
    if (!signal) return pending;
    return new Promise<LoadedTrace>((resolve, reject) => {
      if (signal.aborted) return reject(new vscode.CancellationError());
      const onAbort = () => reject(new vscode.CancellationError());
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async fetch(traceId: string): Promise<LoadedTrace> {
    const started = Date.now();
    const backendName = this.backendName;
    try {
      const result = await this.getClient().getTrace(traceId);
      const summary = summarize(result.decoded.model);
      const loaded: LoadedTrace = {
        decoded: result.decoded,
        summary,
        backendName,
        ...(result.partial ? { partialMessage: result.message ?? 'Tempo returned a partial trace.' } : {}),
      };
      this.cache.set(traceId, loaded);
      while (this.cache.size > CACHE_SIZE) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
      this.loadedEmitter.fire(traceId);
      this.log.info(
        `trace ${traceId}: ${summary.spanCount} spans from ${backendName} (${result.route}) in ${Date.now() - started} ms`,
      );
      return loaded;
    } catch (err) {
      const message = describeError(err);
      this.log.warn(`trace ${traceId}: ${message}`);
      throw new Error(message, { cause: err });
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.loadedEmitter.dispose();
    this.cache.clear();
  }
}
