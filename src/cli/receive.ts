/**
 * `trace-lens receive`: the embedded receiver, store and Tempo-compatible query API in the
 * foreground, until SIGINT or SIGTERM.
 *
 *   trace-lens receive [--store DIR] [--http-port N] [--grpc-port N] [--query-port N] [--bind ADDR]
 *
 * Prints one line, `receiving OTLP on http://127.0.0.1:<http> and 127.0.0.1:<grpc>; Tempo API on
 * http://127.0.0.1:<query>`, with the real ports (0 asks for any free port). Its own arguments
 * are parsed here, with `node:util` `parseArgs`.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startReceiver, type GrpcModule, type Receiver } from '../core/store';

/** Exit codes, as main.ts numbers them. */
const EXIT = { ok: 0, usage: 2, backend: 3 } as const;

/** The store folder: `--store`, else `$TRACE_LENS_STORE`, else `~/.trace-lens/store`. */
export function defaultStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.TRACE_LENS_STORE || join(homedir(), '.trace-lens', 'store');
}

/** Loads the gRPC bundle beside this one (`dist/grpc.js`), or the source when run unbundled. */
export function loadGrpc(): GrpcModule {
  const bundled = join(__dirname, 'grpc.js');
  const target = existsSync(bundled) ? bundled : join(__dirname, '../core/otlp/grpcServer');
  // A computed path, so esbuild leaves gRPC out of the CLI bundle.
  return createRequire(__filename)(target) as GrpcModule;
}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new Error(`--${name} must be a port number from 0 to 65535`);
  return n;
}

/** Options of `receive` (signals are injectable for tests). */
export interface ReceiveIo {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Resolves when the process should stop. Default: the first SIGINT or SIGTERM. */
  stopped?: Promise<void>;
  /** Called once the receiver is up (tests). */
  onStarted?: (receiver: Receiver) => void;
}

function signals(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** Runs `receive` with its arguments (after the command word); resolves with the exit code. */
export async function receive(argv: string[], io: ReceiveIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        store: { type: 'string' },
        'http-port': { type: 'string' },
        'grpc-port': { type: 'string' },
        'query-port': { type: 'string' },
        bind: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    io.err(`trace-lens: ${e instanceof Error ? e.message : String(e)} (see trace-lens --help)`);
    return EXIT.usage;
  }
  let ports: { http: number; grpc: number; query: number };
  try {
    ports = {
      http: port('http-port', values['http-port'] as string | undefined, 4318),
      grpc: port('grpc-port', values['grpc-port'] as string | undefined, 4317),
      query: port('query-port', values['query-port'] as string | undefined, 4319),
    };
  } catch (e) {
    io.err(`trace-lens: ${(e as Error).message}`);
    return EXIT.usage;
  }
  const dir = resolve((values.store as string | undefined) ?? defaultStoreDir());
  const bind = (values.bind as string | undefined) ?? '127.0.0.1';
  let receiver: Receiver;
  try {
    receiver = await startReceiver({
      storeDir: dir,
      httpPort: ports.http,
      grpcPort: ports.grpc,
      queryPort: ports.query,
      bind,
      loadGrpc,
      log: (m) => io.err(`trace-lens: ${m}`),
    });
  } catch (e) {
    io.err(`trace-lens: cannot use the store ${dir}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.usage;
  }
  const s = receiver.status;
  if (s.role !== 'writer') {
    await receiver.close();
    io.err(
      `trace-lens: the store ${dir} is already written by process ${s.writerPid ?? '?'}${s.queryUrl ? ` (Tempo API on ${s.queryUrl})` : ''}; stop it or use another --store`,
    );
    return EXIT.backend;
  }
  const host = bind.includes(':') ? `[${bind}]` : bind;
  const otlp = [
    s.httpPort !== undefined ? `http://${host}:${s.httpPort}` : undefined,
    s.grpcPort !== undefined ? `${host}:${s.grpcPort}` : undefined,
  ].filter(Boolean);
  io.out(
    `receiving OTLP on ${otlp.length ? otlp.join(' and ') : 'nothing (every port is taken)'}; Tempo API on ${s.queryUrl ?? 'no port'}`,
  );
  io.onStarted?.(receiver);
  await (io.stopped ?? signals());
  await receiver.close();
  return EXIT.ok;
}
