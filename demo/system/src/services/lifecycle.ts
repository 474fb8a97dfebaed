import type { Server } from 'node:http';
import { resolve } from 'node:path';
import type { ExportStats, Telemetry } from '../telemetry/otel';

/** Messages between run.mjs and a service it forked (over the IPC channel). */
export type ToService = { type: 'flush'; id: number } | { type: 'shutdown' };
export type FromService =
  | { type: 'ready'; service: string; port: number; pid: number }
  | { type: 'flushed'; id: number; stats: ExportStats }
  | { type: 'stopped'; stats: ExportStats };

/**
 * Runs a started service until it is told to stop. Forked by run.mjs, it reports `ready` with
 * its port, answers `flush` once the exporters have answered, and on `shutdown` (or when run.mjs
 * goes away) closes the server, shuts the SDK down so that nothing ended is lost, and exits.
 * Started by hand, it prints its URL and stops on Ctrl+C.
 */
export function runService(service: string, telemetry: Telemetry, server: Server, port: number): void {
  const send = (msg: FromService, then?: () => void) => {
    if (process.send && process.connected) process.send(msg, undefined, {}, () => then?.());
    else then?.();
  };
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeIdleConnections();
    void telemetry.shutdown().then(
      (stats) => send({ type: 'stopped', stats }, () => process.exit(0)),
      (err: unknown) => {
        console.error(`${service}: telemetry shutdown failed: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('message', (msg: ToService) => {
    if (msg.type === 'flush') {
      void telemetry.flush().then((stats) => send({ type: 'flushed', id: msg.id, stats }));
    } else if (msg.type === 'shutdown') {
      stop();
    }
  });
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.send) send({ type: 'ready', service, port, pid: process.pid });
  else console.log(`${service} listening on http://127.0.0.1:${port}`);
}

/** A required setting from the environment (run.mjs passes them); exits with a clear message. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set: start the services with run.mjs, or set it by hand`);
    process.exit(2);
  }
  return value;
}

/** Where log lines go: `DEMO_APP_LOG`, or logs/app.log beside src/. */
export function appLogPath(): string {
  return process.env['DEMO_APP_LOG'] ?? resolve(__dirname, '..', '..', 'logs', 'app.log');
}
