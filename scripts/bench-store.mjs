// Local store benchmark (issue 10): each figure with the baseline it is compared against,
// measured in the same run.
//
//   node --expose-gc --import tsx scripts/bench-store.mjs [--json] [--sizes=100k,1m] [--quick]
//     [--parts=ingest,sizes,hostile] [--exporters=N]
//
// (Started without tsx, it re-runs itself with those flags.) With TL_BENCH_CPU_PROF=<dir> set,
// each `trace-lens receive` it starts writes a V8 CPU profile there when it stops.
//
// - ingest: the OpenTelemetry JS SDK exporting OTLP/HTTP protobuf over loopback to `trace-lens
//   receive` as shipped (the built dist/cli.js, a process of its own), fed in steps of 10k spans
//   per exporter so none has more than 30 exports in flight (it drops spans beyond that): once
//   with one exporter, once with N exporters side by side in worker threads (bench-store-sdk.mjs,
//   as N processes of an app would export; goal ≥ 100k spans/s), with the receiver's CPU seconds.
//   Baseline: the same N exporters into a server that only reads bodies and answers (the SDK's
//   own ceiling on this machine). Then the same request bodies replayed 8 at a time, which the
//   receiver alone limits. Baseline: decoding the same bodies with the model's decoder
//   (`decodeTrace`, bundled like the receiver), one core, interleaved round by round with the
//   replay (totals over 5 rounds after a warm-up round), as wall and CPU time; the
//   ratio is printed both ways (goal ≥ 0.6), since on a small machine the wall figure also pays
//   for the HTTP client's CPU; also the ingest scan alone.
// - with 100k and 1M spans stored (10-span traces in 1,000-span requests): trace by ID
//   (`readTrace`, median of 200 random IDs; baseline: decoding the bytes it returns), searches
//   (median of 15; baseline: one pass over every span's duration, the floor of any full scan),
//   a metrics query, bytes on disk per span (baseline: the OTLP protobuf bytes per span), and at
//   1M the reopen time and RSS of a fresh process that opens the store (baselines: reading the
//   same files; an idle Node process).
// - hostile: 1M spans in one trace (ingest rate, trace by ID served partial past 64 MiB).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
}

function gc() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

/** RSS of process `pid` in MB (Linux /proc, else ps). */
function rssMB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux.
  }
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Number(r.stdout.trim()) / 1024;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** CPU seconds used by process `pid` so far (Linux only; undefined elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
  } catch {
    return undefined;
  }
}

/** Bundles `source` (TypeScript importing from the repository root) as the build does, and imports it. */
async function importBundled(tmp, source) {
  const esbuild = await import('esbuild');
  const outfile = join(tmp, `bundle-${Date.now()}.mjs`);
  await esbuild.build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

/**
 * Runs `exporters` SDK load generators (bench-store-sdk.mjs, one worker thread each) sending
 * `spans` spans in all to `url`; resolves with the wall time from the start signal until the
 * last is done, and the CPU seconds process `pid` (the receiver) used meanwhile.
 */
async function sdkLoad(url, spans, exporters, pid) {
  const { Worker } = await import('node:worker_threads');
  const share = Math.ceil(spans / exporters / 10) * 10;
  const workers = [];
  for (let w = 0; w < exporters; w++) {
    const n = Math.min(share, spans - w * share);
    const worker = new Worker(join(root, 'scripts/bench-store-sdk.mjs'), {
      workerData: { url, spans: n, first: w * share, service: `bench-${w}` },
    });
    workers.push(worker);
  }
  // Each posts `ready` once its imports are loaded, then waits for `go`.
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('message', resolve))));
  const done = workers.map(
    (w) =>
      new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  const cpu0 = pid ? cpuSeconds(pid) : undefined;
  const t0 = performance.now();
  for (const w of workers) w.postMessage('go');
  await Promise.all(done);
  const ms = performance.now() - t0;
  const cpu1 = pid ? cpuSeconds(pid) : undefined;
  await Promise.all(workers.map((w) => w.terminate()));
  return { ms, recvCpu: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined };
}

/** An HTTP server that reads each request's body and answers 200 with an empty body. */
async function startNullSink() {
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': '0' });
      res.end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}

/** Starts `trace-lens receive` (the built `dist/cli.js`) on a fresh store; resolves with its ports and pid. */
async function startReceiverProcess(dir) {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.TL_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.TL_BENCH_CPU_PROF}`]
        : []),
      join(root, 'dist/cli.js'),
      'receive',
      '--store',
      dir,
      '--http-port',
      '0',
      '--grpc-port',
      '0',
      '--query-port',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', (code) => reject(new Error(`receive exited with ${code}`)));
  });
  const m = /http:\/\/127\.0\.0\.1:(\d+) and .*Tempo API on (http:\/\/\S+)/.exec(line);
  if (!m) throw new Error(`unexpected receive output: ${line}`);
  return {
    child,
    http: Number(m[1]),
    query: m[2],
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

async function post(port, body) {
  const res = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf' },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`receiver answered ${res.status}`);
}

export async function runStoreBench({
  json = false,
  sizes = ['100k', '1m'],
  quick = false,
  parts = new Set(['ingest', 'sizes', 'hostile']),
  sdkExporters = Math.min(4, Math.max(2, os.cpus().length)),
} = {}) {
  const store = await import('../src/core/store/index.ts');
  const { scanFrames } = await import('../src/core/store/segmentFile.ts');
  const { encodeSpans, generateTraces } = await import('../src/core/store/testing/exports.ts');

  const log = (s) => (json ? process.stderr.write(s + '\n') : console.log(s));
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });
  const tmp = fs.mkdtempSync(join(os.tmpdir(), 'trace-lens-bench-store-'));
  const f = (v, d = 1) => v.toFixed(d);
  // The receiver runs as shipped (the esbuild bundle, not tsx's module-per-file transpile,
  // whose cross-module getters cost the scan a third of its speed), so the CLI is built first;
  // the decode and scan baselines are bundled the same way.
  if (parts.has('ingest')) {
    const built = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], {
      cwd: root,
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('the build failed');
  }
  const { decodeTrace, scanTraces } = await importBundled(
    tmp,
    "export { decodeTrace } from './src/core/decode/index.ts'; export { scanTraces } from './src/core/otlp/scan.ts';",
  );

  try {
    // --- ingest ------------------------------------------------------------------------------
    if (parts.has('ingest')) {
      const sdkSpans = quick ? 50_000 : 200_000;
      const rate = (ms) => (sdkSpans / ms) * 1000;
      const perCpu = (s) => (s ? sdkSpans / s : undefined);
      const k = (v) => `${f(v / 1000)}k`;
      // One exporter, then several side by side (as several processes of an app would export):
      // the SDK makes and encodes spans slower than the receiver takes them, so one exporter
      // measures the SDK. Baseline: the same exporters into a server that only reads the
      // bodies and answers 200 (the SDK's own ceiling on this machine).
      const dirA = join(tmp, 'sdk');
      const recv = await startReceiverProcess(dirA);
      const one = await sdkLoad(`http://127.0.0.1:${recv.http}/v1/traces`, sdkSpans, 1, recv.child.pid);
      const statsA = await (await fetch(`${recv.query}/api/trace-lens/stats`)).json();
      const rssA = rssMB(recv.child.pid);
      await recv.stop();
      if (statsA.spans !== sdkSpans)
        log(`warning: the receiver holds ${statsA.spans} of ${sdkSpans} spans the SDK made`);
      const dirP = join(tmp, 'sdk-parallel');
      const recvP = await startReceiverProcess(dirP);
      const par = await sdkLoad(
        `http://127.0.0.1:${recvP.http}/v1/traces`,
        sdkSpans,
        sdkExporters,
        recvP.child.pid,
      );
      const statsP = await (await fetch(`${recvP.query}/api/trace-lens/stats`)).json();
      await recvP.stop();
      if (statsP.spans !== sdkSpans)
        log(`warning: the receiver holds ${statsP.spans} of ${sdkSpans} spans the SDK made`);
      const nullSink = await startNullSink();
      const parNull = await sdkLoad(`http://127.0.0.1:${nullSink.port}/v1/traces`, sdkSpans, sdkExporters);
      await nullSink.stop();

      // The request bodies the SDK sent, as the receiver stored them.
      const bodies = [];
      for (const name of fs
        .readdirSync(join(dirA, 'segments'))
        .filter((n) => n.endsWith('.seg'))
        .sort()) {
        const bytes = new Uint8Array(fs.readFileSync(join(dirA, 'segments', name)));
        for (const fr of scanFrames(bytes).frames)
          bodies.push(bytes.slice(fr.bodyOffset, fr.bodyOffset + fr.bodyLength));
      }
      const bodyBytes = bodies.reduce((n, b) => n + b.length, 0);
      // Decode-only and scan-only of the same bytes in this process (one core), and a replay of
      // the same bodies, 8 in flight, into a fresh receiver, interleaved round by round so that
      // both sides meet the same load on a shared machine, as wall time and CPU time. The first
      // round warms the JITs up and is not counted; the figures are totals over the rounds after
      // it. Not a median: a receiver's work comes in steps (a 64 MiB segment is sealed and
      // checkpointed every ~2.4 rounds), and the median round is a round with or without a seal
      // depending on where the seals fall, while the total is what sustained ingest costs.
      // Replay rounds after the first add the same spans again, to traces the store already
      // holds, as later batches of a trace do.
      const pass = (fn) => {
        const c = process.cpuUsage();
        const s = performance.now();
        for (const b of bodies) fn(b);
        const d = process.cpuUsage(c);
        return { ms: performance.now() - s, cpu: (d.user + d.system) / 1e6 };
      };
      const dirB = join(tmp, 'replay');
      const recvB = await startReceiverProcess(dirB);
      const measured = 5;
      const decodeRuns = [];
      const scanRuns = [];
      const replayWall = [];
      const replayCpu = [];
      for (let round = 0; round <= measured; round++) {
        const d = pass((b) => decodeTrace(b, 'otlp-proto'));
        const sc = pass((b) => scanTraces(b));
        let next = 0;
        const c0 = cpuSeconds(recvB.child.pid);
        const tB = performance.now();
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < bodies.length) await post(recvB.http, bodies[next++]);
          }),
        );
        const wall = performance.now() - tB;
        const c1 = cpuSeconds(recvB.child.pid);
        if (round === 0) continue;
        decodeRuns.push(d);
        scanRuns.push(sc);
        replayWall.push(wall);
        if (c0 !== undefined && c1 !== undefined) replayCpu.push(c1 - c0);
      }
      const seals = fs.readdirSync(join(dirB, 'segments')).filter((n) => n.endsWith('.seg')).length - 1;
      await recvB.stop();
      const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const spread = (xs, toRate) => {
        const r = xs.map(toRate);
        return `${k(Math.min(...r))}–${k(Math.max(...r))}`;
      };
      const decode = { ms: mean(decodeRuns.map((r) => r.ms)), cpu: mean(decodeRuns.map((r) => r.cpu)) };
      const scan = { ms: mean(scanRuns.map((r) => r.ms)) };
      const replayMs = mean(replayWall);
      const replayCpuS = replayCpu.length === measured ? mean(replayCpu) : undefined;

      const replayRate = rate(replayMs);
      const decodeRate = rate(decode.ms);
      const decodeCpuRate = perCpu(decode.cpu);
      const replayCpuRate = perCpu(replayCpuS);
      log(
        `ingest (${sdkSpans / 1000}k spans in ${bodies.length} SDK requests of 1,000, ${f(bodyBytes / sdkSpans, 0)} B/span; receiver: dist/cli.js receive, a process of its own):`,
      );
      const recvLine = (cpu) => (cpu ? `; receiver ${k(perCpu(cpu))} spans per CPU-second` : '');
      log(`  SDK → receive, 1 exporter              ${k(rate(one.ms))} spans/s wall${recvLine(one.recvCpu)}`);
      log(
        `  SDK → receive, ${sdkExporters} exporters (threads)   ${k(rate(par.ms))} spans/s wall${recvLine(par.recvCpu)} (goal ≥ 100k)`,
      );
      log(
        `  baseline: the ${sdkExporters} exporters into a server that only reads and answers ${k(rate(parNull.ms))} spans/s (the SDK's ceiling here)`,
      );
      log(
        `  replay of the SDK's requests, 8 in flight ${k(replayRate)} spans/s wall` +
          (replayCpuRate
            ? `; receiver ${k(replayCpuRate)} spans per CPU-second (rounds ${spread(replayCpu, perCpu)})`
            : '') +
          `; ${measured} rounds after a warm-up, sealing ${seals} segment${seals === 1 ? '' : 's'}`,
      );
      log(
        `  baseline: decode-only (decodeTrace)    ${k(decodeRate)} spans/s wall, ${k(decodeCpuRate)} spans per CPU-second (rounds ${spread(
          decodeRuns.map((r) => r.cpu),
          perCpu,
        )}; one core, interleaved with the replay)`,
      );
      log(
        `  ingest/decode: wall ${f(replayRate / decodeRate, 2)}` +
          (replayCpuRate ? `, per CPU-second ${f(replayCpuRate / decodeCpuRate, 2)}` : '') +
          ' (goal ≥ 0.6; the wall figure also pays for the HTTP client, which shares the cores)',
      );
      log(`  ingest scan alone                       ${k(rate(scan.ms))} spans/s wall`);
      log(`  receiver RSS holding ${sdkSpans / 1000}k spans: ${f(rssA, 0)} MB`);
      metric('store.ingest.sdk.spansPerSec', rate(one.ms), 'spans/s');
      if (one.recvCpu) metric('store.ingest.sdk.receiverSpansPerCpuSec', perCpu(one.recvCpu), 'spans/s');
      metric('store.ingest.sdkParallel.spansPerSec', rate(par.ms), 'spans/s');
      metric('store.ingest.sdkParallel.exporters', sdkExporters, 'count');
      metric('store.ingest.sdkParallelNullSink.spansPerSec', rate(parNull.ms), 'spans/s');
      metric('store.ingest.replay.spansPerSec', replayRate, 'spans/s');
      if (replayCpuRate) metric('store.ingest.replay.receiverSpansPerCpuSec', replayCpuRate, 'spans/s');
      metric('store.ingest.decodeOnly.spansPerSec', decodeRate, 'spans/s');
      metric('store.ingest.decodeOnly.spansPerCpuSec', decodeCpuRate, 'spans/s');
      metric('store.ingest.scanOnly.spansPerSec', rate(scan.ms), 'spans/s');
      metric('store.ingest.replay.ratioToDecode', replayRate / decodeRate, 'ratio');
      if (replayCpuRate)
        metric('store.ingest.replay.cpuRatioToDecode', replayCpuRate / decodeCpuRate, 'ratio');
      bodies.length = 0;
      gc();
    }

    // --- stored sizes -----------------------------------------------------------------------
    const QUERIES = [
      ['service+duration', '{ resource.service.name = "payments" && duration > 3ms }'],
      ['status>=500', '{ span.http.response.status_code >= 500 }'],
      ['code regex', '{ span.code.function.name =~ "payments\\\\.handler[0-3]" }'],
      ['rare needle (oldest)', '{ span.item.id = "item-7" }'],
      ['absent name', '{ name = "no such span" }'],
      ['error && server', '{ status = error } && { kind = server }'],
    ];
    for (const label of parts.has('sizes') ? sizes : []) {
      const n = label === '1m' ? 1_000_000 : label === '100k' ? 100_000 : Number(label);
      const dir = join(tmp, `store-${label}`);
      const s = store.TraceStore.open({ dir });
      const start = BigInt(Date.now() - 3_600_000) * 1_000_000n;
      let protoBytes = 0;
      let appendMs = 0;
      const traceIds = [];
      for (let done = 0; done < n; done += 100_000) {
        const chunk = Math.min(100_000, n - done);
        const gen = generateTraces(chunk / 10, 10, {
          seed: done + 1,
          startNs: start + BigInt(done / 10) * 1_000_000n,
        });
        // Make trace IDs and item IDs unique over chunks.
        for (const sp of gen.spans)
          sp.attributes['item.id'] = `item-${done}-${sp.attributes['item.id'].slice(5)}`;
        if (done === 0) gen.spans[7].attributes['item.id'] = 'item-7';
        traceIds.push(...gen.traceIds);
        const requests = [];
        for (let i = 0; i < gen.spans.length; i += 1000)
          requests.push(encodeSpans(gen.spans.slice(i, i + 1000)));
        const a0 = performance.now();
        for (const r of requests) {
          protoBytes += r.length;
          await s.append('traces', r);
        }
        appendMs += performance.now() - a0;
      }
      gc();
      const stats = s.stats();
      // Trace by ID.
      const ids = Array.from({ length: 200 }, (_, i) => traceIds[(i * 7919) % traceIds.length]);
      const byId = [];
      const decodeT = [];
      for (const id of ids) {
        const t1 = performance.now();
        const t = store.readTrace(s, id);
        byId.push(performance.now() - t1);
        const t2 = performance.now();
        decodeTrace(t.bytes, 'otlp-proto');
        decodeT.push(performance.now() - t2);
      }
      // The floor of a full scan: one pass over every span's duration.
      const scanFloor = [];
      for (let r = 0; r < 15; r++) {
        const t1 = performance.now();
        let sum = 0;
        for (const seg of s.segments()) {
          const d = seg.index.duration.data;
          for (let i = 0; i < seg.index.spanCount; i++) sum += d[i];
        }
        scanFloor.push(performance.now() - t1);
        if (sum < 0) log('');
      }
      log(
        `\n${label} spans stored (${stats.traces} traces, ${stats.segments} segments), in-process append ${f(((n / appendMs) * 1000) / 1000)}k spans/s:`,
      );
      log(
        `  trace by ID      median ${f(median(byId), 2)} ms, p95 ${f(percentile(byId, 0.95), 2)} ms (baseline: decoding it ${f(median(decodeT), 2)} ms; goal ≤ 5 ms at 1M)`,
      );
      metric(`store.traceById.${label}.ms`, median(byId), 'ms');
      metric(`store.traceById.${label}.decode.ms`, median(decodeT), 'ms');
      log(`  full-scan floor  ${f(median(scanFloor), 2)} ms (one pass over ${label} durations)`);
      metric(`store.scanFloor.${label}.ms`, median(scanFloor), 'ms');
      for (const [name, q] of QUERIES) {
        const times = [];
        let found = 0;
        for (let r = 0; r < 15; r++) {
          const t1 = performance.now();
          found = store.searchTraces(s, { q, limit: 20 }).traces.length;
          times.push(performance.now() - t1);
        }
        log(
          `  search ${name.padEnd(22)} ${f(median(times), 2).padStart(7)} ms  (${found} traces; goal ≤ 50 ms at 1M)`,
        );
        metric(`store.search.${label}.${name.replace(/[^a-z0-9]+/gi, '_')}.ms`, median(times), 'ms');
      }
      {
        const { metricsRange } = await import('../src/core/store/metrics.ts');
        const params = new URLSearchParams({
          q: '{ resource.service.name = "payments" } | quantile_over_time(duration, .5, .95) by (span.code.function.name)',
          start: String(Math.floor(Date.now() / 1000) - 7200),
          end: String(Math.floor(Date.now() / 1000)),
          step: '60',
        });
        const times = [];
        for (let r = 0; r < 5; r++) {
          const t1 = performance.now();
          metricsRange(s, params, Date.now());
          times.push(performance.now() - t1);
        }
        log(`  metrics quantile_over_time by code.function.name: ${f(median(times), 1)} ms`);
        metric(`store.metrics.${label}.quantileBy.ms`, median(times), 'ms');
      }
      const segBytes = stats.bytes;
      const idxBytes = fs
        .readdirSync(join(dir, 'segments'))
        .filter((x) => x.endsWith('.idx'))
        .reduce((acc, x) => acc + fs.statSync(join(dir, 'segments', x)).size, 0);
      log(
        `  on disk ${f(segBytes / n, 0)} B/span in segments + ${f(idxBytes / n, 0)} B/span checkpoints (baseline: ${f(protoBytes / n, 0)} B/span of OTLP protobuf); index in memory ${f(stats.indexBytes / n, 0)} B/span`,
      );
      metric(`store.disk.${label}.bytesPerSpan`, (segBytes + idxBytes) / n, 'bytes');
      metric(`store.disk.${label}.otlpBytesPerSpan`, protoBytes / n, 'bytes');
      metric(`store.index.${label}.bytesPerSpan`, stats.indexBytes / n, 'bytes');
      await s.close();
      if (label === sizes[sizes.length - 1]) {
        // Reopen in a fresh process: open time and RSS, against reading the same files and an idle Node.
        const probe = `
          const t0 = performance.now();
          const s = require(${JSON.stringify(join(root, 'src/core/store/index.ts'))}).TraceStore.open({ dir: ${JSON.stringify(dir)} });
          const openMs = performance.now() - t0;
          const r0 = performance.now();
          const fs = require('node:fs'); let bytes = 0;
          for (const f of fs.readdirSync(${JSON.stringify(join(dir, 'segments'))})) bytes += fs.readFileSync(require('node:path').join(${JSON.stringify(join(dir, 'segments'))}, f)).length;
          const readMs = performance.now() - r0;
          global.gc && global.gc();
          const rss = process.memoryUsage().rss / 1048576;
          console.log(JSON.stringify({ openMs, readMs, rss, spans: s.stats().spans }));
          s.close();`;
        const r = spawnSync(process.execPath, ['--expose-gc', '--require', 'tsx/cjs', '-e', probe], {
          encoding: 'utf8',
          cwd: root,
        });
        const idle = spawnSync(
          process.execPath,
          [
            '--expose-gc',
            '--require',
            'tsx/cjs',
            '-e',
            'global.gc(); console.log(process.memoryUsage().rss / 1048576)',
          ],
          { encoding: 'utf8', cwd: root },
        );
        try {
          const o = JSON.parse(r.stdout.trim().split('\n').pop());
          const idleRss = Number(idle.stdout.trim());
          log(
            `  reopen in a fresh process ${f(o.openMs, 0)} ms for ${o.spans} spans (baseline: reading the files ${f(o.readMs, 0)} ms; goal ≤ 1 s at 1M)`,
          );
          log(`  RSS of that process ${f(o.rss, 0)} MB (baseline: an idle Node process ${f(idleRss, 0)} MB)`);
          metric(`store.reopen.${label}.ms`, o.openMs, 'ms');
          metric(`store.reopen.${label}.readFiles.ms`, o.readMs, 'ms');
          metric(`store.rss.${label}.MB`, o.rss, 'MB');
          metric('store.rss.idleNode.MB', idleRss, 'MB');
        } catch {
          log(`  reopen probe failed: ${r.stderr}`);
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      gc();
    }

    // --- hostile: 1M spans in one trace --------------------------------------------------------
    if (parts.has('hostile')) {
      const n = quick ? 100_000 : 1_000_000;
      const dir = join(tmp, 'one-trace');
      const s = store.TraceStore.open({ dir });
      const traceId = 'abcdef0123456789abcdef0123456789';
      let appendMs = 0;
      for (let done = 0; done < n; done += 10_000) {
        const gen = generateTraces(1, 10_000, {
          seed: done + 3,
          startNs: 1_700_000_000_000_000_000n + BigInt(done) * 1000n,
        });
        for (const sp of gen.spans) sp.traceId = traceId;
        const req = encodeSpans(gen.spans);
        const a0 = performance.now();
        await s.append('traces', req);
        appendMs += performance.now() - a0;
      }
      const t1 = performance.now();
      const t = store.readTrace(s, traceId);
      const readMs = performance.now() - t1;
      log(
        `\nhostile: ${n / 1000}k spans in one trace: appended at ${f(((n / appendMs) * 1000) / 1000)}k spans/s; trace by ID ${f(readMs, 0)} ms → ${t.spanCount} spans${t.partial ? `, partial (${t.message})` : ''}`,
      );
      metric('store.hostile.oneTrace.readMs', readMs, 'ms');
      await s.close();
    }
    if (!json) {
      const [load1] = os.loadavg();
      log(`\nload average ${load1.toFixed(1)} on ${os.cpus().length} cores; Node ${process.version}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  if (json) for (const m of metrics) console.log(JSON.stringify(m));
  return metrics;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const json = process.argv.includes('--json');
  const quick = process.argv.includes('--quick');
  const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice(8).split(',') : undefined;
  const exportersArg = process.argv.find((a) => a.startsWith('--exporters='));
  const sdkExporters = exportersArg ? Number(exportersArg.slice(12)) : undefined;
  const partsArg = process.argv.find((a) => a.startsWith('--parts='));
  const parts = partsArg ? new Set(partsArg.slice(8).split(',')) : undefined;
  let canImportTs = true;
  try {
    await import('../src/core/store/crc32.ts');
  } catch {
    canImportTs = false;
  }
  if (!canImportTs) {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', ...process.argv.slice(1)],
      {
        stdio: 'inherit',
      },
    );
    process.exit(r.status ?? 1);
  }
  await runStoreBench({
    json,
    quick,
    ...(sizes ? { sizes } : {}),
    ...(parts ? { parts } : {}),
    ...(sdkExporters ? { sdkExporters } : {}),
  });
}
