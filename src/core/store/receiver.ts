/**
 * `startReceiver`: the store, the OTLP receivers (HTTP and gRPC) and the query API as one
 * thing the extension host or the CLI starts and stops, with one writer per store folder.
 *
 * The first process to start on a folder becomes its writer: it opens the store, listens for
 * OTLP and serves the query API, and publishes its ports in the lock file. A process that finds
 * a live writer becomes a reader: it listens on nothing and reads through the writer's query API
 * (`status.queryUrl`). Readers watch the lock and take over within seconds when the writer
 * exits or stops answering. A port that is taken (a collector already runs on 4318) is reported
 * once in `status.problems` and the log, and the rest carries on without it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { GrpcReceiver, GrpcReceiverOptions } from '../otlp/grpcServer';
import { otlpHttpHandler, type OtlpSink } from '../otlp/httpReceiver';
import { lockIsLive, readLock } from './lock';
import { StoreLockedError, TraceStore, type StoreOptions, type StoreStats } from './store';
import { queryApiHandler } from './tempoApi';

/** The gRPC bundle's entry point (`dist/grpc.js`). */
export interface GrpcModule {
  startGrpcReceiver(sink: OtlpSink, options: GrpcReceiverOptions): Promise<GrpcReceiver>;
}

export const DEFAULT_HTTP_PORT = 4318;
export const DEFAULT_GRPC_PORT = 4317;
export const DEFAULT_QUERY_PORT = 4319;

/** Options of `startReceiver`. Ports: a number (0: any free port) or null (off). */
export interface ReceiverOptions {
  /** The store folder, shared by every window (the extension's global storage). */
  storeDir: string;
  /** OTLP/HTTP port. Default 4318. */
  httpPort?: number | null;
  /** OTLP/gRPC port. Default 4317. Needs `loadGrpc`. */
  grpcPort?: number | null;
  /** Query API port. Default 4319; when taken, any free port (readers find it in the lock file). */
  queryPort?: number | null;
  /** Address to listen on. Default 127.0.0.1; anything else only from a user-level setting. */
  bind?: string;
  /** Loads the gRPC bundle; without it there is no gRPC receiver. */
  loadGrpc?: () => GrpcModule | Promise<GrpcModule>;
  /** Retention and durability of the store. */
  store?: Omit<StoreOptions, 'dir' | 'log' | 'onLockLost'>;
  /** Cap on one OTLP request body. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Version string for `/api/status/buildinfo`. */
  version?: string;
  /** How often a reader checks whether the writer is gone. Default 2000 ms. */
  takeoverPollMs?: number;
  log?: (message: string) => void;
}

/** Where the receiver stands. */
export interface ReceiverStatus {
  /** `writer`: receiving here; `reader`: another process receives; `stopped`: closed. */
  role: 'writer' | 'reader' | 'stopped';
  /** Ports this process listens on (writer only), the real ones. */
  httpPort?: number;
  grpcPort?: number;
  queryPort?: number;
  /** The query API to read traces through: this process's, or the writer's. */
  queryUrl?: string;
  /** OTLP/HTTP endpoint of whoever receives (`http://127.0.0.1:4318`), for `OTEL_EXPORTER_OTLP_ENDPOINT`. */
  otlpHttpUrl?: string;
  /** The writer's process ID (reader only). */
  writerPid?: number;
  /** One sentence per problem: a port taken, a non-loopback address. */
  problems: string[];
}

/** A running receiver. */
export interface Receiver {
  readonly status: ReceiverStatus;
  /** The store, while this process is the writer. */
  readonly store: TraceStore | undefined;
  /** Called on every change of role, ports or problems. */
  onDidChangeStatus(listener: (status: ReceiverStatus) => void): () => void;
  /** Called after spans or logs arrived (writer only; readers poll the query API). */
  onDidReceive(listener: () => void): () => void;
  /** Traces and spans held (through the writer's query API when reading). */
  stats(): Promise<StoreStats>;
  /** Deletes every stored trace and log (through the writer when reading). */
  clear(): Promise<void>;
  /** Stops listening, closes the store and releases the lock. */
  close(): Promise<void>;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '::1'];

function isLoopback(address: string): boolean {
  return address === 'localhost' || address === '::1' || address.startsWith('127.');
}

function urlHost(address: string): string {
  return isIP(address) === 6 ? `[${address}]` : address;
}

function listen(handler: http.RequestListener, host: string, port: number): Promise<http.Server> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.keepAliveTimeout = 30000;
    const onError = (err: Error) => {
      server.close();
      reject(err);
    };
    server.once('error', onError);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

class ReceiverImpl implements Receiver {
  status: ReceiverStatus = { role: 'stopped', problems: [] };
  store: TraceStore | undefined;
  private httpServer: http.Server | undefined;
  private queryServer: http.Server | undefined;
  private grpc: GrpcReceiver | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private statusListeners: ((s: ReceiverStatus) => void)[] = [];
  private receiveListeners: (() => void)[] = [];
  private unsubscribeStore: (() => void) | undefined;
  private closed = false;
  private transition: Promise<void> = Promise.resolve();
  private readonly log: (message: string) => void;
  private readonly reported = new Set<string>();

  constructor(private readonly options: ReceiverOptions) {
    this.log = options.log ?? (() => undefined);
  }

  private get bind(): string {
    return this.options.bind ?? '127.0.0.1';
  }

  private setStatus(status: ReceiverStatus): void {
    this.status = status;
    for (const l of this.statusListeners) {
      try {
        l(status);
      } catch {
        // A listener's failure is not the receiver's.
      }
    }
  }

  /** Logs a problem once per process lifetime of the receiver. */
  private problem(list: string[], message: string): void {
    list.push(message);
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log(message);
  }

  /** Becomes the writer if the lock is free; otherwise a reader of the writer's API. */
  async start(): Promise<void> {
    let store: TraceStore;
    try {
      store = TraceStore.open({
        ...this.options.store,
        dir: this.options.storeDir,
        log: this.log,
        onLockLost: () => this.enqueue(() => this.becomeReader()),
      });
    } catch (err) {
      if (err instanceof StoreLockedError)
        return this.becomeReaderOf(err.heldBy.pid, err.heldBy.queryUrl, err.heldBy.httpPort);
      throw err;
    }
    this.store = store;
    this.stopPolling();
    this.unsubscribeStore = store.onDidAppend(() => {
      for (const l of this.receiveListeners) {
        try {
          l();
        } catch {
          // Ignored, as above.
        }
      }
    });
    const problems: string[] = [];
    const bind = this.bind;
    if (!isLoopback(bind))
      this.problem(
        problems,
        `the receiver listens on ${bind}, not only on this machine: other machines can send traces and read them`,
      );
    const allowedHosts = isLoopback(bind) ? new Set([...LOOPBACK_NAMES, bind]) : undefined;
    const sink: OtlpSink = { append: (kind, body) => store.append(kind, body) };
    const o = this.options;
    let httpPort: number | undefined;
    let grpcPort: number | undefined;
    let queryPort: number | undefined;
    if (o.httpPort !== null) {
      const port = o.httpPort ?? DEFAULT_HTTP_PORT;
      try {
        this.httpServer = await listen(
          otlpHttpHandler(sink, {
            ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}),
            log: this.log,
            ...(allowedHosts ? { allowedHosts } : {}),
          }),
          bind,
          port,
        );
        httpPort = (this.httpServer.address() as AddressInfo).port;
      } catch (err) {
        this.problem(problems, portProblem('OTLP/HTTP', port, err));
      }
    }
    if (o.grpcPort !== null && o.loadGrpc) {
      const port = o.grpcPort ?? DEFAULT_GRPC_PORT;
      try {
        const mod = await o.loadGrpc();
        this.grpc = await mod.startGrpcReceiver(sink, {
          host: bind,
          port,
          ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}),
          log: this.log,
        });
        grpcPort = this.grpc.port;
      } catch (err) {
        this.problem(problems, portProblem('OTLP/gRPC', port, err));
      }
    }
    if (o.queryPort !== null) {
      const port = o.queryPort ?? DEFAULT_QUERY_PORT;
      const handler = queryApiHandler(store, {
        token: store.lock.info.token,
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(o.version ? { version: o.version } : {}),
        log: this.log,
      });
      try {
        this.queryServer = await listen(handler, bind, port);
      } catch (err) {
        if (port === 0) this.problem(problems, portProblem('the query API', port, err));
        else {
          try {
            this.queryServer = await listen(handler, bind, 0);
            this.problem(
              problems,
              `port ${port} is taken; the query API listens on port ${(this.queryServer.address() as AddressInfo).port} instead`,
            );
          } catch (err2) {
            this.problem(problems, portProblem('the query API', 0, err2));
          }
        }
      }
      if (this.queryServer) queryPort = (this.queryServer.address() as AddressInfo).port;
    }
    const host = urlHost(bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind);
    const queryUrl = queryPort !== undefined ? `http://${host}:${queryPort}` : undefined;
    store.lock.setEndpoints({
      ...(queryUrl ? { queryUrl } : {}),
      ...(httpPort !== undefined ? { httpPort } : {}),
      ...(grpcPort !== undefined ? { grpcPort } : {}),
    });
    this.setStatus({
      role: 'writer',
      ...(httpPort !== undefined ? { httpPort, otlpHttpUrl: `http://${host}:${httpPort}` } : {}),
      ...(grpcPort !== undefined ? { grpcPort } : {}),
      ...(queryPort !== undefined ? { queryPort } : {}),
      ...(queryUrl ? { queryUrl } : {}),
      problems,
    });
  }

  private becomeReaderOf(pid: number, queryUrl: string | undefined, httpPort: number | undefined): void {
    const problems: string[] = [];
    if (!queryUrl) this.problem(problems, `process ${pid} writes the store but publishes no query API yet`);
    this.setStatus({
      role: 'reader',
      writerPid: pid,
      ...(queryUrl ? { queryUrl } : {}),
      ...(httpPort !== undefined ? { otlpHttpUrl: `http://127.0.0.1:${httpPort}` } : {}),
      problems,
    });
    this.startPolling();
  }

  private startPolling(): void {
    if (this.poll || this.closed) return;
    this.poll = setInterval(
      () => this.enqueue(() => this.checkWriter()),
      this.options.takeoverPollMs ?? 2000,
    );
    this.poll.unref?.();
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }

  /** A reader's look at the lock: take over when the writer is gone, follow it when it moved. */
  private async checkWriter(): Promise<void> {
    if (this.closed || this.status.role !== 'reader') return;
    const info = readLock(this.options.storeDir);
    if (info && lockIsLive(info, Date.now(), this.options.store?.lock?.staleMs)) {
      if (info.queryUrl !== this.status.queryUrl || info.pid !== this.status.writerPid) {
        this.stopPolling();
        this.becomeReaderOf(info.pid, info.queryUrl, info.httpPort);
      }
      return;
    }
    await this.start();
  }

  private async stopServing(): Promise<void> {
    this.unsubscribeStore?.();
    this.unsubscribeStore = undefined;
    await Promise.all([closeServer(this.httpServer), closeServer(this.queryServer), this.grpc?.close()]);
    this.httpServer = this.queryServer = undefined;
    this.grpc = undefined;
  }

  /** The lock was taken over: stop serving, read through the new writer. */
  private async becomeReader(): Promise<void> {
    await this.stopServing();
    const store = this.store;
    this.store = undefined;
    await store?.close();
    const info = readLock(this.options.storeDir);
    this.becomeReaderOf(info?.pid ?? 0, info?.queryUrl, info?.httpPort);
  }

  /** Runs role changes one after another. */
  private enqueue(step: () => Promise<void> | void): void {
    this.transition = this.transition
      .then(step)
      .catch((err: unknown) => this.log(`receiver: ${errText(err)}`));
  }

  onDidChangeStatus(listener: (status: ReceiverStatus) => void): () => void {
    this.statusListeners.push(listener);
    return () => {
      this.statusListeners = this.statusListeners.filter((l) => l !== listener);
    };
  }

  onDidReceive(listener: () => void): () => void {
    this.receiveListeners.push(listener);
    return () => {
      this.receiveListeners = this.receiveListeners.filter((l) => l !== listener);
    };
  }

  async stats(): Promise<StoreStats> {
    if (this.store) return this.store.stats();
    const url = this.status.queryUrl;
    if (!url) throw new Error('no writer is serving the store');
    const res = await fetch(`${url}/api/trace-lens/stats`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`GET /api/trace-lens/stats → ${res.status}`);
    return (await res.json()) as StoreStats;
  }

  async clear(): Promise<void> {
    if (this.store) return this.store.clear();
    const info = readLock(this.options.storeDir);
    if (!info?.queryUrl) throw new Error('no writer is serving the store');
    const res = await fetch(`${info.queryUrl}/api/trace-lens/clear`, {
      method: 'POST',
      headers: { 'X-Trace-Lens-Token': info.token },
      signal: AbortSignal.timeout(10000),
    });
    if (res.status !== 204) throw new Error(`POST /api/trace-lens/clear → ${res.status}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPolling();
    await this.transition;
    await this.stopServing();
    const store = this.store;
    this.store = undefined;
    await store?.close();
    this.setStatus({ role: 'stopped', problems: [] });
  }
}

function portProblem(what: string, port: number, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return `port ${port} is taken (is a collector or another receiver already running?); ${what} is off`;
  if (code === 'EACCES') return `port ${port} needs privileges this process does not have; ${what} is off`;
  if (code === 'EADDRNOTAVAIL')
    return `the address to listen on is not one of this machine's; ${what} is off`;
  return `${what} cannot listen on port ${port}: ${errText(err)}`;
}

/**
 * Starts the receiver for `options.storeDir`: as the writer when the folder's lock is free
 * (OTLP over HTTP and gRPC, the query API), otherwise as a reader of the writer's query API.
 * Throws only when the folder cannot be used at all (not writable).
 */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const r = new ReceiverImpl(options);
  await r.start();
  return r;
}
