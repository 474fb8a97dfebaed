/**
 * One writer per store folder. The writer holds `writer.lock`: a small JSON file with its PID,
 * host, a random token, where its endpoints are, and a heartbeat it refreshes every second. A
 * second window (or CLI) that finds a live lock reads through the writer's query API instead;
 * a lock whose heartbeat is older than `staleMs`, or whose process is gone, is taken over.
 *
 * The file is always replaced whole (written to a temporary file, then linked or renamed into
 * place), so a reader never sees half of it. Two processes taking over a stale lock at once can
 * both believe they won for one heartbeat at most: each heartbeat re-reads the lock and the one
 * whose token is no longer there steps down (`onLost`). Segment files are created exclusively,
 * so even then no file has two writers.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'writer.lock';

/** Where the writer can be reached. */
export interface WriterEndpoints {
  /** Base URL of the Tempo-compatible query API, e.g. `http://127.0.0.1:4319`. */
  queryUrl?: string;
  /** OTLP/HTTP and OTLP/gRPC ports, when listening. */
  httpPort?: number;
  grpcPort?: number;
}

/** What the lock file says. */
export interface LockInfo extends WriterEndpoints {
  pid: number;
  host: string;
  /** Random; also the secret a reader sends to ask the writer to clear the store. */
  token: string;
  startedMs: number;
  heartbeatMs: number;
}

/** Options of `WriterLock.acquire`. */
export interface LockOptions {
  /** A heartbeat older than this means the writer is gone. Default 10000. */
  staleMs?: number;
  /** How often the writer refreshes its heartbeat. Default 1000. */
  heartbeatMs?: number;
  now?: () => number;
  /** Called once when another process took the lock over (this one must stop writing). */
  onLost?: () => void;
  log?: (message: string) => void;
}

function parse(text: string): LockInfo | undefined {
  try {
    const o: unknown = JSON.parse(text);
    if (typeof o !== 'object' || o === null) return undefined;
    const r = o as Record<string, unknown>;
    if (typeof r.pid !== 'number' || typeof r.token !== 'string' || typeof r.heartbeatMs !== 'number')
      return undefined;
    return {
      pid: r.pid,
      host: typeof r.host === 'string' ? r.host : '',
      token: r.token,
      startedMs: typeof r.startedMs === 'number' ? r.startedMs : 0,
      heartbeatMs: r.heartbeatMs,
      ...(typeof r.queryUrl === 'string' ? { queryUrl: r.queryUrl } : {}),
      ...(typeof r.httpPort === 'number' ? { httpPort: r.httpPort } : {}),
      ...(typeof r.grpcPort === 'number' ? { grpcPort: r.grpcPort } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The lock file of store folder `dir`, if there is a readable one. */
export function readLock(dir: string): LockInfo | undefined {
  try {
    return parse(fs.readFileSync(join(dir, LOCK_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the writer a lock names is still there. */
export function lockIsLive(info: LockInfo, now: number, staleMs = 10000): boolean {
  if (now - info.heartbeatMs > staleMs) return false;
  if (info.host === hostname() && info.pid !== process.pid && !processAlive(info.pid)) return false;
  return true;
}

/** The held lock of the one writer of a store folder. */
export class WriterLock {
  private timer: ReturnType<typeof setInterval> | undefined;
  private released = false;
  private endpoints: WriterEndpoints = {};

  private constructor(
    readonly dir: string,
    readonly info: LockInfo,
    private readonly options: LockOptions,
  ) {}

  /**
   * Takes the lock of `dir`, or returns what the live lock of another writer says. Throws only
   * for I/O errors (a folder that cannot be written).
   */
  static acquire(dir: string, options: LockOptions = {}): WriterLock | { heldBy: LockInfo } {
    const now = options.now ?? Date.now;
    const staleMs = options.staleMs ?? 10000;
    const path = join(dir, LOCK_FILE);
    const info: LockInfo = {
      pid: process.pid,
      host: hostname(),
      token: randomBytes(16).toString('hex'),
      startedMs: now(),
      heartbeatMs: now(),
    };
    const tmp = `${path}.${info.token}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
    try {
      try {
        fs.linkSync(tmp, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const held = readLock(dir);
        if (held && lockIsLive(held, now(), staleMs)) return { heldBy: held };
        fs.renameSync(tmp, path);
        options.log?.(
          held
            ? `took over the store from process ${held.pid} (its heartbeat is ${Math.round((now() - held.heartbeatMs) / 1000)} s old or it has exited)`
            : 'replaced an unreadable lock file',
        );
      }
    } finally {
      fs.rmSync(tmp, { force: true });
    }
    const lock = new WriterLock(dir, info, options);
    lock.timer = setInterval(() => lock.beat(), options.heartbeatMs ?? 1000);
    lock.timer.unref?.();
    return lock;
  }

  /** Whether this process still holds the lock. */
  get held(): boolean {
    return !this.released;
  }

  /** Publishes where this writer's endpoints are. */
  setEndpoints(endpoints: WriterEndpoints): void {
    this.endpoints = { ...endpoints };
    this.beat();
  }

  private write(): void {
    const path = join(this.dir, LOCK_FILE);
    const tmp = `${path}.${this.info.token}.tmp`;
    const info = { ...this.info, ...this.endpoints, heartbeatMs: (this.options.now ?? Date.now)() };
    fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
    fs.renameSync(tmp, path);
  }

  /** Refreshes the heartbeat, or notices the lock was taken over. */
  beat(): void {
    if (this.released) return;
    try {
      const current = readLock(this.dir);
      if (current && current.token !== this.info.token) {
        this.stop();
        this.options.log?.(`process ${current.pid} took the store over; this one stops writing`);
        this.options.onLost?.();
        return;
      }
      this.write();
    } catch (err) {
      this.options.log?.(
        `cannot refresh the store lock: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private stop(): void {
    this.released = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Gives the lock up (deletes the file if it is still this writer's). */
  release(): void {
    if (this.released) return;
    this.stop();
    try {
      const current = readLock(this.dir);
      if (current?.token === this.info.token) fs.rmSync(join(this.dir, LOCK_FILE), { force: true });
    } catch {
      // Nothing to clean up.
    }
  }
}
