import * as vscode from 'vscode';
import type { DecodedTrace } from '../core/decode';
import { summarize, type TraceSummary } from '../core/analysis';
import {
  createBackend,
  isBackendError,
  type BackendConfig,
  type TraceBackend,
  type TraceResult,
} from '../core/backends';
import { describeError } from './errors';
import { originNote } from './backendSettings';
import type { Config } from './config';
import type { Credentials } from './credentials';

/** A fetched trace with what the hover, the panel and the views need. */
export interface LoadedTrace {
  decoded: DecodedTrace;
  summary: TraceSummary;
  backendName: string;
  /** True when the local store answered, false when a configured backend did. */
  fromLocalStore: boolean;
  /** Which answered, for the hover: "from the local store", "from Tempo at 127.0.0.1:3200" (localized). */
  sourceLabel: string;
  /** Tempo's message when the trace is PARTIAL. */
  partialMessage?: string;
}

/**
 * The local store as `TraceService` sees it (`host/local/receiver.ts` provides it): asked first
 * for a trace by ID, and by Search and CodeLens when it holds traces and the person chose no
 * backend, or chose it.
 */
export interface LocalTraces {
  /** The local store's backend while something serves it; undefined when the receiver is off. */
  backend(): TraceBackend | undefined;
  /** Whether it holds any trace. */
  holdsTraces(): boolean;
  /** Where Search and CodeLens look: chosen by the person, or `auto`. */
  queryChoice(): 'local' | 'configured' | 'auto';
}

/**
 * Loads that end together: a trace panel holds one and disposes it when it closes, which
 * cancels its fetch (the request stops once no other caller waits for it).
 */
export interface TraceLoads extends vscode.Disposable {
  /** `TraceService.load` with this scope's signal. */
  load(traceId: string, fresh?: boolean): Promise<LoadedTrace>;
}

/**
 * Loads traces: from the local store first (it answers at once, or says it has no such trace),
 * then from the configured backend. The backend's fetch cache is the only cache: it keeps
 * recent traces within its byte budget and shares concurrent fetches of one trace, so a hover
 * followed by "Open Trace" costs one request. This service only adds the summary, computed once
 * per fetched trace and dropped with it.
 */
export class TraceService implements vscode.Disposable {
  private backend: Promise<{ backend: TraceBackend; config: BackendConfig }> | undefined;
  /** The backend `backend` resolved to, for `peek`. */
  private current: TraceBackend | undefined;
  /** The summary of each result the backend handed out; weak, so it lives as long as the cache holds the result. */
  private readonly summaries = new WeakMap<TraceResult, LoadedTrace>();
  /** Failures already logged: callers sharing one fetch share its error, logged once. */
  private readonly logged = new WeakSet<object>();
  private readonly subscriptions: vscode.Disposable[];
  private readonly loadedEmitter = new vscode.EventEmitter<string>();
  /** Fires with the trace ID after a trace was fetched. */
  readonly onDidLoad = this.loadedEmitter.event;

  constructor(
    private readonly config: Config,
    private readonly credentials: Credentials,
    private readonly log: vscode.LogOutputChannel,
    private readonly local?: LocalTraces,
  ) {
    // A new backend starts with an empty cache.
    const reset = () => {
      this.backend = undefined;
      this.current = undefined;
    };
    this.subscriptions = [config.onDidChange(reset), credentials.onDidChange(reset)];
  }

  /** The current backend, built from settings and secrets on first use after a change. */
  getBackend(): Promise<{ backend: TraceBackend; config: BackendConfig }> {
    if (this.backend) return this.backend;
    const building = (async () => {
      const { config, problems } = this.config.backend;
      for (const p of problems) this.log.warn(`settings: ${p}`);
      const secrets = await this.credentials.get(config);
      const backend = createBackend(config, secrets, {
        readFile: async (path) => new Uint8Array(await vscode.workspace.fs.readFile(vscode.Uri.file(path))),
      });
      return { backend, config };
    })();
    this.backend = building;
    building.then(
      ({ backend }) => {
        if (this.backend === building) this.current = backend;
      },
      // A failed build (bad settings) is not kept, so fixing the setting is enough.
      () => {
        if (this.backend === building) this.backend = undefined;
      },
    );
    return building;
  }

  /**
   * The backend Search and CodeLens ask: the local store when the person chose it, or when they
   * chose nothing (no `traceLens.backends`, no Tempo URL of their own) and it holds traces;
   * otherwise the configured backend.
   */
  async queryBackend(): Promise<TraceBackend> {
    const local = this.local?.backend();
    const choice = this.local?.queryChoice() ?? 'auto';
    if (
      local &&
      (choice === 'local' || (choice === 'auto' && !this.config.backendChosen && this.local!.holdsTraces()))
    )
      return local;
    return (await this.getBackend()).backend;
  }

  /** The trace, if it was loaded and a backend's cache still holds it; fetches nothing. */
  peek(traceId: string): LoadedTrace | undefined {
    for (const backend of [this.local?.backend(), this.current]) {
      const result = backend?.cachedTrace?.(traceId);
      const loaded = result && this.summaries.get(result);
      if (loaded) return loaded;
    }
    return undefined;
  }

  /** Drops a trace from the caches so the next load fetches it again. */
  invalidate(traceId: string): void {
    this.local?.backend()?.clearCache?.(traceId);
    this.current?.clearCache?.(traceId);
  }

  /**
   * The trace from the local store; `missing` when it has no such trace, undefined when it is off
   * or cannot answer (then the configured backend is asked). Throws only a `CancellationError`.
   */
  private async loadLocal(
    traceId: string,
    signal: AbortSignal | undefined,
    fresh: boolean,
    started: number,
  ): Promise<LoadedTrace | 'missing' | undefined> {
    const local = this.local?.backend();
    if (!local) return undefined;
    try {
      const result = await local.getTrace(traceId, {
        ...(signal ? { signal } : {}),
        ...(fresh ? { noCache: true } : {}),
      });
      return this.summaryOf(traceId, result, local, started, vscode.l10n.t('from the local store'), true);
    } catch (err) {
      if (signal?.aborted) throw new vscode.CancellationError();
      if (isBackendError(err, 'not-found')) return 'missing';
      if (this.firstReport(err))
        this.log.info(
          `trace ${traceId}: the local store did not answer (${describeError(err)}); asking the backend`,
        );
      return undefined;
    }
  }

  /**
   * Loads a trace. Rejects with an Error whose message is one sentence for a person, or with a
   * `CancellationError` once `signal` aborts: the fetch stops unless another caller waits for it.
   */
  async load(traceId: string, signal?: AbortSignal, fresh = false): Promise<LoadedTrace> {
    if (signal?.aborted) throw new vscode.CancellationError();
    const started = Date.now();
    const local = await this.loadLocal(traceId, signal, fresh, started);
    if (local && local !== 'missing') return local;
    try {
      const { backend, config } = await this.getBackend();
      const where = backendWhere(config);
      const result = await backend.getTrace(traceId, {
        ...(signal ? { signal } : {}),
        ...(fresh ? { noCache: true } : {}),
      });
      const label = where
        ? vscode.l10n.t('from {0} at {1}', backend.name, where)
        : vscode.l10n.t('from {0}', backend.name);
      return this.summaryOf(traceId, result, backend, started, label);
    } catch (err) {
      if (signal?.aborted) throw new vscode.CancellationError();
      // The person may not run any backend (the local store is their only one): say where we looked.
      // Where the URL came from, so the right settings scope gets fixed.
      const described = isBackendError(err, 'not-found')
        ? describeError(err)
        : `${describeError(err)} ${originNote(this.config)}`;
      const message =
        local === 'missing' ? vscode.l10n.t('Not in the local store. {0}', described) : described;
      if (this.firstReport(err)) this.log.warn(`trace ${traceId}: ${message}`);
      throw new Error(message, { cause: err });
    }
  }

  /** False when `err` was seen before: callers that shared a fetch get one error, logged once. */
  private firstReport(err: unknown): boolean {
    if (typeof err !== 'object' || err === null) return true;
    if (this.logged.has(err)) return false;
    this.logged.add(err);
    return true;
  }

  /** A scope of loads that `dispose` cancels (a trace panel's). */
  scope(): TraceLoads {
    const controller = new AbortController();
    return {
      load: (traceId, fresh = false) => this.load(traceId, controller.signal, fresh),
      dispose: () => controller.abort(),
    };
  }

  /** The loaded trace for a result: summarised the first time, when it was fetched. */
  private summaryOf(
    traceId: string,
    result: TraceResult,
    backend: TraceBackend,
    started: number,
    sourceLabel: string,
    fromLocalStore = false,
  ): LoadedTrace {
    const known = this.summaries.get(result);
    if (known) return known;
    const summary = summarize(result.decoded.model);
    const loaded: LoadedTrace = {
      decoded: result.decoded,
      summary,
      backendName: backend.name,
      fromLocalStore,
      sourceLabel,
      ...(result.partial ? { partialMessage: result.message ?? 'the backend returned a partial trace' } : {}),
    };
    this.summaries.set(result, loaded);
    this.loadedEmitter.fire(traceId);
    this.log.info(
      `trace ${traceId}: ${summary.spanCount} spans from ${backend.name}${result.route ? ` (${result.route})` : ''} in ${Date.now() - started} ms`,
    );
    return loaded;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.loadedEmitter.dispose();
    this.backend = undefined;
    this.current = undefined;
  }
}

/** Where a configured backend is, for people: `host[:port][/path]`, no credentials; none for files. */
function backendWhere(config: BackendConfig): string | undefined {
  if (config.kind === 'file') return undefined;
  try {
    const u = new URL(config.url);
    const path = u.pathname.replace(/\/+$/, '');
    return `${u.host}${path}`;
  } catch {
    return undefined;
  }
}
