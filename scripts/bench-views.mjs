// Benchmark of the panel's statistics and flame graph computations (issue 13 items 3 and 4), in
// Node on the synthetic traces the webview tests and benchmark build (test/webview/stub/synth.js):
//   stats      computeStats per operation and per service (webview/views/stats), 100k spans,
//              goal ≤ 100 ms
//   flame      layoutFlame + cullFrames for a 1,200 px wide first draw (webview/views/flame), 1M
//              spans, goal ≤ 300 ms for the first draw (the canvas fills what cullFrames returns)
// Baseline, measured in the same run on the same trace: loadTrace (webview/trace.ts), what the
// panel already spends on every trace it shows before any view draws.
//
//   node --import tsx scripts/bench-views.mjs [--json]
import { timeRuns } from './benchTiming.mjs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const TIMING = { minRuns: 5, minMs: 500, maxRuns: 200 };

/** The synthetic trace generator of the webview tests, run in a sandbox that stands in for `window`. */
function synthesizer() {
  const sandbox = { window: {} };
  vm.runInNewContext(readFileSync(join(root, 'test/webview/stub/synth.js'), 'utf8'), sandbox);
  return sandbox.window.__tlSynth;
}

export async function runViewsBench({ json = false } = {}) {
  const { loadTrace } = await import('../webview/trace.ts');
  const { computeStats } = await import('../webview/views/stats/stats.ts');
  const { layoutFlame, cullFrames } = await import('../webview/views/flame/layout.ts');
  const synth = synthesizer();
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });

  const wire100k = synth(100_000, 3);
  const t100k = loadTrace(wire100k);
  const [statsMs, baseStatsMs] = timeRuns(
    [
      () => {
        computeStats(t100k, 'operation');
        computeStats(t100k, 'service');
      },
      () => loadTrace(wire100k),
    ],
    TIMING,
  );
  const operations = computeStats(t100k, 'operation').length;
  metric('views.stats.100k.ms', statsMs, 'ms');
  metric('views.stats.100k.loadTrace.ms', baseStatsMs, 'ms');
  metric('views.stats.100k.ratio', statsMs / baseStatsMs, 'ratio');

  const wire1m = synth(1_000_000, 5);
  const t1m = loadTrace(wire1m);
  let drawn = 0;
  const [flameMs, baseFlameMs] = timeRuns(
    [
      () => {
        const l = layoutFlame(t1m);
        const c = cullFrames(t1m, l, { from: 0, to: l.total, width: 1200, top: 0, bottom: 40 });
        drawn = c.count;
      },
      () => loadTrace(wire1m),
    ],
    TIMING,
  );
  metric('views.flame.1m.firstDraw.ms', flameMs, 'ms');
  metric('views.flame.1m.loadTrace.ms', baseFlameMs, 'ms');
  metric('views.flame.1m.ratio', flameMs / baseFlameMs, 'ratio');

  if (json) {
    for (const m of metrics) console.log(JSON.stringify(m));
  } else {
    console.log(`ms per call, median; load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(
      `  statistics  100,000 spans, ${operations} operations: both groupings ${statsMs.toFixed(1).padStart(6)} ms (goal ≤ 100)  loadTrace ${baseStatsMs.toFixed(1).padStart(6)} ms  ratio ${(statsMs / baseStatsMs).toFixed(2)}`,
    );
    console.log(
      `  flame graph 1,000,000 spans, ${drawn} frames drawn at 1,200 px: layout + cull ${flameMs.toFixed(1).padStart(6)} ms (goal ≤ 300)  loadTrace ${baseFlameMs.toFixed(1).padStart(6)} ms  ratio ${(flameMs / baseFlameMs).toFixed(2)}`,
    );
  }
  return metrics;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runViewsBench({ json: process.argv.includes('--json') });
}
