import * as vscode from 'vscode';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { TempoClient, type TraceBackend } from '../../core/backends';
import type { ReceiverSettings, ReceiverView } from '../../core/local';
import {
  recentTraces,
  startReceiver,
  traceLogs,
  type StoredLog,
  type GrpcModule,
  type Receiver,
  type ReceiverStatus,
  type StoreStats,
  type TraceSummary,
} from '../../core/store';
import { notices } from '../../core/notices';
import { TRACE_ID_HEX } from '../../shared/traceId';
import type { Config } from '../config';
import * as notify from '../notify';

/** How often the view of the store is refreshed while spans arrive (and a reader polls). */
const REFRESH_MS = 1000;
const READER_POLL_MS = 2000;
/** The local store answers at once or not at all: a short deadline, then the configured backend. */
const LOCAL_TIMEOUT_MS = 3000;

/**
 * The extension's local receiver: the core's `startReceiver` over a store folder under the
 * extension's global storage, shared by every window. The first window to start owns it (OTLP
 * over HTTP and gRPC, the query API); the others read through the owner's query API and take
 * over when it closes (the core does that; this class follows its status).
 *
 * It starts after activation, never during it, and loads the gRPC bundle (`dist/grpc.js`) only
 * then. It restarts when its settings change, and stops when `traceLens.receiver.enabled` is off.
 */
export class LocalReceiver implements vscode.Disposable {
  private receiver: Receiver | undefined;
  private phase: ReceiverView['phase'] = 'off';
  private error: string | undefined;
  private statsValue: StoreStats | undefined;
  private running: ReceiverSettings | undefined;
  private client: { url: string; backend: TempoClient } | undefined;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void)[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private disposed = false;
  /** The role last seen, to log a takeover. */
  private roleSeen: ReceiverStatus['role'] | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly received = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Fires when the phase, role, ports, problems or figures change. */
  readonly onDidChange = this.changed.event;
  /** Fires (at most once a second) after spans or logs arrived, here or in the owning window. */
  readonly onDidReceive = this.received.event;

  constructor(
    readonly storeDir: string,
    private readonly grpcBundle: string,
    private readonly config: Config,
    private readonly log: vscode.LogOutputChannel,
    private readonly version: string,
  ) {
    this.subscriptions.push(
      config.onDidChange(() => {
        if (this.disposed) return;
        const { settings } = this.config.receiver;
        if (!settings.enabled) {
          if (this.phase !== 'off') this.stop();
        } else if (
          this.phase === 'off' ||
          this.phase === 'failed' ||
          changedListening(this.running, settings)
        ) {
          this.restart();
        }
      }),
    );
  }

  /** The receiver's status from the core, while it runs. */
  get status(): ReceiverStatus | undefined {
    return this.receiver?.status;
  }

  /** The OTLP/HTTP endpoint of whoever receives (this window or the owner), when it listens. */
  get otlpHttpUrl(): string | undefined {
    return this.receiver?.status.otlpHttpUrl;
  }

  /** The OTLP/gRPC endpoint, when this window listens for gRPC. */
  get otlpGrpcUrl(): string | undefined {
    const s = this.receiver?.status;
    if (s?.grpcPort === undefined || !s.otlpHttpUrl) return undefined;
    const url = new URL(s.otlpHttpUrl);
    url.port = String(s.grpcPort);
    return url.origin;
  }

  /** Everything the status bar item shows. */
  view(): ReceiverView {
    const s = this.receiver?.status;
    const wanted = this.running ?? this.config.receiver.settings;
    return {
      phase: this.phase,
      wantedHttpPort: wanted.httpPort,
      ...(s
        ? {
            role: s.role,
            problems: s.problems,
            ...(s.httpPort !== undefined ? { httpPort: s.httpPort } : {}),
            ...(s.grpcPort !== undefined ? { grpcPort: s.grpcPort } : {}),
            ...(s.queryUrl ? { queryUrl: s.queryUrl } : {}),
            ...(s.otlpHttpUrl ? { otlpHttpUrl: s.otlpHttpUrl } : {}),
            ...(s.writerPid !== undefined ? { writerPid: s.writerPid } : {}),
          }
        : {}),
      ...(this.statsValue ? { stats: { traces: this.statsValue.traces, spans: this.statsValue.spans } } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** The store's figures, as last read. */
  get stats(): StoreStats | undefined {
    return this.statsValue;
  }

  /** Whether the store holds any trace (as last read). */
  holdsTraces(): boolean {
    return (this.statsValue?.traces ?? 0) > 0;
  }

  /**
   * The local store as a trace backend: the query API speaks Tempo's HTTP API, so it is a Tempo
   * client of this window's (or the owner's) query URL. Undefined while nothing serves the store.
   */
  backend(): TraceBackend | undefined {
    const url = this.receiver?.status.queryUrl;
    if (!url) return undefined;
    if (this.client?.url !== url) {
      this.client = {
        url,
        backend: new TempoClient({
          baseUrl: url,
          name: vscode.l10n.t('local store'),
          timeoutMs: LOCAL_TIMEOUT_MS,
          maxRetries: 0,
          cacheMaxBytes: 16 * 1024 * 1024,
          // The store leaves nothing recent out of search and metrics, unlike Tempo 3.0.
          recentCutoffMs: 0,
          wording: { product: 'the local store', urlSetting: 'traceLens.receiver.queryPort' },
        }),
      };
    }
    return this.client.backend;
  }

  /** The traces that arrived last, newest first (the Live view). */
  async recent(limit: number): Promise<TraceSummary[]> {
    const r = this.receiver;
    if (!r) return [];
    if (r.store) return recentTraces(r.store, limit);
    const url = r.status.queryUrl;
    if (!url) return [];
    const res = await fetch(`${url}/api/trace-lens/recent?limit=${limit}`, {
      signal: AbortSignal.timeout(LOCAL_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`GET /api/trace-lens/recent → ${res.status}`);
    const body = (await res.json()) as { traces?: unknown };
    // Another window's answer: keep the entries that have the shape the Live view reads.
    return Array.isArray(body.traces) ? body.traces.filter(isSummary) : [];
  }

  /**
   * The store's OTLP log records of span `spanId` of trace `traceId`, oldest first (through the
   * owner's query API when another window owns the store); [] while nothing serves the store.
   */
  async logs(traceId: string, spanId: string): Promise<StoredLog[]> {
    const r = this.receiver;
    if (!r) return [];
    if (r.store) return traceLogs(r.store, traceId, spanId);
    const url = r.status.queryUrl;
    if (!url) return [];
    const q = new URLSearchParams({ traceId, spanId });
    const res = await fetch(`${url}/api/trace-lens/logs?${q}`, {
      signal: AbortSignal.timeout(LOCAL_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`GET /api/trace-lens/logs → ${res.status}`);
    const body = (await res.json()) as { logs?: unknown };
    // Another window's answer: keep the records that have the shape the Logs section reads.
    return Array.isArray(body.logs) ? body.logs.filter(isStoredLog) : [];
  }

  /** Deletes every stored trace and log (through the owner when another window owns the store). */
  async clear(): Promise<void> {
    const r = this.receiver;
    if (!r) throw new Error(vscode.l10n.t('the receiver is off'));
    await r.clear();
    this.client?.backend.clearCache();
    await this.refreshStats();
    this.received.fire();
  }

  /** Starts the receiver (after activation: the caller does not wait for the store to open). */
  start(): void {
    this.enqueue(() => this.doStart());
  }

  /** Stops it: closes the store and releases the lock, so another window can take over. */
  stop(): void {
    this.enqueue(() => this.doStop());
  }

  private restart(): void {
    this.enqueue(async () => {
      await this.doStop();
      await this.doStart();
    });
  }

  /** Resolves once every start and stop asked for so far is done (for the tests and `deactivate`). */
  settled(): Promise<void> {
    return this.queue;
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.log.error(`receiver: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async doStart(): Promise<void> {
    if (this.disposed || this.receiver) return;
    const { settings, problems } = this.config.receiver;
    for (const p of problems) this.log.warn(`settings: ${p}`);
    if (!settings.enabled) {
      this.setPhase('off');
      return;
    }
    this.setPhase('starting');
    this.running = settings;
    const started = Date.now();
    try {
      const receiver = await startReceiver({
        storeDir: this.storeDir,
        httpPort: settings.httpPort,
        grpcPort: settings.grpcPort,
        queryPort: settings.queryPort,
        bind: settings.bind,
        loadGrpc: () => this.loadGrpc(),
        version: `trace-lens ${this.version}`,
        log: (m) => this.log.info(`receiver: ${m}`),
      });
      if (this.disposed) {
        await receiver.close();
        return;
      }
      this.receiver = receiver;
      this.error = undefined;
      this.unsubscribe = [
        receiver.onDidChangeStatus((s) => this.onStatus(s)),
        receiver.onDidReceive(() => this.refreshSoon()),
      ];
      const s = receiver.status;
      if (s.role === 'writer' && !isLoopback(settings.bind))
        void notify.warn(notices.receiverExposed(settings.bind));
      this.log.info(
        s.role === 'writer'
          ? `receiver: receiving OTLP on ${s.otlpHttpUrl ?? '(no HTTP port)'}${s.grpcPort !== undefined ? ` and gRPC port ${s.grpcPort}` : ''}; Tempo API on ${s.queryUrl ?? '(none)'}; store ${this.storeDir} (${Date.now() - started} ms)`
          : `receiver: process ${s.writerPid ?? '?'} owns the store; reading it through ${s.queryUrl ?? '(no query API yet)'}`,
      );
      this.onStatus(s);
      this.setPhase('running');
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
      this.log.error(`receiver: cannot start on ${this.storeDir}: ${this.error}`);
      this.setPhase('failed');
    }
  }

  private async doStop(): Promise<void> {
    const r = this.receiver;
    this.receiver = undefined;
    this.running = undefined;
    for (const u of this.unsubscribe.splice(0)) u();
    this.roleSeen = undefined;
    this.stopPolling();
    this.client = undefined;
    this.statsValue = undefined;
    if (r) {
      await r.close();
      this.log.info('receiver: stopped');
    }
    this.setPhase('off');
  }

  /** The gRPC bundle beside the extension's, loaded only now (a computed path esbuild leaves alone). */
  private loadGrpc(): GrpcModule {
    return createRequire(__filename)(this.grpcBundle) as GrpcModule;
  }

  private setPhase(phase: ReceiverView['phase']): void {
    this.phase = phase;
    this.changed.fire();
  }

  /** A change of role (taken over, or reading another window's store), ports or problems. */
  private onStatus(s: ReceiverStatus): void {
    if (this.roleSeen !== undefined && s.role !== this.roleSeen && s.role !== 'stopped')
      this.log.info(
        s.role === 'writer'
          ? `receiver: took over the store; receiving OTLP on ${s.otlpHttpUrl ?? '(no HTTP port)'}; Tempo API on ${s.queryUrl ?? '(none)'}`
          : `receiver: process ${s.writerPid ?? '?'} took over the store; reading it through ${s.queryUrl ?? '(no query API yet)'}`,
      );
    this.roleSeen = s.role;
    this.client = undefined;
    if (s.role === 'reader') this.startPolling();
    else this.stopPolling();
    void this.refreshStats().then(() => this.received.fire());
    this.changed.fire();
  }

  /** After spans arrived: at most one refresh a second. */
  private refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      // A trace may have grown: the next look at it must not come from the cache.
      this.client?.backend.clearCache();
      void this.refreshStats().then(() => this.received.fire());
    }, REFRESH_MS);
  }

  /** A reader learns of new spans by polling the owner's figures. */
  private startPolling(): void {
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      const before = this.statsValue;
      void this.refreshStats().then(() => {
        const now = this.statsValue;
        if (
          now &&
          (now.spans !== before?.spans || now.logs !== before?.logs || now.traces !== before?.traces)
        ) {
          this.client?.backend.clearCache();
          this.received.fire();
        }
      });
    }, READER_POLL_MS);
  }

  private stopPolling(): void {
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private async refreshStats(): Promise<void> {
    const r = this.receiver;
    if (!r) return;
    try {
      const stats = await r.stats();
      if (this.receiver !== r) return;
      const old = this.statsValue;
      this.statsValue = stats;
      if (!old || old.traces !== stats.traces || old.spans !== stats.spans) this.changed.fire();
    } catch (err) {
      // The owner may be closing; the next poll (or the takeover) tells.
      this.log.debug(`receiver: figures unavailable: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Stops the receiver and waits until the lock is released. */
  async close(): Promise<void> {
    this.disposed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.enqueue(() => this.doStop());
    await this.queue;
  }

  dispose(): void {
    void this.close();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.received.dispose();
  }
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function isStoredLog(v: unknown): v is StoredLog {
  if (typeof v !== 'object' || v === null) return false;
  const l = v as Record<string, unknown>;
  return (
    typeof l.timeUnixNano === 'string' &&
    typeof l.severityNumber === 'number' &&
    typeof l.body === 'string' &&
    Array.isArray(l.attributes) &&
    typeof l.service === 'string'
  );
}

function isSummary(v: unknown): v is TraceSummary {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return (
    typeof s.traceId === 'string' &&
    TRACE_ID_HEX.test(s.traceId) &&
    (s.rootName === null || typeof s.rootName === 'string') &&
    (s.rootService === null || typeof s.rootService === 'string') &&
    typeof s.startMs === 'number' &&
    typeof s.durationMs === 'number' &&
    typeof s.spanCount === 'number' &&
    typeof s.errorCount === 'number' &&
    Array.isArray(s.services) &&
    s.services.every((x) => typeof x === 'string') &&
    typeof s.serviceStats === 'object' &&
    s.serviceStats !== null
  );
}

/** Whether a settings change needs the receiver restarted (ports or address). */
function changedListening(running: ReceiverSettings | undefined, next: ReceiverSettings): boolean {
  if (!running) return false;
  return (
    running.httpPort !== next.httpPort ||
    running.grpcPort !== next.grpcPort ||
    running.queryPort !== next.queryPort ||
    running.bind !== next.bind
  );
}

/** The store folder under the extension's global storage, shared by every window. */
export function storeFolder(context: vscode.ExtensionContext): string {
  return join(context.globalStorageUri.fsPath, 'store');
}
