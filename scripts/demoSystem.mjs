// The demo system (demo/system) as `npm run demo` and the e2e runner use it: install its own
// dependencies (its lock file, never the extension's), run Trace Lens's receiver (`dist/cli.js
// receive`, the same core as the extension's) on a store folder, run the system once into it, and
// stop all of that with nothing left behind.
//
// Every process started here gets its own process group (`detached`), so a Ctrl+C in the terminal
// reaches only the script, which then stops them in order (the system flushes its exporters into
// the receiver before the receiver closes the store), and `stopTree` can verify they are gone.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** demo/system: the instrumented services, their stubs and their own package.json and lock file. */
export const DEMO_SYSTEM = join(root, 'demo', 'system');
const CLI = join(root, 'dist', 'cli.js');
const STAMP = join(DEMO_SYSTEM, 'node_modules', '.trace-lens-lock.sha256');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * `npm ci` in demo/system unless its node_modules were installed from the same lock file (a hash of
 * it is kept beside them). Returns what it did; throws with npm's output when npm fails.
 */
export function ensureDemoDeps({ log = () => {} } = {}) {
  const hash = createHash('sha256')
    .update(readFileSync(join(DEMO_SYSTEM, 'package-lock.json')))
    .digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) return 'up to date';
  log('installing the demo system’s dependencies (npm ci in demo/system, its own lock file)');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: DEMO_SYSTEM,
    encoding: 'utf8',
    // npm ci in demo/system must not inherit a parent's npm_config_* (e.g. --prefix of `npm run`).
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))),
    timeout: 10 * 60_000,
  });
  if (r.status !== 0) {
    throw new Error(
      `npm ci in ${DEMO_SYSTEM} failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`,
    );
  }
  writeFileSync(STAMP, `${hash}\n`);
  return 'installed';
}

/** PIDs of all descendants of `pid`, from /proc (Linux); empty elsewhere. */
export function descendants(pid) {
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

/** `pid (command line)` for a report of what is still running. */
export function describeProcess(pid) {
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    return `${pid} (${cmd.length > 160 ? `${cmd.slice(0, 157)}…` : cmd})`;
  } catch {
    return String(pid);
  }
}

/** Alive and not a zombie (a zombie is dead; its parent only has not collected it yet). */
export function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

/** The process group of `pid`, from /proc; undefined when gone (or no /proc). */
function groupOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  } catch {
    return undefined;
  }
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a child started with `detached: true` (its own process group) and everything under it:
 * SIGTERM (or `signal`) to the group and to every descendant that left it (terminals start their
 * own session), SIGKILL after `graceMs`. Resolves with the PIDs still alive afterwards (none when
 * all went well), re-reading the tree while waiting, so late children count too.
 */
export async function stopTree(child, { signal = 'SIGTERM', graceMs = 5000, log = () => {}, name } = {}) {
  const pgid = child.pid;
  if (pgid === undefined) return [];
  const seen = new Set([pgid, ...descendants(pgid)]);
  const send = (sig) => {
    for (const pid of descendants(pgid)) seen.add(pid);
    try {
      process.kill(-pgid, sig);
    } catch {
      // group already gone
    }
    // One signal each: a process in the group already has it (a second SIGTERM would kill one
    // whose handler runs once, such as `trace-lens receive`, before it closed its store).
    for (const pid of seen) {
      if (groupOf(pid) === pgid) continue;
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    }
  };
  const remaining = () => {
    for (const pid of descendants(pgid)) seen.add(pid);
    return [...seen].filter(alive);
  };
  const exited = child.exitCode !== null || child.signalCode !== null;
  send(signal);
  const waitGone = async (ms) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && (remaining().length > 0 || groupAlive(pgid))) await sleep(50);
  };
  await waitGone(graceMs);
  if (remaining().length > 0 || groupAlive(pgid)) {
    log(`${name ?? `process group ${pgid}`} did not stop within ${graceMs / 1000} s: SIGKILL`);
    send('SIGKILL');
    await waitGone(2000);
  }
  // Let Node collect our direct child, so it is no zombie of ours either.
  if (!exited && child.exitCode === null && child.signalCode === null) {
    await Promise.race([new Promise((r) => child.once('exit', r)), sleep(2000)]);
  }
  return remaining();
}

/**
 * Starts `trace-lens receive` on `storeDir` (ports 0: free ones unless given). Resolves to
 * `{ otlpUrl, queryUrl, child, stop() }`; `stop()` closes the store (SIGTERM: the receiver writes
 * what it holds and releases the lock) and resolves with the PIDs left, if any.
 */
export async function startReceiver(storeDir, { ports = {}, log = () => {} } = {}) {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (node scripts/build.mjs)`);
  const port = (p) => String(p ?? 0);
  const child = spawn(
    process.execPath,
    [
      CLI,
      'receive',
      '--store',
      storeDir,
      '--http-port',
      port(ports.http),
      '--grpc-port',
      port(ports.grpc),
      '--query-port',
      port(ports.query),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const line = await new Promise((resolveLine, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const m = /receiving OTLP on (.*); Tempo API on (\S+)/.exec(output);
      if (m) resolveLine(m);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c) => (output += c));
    void exited.then(({ code, signal }) =>
      reject(new Error(`trace-lens receive exited (${code ?? signal}) before listening: ${output.trim()}`)),
    );
    setTimeout(
      () => reject(new Error(`trace-lens receive did not listen within 30 s: ${output}`)),
      30_000,
    ).unref();
  }).catch(async (err) => {
    await stopTree(child, { log, name: 'trace-lens receive' });
    throw err;
  });
  const otlpUrl = /http:\/\/[^\s]+/.exec(line[1])?.[0];
  if (!otlpUrl) {
    await stopTree(child, { log, name: 'trace-lens receive' });
    throw new Error(`trace-lens receive has no OTLP/HTTP port: ${line[0]}`);
  }
  log(`receiver (trace-lens receive): OTLP ${otlpUrl}, Tempo API ${line[2]}, store ${storeDir}`);
  return {
    otlpUrl,
    queryUrl: line[2],
    child,
    output: () => output,
    async stop() {
      const left = await stopTree(child, { log, name: 'trace-lens receive' });
      const { code, signal } = await exited;
      if (code !== 0 && left.length === 0)
        log(`trace-lens receive exited ${code ?? signal}: ${output.trim()}`);
      return left;
    },
  };
}

/**
 * Runs demo/system/run.mjs once into `workspace` (a copy of the system, made if missing),
 * exporting to `endpoint`. Resolves to its JSON result (`{ workspace, log, traces: [{ kind,
 * traceId, … }], exported }`); rejects when it fails, with its output.
 */
export function runDemoSystem({ workspace, endpoint, once = ['workflow', 'batch'], log = () => {} }) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(
      process.execPath,
      [join(DEMO_SYSTEM, 'run.mjs'), '--workspace', workspace, '--once', once.join(','), '--json'],
      {
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, NODE_OPTIONS: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => {
      err += c;
      for (const l of c.split('\n'))
        if (/^\[demo\] (ran |exported:|workflow |batch )/.test(l)) log(l.slice(7));
    });
    const timer = setTimeout(() => {
      void stopTree(child, { log, name: 'run.mjs' });
    }, 180_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      // The services are run.mjs's children in its group: none may outlive it.
      const left = descendants(child.pid).filter(alive);
      if (code !== 0) return reject(new Error(`run.mjs exited ${code ?? signal}:\n${err.slice(-3000)}`));
      try {
        const result = JSON.parse(out.trim().split('\n').pop());
        resolveRun({ ...result, left });
      } catch {
        reject(new Error(`run.mjs printed no JSON result:\n${out}\n${err.slice(-2000)}`));
      }
    });
  });
}

/** Where VS Code keeps Trace Lens's receiver store under a user-data-dir. */
export function extensionStoreDir(userDataDir, extensionId = 'tracelens.trace-lens') {
  return join(userDataDir, 'User', 'globalStorage', extensionId, 'store');
}

/** The distinct trace IDs Trace Lens's detector finds in `file` (`dist/cli.js scan --json`). */
export function traceIdsIn(file) {
  const r = spawnSync(process.execPath, [CLI, 'scan', file, '--json'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`trace-lens scan ${file} exited ${r.status}: ${r.stderr}`);
  const ids = new Set();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const d = JSON.parse(line);
    if (d.traceId) ids.add(d.traceId.toLowerCase());
  }
  return [...ids];
}

/** Whether the store folder holds `traceId`, read directly (`dist/cli.js show --store --json`). */
export function storeHas(storeDir, traceId) {
  const r = spawnSync(process.execPath, [CLI, 'show', traceId, '--store', storeDir, '--json'], {
    encoding: 'utf8',
  });
  if (r.status === 0) {
    try {
      return { found: true, summary: JSON.parse(r.stdout) };
    } catch {
      return { found: false, detail: `unreadable answer: ${r.stdout.slice(0, 200)}` };
    }
  }
  return { found: false, detail: (r.stderr || r.stdout).trim().split('\n')[0] };
}
