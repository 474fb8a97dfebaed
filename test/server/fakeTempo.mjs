// A fake Grafana Tempo HTTP API for tests and `npm run demo`, served from the recorded fixtures in
// test/fixtures/tempo, a copy of ../shared/fixtures/tempo (plain Node; its TraceQL is the engine of src/core/traceql).
//
//   import { startFakeTempo } from './test/server/fakeTempo.mjs';
//   const tempo = await startFakeTempo({ mode: '2.0.1' }); // or 'v2', '3.0.3'
//   ... tempo.url, tempo.requests ...
//   await tempo.close();
//
//   node test/server/fakeTempo.mjs [--port N] [--host H] [--mode 2.0.1|v2|3.0.3] [--cutoff-ms N]
//                                  [--fixtures DIR] [--ignore-range] [--quiet]
//
// Modes:
//   '2.0.1'  what the recorded Tempo 2.0.1 answers: no /api/v2 routes (404 `404 page not found`), no
//            buildinfo, an unknown trace gives 404 `trace not found`, protobuf only for the exact
//            `Accept: application/protobuf`.
//   'v2'     a current Tempo (2.10+): /api/v2/traces envelope (200 `{"trace":{},...}` when not found),
//            v1 404 with an empty body, buildinfo, v2 tag routes, `spanSets` in search results,
//            protobuf when Accept contains `application/protobuf`.
//   '3.0.3'  what the recorded Tempo 3.0.3 answers (test/fixtures/tempo/tempo-3.0.3), for tiers that
//            cannot start a real one: 'v2' plus the recorded story trace (its v1/v2 bytes and the
//            `application/vnd.grafana.llm+json` answer), buildinfo with an empty version, the diff
//            route's 400, search without span names but with `serviceStats`, spss=0 read as 3, spss
//            over 100 and limits over 262144 refused, minDuration/maxDuration ignored beside `q`,
//            tag scopes including event and link with typed values, TraceQL metrics (range and
//            instant: fakeTempoMetrics.mjs, with bucketed quantiles, value-less steps, exemplars),
//            and the cut-off: a trace `receive()`d less than `cutoffMs` (30 s) ago is left out of
//            search, tag values and metrics, never of trace by ID. Metrics see each trace as if it
//            ended when it was received (the recorded traces: `ageMs`, 10 min, before the start).
// All: `/api/search?q=` evaluates TraceQL over the indexed traces with the engine of
// src/core/traceql (its supported subset: spanset filters with && || ! and ( ), = != =~ !~ > >= <
// <= on span./resource./unscoped attributes and the intrinsics name, status, kind, duration, ...),
// in '2.0.1' and 'v2' the TraceQL metrics routes answer 404 like Tempo 2.0.1.
// Time: search places each trace where metrics do (as if it ended when received: `ageMs`, 10 min,
// before the start for the recorded ones) and keeps only those overlapping `start`/`end`, so the
// tests never depend on the date the fixtures were recorded (2026-11-23). `ignoreRange`
// (`--ignore-range`) answers as recorded instead: the recorded times, `start`/`end` checked but never
// used, like a backend that ignores the range (what the clients' own range filter is for).
import { createServer } from 'node:http';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerMetrics, MetricsQueryError, parseMetricsQuery } from './fakeTempoMetrics.mjs';
import {
  encodeTracesData,
  enumValue,
  idToHex,
  lenField,
  SPAN_KINDS,
  STATUS_CODES,
  varintField,
} from './otlpProtoWriter.mjs';

export { encodeTracesData };

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

/** Where the fixtures live: the repository's copy of the recorded responses. */
export const DEFAULT_FIXTURES_DIR = resolve(repoRoot, 'test', 'fixtures', 'tempo');

const MODES = new Set(['2.0.1', 'v2', '3.0.3']);

/** Tempo 3.0's default `query_frontend.query_end_cutoff`. */
export const TEMPO_3_CUTOFF_MS = 30_000;

/** The recordings of Tempo 3.0.3, inside the fixtures folder. */
const RECORDED_30 = 'tempo-3.0.3';

// ---------------------------------------------------------------------------------------------
// IDs

/** Tempo's `util.HexStringToTraceID`: validates, left-pads to 32 hex, lower-cases. */
export function parseTraceIdLikeTempo(id) {
  for (let i = 0; i < id.length; i++) {
    if (!/[0-9a-fA-F]/.test(id[i])) {
      return {
        error: `trace IDs can only contain hex characters: invalid character '${id[i]}' at position ${i + 1}`,
      };
    }
  }
  const even = id.length % 2 === 1 ? `0${id}` : id;
  if (even.length > 32) return { error: "trace IDs can't be larger than 128 bits" };
  return { id: even.padStart(32, '0').toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// Fixture index

function resourceSpansOf(json) {
  if (Array.isArray(json?.batches)) return { list: json.batches, key: 'batches' };
  if (Array.isArray(json?.resourceSpans)) return { list: json.resourceSpans, key: 'resourceSpans' };
  if (Array.isArray(json?.trace?.resourceSpans)) return { list: json.trace.resourceSpans, key: 'trace' };
  return undefined;
}

function* spansOf(resourceSpans) {
  for (const rs of resourceSpans) {
    const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value?.stringValue ?? '';
    for (const ss of rs.scopeSpans ?? rs.instrumentationLibrarySpans ?? []) {
      for (const span of ss.spans ?? []) yield { span, service, resource: rs.resource };
    }
  }
}

/** Reads every `*trace*.json` fixture that holds a trace, keyed by its 32-hex trace ID. */
export function indexFixtures(fixturesDir) {
  const traces = new Map();
  const files = readdirSync(fixturesDir).filter((f) => f.includes('trace') && f.endsWith('.json'));
  for (const file of files.sort()) {
    const text = readFileSync(join(fixturesDir, file), 'utf8');
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const found = resourceSpansOf(json);
    if (!found || found.list.length === 0) continue;
    const first = spansOf(found.list).next().value;
    if (!first) continue;
    const traceId = idToHex(first.span.traceId).padStart(32, '0');
    if (traces.has(traceId)) continue;
    // v1 JSON: the recorded bytes when they already have Tempo's v1 shape, else re-keyed.
    const v1Json = found.key === 'batches' ? text.trim() : JSON.stringify({ batches: found.list });
    const pbFile = join(fixturesDir, file.replace(/\.json$/, '.pb'));
    traces.set(traceId, {
      traceId,
      file,
      resourceSpans: found.list,
      v1Json,
      pbFile: existsSync(pbFile) ? pbFile : undefined,
      _pb: undefined,
    });
  }
  return traces;
}

/**
 * The traces recorded from Tempo 3.0.3 (`v1-<id>.json`, with `.pb` and the `v2-` answers beside
 * them), keyed like `indexFixtures`. The recorded v2 bytes are served as they are.
 */
export function indexRecorded30(dir) {
  const traces = new Map();
  if (!existsSync(dir)) return traces;
  for (const file of readdirSync(dir).sort()) {
    const m = /^v1-([0-9a-f]{32})\.json$/.exec(file);
    if (!m) continue;
    const text = readFileSync(join(dir, file), 'utf8').trim();
    const found = resourceSpansOf(JSON.parse(text));
    if (!found) continue;
    const file2 = (name) => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
    traces.set(m[1], {
      traceId: m[1],
      file,
      resourceSpans: found.list,
      v1Json: text,
      pbFile: file2(`v1-${m[1]}.pb`),
      v2JsonFile: file2(`v2-${m[1]}.json`),
      v2PbFile: file2(`v2-${m[1]}.pb`),
      v2LlmFile: file2(`v2-llm-${m[1]}.json`),
      _pb: undefined,
    });
  }
  return traces;
}

function protobufOf(entry) {
  if (!entry._pb)
    entry._pb = entry.pbFile ? readFileSync(entry.pbFile) : encodeTracesData(entry.resourceSpans);
  return entry._pb;
}

// ---------------------------------------------------------------------------------------------
// TraceQL: the engine of src/core/traceql (the one the extension and the local store use),
// evaluated over the indexed fixture traces the way Tempo does. The fake supplies only a
// `SpanAccessor` over OTLP JSON spans and shapes the search answer; parsing, the supported
// subset (see src/core/traceql/index.ts), the comparison rules and spanset semantics are the
// engine's. A query outside the subset (pipelines, structural operators, metrics...) throws a
// TraceQLError naming its position and part, answered 400 like a query Tempo cannot parse.
//
// The engine is TypeScript: it is bundled in memory with esbuild when this module loads, so the
// fake needs no build step and never runs a stale copy (esbuild is a devDependency).

async function loadTraceQLEngine() {
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [join(repoRoot, 'src', 'core', 'traceql', 'index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'node20',
    logLevel: 'silent',
  });
  const code = out.outputFiles[0].text;
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

const traceql = await loadTraceQLEngine();

/** A query the fake cannot evaluate (the engine's error: `unsupported at 14: pipeline "| count()"`). */
export const TraceQLError = traceql.TraceQLError;

/** An OTLP AnyValue as a plain value: string, number, boolean; null for arrays, maps and bytes. */
function plainValue(v) {
  if (!v) return undefined;
  if ('stringValue' in v) return String(v.stringValue);
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('boolValue' in v) return Boolean(v.boolValue);
  return null;
}

function statusCode(span) {
  const c = span.status?.code;
  return typeof c === 'number' ? c : Math.max(0, STATUS_CODES.indexOf(c ?? ''));
}

function kindCode(span) {
  return enumValue(SPAN_KINDS, span.kind);
}

/** The raw attribute (key and OTLP value) a field names on a span, or undefined. */
function rawAttribute(f, s) {
  const find = (attrs) => attrs?.find((a) => a.key === f.name);
  if (f.scope === 'span') return find(s.span.attributes);
  if (f.scope === 'resource') return find(s.resource?.attributes);
  return find(s.span.attributes) ?? find(s.resource?.attributes);
}

/** How the engine reads a span of `spansOf` (with its `durationNs`). */
const otlpAccessor = {
  name: (s) => s.span.name ?? '',
  status: (s) => statusCode(s.span),
  kind: (s) => kindCode(s.span),
  durationNs: (s) => s.durationNs,
  statusMessage: (s) => s.span.status?.message,
  attribute: (s, scope, key) => {
    const attrs = scope === 'span' ? s.span.attributes : s.resource?.attributes;
    return plainValue(attrs?.find((a) => a.key === key)?.value);
  },
};

/**
 * Parses a query with the engine: { query, fields, run }, where `fields` are the fields its
 * comparisons read (reported back in search results) and `run` the compiled query. Throws
 * TraceQLError.
 */
export function parseTraceQL(text) {
  const query = traceql.parse(text);
  return { query, fields: traceql.fieldsOf(query), run: traceql.compileQuery(query, otlpAccessor) };
}

/**
 * The attributes a search result carries for a matched span: the ones the query's conditions
 * named, as the span has them (key without scope, the OTLP value), plus `status`, `kind` and
 * `statusMessage` when the query tested them. `name` and `duration` travel in their own fields.
 */
function namedAttributes(fields, s) {
  const out = [];
  const seen = new Set();
  for (const f of fields) {
    if (f.kind === 'intrinsic') {
      if (!['status', 'kind', 'statusMessage'].includes(f.name) || seen.has(f.name)) continue;
      seen.add(f.name);
      const value =
        f.name === 'status'
          ? traceql.STATUS_WORDS[statusCode(s.span)]
          : f.name === 'kind'
            ? traceql.KIND_WORDS[kindCode(s.span)]
            : (s.span.status?.message ?? '');
      out.push({ key: f.name, value: { stringValue: value } });
      continue;
    }
    const raw = rawAttribute(f, s);
    if (!raw || seen.has(raw.key)) continue;
    seen.add(raw.key);
    out.push({ key: raw.key, value: raw.value });
  }
  return out;
}

/** The value a `by (...)` field gives a span, as a metrics label value (OTLP AnyValue). */
function byValue(text, s) {
  if (text === 'status') return { stringValue: traceql.STATUS_WORDS[statusCode(s.span)] };
  if (text === 'kind') return { stringValue: traceql.KIND_WORDS[kindCode(s.span)] };
  if (text === 'name') return { stringValue: s.span.name ?? '' };
  const m = /^(span|resource)?\.(.+)$/.exec(text);
  if (!m) return {};
  const scope = m[1] ?? 'any';
  return rawAttribute({ scope, name: m[2] }, s)?.value ?? {};
}

/**
 * Evaluates a parsed query on one trace (`all`: its spans as `spansOf` yields them). Returns the
 * matched spans, each with the attributes to report, or an empty list.
 */
export function evaluateTraceQL(parsed, all) {
  let start = Infinity;
  let end = -Infinity;
  const spans = all.map((s) => {
    const startNs = BigInt(s.span.startTimeUnixNano);
    const endNs = BigInt(s.span.endTimeUnixNano);
    start = Math.min(start, Number(startNs));
    end = Math.max(end, Number(endNs));
    return { ...s, durationNs: Number(endNs - startNs) };
  });
  const root = all.find(({ span }) => !span.parentSpanId);
  const trace = {
    rootName: root?.span.name,
    rootServiceName: root?.service,
    durationNs: end - start,
  };
  return parsed.run(spans, trace).map((i) => ({
    ...spans[i],
    attributes: namedAttributes(parsed.fields, spans[i]),
  }));
}

// ---------------------------------------------------------------------------------------------
// Search

/** Reads `service.name=x` from a tag search's logfmt `tags` (or the `service.name` parameter). */
function serviceFilter(params) {
  const tags = params.get('tags');
  if (tags)
    return tags
      .match(/service\.name=(?:"([^"]*)"|(\S+))/)
      ?.slice(1)
      .find((x) => x !== undefined);
  return params.get('service.name') ?? undefined;
}

/**
 * `/api/search`. With `q`: the TraceQL query is evaluated on every indexed trace (see
 * `parseTraceQL`); each matching trace carries its matched spans (`spss` of them, span ID order)
 * with the attributes the query named, and `matched`. Without `q`: a tag search (`tags=` logfmt,
 * only `service.name` is looked at) with no span sets. `minDuration`/`maxDuration` filter on the
 * trace's duration, `limit` caps the traces (newest first). With `endedAt(entry)` (Unix ms): each
 * trace is moved in time to end then (whole milliseconds; span sets too) and only those overlapping
 * `start`/`end` (Unix seconds) are kept. Without it the recorded times are answered and `start`/`end`
 * never filter, like a backend that ignores the range. Throws TraceQLError for a query it cannot
 * evaluate.
 */
export function searchTraces(index, params, mode = '2.0.1', visible = () => true, endedAt = undefined) {
  const q = params.get('q') ?? '';
  const parsed = q.trim() !== '' ? parseTraceQL(q) : undefined;
  const service = parsed ? undefined : serviceFilter(params);
  const limit = Number(params.get('limit') ?? 20);
  const spssParam = params.get('spss');
  const tempo3 = mode === '3.0.3';
  // Tempo 3.0.3 reads spss=0 as its default of 3.
  const spss = spssParam === null || (tempo3 && spssParam === '0') ? 3 : Number(spssParam);
  // ... and ignores minDuration/maxDuration beside a TraceQL query.
  const minMs = tempo3 && parsed ? undefined : durationMs(params.get('minDuration'));
  const maxMs = tempo3 && parsed ? undefined : durationMs(params.get('maxDuration'));
  // Unix seconds, as Tempo takes them; both or neither.
  const from = params.get('start');
  const to = params.get('end');
  const window = endedAt && from !== null && to !== null ? { from: Number(from), to: Number(to) } : undefined;
  const out = [];
  for (const entry of index.values()) {
    if (!visible(entry)) continue;
    const all = [...spansOf(entry.resourceSpans)];
    let start = Infinity;
    let end = -Infinity;
    for (const { span } of all) {
      start = Math.min(start, Number(span.startTimeUnixNano));
      end = Math.max(end, Number(span.endTimeUnixNano));
    }
    // Where the trace sits in time: as received (recent), or as recorded when the range is ignored.
    // Whole milliseconds, so the recorded nanosecond digits stay.
    let firstNs = BigInt(all[0]?.span.startTimeUnixNano ?? 0);
    let lastNs = 0n;
    for (const { span } of all) {
      if (BigInt(span.startTimeUnixNano) < firstNs) firstNs = BigInt(span.startTimeUnixNano);
      if (BigInt(span.endTimeUnixNano) > lastNs) lastNs = BigInt(span.endTimeUnixNano);
    }
    const shiftNs = endedAt
      ? BigInt(Math.round(endedAt(entry)) - Number(lastNs / 1_000_000n)) * 1_000_000n
      : 0n;
    const at = (ns) => String(BigInt(ns) + shiftNs);
    if (window) {
      // Tempo keeps a trace whose time overlaps [start, end].
      const firstSec = Number((firstNs + shiftNs) / 1_000_000_000n);
      const lastSec = Number((lastNs + shiftNs) / 1_000_000_000n);
      if (firstSec > window.to || lastSec < window.from) continue;
    }
    const root = all.find(({ span }) => !span.parentSpanId);
    const selected = parsed
      ? evaluateTraceQL(parsed, all)
      : service === undefined
        ? all
        : all.filter((s) => s.service === service);
    // Tempo leaves the order inside a span set unspecified; span ID order reproduces the recorded
    // 2.0.1 response byte for byte.
    const matched = selected.sort((a, b) => idToHex(a.span.spanId).localeCompare(idToHex(b.span.spanId)));
    if (matched.length === 0) continue;
    const dur = Math.round((end - start) / 1e6);
    if (minMs !== undefined && dur < minMs) continue;
    if (maxMs !== undefined && dur > maxMs) continue;
    const starts = all.map(({ span }) => BigInt(span.startTimeUnixNano));
    const minStart = starts.reduce((a, b) => (b < a ? b : a));
    const meta = {
      traceID: entry.traceId.replace(/^0+(?=.)/, ''),
      rootServiceName: root ? root.service : '<root span not yet received>',
      ...(root ? { rootTraceName: root.span.name } : {}),
      startTimeUnixNano: at(minStart),
      ...(dur > 0 ? { durationMs: dur } : {}),
    };
    if (parsed) {
      const spans = (spss === 0 ? matched : matched.slice(0, spss)).map(({ span, attributes }) => ({
        spanID: idToHex(span.spanId).padStart(16, '0'),
        ...(mode === 'v2' ? { name: span.name } : {}),
        startTimeUnixNano: at(span.startTimeUnixNano),
        durationNanos: String(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)),
        ...(attributes.length > 0 ? { attributes } : {}),
      }));
      const spanSet = { spans, matched: matched.length };
      meta.spanSet = spanSet;
      if (mode !== '2.0.1') meta.spanSets = [spanSet];
    }
    if (tempo3) meta.serviceStats = serviceStats(all);
    out.push(meta);
  }
  // Newest first, like Tempo's combiner.
  out.sort((a, b) => {
    const x = BigInt(a.startTimeUnixNano);
    const y = BigInt(b.startTimeUnixNano);
    return x === y ? 0 : x < y ? 1 : -1;
  });
  return {
    traces: out.slice(0, limit),
    metrics:
      mode === 'v2'
        ? { inspectedTraces: index.size, completedJobs: 1, totalJobs: 1 }
        : tempo3
          ? { inspectedBytes: String(inspected(index)), completedJobs: 1, totalJobs: 1 }
          : { inspectedBlocks: 1 },
  };
}

/** Spans and errors per service, keys sorted and zero counts left out (Tempo 3.0's jsonpb). */
function serviceStats(all) {
  const stats = {};
  for (const { span, service } of all) {
    const s = (stats[service] ??= { spanCount: 0, errorCount: 0 });
    s.spanCount++;
    if (statusCode(span) === 2) s.errorCount++;
  }
  return Object.fromEntries(
    Object.keys(stats)
      .sort()
      .map((k) => [
        k,
        {
          spanCount: stats[k].spanCount,
          ...(stats[k].errorCount ? { errorCount: stats[k].errorCount } : {}),
        },
      ]),
  );
}

function inspected(index) {
  let bytes = 0;
  for (const e of index.values()) bytes += Buffer.byteLength(e.v1Json);
  return bytes;
}

/** Go duration (`100ms`, `1.5s`, `2m`) → milliseconds. */
function durationMs(text) {
  if (!text) return undefined;
  const units = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  const re = /([\d.]+)(ns|us|µs|ms|s|m|h)/g;
  let m;
  let any = false;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * units[m[2]];
    any = true;
  }
  return any ? total : NaN;
}

function tagValues(index, tagName, visible = () => true) {
  return typedTagValues(index, tagName, undefined, visible).map((v) => v.value);
}

const ANY_VALUE_TYPES = { stringValue: 'string', intValue: 'int', doubleValue: 'float', boolValue: 'bool' };

/** A tag's values with their TraceQL types, from the given scope (resource, span) or both. */
function typedTagValues(index, tagName, scope, visible = () => true) {
  const values = new Map();
  for (const entry of index.values()) {
    if (!visible(entry)) continue;
    for (const { span, resource } of spansOf(entry.resourceSpans)) {
      const lists =
        scope === 'resource'
          ? [resource?.attributes]
          : scope === 'span'
            ? [span.attributes]
            : [resource?.attributes, span.attributes];
      for (const attrs of lists) {
        const raw = attrs?.find((a) => a.key === tagName)?.value;
        const typeKey = raw && Object.keys(ANY_VALUE_TYPES).find((k) => k in raw);
        if (!typeKey) continue;
        const value = String(raw[typeKey]);
        values.set(`${ANY_VALUE_TYPES[typeKey]}:${value}`, { type: ANY_VALUE_TYPES[typeKey], value });
      }
    }
  }
  return [...values.values()].sort((a, b) => a.value.localeCompare(b.value));
}

/** Tag names per scope over the visible traces (Tempo 3.0's scopes; intrinsics as recorded). */
function tagScopes(index, visible, intrinsics) {
  const names = { resource: new Set(), span: new Set(), event: new Set(), link: new Set() };
  for (const entry of index.values()) {
    if (!visible(entry)) continue;
    for (const { span, resource } of spansOf(entry.resourceSpans)) {
      for (const a of resource?.attributes ?? []) names.resource.add(a.key);
      for (const a of span.attributes ?? []) names.span.add(a.key);
      for (const e of span.events ?? []) for (const a of e.attributes ?? []) names.event.add(a.key);
      for (const l of span.links ?? []) for (const a of l.attributes ?? []) names.link.add(a.key);
    }
  }
  const sorted = (set) => [...set].sort();
  return [
    { name: 'resource', tags: sorted(names.resource) },
    { name: 'span', tags: sorted(names.span) },
    { name: 'intrinsic', tags: intrinsics },
    { name: 'event', tags: sorted(names.event) },
    { name: 'link', tags: sorted(names.link) },
  ];
}

// ---------------------------------------------------------------------------------------------
// Server

/**
 * Starts the fake Tempo. `log` is a function that receives one line per request, or `true` for
 * console.log. `requests` records every request: { method, path, query, accept, status }.
 * `extraFixturesDirs` adds the traces of other folders (e.g. the hand-written test/fixtures/hostile)
 * to the recorded ones; a recorded trace wins over one with the same ID.
 * Mode '3.0.3' only: `cutoffMs` (default 30000) is Tempo 3.0's query_end_cutoff, `now` the clock
 * (default Date.now), `ageMs` how long before the start the recorded traces count as received
 * (default 10 min); `receive(traceId, atMs = now())` marks a trace as just received (also
 * `GET /__receive?traceId=`).
 * `ignoreRange`: search answers the recorded times and never filters by `start`/`end` (see the top);
 * `setIgnoreRange(on)` (also `GET /__ignoreRange?on=1|0`) switches it while running.
 */
export async function startFakeTempo({
  port = 0,
  host = '127.0.0.1',
  fixturesDir = DEFAULT_FIXTURES_DIR,
  extraFixturesDirs = [],
  mode = '2.0.1',
  cutoffMs = TEMPO_3_CUTOFF_MS,
  now = Date.now,
  ageMs = 10 * 60_000,
  ignoreRange: ignoreRangeAtStart = false,
  log,
} = {}) {
  let ignoreRange = ignoreRangeAtStart;
  if (!MODES.has(mode)) throw new Error(`fakeTempo: unknown mode ${mode} (use '2.0.1', 'v2' or '3.0.3')`);
  if (!existsSync(fixturesDir)) throw new Error(`fakeTempo: fixtures folder not found: ${fixturesDir}`);
  const logLine = typeof log === 'function' ? log : log ? (line) => console.log(line) : undefined;
  const tempo3 = mode === '3.0.3';
  const index = tempo3 ? indexRecorded30(join(fixturesDir, RECORDED_30)) : new Map();
  for (const dir of [fixturesDir, ...extraFixturesDirs]) {
    for (const [id, entry] of indexFixtures(dir)) if (!index.has(id)) index.set(id, entry);
  }
  const fixture = (name) => readFileSync(join(fixturesDir, name));
  const recorded = (name) => readFileSync(join(fixturesDir, RECORDED_30, name));
  const requests = [];
  const modern = mode !== '2.0.1';
  // When each trace was received (3.0.3): it is left out of search, tag values and metrics for
  // `cutoffMs` after that, and metrics see it as if it ended then.
  const received = new Map();
  const startedAt = now();
  const receivedAt = (entry) => received.get(entry.traceId) ?? startedAt - ageMs;
  const visible = (entry) => !tempo3 || receivedAt(entry) <= now() - cutoffMs;
  const receive = (traceId, atMs = now()) => {
    const parsed = parseTraceIdLikeTempo(String(traceId));
    if (parsed.error || !index.has(parsed.id)) throw new Error(`fakeTempo: no trace ${traceId} to receive`);
    received.set(parsed.id, atMs);
  };
  const intrinsics = tempo3
    ? JSON.parse(recorded('tags-v2.json')).scopes.find((x) => x.name === 'intrinsic').tags
    : [];

  /** The spans a metrics query's spanset matches, placed in time as the trace was received. */
  function metricSpans(mq) {
    const query = parseTraceQL(mq.spanset);
    const out = [];
    for (const entry of index.values()) {
      const all = [...spansOf(entry.resourceSpans)];
      let endNs = 0n;
      for (const { span } of all)
        if (BigInt(span.endTimeUnixNano) > endNs) endNs = BigInt(span.endTimeUnixNano);
      const shiftMs = receivedAt(entry) - Number(endNs / 1_000_000n);
      for (const s of evaluateTraceQL(query, all)) {
        out.push({
          startMs: Number(BigInt(s.span.startTimeUnixNano) / 1_000_000n) + shiftMs,
          durationNs: s.durationNs,
          traceId: entry.traceId,
          byValues: mq.by.map((b) => byValue(b, s)),
          named: query.fields
            .filter((f) => f.kind === 'attribute')
            .map((f) => ({ key: `${f.scope === 'any' ? '' : f.scope}.${f.name}`, raw: rawAttribute(f, s) }))
            .filter((n) => n.raw)
            .map((n) => ({ key: n.key, value: n.raw.value })),
        });
      }
    }
    return out;
  }

  function handle(req, res) {
    const url = new URL(req.url ?? '/', 'http://fake-tempo');
    const path = url.pathname;
    const accept = req.headers.accept ?? '';
    const wantsProtobuf = modern
      ? accept.includes('application/protobuf')
      : accept === 'application/protobuf';
    const record = { method: req.method, path, query: url.search, accept, status: 0 };
    requests.push(record);

    const send = (status, body = '', type = 'text/plain; charset=utf-8') => {
      record.status = status;
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const headers = { 'Content-Length': buf.length };
      if (buf.length > 0 || status !== 404) headers['Content-Type'] = type;
      if (type.startsWith('text/plain')) headers['X-Content-Type-Options'] = 'nosniff';
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : buf);
      logLine?.(`${req.method} ${path}${url.search} ${accept ? `[${accept}] ` : ''}→ ${status}`);
    };
    const json = (status, value) =>
      send(status, typeof value === 'string' ? value : JSON.stringify(value), 'application/json');
    const routeNotFound = () => send(404, '404 page not found\n');

    // Tempo 3.0.3 has no diff API yet: its trace route reads `diff` as a malformed ID.
    if (tempo3 && req.method === 'POST' && path === '/api/v2/traces/diff')
      return send(400, recorded('diff-on-3.0.3.txt'));
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');

    // Not Tempo: lets tests that run elsewhere (the extension host) see what was asked.
    if (path === '/__requests') {
      requests.pop();
      return json(200, requests);
    }
    if (path === '/__receive' && tempo3) {
      requests.pop();
      try {
        receive(url.searchParams.get('traceId') ?? '');
      } catch (err) {
        return send(404, `${err.message}\n`);
      }
      return send(204);
    }
    // Not Tempo: lets tests in the extension host switch to a backend that ignores the range.
    if (path === '/__ignoreRange') {
      requests.pop();
      ignoreRange = url.searchParams.get('on') === '1';
      return send(204);
    }
    if (path === '/ready') return send(200, 'ready\n');
    if (path === '/api/echo') return send(200, 'echo\n');
    if (path === '/api/status/buildinfo') {
      if (!modern) return routeNotFound();
      if (tempo3) return json(200, recorded('buildinfo.json').toString('utf8').trim());
      return json(200, {
        version: '2.10.0',
        revision: 'fake',
        branch: 'HEAD',
        buildUser: 'fake-tempo',
        buildDate: '2026-01-01T00:00:00Z',
        goVersion: 'go1.25.0',
      });
    }

    const v1 = path.match(/^\/api\/traces\/([^/]+)$/);
    const v2 = path.match(/^\/api\/v2\/traces\/([^/]+)$/);
    if (v1 || v2) {
      if (v2 && !modern) return routeNotFound();
      const parsed = parseTraceIdLikeTempo(decodeURIComponent((v1 ?? v2)[1]));
      if (parsed.error) return send(400, `${parsed.error}\n`);
      const start = url.searchParams.get('start');
      const end = url.searchParams.get('end');
      if (start !== null && end !== null && Number(end) <= Number(start)) {
        return send(400, `http parameter start must be before end. received start=${start} end=${end}\n`);
      }
      const entry = index.get(parsed.id);
      if (v1) {
        if (!entry) return modern ? send(404, '') : send(404, 'trace not found\n');
        return wantsProtobuf ? send(200, protobufOf(entry), 'application/protobuf') : json(200, entry.v1Json);
      }
      // v2 envelope; not found is 200 with an empty trace. Recorded bytes where there are some.
      if (entry?.v2LlmFile && accept.includes('application/vnd.grafana.llm'))
        return send(200, readFileSync(entry.v2LlmFile), 'application/vnd.grafana.llm+json');
      if (wantsProtobuf && entry?.v2PbFile)
        return send(200, readFileSync(entry.v2PbFile), 'application/protobuf');
      if (!wantsProtobuf && entry?.v2JsonFile)
        return json(200, readFileSync(entry.v2JsonFile, 'utf8').trim());
      if (wantsProtobuf) {
        const traceBytes = entry ? protobufOf(entry) : Buffer.alloc(0);
        const metrics = varintField(1, traceBytes.length);
        return send(
          200,
          Buffer.concat([lenField(1, traceBytes), lenField(2, metrics)]),
          'application/protobuf',
        );
      }
      if (!entry) return json(200, '{"trace":{},"metrics":{}}');
      const body = `{"trace":{"resourceSpans":${JSON.stringify(entry.resourceSpans)}},"metrics":{"inspectedBytes":"${Buffer.byteLength(entry.v1Json)}"}}`;
      return json(200, body);
    }

    if (path === '/api/search') {
      const p = url.searchParams;
      if (p.has('q') && p.has('tags'))
        return send(400, "invalid request: can't specify tags and q in the same query\n");
      if (p.get('limit') === '0') return send(400, 'invalid limit: must be a positive number\n');
      if (tempo3 && Number(p.get('limit')) > 262144)
        return send(400, `invalid search request: limit ${p.get('limit')} exceeds max limit 262144\n`);
      if (tempo3 && Number(p.get('spss')) > 100)
        return send(400, 'invalid search request: spans per span set exceeds 100\n');
      const start = p.get('start');
      const end = p.get('end');
      if (start !== null && end !== null && Number(end) <= Number(start)) {
        return send(400, `http parameter start must be before end. received start=${start} end=${end}\n`);
      }
      let result;
      try {
        result = searchTraces(index, p, mode, visible, ignoreRange ? undefined : receivedAt);
      } catch (err) {
        if (err instanceof TraceQLError) return send(400, `invalid TraceQL query: ${err.message}\n`);
        throw err;
      }
      return json(200, result);
    }
    if (path === '/api/metrics/query_range' || path === '/api/metrics/query') {
      // Tempo 2.0.1 has no such route, so clients fall back to searching (the CodeLens does).
      if (!tempo3) return routeNotFound();
      let body;
      try {
        const parsed = parseMetricsQuery(url.searchParams.get('q') ?? '');
        body = answerMetrics({
          instant: path === '/api/metrics/query',
          params: url.searchParams,
          parsed,
          spans: metricSpans(parsed),
          nowMs: now(),
          cutoffMs,
        });
      } catch (err) {
        if (err instanceof MetricsQueryError) return send(400, `${err.message}\n`);
        if (err instanceof TraceQLError) return send(400, `invalid TraceQL query: ${err.message}\n`);
        throw err;
      }
      return json(200, body);
    }
    if (path === '/api/search/tags') {
      if (tempo3) {
        const names = tagScopes(index, visible, []).flatMap((x) => x.tags);
        return json(200, { tagNames: [...new Set(names)].sort(), metrics: { inspectedBytes: '0' } });
      }
      return json(200, fixture('tempo-2.0.1-search-tags.json').toString('utf8').trim());
    }
    const tv = path.match(/^\/api\/search\/tag\/([^/]+)\/values$/);
    if (tv) {
      const tagName = decodeURIComponent(tv[1]);
      if (tempo3)
        return json(200, { tagValues: tagValues(index, tagName, visible), metrics: { inspectedBytes: '0' } });
      if (tagName === 'service.name')
        return json(200, fixture('tempo-2.0.1-tag-values.json').toString('utf8').trim());
      return json(200, { tagValues: tagValues(index, tagName) });
    }
    if (path === '/api/v2/search/tags') {
      if (!modern) return routeNotFound();
      if (tempo3) {
        const scope = url.searchParams.get('scope');
        const scopes = tagScopes(index, visible, intrinsics).filter(
          (x) => !scope || scope === 'all' || x.name === scope,
        );
        return json(200, { scopes, metrics: { inspectedBytes: '0' } });
      }
      const names = JSON.parse(fixture('tempo-2.0.1-search-tags.json').toString('utf8')).tagNames;
      const resource = names.filter((n) => n.startsWith('service.'));
      const intrinsic = ['duration', 'kind', 'name', 'status', 'statusMessage'];
      const span = names.filter(
        (n) => !resource.includes(n) && !['name', 'root.name', 'root.service.name'].includes(n),
      );
      return json(200, {
        scopes: [
          { name: 'resource', tags: resource },
          { name: 'span', tags: span },
          { name: 'intrinsic', tags: intrinsic },
        ],
        metrics: { inspectedBytes: '0' },
      });
    }
    const tv2 = path.match(/^\/api\/v2\/search\/tag\/([^/]+)\/values$/);
    if (tv2) {
      if (!modern) return routeNotFound();
      if (tempo3) {
        const m = /^(resource|span)?\.(.+)$/.exec(decodeURIComponent(tv2[1]));
        const values = m ? typedTagValues(index, m[2], m[1], visible) : [];
        return json(200, { tagValues: values, metrics: { inspectedBytes: '0' } });
      }
      const tagName = decodeURIComponent(tv2[1]).replace(/^(resource|span)?\./, '');
      return json(200, {
        tagValues: tagValues(index, tagName).map((value) => ({ type: 'string', value })),
        metrics: { inspectedBytes: '0' },
      });
    }
    return routeNotFound();
  }

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (err) {
      logLine?.(`fakeTempo: ${err?.stack ?? err}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`internal error: ${err?.message ?? err}\n`);
    }
  });
  await new Promise((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  const actualPort = server.address().port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actualPort}`,
    port: actualPort,
    mode,
    requests,
    traceIds: [...index.keys()],
    receive,
    /** Switches to (or back from) answering like a backend that ignores the range. */
    setIgnoreRange: (on) => {
      ignoreRange = Boolean(on);
    },
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections?.();
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const opts = { log: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port') opts.port = Number(value());
    else if (flag === '--host') opts.host = value();
    else if (flag === '--mode') opts.mode = value();
    else if (flag === '--cutoff-ms') opts.cutoffMs = Number(value());
    else if (flag === '--fixtures') opts.fixturesDir = resolve(value());
    else if (flag === '--quiet') opts.log = false;
    else if (flag === '--ignore-range') opts.ignoreRange = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'usage: node test/server/fakeTempo.mjs [--port N] [--host H] [--mode 2.0.1|v2|3.0.3] [--cutoff-ms N] [--fixtures DIR] [--ignore-range] [--quiet]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument: ${a}`);
  }
  return opts;
}

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  let tempo;
  try {
    tempo = await startFakeTempo(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
  console.log(`listening on ${tempo.url}`);
  const stop = async () => {
    await tempo.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
