// `npm run demo`: Trace Lens on real telemetry. Builds the extension, installs the demo system's
// own dependencies (demo/system, its own lock file), copies the system to a fresh demo/workspace/,
// runs one workflow and one batch into the store of the extension's receiver (through Trace Lens's
// receiver, `dist/cli.js receive`, on that store folder), then opens the workspace in VS Code with
// Trace Lens loaded: its receiver opens the same store, so the traces and the log lines that name
// them are there when the window opens. F5 ("Run demo workflow") and the task of that name run the
// workflow again; the receiver gives the launch (and the task's terminal) the OTEL_* variables, so
// a fresh trace arrives in the Live view. No Tempo, fake or real, is involved.
//
//   node scripts/demo.mjs                 VS Code (`code` on PATH) or else code-server; Ctrl+C stops
//   node scripts/demo.mjs --code-server   code-server even when `code` is on PATH
//   node scripts/demo.mjs --smoke         headless check: the system once into a fresh store and a
//                                         temporary workspace, every trace ID of logs/app.log found
//                                         in the store, code-server serves the workspace, and
//                                         nothing is left running afterwards; exit 0/1
//
// Environment: DEMO_PORT (code-server port, default 8080, a free one when taken),
// TRACE_LENS_CACHE (where scripts/setup-tools.sh put Node 24 and code-server).
//
// With `code`, the traces go to the store of your VS Code profile (~/.config/Code/User/
// globalStorage/tracelens.trace-lens/store on Linux), through the receiver of a running Trace Lens
// if one holds it. With code-server, everything lives in a temporary user-data-dir removed on exit.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, platform, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  alive,
  describeProcess,
  descendants,
  ensureDemoDeps,
  extensionStoreDir,
  runDemoSystem,
  startReceiver,
  stopTree,
  storeHas,
  traceIdsIn,
  DEMO_SYSTEM,
} from './demoSystem.mjs';
import {
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  NODE24,
  SETUP_SCRIPT,
  codeServerEnv,
  codeServerInstalled,
} from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const known = new Set(['--smoke', '--code-server', '--help', '-h']);
for (const a of argv) {
  if (!known.has(a)) {
    console.error(`[demo] unknown argument ${a} (use --smoke or --code-server)`);
    process.exit(2);
  }
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log('usage: node scripts/demo.mjs [--smoke] [--code-server]');
  process.exit(0);
}
const SMOKE = argv.includes('--smoke');

/** demo/workspace/ (git-ignored); a temporary folder for --smoke, so a running demo keeps its copy. */
let WORKSPACE = join(root, 'demo', 'workspace');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started here registers a stop function; Ctrl+C, SIGTERM, a failure and a
// finished smoke run all go through stopAll() once. A stop function returns the PIDs it could not
// stop, so the smoke check can say which.

const stops = [];
let stopping;
function stopAll() {
  stopping ??= (async () => {
    const left = [];
    for (const stop of stops.splice(0).reverse()) {
      try {
        left.push(...((await stop()) ?? []));
      } catch (err) {
        console.error(`[demo] cleanup: ${err instanceof Error ? err.message : err}`);
      }
    }
    return left;
  })();
  return stopping;
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    console.log(`\n[demo] ${signal}: stopping…`);
    void stopAll().then(() => {
      console.log('[demo] stopped');
      process.exit(0);
    });
  });
}

function log(msg) {
  console.log(`[demo] ${msg}`);
}

/** Reports `msg`, stops everything started so far and exits 1. */
function fail(msg) {
  console.error(`[demo] error: ${msg}`);
  process.exitCode = 1;
  if (stops.length === 0) process.exit(1);
  void stopAll().then(() => process.exit(1));
}

/** fail() for the main flow: also throws, so that nothing after it runs. */
function fatal(msg) {
  fail(msg);
  throw new DemoError(msg);
}

class DemoError extends Error {}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Steps

function build() {
  log('building the extension (node scripts/build.mjs)');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) fatal(`the build failed (exit ${r.status ?? r.signal}); see the errors above`);
  if (!existsSync(join(root, manifest.main))) fatal(`the build did not produce ${manifest.main}`);
}

function installDemoDeps() {
  try {
    log(`demo system dependencies: ${ensureDemoDeps({ log })}`);
  } catch (err) {
    fatal(err instanceof Error ? err.message : String(err));
  }
}

/** A fresh, empty workspace folder: run.mjs copies demo/system into it. */
function prepareWorkspace() {
  if (SMOKE) {
    WORKSPACE = mkdtempSync(join(tmpdir(), 'trace-lens-demo-workspace-'));
    const dir = WORKSPACE;
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
  } else {
    rmSync(WORKSPACE, { recursive: true, force: true });
  }
}

/**
 * The workspace's own settings: new terminals (so the "Run demo workflow" task) get the receiver's
 * OTEL_* variables, as F5 launches do by default; long log lines wrap, so every ID is on screen.
 */
function workspaceSettings() {
  mkdirSync(join(WORKSPACE, '.vscode'), { recursive: true });
  const file = join(WORKSPACE, '.vscode', 'settings.json');
  const settings = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  Object.assign(settings, {
    'traceLens.receiver.injectTerminalEnv': true,
    '[log]': { 'editor.wordWrap': 'on' },
  });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** VS Code's own store of Trace Lens's receiver (`code`), under the default user-data-dir. */
function vscodeStoreDir() {
  const base =
    platform() === 'win32'
      ? join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Code')
      : platform() === 'darwin'
        ? join(homedir(), 'Library', 'Application Support', 'Code')
        : join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Code');
  return extensionStoreDir(base, EXTENSION_ID);
}

/** The OTLP/HTTP endpoint of a live writer of `storeDir` (a running VS Code's receiver), if any. */
function liveWriter(storeDir) {
  try {
    const lock = JSON.parse(readFileSync(join(storeDir, 'writer.lock'), 'utf8'));
    if (typeof lock.pid !== 'number' || typeof lock.httpPort !== 'number') return undefined;
    if (Date.now() - Number(lock.heartbeatMs) > 10_000 || !alive(lock.pid)) return undefined;
    return `http://127.0.0.1:${lock.httpPort}`;
  } catch {
    return undefined;
  }
}

/**
 * Runs the demo system once into `storeDir`: through a running receiver of that store, or through
 * `trace-lens receive` started (and stopped again) here. In --smoke, also checks the product story
 * through the receiver's query API (demo/system/check.mjs) while it runs.
 */
async function populateStore(storeDir) {
  mkdirSync(storeDir, { recursive: true });
  const running = liveWriter(storeDir);
  let receiver;
  if (running) {
    log(`a running Trace Lens receives for ${storeDir} at ${running}: sending there`);
  } else {
    receiver = await startReceiver(storeDir, { log }).catch((err) => fatal(err.message));
    stops.push(receiver.stop);
  }
  log(`running the demo system (${join(DEMO_SYSTEM, 'run.mjs')}): one workflow, one batch`);
  let run;
  try {
    run = await runDemoSystem({ workspace: WORKSPACE, endpoint: running ?? receiver.otlpUrl, log });
  } catch (err) {
    fatal(err instanceof Error ? err.message : String(err));
  }
  for (const t of run.traces) log(`trace ${t.kind.padEnd(8)} ${t.traceId}  ${t.summary}`);
  const problems = [];
  if (!run.exported) problems.push('run.mjs: not every span and log record was exported');
  if (run.left.length) {
    problems.push(`run.mjs left services running: ${run.left.map(describeProcess).join(', ')}`);
  }
  if (SMOKE && receiver) problems.push(...checkStory(run, receiver.queryUrl));
  if (receiver) {
    // Stopped now, before the editor's receiver opens the same store.
    stops.splice(stops.indexOf(receiver.stop), 1);
    const left = await receiver.stop();
    if (left.length)
      problems.push(`trace-lens receive did not stop: ${left.map(describeProcess).join(', ')}`);
    else log('receiver stopped; the store is closed and its lock released');
  }
  return { run, problems };
}

/** demo/system/check.mjs against the receiver's query API: the product story is in the store. */
function checkStory(run, queryUrl) {
  const ids = run.traces.flatMap((t) => [`--${t.kind}`, t.traceId]);
  const r = spawnSync(
    process.execPath,
    [join(DEMO_SYSTEM, 'check.mjs'), '--workspace', WORKSPACE, '--tempo', queryUrl, ...ids],
    { encoding: 'utf8', timeout: 120_000 },
  );
  for (const line of r.stdout.split('\n').filter(Boolean)) log(`check ${line}`);
  return r.status === 0 ? [] : [`demo/system/check.mjs failed (exit ${r.status ?? r.signal}) ${r.stderr}`];
}

/** Every trace ID Trace Lens detects in logs/app.log is in the store folder (read directly). */
function checkLogTraces(storeDir) {
  const file = join(WORKSPACE, 'logs', 'app.log');
  if (!existsSync(file)) return [`${file} was not written`];
  const ids = traceIdsIn(file);
  if (ids.length === 0) return [`no trace ID in ${file}`];
  const problems = [];
  for (const id of ids) {
    const r = storeHas(storeDir, id);
    if (r.found) log(`ok    ${id} in the store`);
    else problems.push(`trace ${id} of logs/app.log is not in the store: ${r.detail}`);
  }
  log(`${ids.length - problems.length} of ${ids.length} trace IDs of logs/app.log are in the store`);
  return problems;
}

function onPath(cmd) {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (d && existsSync(join(d, cmd))) return join(d, cmd);
  }
  return undefined;
}

function portFree(port) {
  return new Promise((ok) => {
    const srv = createServer();
    srv.once('error', () => ok(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => ok(true)));
  });
}

/** `n` ports free now, listened on together so they differ. */
async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((ok, reject) => {
          const srv = createServer();
          srv.once('error', reject);
          srv.listen(0, '127.0.0.1', () => ok(srv));
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** The receiver's usual ports (4318, 4317, 4319) when all are free, else free ones. */
async function receiverPorts() {
  const usual = { http: 4318, grpc: 4317, query: 4319 };
  if ((await Promise.all(Object.values(usual).map(portFree))).every(Boolean)) return usual;
  const [http, grpc, query] = await freePorts(3);
  log(`4317/4318/4319 are taken: the editor's receiver listens on ${http}, ${grpc} and ${query}`);
  return { http, grpc, query };
}

function ensureCodeServer() {
  if (codeServerInstalled()) return;
  log('Node 24 or code-server is missing: running scripts/setup-tools.sh (a few minutes, once)');
  const r = spawnSync('bash', [SETUP_SCRIPT], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) fatal('scripts/setup-tools.sh failed; see above');
  if (!existsSync(CODE_SERVER_ENTRY)) fatal(`code-server not found at ${CODE_SERVER_ENTRY} after setup`);
}

/** The extension as VS Code installs it: an unpacked copy named `<publisher>.<name>-<version>`. */
function installExtension(extensionsDir) {
  const target = join(extensionsDir, `${EXTENSION_ID}-${manifest.version}`);
  mkdirSync(target, { recursive: true });
  for (const item of [
    'package.json',
    'package.nls.json',
    'l10n',
    'dist',
    'media',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
  ]) {
    if (existsSync(join(root, item))) cpSync(join(root, item), join(target, item), { recursive: true });
  }
  return target;
}

function codeServerArgs(state) {
  return [
    CODE_SERVER_ENTRY,
    '--config',
    join(state, 'config.yaml'),
    '--user-data-dir',
    join(state, 'user'),
    '--extensions-dir',
    join(state, 'extensions'),
  ];
}

/** code-server's state folder (user-data-dir, extensions); the store is inside it. */
function codeServerState() {
  const state = mkdtempSync(join(tmpdir(), 'trace-lens-demo-'));
  stops.push(() => rmSync(state, { recursive: true, force: true }));
  return { state, storeDir: extensionStoreDir(join(state, 'user'), EXTENSION_ID) };
}

async function startCodeServer({ state }, ports) {
  ensureCodeServer();
  const extensionsDir = join(state, 'extensions');
  const extensionDir = installExtension(extensionsDir);
  mkdirSync(join(state, 'user', 'User'), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // code-server would offer to forward every port the demo's services open, and to open the
    // repository demo/workspace sits in.
    'remote.autoForwardPorts': false,
    'git.openRepositoryInParentFolders': 'never',
    'traceLens.receiver.httpPort': ports.http,
    'traceLens.receiver.grpcPort': ports.grpc,
    'traceLens.receiver.queryPort': ports.query,
  };
  writeFileSync(join(state, 'user', 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  writeFileSync(join(state, 'config.yaml'), 'auth: none\ncert: false\n');

  const wanted = Number(process.env.DEMO_PORT || 8080);
  const port = Number.isInteger(wanted) && wanted > 0 && (await portFree(wanted)) ? wanted : 0;
  if (port === 0) log(`port ${wanted} is taken: code-server picks a free one`);
  const logFile = join(state, 'code-server.log');
  const output = [];
  const child = spawn(
    NODE24,
    [
      ...codeServerArgs(state),
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      WORKSPACE,
    ],
    { cwd: WORKSPACE, env: codeServerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let exited;
  const exitedPromise = new Promise((r) =>
    child.once('exit', (code, signal) => r((exited = { code, signal }))),
  );
  stops.push(() => stopTree(child, { log, name: 'code-server' }));

  const listening = new Promise((resolveUrl, reject) => {
    const onData = (chunk) => {
      const text = chunk.toString();
      output.push(text);
      writeFileSync(logFile, text, { flag: 'a' });
      const m = /HTTP server listening on (http:\/\/[^\s]+)/.exec(output.join(''));
      if (m) resolveUrl(new URL(m[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exitedPromise.then(({ code, signal }) =>
      reject(new Error(`code-server exited (${code ?? signal}) before listening`)),
    );
    setTimeout(() => reject(new Error('code-server did not listen within 90 s')), 90_000).unref();
  });
  let base;
  try {
    base = await listening;
  } catch (err) {
    console.error(output.join('').split('\n').slice(-30).join('\n'));
    fatal(err.message);
  }
  const url = `http://127.0.0.1:${base.port}/?folder=${encodeURIComponent(WORKSPACE).replace(/%2F/g, '/')}`;
  await waitForHttp(url, 30_000);
  void exitedPromise.then(({ code, signal }) => {
    if (stopping) return;
    console.error(output.join('').split('\n').slice(-30).join('\n'));
    fail(`code-server stopped unexpectedly (${code ?? signal})`);
  });
  return { url, port: base.port, state, extensionsDir, extensionDir, logFile, exited: () => exited };
}

async function waitForHttp(url, ms) {
  const deadline = Date.now() + ms;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(250);
  }
  fatal(`${url} did not answer 200 within ${ms / 1000} s (last: ${last})`);
}

function openInVsCode(code) {
  log(`opening VS Code: ${code} --extensionDevelopmentPath=${root} --new-window ${WORKSPACE}`);
  const r = spawnSync(code, [`--extensionDevelopmentPath=${root}`, '--new-window', WORKSPACE], {
    stdio: 'inherit',
  });
  if (r.status !== 0) fatal(`\`code\` failed (exit ${r.status ?? r.signal})`);
}

function tryThis(run) {
  const id = (kind) => run.traces.find((t) => t.kind === kind)?.traceId ?? '(none)';
  return `
  Try:
    1. open logs/app.log and hover a trace_id= value: the summary of the run that wrote the line
    2. click it (or F1 → "Trace Lens: Open Trace…" → ${id('workflow')}): the waterfall; the
       4.2 s partner call is on the critical path; "Go to source" opens the line that made it
    3. the batch ${id('batch')}: 1,000 items, four failing on a lock timeout
    4. F5 (or Terminal → Run Task… → "Run demo workflow"): a fresh trace arrives in the Live view
    README.md in the workspace has the whole tour.
`;
}

// ---------------------------------------------------------------------------------------------
// Smoke checks

async function smokeChecks(cs) {
  const failures = [];
  const check = async (what, fn) => {
    try {
      const detail = await fn();
      log(`ok    ${what}${detail ? `: ${detail}` : ''}`);
    } catch (err) {
      failures.push(`${what}: ${err instanceof Error ? err.message : err}`);
      log(`FAIL  ${what}: ${err instanceof Error ? err.message : err}`);
    }
  };
  await check('code-server answers', async () => {
    const res = await fetch(cs.url, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${cs.url} → HTTP ${res.status}`);
    if (!/workbench/i.test(body)) throw new Error(`${cs.url} → 200 but no workbench in the page`);
    return `${cs.url} → 200`;
  });
  await check('extension installed', async () => {
    const pkg = JSON.parse(readFileSync(join(cs.extensionDir, 'package.json'), 'utf8'));
    if (`${pkg.publisher}.${pkg.name}` !== EXTENSION_ID)
      throw new Error(`unexpected manifest in ${cs.extensionDir}`);
    if (!existsSync(join(cs.extensionDir, pkg.main)))
      throw new Error(`${pkg.main} missing in ${cs.extensionDir}`);
    // Ask VS Code itself: the copied folder must be recognised as an installed extension.
    const r = spawnSync(NODE24, [...codeServerArgs(cs.state), '--list-extensions', '--show-versions'], {
      env: codeServerEnv(),
      encoding: 'utf8',
      timeout: 60_000,
    });
    const listed = `${EXTENSION_ID}@${manifest.version}`;
    if (!r.stdout?.split('\n').some((l) => l.trim() === listed)) {
      throw new Error(`code-server --list-extensions does not list ${listed}:\n${r.stdout}${r.stderr}`);
    }
    return `${listed} in ${cs.extensionsDir}`;
  });
  await check('launch configuration and task "Run demo workflow"', async () => {
    const strip = (f) => readFileSync(join(WORKSPACE, '.vscode', f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
    const launch = JSON.parse(strip('launch.json'));
    const tasks = JSON.parse(strip('tasks.json'));
    const first = launch.configurations?.[0];
    if (first?.name !== 'Run demo workflow') throw new Error('F5 would not run "Run demo workflow"');
    if (!existsSync(join(WORKSPACE, 'run.mjs'))) throw new Error('run.mjs is not in the workspace');
    if (!tasks.tasks?.some((t) => t.label === 'Run demo workflow')) throw new Error('no such task');
    return 'launch.json, tasks.json';
  });
  return failures;
}

/** After stopping: nothing this script started may still run (services, receiver, code-server). */
async function leftovers() {
  // Our direct children are collected by Node as their exit events arrive; give that a moment.
  const deadline = Date.now() + 3000;
  let left = descendants(process.pid).filter(alive);
  while (left.length && Date.now() < deadline) {
    await sleep(50);
    left = descendants(process.pid).filter(alive);
  }
  return left;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  build();
  installDemoDeps();
  prepareWorkspace();

  const code = SMOKE || argv.includes('--code-server') ? undefined : onPath('code');
  const cs = code ? undefined : codeServerState();
  const storeDir = code ? vscodeStoreDir() : cs.storeDir;
  console.log(`workspace: ${WORKSPACE}`);
  console.log(`store: ${storeDir}`);

  const { run, problems } = await populateStore(storeDir);
  workspaceSettings();
  if (SMOKE) problems.push(...checkLogTraces(storeDir));
  for (const p of problems) log(`${SMOKE ? 'FAIL ' : 'warning:'} ${p}`);

  if (code) {
    openInVsCode(code);
    console.log(`
  Trace Lens demo in VS Code (Extension Development Host window), on real telemetry from
  ${WORKSPACE}; the traces are in ${storeDir}.
${tryThis(run)}
  If VS Code asks whether you trust the folder, choose "Trust" (F5 and tasks need it).
`);
    process.exit(0);
  }

  const server = await startCodeServer(cs, SMOKE ? { http: 0, grpc: 0, query: 0 } : await receiverPorts());
  if (SMOKE) {
    const failures = [...problems, ...(await smokeChecks(server))];
    const notStopped = await stopAll();
    const left = [...new Set([...notStopped, ...(await leftovers())])];
    if (left.length) failures.push(`processes left after stopping: ${left.map(describeProcess).join(', ')}`);
    else log('ok    everything stopped: no process of the demo is left');
    if (failures.length) {
      console.error(`[demo] smoke failed:\n  - ${failures.join('\n  - ')}`);
      process.exit(1);
    }
    console.log('demo smoke: ok');
    process.exit(0);
  }

  console.log(`
  Trace Lens demo is running, on real telemetry.

    Open:  ${server.url}
           (code-server ${CODE_SERVER_VERSION}, Trace Lens ${manifest.version})
${tryThis(run)}
  Ctrl+C stops everything.
`);
  await new Promise(() => {}); // until Ctrl+C
}

main().catch((err) => {
  if (err instanceof DemoError) return; // already reported; cleanup is under way
  console.error(`[demo] error: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  process.exitCode = 1;
  void stopAll().then(() => process.exit(1));
});
