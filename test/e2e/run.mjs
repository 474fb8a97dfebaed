// `npm run test:e2e`: the packaged extension in a real VS Code (code-server 4.139.1 = VS Code
// 1.139.1) driven by Playwright in Debian's Chromium, following docs/vscode-e2e.md:
//   1. scripts/setup-tools.sh (idempotent): Chromium, Node 24, code-server in ~/.cache/trace-lens
//   2. `npm run package` → trace-lens-<version>.vsix (or TRACE_LENS_E2E_VSIX=<file> to test a given vsix)
//   3. real telemetry (issue 11): the workspace is a temp copy of test/fixtures/e2e-workspace with
//      the demo system in its demo/ folder; the demo system runs one workflow and one batch into the
//      extension's own store (through `trace-lens receive` on that folder, as `npm run demo` does),
//      so the traces and the log lines that name them are there when the window opens; and one
//      more workflow, from a copy deployed outside the workspace, into a second `trace-lens
//      receive` whose Tempo API is the configured traceLens.tempo.url (the "team" backend) for
//      the whole run
//   4. the fake Tempo server (test/server/fakeTempo.mjs): only for a fault no real server shows on
//      demand, a backend that ignores the time range; configured nowhere until a scenario needs it
//   5. code-server --install-extension, plus the in-host test extension (test/e2e/host-tests);
//      code-server on a free port, on the workspace
//   6. Chromium opens the workbench; the in-host mocha suite reports through a results file
//   7. mocha runs the in-host results and the Playwright scenarios, every test/e2e/scenarios/NN-*.mjs
//      in the order of NN (90-restore.mjs reloads the window, so it is last); they act in the
//      extension host through host-tests/control.js
// Screenshots and logs go to test-results/e2e/. Prints `e2e: N passed, M failed` and exits non-zero
// on any failure. Everything started here is stopped at the end, on failure and on SIGINT/SIGTERM.
//
// The scenarios find the trace IDs in e2e.demo (the extension's store) and e2e.team (the team
// backend); e2e.tempo is the fake Tempo.
//
// Flags: --keep (leave the temp folder), --headed (show Chromium; needs a display).
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  createWriteStream,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { e2e } from './context.mjs';
import { startFakeTempo } from '../server/fakeTempo.mjs';
import {
  ensureDemoDeps,
  extensionStoreDir,
  runDemoSystem,
  startReceiver,
} from '../../scripts/demoSystem.mjs';
import {
  CHROMIUM_PATH,
  CODE_SERVER_ENTRY,
  NODE24,
  SETUP_SCRIPT,
  codeServerEnv as toolsEnv,
  launchChromium,
} from '../../scripts/tools.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const args = new Set(process.argv.slice(2));
const resultsDir = join(root, 'test-results', 'e2e');

const EXTENSION_ID = 'tracelens.trace-lens';
const HOST_TESTS_ID = 'tracelens-test.host-tests';

// Bounded waits (ms). code-server's first start takes 30-60 s on two cores.
const T = {
  setup: 15 * 60_000,
  package: 5 * 60_000,
  install: 3 * 60_000,
  listen: 2 * 60_000,
  workbench: 2 * 60_000,
  // The in-host suite debugs real programs and waits for the TypeScript server (host-tests/local.js).
  hostResults: 5 * 60_000,
  scenario: 2 * 60_000,
};

// ---------------------------------------------------------------------------------------------
// Bookkeeping: phases with timings, children to stop, output to show on failure.

const phases = [];
let currentPhase;
function phase(name) {
  const started = Date.now();
  currentPhase = { name, started };
  console.log(`\n[e2e] ${name}…`);
  return (note = '') => {
    const seconds = (Date.now() - started) / 1000;
    phases.push({ name, seconds });
    currentPhase = undefined;
    console.log(`[e2e] ${name}: ${seconds.toFixed(1)} s${note ? ` (${note})` : ''}`);
  };
}

const state = {
  tmp: undefined,
  codeServer: undefined,
  codeServerOutput: [],
  browser: undefined,
  tempo: undefined,
  /** The team backend: `trace-lens receive` on its own store ({ queryUrl, stop() }). */
  team: undefined,
  userDataDir: undefined,
  cleaningUp: undefined,
  /** Short-lived commands (setup, package, install) that are running now. */
  running: new Set(),
};

function remember(lines, chunk) {
  lines.push(...chunk.toString().split('\n').filter(Boolean));
  if (lines.length > 2000) lines.splice(0, lines.length - 2000);
}

/** Runs a command to completion with its output streamed; resolves with the exit code and text. */
function run(cmd, argv, { env = process.env, timeoutMs, cwd = root, quiet = false } = {}) {
  return new Promise((resolveRun) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    state.running.add(child);
    child.on('exit', () => state.running.delete(child));
    let text = '';
    const onData = (stream) => (chunk) => {
      text += chunk;
      if (!quiet) stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    const timer = setTimeout(() => {
      text += `\n[e2e] ${cmd} timed out after ${timeoutMs / 1000} s\n`;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      resolveRun({ code: 1, text: `${text}\n${err}` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? (signal ? 1 : 0), text });
    });
  });
}

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** Stops a child's process group: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
function stopChild(child, graceMs = 5000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveStop();
    });
    killGroup(child, 'SIGTERM');
  });
}

/** Stops everything this run started, keeps VS Code's logs, removes the temp folder. */
async function cleanup() {
  state.cleaningUp ??= (async () => {
    await Promise.all([...state.running].map((child) => stopChild(child)));
    await state.browser?.close().catch(() => undefined);
    await stopChild(state.codeServer);
    await state.tempo?.close().catch(() => undefined);
    await state.team?.stop().catch(() => undefined);
    if (state.userDataDir && existsSync(join(state.userDataDir, 'logs'))) {
      // VS Code's own logs (extension host, remote agent, …) outlive the temp folder.
      cpSync(join(state.userDataDir, 'logs'), join(resultsDir, 'vscode-logs'), { recursive: true });
    }
    if (state.tmp && !args.has('--keep')) rmSync(state.tmp, { recursive: true, force: true, maxRetries: 3 });
  })();
  return state.cleaningUp;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\n[e2e] ${signal}: stopping code-server, Chromium and the fake Tempo server`);
    cleanup().finally(() => process.exit(130));
  });
}

/** Every file under `dir` whose name matches `re`. */
function findFiles(dir, re, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) findFiles(p, re, out);
    else if (re.test(entry.name)) out.push(p);
  }
  return out;
}

function tail(text, lines) {
  return text.split('\n').slice(-lines).join('\n');
}

function printDiagnostics() {
  console.log('\n[e2e] ---- diagnostics ----');
  if (!state.codeServer) {
    if (state.tmp) console.log(`[e2e] temp folder: ${state.tmp}`);
    return;
  }
  const logs = state.userDataDir ? findFiles(join(state.userDataDir, 'logs'), /exthost\.log$/) : [];
  if (logs.length === 0) console.log('[e2e] no extension host log found');
  for (const file of logs) {
    console.log(`\n[e2e] tail of ${file}:`);
    console.log(tail(readFileSync(file, 'utf8'), 60));
  }
  // Trace Lens's own output channel, if it wrote one.
  for (const file of state.userDataDir
    ? findFiles(join(state.userDataDir, 'logs'), /Trace Lens\.log$/)
    : []) {
    console.log(`\n[e2e] tail of ${file}:`);
    console.log(tail(readFileSync(file, 'utf8'), 40));
  }
  console.log('\n[e2e] tail of code-server output:');
  console.log(state.codeServerOutput.slice(-60).join('\n') || '(none)');
  if (state.tempo) {
    console.log(`\n[e2e] fake Tempo saw ${state.tempo.requests.length} requests:`);
    for (const r of state.tempo.requests.slice(-20))
      console.log(`  ${r.method} ${r.path}${r.query} → ${r.status}`);
  }
  if (state.tmp) console.log(`\n[e2e] temp folder: ${state.tmp}`);
}

function finish(passed, failed) {
  console.log('\n[e2e] timings:');
  if (currentPhase)
    phases.push({
      name: `${currentPhase.name} (failed)`,
      seconds: (Date.now() - currentPhase.started) / 1000,
    });
  for (const p of phases) console.log(`  ${p.name.padEnd(54)} ${p.seconds.toFixed(1).padStart(6)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Harness stages

async function setupTools() {
  const done = phase('setup-tools.sh');
  const r = await run('bash', [SETUP_SCRIPT], { timeoutMs: T.setup });
  if (r.code !== 0) throw new Error(`scripts/setup-tools.sh failed (exit ${r.code})`);
  for (const p of [NODE24, CODE_SERVER_ENTRY, CHROMIUM_PATH]) {
    if (!existsSync(p)) throw new Error(`setup-tools.sh finished but ${p} is missing`);
  }
  done();
}

async function packageExtension() {
  const given = process.env.TRACE_LENS_E2E_VSIX;
  if (given) {
    if (!existsSync(given)) throw new Error(`TRACE_LENS_E2E_VSIX=${given} does not exist`);
    console.log(`[e2e] using ${given} (TRACE_LENS_E2E_VSIX), not packaging`);
    return resolve(given);
  }
  const done = phase('npm run package');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `trace-lens-${version}.vsix`);
  rmSync(vsix, { force: true });
  const r = await run('npm', ['run', 'package'], { timeoutMs: T.package });
  if (r.code !== 0 || !existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${r.code}); expected ${vsix}`);
  }
  done(vsix);
  return vsix;
}

/** Environment for code-server: Node 24 first on PATH, config and data kept in the temp folder. */
function codeServerEnv(tmp) {
  return toolsEnv({
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    // The extension host must not inherit the runner's test settings.
    NODE_OPTIONS: '',
  });
}

function codeServerArgs(tmp) {
  return [
    CODE_SERVER_ENTRY,
    '--config',
    join(tmp, 'code-server.yaml'),
    '--auth',
    'none',
    '--bind-addr',
    '127.0.0.1:0',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--extensions-dir',
    join(tmp, 'exts'),
    '--user-data-dir',
    join(tmp, 'user'),
  ];
}

async function installExtensions(tmp, vsix, resultsPath) {
  const done = phase('install extension (code-server --install-extension)');
  const r = await run(NODE24, [...codeServerArgs(tmp), '--install-extension', vsix], {
    env: codeServerEnv(tmp),
    timeoutMs: T.install,
  });
  if (r.code !== 0 || !/successfully installed/i.test(r.text)) {
    throw new Error(`code-server --install-extension failed (exit ${r.code})`);
  }
  // The test-only extension is copied, never packaged: it must not reach the vsix. VS Code marks
  // folders that its extensions.json does not list as removed, so it is registered there too.
  const folderName = `${HOST_TESTS_ID}-0.0.1`;
  const hostDir = join(tmp, 'exts', folderName);
  cpSync(join(here, 'host-tests'), hostDir, { recursive: true });
  const manifestPath = join(tmp, 'exts', 'extensions.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) : [];
  manifest.push({
    identifier: { id: HOST_TESTS_ID },
    version: '0.0.1',
    location: { $mid: 1, fsPath: hostDir, path: hostDir, scheme: 'file' },
    relativeLocation: folderName,
    metadata: { installedTimestamp: Date.now(), pinned: true, source: 'vsix' },
  });
  writeFileSync(manifestPath, JSON.stringify(manifest));
  writeFileSync(
    join(hostDir, 'e2e-config.json'),
    JSON.stringify(
      {
        mochaPath: dirname(require.resolve('mocha/package.json')),
        resultsPath,
        controlPath: join(tmp, 'host-control.json'),
        demo: e2e.demo,
        team: e2e.team,
        tempoUrl: e2e.team.url,
        faultTempoUrl: state.tempo.url,
        receiverPorts: e2e.receiverPorts,
        timeoutMs: 60000,
      },
      null,
      2,
    ),
  );
  const list = await run(NODE24, [...codeServerArgs(tmp), '--list-extensions', '--show-versions'], {
    env: codeServerEnv(tmp),
    timeoutMs: T.install,
    quiet: true,
  });
  const installed = list.text.split('\n').filter((l) => /^[\w-]+\.[\w-]+@/.test(l.trim()));
  console.log(`[e2e] extensions: ${installed.join(', ') || '(none listed)'}`);
  for (const id of [EXTENSION_ID, HOST_TESTS_ID]) {
    if (!installed.some((l) => l.trim().startsWith(`${id}@`))) {
      throw new Error(`${id} is not in code-server --list-extensions:\n${list.text}`);
    }
  }
  done();
}

/** `n` ports free now: listened on together (so they differ), then closed. */
async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolveListen, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolveListen(server));
        }),
    ),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((r) => server.close(r))));
  return ports;
}

function writeUserSettings(tmp) {
  // code-server is a remote setup: settings with machine scope (traceLens.tempo.url is
  // machine-overridable) are read from Machine/settings.json, the rest from User/settings.json.
  const userDir = join(tmp, 'user', 'User');
  const machineDir = join(tmp, 'user', 'Machine');
  mkdirSync(userDir, { recursive: true });
  mkdirSync(machineDir, { recursive: true });
  writeFileSync(
    join(machineDir, 'settings.json'),
    JSON.stringify({ 'traceLens.tempo.url': e2e.team.url, 'remote.autoForwardPorts': false }, null, 2),
  );
  const settings = {
    'traceLens.tempo.url': e2e.team.url,
    'workbench.startupEditor': 'none',
    'workbench.colorTheme': 'Default Dark Modern',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'git.enabled': false,
    'git.openRepositoryInParentFolders': 'never',
    'editor.minimap.enabled': false,
    'window.restoreWindows': 'none',
    // code-server would announce every port that opens on the machine (the receivers' too).
    'remote.autoForwardPorts': false,
    // The DOM renderer: terminal text is in the page, where a scenario can find and hover it.
    'terminal.integrated.gpuAcceleration': 'off',
    'terminal.integrated.enablePersistentSessions': false,
    'terminal.integrated.hideOnStartup': 'always',
    // The extension's OTLP receiver: free ports, never 4317/4318/4319, which a collector or
    // another helper's run may hold.
    'traceLens.receiver.httpPort': e2e.receiverPorts.http,
    'traceLens.receiver.grpcPort': e2e.receiverPorts.grpc,
    'traceLens.receiver.queryPort': e2e.receiverPorts.query,
  };
  writeFileSync(join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

async function startCodeServer(tmp, workspace) {
  const done = phase('code-server start (until listening)');
  const logFile = createWriteStream(join(resultsDir, 'code-server.log'));
  const child = spawn(NODE24, [...codeServerArgs(tmp), workspace], {
    cwd: tmp,
    env: codeServerEnv(tmp),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  state.codeServer = child;
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`code-server did not print "HTTP server listening" within ${T.listen / 1000} s`)),
      T.listen,
    );
    let seen = '';
    const onData = (chunk) => {
      logFile.write(chunk);
      remember(state.codeServerOutput, chunk);
      seen += chunk;
      const m = seen.match(/HTTP server listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited early (code ${code}, signal ${signal})`));
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
  child.removeAllListeners('exit');
  child.on('exit', (code, signal) => {
    if (!state.cleaningUp)
      console.error(`[e2e] code-server exited unexpectedly (code ${code}, signal ${signal})`);
  });
  done(url);
  return url;
}

async function openWorkbench(url, workspace) {
  const done = phase('Chromium + workbench load');
  state.browser = await launchChromium({
    headless: !args.has('--headed'),
    timeout: 60000,
    // This runner's own handlers stop Chromium together with code-server and the fake Tempo;
    // Playwright's would exit the process first and leave code-server running.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const context = await state.browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const consoleLines = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') remember(consoleLines, `[browser] ${msg.text()}\n`);
  });
  page.on('pageerror', (err) => remember(consoleLines, `[browser pageerror] ${err.message}\n`));
  state.browserConsole = consoleLines;
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { timeout: T.workbench });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: T.workbench });
  // The Explorer lists the workspace once the workbench has restored its views.
  await page
    .locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.log' })
    .waitFor({ state: 'visible', timeout: T.workbench });
  e2e.page = page;
  done();
  return page;
}

async function waitForHostResults(resultsPath) {
  const done = phase('in-host mocha suite (results file)');
  const deadline = Date.now() + T.hostResults;
  while (!existsSync(resultsPath)) {
    if (Date.now() > deadline) {
      done('timed out');
      return {
        passed: 0,
        failed: 1,
        tests: [],
        failures: [
          {
            title: 'in-host suite wrote its results',
            error: `no ${resultsPath} within ${T.hostResults / 1000} s: the test extension did not activate or hung`,
          },
        ],
      };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const results = JSON.parse(readFileSync(resultsPath, 'utf8'));
  // The control channel the scenarios use to act in the host (host-tests/control.js) is up by now:
  // the test extension starts it on activation, before its suite.
  const controlPath = join(dirname(resultsPath), 'host-control.json');
  e2e.controlPath = controlPath;
  if (existsSync(controlPath)) {
    e2e.controlUrl = `http://127.0.0.1:${JSON.parse(readFileSync(controlPath, 'utf8')).port}`;
  }
  done(`${results.passed} passed, ${results.failed} failed`);
  // The window as the UI scenarios find it (the in-host suite closes what it opened).
  await e2e.page.screenshot({ path: join(resultsDir, '00-workbench.png') });
  return results;
}

/**
 * The scenario files: every `test/e2e/scenarios/NN-name.mjs`, in the order of NN. A scenario that
 * reloads the window (90-restore.mjs) takes a number above the others. A file without a number
 * is an error rather than a guess at its place.
 */
function scenarioFiles(dir = join(here, 'scenarios')) {
  const files = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  const unnumbered = files.filter((f) => !/^\d{2}-[\w-]+\.mjs$/.test(f));
  if (unnumbered.length) {
    throw new Error(
      `test/e2e/scenarios: name scenario files NN-name.mjs (NN orders them): ${unnumbered.join(', ')}`,
    );
  }
  if (files.length === 0) throw new Error(`no scenario files in ${dir}`);
  // TL_ONLY=local,hostile runs only the scenarios whose names contain one of the words (debugging).
  const only = (process.env.TL_ONLY ?? '').split(',').filter(Boolean);
  const chosen = only.length ? files.filter((f) => only.some((w) => f.includes(w))) : files;
  return chosen.sort().map((f) => join(dir, f));
}

/**
 * Real telemetry for the journeys (issue 11): the demo system's own dependencies (demo/system, its
 * lock file), which 15-demo.mjs needs to run it into the extension's receiver.
 */
function demoDependencies() {
  const done = phase('demo system dependencies (npm ci in demo/system when its lock changed)');
  done(ensureDemoDeps({ log: (line) => console.log(`[e2e] ${line}`) }));
}

/**
 * The telemetry the journeys look at, all from the demo system's own OpenTelemetry SDK exporters:
 *   - e2e.demo: one workflow and one batch into the extension's store (the folder VS Code gives
 *     Trace Lens under the user-data-dir), through `trace-lens receive` on that folder, stopped
 *     again before code-server starts; the system runs from the workspace's demo/ folder, so its
 *     code.* attributes and demo/logs/app.log name the workspace's files;
 *   - e2e.team: one more workflow into a second `trace-lens receive`, which keeps running: its
 *     Tempo API is traceLens.tempo.url, a backend that holds a trace the local store does not.
 *     That system runs from a copy outside the workspace (as a deployed service does), so its
 *     code.file.path values need the workspace mapping to land on a file.
 */
async function realTelemetry(workspace) {
  const done = phase('real telemetry (the demo system into the extension store and the team backend)');
  const log = (line) => console.log(`[e2e] ${line}`);
  const id = (run, kind) => {
    const traceId = run.traces.find((t) => t.kind === kind)?.traceId ?? '';
    if (!/^[0-9a-f]{32}$/.test(traceId)) throw new Error(`the demo system made no ${kind} trace`);
    return traceId;
  };
  const local = await startReceiver(extensionStoreDir(state.userDataDir), { log });
  const run = await runDemoSystem({
    workspace: join(workspace, 'demo'),
    endpoint: local.otlpUrl,
    log,
  }).finally(() => local.stop());
  if (!run.exported) throw new Error('the demo system did not export every span and log record');
  e2e.demo = {
    workflowTraceId: id(run, 'workflow'),
    batchTraceId: id(run, 'batch'),
    appLog: 'demo/logs/app.log',
  };
  state.team = await startReceiver(join(state.tmp, 'team-store'), { log });
  const deployed = join(state.tmp, 'deployed', 'app');
  const teamRun = await runDemoSystem({
    workspace: deployed,
    endpoint: state.team.otlpUrl,
    once: ['workflow'],
    log,
  });
  if (!teamRun.exported) throw new Error('the demo system did not export every span to the team backend');
  e2e.team = { url: state.team.queryUrl, workflowTraceId: id(teamRun, 'workflow'), deployedDir: deployed };
  done(`local: workflow ${e2e.demo.workflowTraceId}, batch ${e2e.demo.batchTraceId}; team: ${e2e.team.url}`);
}

/** Runs the in-host results and the Playwright scenarios as one mocha suite. */
async function runMocha(hostResults) {
  const done = phase('Playwright scenarios (mocha)');
  const { default: Mocha } = await import('mocha');
  const mocha = new Mocha({ reporter: 'spec', timeout: T.scenario, color: Boolean(process.stdout.isTTY) });
  // The in-host suite already ran inside the extension host; report each of its tests here.
  const host = Mocha.Suite.create(mocha.suite, 'In the extension host (mocha inside code-server)');
  const reported =
    hostResults.tests.length > 0
      ? hostResults.tests
      : hostResults.failures.map((f) => ({ ...f, state: 'failed' }));
  for (const t of reported) {
    const test = new Mocha.Test(t.title, () => {
      if (t.state === 'failed') {
        const err = new Error(t.error?.split('\n')[0] ?? 'failed');
        err.stack = t.error;
        throw err;
      }
    });
    if (t.state === 'pending') test.pending = true;
    host.addTest(test);
  }
  // One window for all of them, in the order of their numbers: each scenario sets up the editors
  // it needs.
  for (const file of scenarioFiles()) mocha.addFile(file);
  await mocha.loadFilesAsync();
  const counts = await new Promise((resolveRun) => {
    const runner = mocha.run(() =>
      resolveRun({ passed: runner.stats.passes, failed: runner.stats.failures }),
    );
  });
  done();
  return counts;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  e2e.resultsDir = resultsDir;
  const startedAll = Date.now();

  await setupTools();
  const vsix = await packageExtension();

  state.tmp = mkdtempSync(join(tmpdir(), 'trace-lens-e2e-'));
  state.userDataDir = join(state.tmp, 'user');
  const workspace = join(state.tmp, 'workspace');
  cpSync(join(root, 'test', 'fixtures', 'e2e-workspace'), workspace, {
    recursive: true,
    filter: (src) => !src.endsWith('.gitignore'),
  });
  e2e.workspace = workspace;
  demoDependencies();
  await realTelemetry(workspace);

  // Faults only: the scenarios point a setting at it for as long as they need it.
  state.tempo = await startFakeTempo({ mode: process.env.TRACE_LENS_E2E_TEMPO_MODE ?? '2.0.1' });
  e2e.tempo = state.tempo;
  console.log(`[e2e] fake Tempo (${state.tempo.mode}) at ${state.tempo.url}`);
  const [http, grpc, query] = await freePorts(3);
  e2e.receiverPorts = { http, grpc, query };
  console.log(`[e2e] receiver ports: OTLP/HTTP ${http}, OTLP/gRPC ${grpc}, query API ${query}`);
  writeUserSettings(state.tmp);

  const resultsPath = join(state.tmp, 'host-results.json');
  await installExtensions(state.tmp, vsix, resultsPath);
  const url = await startCodeServer(state.tmp, workspace);
  await openWorkbench(url, workspace);
  const hostResults = await waitForHostResults(resultsPath);
  writeFileSync(join(resultsDir, 'host-results.json'), JSON.stringify(hostResults, null, 2));
  const counts = await runMocha(hostResults);
  console.log(`\n[e2e] total ${((Date.now() - startedAll) / 1000).toFixed(1)} s`);
  return counts;
}

let exitCode = 1;
try {
  const { passed, failed } = await main();
  if (failed > 0) printDiagnostics();
  exitCode = finish(passed, failed);
} catch (err) {
  console.error(`\n[e2e] harness failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  if (e2e.page)
    await e2e.page.screenshot({ path: join(resultsDir, 'FAILED-harness.png') }).catch(() => undefined);
  printDiagnostics();
  if (state.browserConsole?.length)
    console.log(`\n[e2e] browser errors:\n${state.browserConsole.slice(-20).join('\n')}`);
  exitCode = finish(0, 1);
} finally {
  await cleanup();
}
process.exit(exitCode);
