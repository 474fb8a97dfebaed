// Decode benchmark: time to turn a trace body into the model plus its analysis (summary with
// self time and critical path), for Tempo v1 JSON and OTLP protobuf at 10k, 100k and 1M spans,
// against `JSON.parse` of the same JSON bytes measured in the same run; and the model's memory
// per span.
//
//   node --expose-gc --import tsx scripts/bench-decode.mjs [--json] [--sizes=10k,100k,1m]
//
// (Started without tsx, it re-runs itself with those flags.) Traces come from
// bench-decode-gen.mjs and are cached in os.tmpdir()/trace-lens-bench.
//
// What is timed, each the median of several interleaved runs after one warm-up round:
// - jsonparse: `JSON.parse(new TextDecoder().decode(bytes))`, the cost of bytes → JS objects
//   that any JSON decoder pays (the parse alone is printed too);
// - json / proto: `summarize(decodeTrace(bytes).model)`.
// Memory: heap plus array buffers after a full GC, minus the same before decoding, with the
// input bytes already loaded (so not counted) and no span detail decoded. The protobuf model
// keeps only byte ranges into the input for details; the JSON model keeps the parsed span
// objects, so its figure is printed separately.
// 1M spans is protobuf only: as Tempo JSON it would be about 1 GB, more than V8's maximum
// string length (2^29 - 24 characters), so neither JSON.parse nor any JSON decoder can take it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { ensureBenchTrace, spanCountOf } from './bench-decode-gen.mjs';

const RUNS = { '10k': 9, '100k': 5, '1m': 3 };

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function gc() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

function memory() {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Heap plus array buffers once garbage is collected and freed buffers are swept (off-thread). */
async function settledMemory() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 30));
  }
  return memory();
}

/**
 * Bytes per span that decoding `bytes` adds and keeps: the columns, string tables and what the
 * decoder keeps for details (byte ranges), but not the input, which is loaded before.
 */
async function bytesPerSpan(decodeTrace, bytes) {
  const m0 = await settledMemory();
  const d = decodeTrace(bytes);
  const m1 = await settledMemory();
  return { perSpan: (m1 - m0) / d.model.spanCount, spanCount: d.model.spanCount, model: d.model, keep: d };
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Times each of `fns` `runs` times, interleaved (a b c a b c …) so that a busy machine slows all
 * of them alike, after one warm-up round. Returns the median wall and CPU milliseconds per
 * function. No GC is forced between runs: a forced full GC shrinks the heap and makes the next
 * run pay for growing it again, which no real decode does.
 */
function timeRuns(runs, fns) {
  for (const fn of fns) fn();
  const wall = fns.map(() => []);
  const cpu = fns.map(() => []);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const c0 = cpuMs();
      const t0 = performance.now();
      fn();
      wall[k].push(performance.now() - t0);
      cpu[k].push(cpuMs() - c0);
    });
  }
  return fns.map((_, k) => ({ wall: median(wall[k]), cpu: median(cpu[k]) }));
}

function load(path) {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Runs the benchmark and returns the metrics; prints a table, or with `json` one
 * `{"metric","value","unit"}` object per line.
 */
export async function runDecodeBench({ json = false, sizes = ['10k', '100k', '1m'] } = {}) {
  const { decodeTrace } = await import('../src/core/decode/index.ts');
  const { summarize } = await import('../src/core/analysis/index.ts');
  const log = (s) => {
    if (!json) console.log(s);
    else process.stderr.write(s + '\n');
  };
  if (typeof globalThis.gc !== 'function')
    log('note: run node with --expose-gc for steadier figures and the memory metric');
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });
  const rows = [];
  const utf8 = new TextDecoder();
  for (const label of sizes) {
    const n = spanCountOf(label);
    const withJson = n < 1e6;
    const paths = ensureBenchTrace(label, withJson ? ['json', 'proto'] : ['proto'], log);
    const runs = RUNS[label] ?? 3;
    const decodeAndAnalyse = (bytes) => {
      const d = decodeTrace(bytes);
      summarize(d.model);
      return d;
    };
    const row = { label, n };
    if (withJson) {
      const bytes = load(paths.json);
      row.jsonMB = bytes.length / 1e6;
      const mem = await bytesPerSpan(decodeTrace, bytes);
      row.jsonBytesPerSpan = mem.perSpan;
      if (mem.spanCount !== n) throw new Error(`${label} JSON decoded ${mem.spanCount} spans, not ${n}`);
      const text = utf8.decode(bytes);
      const [parseOnly, jsonparse, decoded] = timeRuns(runs, [
        () => JSON.parse(text),
        () => JSON.parse(utf8.decode(bytes)),
        () => decodeAndAnalyse(bytes),
      ]);
      row.parseOnly = parseOnly.wall;
      row.jsonparse = jsonparse.wall;
      row.json = decoded.wall;
      row.jsonparseCpu = jsonparse.cpu;
      row.jsonCpu = decoded.cpu;
      metric(`decode.jsonparse.${label}.ms`, row.jsonparse, 'ms');
      metric(`decode.json.${label}.ms`, row.json, 'ms');
      metric(`decode.json.${label}.ratio`, row.json / row.jsonparse, 'ratio');
      metric(`decode.json.${label}.cpuRatio`, row.jsonCpu / row.jsonparseCpu, 'ratio');
      if (label !== '10k') metric(`model.bytesPerSpan.json.${label}`, row.jsonBytesPerSpan, 'bytes');
    }
    {
      const bytes = load(paths.proto);
      row.protoMB = bytes.length / 1e6;
      const mem = await bytesPerSpan(decodeTrace, bytes);
      row.protoBytesPerSpan = mem.perSpan;
      if (mem.spanCount !== n) throw new Error(`${label} protobuf decoded ${mem.spanCount} spans, not ${n}`);
      if (withJson) {
        // The two files hold the same trace: the models must agree.
        const j = decodeTrace(load(paths.json)).model;
        const p = mem.model;
        const same =
          j.durationNs === p.durationNs &&
          j.services.join() === p.services.join() &&
          j.strings.join() === p.strings.join() &&
          Object.keys(j.columns).every((k) => j.columns[k].every((v, i) => v === p.columns[k][i]));
        if (!same) throw new Error(`${label}: JSON and protobuf models differ`);
      }
      mem.model = undefined;
      const [proto] = timeRuns(runs, [() => decodeAndAnalyse(bytes)]);
      row.proto = proto.wall;
      row.protoCpu = proto.cpu;
      metric(`decode.proto.${label}.ms`, row.proto, 'ms');
      metric(`decode.proto.${label}.cpu.ms`, row.protoCpu, 'ms');
      if (label !== '10k') metric(`model.bytesPerSpan.${label}`, row.protoBytesPerSpan, 'bytes');
    }
    rows.push(row);
    gc();
  }
  if (json) {
    for (const m of metrics) console.log(JSON.stringify(m));
  } else {
    const f = (v, d = 0) => (v === undefined ? '–' : v.toFixed(d));
    const [load1] = os.loadavg();
    console.log('');
    console.log(`wall ms (CPU ms), median; load average ${load1.toFixed(1)} on ${os.cpus().length} cores`);
    console.log(
      'spans | JSON MB | JSON.parse | bytes→JSON.parse | JSON decode+analysis | ratio (CPU) | proto MB | proto decode+analysis | bytes/span proto (JSON)',
    );
    for (const r of rows) {
      const ratio = r.json
        ? `${(r.json / r.jsonparse).toFixed(2)}x (${(r.jsonCpu / r.jsonparseCpu).toFixed(2)}x)`
        : '–';
      console.log(
        [
          r.label.padEnd(5),
          f(r.jsonMB, 1).padStart(7),
          f(r.parseOnly).padStart(10),
          `${f(r.jsonparse)} (${f(r.jsonparseCpu)})`.padStart(16),
          `${f(r.json)} (${f(r.jsonCpu)})`.padStart(20),
          ratio.padStart(11),
          f(r.protoMB, 1).padStart(8),
          `${f(r.proto)} (${f(r.protoCpu)})`.padStart(21),
          `${f(r.protoBytesPerSpan)} (${f(r.jsonBytesPerSpan)})`,
        ].join(' | '),
      );
    }
    console.log('');
    console.log(
      'targets: JSON ≤ 1.3x bytes→JSON.parse at 100k; protobuf ≤ 300 ms at 100k; ≤ 150 bytes/span; 1M decodes',
    );
    console.log(
      'CPU time counts every thread of the process (GC helpers too); wall time is what a person waits.',
    );
  }
  return metrics;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const json = process.argv.includes('--json');
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice(8).split(',') : undefined;
  let canImportTs = true;
  try {
    await import('../src/shared/format.ts');
  } catch {
    canImportTs = false;
  }
  if (!canImportTs) {
    // Started with plain `node`: run again with the TypeScript loader, GC access and room for 1M spans.
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', ...process.argv.slice(1)],
      { stdio: 'inherit' },
    );
    process.exit(r.status ?? 1);
  }
  await runDecodeBench({ json, ...(sizes ? { sizes } : {}) });
}
