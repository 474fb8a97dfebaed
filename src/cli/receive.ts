/**
 * `trace-lens receive`: the embedded receiver, store and Tempo-compatible query API in the
 * foreground, until SIGINT or SIGTERM.
 *
 * Prints one line, `receiving OTLP on http://127.0.0.1:<http> and 127.0.0.1:<grpc>; Tempo API on
 * http://127.0.0.1:<query>`, with the real ports (0 asks for any free port).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { startReceiver, type GrpcModule, type Receiver } from '../core/store';
import { CliError, EXIT, defineCommand } from './command';

/** The store folder when `--store` is not given: `$TRACE_LENS_STORE`, else `~/.trace-lens/store`. */
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
  if (!/^\d+$/.test(value) || n > 65535)
    throw new CliError(EXIT.usage, `--${name} must be a port number from 0 to 65535`);
  return n;
}

/** Resolves at the first SIGINT or SIGTERM, then stops listening for them. */
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

/** `receive`: runs until SIGINT or SIGTERM, then closes the store; exit 3 if another process writes it. */
export const receiveCommand = defineCommand({
  name: 'receive',
  usage: `  trace-lens receive [--store DIR] [--http-port N] [--grpc-port N] [--query-port N] [--bind ADDR]
      Receive OTLP (HTTP 4318, gRPC 4317) into a store folder (default $TRACE_LENS_STORE or
      ~/.trace-lens/store) and serve it with Tempo's HTTP API (4319) until Ctrl+C. Port 0 means
      any free port; --bind defaults to 127.0.0.1.`,
  options: {
    store: { type: 'string' },
    'http-port': { type: 'string' },
    'grpc-port': { type: 'string' },
    'query-port': { type: 'string' },
    bind: { type: 'string' },
  },
  async run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new CliError(EXIT.usage, 'receive takes no arguments, only options');
    const ports = {
      http: port('http-port', values['http-port'], 4318),
      grpc: port('grpc-port', values['grpc-port'], 4317),
      query: port('query-port', values['query-port'], 4319),
    };
    const dir = resolve(ctx.cwd, values.store ?? defaultStoreDir(ctx.env));
    const bind = values.bind ?? '127.0.0.1';
    let receiver: Receiver;
    try {
      receiver = await startReceiver({
        storeDir: dir,
        httpPort: ports.http,
        grpcPort: ports.grpc,
        queryPort: ports.query,
        bind,
        loadGrpc,
        log: (m) => ctx.note(`trace-lens: ${m}`),
      });
    } catch (e) {
      throw new CliError(
        EXIT.usage,
        `cannot use the store ${dir}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const s = receiver.status;
    if (s.role !== 'writer') {
      await receiver.close();
      throw new CliError(
        EXIT.backend,
        `the store ${dir} is already written by process ${s.writerPid ?? '?'}${s.queryUrl ? ` (Tempo API on ${s.queryUrl})` : ''}; stop it or use another --store`,
      );
    }
    const host = bind.includes(':') ? `[${bind}]` : bind;
    const otlp = [
      s.httpPort !== undefined ? `http://${host}:${s.httpPort}` : undefined,
      s.grpcPort !== undefined ? `${host}:${s.grpcPort}` : undefined,
    ].filter(Boolean);
    ctx.out(
      `receiving OTLP on ${otlp.length ? otlp.join(' and ') : 'nothing (every port is taken)'}; Tempo API on ${s.queryUrl ?? 'no port'}`,
    );
    await signals();
    await receiver.close();
    return EXIT.ok;
  },
});
