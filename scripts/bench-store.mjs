// Local store benchmark (issue 10): each figure with the baseline it is compared against,
// measured in the same run.
//
//   node --expose-gc --import tsx scripts/bench-store.mjs [--json] [--sizes=100k,1m] [--quick]
//     [--parts=ingest,sizes,hostile]
//
// (Started without tsx, it re-runs itself with those flags.)
//
// - ingest: the OpenTelemetry JS SDK exporting OTLP/HTTP protobuf to `trace-lens receive` (a
//   process of its own) over loopback, fed in steps of 10k spans so the exporter never has more
//   than 30 exports in flight (it drops spans beyond that); then the same request bodies replayed
//   8 at a time, which the receiver alone limits. Baseline: decoding the same bodies with the
//   model's decoder (`decodeTrace`), one core; also the ingest scan alone.
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

/** Starts `trace-lens receive` from source on a fresh store; resolves with its ports and pid. */
async function startReceiverProcess(dir) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'src/cli/main.ts'),
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
} = {}) {
  const store = await import('../src/core/store/index.ts');
  const { scanTraces } = await import('../src/core/otlp/scan.ts');
  const { decodeTrace } = await import('../src/core/decode/index.ts');
  const { scanFrames } = await import('../src/core/store/segmentFile.ts');
  const { encodeSpans, generateTraces } = await import('../src/core/store/testing/exports.ts');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const api = await import('@opentelemetry/api');

  const log = (s) => (json ? process.stderr.write(s + '\n') : console.log(s));
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });
  const tmp = fs.mkdtempSync(join(os.tmpdir(), 'trace-lens-bench-store-'));
  const f = (v, d = 1) => v.toFixed(d);

  try {
    // --- ingest ------------------------------------------------------------------------------
    if (parts.has('ingest')) {
      const sdkSpans = quick ? 50_000 : 200_000;
      const dirA = join(tmp, 'sdk');
      const recv = await startReceiverProcess(dirA);
      const provider = new BasicTracerProvider({
        resource: resourceFromAttributes({ 'service.name': 'bench', 'service.version': '1.0.0' }),
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${recv.http}/v1/traces` }), {
            maxQueueSize: 20_000,
            maxExportBatchSize: 1000,
            scheduledDelayMillis: 10,
          }),
        ],
      });
      const tracer = provider.getTracer('bench', '1.0.0');
      const cpu0 = cpuSeconds(recv.child.pid);
      const t0 = performance.now();
      for (let made = 0; made < sdkSpans;) {
        // A step of 10k spans (1,000 traces of 10), then wait for the exporter to drain.
        for (let t = 0; t < 1000; t++) {
          const rootSpan = tracer.startSpan('GET /orders', {
            kind: 1,
            attributes: { 'http.route': '/orders', 'http.response.status_code': 200 },
          });
          const ctx = api.trace.setSpan(api.context.active(), rootSpan);
          for (let k = 0; k < 9; k++) {
            const s = tracer.startSpan(
              k % 2 ? 'SELECT orders' : 'charge',
              { attributes: { 'code.function.name': `handler${k}`, 'item.id': made + k } },
              ctx,
            );
            s.end();
          }
          rootSpan.end();
          made += 10;
        }
        await provider.forceFlush();
      }
      const sdkMs = performance.now() - t0;
      const recvCpu = cpuSeconds(recv.child.pid) - cpu0;
      await provider.shutdown();
      const statsA = await (await fetch(`${recv.query}/api/trace-lens/stats`)).json();
      const rssA = rssMB(recv.child.pid);
      await recv.stop();
      if (statsA.spans !== sdkSpans)
        log(`warning: the receiver holds ${statsA.spans} of ${sdkSpans} spans the SDK made`);
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
      // Decode-only and scan-only of the same bytes, one core.
      const timeAll = (fn) => {
        const runs = [];
        for (let r = 0; r < 3; r++) {
          const s = performance.now();
          for (const b of bodies) fn(b);
          runs.push(performance.now() - s);
        }
        return median(runs);
      };
      const decodeMs = timeAll((b) => decodeTrace(b, 'otlp-proto'));
      const scanMs = timeAll((b) => scanTraces(b));
      // Replay the same bodies, 8 in flight, into a fresh receiver.
      const dirB = join(tmp, 'replay');
      const recvB = await startReceiverProcess(dirB);
      let next = 0;
      const cpuB0 = cpuSeconds(recvB.child.pid);
      const tB = performance.now();
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          while (next < bodies.length) await post(recvB.http, bodies[next++]);
        }),
      );
      const replayMs = performance.now() - tB;
      const replayCpu = cpuSeconds(recvB.child.pid) - cpuB0;
      await recvB.stop();

      const sdkRate = (sdkSpans / sdkMs) * 1000;
      const replayRate = (sdkSpans / replayMs) * 1000;
      const decodeRate = (sdkSpans / decodeMs) * 1000;
      const scanRate = (sdkSpans / scanMs) * 1000;
      log(
        `ingest (${sdkSpans / 1000}k spans in ${bodies.length} SDK requests, ${f(bodyBytes / sdkSpans, 0)} B/span):`,
      );
      log(
        `  SDK exporter → receive over loopback   ${f(sdkRate / 1000)}k spans/s wall (SDK-bound)` +
          (recvCpu ? `; receiver ${f(sdkSpans / recvCpu / 1000)}k spans per CPU-second` : ''),
      );
      log(
        `  replay of the SDK's requests, 8 in flight ${f(replayRate / 1000)}k spans/s` +
          (replayCpu ? ` (receiver ${f(sdkSpans / replayCpu / 1000)}k spans per CPU-second)` : ''),
      );
      log(
        `  baseline: decode-only (decodeTrace)    ${f(decodeRate / 1000)}k spans/s → ingest/decode ${f(replayRate / decodeRate, 2)} (goal ≥ 100k spans/s, ≥ 0.6)`,
      );
      log(`  ingest scan alone                       ${f(scanRate / 1000)}k spans/s`);
      log(`  receiver RSS holding ${sdkSpans / 1000}k spans: ${f(rssA, 0)} MB`);
      metric('store.ingest.sdk.spansPerSec', sdkRate, 'spans/s');
      if (recvCpu) metric('store.ingest.sdk.receiverSpansPerCpuSec', sdkSpans / recvCpu, 'spans/s');
      metric('store.ingest.replay.spansPerSec', replayRate, 'spans/s');
      metric('store.ingest.decodeOnly.spansPerSec', decodeRate, 'spans/s');
      metric('store.ingest.scanOnly.spansPerSec', scanRate, 'spans/s');
      metric('store.ingest.replay.ratioToDecode', replayRate / decodeRate, 'ratio');
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
  await runStoreBench({ json, quick, ...(sizes ? { sizes } : {}), ...(parts ? { parts } : {}) });
}
