/**
 * OTLP/HTTP: `POST /v1/traces` and `POST /v1/logs` with protobuf or JSON bodies, optionally
 * gzip-compressed, answered per the OTLP specification in the request's encoding:
 *
 * - 200 with `partial_success` (rejected count and the first reason) when items were left out;
 * - 400 with a `google.rpc.Status` for a body that does not decode;
 * - 413 past the size cap (the decompressed size is capped too);
 * - 415 for another content type or encoding;
 * - 429 (store behind) or 503 (disk full, store stopped) with `Retry-After`.
 *
 * The handler only parses and answers; what to do with a good body is the sink's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as zlib from 'node:zlib';
import { jsonToProto, OtlpDecodeError, parseJsonBody } from './json';
import { ProtoWriter } from './protoWriter';

/** What the receiver hands good bodies to (the store). */
export interface OtlpSink {
  /**
   * Stores an export request (protobuf). Resolves with what was kept once it is durable enough
   * to acknowledge; rejects with `OtlpDecodeError` for a bad body, or an error carrying
   * `retryAfterSeconds` (and `diskFull`) when the sink cannot take it now.
   */
  append(kind: 'traces' | 'logs', body: Uint8Array): Promise<{ rejected: number; reason?: string }>;
  // The body's memory is the receiver's: it is reused for a later request once the promise
  // settles, so a sink copies whatever it keeps beyond that (the store writes it, then lets go).
}

/** Options of the OTLP/HTTP handler. */
export interface OtlpHttpOptions {
  /** Cap on the body, compressed and decompressed. Default 16 MiB. */
  maxBodyBytes?: number;
  /** Host names accepted in the `Host` header (defends a loopback server against DNS rebinding); all when undefined. */
  allowedHosts?: ReadonlySet<string>;
  log?: (message: string) => void;
}

/** gRPC status codes used in `google.rpc.Status` bodies. */
export const GRPC = {
  invalidArgument: 3,
  notFound: 5,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
} as const;

/** The export response of a request whose items were all kept: the same bytes every time. */
const ACCEPTED_PROTO = new Uint8Array(0);
const ACCEPTED_JSON = new TextEncoder().encode('{}');

/** The export response: empty, or with a partial success. The bytes are shared: do not change them. */
export function exportResponse(
  kind: 'traces' | 'logs',
  rejected: number,
  message: string,
  json: boolean,
): Uint8Array {
  if (rejected <= 0) return json ? ACCEPTED_JSON : ACCEPTED_PROTO;
  if (json) {
    const body = {
      partialSuccess: {
        [kind === 'traces' ? 'rejectedSpans' : 'rejectedLogRecords']: String(rejected),
        errorMessage: message,
      },
    };
    return new TextEncoder().encode(JSON.stringify(body));
  }
  const w = new ProtoWriter(64 + message.length * 3);
  w.begin(1);
  w.tag(1, 0);
  w.uint32(rejected);
  w.string(2, message);
  w.end();
  return w.finish();
}

/** A `google.rpc.Status` body. */
export function statusBody(code: number, message: string, json: boolean): Uint8Array {
  if (json) return new TextEncoder().encode(JSON.stringify({ code, message }));
  const w = new ProtoWriter(16 + message.length * 3);
  w.tag(1, 0);
  w.uint32(code);
  w.string(2, message);
  return w.finish();
}

/** Whether an error from the sink says "not now" (`retryAfterSeconds`). */
export function busyInfo(err: unknown): { retryAfterSeconds: number; diskFull: boolean } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const r = (err as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof r !== 'number') return undefined;
  return { retryAfterSeconds: r, diskFull: (err as { diskFull?: unknown }).diskFull === true };
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly grpc: number,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

const MiB = 1024 * 1024;

/**
 * Buffers for request bodies, reused once a request is answered: an SDK posts bodies of a few
 * hundred KiB, and allocating each anew (outside V8's heap) made V8 run a full collection
 * every few dozen requests.
 */
export class BodyPool {
  private readonly free: Buffer[] = [];
  constructor(
    /** Buffers kept at most. */
    private readonly keep = 16,
    /** Larger buffers are not kept. */
    private readonly largest = 4 * MiB,
  ) {}

  /** A buffer of `size` bytes (contents undefined): a kept one that fits, or a new one. */
  take(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i]!;
      if (b.length >= size && b.length <= 2 * size + 64 * 1024) {
        this.free.splice(i, 1);
        return b.subarray(0, size);
      }
    }
    // Room to spare, so a slightly larger body next time fits too.
    return Buffer.allocUnsafeSlow(size <= this.largest ? size + (size >> 3) : size).subarray(0, size);
  }

  /** Gives back a buffer from `take`: nothing may use it any more. */
  give(b: Buffer): void {
    const whole = Buffer.from(b.buffer, b.byteOffset, b.buffer.byteLength - b.byteOffset);
    if (b.byteOffset !== 0 || whole.length > this.largest) return;
    if (this.free.length >= this.keep) this.free.shift();
    this.free.push(whole);
  }
}

/**
 * Reads the request body up to `max` bytes; a larger one fails with 413. With a
 * `Content-Length` (`declared`), the chunks are copied into one buffer from `pool` as they
 * come; a body that turns out longer than declared falls back to collecting chunks.
 */
function readBody(
  req: IncomingMessage,
  max: number,
  declared: number,
  pool: BodyPool,
): Promise<{ body: Buffer; pooled: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let into = declared > 0 && declared <= max ? pool.take(declared) : undefined;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      if (into && size + chunk.length <= into.length) {
        chunk.copy(into, size);
        size += chunk.length;
        return;
      }
      if (into) {
        // Longer than declared: keep what came so far as a chunk of its own.
        chunks.push(Buffer.from(into.subarray(0, size)));
        pool.give(into);
        into = undefined;
      }
      size += chunk.length;
      if (size > max) {
        done = true;
        reject(new HttpFailure(413, GRPC.resourceExhausted, `the body is larger than ${max} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        if (into) resolve({ body: size === into.length ? into : into.subarray(0, size), pooled: true });
        else resolve({ body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), pooled: false });
      }
      done = true;
    });
    req.on('error', (err) => {
      if (!done) reject(err);
      done = true;
    });
    req.on('aborted', () => {
      if (!done) reject(new Error('the client went away'));
      done = true;
    });
  });
}

function gunzip(body: Buffer, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zlib.gunzip(body, { maxOutputLength: max }, (err, out) => {
      if (!err) return resolve(out);
      if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        reject(
          new HttpFailure(
            413,
            GRPC.resourceExhausted,
            `the body is larger than ${max} bytes once decompressed`,
          ),
        );
      else
        reject(
          new HttpFailure(400, GRPC.invalidArgument, `the gzip body cannot be decompressed (${err.message})`),
        );
    });
  });
}

/** The host name of a `Host` header (without the port, brackets removed). */
export function hostOf(header: string | undefined): string {
  if (!header) return '';
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/** Builds the request handler of an OTLP/HTTP receiver. */
export function otlpHttpHandler(
  sink: OtlpSink,
  options: OtlpHttpOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const max = options.maxBodyBytes ?? 16 * MiB;
  const pool = new BodyPool();
  const lastLogged = new Map<string, number>();
  const log = (key: string, message: string): void => {
    const now = Date.now();
    if ((lastLogged.get(key) ?? 0) > now - 60000) return;
    lastLogged.set(key, now);
    options.log?.(message);
  };

  return (req, res) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    const kind = path === '/v1/traces' ? 'traces' : path === '/v1/logs' ? 'logs' : undefined;
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const json = type === 'application/json';
    const proto = type === 'application/x-protobuf' || type === 'application/protobuf';
    const send = (status: number, body: Uint8Array, headers: Record<string, string> = {}): void => {
      if (res.headersSent) return;
      res.writeHead(status, {
        'Content-Type': proto ? 'application/x-protobuf' : 'application/json',
        'Content-Length': String(body.length),
        ...headers,
      });
      res.end(body);
    };
    const fail = (f: HttpFailure): void => {
      const asJson = !proto;
      const headers: Record<string, string> = {};
      if (f.retryAfter !== undefined) headers['Retry-After'] = String(f.retryAfter);
      if (f.status === 413) headers['Connection'] = 'close';
      if (f.status === 405) headers['Allow'] = 'POST';
      send(f.status, statusBody(f.grpc, f.message, asJson), headers);
      if (f.status === 413) req.resume();
    };

    const run = async (): Promise<void> => {
      if (options.allowedHosts && !options.allowedHosts.has(hostOf(req.headers.host)))
        throw new HttpFailure(
          403,
          GRPC.invalidArgument,
          'this receiver only answers requests addressed to the loopback interface',
        );
      if (!kind)
        throw new HttpFailure(
          404,
          GRPC.unimplemented,
          `no OTLP endpoint at ${path}: use /v1/traces or /v1/logs`,
        );
      if (req.method !== 'POST')
        throw new HttpFailure(405, GRPC.unimplemented, `${req.method} is not allowed: OTLP/HTTP uses POST`);
      if (!json && !proto)
        throw new HttpFailure(
          415,
          GRPC.invalidArgument,
          `unsupported content type "${type.slice(0, 60)}": send application/x-protobuf or application/json`,
        );
      const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
      if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== '')
        throw new HttpFailure(
          415,
          GRPC.invalidArgument,
          `unsupported content encoding "${encoding.slice(0, 40)}": send gzip or none`,
        );
      const declared = Number(req.headers['content-length']);
      let result: { rejected: number; reason?: string };
      if (Number.isFinite(declared) && declared > max)
        throw new HttpFailure(413, GRPC.resourceExhausted, `the body is larger than ${max} bytes`);
      const got = await readBody(req, max, Number.isFinite(declared) ? declared : -1, pool);
      // The pooled buffer goes back once nothing reads it: after the gunzip, or once the
      // sink has settled (see OtlpSink.append).
      let reuse = got.pooled ? got.body : undefined;
      try {
        let body = got.body;
        if (encoding === 'gzip') {
          try {
            body = await gunzip(body, max);
          } finally {
            if (reuse) pool.give(reuse);
            reuse = undefined;
          }
        }
        let request: Uint8Array;
        try {
          request = json
            ? jsonToProto(
                kind === 'traces' ? 'ExportTraceServiceRequest' : 'ExportLogsServiceRequest',
                parseJsonBody(body.toString('utf8')),
                body.length,
              )
            : new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
        } catch (err) {
          if (err instanceof OtlpDecodeError) throw new HttpFailure(400, GRPC.invalidArgument, err.message);
          throw err;
        }
        try {
          result = await sink.append(kind, request);
        } catch (err) {
          if (err instanceof OtlpDecodeError) throw new HttpFailure(400, GRPC.invalidArgument, err.message);
          const busy = busyInfo(err);
          if (busy)
            throw new HttpFailure(
              busy.diskFull ? 503 : 429,
              busy.diskFull ? GRPC.unavailable : GRPC.resourceExhausted,
              err instanceof Error ? err.message : String(err),
              busy.retryAfterSeconds,
            );
          throw err;
        }
      } finally {
        if (reuse) pool.give(reuse);
      }
      const message = result.rejected > 0 ? (result.reason ?? 'some items were not valid') : '';
      if (result.rejected > 0)
        log(`partial:${message}`, `OTLP ${kind}: ${result.rejected} left out: ${message}`);
      send(200, exportResponse(kind, result.rejected, message, json));
    };

    run().catch((err: unknown) => {
      if (err instanceof HttpFailure) {
        if (err.status === 400 || err.status === 413 || err.status === 415)
          log(
            `${err.status}:${err.message.slice(0, 40)}`,
            `OTLP ${kind ?? path}: ${err.status} ${err.message}`,
          );
        fail(err);
        return;
      }
      const message = err instanceof Error ? err.message : String(err);
      log(`500:${message.slice(0, 40)}`, `OTLP ${kind ?? path}: ${message}`);
      fail(new HttpFailure(503, GRPC.unavailable, `the receiver failed: ${message}`, 5));
    });
  };
}
