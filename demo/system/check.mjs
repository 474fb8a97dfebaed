// Checks that the demo system produces the product story, end to end over real OTLP.
//
//   node check.mjs [--keep]
//       self-contained: starts a small OTLP collector (check/collector.mjs), runs
//       `run.mjs --once workflow,batch` into a fresh temporary workspace with
//       OTEL_EXPORTER_OTLP_ENDPOINT pointing at it, and checks what arrived. --keep keeps the
//       workspace and prints where it is.
//
//   node check.mjs --workspace DIR --tempo URL --workflow ID --batch ID
//       checks a run that already happened, reading traces from a Tempo-compatible API
//       (`GET URL/api/traces/<id>`, e.g. Trace Lens's receiver) and DIR/logs/app.log. Either of
//       --workflow/--batch may be left out. OTLP logs are not checked (no such API).
//
//   --cli PATH   Trace Lens's command line (default ../../dist/cli.js when built): its detector
//                must find every trace and span ID of logs/app.log.
//
// Prints one line per check (`ok` or `FAIL`) and exits 0 when all pass, 1 otherwise, 2 for usage.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCollector } from './check/collector.mjs';
import { spansFromJson } from './check/otlp.mjs';
import { verifyDemo } from './check/verify.mjs';

const SYSTEM = dirname(fileURLToPath(import.meta.url));

function usage(message) {
  if (message) console.error(`check.mjs: ${message}`);
  console.error(
    'usage: node check.mjs [--keep] | --workspace DIR --tempo URL [--workflow ID] [--batch ID]  [--cli PATH]',
  );
  process.exit(2);
}

const opts = { keep: false, cli: resolve(SYSTEM, '..', '..', 'dist', 'cli.js'), runs: {} };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  const value = () => argv[++i] ?? usage(`${arg} needs a value`);
  if (arg === '--keep') opts.keep = true;
  else if (arg === '--workspace') opts.workspace = resolve(value());
  else if (arg === '--tempo') opts.tempo = value().replace(/\/+$/, '');
  else if (arg === '--workflow') opts.runs.workflow = value();
  else if (arg === '--batch') opts.runs.batch = value();
  else if (arg === '--cli') opts.cli = resolve(value());
  else if (arg === '--help' || arg === '-h') usage();
  else usage(`unknown argument ${arg}`);
}
if (Boolean(opts.workspace) !== Boolean(opts.tempo)) usage('--workspace and --tempo go together');

/** Trace Lens's detector over a file, if the CLI is built. */
function scanner() {
  if (!existsSync(opts.cli)) {
    console.log(
      `(no ${opts.cli}: the detector check is skipped; \`npm run build\` in the repository adds it)`,
    );
    return undefined;
  }
  return (file) => {
    const r = spawnSync(process.execPath, [opts.cli, 'scan', file, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`trace-lens scan exited ${r.status}: ${r.stderr}`);
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
  };
}

/** A Tempo-compatible trace-by-ID reader: the spans, or undefined on 404. */
function tempoReader(base) {
  return async (id) => {
    const res = await fetch(`${base}/api/traces/${id}`, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`GET ${base}/api/traces/${id} → ${res.status}`);
    return spansFromJson(await res.json());
  };
}

/** Runs run.mjs into `workspace` with the collector as the OTLP endpoint; resolves to its JSON result. */
function runDemo(workspace, endpoint) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(SYSTEM, 'run.mjs'), '--workspace', workspace, '--json'], {
      env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code !== 0) return reject(new Error(`run.mjs exited ${code ?? signal}`));
      try {
        resolveRun(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`run.mjs printed no JSON result: ${out}`));
      }
    });
  });
}

async function main() {
  let results;
  if (opts.tempo) {
    if (!opts.runs.workflow && !opts.runs.batch)
      console.log('(no --workflow/--batch: checking logs/app.log only)');
    results = await verifyDemo({
      workspace: opts.workspace,
      runs: opts.runs,
      fetchTrace: tempoReader(opts.tempo),
      scan: scanner(),
    });
  } else {
    const collector = await startCollector();
    const workspace = mkdtempSync(join(tmpdir(), 'trace-lens-demo-check-'));
    try {
      console.log(`collector on ${collector.url}; workspace ${workspace}`);
      const run = await runDemo(workspace, collector.url);
      const runs = Object.fromEntries(run.traces.map((t) => [t.kind, t.traceId]));
      console.log(
        `run.mjs produced ${Object.entries(runs)
          .map(([k, id]) => `${k} ${id}`)
          .join(', ')}`,
      );
      results = await verifyDemo({
        workspace,
        runs,
        // Through HTTP, as the smoke check will read the receiver's store.
        fetchTrace: tempoReader(collector.url),
        otlpLogs: collector.logs,
        scan: scanner(),
      });
      if (collector.requests.rejected) {
        results.push({
          what: 'collector: every export decoded',
          ok: false,
          detail: `${collector.requests.rejected} rejected`,
        });
      }
    } finally {
      await collector.close();
      if (opts.keep) console.log(`kept ${workspace}`);
      else rmSync(workspace, { recursive: true, force: true });
    }
  }
  for (const r of results)
    console.log(`${r.ok ? 'ok  ' : 'FAIL'}  ${r.what}${r.detail ? `: ${r.detail}` : ''}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(
    failed
      ? `demo check: ${failed} of ${results.length} failed`
      : `demo check: ok (${results.length} checks)`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`check.mjs: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
});
