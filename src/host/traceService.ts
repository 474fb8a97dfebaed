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
  /** `TraceService.load` with this scope's signal; `backend` names the backend to ask (see `load`). */
  load(traceId: string, fresh?: boolean, backend?: string): Promise<LoadedTrace>;
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
  /** The other entries of `traceLens.backends`, built on first use after a change: a lookup by ID tries them in turn. */
  private others: Promise<TraceBackend[]> | undefined;
  /** What `others` resolved to, for `peek` and `invalidate`. */
  private otherBackends: TraceBackend[] = [];
  /** The summary of each result the backend handed out; weak, so it lives as long as the cache holds the result. */
  private readonly summaries = new WeakMap<TraceResult, LoadedTrace>();
  /** Failures already logged: callers sharing one fetch share its error, logged once. */
  private readonly logged = new WeakSet<object>();
  /** Backends other than the default, built on first use by name (a comparison across backends). */
  private readonly named = new Map<string, Promise<{ backend: TraceBackend; config: BackendConfig }>>();
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
      this.named.clear();
      this.others = undefined;
      this.otherBackends = [];
    };
    this.subscriptions = [config.onDidChange(reset), credentials.onDidChange(reset)];
  }

  /** The current backend, built from settings and secrets on first use after a change. */
  getBackend(): Promise<{ backend: TraceBackend; config: BackendConfig }> {
    if (this.backend) return this.backend;
    const building = (async () => {
      const { config, problems } = this.config.backend;
      for (const p of problems) this.log.warn(`settings: ${p}`);
      return { backend: await this.build(config), config };
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

  private async build(config: BackendConfig): Promise<TraceBackend> {
    const secrets = await this.credentials.get(config);
    return createBackend(config, secrets, {
      readFile: async (path) => new Uint8Array(await vscode.workspace.fs.readFile(vscode.Uri.file(path))),
    });
  }

  /** The configured backends other than the default, in settings order (those that build). */
  private otherConfigured(defaultName: string): Promise<TraceBackend[]> {
    if (this.others) return this.others;
    const timeoutMs = this.config.timeoutMs;
    const building = (async () => {
      const built: TraceBackend[] = [];
      for (const config of this.config.backends) {
        if (config.name === defaultName) continue;
        try {
          built.push(await this.build({ ...config, timeoutMs }));
        } catch (err) {
          this.log.warn(`settings: backend "${config.name}" is not used: ${describeError(err)}`);
        }
      }
      return built;
    })();
    this.others = building;
    void building.then((built) => {
      if (this.others === building) this.otherBackends = built;
    });
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

  /** Whether `backend` is the local store (this window's or the one another window serves). */
  isLocal(backend: TraceBackend): boolean {
    return backend === this.local?.backend();
  }

  /** The local store's backend name while something serves it (a trace reference names it). */
  localBackendName(): string | undefined {
    return this.local?.backend()?.name;
  }

  /** The trace, if it was loaded and a backend's cache still holds it; fetches nothing. */
  peek(traceId: string): LoadedTrace | undefined {
    for (const backend of [this.local?.backend(), this.current, ...this.otherBackends]) {
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
    for (const b of this.otherBackends) b.clearCache?.(traceId);
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
   * The entry of `traceLens.backends` named `name`, built once per settings change; the default
   * backend when it is the one named.
   */
  private backendNamed(name: string): Promise<{ backend: TraceBackend; config: BackendConfig }> {
    if (this.config.backend.config.name === name) return this.getBackend();
    let building = this.named.get(name);
    if (building) return building;
    building = (async () => {
      const entry = this.config.backends.find((b) => b.name === name);
      if (!entry) {
        throw new Error(
          vscode.l10n.t(
            'No backend named “{0}” in traceLens.backends: add it there, or open the trace from the default backend.',
            name.slice(0, 80),
          ),
        );
      }
      const config: BackendConfig = { ...entry, timeoutMs: this.config.timeoutMs };
      const secrets = await this.credentials.get(config);
      const backend = createBackend(config, secrets, {
        readFile: async (path) => new Uint8Array(await vscode.workspace.fs.readFile(vscode.Uri.file(path))),
      });
      return { backend, config };
    })();
    this.named.set(name, building);
    building.catch(() => {
      if (this.named.get(name) === building) this.named.delete(name);
    });
    return building;
  }

  /**
   * Loads a trace from the backend named `backendName` only: the local store when it is the
   * store's name, else that entry of `traceLens.backends` (so a comparison can hold a local trace
   * and a Tempo one). Errors as `load`.
   */
  private async loadFrom(
    traceId: string,
    backendName: string,
    signal: AbortSignal | undefined,
    fresh: boolean,
  ): Promise<LoadedTrace> {
    const started = Date.now();
    const local = this.local?.backend();
    if (local && local.name === backendName) {
      const found = await this.loadLocal(traceId, signal, fresh, started);
      if (found && found !== 'missing') return found;
      throw new Error(
        found === 'missing'
          ? vscode.l10n.t('The local store has no trace {0}.', traceId)
          : vscode.l10n.t('The local store did not answer; see the Trace Lens log.'),
      );
    }
    try {
      const { backend, config } = await this.backendNamed(backendName);
      return await this.fetchFrom(traceId, backend, config, signal, fresh, started);
    } catch (err) {
      if (signal?.aborted) throw new vscode.CancellationError();
      const message = describeError(err);
      if (this.firstReport(err)) this.log.warn(`trace ${traceId} from ${backendName}: ${message}`);
      throw new Error(message, { cause: err });
    }
  }

  private async fetchFrom(
    traceId: string,
    backend: TraceBackend,
    config: BackendConfig,
    signal: AbortSignal | undefined,
    fresh: boolean,
    started: number,
  ): Promise<LoadedTrace> {
    const result = await backend.getTrace(traceId, {
      ...(signal ? { signal } : {}),
      ...(fresh ? { noCache: true } : {}),
    });
    return this.summaryOf(traceId, result, backend, started, sourceLabel(backend.name, config));
  }

  /**
   * Loads a trace. Rejects with an Error whose message is one sentence for a person, or with a
   * `CancellationError` once `signal` aborts: the fetch stops unless another caller waits for it.
   * With `backendName`, only that backend is asked (see `loadFrom`); without, the local store
   * first, then the default backend.
   */
  async load(
    traceId: string,
    signal?: AbortSignal,
    fresh = false,
    backendName?: string,
  ): Promise<LoadedTrace> {
    if (signal?.aborted) throw new vscode.CancellationError();
    if (backendName !== undefined) return this.loadFrom(traceId, backendName, signal, fresh);
    const started = Date.now();
    const local = await this.loadLocal(traceId, signal, fresh, started);
    if (local && local !== 'missing') return local;
    let defaultName = '';
    try {
      const { backend, config } = await this.getBackend();
      defaultName = backend.name;
      return await this.fetchFrom(traceId, backend, config, signal, fresh, started);
    } catch (err) {
      if (signal?.aborted) throw new vscode.CancellationError();
      // Not in the default backend (or it is down): the other configured backends, in order.
      const found = defaultName
        ? await this.loadElsewhere(traceId, defaultName, signal, fresh, started)
        : undefined;
      if (found) return found;
      // The person may not run any backend (the local store is their only one): say where we looked.
      // Where the URL came from, so the right settings scope gets fixed.
      const described = isBackendError(err, 'not-found')
        ? describeError(err)
        : `${describeError(err)} ${originNote(this.config)}`;
      const elsewhere = this.otherBackends.map((b) => b.name);
      const everywhere = elsewhere.length
        ? vscode.l10n.t('{0} Not in {1} either.', described, elsewhere.join(', '))
        : described;
      const message =
        local === 'missing' ? vscode.l10n.t('Not in the local store. {0}', everywhere) : everywhere;
      if (this.firstReport(err)) this.log.warn(`trace ${traceId}: ${message}`);
      throw new Error(message, { cause: err });
    }
  }

  /** The trace from the first other configured backend that has it; undefined when none does. */
  private async loadElsewhere(
    traceId: string,
    defaultName: string,
    signal: AbortSignal | undefined,
    fresh: boolean,
    started: number,
  ): Promise<LoadedTrace | undefined> {
    const configs = this.config.backends;
    for (const backend of await this.otherConfigured(defaultName)) {
      if (signal?.aborted) throw new vscode.CancellationError();
      try {
        const result = await backend.getTrace(traceId, {
          ...(signal ? { signal } : {}),
          ...(fresh ? { noCache: true } : {}),
        });
        const config = configs.find((c) => c.name === backend.name);
        this.log.info(`trace ${traceId}: not in ${defaultName}; found in ${backend.name}`);
        return this.summaryOf(
          traceId,
          result,
          backend,
          started,
          vscode.l10n.t(
            '{0} (not in {1})',
            config ? sourceLabel(backend.name, config) : vscode.l10n.t('from {0}', backend.name),
            defaultName,
          ),
        );
      } catch (err) {
        if (signal?.aborted) throw new vscode.CancellationError();
        if (!isBackendError(err, 'not-found') && this.firstReport(err))
          this.log.info(`trace ${traceId}: ${backend.name} did not answer (${describeError(err)})`);
      }
    }
    return undefined;
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
      load: (traceId, fresh = false, backend) => this.load(traceId, controller.signal, fresh, backend),
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

/** "from Tempo at 127.0.0.1:3200" (localized), for the hover. */
function sourceLabel(name: string, config: BackendConfig): string {
  const where = backendWhere(config);
  return where ? vscode.l10n.t('from {0} at {1}', name, where) : vscode.l10n.t('from {0}', name);
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
