import * as vscode from 'vscode';
import type { DecodedTrace } from '../core/decode';
import { summarize, type TraceSummary } from '../core/analysis';
import { createBackend, type BackendConfig, type TraceBackend } from '../core/backends';
import { describeError } from './errors';
import type { Config } from './config';
import type { Credentials } from './credentials';

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
 * Fetches traces from the configured backend and keeps the last few summarised, so a hover
 * followed by "Open Trace" costs one request. Concurrent loads of one ID share one fetch.
 */
export class TraceService implements vscode.Disposable {
  private backend: Promise<{ backend: TraceBackend; config: BackendConfig }> | undefined;
  private readonly cache = new Map<string, LoadedTrace>();
  private readonly inflight = new Map<string, Promise<LoadedTrace>>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly loadedEmitter = new vscode.EventEmitter<string>();
  /** Fires with the trace ID after a trace was fetched. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    private readonly config: Config,
    private readonly credentials: Credentials,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const reset = () => {
      this.backend = undefined;
      this.cache.clear();
    };
    this.subscriptions = [config.onDidChange(reset), credentials.onDidChange(reset)];
  }

  /** The current backend, built from settings and secrets on first use after a change. */
  getBackend(): Promise<{ backend: TraceBackend; config: BackendConfig }> {
    this.backend ??= (async () => {
      const { config, problems } = this.config.backend;
      for (const p of problems) this.log.warn(`settings: ${p}`);
      const secrets = await this.credentials.get(config);
      const backend = createBackend(config, secrets, {
        readFile: async (path) => new Uint8Array(await vscode.workspace.fs.readFile(vscode.Uri.file(path))),
      });
      return { backend, config };
    })();
    // A failed build (bad settings) is not kept, so fixing the setting is enough.
    this.backend.catch(() => (this.backend = undefined));
    return this.backend;
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
  async load(traceId: string, signal?: AbortSignal, fresh = false): Promise<LoadedTrace> {
    const cached = this.cache.get(traceId);
    if (cached && !fresh) {
      // Refresh its place in the LRU order.
      this.cache.delete(traceId);
      this.cache.set(traceId, cached);
      return cached;
    }
    let pending = this.inflight.get(traceId);
    if (!pending) {
      pending = this.fetch(traceId, fresh).finally(() => this.inflight.delete(traceId));
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

  private async fetch(traceId: string, fresh: boolean): Promise<LoadedTrace> {
    const started = Date.now();
    try {
      const { backend } = await this.getBackend();
      const result = await backend.getTrace(traceId, fresh ? { noCache: true } : {});
      const summary = summarize(result.decoded.model);
      const loaded: LoadedTrace = {
        decoded: result.decoded,
        summary,
        backendName: backend.name,
        ...(result.partial
          ? { partialMessage: result.message ?? 'the backend returned a partial trace' }
          : {}),
      };
      this.cache.set(traceId, loaded);
      while (this.cache.size > CACHE_SIZE) {
        const oldest = this.cache.keys().next().value;
        if (oldest === undefined) break;
        this.cache.delete(oldest);
      }
      this.loadedEmitter.fire(traceId);
      this.log.info(
        `trace ${traceId}: ${summary.spanCount} spans from ${backend.name}${result.route ? ` (${result.route})` : ''} in ${Date.now() - started} ms`,
      );
      return loaded;
    } catch (err) {
      const message = describeError(err);
      this.log.warn(`trace ${traceId}: ${message}`);
      throw new Error(message, { cause: err });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.loadedEmitter.dispose();
    this.cache.clear();
  }
}
