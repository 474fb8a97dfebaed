// Measures the TraceQL parser of src/core/traceql against @grafana/lezer-traceql: minified bundle
// bytes, parse time over a table of queries, and coverage of Tempo's grammar examples. The
// figures are written in src/core/traceql/index.ts; rerun this when the parser changes.
//
//   npm i --no-save --prefix /tmp/lezer @grafana/lezer-traceql
//   node scripts/measure-traceql.mjs [--lezer /tmp/lezer] [--examples <tempo>/pkg/traceql/test_examples.yaml]
//
// Without --lezer or --examples the parts that need them are skipped (lezer is not a dependency
// of the project; Tempo's examples are read from a Tempo checkout, never copied here).
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const lezerDir = arg('--lezer') ? resolve(arg('--lezer')) : undefined;
const examplesFile = arg('--examples');

/** esbuild, minified ESM, of `contents` (an entry module); returns the code. */
async function bundle(contents, nodePaths = []) {
  const out = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'node20',
    nodePaths,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

const importCode = (code) => import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
const sizes = (code) =>
  `${(code.length / 1024).toFixed(1)} KB (${(gzipSync(code).length / 1024).toFixed(1)} KB gzip)`;

// --- bundles -----------------------------------------------------------------------------------

const ownParserCode = await bundle("export { parse, checkSupported } from './src/core/traceql/parser';");
const ownEngineCode = await bundle("export * from './src/core/traceql/index';");
const own = await importCode(ownEngineCode);
let lezer;
let lezerCode;
if (lezerDir) {
  const nodeModules = join(lezerDir, 'node_modules');
  lezerCode = await bundle("export { parser } from '@grafana/lezer-traceql';", [nodeModules]);
  lezer = (await importCode(lezerCode)).parser;
  const manifest = join(nodeModules, '@grafana', 'lezer-traceql', 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  console.log(`@grafana/lezer-traceql ${version}`);
}
console.log('bundle, esbuild minified ESM:');
console.log(`  own parser (lexer + parser + ast)        ${sizes(ownParserCode)}`);
console.log(`  own engine (+ evaluate, build, completion) ${sizes(ownEngineCode)}`);
if (lezerCode) console.log(`  lezer parser (+ @lezer/lr)                ${sizes(lezerCode)}`);

// --- parse time --------------------------------------------------------------------------------

const targets = [
  { name: 'fetch', container: 'DataFetchNode', relativePath: 'src/nodes/DataFetchNode.ts' },
  { name: 'main', relativePath: 'cmd/server/main.go' },
  {
    name: 'handle',
    container: 'OrderController',
    relativePath: 'services/orders/src/api/OrderController.ts',
  },
];
const QUERIES = [
  '{ }',
  '{ status = error }',
  '{ name = "GET" }',
  '{ resource.service.name = "api" }',
  '{ .service.name = "checkout" && duration > 500ms }',
  '{ resource.service.name = "api" && status = error }',
  '{ span.http.response.status_code >= 500 }',
  '{ span.http.url =~ "^/api/v[12]/orders" }',
  '{ span.db.system = "postgresql" && duration > 1.5s }',
  '{ kind = server && status != ok }',
  '{ rootServiceName = "gateway" && traceDuration > 2s }',
  '{ .deployment.environment = "prod" && .k8s.namespace.name != "kube-system" }',
  '{ (name = "GET" || name = "POST") && resource.service.name = "web" }',
  '{ !(status = error) && duration < 10ms }',
  '{ span.messaging.system = "kafka" && kind = consumer }',
  '{ statusMessage =~ "timeout|deadline" }',
  '{ span.error.type != nil }',
  '{ span:name = "query" && span:duration > 100ms }',
  '{ trace:rootService = "api" && trace:duration > 1m }',
  '{ .a = 1 } && { .b = 2 }',
  '{ status = error } || { duration > 5s }',
  '({ .a = "x" } || { .b = "y" }) && { kind = client }',
  '{ span."foo bar" = `raw\\text` }',
  '{ .user.id = "u-123" && .tenant = "acme" && .region = "eu-west-1" && .retry = true }',
  '{ duration > 1h30m || duration < 1us }',
  '{ .count > 10 && .ratio <= 0.75 && .flag }',
  '{ resource.service.name = "api" } | count() > 2',
  '{ } | rate() by (resource.service.name)',
  '{ .a = 1 } >> { .b = 2 }',
  '{ name = "GET"',
  '{ service.name = "x" }',
  '{ .a + 1 = 2 }',
  ...targets.map((t) => own.functionQuery(t)),
  own.functionQuery(targets[0], true),
];

function time(parseOne) {
  const run = (iterations) => {
    const t0 = performance.now();
    for (let k = 0; k < iterations; k++) for (const q of QUERIES) parseOne(q);
    return ((performance.now() - t0) * 1000) / (iterations * QUERIES.length);
  };
  run(300);
  const runs = Array.from({ length: 7 }, () => run(300)).sort((a, b) => a - b);
  return runs[3];
}

const ownParse = (q) => own.checkSupported(q);
console.log(`parse time per query, ${QUERIES.length} queries, median of 7 runs:`);
console.log(`  own    ${time(ownParse).toFixed(2)} µs (to a typed tree or a named error)`);
if (lezer) console.log(`  lezer  ${time((q) => lezer.parse(q)).toFixed(2)} µs (to a syntax tree, no checks)`);

// --- grammar coverage ----------------------------------------------------------------------------

/** The list items of each top-level section of Tempo's test_examples.yaml (quoted scalars only). */
function readExamples(text) {
  const sections = {};
  let current;
  for (const line of text.split('\n')) {
    const head = /^([a-z_]+):\s*$/.exec(line);
    if (head) {
      current = sections[head[1]] = [];
      continue;
    }
    const item = /^\s+- (.*?)\s*(?:#.*)?$/.exec(line);
    if (!item || !current) continue;
    const raw = item[1];
    if (raw.startsWith("'")) current.push(raw.slice(1, raw.lastIndexOf("'")).replaceAll("''", "'"));
    else if (raw.startsWith('"')) current.push(JSON.parse(raw.slice(0, raw.lastIndexOf('"') + 1)));
  }
  return sections;
}

function lezerAccepts(q) {
  let ok = true;
  lezer.parse(q).iterate({
    enter: (n) => {
      if (n.type.isError) ok = false;
    },
  });
  return ok;
}

if (examplesFile) {
  const ex = readExamples(readFileSync(examplesFile, 'utf8'));
  const groups = ['valid', 'parse_fails', 'validate_fails', 'unsupported'];
  console.log(`coverage of ${examplesFile}:`);
  for (const g of groups) {
    const list = ex[g] ?? [];
    const count = { ok: 0, unsupported: 0, syntax: 0, invalid: 0 };
    const surprises = [];
    for (const q of list) {
      const r = own.checkSupported(q);
      const kind = r.ok ? 'ok' : r.error.kind;
      count[kind]++;
      if (g === 'valid' && (kind === 'syntax' || kind === 'invalid')) surprises.push(`${q}  → ${r.message}`);
      if (g !== 'valid' && kind === 'ok') surprises.push(`${q}  → accepted`);
    }
    const lz = lezer ? list.filter(lezerAccepts).length : undefined;
    console.log(
      `  ${g.padEnd(15)} ${String(list.length).padStart(3)}: own evaluates ${count.ok}, names as unsupported ${count.unsupported}, ` +
        `syntax error ${count.syntax}, invalid ${count.invalid}` +
        (lz !== undefined ? `; lezer parses ${lz} without error nodes` : ''),
    );
    for (const s of surprises) console.log(`      ${s}`);
  }
}
