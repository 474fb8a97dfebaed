/**
 * Traces from local files: one `.json` or `.pb` file, or a folder of `<trace id>.json|.pb` files.
 * File reads are injected, so the core stays free of `vscode` and tests need no disk.
 */
import { basename, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceFormat } from '../../decode';
import type { ConnectionReport, GetTraceOptions, TraceBackend, TraceResult } from '../backend';
import { DEFAULT_CACHE_BYTES, Stoppage, TraceFetchCache } from '../cache';
import { decodeBody } from '../decode';
import { BackendError, formatBytes } from '../errors';
import { DEFAULT_MAX_BYTES } from '../http';
import { backendTraceId, requireTraceId, shortTraceId } from '../ids';

/** Reads a whole file. Rejects with a Node-style error (`code: 'ENOENT'`, `'EISDIR'`...) on failure. */
export type ReadFile = (path: string) => Promise<Uint8Array>;

/** Options for `FileBackend`. */
export interface FileBackendOptions {
  /** A `.json`/`.pb` file, or a folder of `<trace id>.json|.pb` files; a `file:` URL works too. */
  path: string;
  readFile: ReadFile;
  name?: string;
  /** Largest file read. Default 256 MB. */
  maxBytes?: number;
  /** Budget of the recent-trace cache. Default 64 MB; 0 disables it. */
  cacheMaxBytes?: number;
}

const TRACE_FILE = /\.(json|pb)$/i;

/** The decoder for a file: `.pb` is Tempo's v1 protobuf (OTLP TracesData); JSON formats are sniffed. */
function formatOf(path: string): TraceFormat | undefined {
  return extname(path).toLowerCase() === '.pb' ? 'otlp-proto' : undefined;
}

function codeOf(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** Local trace files. */
export class FileBackend implements TraceBackend {
  readonly kind = 'file' as const;
  readonly name: string;
  readonly path: string;
  private readonly readFile: ReadFile;
  private readonly maxBytes: number;
  private readonly cache: TraceFetchCache;

  constructor(options: FileBackendOptions) {
    const raw = options.path.trim();
    if (raw === '') throw new BackendError('bad-request', 'the trace file or folder path is empty');
    this.path = raw.startsWith('file:') ? fileURLToPath(raw) : raw;
    this.readFile = options.readFile;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.name = options.name ?? `File ${basename(this.path) || this.path}`;
    this.cache = new TraceFetchCache(options.cacheMaxBytes ?? DEFAULT_CACHE_BYTES);
  }

  /** True when the path names one trace file rather than a folder. */
  get isSingleFile(): boolean {
    return TRACE_FILE.test(this.path);
  }

  /** Decodes any trace file, whatever its ID. */
  async loadFile(path: string): Promise<TraceResult> {
    return (await this.decodeFile(path)).result;
  }

  private async decodeFile(path: string): Promise<{ result: TraceResult; bodyBytes: number }> {
    const bytes = await this.read(path);
    const decoded = decodeBody(bytes, formatOf(path), { prefix: path, url: path }, (cause) =>
      this.error('not-found', `${path} holds no spans`, path, cause),
    );
    const result: TraceResult = {
      decoded,
      partial: decoded.model.partial,
      ...(decoded.model.partial && decoded.model.partialMessage
        ? { message: decoded.model.partialMessage }
        : {}),
    };
    return { result, bodyBytes: bytes.length };
  }

  /**
   * The trace with this ID: the configured file when it holds that trace, otherwise
   * `<folder>/<id>.json` or `.pb` (32 hex digits, or 16 when the top half is zero).
   */
  async getTrace(traceId: string, options: GetTraceOptions = {}): Promise<TraceResult> {
    const id = requireTraceId(traceId, this.path);
    // Reads cannot be aborted; a cancelled caller just gets no result, and a read no caller
    // waits for any more stops before the next file.
    const cancelled = () => this.error('cancelled', `reading trace ${id} was cancelled`, this.path);
    return this.cache.get({
      key: id,
      signal: options.signal,
      noCache: options.noCache,
      start: () => new Stoppage(),
      run: (op) => this.find(id, op.signal, cancelled),
      cancelled,
    });
  }

  /** The trace as the cache holds it; reads nothing. */
  cachedTrace(traceId: string): TraceResult | undefined {
    const id = backendTraceId(traceId);
    return id === undefined ? undefined : this.cache.peek(id);
  }

  /** Forgets cached traces (all, or one trace ID), so the next fetch reads the file again. */
  clearCache(traceId?: string): void {
    const id = traceId === undefined ? undefined : backendTraceId(traceId);
    this.cache.forget(traceId === undefined ? undefined : (key) => key === id);
  }

  private async find(
    id: string,
    signal: AbortSignal,
    cancelled: () => BackendError,
  ): Promise<{ result: TraceResult; bodyBytes: number }> {
    if (this.isSingleFile) {
      const found = await this.decodeFile(this.path);
      if (signal.aborted) throw cancelled();
      if (found.result.decoded.model.traceId !== id) {
        throw this.error(
          'not-found',
          `${this.path} holds trace ${found.result.decoded.model.traceId}, not ${id}`,
          this.path,
        );
      }
      return found;
    }
    const names = [...new Set([id, shortTraceId(id)])].flatMap((n) => [`${n}.json`, `${n}.pb`]);
    for (const name of names) {
      if (signal.aborted) throw cancelled();
      let found: { result: TraceResult; bodyBytes: number };
      try {
        found = await this.decodeFile(join(this.path, name));
      } catch (err) {
        if (err instanceof BackendError && err.kind === 'not-found' && codeOf(err.cause) === 'ENOENT')
          continue;
        throw err;
      }
      if (signal.aborted) throw cancelled();
      return found;
    }
    throw this.error(
      'not-found',
      `trace ${id} not found: there is no ${names.slice(0, 2).join(' or ')} in ${this.path}`,
      this.path,
    );
  }

  /** Checks that the file (or folder) can be read. */
  async testConnection(): Promise<ConnectionReport> {
    const check = (ok: boolean, message: string): ConnectionReport => ({
      ok,
      checks: [{ name: this.isSingleFile ? 'file' : 'folder', url: this.path, ok, message }],
      summary: ok ? `${this.name}: ${message}` : `Cannot use ${this.name}: ${message}`,
    });
    if (this.isSingleFile) {
      try {
        const r = await this.loadFile(this.path);
        return check(
          true,
          `${this.path} holds trace ${r.decoded.model.traceId} with ${r.decoded.model.spanCount} spans`,
        );
      } catch (err) {
        return check(false, err instanceof Error ? err.message : String(err));
      }
    }
    // Reading a folder fails with EISDIR, which proves it exists without needing a directory lister.
    try {
      await this.readFile(this.path);
      return check(false, `${this.path} is a file; name a .json or .pb file, or a folder of them`);
    } catch (err) {
      if (codeOf(err) === 'EISDIR')
        return check(true, `traces are read from ${this.path} as <trace id>.json or .pb`);
      return check(false, this.readError(err, this.path).message);
    }
  }

  private async read(path: string): Promise<Uint8Array> {
    let bytes: Uint8Array;
    try {
      bytes = await this.readFile(path);
    } catch (err) {
      throw this.readError(err, path);
    }
    if (bytes.length > this.maxBytes) {
      throw this.error('too-large', `${path} is larger than the ${formatBytes(this.maxBytes)} limit`, path);
    }
    return bytes;
  }

  private readError(err: unknown, path: string): BackendError {
    switch (codeOf(err)) {
      case 'ENOENT':
        return this.error('not-found', `${path} does not exist`, path, err);
      case 'EACCES':
      case 'EPERM':
        return this.error('forbidden', `${path} cannot be read (permission denied)`, path, err);
      case 'EISDIR':
        return this.error('bad-request', `${path} is a folder; name a .json or .pb file`, path, err);
      default:
        return this.error(
          'unreachable',
          `${path} could not be read (${err instanceof Error ? err.message : String(err)})`,
          path,
          err,
        );
    }
  }

  private error(kind: BackendError['kind'], message: string, path: string, cause?: unknown): BackendError {
    return new BackendError(kind, message, { url: path, ...(cause !== undefined ? { cause } : {}) });
  }
}
