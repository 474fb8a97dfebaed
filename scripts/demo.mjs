// `npm run demo`: builds the extension, starts a fake Tempo with the recorded fixture traces,
// copies demo/template to a fresh demo/workspace/ and opens it in VS Code with Trace Lens loaded.
//
//   node scripts/demo.mjs                 VS Code (`code` on PATH) or else code-server; Ctrl+C stops
//   node scripts/demo.mjs --code-server   code-server even when `code` is on PATH
//   node scripts/demo.mjs --smoke         the same with code-server on a temporary copy of the
//                                         workspace: check that everything answers, stop, exit 0/1
//
// Environment: DEMO_PORT (code-server port, default 8080, a free one when taken),
// TRACE_LENS_CACHE (where scripts/setup-tools.sh put Node 24 and code-server).
//
// With `code`, the Tempo URL goes into the copied workspace's .vscode/settings.json (VS Code asks
// whether you trust the folder: Trace Lens ignores a workspace's URL settings until you do). With
// code-server, everything lives in a temporary user-data-dir that is removed on exit.
import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

const TEMPLATE = join(root, 'demo', 'template');
/** demo/workspace/ (git-ignored); a temporary folder for --smoke, so a running demo keeps its copy. */
let WORKSPACE = join(root, 'demo', 'workspace');
const FIXTURES = resolve(root, 'test', 'fixtures', 'tempo');
const DEMO_TRACE = 'a8e00f77b50a734539bf0e48eec6bec4';
const BATCH_TRACE = '85c5a3cd3c3f9a71b94e6401754cd3e0';
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const EXTENSION_ID = `${manifest.publisher}.${manifest.name}`;

// ---------------------------------------------------------------------------------------------
// Cleanup: everything started here registers a stop function; Ctrl+C, SIGTERM, a failure and a
// finished smoke run all go through stopAll() once.

const stops = [];
let stopping;
function stopAll() {
  stopping ??= (async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        console.error(`[demo] cleanup: ${err instanceof Error ? err.message : err}`);
      }
    }
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

async function startTempo() {
  if (!existsSync(FIXTURES)) fatal(`fixtures not found: ${FIXTURES}`);
  const serverModule = join(root, 'test', 'server', 'fakeTempo.mjs');
  if (!existsSync(serverModule)) fatal(`${serverModule} is missing`);
  const { startFakeTempo } = await import(pathToFileURL(serverModule).href);
  const options = {
    host: '127.0.0.1',
    fixturesDir: FIXTURES,
    mode: '2.0.1',
    log: SMOKE ? undefined : (line) => console.log(`[tempo] ${line}`),
  };
  let tempo;
  try {
    tempo = await startFakeTempo({ ...options, port: 3200 });
  } catch (err) {
    if (err?.code !== 'EADDRINUSE') throw err;
    tempo = await startFakeTempo({ ...options, port: 0 });
  }
  stops.push(() => tempo.close());
  log(`fake Tempo on ${tempo.url} (${tempo.traceIds.length} traces from ${FIXTURES})`);
  return tempo;
}

function prepareWorkspace() {
  if (SMOKE) {
    WORKSPACE = mkdtempSync(join(tmpdir(), 'trace-lens-demo-workspace-'));
    const dir = WORKSPACE;
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
  }
  rmSync(WORKSPACE, { recursive: true, force: true });
  cpSync(TEMPLATE, WORKSPACE, { recursive: true });
  log(`workspace: ${WORKSPACE} (fresh copy of demo/template)`);
}

/**
 * Every code location the fixture traces name (code.* attributes and stack frames) must hold the
 * statement it describes in the template; the fixtures are ground truth, so the template follows.
 */
const ANCHORS = [
  // [path in the template, line, column or 0, text expected there]
  ['src/engine/WorkflowRunner.ts', 42, 0, 'async execute('],
  ['src/engine/WorkflowRunner.ts', 57, 9, 'output = await action('],
  ['src/nodes/ValidateInputNode.ts', 18, 0, 'async run('],
  ['src/nodes/TransformNode.ts', 27, 0, 'async run('],
  ['src/nodes/DataFetchNode.ts', 55, 0, 'this.partner.listInvoices('],
  ['src/clients/PartnerApiClient.ts', 88, 0, "method: 'GET'"],
  ['src/nodes/NotifyNode.ts', 12, 0, 'async send('],
  ['src/nodes/NotifyNode.ts', 14, 22, 'smtp.send('],
  ['src/clients/SmtpClient.ts', 61, 13, 'throw new Error(`SMTP ${reply.code}'],
  ['src/api/batches.ts', 31, 0, 'async create('],
  ['src/items/processItem.ts', 12, 0, 'export async function processItem('],
  ['src/items/processItem.ts', 13, 0, 'item: BatchItem'],
  ['src/items/processItem.ts', 14, 0, 'deps: {'],
  ['src/items/processItem.ts', 19, 5, 'const row = await repo.lock('],
  ['src/db/itemsRepo.ts', 44, 0, "'SELECT * FROM items WHERE id = $1'"],
  ['src/db/itemsRepo.ts', 51, 11, "throw new TimeoutError('lock wait timeout')"],
];

function fixtureLocations(file) {
  const out = new Set();
  const value = (v) => (v ? Object.values(v)[0] : undefined);
  const data = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
  for (const batch of data.batches ?? []) {
    for (const scope of batch.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        const attrs = Object.fromEntries((span.attributes ?? []).map((a) => [a.key, value(a.value)]));
        const path = attrs['code.file.path'] ?? attrs['code.filepath'];
        const line = attrs['code.line.number'] ?? attrs['code.lineno'];
        if (path && line) out.add(`${path}:${line}`);
        for (const ev of span.events ?? []) {
          for (const a of ev.attributes ?? []) {
            if (a.key !== 'exception.stacktrace') continue;
            for (const m of String(value(a.value)).matchAll(/\(([^():]+):(\d+):(\d+)\)/g)) {
              out.add(`${m[1]}:${m[2]}:${m[3]}`);
            }
          }
        }
      }
    }
  }
  return out;
}

function checkAnchors(dir) {
  const problems = [];
  for (const [path, line, col, expected] of ANCHORS) {
    const file = join(dir, path);
    const text = existsSync(file) ? readFileSync(file, 'utf8').split('\n')[line - 1] : undefined;
    const at = text === undefined ? undefined : col ? text.slice(col - 1) : text;
    if (at === undefined || !(col ? at.startsWith(expected) : at.includes(expected))) {
      problems.push(
        `${path}:${line}${col ? `:${col}` : ''} should ${col ? 'start with' : 'contain'} ${expected}`,
      );
    }
  }
  // Every location in the fixtures is covered by an anchor (relative, /app/src/… or /srv/worker/src/…).
  const anchored = new Set(ANCHORS.map(([p, l, c]) => `${p}:${l}${c ? `:${c}` : ''}`));
  const files = ['tempo-2.0.1-trace-v1.json', 'tempo-2.0.1-trace-v1-2001spans.json'];
  for (const loc of files.flatMap((f) => [...fixtureLocations(f)])) {
    const rel = loc.replace(/^\/(app|srv\/worker)\//, '');
    if (!anchored.has(rel)) problems.push(`fixture location ${loc} has no anchor in the template`);
  }
  return { count: ANCHORS.length, problems };
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

/** PIDs of all descendants of `pid`, from /proc (Linux); empty elsewhere. */
function descendants(pid) {
  let entries;
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return [];
  }
  const children = new Map();
  for (const d of entries) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  const out = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of children.get(todo.pop()) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops a child started with `detached: true` (its own process group): SIGTERM to the group, and
 * to any descendant that left the group (terminals start their own session); SIGKILL after 5 s.
 */
async function stopTree(child, name) {
  const pgid = child.pid;
  const tree = [pgid, ...descendants(pgid)];
  const signalAll = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // group already gone
    }
    for (const pid of tree) {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const remaining = () => tree.filter(alive).length + (alive(-pgid) ? 1 : 0);
  signalAll('SIGTERM');
  for (let i = 0; i < 50 && remaining() > 0; i++) await sleep(100);
  if (remaining() > 0) {
    log(`${name} did not stop within 5 s: SIGKILL`);
    signalAll('SIGKILL');
    for (let i = 0; i < 20 && remaining() > 0; i++) await sleep(100);
  }
  return tree;
}

async function startCodeServer(tempo) {
  ensureCodeServer();
  const state = mkdtempSync(join(tmpdir(), 'trace-lens-demo-'));
  stops.push(() => rmSync(state, { recursive: true, force: true }));
  const extensionsDir = join(state, 'extensions');
  const extensionDir = installExtension(extensionsDir);
  mkdirSync(join(state, 'user', 'User'), { recursive: true });
  const settings = {
    'traceLens.tempo.url': tempo.url,
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    // Log lines are long; wrapped, every trace ID is on screen.
    '[log]': { 'editor.wordWrap': 'on' },
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
  stops.push(async () => {
    const tree = await stopTree(child, 'code-server');
    const left = tree.filter(alive);
    if (left.length) console.error(`[demo] still running after SIGKILL: ${left.join(', ')}`);
  });

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

async function openInVsCode(code, tempo) {
  mkdirSync(join(WORKSPACE, '.vscode'), { recursive: true });
  writeFileSync(
    join(WORKSPACE, '.vscode', 'settings.json'),
    `${JSON.stringify({ 'traceLens.tempo.url': tempo.url, '[log]': { 'editor.wordWrap': 'on' } }, null, 2)}\n`,
  );
  log(`opening VS Code: ${code} --extensionDevelopmentPath=${root} --new-window ${WORKSPACE}`);
  const r = spawnSync(code, [`--extensionDevelopmentPath=${root}`, '--new-window', WORKSPACE], {
    stdio: 'inherit',
  });
  if (r.status !== 0) fatal(`\`code\` failed (exit ${r.status ?? r.signal})`);
  console.log(`
  Trace Lens demo in VS Code (Extension Development Host window), Tempo at ${tempo.url}

  If VS Code asks whether you trust the folder, choose "Trust": in restricted mode Trace Lens
  ignores the workspace's Tempo URL.
${tryThis()}
  Ctrl+C stops the fake Tempo (close the VS Code window yourself).
`);
}

function tryThis() {
  return `
  Try:
    1. open logs/app.log and hover a trace_id=${DEMO_TRACE.slice(0, 8)}… value (or a traceparent)
    2. F1 → "Trace Lens: Open Trace…" → ${DEMO_TRACE} → the waterfall opens
    3. logs/worker.log ([service,traceId,spanId]) → trace ${BATCH_TRACE} (2001 spans)
    4. logs/api.jsonl ("traceId"), and \`cat logs/stern.log\` in the terminal (ANSI colours)
    README.md in the workspace has the whole tour.
`;
}

// ---------------------------------------------------------------------------------------------
// Smoke checks

async function smokeChecks(tempo, cs) {
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
  await check('fake Tempo has the demo trace', async () => {
    const url = `${tempo.url}/api/traces/${DEMO_TRACE}`;
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    const body = await res.json().catch(() => undefined);
    if (res.status !== 200) throw new Error(`${url} → HTTP ${res.status}`);
    if (!Array.isArray(body?.batches) || body.batches.length === 0)
      throw new Error(`${url} → 200 without batches`);
    return `${url} → 200`;
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
  await check('template matches the fixtures', async () => {
    const { count, problems } = checkAnchors(WORKSPACE);
    if (problems.length) throw new Error(problems.join('; '));
    return `${count} code locations`;
  });
  return failures;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  build();
  const tempo = await startTempo();
  prepareWorkspace();
  const anchors = checkAnchors(WORKSPACE);
  for (const p of anchors.problems) log(`warning: ${p}`);

  const code = SMOKE || argv.includes('--code-server') ? undefined : onPath('code');
  if (code) {
    await openInVsCode(code, tempo);
    await new Promise(() => {}); // until Ctrl+C
  }

  const cs = await startCodeServer(tempo);
  if (SMOKE) {
    const failures = await smokeChecks(tempo, cs);
    await stopAll();
    const leftovers = descendants(process.pid);
    if (leftovers.length) failures.push(`processes left after stopping: ${leftovers.join(', ')}`);
    if (failures.length) {
      console.error(`[demo] smoke failed:\n  - ${failures.join('\n  - ')}`);
      process.exit(1);
    }
    console.log('demo smoke: ok');
    process.exit(0);
  }

  console.log(`
  Trace Lens demo is running.

    Open:  ${cs.url}
           (code-server ${CODE_SERVER_VERSION}, Trace Lens ${manifest.version}; fake Tempo at ${tempo.url})
${tryThis()}
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
