// Benchmark of the trace webview in Chromium (playwright-core), on synthetic traces of 10k, 100k
// and 1M spans built in the page (test/webview/stub/synth.js), loaded from the BUILT bundle
// (dist/webview.js, or $TRACE_LENS_DIST) under the host's CSP. Measures, per size:
//   first paint   trace message arriving → first frame with rows painted (in-page clocks)
//   scroll p95    frame time (frame start → after paint) scrolling top to bottom in 300 frames
//   collapse-all, expand-all   click → after the next paint
//   overview      canvas redraw after a resize (User Timing entry from the view)
//   heap          V8 heap used + ArrayBuffer backing stores after load and GC (CDP)
//   longest task  longest task (PerformanceObserver 'longtask', ≥ 50 ms) from first paint through scrolling
// and, in the same run, the same 10k trace rendered as a plain full-DOM list (every row an
// element) as the baseline. The page is the panel's (renderPanelHtml), Chromium the tests'
// (scripts/tools.mjs). Prints a table; `--json` prints one {"metric","value","unit"} per line.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { loadavg, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { launchChromium } from './tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The page the panel writes (src/shared/panelHtml.ts), so a change to its CSP is measured here too.
const { renderPanelHtml } = await tsImport('../src/shared/panelHtml.ts', import.meta.url);
const dist = process.env.TRACE_LENS_DIST ?? join(root, 'dist');
const stub = join(root, 'test', 'webview', 'stub');
const json = process.argv.includes('--json');
const ORIGIN = 'http://tracelens.test';
const SIZES = (process.env.SIZES ? process.env.SIZES.split(',') : ['10k', '100k', '1m']).map((l) => [
  l,
  { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 }[l],
]);
const TYPES = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

if (!existsSync(join(dist, 'webview.js'))) {
  console.error(`bench-webview: ${dist}/webview.js is missing; run node scripts/build.mjs first`);
  process.exit(1);
}

/**
 * The page as the host writes it (renderPanelHtml), with the stub host before the bundle; for the
 * full-DOM baseline, its script in place of the bundle's.
 */
function pageHtml(nonce, script) {
  return renderPanelHtml({
    cspSource: ORIGIN,
    nonce,
    distUri: (file) => `${ORIGIN}/${file === 'webview.js' ? script : `dist/${file}`}`,
    title: 'Trace',
    prelude: {
      styles: [`${ORIGIN}/stub/themes.css`],
      scripts: [`${ORIGIN}/fixture.js`, `${ORIGIN}/stub/synth.js`, `${ORIGIN}/stub/host.js`],
    },
  });
}

async function openPage(browser, script) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const nonce = Math.random().toString(36).slice(2);
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    const path = decodeURIComponent(url.pathname);
    if (path === '/index.html')
      return route.fulfill({ contentType: 'text/html', body: pageHtml(nonce, script) });
    if (path === '/fixture.js')
      return route.fulfill({
        contentType: 'text/javascript',
        body: 'window.__tlFixture = { autoInit: false };',
      });
    const base = path.startsWith('/dist/') ? dist : path.startsWith('/stub/') ? stub : undefined;
    const file = base && normalize(join(base, path.replace(/^\/(dist|stub)\//, '')));
    if (!file || !file.startsWith(base) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      body: readFileSync(file),
    });
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('crash', () => errors.push('page crashed'));
  await page.goto(`${ORIGIN}/index.html`);
  const cdp = await page.context().newCDPSession(page);
  return { page, cdp, errors };
}

/** Resolves after the next frame has been painted. */
const AFTER_PAINT = `new Promise((r) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = () => r(performance.now()); c.port2.postMessage(0); }))`;

async function heapMB(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const u = await cdp.send('Runtime.getHeapUsage');
  return (u.usedSize + (u.backingStorageSize ?? 0)) / 2 ** 20;
}

/** Scrolls the list from top to bottom in `frames` steps; returns per-frame times in ms. */
function scrollRun(page, selector, frames) {
  return page.evaluate(
    ({ selector, frames }) =>
      new Promise((resolve) => {
        const sc = document.querySelector(selector);
        sc.scrollTop = 0;
        const max = sc.scrollHeight - sc.clientHeight;
        const times = [];
        const ch = new MessageChannel();
        let k = 0;
        let frameStart = 0;
        ch.port1.onmessage = () => {
          if (k > 1) times.push(performance.now() - frameStart);
          if (k >= frames + 1) resolve(times);
          else requestAnimationFrame(step);
        };
        const step = (ts) => {
          frameStart = ts;
          k++;
          // A trace marker per frame: the CPU pass splits main-thread work at these.
          console.timeStamp('tl-frame');
          sc.scrollTop = Math.round((max * Math.min(k, frames)) / frames);
          ch.port2.postMessage(0);
        };
        requestAnimationFrame(step);
      }),
    { selector, frames },
  );
}

/**
 * A second, traced load of the same trace: main-thread CPU time (thread time, so other processes
 * competing for the CPU do not count) per scroll frame, split at the frame markers, and the
 * longest main-thread task from first paint to the end of the scroll.
 */
async function cpuPass(browser, n, selector, frames, script = 'dist/webview.js') {
  const { page, cdp } = await openPage(browser, script);
  try {
    await page.evaluate((n) => {
      window.__tl.trace = window.__tlSynth(n, 1);
    }, n);
    const events = [];
    cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.start', {
      categories: 'devtools.timeline,disabled-by-default-devtools.timeline',
      transferMode: 'ReportEvents',
    });
    await sendInit(page);
    await page.waitForTimeout(300);
    await scrollRun(page, selector, frames);
    await page.waitForTimeout(200);
    await cdp.send('Tracing.end');
    await done;
    const stamp = (m) => events.filter((e) => e.name === 'TimeStamp' && e.args?.data?.message === m);
    const marks = stamp('tl-frame');
    const painted = stamp('tl-painted')[0];
    const arrived = stamp('tl-arrived')[0];
    if (marks.length < 2 || !painted)
      throw new Error(
        `no markers in the trace (${marks.length} frames, painted: ${!!painted}, ${events.filter((e) => e.name === 'TimeStamp').length} stamps)`,
      );
    const { pid, tid } = marks[0];
    const tasks = events.filter(
      (e) => e.name === 'RunTask' && e.ph === 'X' && e.pid === pid && e.tid === tid,
    );
    const cpu = (t) => (t.tdur ?? t.dur) / 1000;
    const perFrame = [];
    for (let k = 1; k + 1 < marks.length; k++) {
      let sum = 0;
      for (const t of tasks) if (t.ts >= marks[k].ts && t.ts < marks[k + 1].ts) sum += cpu(t);
      perFrame.push(sum);
    }
    const longest = Math.max(0, ...tasks.filter((t) => t.ts >= painted.ts).map(cpu));
    // Main-thread CPU from the message arriving to the rows painted (the task that delivered the
    // message started just before the arrival mark, so it is counted from its start).
    let firstPaintCpu = 0;
    for (const t of tasks) if (t.ts + t.dur >= arrived.ts && t.ts < painted.ts) firstPaintCpu += cpu(t);
    return { scrollCpuP95: percentile(perFrame, 95), longestCpu: longest, firstPaintCpu };
  } finally {
    await page.close();
  }
}

function percentile(values, p) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

async function loadTrace(page, n) {
  await page.evaluate((n) => {
    window.__tl.trace = window.__tlSynth(n, 1);
  }, n);
  return sendInit(page);
}

/** Posts the generated trace as `init` and resolves with the paint record. */
function sendInit(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        const before = window.__tl.paints.length;
        const trace = window.__tl.trace;
        window.__tl.sendRaw({
          type: 'init',
          inReplyTo: 1,
          subject: { kind: 'trace', traceId: trace.model.traceId },
          traces: [{ handle: 'main', trace }],
        });
        // The host's copy is not the webview's: drop it so the heap shows what the view holds.
        window.__tl.trace = undefined;
        const wait = () =>
          window.__tl.paints.length > before ? resolve(window.__tl.paints.at(-1)) : setTimeout(wait, 5);
        wait();
      }),
  );
}

async function clickTimed(page, selector) {
  return page.evaluate(
    (selector) =>
      new Promise((resolve) => {
        const t0 = performance.now();
        document.querySelector(selector).click();
        requestAnimationFrame(() => {
          const c = new MessageChannel();
          c.port1.onmessage = () => resolve(performance.now() - t0);
          c.port2.postMessage(0);
        });
      }),
    selector,
  );
}

async function benchWebview(browser, label, n) {
  const { page, cdp, errors } = await openPage(browser, 'dist/webview.js');
  try {
    const paint = await loadTrace(page, n);
    const firstPaint = paint.painted - paint.arrived;
    if (paint.rows === 0) throw new Error('no rows painted');
    await page.waitForTimeout(300);
    const heap = await heapMB(cdp);
    const frames = await scrollRun(page, '.tl-scroller', 300);
    await page.waitForTimeout(200);
    const longest = await page.evaluate(
      (after) => Math.max(0, ...window.__tl.longtasks.filter((t) => t.start >= after).map((t) => t.duration)),
      paint.painted,
    );
    const rowsInDom = await page.evaluate(() => document.querySelectorAll('.tl-row').length);
    await page.setViewportSize({ width: 1100, height: 800 });
    await page.evaluate(AFTER_PAINT);
    await page.evaluate(AFTER_PAINT);
    const overview = await page.evaluate(() => {
      const e = performance.getEntriesByName('tl.overview.draw');
      return e.length ? e[e.length - 1].duration : NaN;
    });
    const collapseAll = await clickTimed(page, '[data-testid="collapse-all"]');
    const expandAll = await clickTimed(page, '[data-testid="expand-all"]');
    if (errors.length) throw new Error(errors.join('; '));
    return {
      label,
      n,
      firstPaint,
      scrollP95: percentile(frames, 95),
      scrollMax: Math.max(...frames),
      collapseAll,
      expandAll,
      overview,
      heap,
      longest,
      rowsInDom,
    };
  } finally {
    await page.close();
  }
}

async function benchFullDom(browser, n) {
  const { page, cdp, errors } = await openPage(browser, 'stub/fulldom.js');
  try {
    const paint = await loadTrace(page, n);
    await page.waitForTimeout(300);
    const heap = await heapMB(cdp);
    const frames = await scrollRun(page, '.fd-list', 300);
    const rowsInDom = await page.evaluate(() => document.querySelectorAll('.tl-row').length);
    if (errors.length) throw new Error(errors.join('; '));
    return {
      firstPaint: paint.painted - paint.arrived,
      scrollP95: percentile(frames, 95),
      heap,
      rowsInDom,
    };
  } finally {
    await page.close();
  }
}

const browser = await launchChromium();
const loadBefore = loadavg()[0];
const results = [];
let fullDom;
try {
  for (const [label, n] of SIZES) {
    const wall = await benchWebview(browser, label, n);
    results.push({ ...wall, ...(await cpuPass(browser, n, '.tl-scroller', 150)) });
  }
  fullDom = {
    ...(await benchFullDom(browser, 10_000)),
    ...(await cpuPass(browser, 10_000, '.fd-list', 60, 'stub/fulldom.js')),
  };
} finally {
  await browser.close();
}

// Sizes left out with SIZES=… read as NaN and are not printed.
const none = new Proxy({}, { get: () => NaN });
const r = new Proxy(Object.fromEntries(results.map((x) => [x.label, x])), { get: (o, k) => o[k] ?? none });
const metrics = [
  ['webview.firstPaint.10k.ms', r['10k'].firstPaint, 'ms'],
  ['webview.firstPaint.100k.ms', r['100k'].firstPaint, 'ms'],
  ['webview.scrollP95.100k.ms', r['100k'].scrollP95, 'ms'],
  ['webview.longestTask.100k.ms', r['100k'].longest, 'ms'],
  ['webview.heapMB.100k', r['100k'].heap, 'MB'],
  ['webview.firstPaint.1m.ms', r['1m'].firstPaint, 'ms'],
  ['webview.fullDom.firstPaint.10k.ms', fullDom.firstPaint, 'ms'],
  ['webview.scrollP95.10k.ms', r['10k'].scrollP95, 'ms'],
  ['webview.scrollP95.1m.ms', r['1m'].scrollP95, 'ms'],
  ['webview.expandAll.100k.ms', r['100k'].expandAll, 'ms'],
  ['webview.collapseAll.100k.ms', r['100k'].collapseAll, 'ms'],
  ['webview.overviewRedraw.100k.ms', r['100k'].overview, 'ms'],
  ['webview.heapMB.1m', r['1m'].heap, 'MB'],
  ['webview.fullDom.scrollP95.10k.ms', fullDom.scrollP95, 'ms'],
  ['webview.scrollCpuP95.100k.ms', r['100k'].scrollCpuP95, 'ms'],
  ['webview.fullDom.scrollCpuP95.10k.ms', fullDom.scrollCpuP95, 'ms'],
  ['webview.longestTaskCpu.100k.ms', r['100k'].longestCpu, 'ms'],
  ['webview.firstPaintCpu.10k.ms', r['10k'].firstPaintCpu, 'ms'],
  ['webview.firstPaintCpu.100k.ms', r['100k'].firstPaintCpu, 'ms'],
  ['webview.firstPaintCpu.1m.ms', r['1m'].firstPaintCpu, 'ms'],
  ['webview.fullDom.firstPaintCpu.10k.ms', fullDom.firstPaintCpu, 'ms'],
  ['webview.fullDom.firstPaint.ratio.10k', fullDom.firstPaint / r['10k'].firstPaint, 'ratio'],
];

if (json) {
  for (const [metric, value, unit] of metrics.filter(([, v]) => Number.isFinite(v)))
    console.log(JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit }));
} else {
  const f = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '–');
  const rows = [
    ['first paint (ms)', (x) => x.firstPaint, '≤150 @10k, ≤400 @100k'],
    ['first paint main-thread CPU (ms)', (x) => x.firstPaintCpu, 'includes message deserialisation'],
    ['scroll p95 frame (ms)', (x) => x.scrollP95, '≤16 @100k'],
    ['scroll max frame (ms)', (x) => x.scrollMax, ''],
    ['scroll p95 main-thread CPU (ms)', (x) => x.scrollCpuP95, 'CPU time per frame'],
    ['collapse all (ms)', (x) => x.collapseAll, ''],
    ['expand all (ms)', (x) => x.expandAll, ''],
    ['overview redraw (ms)', (x) => x.overview, ''],
    ['heap after load (MB)', (x) => x.heap, '≤100 @100k'],
    ['longest task after paint (ms)', (x) => x.longest, '≤100 (0 = none ≥ 50 ms)'],
    ['longest task CPU after paint (ms)', (x) => x.longestCpu, '≤100 (main-thread CPU time)'],
    ['row elements in DOM', (x) => x.rowsInDom, ''],
  ];
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadBefore.toFixed(1)} before and ${loadavg()[0].toFixed(1)} after ` +
      '(wall-clock figures rise with load; the CPU row does not)',
  );
  console.log(`${'webview'.padEnd(32)}${SIZES.map(([l]) => l.padStart(10)).join('')}   target`);
  for (const [name, get, target] of rows) {
    console.log(`${name.padEnd(32)}${results.map((x) => f(get(x)).padStart(10)).join('')}   ${target}`);
  }
  console.log(
    `\nbaseline: full-DOM list, 10k spans: first paint ${f(fullDom.firstPaint)} ms, scroll p95 ${f(fullDom.scrollP95)} ms, ` +
      `first paint CPU ${f(fullDom.firstPaintCpu)} ms, scroll CPU p95 ${f(fullDom.scrollCpuP95)} ms, heap ${f(fullDom.heap)} MB, ${fullDom.rowsInDom} row elements`,
  );
  console.log(
    `virtualised vs full-DOM at 10k: first paint ${f(fullDom.firstPaint / r['10k'].firstPaint)}× faster ` +
      `(CPU ${f(fullDom.firstPaintCpu / r['10k'].firstPaintCpu)}×), scroll p95 ${f(r['10k'].scrollP95)} vs ` +
      `${f(fullDom.scrollP95)} ms (CPU ${f(r['10k'].scrollCpuP95)} vs ${f(fullDom.scrollCpuP95)} ms)`,
  );
}
