// Trace comparison benchmark (issue 13 item 5, issue 15): `compareTraces` (src/core/compare) on two
// 10,000-span traces, goal ≤ 200 ms. Two shapes: a realistic one (a request fanning out into a few
// dozen operations that repeat, like the 2,001-span fixture) and the worst case for the interning,
// a random tree where nearly every span has an operation path of its own. Baseline, measured in the
// same run on the same traces: self time and critical path of both, computed afresh (`summarize`
// would answer from the per-model cache after the first call),
// what opening the two traces in the panel already costs.
//
//   node --import tsx scripts/bench-compare.mjs [--json]
import { timeRuns } from './benchTiming.mjs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';

const TIMING = { minRuns: 7, minMs: 300, maxRuns: 1000 };

/** A deterministic 10k-span trace as OTLP/JSON: `random` parents anywhere, else a realistic fan-out. */
function trace(n, seed, traceId, random) {
  let a = seed;
  const rand = (k) => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a >>> 8) % k;
  };
  const sid = (i) => i.toString(16).padStart(16, '0');
  const spans = [{ id: 1, parent: 0, name: 'POST /batches', service: 'api', start: 0, end: 60e9 }];
  for (let i = 2; i <= n; i++) {
    // Realistic: 40 workers under the root, each running a few kinds of call many times.
    const parent = random ? 1 + rand(i - 1) : i <= 41 ? 1 : 2 + rand(40);
    const start = rand(50e6) * 1000;
    spans.push({
      id: i,
      parent,
      name: random
        ? `op${rand(40)}`
        : i <= 41
          ? 'process item'
          : ['SELECT items', 'cache get', 'POST /score'][rand(3)],
      service: random ? `svc${rand(8)}` : i <= 41 ? 'worker' : ['db', 'cache', 'scorer'][rand(3)],
      start,
      end: start + rand(5e6) * 1000 + 1000,
    });
  }
  const byService = new Map();
  for (const s of spans) {
    const list = byService.get(s.service) ?? [];
    byService.set(s.service, list);
    list.push({
      traceId,
      spanId: sid(s.id),
      ...(s.parent ? { parentSpanId: sid(s.parent) } : {}),
      name: s.name,
      kind: 1,
      startTimeUnixNano: String(1795469687728000000n + BigInt(s.start)),
      endTimeUnixNano: String(1795469687728000000n + BigInt(s.end)),
    });
  }
  return JSON.stringify({
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'bench' }, spans: list }],
    })),
  });
}

export async function runCompareBench({ json = false } = {}) {
  const { decodeTrace } = await import('../src/core/decode/index.ts');
  const { criticalPath, selfTime } = await import('../src/core/analysis/index.ts');
  const { compareTraces } = await import('../src/core/compare/index.ts');
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });
  const rows = [];
  for (const [label, random] of [
    ['realistic', false],
    ['distinct-paths', true],
  ]) {
    const a = decodeTrace(trace(10_000, 7, 'a'.repeat(32), random)).model;
    const b = decodeTrace(trace(10_000, 8, 'b'.repeat(32), random)).model;
    const operations = compareTraces(a, b).operations.length;
    const [ms, baseMs] = timeRuns(
      [
        () => compareTraces(a, b),
        () => {
          selfTime(a);
          criticalPath(a);
          selfTime(b);
          criticalPath(b);
        },
      ],
      TIMING,
    );
    metric(`compare.10k.${label}.ms`, ms, 'ms');
    metric(`compare.10k.${label}.analyzeBoth.ms`, baseMs, 'ms');
    metric(`compare.10k.${label}.ratio`, ms / baseMs, 'ratio');
    rows.push({ label, operations, ms, baseMs });
  }
  if (json) {
    for (const m of metrics) console.log(JSON.stringify(m));
  } else {
    console.log(
      `ms per comparison of two 10,000-span traces, median; load average ${os.loadavg()[0].toFixed(1)}`,
    );
    for (const r of rows) {
      console.log(
        `  ${r.label.padEnd(15)} ${String(r.operations).padStart(6)} operations  compare ${r.ms.toFixed(1).padStart(6)} ms (goal ≤ 200)  analyze both ${r.baseMs.toFixed(1).padStart(6)} ms  ratio ${(r.ms / r.baseMs).toFixed(2)}`,
      );
    }
  }
  return metrics;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runCompareBench({ json: process.argv.includes('--json') });
}
