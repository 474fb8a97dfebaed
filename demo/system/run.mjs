// Runs the demo system: four instrumented Node services on loopback, each its own process, plus
// the stubs they talk to (the partner API and the mail relay, in this process). It runs one
// invoice-sync workflow and one batch, waits until every service's exporters have answered, prints
// the trace IDs and exits; or, with --serve, keeps the services up for further runs.
//
//   node run.mjs [--workspace DIR] [--once workflow,batch] [--json]
//   node run.mjs [--workspace DIR] --serve [--once workflow,batch]
//   node run.mjs [--workspace DIR] --trigger workflow       one more run in a --serve instance
//
// --workspace DIR  the demo workspace: logs go to DIR/logs/app.log, and the services run from
//                  DIR/src, so the code.* attributes of their spans name files in DIR. An empty or
//                  missing DIR gets a copy of this folder (node_modules linked); an existing copy is
//                  used as it is, edits included. Default: this folder.
// --once LIST      what to run, comma-separated: workflow, batch (default both; none with --serve)
// --serve          keep running; `--trigger LIST` (or POST <control>/runs?what=LIST) runs again
// --json           one JSON object on stdout at the end, everything else on stderr
//
// Traces and logs go over OTLP http/protobuf to OTEL_EXPORTER_OTLP_ENDPOINT (default
// http://127.0.0.1:4318, where Trace Lens receives). Each service gets its own OTEL_SERVICE_NAME
// (workflow-engine, data-fetch, notifier, batch-api); the other OTEL_* variables pass through.
// Stdout has one line `trace <kind> <trace id>` per run. Exit 0 when the runs answered and every
// span and log record was exported, 1 otherwise, 2 for a usage error.
import { fork } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startPartnerApi } from './stubs/partnerApi.mjs';
import { startSmtpRelay } from './stubs/smtpRelay.mjs';

const SYSTEM = dirname(fileURLToPath(import.meta.url));
/** What a demo workspace holds: the system's sources and editor settings, not its tooling. */
const WORKSPACE_FILES = [
  'README.md',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'run.mjs',
  'src',
  'stubs',
  '.vscode',
];
const KINDS = ['workflow', 'batch'];
const SERVICES = [
  { name: 'data-fetch', entry: 'dataFetch' },
  { name: 'notifier', entry: 'notifier' },
  { name: 'batch-api', entry: 'batchApi' },
  // Last: it needs the URLs of the two above.
  { name: 'workflow-engine', entry: 'workflowEngine' },
];
const READY_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 120_000;

// ---------------------------------------------------------------------------------------------
// Arguments

function usage(message) {
  if (message) console.error(`run.mjs: ${message}`);
  console.error(
    'usage: node run.mjs [--workspace DIR] [--once workflow,batch] [--serve] [--json] | --trigger workflow,batch',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { workspace: SYSTEM, once: undefined, serve: false, json: false, trigger: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? usage(`${arg} needs a value`);
    if (arg === '--workspace') opts.workspace = resolve(value());
    else if (arg === '--once') opts.once = kinds(value());
    else if (arg === '--trigger') opts.trigger = kinds(value());
    else if (arg === '--serve') opts.serve = true;
    else if (arg === '--json') opts.json = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  opts.once ??= opts.serve ? [] : KINDS;
  return opts;
}

function kinds(list) {
  const out = list.split(',').filter(Boolean);
  for (const k of out) if (!KINDS.includes(k)) usage(`unknown run ${k} (use ${KINDS.join(', ')})`);
  return out;
}

const opts = parseArgs(process.argv.slice(2));
/** Human-readable progress: stdout, or stderr when stdout carries the JSON result. */
const say = (line) => (opts.json ? console.error : console.log)(`[demo] ${line}`);

// ---------------------------------------------------------------------------------------------
// Workspace

/** Makes `dir` a demo workspace unless it is one; returns where its sources are. */
function prepareWorkspace(dir) {
  const same = existsSync(dir) && realpathSync(dir) === realpathSync(SYSTEM);
  if (!same && !existsSync(join(dir, 'src', 'services', 'workflowEngine.ts'))) {
    if (existsSync(dir) && readdirSync(dir).some((f) => f !== 'logs')) {
      throw new Error(`${dir} is neither empty nor a demo workspace; give an empty or new folder`);
    }
    for (const item of WORKSPACE_FILES) {
      if (existsSync(join(SYSTEM, item))) cpSync(join(SYSTEM, item), join(dir, item), { recursive: true });
    }
    say(`workspace: ${dir} (a copy of ${SYSTEM})`);
  } else {
    say(`workspace: ${dir}`);
  }
  // The services and the editor resolve the SDK from the workspace: link this folder's install.
  if (!same && !existsSync(join(dir, 'node_modules')) && existsSync(join(SYSTEM, 'node_modules'))) {
    symlinkSync(join(SYSTEM, 'node_modules'), join(dir, 'node_modules'), 'junction');
  }
  let tsx;
  try {
    tsx = pathToFileURL(createRequire(join(dir, 'package.json')).resolve('tsx')).href;
  } catch {
    throw new Error(`the demo's dependencies are not installed: run \`npm ci\` in ${SYSTEM}`);
  }
  return { src: join(dir, 'src'), tsx, log: join(dir, 'logs', 'app.log') };
}

// ---------------------------------------------------------------------------------------------
// Services

class Service {
  constructor(name, child) {
    this.name = name;
    this.child = child;
    this.waiters = new Map();
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    child.on('message', (msg) => {
      const waiter = this.waiters.get(msg.type === 'flushed' ? `flushed:${msg.id}` : msg.type);
      waiter?.(msg);
    });
  }

  /** The next message of `key` (`ready`, `stopped`, `flushed:<id>`), or a rejection if the child exits. */
  next(key, timeoutMs) {
    return new Promise((resolveMsg, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.name}: no ${key} within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      this.waiters.set(key, (msg) => {
        clearTimeout(timer);
        this.waiters.delete(key);
        resolveMsg(msg);
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`${this.name} exited (${code ?? signal}) before ${key}`));
      });
    });
  }
}

/** Forks one service from `src/services/<entry>.ts` through tsx, and waits until it listens. */
async function startService({ name, entry }, ws, env) {
  const child = fork(join(ws.src, 'services', `${entry}.ts`), [], {
    cwd: dirname(ws.src),
    execArgv: ['--import', ws.tsx],
    env: { ...process.env, ...env, OTEL_SERVICE_NAME: name, DEMO_APP_LOG: ws.log },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) console.error(`[${name}] ${line}`);
    });
  }
  const service = new Service(name, child);
  const ready = await service.next('ready', READY_TIMEOUT_MS);
  service.url = `http://127.0.0.1:${ready.port}`;
  return service;
}

async function startSystem(ws) {
  const partner = await startPartnerApi();
  const relay = await startSmtpRelay();
  const services = {};
  const stubEnv = { PARTNER_API_URL: partner.url, SMTP_RELAY: `${relay.host}:${relay.port}` };
  const first = SERVICES.filter((s) => s.name !== 'workflow-engine');
  for (const s of await Promise.all(first.map((s) => startService(s, ws, stubEnv)))) services[s.name] = s;
  const engineEnv = { DATA_FETCH_URL: services['data-fetch'].url, NOTIFIER_URL: services.notifier.url };
  services['workflow-engine'] = await startService(SERVICES[3], ws, engineEnv);
  for (const s of Object.values(services)) say(`${s.name.padEnd(15)} ${s.url} (pid ${s.child.pid})`);
  return { services, stubs: [partner, relay] };
}

let flushIds = 0;

/** Every service exports what has ended; resolves with each one's export counts. */
async function flushAll(services) {
  const id = ++flushIds;
  return Object.fromEntries(
    await Promise.all(
      Object.values(services).map(async (s) => {
        const reply = s.next(`flushed:${id}`, RUN_TIMEOUT_MS);
        s.child.send({ type: 'flush', id });
        return [s.name, (await reply).stats];
      }),
    ),
  );
}

/** Every service shuts its SDK down (which exports everything) and exits. */
async function stopAll(system) {
  const stats = Object.fromEntries(
    await Promise.all(
      Object.values(system.services).map(async (s) => {
        if (!s.child.connected) return [s.name, undefined];
        const reply = s.next('stopped', RUN_TIMEOUT_MS).catch(() => undefined);
        s.child.send({ type: 'shutdown' });
        const msg = await reply;
        await s.exited;
        return [s.name, msg?.stats];
      }),
    ),
  );
  await Promise.all(system.stubs.map((s) => s.close()));
  return stats;
}

// ---------------------------------------------------------------------------------------------
// Runs

const firstOfMonth = () => `${new Date().toISOString().slice(0, 7)}-01`;

async function post(url, body, contentType, headers = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
    signal: AbortSignal.timeout(RUN_TIMEOUT_MS),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`POST ${url} → ${res.status}: ${json?.error?.message ?? 'no detail'}`);
  return json;
}

/** The span of the last sync run (a `traceparent` value): the next batch imports its invoices. */
let lastSyncRun;

const RUNS = {
  /** The nightly invoice sync for tenant acme: slow partner API at step 3, mail refused at step 4. */
  async workflow(services) {
    const input = {
      account: 'acct_7k2m9x4q1p0z',
      since: firstOfMonth(),
      recipients: ['ap@acme.example', 'controller@acme.example'],
    };
    const url = `${services['workflow-engine'].url}/workflows/wf-invoice-sync/runs`;
    const r = await post(url, JSON.stringify({ tenant: 'acme', input }), 'application/json');
    const outcome = r.status === 'failed' ? `failed at step ${r.failedStep}: ${r.error}` : r.status;
    lastSyncRun = r.traceparent ?? lastSyncRun;
    return {
      kind: 'workflow',
      traceId: r.traceId,
      runId: r.runId,
      status: r.status,
      summary: `wf-invoice-sync ${r.runId} ${outcome}`,
    };
  },
  /**
   * A CSV of 1,000 items for batch-api; the stub database holds a few of their rows locked. The
   * request names the last sync run, and the batch's span links to it (a span link across traces).
   */
  async batch(services) {
    const lines = ['id,account,amount_cents,currency'];
    for (let i = 1; i <= 1000; i++) {
      lines.push(`${10000 + i},acct_${String(i % 37).padStart(12, '0')},${1000 + ((i * 7919) % 90000)},EUR`);
    }
    const source = lastSyncRun ? { 'x-source-traceparent': lastSyncRun } : {};
    const r = await post(`${services['batch-api'].url}/batches`, `${lines.join('\n')}\n`, 'text/csv', source);
    return {
      kind: 'batch',
      traceId: r.traceId,
      batchId: r.batchId,
      items: r.items,
      failed: r.failed,
      summary: `${r.batchId}: ${r.items} items, ${r.failed} failed`,
    };
  },
};

async function runAll(services, which) {
  const started = Date.now();
  // One after the other, the sync run first: the batch links to it.
  const results = [];
  for (const kind of KINDS.filter((k) => which.includes(k))) results.push(await RUNS[kind](services));
  for (const r of results) {
    say(`${r.kind} ${r.summary}`);
    if (!opts.json) console.log(`trace ${r.kind} ${r.traceId}`);
  }
  say(`ran ${which.join(' and ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return results;
}

function reportExports(stats) {
  let failed = 0;
  const parts = [];
  for (const [name, s] of Object.entries(stats)) {
    if (!s) {
      parts.push(`${name}: no report`);
      failed += 1;
      continue;
    }
    parts.push(`${name} ${s.spans.exported} spans, ${s.logs.exported} logs`);
    if (s.spans.failed || s.logs.failed) {
      failed += 1;
      say(
        `${name}: ${s.spans.failed} spans and ${s.logs.failed} log records NOT exported: ${s.errors.join('; ')}`,
      );
    }
  }
  say(`exported: ${parts.join('; ')}`);
  if (failed)
    say(`is an OTLP receiver listening at ${endpoint()}? (Trace Lens's, or set OTEL_EXPORTER_OTLP_ENDPOINT)`);
  return failed === 0;
}

const endpoint = () =>
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??
  'http://127.0.0.1:4318';

// ---------------------------------------------------------------------------------------------
// --serve and --trigger

const serveFile = (dir) => join(dir, '.demo', 'serve.json');

/** A loopback control endpoint: `POST /runs?what=workflow,batch` runs, flushes, answers the traces. */
async function startControl(services, dir) {
  let busy = Promise.resolve();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const answer = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const which = (url.searchParams.get('what') ?? 'workflow').split(',').filter(Boolean);
    if (req.method !== 'POST' || url.pathname !== '/runs' || which.some((k) => !KINDS.includes(k))) {
      return answer(404, { error: 'POST /runs?what=workflow,batch' });
    }
    busy = busy.then(async () => {
      try {
        const traces = await runAll(services, which);
        const stats = await flushAll(services);
        answer(200, { traces, exported: reportExports(stats) });
      } catch (err) {
        answer(500, { error: err instanceof Error ? err.message : String(err) });
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const control = `http://127.0.0.1:${server.address().port}`;
  mkdirSync(dirname(serveFile(dir)), { recursive: true });
  writeFileSync(serveFile(dir), `${JSON.stringify({ pid: process.pid, control }, null, 2)}\n`);
  say(`serving; another run: node run.mjs --trigger workflow (or POST ${control}/runs?what=workflow,batch)`);
  return server;
}

async function trigger(dir, which) {
  let control;
  try {
    ({ control } = JSON.parse(readFileSync(serveFile(dir), 'utf8')));
  } catch {
    throw new Error(`no \`run.mjs --serve\` is running for ${dir} (${serveFile(dir)} is missing)`);
  }
  const r = await post(`${control}/runs?what=${which.join(',')}`, '', 'text/plain').catch((err) => {
    throw new Error(`the --serve instance at ${control} did not answer: ${err.message}`);
  });
  for (const t of r.traces) {
    say(`${t.kind} ${t.summary}`);
    console.log(`trace ${t.kind} ${t.traceId}`);
  }
  return r.exported;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  if (opts.trigger) {
    process.exit((await trigger(opts.workspace, opts.trigger)) ? 0 : 1);
  }
  mkdirSync(opts.workspace, { recursive: true });
  const ws = prepareWorkspace(opts.workspace);
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT ??= 'http://127.0.0.1:4318';
  say(`log: ${ws.log}`);
  say(`OTLP http/protobuf to ${endpoint()}`);

  const system = await startSystem(ws);
  let stopping;
  const stop = () => (stopping ??= stopAll(system));
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      say(`${signal}: stopping the services (they export what they hold first)`);
      rmSync(serveFile(opts.workspace), { force: true });
      void stop().then((stats) => process.exit(reportExports(stats) ? 0 : 1));
    });
  }
  for (const s of Object.values(system.services)) {
    void s.exited.then(({ code, signal }) => {
      if (stopping) return;
      say(`${s.name} stopped unexpectedly (${code ?? signal})`);
      void stop().then(() => process.exit(1));
    });
  }

  let results = [];
  try {
    results = await runAll(system.services, opts.once);
  } catch (err) {
    say(`run failed: ${err instanceof Error ? err.message : err}`);
    await stop();
    process.exit(1);
  }

  if (opts.serve) {
    if (results.length) reportExports(await flushAll(system.services));
    await startControl(system.services, opts.workspace);
    return;
  }
  const ok = reportExports(await stop());
  if (opts.json) {
    const services = Object.fromEntries(Object.values(system.services).map((s) => [s.name, s.url]));
    const out = {
      workspace: opts.workspace,
      log: ws.log,
      endpoint: endpoint(),
      traces: results,
      services,
      exported: ok,
    };
    console.log(JSON.stringify(out));
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err) => {
  say(`error: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
