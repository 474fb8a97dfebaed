/**
 * The local trace store: a folder of append-only segment files (`segments/<seq>.seg`, format in
 * `segmentFile.ts`) holding the raw OTLP protobuf of every export, an in-memory index per
 * segment (`segmentIndex.ts`), and a checkpoint of that index beside each sealed segment.
 *
 * Durability. `append` resolves only after the record was written to the file: with the
 * default `durability: 'os'` that means handed to the operating system (it survives `kill -9`
 * and a crash of VS Code, not a power cut), and the file is fsynced within `syncIntervalMs`
 * (1 s) and at every seal and close, so a power cut loses at most the last second. With
 * `durability: 'disk'` each write is fsynced before `append` resolves (concurrent appends share
 * one write and one fsync).
 *
 * Retention: the oldest segment goes first, when the folder holds more than `maxBytes` or when
 * its newest record is older than `maxAgeMs`. A segment is sealed (and a new one started) at
 * `segmentBytes`, or once its first record is older than a 24th of `maxAgeMs`, so age retention
 * has whole segments to drop.
 *
 * `TraceStore` is the writer (it holds the folder's lock); `StoreReader` reads a folder beside a
 * running writer without writing anything. Both expose the segments to the query functions.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SpanBatch, type LogBatch } from '../otlp/batch';
import { scanLogs, scanTraces } from '../otlp/scan';
import { checkpointParts, loadCheckpoint } from './checkpoint';
import { WriterLock, type LockInfo, type LockOptions } from './lock';
import { SegmentIndex } from './segmentIndex';
import {
  frameHeader,
  isSegment,
  KIND_LOGS,
  KIND_TRACES,
  scanFrames,
  SEGMENT_HEADER,
  segmentHeader,
} from './segmentFile';

const writev = promisify(fs.writev);
const fdatasync = promisify(fs.fdatasync);
const ftruncate = promisify(fs.ftruncate);
const close = promisify(fs.close);

const MiB = 1024 * 1024;
export const DEFAULT_MAX_BYTES = 1024 * MiB;
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const DEFAULT_SEGMENT_BYTES = 64 * MiB;

/** One segment as the queries see it. */
export interface StoreSegment {
  readonly seq: number;
  readonly index: SegmentIndex;
}

/** What the query functions read: the segments, oldest first, and their bytes. */
export interface StoreData {
  segments(): readonly StoreSegment[];
  /** `length` bytes at `offset` of a segment file. */
  read(segment: StoreSegment, offset: number, length: number): Uint8Array;
}

/** Counts for a status line. */
export interface StoreStats {
  traces: number;
  spans: number;
  logs: number;
  /** Bytes of segment files. */
  bytes: number;
  segments: number;
  /** Bytes the in-memory index takes. */
  indexBytes: number;
}

/** What an append kept and left out. */
export interface AppendResult {
  accepted: number;
  /** Items left out as invalid (no valid trace or span ID), and why. */
  rejected: number;
  reason?: string;
}

/** The store cannot take more right now: answer 429/503 with `Retry-After`. */
export class StoreBusyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    readonly diskFull = false,
  ) {
    super(message);
    this.name = 'StoreBusyError';
  }
}

/** Another process holds the store's writer lock. */
export class StoreLockedError extends Error {
  constructor(readonly heldBy: LockInfo) {
    super(
      `the store is written by process ${heldBy.pid}${heldBy.queryUrl ? ` (query API ${heldBy.queryUrl})` : ''}`,
    );
    this.name = 'StoreLockedError';
  }
}

/** Options of `TraceStore.open`. */
export interface StoreOptions {
  /** The store folder (created when missing). */
  dir: string;
  maxBytes?: number;
  maxAgeMs?: number;
  segmentBytes?: number;
  durability?: 'os' | 'disk';
  syncIntervalMs?: number;
  /** Bytes waiting to be written beyond which `append` says busy. Default 64 MiB. */
  maxQueuedBytes?: number;
  log?: (message: string) => void;
  now?: () => number;
  /** Writer lock timing (tests shorten it). */
  lock?: Omit<LockOptions, 'log' | 'onLost' | 'now'>;
  /** Called when another process took the lock over; the store has stopped writing. */
  onLockLost?: () => void;
}

interface Segment extends StoreSegment {
  readonly path: string;
  fd: number;
  /** Bytes of the file that are valid records. */
  size: number;
}

const SEQ_DIGITS = 16;
const segName = (seq: number): string => `${String(seq).padStart(SEQ_DIGITS, '0')}.seg`;
const idxPath = (segPath: string): string => segPath.replace(/\.seg$/, '.idx');

function listSegments(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names
    .map((n) => /^(\d{1,16})\.seg$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

function readSync(fd: number, offset: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, out, done, length - done, offset + done);
    if (n === 0) throw new Error(`a segment file ends before byte ${offset + length}`);
    done += n;
  }
  return new Uint8Array(out.buffer, out.byteOffset, length);
}

/** Adds the records of `bytes` (which start at byte `base` of the segment) to `index`. */
function indexFrames(
  index: SegmentIndex,
  bytes: Uint8Array,
  base: number,
): { validEnd: number; bad: number } {
  const { frames, validEnd } = scanFrames(bytes, 0);
  let bad = 0;
  let batch: SpanBatch | undefined;
  for (const f of frames) {
    const body = bytes.subarray(f.bodyOffset, f.bodyOffset + f.bodyLength);
    try {
      if (f.kind === KIND_TRACES) {
        batch = scanTraces(body, batch);
        index.addSpans(batch, body, base + f.bodyOffset, f.receivedMs);
      } else index.addLogs(scanLogs(body), body, base + f.bodyOffset, f.receivedMs);
    } catch {
      bad++;
    }
  }
  index.coveredBytes = base + validEnd;
  return { validEnd: base + validEnd, bad };
}

/**
 * Loads the index of the segment file at `path`: its checkpoint when there is a good one, plus
 * whatever was appended after it. Returns the index and how many bytes of the file are valid.
 */
function loadSegment(
  path: string,
  fd: number,
  log: (message: string) => void,
): { index: SegmentIndex; size: number; fileSize: number; fromCheckpoint: boolean } {
  const fileSize = fs.fstatSync(fd).size;
  let index: SegmentIndex | undefined;
  try {
    const file = fs.readFileSync(idxPath(path));
    const cp = loadCheckpoint(new Uint8Array(file.buffer, file.byteOffset, file.byteLength));
    if (cp && cp.coveredBytes <= fileSize && cp.coveredBytes >= SEGMENT_HEADER) index = cp;
    else if (cp === undefined)
      log(`ignoring the damaged checkpoint of ${path}; the segment is scanned instead`);
  } catch {
    // No checkpoint: scan.
  }
  const fromCheckpoint = index !== undefined;
  const from = index ? index.coveredBytes : SEGMENT_HEADER;
  index ??= new SegmentIndex();
  if (from === SEGMENT_HEADER) {
    const head = fileSize >= SEGMENT_HEADER ? readSync(fd, 0, SEGMENT_HEADER) : new Uint8Array(0);
    if (!isSegment(head)) return { index, size: SEGMENT_HEADER, fileSize, fromCheckpoint };
  }
  if (fileSize <= from) return { index, size: from, fileSize, fromCheckpoint };
  const tail = readSync(fd, from, fileSize - from);
  const { validEnd, bad } = indexFrames(index, tail, from);
  if (bad > 0) log(`${bad} records of ${path} could not be read and were skipped`);
  return { index, size: validEnd, fileSize, fromCheckpoint };
}

/** Reads a store folder; the base of the writer and the reader. */
abstract class StoreFiles implements StoreData {
  protected segs: Segment[] = [];
  protected readonly segDir: string;
  protected readonly log: (message: string) => void;

  constructor(
    readonly dir: string,
    log: ((message: string) => void) | undefined,
  ) {
    this.segDir = join(dir, 'segments');
    this.log = log ?? (() => undefined);
  }

  segments(): readonly StoreSegment[] {
    return this.segs;
  }

  read(segment: StoreSegment, offset: number, length: number): Uint8Array {
    return readSync((segment as Segment).fd, offset, length);
  }

  stats(): StoreStats {
    let spans = 0;
    let logs = 0;
    let bytes = 0;
    let indexBytes = 0;
    let traces = 0;
    for (let g = 0; g < this.segs.length; g++) {
      const x = this.segs[g]!.index;
      spans += x.spanCount;
      logs += x.logCount;
      bytes += this.segs[g]!.size;
      indexBytes += x.byteLength;
      // A trace spread over several segments counts once: in the first that has spans of it.
      const w = x.traceWords.data;
      for (let t = 0; t < x.traceCount; t++) {
        if (x.traceSpanCount.data[t] === 0) continue;
        let seen = false;
        for (let e = 0; e < g && !seen; e++) {
          const y = this.segs[e]!.index;
          const u = y.findTrace(w[4 * t]!, w[4 * t + 1]!, w[4 * t + 2]!, w[4 * t + 3]!);
          seen = u >= 0 && y.traceSpanCount.data[u]! > 0;
        }
        if (!seen) traces++;
      }
    }
    return { traces, spans, logs, bytes, segments: this.segs.length, indexBytes };
  }

  protected closeFiles(): void {
    for (const s of this.segs) {
      try {
        fs.closeSync(s.fd);
      } catch {
        // Already closed.
      }
    }
    this.segs = [];
  }
}

interface Pending {
  kind: number;
  body: Uint8Array;
  batch: SpanBatch | LogBatch;
  receivedMs: number;
  result: AppendResult;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

/** The writer of a store folder. */
export class TraceStore extends StoreFiles {
  private writeFd = -1;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private writing = false;
  private dirty = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];
  private syncTimer: ReturnType<typeof setInterval> | undefined;
  private retentionTimer: ReturnType<typeof setInterval> | undefined;
  private diskFullLogged = false;
  private readonly now: () => number;
  readonly maxBytes: number;
  readonly maxAgeMs: number;
  readonly segmentBytes: number;
  private readonly durability: 'os' | 'disk';
  private readonly maxQueuedBytes: number;
  private listeners: (() => void)[] = [];

  private constructor(
    options: StoreOptions,
    readonly lock: WriterLock,
  ) {
    super(options.dir, options.log);
    this.now = options.now ?? Date.now;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.segmentBytes = Math.min(
      options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      Math.max(64 * 1024, Math.floor(this.maxBytes / 8)),
    );
    this.durability = options.durability ?? 'os';
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * MiB;
  }

  /**
   * Opens (or creates) the store in `options.dir` as its writer: takes the lock, loads the
   * segments, cuts a torn tail off the last one (logging how much), and starts appending.
   * Throws `StoreLockedError` when another live process writes the folder.
   */
  static open(options: StoreOptions): TraceStore {
    fs.mkdirSync(join(options.dir, 'segments'), { recursive: true });
    let store: TraceStore | undefined;
    const lock = WriterLock.acquire(options.dir, {
      ...options.lock,
      ...(options.now ? { now: options.now } : {}),
      ...(options.log ? { log: options.log } : {}),
      onLost: () => {
        store?.stopWriting('another process took the store over');
        options.onLockLost?.();
      },
    });
    if (!(lock instanceof WriterLock)) throw new StoreLockedError(lock.heldBy);
    try {
      store = new TraceStore(options, lock);
      store.load();
    } catch (err) {
      lock.release();
      throw err;
    }
    const s = store;
    s.syncTimer = setInterval(() => void s.syncIfDirty(), options.syncIntervalMs ?? 1000);
    s.syncTimer.unref?.();
    s.retentionTimer = setInterval(() => void s.maintain(), 30000);
    s.retentionTimer.unref?.();
    return s;
  }

  private load(): void {
    const seqs = listSegments(this.segDir);
    for (let k = 0; k < seqs.length; k++) {
      const path = join(this.segDir, segName(seqs[k]!));
      const last = k === seqs.length - 1;
      const fd = fs.openSync(path, last ? 'r+' : 'r');
      const { index, size, fileSize, fromCheckpoint } = loadSegment(path, fd, this.log);
      if (size < fileSize) {
        if (last) {
          fs.ftruncateSync(fd, size);
          this.log(
            `cut a torn tail of ${fileSize - size} bytes off ${path} (a write interrupted by a crash)`,
          );
        } else this.log(`${path} has ${fileSize - size} unreadable bytes at its end; they are ignored`);
      }
      const seg: Segment = { seq: seqs[k]!, path, fd, index, size };
      this.segs.push(seg);
      // Written in the background, as a seal's is: opening does not wait for it.
      if (!fromCheckpoint && !last && size > SEGMENT_HEADER)
        this.sealing = this.sealing.then(async () => void (await this.writeCheckpoint(seg)));
      if (last) {
        if (size < SEGMENT_HEADER) {
          fs.ftruncateSync(fd, 0);
          fs.writeSync(fd, segmentHeader(this.now()), 0, SEGMENT_HEADER, 0);
          seg.size = SEGMENT_HEADER;
          index.coveredBytes = SEGMENT_HEADER;
        }
        this.writeFd = fd;
        seg.fd = fs.openSync(path, 'r');
      }
    }
    if (this.writeFd < 0) this.startSegment((seqs[seqs.length - 1] ?? 0) + 1);
    this.enforceRetention();
  }

  private get active(): Segment {
    return this.segs[this.segs.length - 1]!;
  }

  private startSegment(seq: number): void {
    for (let s = seq; ; s++) {
      const path = join(this.segDir, segName(s));
      let fd: number;
      try {
        fd = fs.openSync(path, 'wx+');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      fs.writeSync(fd, segmentHeader(this.now()), 0, SEGMENT_HEADER, 0);
      const index = new SegmentIndex();
      index.coveredBytes = SEGMENT_HEADER;
      this.presize(index);
      this.writeFd = fd;
      this.segs.push({ seq: s, path, fd: fs.openSync(path, 'r'), index, size: SEGMENT_HEADER });
      return;
    }
  }

  /**
   * Reserves the columns of a new active segment: as many as the segment before it filled, or
   * for a first segment an estimate from the segment size (SDK spans take 100 to 300 bytes).
   */
  private presize(index: SegmentIndex): void {
    const prev = this.segs[this.segs.length - 1]?.index;
    if (prev && prev.spanCount > 0) index.presize(prev.spanCount, prev.attrs.key.length, prev.traceCount);
    else {
      const spans = Math.floor(this.segmentBytes / 128);
      index.presize(spans, 2 * spans, spans >> 2);
    }
  }

  /**
   * Seals the active segment and starts the next one at once; the sealed segment's fsync and
   * checkpoint follow in the background (`seal`), one seal after another, while appends and
   * queries carry on. In VS Code the store runs in the extension host, where an fsync of 64 MiB
   * and a 40 MB checkpoint written synchronously held every extension for as long as the disk
   * took. `close` waits for the seals.
   */
  private rotate(): void {
    const seg = this.active;
    const fd = this.writeFd;
    this.startSegment(seg.seq + 1);
    this.dirty = false;
    this.sealing = this.sealing.then(() => this.seal(seg, fd));
  }

  /** The seals still being written (see `rotate`), in order. */
  private sealing: Promise<void> = Promise.resolve();

  /** Makes a sealed segment durable, writes its checkpoint and trims its columns. */
  private async seal(seg: Segment, fd: number): Promise<void> {
    try {
      await fdatasync(fd);
    } catch (err) {
      this.log(`cannot flush ${seg.path}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await close(fd).catch(() => undefined);
    }
    if (await this.writeCheckpoint(seg)) seg.index.compact();
  }

  /**
   * Writes the checkpoint of `seg` (a temporary file, synced, then renamed over the old one), off
   * the event loop. A segment dropped meanwhile (retention, Clear Local Traces), or a store another
   * process took over, gets none: the check and the rename run together, with no await between
   * them. Resolves whether the segment is still this store's.
   */
  private async writeCheckpoint(seg: Segment): Promise<boolean> {
    const live = (): boolean => this.lock.held && this.segs.includes(seg);
    if (!live()) return false;
    const path = idxPath(seg.path);
    const tmp = `${path}.tmp`;
    try {
      const handle = await fs.promises.open(tmp, 'w');
      try {
        await writeAll(handle, checkpointParts(seg.index));
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (live()) fs.renameSync(tmp, path);
      else fs.rmSync(tmp, { force: true });
    } catch (err) {
      this.log(
        `cannot write the checkpoint of ${seg.path}: ${err instanceof Error ? err.message : String(err)}`,
      );
      fs.rmSync(tmp, { force: true });
    }
    return live();
  }

  /** Calls `listener` after each write that added spans or logs; returns an unsubscribe function. */
  onDidAppend(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /**
   * Stores one OTLP export request (protobuf). Resolves once it is written (see the durability
   * note at the top); throws `OtlpDecodeError` for a body that is not the message,
   * `StoreBusyError` when the store cannot take it now.
   */
  append(kind: 'traces' | 'logs', body: Uint8Array): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new StoreBusyError('the store is closed', 5));
    let batch: SpanBatch | LogBatch;
    try {
      batch = kind === 'traces' ? scanTraces(body, this.spanBatches.pop()) : scanLogs(body);
    } catch (err) {
      return Promise.reject(err);
    }
    const result: AppendResult = {
      accepted: batch.count,
      rejected: batch.rejected,
      ...(batch.rejected > 0 ? { reason: batch.rejectReason } : {}),
    };
    if (batch.count === 0) {
      this.recycle(batch);
      return Promise.resolve(result);
    }
    if (this.queuedBytes + body.length > this.maxQueuedBytes && this.queue.length > 0) {
      this.recycle(batch);
      return Promise.reject(new StoreBusyError('the store is behind on writing; retry shortly', 1));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({
        kind: kind === 'traces' ? KIND_TRACES : KIND_LOGS,
        body,
        batch,
        receivedMs: this.now(),
        result,
        resolve,
        reject,
      });
      this.queuedBytes += body.length;
      void this.pump();
    });
  }

  /** Span batches to scan into, so a busy receiver does not allocate one per request. */
  private readonly spanBatches: SpanBatch[] = [];

  /** Gives a batch back once nothing reads it any more. */
  private recycle(batch: SpanBatch | LogBatch): void {
    if (batch instanceof SpanBatch && this.spanBatches.length < 16) this.spanBatches.push(batch);
  }

  private async pump(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.queue.length > 0 && !this.closedForWrites) {
        const entries = this.queue;
        this.queue = [];
        this.queuedBytes = 0;
        await this.writeEntries(entries);
      }
    } finally {
      this.writing = false;
      if (this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private closedForWrites = false;

  private async writeEntries(entries: Pending[]): Promise<void> {
    let total = 0;
    for (const e of entries) total += 20 + e.body.length;
    if (this.active.size > SEGMENT_HEADER && this.active.size + total > this.segmentBytes) {
      try {
        this.rotate();
        this.enforceRetention();
      } catch (err) {
        for (const e of entries) e.reject(this.writeError(err));
        return;
      }
    }
    const seg = this.active;
    const start = seg.size;
    const buffers: Uint8Array[] = [];
    const headers: Uint8Array[] = [];
    for (const e of entries) {
      const h = frameHeader(e.kind, e.receivedMs, e.body);
      headers.push(h);
      buffers.push(h, e.body);
    }
    try {
      let written = 0;
      // writev may write less than asked (large writes): continue where it stopped.
      let pending = buffers;
      while (written < total) {
        const n = (await writev(this.writeFd, pending as NodeJS.ArrayBufferView[], start + written))
          .bytesWritten;
        if (n <= 0) throw new Error('the segment file accepted no bytes');
        written += n;
        pending = skipBytes(buffers, written);
      }
      if (this.durability === 'disk') await fdatasync(this.writeFd);
      else this.dirty = true;
    } catch (err) {
      try {
        await ftruncate(this.writeFd, start);
      } catch {
        // The next open cuts whatever is left as a torn tail.
      }
      for (const e of entries) e.reject(this.writeError(err));
      return;
    }
    let p = start;
    for (const e of entries) {
      const bodyOffset = p + 20;
      if (e.kind === KIND_TRACES) seg.index.addSpans(e.batch as SpanBatch, e.body, bodyOffset, e.receivedMs);
      else seg.index.addLogs(e.batch as LogBatch, e.body, bodyOffset, e.receivedMs);
      p = bodyOffset + e.body.length;
    }
    seg.size = p;
    seg.index.coveredBytes = p;
    this.diskFullLogged = false;
    for (const e of entries) {
      this.recycle(e.batch);
      e.resolve(e.result);
    }
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A listener's failure is not the writer's.
      }
    }
  }

  private writeError(err: unknown): Error {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      if (!this.diskFullLogged)
        this.log(`the disk is full: spans are refused until there is room (${this.dir})`);
      this.diskFullLogged = true;
      return new StoreBusyError('the disk holding the trace store is full', 30, true);
    }
    this.log(`cannot write to the store: ${err instanceof Error ? err.message : String(err)}`);
    return new StoreBusyError(
      `cannot write to the store: ${err instanceof Error ? err.message : String(err)}`,
      5,
    );
  }

  /** Resolves when everything queued so far is written. */
  private idle(): Promise<void> {
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async syncIfDirty(): Promise<void> {
    if (!this.dirty || this.writeFd < 0) return;
    this.dirty = false;
    try {
      await fdatasync(this.writeFd);
    } catch {
      this.dirty = true;
    }
  }

  /** Seals an old active segment and applies retention; runs every 30 s. */
  async maintain(): Promise<void> {
    if (this.closedForWrites) return;
    await this.idle();
    if (this.writing) return; // A write started meanwhile: next time.
    const seg = this.active;
    const sealAfter = Math.min(this.maxAgeMs / 24, 3600 * 1000);
    if (
      seg.size > SEGMENT_HEADER &&
      seg.index.firstReceivedMs > 0 &&
      this.now() - seg.index.firstReceivedMs > sealAfter
    ) {
      this.writing = true;
      try {
        this.rotate();
      } finally {
        this.writing = false;
      }
    }
    this.enforceRetention();
  }

  private enforceRetention(): void {
    const now = this.now();
    let total = 0;
    for (const s of this.segs) total += s.size;
    while (this.segs.length > 1) {
      const oldest = this.segs[0]!;
      const tooOld = oldest.index.lastReceivedMs > 0 && now - oldest.index.lastReceivedMs > this.maxAgeMs;
      const emptyOld = oldest.index.lastReceivedMs === 0;
      if (!tooOld && !emptyOld && total <= this.maxBytes) break;
      total -= oldest.size;
      this.drop(oldest, tooOld ? 'older than the age limit' : emptyOld ? 'empty' : 'over the size limit');
    }
  }

  private drop(seg: Segment, why: string): void {
    this.segs = this.segs.filter((s) => s !== seg);
    try {
      fs.closeSync(seg.fd);
    } catch {
      // Already closed.
    }
    fs.rmSync(seg.path, { force: true });
    fs.rmSync(idxPath(seg.path), { force: true });
    if (seg.index.spanCount + seg.index.logCount > 0)
      this.log(
        `retention: removed segment ${seg.seq} (${seg.index.spanCount} spans, ${seg.index.logCount} logs; ${why})`,
      );
  }

  /** Deletes every trace and log ("Clear Local Traces"). */
  async clear(): Promise<void> {
    await this.idle();
    while (this.writing) await this.idle();
    this.writing = true;
    try {
      const next = this.active.seq + 1;
      if (this.writeFd >= 0) fs.closeSync(this.writeFd);
      this.writeFd = -1;
      for (const s of [...this.segs]) this.drop(s, 'cleared');
      this.segs = [];
      this.startSegment(next);
      this.dirty = false;
    } finally {
      this.writing = false;
    }
    void this.pump();
    for (const l of this.listeners) l();
  }

  private stopWriting(why: string): void {
    if (this.closedForWrites) return;
    this.closedForWrites = true;
    this.closed = true;
    for (const e of this.queue.splice(0)) e.reject(new StoreBusyError(`the store stopped: ${why}`, 5));
  }

  /** Whether the store has stopped (closed, or the lock was lost). */
  get stopped(): boolean {
    return this.closed;
  }

  /** Writes what is queued, fsyncs, checkpoints the active segment, and releases the lock. */
  async close(): Promise<void> {
    if (this.closed && this.writeFd < 0) return;
    this.closed = true;
    await this.idle();
    this.closedForWrites = true;
    await this.sealing;
    if (this.syncTimer) clearInterval(this.syncTimer);
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    if (this.writeFd >= 0) {
      try {
        fs.fsyncSync(this.writeFd);
        fs.closeSync(this.writeFd);
        // The active segment's checkpoint covers what is written now; more is scanned on open.
        if (this.active.size > SEGMENT_HEADER) await this.writeCheckpoint(this.active);
      } catch {
        // Nothing more can be done at close.
      }
      this.writeFd = -1;
    }
    this.closeFiles();
    this.lock.release();
  }
}

/** Writes `buffers` one after another at the file's position, however many calls that takes. */
async function writeAll(handle: fs.promises.FileHandle, buffers: Uint8Array[]): Promise<void> {
  let total = 0;
  for (const b of buffers) total += b.length;
  let written = 0;
  let pending = buffers;
  while (written < total) {
    // At most IOV_MAX (1024 on Linux) buffers per call.
    const { bytesWritten } = await handle.writev(pending.slice(0, 1024) as NodeJS.ArrayBufferView[]);
    if (bytesWritten <= 0) throw new Error('the checkpoint file accepted no bytes');
    written += bytesWritten;
    pending = skipBytes(buffers, written);
  }
}

/** The part of `buffers` after the first `skip` bytes. */
function skipBytes(buffers: Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = skip;
  for (const b of buffers) {
    if (left >= b.length) {
      left -= b.length;
      continue;
    }
    out.push(left > 0 ? b.subarray(left) : b);
    left = 0;
  }
  return out;
}

/**
 * Reads a store folder without writing to it, safely beside a running writer: it never
 * truncates, stops at a record still being written, and takes segments as they are when it
 * opens or refreshes.
 */
export class StoreReader extends StoreFiles {
  static open(dir: string, log?: (message: string) => void): StoreReader {
    const reader = new StoreReader(dir, log);
    reader.refresh();
    return reader;
  }

  /** Picks up segments added, grown or removed since the last look. */
  refresh(): void {
    const seqs = listSegments(this.segDir);
    const keep = new Set(seqs);
    for (const s of this.segs) {
      if (!keep.has(s.seq)) {
        try {
          fs.closeSync(s.fd);
        } catch {
          // Already closed.
        }
      }
    }
    this.segs = this.segs.filter((s) => keep.has(s.seq));
    const known = new Map(this.segs.map((s) => [s.seq, s] as const));
    const next: Segment[] = [];
    for (const seq of seqs) {
      const have = known.get(seq);
      if (have) {
        const fileSize = fs.fstatSync(have.fd).size;
        if (fileSize > have.size) {
          const tail = readSync(have.fd, have.size, fileSize - have.size);
          have.size = indexFrames(have.index, tail, have.size).validEnd;
        }
        next.push(have);
        continue;
      }
      const path = join(this.segDir, segName(seq));
      let fd: number;
      try {
        fd = fs.openSync(path, 'r');
      } catch {
        continue; // Removed by retention meanwhile.
      }
      const { index, size } = loadSegment(path, fd, this.log);
      next.push({ seq, path, fd, index, size });
    }
    this.segs = next;
  }

  close(): void {
    this.closeFiles();
  }
}
