// What the demo system must have produced, checked on the traces as a backend returns them and on
// the workspace's logs/app.log. Used by check.mjs against its own collector, and meant for the
// demo smoke check against Trace Lens's receiver (through its Tempo-compatible API).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, sep } from 'node:path';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
/** The partner stub waits 4.2 s on the first page; a span that long is the story's slow call. */
const SLOW_CALL_NS = 4_000_000_000n;
/** Lines that start a span in the demo sources: our helper, or a request the http instrumentation traces. */
const SPAN_START = /\bwithSpan\(|\bhttp\.request\(/;

/**
 * Runs every check; resolves to `[{ what, ok, detail }]`.
 *
 * - `workspace`: the demo workspace (code.* paths must lie in it, logs/app.log is read from it)
 * - `runs`: `{ workflow?: traceId, batch?: traceId }` as run.mjs printed them
 * - `fetchTrace(id)`: resolves to the trace's spans (see otlp.mjs) or undefined when not found
 * - `otlpLogs`: the log records received over OTLP, when the backend can tell (the collector can)
 * - `scan(file)`: Trace Lens's own detector over a file, `[{ line, traceId, spanId }]`, if built
 */
export async function verifyDemo({ workspace, runs, fetchTrace, otlpLogs, scan }) {
  const results = [];
  const check = (what, fn) => {
    try {
      results.push({ what, ok: true, detail: fn() ?? '' });
    } catch (err) {
      results.push({ what, ok: false, detail: err instanceof Error ? err.message : String(err) });
    }
  };
  const traces = new Map();
  const load = async (id) => {
    if (!traces.has(id)) traces.set(id, (await fetchTrace(id)) ?? null);
    return traces.get(id);
  };

  if (runs.workflow) {
    const spans = await load(runs.workflow);
    check('workflow trace: found, one root, no missing parents', () => shape(spans, runs.workflow));
    if (spans) {
      check('workflow trace: nodes across workflow-engine, data-fetch and notifier', () =>
        workflowNodes(spans),
      );
      check('workflow trace: a ~4.2 s partner call under DataFetch (step 3)', () => slowCall(spans));
      check('workflow trace: notifier span in error with the SMTP 451 exception', () => smtpError(spans));
    }
  }
  if (runs.batch) {
    const spans = await load(runs.batch);
    check('batch trace: found, one root, no missing parents', () => shape(spans, runs.batch));
    if (spans)
      check('batch trace: 1,000 items with a database child each, a few failing', () => batchItems(spans));
    const workflow = runs.workflow ? await load(runs.workflow) : undefined;
    if (spans && workflow)
      check('batch trace: batch.create links to the span of the sync run it imports', () =>
        batchLink(spans, workflow),
      );
  }
  for (const [kind, id] of Object.entries(runs)) {
    const spans = traces.get(id);
    if (spans)
      check(`${kind} trace: code.* names the line in the workspace that started each span`, () =>
        codeAttributes(spans, workspace),
      );
  }

  const logFile = `${workspace}/logs/app.log`;
  let lines = [];
  check('logs/app.log: lines with trace_id=… (logfmt) and "trace_id":"…" (JSON)', () => {
    if (!existsSync(logFile)) throw new Error(`${logFile} does not exist`);
    lines = parseAppLog(readFileSync(logFile, 'utf8'));
    const logfmt = lines.filter((l) => l.format === 'logfmt').length;
    const json = lines.filter((l) => l.format === 'json').length;
    if (!logfmt || !json)
      throw new Error(`${logfmt} logfmt and ${json} JSON lines with a trace ID; want both`);
    const missing = Object.entries(runs).filter(([, id]) => !lines.some((l) => l.traceId === id));
    if (missing.length) throw new Error(`no line of the ${missing.map(([k]) => k).join(', ')} trace`);
    return `${logfmt} logfmt, ${json} JSON`;
  });
  const ids = [...new Set(lines.map((l) => l.traceId))];
  for (const id of ids) await load(id);
  check('logs/app.log: every trace ID is an exported trace, every span ID a span of it', () => {
    const problems = [];
    for (const l of lines) {
      const spans = traces.get(l.traceId);
      if (!spans) problems.push(`line ${l.line}: trace ${l.traceId} not found`);
      else if (!spans.some((s) => s.spanId === l.spanId))
        problems.push(`line ${l.line}: span ${l.spanId} not in trace ${l.traceId}`);
    }
    if (problems.length) throw new Error(firstFew(problems));
    return `${lines.length} lines, ${ids.length} traces`;
  });
  if (scan) {
    check("logs/app.log: Trace Lens's detector finds each line's trace and span", () => {
      const hits = scan(logFile);
      const problems = [];
      for (const l of lines) {
        if (!hits.some((h) => h.line === l.line && h.traceId === l.traceId && h.spanId === l.spanId)) {
          problems.push(`line ${l.line}: ${l.traceId}/${l.spanId} not detected`);
        }
      }
      for (const h of hits) {
        const spans = traces.get(h.traceId);
        if (!spans) problems.push(`line ${h.line}: detected ${h.traceId}, not an exported trace`);
        else if (h.spanId && !spans.some((s) => s.spanId === h.spanId))
          problems.push(`line ${h.line}: detected span ${h.spanId} not in its trace`);
      }
      if (problems.length) throw new Error(firstFew(problems));
      return `${hits.length} detections`;
    });
  }
  if (otlpLogs) {
    check('OTLP logs: every app.log line with a trace ID also arrived as a log record', () =>
      otlpMatchesFile(otlpLogs, lines),
    );
  }
  return results;
}

// ---------------------------------------------------------------------------------------------

function firstFew(problems) {
  return `${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`;
}

const durationNs = (s) => s.endNs - s.startNs;
const seconds = (ns) => `${(Number(ns) / 1e9).toFixed(2)} s`;

function children(spans) {
  const out = new Map();
  for (const s of spans) {
    if (!out.has(s.parentSpanId)) out.set(s.parentSpanId, []);
    out.get(s.parentSpanId).push(s);
  }
  return out;
}

function descendants(span, kids) {
  const out = [];
  const todo = [span];
  while (todo.length) {
    for (const c of kids.get(todo.pop().spanId) ?? []) {
      out.push(c);
      todo.push(c);
    }
  }
  return out;
}

function shape(spans, id) {
  if (!spans?.length) throw new Error(`trace ${id} not found`);
  const ids = new Set(spans.map((s) => s.spanId));
  const roots = spans.filter((s) => !s.parentSpanId);
  const orphans = spans.filter((s) => s.parentSpanId && !ids.has(s.parentSpanId));
  if (roots.length !== 1)
    throw new Error(`${roots.length} root spans: ${roots.map((s) => s.name).join(', ')}`);
  if (orphans.length)
    throw new Error(`${orphans.length} spans with a missing parent, e.g. ${orphans[0].name}`);
  return `${spans.length} spans, root ${roots[0].service} ${roots[0].name}`;
}

function workflowNodes(spans) {
  const services = new Set(spans.map((s) => s.service));
  for (const want of ['workflow-engine', 'data-fetch', 'notifier']) {
    if (!services.has(want)) throw new Error(`no span of ${want} (services: ${[...services].join(', ')})`);
  }
  const nodes = ['ValidateInputNode', 'TransformNode', 'DataFetchNode', 'NotifyNode'];
  const found = nodes.map((n) => spans.find((s) => s.name === `node.${n}`));
  nodes.forEach((n, i) => {
    if (!found[i]) throw new Error(`no node.${n} span`);
    if (found[i].attributes['workflow.step'] !== i + 1) throw new Error(`node.${n} is not step ${i + 1}`);
    // Steps run in order. Not "after the previous one ends": the SDK takes a span's start from
    // Date.now() (1 ms steps) and its end from the start plus a precise duration.
    if (i && found[i].startNs < found[i - 1].startNs)
      throw new Error(`node.${n} starts before node.${nodes[i - 1]}`);
  });
  const kids = children(spans);
  for (const [i, service] of [
    [2, 'data-fetch'],
    [3, 'notifier'],
  ]) {
    if (!descendants(found[i], kids).some((s) => s.service === service)) {
      throw new Error(`node.${nodes[i]} has no span of ${service} under it`);
    }
  }
  return `${spans.length} spans, services ${[...services].sort().join(', ')}`;
}

function slowCall(spans) {
  const node = spans.find((s) => s.name === 'node.DataFetchNode');
  if (!node) throw new Error('no node.DataFetchNode span');
  const kids = children(spans);
  const under = descendants(node, kids);
  const calls = under.filter((s) => s.kind === CLIENT && s.service === 'data-fetch');
  const slow = calls.filter((s) => durationNs(s) >= SLOW_CALL_NS);
  if (slow.length !== 1) {
    throw new Error(
      `${slow.length} data-fetch CLIENT spans ≥ 4 s under step 3 (calls: ${calls.map((s) => seconds(durationNs(s))).join(', ')})`,
    );
  }
  // Where the time went: of the spans under step 3 that call nothing further, it is the longest.
  const leaves = under.filter((s) => !kids.has(s.spanId));
  const longest = leaves.sort((a, b) => Number(durationNs(b) - durationNs(a)))[0];
  if (longest !== slow[0])
    throw new Error(`the slow partner call is not the longest leaf under step 3 (${longest?.name})`);
  return `${slow[0].name} ${slow[0].attributes['url.full'] ?? ''} ${seconds(durationNs(slow[0]))}`;
}

function smtpError(spans) {
  const failed = spans.filter((s) => s.service === 'notifier' && s.status.code === ERROR);
  const withException = failed.filter((s) =>
    s.events.some((e) => e.name === 'exception' && String(e.attributes['exception.message']).includes('451')),
  );
  if (!withException.length) {
    throw new Error(
      `no notifier span in error with an exception event about 451 (in error: ${failed.map((s) => s.name).join(', ') || 'none'})`,
    );
  }
  const smtp = withException.find((s) => s.name === 'smtp.send');
  if (!smtp)
    throw new Error(`the smtp.send span is not among them (${withException.map((s) => s.name).join(', ')})`);
  const stack = smtp.events.find((e) => e.name === 'exception').attributes['exception.stacktrace'];
  if (!String(stack).includes('SmtpClient.ts'))
    throw new Error('the exception has no stack trace into SmtpClient.ts');
  return `${withException.map((s) => s.name).join(', ')}: ${smtp.status.message}`;
}

function batchLink(spans, workflow) {
  const create = spans.find((s) => s.name === 'batch.create');
  if (!create) throw new Error('no batch.create span');
  const root = workflow.find((s) => !s.parentSpanId);
  const link = create.links.find((l) => l.traceId === root?.traceId);
  if (!link)
    throw new Error(`batch.create has no link to the workflow trace (links: ${create.links.length})`);
  if (link.spanId !== root.spanId)
    throw new Error(`the link names ${link.spanId}, not the run's root ${root.spanId}`);
  return `${link.traceId}/${link.spanId}: ${link.attributes['link.reason'] ?? ''}`;
}

function batchItems(spans) {
  const kids = children(spans);
  const items = spans.filter((s) => s.name === 'item.process');
  if (items.length !== 1000) throw new Error(`${items.length} item.process spans, want 1000`);
  const problems = [];
  let failed = 0;
  for (const item of items) {
    const db = kids.get(item.spanId) ?? [];
    if (db.length !== 1 || db[0].kind !== CLIENT || !db[0].attributes['db.system.name']) {
      problems.push(
        `item ${item.attributes['item.id']}: ${db.length} children, want one database CLIENT span`,
      );
      continue;
    }
    if (item.status.code === ERROR) {
      failed += 1;
      if (!item.events.some((e) => e.name === 'exception'))
        problems.push(`item ${item.attributes['item.id']}: error without exception event`);
      if (db[0].status.code !== ERROR)
        problems.push(`item ${item.attributes['item.id']}: failed but its database span did not`);
    }
  }
  if (problems.length) throw new Error(firstFew(problems));
  if (failed < 1 || failed > 50) throw new Error(`${failed} items failed; want a few`);
  return `1000 items, ${failed} failed, ${spans.length} spans`;
}

function codeAttributes(spans, workspace) {
  const root = realpathSync(workspace) + sep;
  const files = new Map();
  const problems = [];
  let checked = 0;
  for (const s of spans) {
    const path = s.attributes['code.file.path'];
    const line = s.attributes['code.line.number'];
    const fn = s.attributes['code.function.name'];
    if (path === undefined) {
      // Node's http server starts SERVER spans; every other span is started by our code.
      if (s.kind !== SERVER) problems.push(`${s.service} ${s.name}: no code.* attributes`);
      continue;
    }
    const where = `${s.service} ${s.name} → ${path}:${line}`;
    if (!isAbsolute(path) || !existsSync(path)) {
      problems.push(`${where}: no such file`);
      continue;
    }
    if (!realpathSync(path).startsWith(root)) {
      problems.push(`${where}: outside the workspace ${workspace}`);
      continue;
    }
    if (!files.has(path)) files.set(path, readFileSync(path, 'utf8').split('\n'));
    const lines = files.get(path);
    const text = lines[line - 1];
    if (text === undefined || !SPAN_START.test(text)) {
      problems.push(`${where}: the line does not start a span: ${JSON.stringify(text?.trim())}`);
      continue;
    }
    const name = String(fn).split('.').pop();
    const declared = new RegExp(`\\b${name.replace(/[^\w$]/g, '')}\\s*[(=]`);
    if (!name || !lines.slice(0, line).some((l) => declared.test(l))) {
      problems.push(`${where}: code.function.name ${fn} is not declared above that line`);
      continue;
    }
    checked += 1;
  }
  if (problems.length) throw new Error(firstFew(problems));
  return `${checked} spans, ${files.size} files`;
}

/** Lines with a trace ID: logfmt `trace_id=… span_id=…` or a JSON object with "trace_id"/"span_id". */
export function parseAppLog(text) {
  const out = [];
  text.split('\n').forEach((raw, i) => {
    if (raw.startsWith('{')) {
      let record;
      try {
        record = JSON.parse(raw);
      } catch {
        return;
      }
      if (record.trace_id) {
        out.push({
          line: i + 1,
          format: 'json',
          traceId: record.trace_id,
          spanId: record.span_id,
          msg: record.msg,
        });
      }
      return;
    }
    // `<time> <LEVEL> <service> <msg> trace_id=… span_id=… more=…`: the IDs come first.
    const m = /^\S+ +[A-Z]+ +\S+ (.*?) trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16})/.exec(raw);
    if (m) out.push({ line: i + 1, format: 'logfmt', traceId: m[2], spanId: m[3], msg: m[1] });
  });
  return out;
}

function otlpMatchesFile(records, lines) {
  const key = (traceId, spanId, msg) => `${traceId}/${spanId}/${msg}`;
  const fromFile = new Map();
  for (const l of lines)
    fromFile.set(key(l.traceId, l.spanId, l.msg), (fromFile.get(key(l.traceId, l.spanId, l.msg)) ?? 0) + 1);
  const withTrace = records.filter((r) => r.traceId);
  const fromOtlp = new Map();
  for (const r of withTrace)
    fromOtlp.set(key(r.traceId, r.spanId, r.body), (fromOtlp.get(key(r.traceId, r.spanId, r.body)) ?? 0) + 1);
  const problems = [];
  for (const [k, n] of fromFile)
    if (fromOtlp.get(k) !== n) problems.push(`${k}: ${n} in app.log, ${fromOtlp.get(k) ?? 0} over OTLP`);
  for (const [k, n] of fromOtlp) if (!fromFile.has(k)) problems.push(`${k}: ${n} over OTLP, not in app.log`);
  if (problems.length) throw new Error(firstFew(problems));
  const services = new Set(records.map((r) => r.service));
  return `${withTrace.length} records with a trace ID (${records.length} in all) from ${[...services].sort().join(', ')}`;
}
