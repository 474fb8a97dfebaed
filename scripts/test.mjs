// `npm test`: every tier, in order, with counts.
//   1. static checks: type checking (host, webview, tests), lint, format, the message bundle
//      (l10n/bundle.l10n.json) up to date with the code
//   2. unit: mocha in plain Node over src/ (core, shared, host helpers), the webview's pure modules
//      (webview/*.test.ts) and the fake Tempo server (test/server)
//   3. tempo: the client and the CLI against real Tempo 3.0.3 processes (test/tempo/README.md);
//      skipped with a loud line when no Tempo binary is at hand, unless CI=true
//   4. webview: the built bundle in Chromium (playwright-core)
//   5. e2e: the packaged extension in a real VS Code (code-server) driven by Playwright
// Prints one summary line per tier and a closing `N passed, N failed` line; exits non-zero if
// anything failed. `--only unit,webview` runs a subset.
//
// tempo runs before the browser tiers: it needs no browser, takes about a minute, and is the
// one tier that checks the backend client against the server users run, so a Tempo mismatch
// shows before several minutes of Chromium and code-server.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice(7).split(',')) : undefined;

/** Runs a command, streaming its output, and returns its exit code and captured text. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let text = '';
    const onData = (stream) => (chunk) => {
      text += chunk;
      stream.write(chunk);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), text }));
    child.on('error', (err) => resolve({ code: 1, text: String(err) }));
  });
}

/** Reads mocha's spec-reporter totals. */
function mochaCounts(text) {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
  const num = (re) => Number(plain.match(re)?.[1] ?? 0);
  return { passed: num(/(\d+) passing/), failed: num(/(\d+) failing/), skipped: num(/(\d+) pending/) };
}

const tiers = [
  {
    name: 'static',
    steps: [
      ['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
      ['npx', ['tsc', '-p', 'webview/tsconfig.json', '--noEmit']],
      ['npx', ['tsc', '-p', 'test/tsconfig.json', '--noEmit']],
      ['npx', ['eslint', '.']],
      ['npx', ['prettier', '--check', '.']],
      ['node', ['scripts/l10n.mjs', '--check']],
    ],
    counts: (results) => ({
      passed: results.filter((r) => r.code === 0).length,
      failed: results.filter((r) => r.code !== 0).length,
      skipped: 0,
    }),
  },
  { name: 'unit', steps: [['npx', ['mocha']]], counts: (r) => mochaCounts(r[0].text) },
  {
    name: 'tempo',
    steps: [
      ['node', ['scripts/build.mjs']],
      ['npx', ['mocha', '--config', 'test/tempo/.mocharc.json']],
    ],
    counts: (r) => mochaCounts(r.map((x) => x.text).join('\n')),
    // Without a Tempo binary (outside CI) every check is pending: skipped, not failed.
    allowAllSkipped: true,
  },
  {
    name: 'webview',
    steps: [
      ['node', ['scripts/build.mjs']],
      ['npx', ['mocha', '--config', 'test/webview/.mocharc.json']],
    ],
    counts: (r) => mochaCounts(r.map((x) => x.text).join('\n')),
  },
  {
    name: 'e2e',
    steps: [['node', ['test/e2e/run.mjs']]],
    counts: (r) => {
      const all = [...r[0].text.matchAll(/^[a-z0-9-]+: (\d+) passed, (\d+) failed/gm)];
      return all.reduce(
        (acc, m) => ({ passed: acc.passed + Number(m[1]), failed: acc.failed + Number(m[2]), skipped: 0 }),
        { passed: 0, failed: 0, skipped: 0 },
      );
    },
  },
];

const summary = [];
let anyFailed = false;
for (const tier of tiers) {
  if (only && !only.has(tier.name)) continue;
  const started = Date.now();
  console.log(`\n=== ${tier.name} ===`);
  const results = [];
  for (const [cmd, args] of tier.steps) {
    const r = await run(cmd, args);
    results.push(r);
    if (r.code !== 0 && tier.name !== 'static') break;
  }
  const counts = tier.counts(results);
  const exitFailed = results.some((r) => r.code !== 0);
  // A tier that exits non-zero has failed even if its reporter printed no failure count.
  if (exitFailed && counts.failed === 0) counts.failed = 1;
  if (counts.passed === 0 && counts.failed === 0 && !(tier.allowAllSkipped && counts.skipped > 0)) {
    counts.failed = 1;
    console.log(`${tier.name}: no test ran`);
  }
  anyFailed ||= counts.failed > 0;
  summary.push({ tier: tier.name, ...counts, seconds: Math.round((Date.now() - started) / 100) / 10 });
}

console.log('\n=== summary ===');
for (const s of summary) {
  console.log(
    `${s.tier.padEnd(8)} ${s.passed} passed, ${s.failed} failed, ${s.skipped} skipped (${s.seconds} s)`,
  );
}
const total = summary.reduce((a, s) => ({ passed: a.passed + s.passed, failed: a.failed + s.failed }), {
  passed: 0,
  failed: 0,
});
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exitCode = anyFailed ? 1 : 0;
