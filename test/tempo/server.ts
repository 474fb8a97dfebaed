/**
 * One real Tempo process for the tempo tier: a config generated from the shared `tempo.yaml`
 * (ports filled in, every path moved under a fresh data folder, per-instance overrides merged),
 * five free loopback ports, a readiness poll with a deadline, and a stop that sends SIGTERM and
 * SIGKILLs after a short grace (Tempo flushes for up to ~30 s; test data is disposable).
 * Every started process is also killed when the test process exits. Test-only code.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import { pollUntil } from './poll';

/** What makes one Tempo differ from the shared config. */
export interface TempoOptions {
  /** Short name, used for its folder and in messages. */
  name: string;
  /** Merged over the shared config (objects deeply, everything else replaced). */
  overrides?: Record<string, unknown>;
}

/** A running Tempo. */
export interface TempoServer {
  name: string;
  /** `http://127.0.0.1:<port>`: the HTTP API (with any `http_api_prefix` still to add). */
  origin: string;
  /** The base URL a client uses: `origin` plus `http_api_prefix`. */
  apiBase: string;
  /** `http://127.0.0.1:<port>`: the OTLP HTTP receiver (POST /v1/traces). */
  otlpHttp: string;
  /** The instance folder: config, log and `data/`. */
  dir: string;
  /** Tempo's own output (stdout and stderr). */
  logFile: string;
  stop(): Promise<void>;
}

const PORT_VARS = [
  'TEMPO_HTTP_PORT',
  'TEMPO_GRPC_PORT',
  'TEMPO_MEMBERLIST_PORT',
  'TEMPO_OTLP_GRPC_PORT',
  'TEMPO_OTLP_HTTP_PORT',
] as const;
type PortVar = (typeof PORT_VARS)[number];

const READY_DEADLINE_MS = 30_000;
/** SIGTERM first; a Tempo still flushing after this is SIGKILLed. */
const STOP_GRACE_MS = 3_000;

const running = new Set<ChildProcess>();
process.on('exit', () => {
  // Last resort (an aborted run): nothing outlives the test process.
  for (const child of running) child.kill('SIGKILL');
});

/** `count` distinct free loopback ports (held open together so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((ok, fail) => {
          const s = createServer();
          s.once('error', fail);
          s.listen(0, '127.0.0.1', () => ok(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === 'string') throw new Error('no port');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `${VAR}` in every string, as Tempo's -config.expand-env would; a lone number becomes a number. */
function expand(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') {
    const out = value.replace(/\$\{(\w+)\}/g, (_, name: string) => {
      const v = vars[name];
      if (v === undefined) throw new Error(`the Tempo config uses \${${name}}, which the tier does not set`);
      return v;
    });
    return out !== value && /^\d+$/.test(out) ? Number(out) : out;
  }
  if (Array.isArray(value)) return value.map((v) => expand(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, vars)]));
  return value;
}

/** Relative paths (`./data/...`) made absolute under `dir`, so no two runs share a WAL. */
function anchorPaths(value: unknown, dir: string, key = ''): unknown {
  if (typeof value === 'string' && (/(^|_)(path|dir)$/.test(key) || /^\.\.?\//.test(value))) {
    const abs = isAbsolute(value) ? value : resolve(dir, value);
    const rel = relative(join(dir, 'data'), abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      throw new Error(`the Tempo config's ${key} "${value}" is not under the data folder`);
    }
    return abs;
  }
  if (Array.isArray(value)) return value.map((v) => anchorPaths(v, dir));
  if (isObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, anchorPaths(v, dir, k)]));
  return value;
}

function merge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
  return out;
}

/** The config for one instance, as YAML text. Exported for the tier's own check of it. */
export function tempoConfig(
  sharedYaml: string,
  dir: string,
  ports: Record<PortVar, number>,
  overrides: Record<string, unknown> = {},
): string {
  const vars = Object.fromEntries(PORT_VARS.map((v) => [v, String(ports[v])]));
  const expanded = expand(parse(sharedYaml), vars);
  return stringify(merge(anchorPaths(expanded, dir), overrides));
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Waits for `child` to exit, up to `ms`; true when it did. */
function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((ok) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      ok(false);
    }, ms);
    const onExit = () => {
      clearTimeout(timer);
      ok(true);
    };
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await exited(child, STOP_GRACE_MS))) {
      child.kill('SIGKILL');
      await exited(child, 10_000);
    }
  }
  running.delete(child);
}

/** Is the OTLP HTTP receiver taking traces? (An empty export; tenant header for multi-tenant Tempo.) */
async function otlpAccepts(otlpHttp: string): Promise<boolean> {
  try {
    const res = await fetch(`${otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Scope-OrgID': 'ready-probe' },
      body: '{"resourceSpans":[]}',
    });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function startOnce(
  binary: string,
  sharedYaml: string,
  runDir: string,
  options: TempoOptions,
): Promise<TempoServer> {
  const dir = join(runDir, options.name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const list = await freePorts(PORT_VARS.length);
  const ports = Object.fromEntries(PORT_VARS.map((v, i) => [v, list[i]!])) as Record<PortVar, number>;
  const configFile = join(dir, 'tempo.yaml');
  writeFileSync(configFile, tempoConfig(sharedYaml, dir, ports, options.overrides));
  const logFile = join(dir, 'tempo.log');
  const log = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(binary, [`-config.file=${configFile}`], { cwd: dir, stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
  running.add(child);
  const origin = `http://127.0.0.1:${ports.TEMPO_HTTP_PORT}`;
  const otlpHttp = `http://127.0.0.1:${ports.TEMPO_OTLP_HTTP_PORT}`;
  const prefix = options.overrides?.['http_api_prefix'];
  const server: TempoServer = {
    name: options.name,
    origin,
    apiBase: typeof prefix === 'string' ? `${origin}${prefix}` : origin,
    otlpHttp,
    dir,
    logFile,
    stop: () => stopChild(child),
  };
  try {
    await pollUntil(
      `Tempo "${options.name}" ready on ${origin} and taking OTLP on ${otlpHttp}`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new StartFailed(`exited (${child.exitCode ?? child.signalCode})`);
        }
        // /ready never takes the http_api_prefix.
        const ready = await fetch(`${origin}/ready`).then(
          async (r) => r.ok && /ready/.test(await r.text()),
          () => false,
        );
        return ready && (await otlpAccepts(otlpHttp));
      },
      { deadlineMs: READY_DEADLINE_MS, intervalMs: 100, stopOn: (e) => e instanceof StartFailed },
    );
  } catch (err) {
    await stopChild(child);
    throw new StartFailed(
      `${err instanceof Error ? err.message : String(err)}\n--- ${logFile} ---\n${tail(logFile)}`,
    );
  }
  return server;
}

class StartFailed extends Error {}

/**
 * Starts a Tempo in `<runDir>/<name>/`. A port taken between choosing and binding (other
 * helpers share the machine) makes Tempo exit; that is retried with new ports.
 */
export async function startTempo(
  binary: string,
  sharedYamlFile: string,
  runDir: string,
  options: TempoOptions,
): Promise<TempoServer> {
  const sharedYaml = readFileSync(sharedYamlFile, 'utf8');
  let last: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(
        binary,
        sharedYaml,
        join(runDir, attempt === 1 ? '' : `retry${attempt}`),
        options,
      );
    } catch (err) {
      last = err;
      if (!(err instanceof StartFailed) || !/address already in use/.test(err.message)) break;
    }
  }
  throw last;
}
