// Panel search benchmark: the `name=` / `service=` `*` patterns of the trace panel's search box
// (webview/search.ts), on the inputs that froze the panel before (issue 17: `*a*b*` on a
// 100,000-character span name took 4.3 s, thirty `*` and an `x` on a 40-character name 68 s),
// and on a realistic table of names. Baseline, measured in the same run over the same names: a
// plain `String.prototype.includes` of the pattern's last literal piece over the names lower-cased
// beforehand, the cost of looking at every character once. On the realistic table the old anchored `.*` RegExp is timed
// too (on the pathological inputs it would take minutes, so it is not run there).
//
//   node --import tsx scripts/bench-search.mjs [--json]
import { timeRuns } from './benchTiming.mjs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';

const TIMING = { minRuns: 7, minMs: 200, maxRuns: 10_000 };

/** The glob as the panel compiled it before: an anchored, case-insensitive `.*` RegExp. */
function oldGlob(v) {
  const body = v
    .split('*')
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 'i');
}

/** Deterministic span names like a real trace's: HTTP routes, RPC methods, SQL, cache calls. */
function realisticNames(n) {
  let a = 17;
  const rand = (k) => {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    return (a >>> 8) % k;
  };
  const verbs = ['GET', 'POST', 'PUT', 'DELETE'];
  const nouns = ['cart', 'orders', 'users', 'payments', 'inventory', 'checkout', 'sessions'];
  const kinds = [
    () => `${verbs[rand(4)]} /api/v${1 + rand(3)}/${nouns[rand(7)]}/{id}/${nouns[rand(7)]}`,
    () => `grpc.${nouns[rand(7)]}.v1.${nouns[rand(7)]}Service/Get${nouns[rand(7)]}`,
    () => `SELECT ${nouns[rand(7)]} FROM ${nouns[rand(7)]} WHERE id = $${rand(9)}`,
    () => `redis GET ${nouns[rand(7)]}:${rand(100000)}`,
  ];
  return Array.from({ length: n }, () => kinds[rand(kinds.length)]());
}

export async function runSearchBench({ json = false } = {}) {
  const { compileGlob } = await import('../webview/search.ts');
  const cases = [
    { label: 'star-a-star-b-star.100kChars', pattern: '*a*b*', names: ['a'.repeat(100_000)], old: '4.3 s' },
    {
      label: 'thirtyStars-x.10kNamesOf40Chars',
      pattern: '*'.repeat(30) + 'x',
      names: Array.from({ length: 10_000 }, (_, i) => String(i).padStart(40, 'a')),
      old: '68 s per name',
    },
    { label: 'realistic.10kNames', pattern: 'GET*cart*', names: realisticNames(10_000), runOld: true },
  ];
  const metrics = [];
  const metric = (name, value, unit) =>
    metrics.push({ metric: name, value: Math.round(value * 1000) / 1000, unit });
  const rows = [];
  for (const c of cases) {
    const needle = c.pattern
      .split('*')
      .filter((p) => p)
      .at(-1)
      .toLowerCase();
    const glob = compileGlob(c.pattern);
    const re = c.runOld ? oldGlob(c.pattern) : undefined;
    const lower = c.names.map((s) => s.toLowerCase());
    let hits = 0;
    let baseHits = 0;
    const fns = [
      () => {
        hits = 0;
        for (const s of c.names) if (glob.test(s)) hits++;
      },
      () => {
        baseHits = 0;
        for (const s of lower) if (s.includes(needle)) baseHits++;
      },
    ];
    if (re) fns.push(() => c.names.filter((s) => re.test(s)).length);
    const [ms, baseMs, oldMs] = timeRuns(fns, TIMING);
    if (re && c.names.filter((s) => re.test(s)).length !== hits)
      throw new Error(`${c.label}: the glob and the old RegExp disagree`);
    rows.push({ ...c, ms, baseMs, oldMs, hits, baseHits });
    metric(`search.glob.${c.label}.ms`, ms, 'ms');
    metric(`search.includes.${c.label}.ms`, baseMs, 'ms');
    metric(`search.glob.${c.label}.ratio`, ms / baseMs, 'ratio');
    if (oldMs !== undefined) metric(`search.oldRegExp.${c.label}.ms`, oldMs, 'ms');
  }
  // Free text over 100,000 spans (issue 13, item 8): names and services only (the baseline, as
  // before), then also the span texts (attribute values, event names; four per span, 30,000
  // distinct) the host sends in columns.
  const text = await textSearchCase();
  metric('search.text.namesOnly.100kSpans.ms', text.baseMs, 'ms');
  metric('search.text.withAttributes.100kSpans.ms', text.ms, 'ms');
  metric('search.text.withAttributes.100kSpans.ratio', text.ms / text.baseMs, 'ratio');
  if (json) {
    for (const m of metrics) console.log(JSON.stringify(m));
  } else {
    const f = (v) => (v === undefined ? '–' : v < 1 ? v.toFixed(3) : v.toFixed(1));
    console.log(`ms per pass over the names, median; load average ${os.loadavg()[0].toFixed(1)}`);
    console.log(
      'case                              | pattern   | glob (matches) | includes baseline | ratio | old RegExp',
    );
    for (const r of rows)
      console.log(
        [
          r.label.padEnd(33),
          (r.pattern.length > 9 ? `*×30 x` : r.pattern).padEnd(9),
          `${f(r.ms)} (${r.hits})`.padStart(14),
          f(r.baseMs).padStart(17),
          `${(r.ms / r.baseMs).toFixed(1)}x`.padStart(5),
          r.oldMs !== undefined ? f(r.oldMs) : `${r.old} (issue 17, not run)`,
        ].join(' | '),
      );
    console.log(
      `free text "declined" over 100k spans: names only ${f(text.baseMs)} ms (${text.baseHits}), ` +
        `with attribute values and event names ${f(text.ms)} ms (${text.hits}), ${(text.ms / text.baseMs).toFixed(1)}x`,
    );
  }
  return metrics;
}

/** Times `matchSpans` for one free-text term over a 100k-span trace, with and without span texts. */
async function textSearchCase() {
  const { matchSpans, parseQuery } = await import('../webview/search.ts');
  const { loadTrace } = await import('../webview/trace.ts');
  const { makeTrace } = await import('../webview/testing/traceBuilder.ts');
  const n = 100_000;
  const names = realisticNames(200);
  const spans = [{ id: 'root', name: 'POST /checkout', service: 'frontend', start: 0, dur: 10_000 }];
  for (let i = 1; i < n; i++)
    spans.push({
      id: `s${i}`,
      parent: 'root',
      name: names[i % 200],
      service: `svc-${i % 12}`,
      start: i / 10,
      dur: 1,
    });
  const t = loadTrace(makeTrace(spans));
  const strings = [];
  for (let k = 0; k < 30_000; k++)
    strings.push(k % 997 === 0 ? `card_declined ${k}` : `order-${k} user-${k * 7}`);
  const offsets = new Uint32Array(n + 1);
  const refs = new Uint32Array(n * 4);
  for (let i = 0; i < n; i++) {
    offsets[i] = i * 4;
    for (let k = 0; k < 4; k++) refs[i * 4 + k] = (i * 7 + k * 7919) % strings.length;
  }
  offsets[n] = n * 4;
  const spanText = { strings, offsets, refs };
  const q = parseQuery('declined');
  let hits = 0;
  let baseHits = 0;
  const [ms, baseMs] = timeRuns(
    [
      () => (hits = matchSpans(t, q, [], spanText)?.count ?? 0),
      () => (baseHits = matchSpans(t, q, [])?.count ?? 0),
    ],
    TIMING,
  );
  if (hits === 0) throw new Error('the text search found nothing: the case measures nothing');
  return { ms, baseMs, hits, baseHits };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runSearchBench({ json: process.argv.includes('--json') });
}
