/**
 * Running a tool: checks the input an agent sent, asks the backend, and writes the answer. The
 * VS Code tools (`host/lmTools.ts`) and the MCP server (`cli/mcp.ts`) both call these, so the
 * same input gets the same answer. Never throws: every failure is an answer with `isError`.
 *
 * The answers, failures included, are English and go through no l10n, by decision: their reader
 * is the model, not a person. It reads them best in the language of the tool descriptions and
 * schemas (English, `modelDescription` in package.json and `specs.ts`), whose argument names,
 * cursors and follow-up calls the answers quote, and it replies to the person in their own
 * language whatever the tools said. One wording also keeps VS Code's and the MCP server's answers
 * the same. What a person reads as a tool runs (`prepare.ts`) is localized.
 */
import {
  BackendError,
  redactUrl,
  type BackendConfig,
  type SearchResult,
  type TraceBackend,
} from '../backends';
import { compareTraces } from '../compare';
import { detectTraceIds, normalizeTraceId } from '../ids';
import { TraceDecodeError, type DecodedTrace } from '../decode';
import type { ResolveContext } from '../source';
import type { StoredLog } from '../store';
import type { FunctionTarget } from '../traceql';
import { spanIdAt } from '../../shared/model';
import { compareAnswer } from './compare';
import type { ToolNames } from './followUp';
import { findFunctionStats, functionAnswer } from './functionStats';
import { code, DEFAULT_MAX_TOKENS, MIN_MAX_TOKENS } from './markdown';
import { recentAnswer, type RecentEntry } from './recent';
import { searchOffset } from './paging';
import { parseSince, searchAnswer, type SinceRange } from './search';
import { commonNames, findSpan, spanAnswer, spanLogRecords, type SpanLogRecord } from './span';
import { traceAnswer } from './trace';

/** A tool's answer: Markdown, and whether it reports a failure. */
export interface ToolAnswer {
  text: string;
  isError: boolean;
}

/** A fetched trace as the tools need it. */
export interface AgentTrace {
  decoded: DecodedTrace;
  /** The backend's words when the trace is partial. */
  partialMessage?: string;
  /**
   * How answers name where this trace came from when that is not the context's backend: the
   * host looks in the local store first and in the other configured backends after the default,
   * so a trace's source can differ from the backend the tools were given.
   */
  source?: string;
  /**
   * The log records of one of its spans (16 hex digits), when the source of the trace keeps logs
   * (the local store); absent otherwise.
   */
  spanLogs?(spanId: string): Promise<readonly StoredLog[]>;
}

/**
 * What the tools ask of a backend: a `TraceBackend` is one, and so is a store folder read
 * directly (`trace-lens mcp --store`), which has no connection to test.
 */
export type AgentBackend = Pick<TraceBackend, 'name' | 'getTrace' | 'search'>;

/** What a tool runs against. */
export interface AgentContext {
  /** The backend asked. */
  backend: AgentBackend;
  /** How answers name the backend (default its `name`): see `backendLabel`. */
  label?: string;
  /** Fetches a trace; default `backend.getTrace`. The host passes its cached loader. */
  loadTrace?(traceId: string, signal?: AbortSignal): Promise<AgentTrace>;
  /** The workspace, for `file:line`; undefined when there is none. */
  workspace?(): Promise<ResolveContext | undefined>;
  /** Unix milliseconds now. */
  now?(): number;
  /** Budget of an answer in estimated tokens (default 2,000). */
  maxTokens?: number;
  names: ToolNames;
  signal?: AbortSignal;
}

/** How `backendLabel` words a backend's place: English for answers, localized in `prepare.ts`. */
export interface BackendLabelWords {
  /** "Tempo at 127.0.0.1:3200". */
  at(name: string, where: string): string;
  /** "fixtures (files)". */
  files(name: string): string;
}

const ENGLISH_LABEL: BackendLabelWords = {
  at: (name, where) => `${name} at ${where}`,
  files: (name) => `${name} (files)`,
};

/** "Tempo at 127.0.0.1:3200": a backend's name and where it is, without credentials. */
export function backendLabel(
  config: Pick<BackendConfig, 'name' | 'kind' | 'url'>,
  words: BackendLabelWords = ENGLISH_LABEL,
): string {
  if (config.kind === 'file') return words.files(config.name);
  try {
    const u = new URL(redactUrl(config.url));
    const path = u.pathname.replace(/\/+$/, '');
    return words.at(config.name, `${u.host}${path}`);
  } catch {
    return config.name;
  }
}

/** The answer when no backend could be built from the settings (`why`), so nothing was asked. */
export function noBackendAnswer(why: string): ToolAnswer {
  return fail(
    `Trace Lens has no usable backend: ${code(why, 300)}. Check traceLens.tempo.url or traceLens.backends in the settings.`,
  );
}

const nameOf = (ctx: Pick<AgentContext, 'backend' | 'label'>): string => ctx.label ?? ctx.backend.name;

const fail = (text: string): ToolAnswer => ({ text, isError: true });
const ok = (text: string): ToolAnswer => ({ text, isError: false });

/** The longest text an argument may be (a log line or URL may be long; TraceQL too). */
const MAX_ARG = 4096;

type Args = Record<string, unknown>;

function argsOf(input: unknown): Args | ToolAnswer {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input))
    return fail('The input must be an object of named arguments.');
  return input as Args;
}

function isAnswer(v: unknown): v is ToolAnswer {
  return typeof v === 'object' && v !== null && 'isError' in v && 'text' in v;
}

function stringArg(args: Args, name: string, required: true): string | ToolAnswer;
function stringArg(args: Args, name: string, required: false): string | undefined | ToolAnswer;
function stringArg(args: Args, name: string, required: boolean): string | undefined | ToolAnswer {
  const v = args[name];
  if (v === undefined || v === null || v === '') {
    return required ? fail(`\`${name}\` is required.`) : undefined;
  }
  if (typeof v !== 'string') return fail(`\`${name}\` must be a string.`);
  if (v.length > MAX_ARG) return fail(`\`${name}\` is longer than ${MAX_ARG} characters.`);
  return v;
}

function intArg(args: Args, name: string, min: number, max: number): number | undefined | ToolAnswer {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' && /^\d{1,9}$/.test(v.trim()) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    return fail(`\`${name}\` must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

/** A trace ID from what an agent passed: an ID, or text holding one. */
export function traceIdFrom(
  raw: string,
  name = 'trace_id',
): { traceId: string; spanId?: string } | ToolAnswer {
  const text = raw.trim();
  if (/^[0-9a-fA-F]+$/.test(text)) {
    if (text.length === 32 || text.length === 16) {
      const traceId = normalizeTraceId(text);
      return traceId !== undefined ? { traceId } : fail(`\`${name}\` is all zeros, which is not a trace ID.`);
    }
    return fail(
      `\`${name}\` has ${text.length} hex digits; a trace ID has 32 (or 16 for a 64-bit ID). A digit may be missing or extra.`,
    );
  }
  const found = detectTraceIds(text, { maxLength: MAX_ARG });
  const best = found.find((d) => d.confidence === 'high') ?? found[0];
  if (!best) {
    return fail(
      `No trace ID in \`${name}\` (${code(text, 80)}): pass the 32-hex ID, or a log line, traceparent header or trace URL that holds one.`,
    );
  }
  return best.spanId ? { traceId: best.traceId, spanId: best.spanId } : { traceId: best.traceId };
}

function budget(ctx: Pick<AgentContext, 'maxTokens'>): number {
  const b = ctx.maxTokens ?? DEFAULT_MAX_TOKENS;
  return Math.max(MIN_MAX_TOKENS, Math.min(b, DEFAULT_MAX_TOKENS));
}

/** What every paged answer takes from a call besides its subject: see `paging.ts`. */
interface PageArgs {
  /** The cursor an earlier answer named, to continue it. */
  cursor?: string;
  maxTokens: number;
  names: ToolNames;
}

/** The `cursor` argument (checked, not parsed: each answer knows its own), the budget and the names. */
function pageArgs(args: Args, ctx: Pick<AgentContext, 'maxTokens' | 'names'>): PageArgs | ToolAnswer {
  const cursor = stringArg(args, 'cursor', false);
  if (isAnswer(cursor)) return cursor;
  return { ...(cursor !== undefined ? { cursor } : {}), maxTokens: budget(ctx), names: ctx.names };
}

/** The first `BackendError` or `TraceDecodeError` in an error's cause chain. */
function knownCause(err: unknown): BackendError | TraceDecodeError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++) {
    if (e instanceof BackendError || e instanceof TraceDecodeError) return e;
    e = e.cause;
  }
  return undefined;
}

/** A failure as an answer: what went wrong in our words, the backend's message quoted. */
export function errorAnswer(
  err: unknown,
  ctx: Pick<AgentContext, 'backend' | 'label'>,
  traceId?: string,
): ToolAnswer {
  const known = knownCause(err);
  const backend = code(nameOf(ctx), 80);
  const message = known?.message ?? (err instanceof Error ? err.message : String(err));
  if (known?.kind === 'not-found' && traceId !== undefined) {
    return fail(
      `Trace \`${traceId}\` was not found on ${backend}: it may not be ingested yet (try again in a few seconds), be older than the retention, or be held by another backend.`,
    );
  }
  if (known instanceof TraceDecodeError) {
    return fail(`The trace could not be read (damaged, or not a trace): ${code(message, 300)}`);
  }
  if (known instanceof BackendError) {
    if (known.kind === 'cancelled') return fail('Cancelled.');
    const status = known.status !== undefined ? ` (HTTP ${known.status})` : '';
    return fail(`The backend ${backend} failed: ${known.kind}${status}. Its message: ${code(message, 400)}`);
  }
  if (err instanceof Error && err.name === 'AbortError') return fail('Cancelled.');
  return fail(`Trace Lens failed: ${code(message, 400)}`);
}

async function load(ctx: AgentContext, traceId: string): Promise<AgentTrace> {
  if (ctx.loadTrace) return ctx.loadTrace(traceId, ctx.signal);
  const r = await ctx.backend.getTrace(traceId, ctx.signal ? { signal: ctx.signal } : {});
  return r.partial
    ? { decoded: r.decoded, partialMessage: r.message ?? 'no reason given' }
    : { decoded: r.decoded };
}

async function workspace(ctx: AgentContext): Promise<ResolveContext | undefined> {
  try {
    return await ctx.workspace?.();
  } catch {
    // No mapping is better than no answer.
    return undefined;
  }
}

/** The log records of span `index` of `t`, when its source keeps them and can read them. */
async function spanLogs(t: AgentTrace, index: number): Promise<SpanLogRecord[] | undefined> {
  if (!t.spanLogs) return undefined;
  const model = t.decoded.model;
  try {
    return spanLogRecords(await t.spanLogs(spanIdAt(model.columns, index)), model, index);
  } catch {
    // The span without its logs is better than no answer.
    return undefined;
  }
}

/** `getTrace`: a trace summary. */
export async function runGetTrace(input: unknown, ctx: AgentContext): Promise<ToolAnswer> {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const raw = stringArg(args, 'trace_id', true);
  if (isAnswer(raw)) return raw;
  const page = pageArgs(args, ctx);
  if (isAnswer(page)) return page;
  const id = traceIdFrom(raw);
  if (isAnswer(id)) return id;
  try {
    const t = await load(ctx, id.traceId);
    const source = await workspace(ctx);
    return ok(
      traceAnswer({
        decoded: t.decoded,
        backendName: t.source ?? nameOf(ctx),
        ...(t.partialMessage !== undefined ? { partialMessage: t.partialMessage } : {}),
        ...(source ? { source } : {}),
        ...(id.spanId ? { spanId: id.spanId } : {}),
        ...page,
      }),
    );
  } catch (err) {
    return errorAnswer(err, ctx, id.traceId);
  }
}

/** `getSpan`: one span in detail. */
export async function runGetSpan(input: unknown, ctx: AgentContext): Promise<ToolAnswer> {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const raw = stringArg(args, 'trace_id', true);
  if (isAnswer(raw)) return raw;
  const span = stringArg(args, 'span', true);
  if (isAnswer(span)) return span;
  const page = pageArgs(args, ctx);
  if (isAnswer(page)) return page;
  const id = traceIdFrom(raw);
  if (isAnswer(id)) return id;
  try {
    const t = await load(ctx, id.traceId);
    const found = findSpan(t.decoded.model, span);
    if ('error' in found) {
      const names = commonNames(t.decoded.model)
        .map((n) => code(n, 60))
        .join(', ');
      return fail(`${found.error} Span names in trace \`${id.traceId}\` include: ${names}.`);
    }
    const source = await workspace(ctx);
    const logs = await spanLogs(t, found.index);
    return ok(
      spanAnswer({
        decoded: t.decoded,
        backendName: t.source ?? nameOf(ctx),
        index: found.index,
        ...(logs ? { logs } : {}),
        ...(found.choice ? { choice: found.choice } : {}),
        ...(source ? { source } : {}),
        ...page,
      }),
    );
  } catch (err) {
    return errorAnswer(err, ctx, id.traceId);
  }
}

function sinceArg(args: Args): SinceRange | ToolAnswer {
  const since = stringArg(args, 'since', false);
  if (isAnswer(since)) return since;
  if (since === undefined) return { seconds: 3600, label: '1h' };
  const range = parseSince(since);
  if (!range) return fail(`\`since\` ${code(since, 40)} is not a duration: use 15m, 1h, 6h, 24h or 7d.`);
  if (range.seconds > 366 * 86400) return fail('`since` may reach back a year at most.');
  return range;
}

/** `searchTraces`: TraceQL search rows. */
export async function runSearchTraces(input: unknown, ctx: AgentContext): Promise<ToolAnswer> {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const query = stringArg(args, 'query', true);
  if (isAnswer(query)) return query;
  const since = sinceArg(args);
  if (isAnswer(since)) return since;
  const limit = intArg(args, 'limit', 1, 50) ?? 20;
  if (isAnswer(limit)) return limit;
  const page = pageArgs(args, ctx);
  if (isAnswer(page)) return page;
  const offset = page.cursor !== undefined ? searchOffset(page.cursor) : 0;
  if (offset === undefined)
    return fail(`The cursor ${code(page.cursor!, 40)} is not one this tool gave (a number).`);
  const backend = ctx.backend;
  if (!backend.search) {
    return fail(
      `The backend ${code(nameOf(ctx), 80)} has no TraceQL search. Use a Tempo or Grafana backend to search.`,
    );
  }
  const nowMs = ctx.now?.() ?? Date.now();
  const end = Math.floor(nowMs / 1000);
  let result: SearchResult;
  try {
    result = await backend.search({
      q: query.trim(),
      start: end - since.seconds,
      end,
      limit: Math.min(offset + limit, 500),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  } catch (err) {
    return errorAnswer(err, ctx);
  }
  return ok(
    searchAnswer({
      result,
      query: query.trim(),
      since,
      nowMs,
      backendName: nameOf(ctx),
      offset,
      limit,
      maxTokens: page.maxTokens,
      names: page.names,
    }),
  );
}

/** `compareTraces`: operation by operation. */
export async function runCompareTraces(input: unknown, ctx: AgentContext): Promise<ToolAnswer> {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const rawA = stringArg(args, 'trace_id_a', true);
  if (isAnswer(rawA)) return rawA;
  const rawB = stringArg(args, 'trace_id_b', true);
  if (isAnswer(rawB)) return rawB;
  const page = pageArgs(args, ctx);
  if (isAnswer(page)) return page;
  const a = traceIdFrom(rawA, 'trace_id_a');
  if (isAnswer(a)) return a;
  const b = traceIdFrom(rawB, 'trace_id_b');
  if (isAnswer(b)) return b;
  let ta: AgentTrace;
  let tb: AgentTrace;
  try {
    ta = await load(ctx, a.traceId);
  } catch (err) {
    return errorAnswer(err, ctx, a.traceId);
  }
  try {
    tb = await load(ctx, b.traceId);
  } catch (err) {
    return errorAnswer(err, ctx, b.traceId);
  }
  return ok(
    compareAnswer({
      comparison: compareTraces(ta.decoded.model, tb.decoded.model),
      backendName: ta.source ?? nameOf(ctx),
      ...((tb.source ?? nameOf(ctx)) !== (ta.source ?? nameOf(ctx))
        ? { backendNameB: tb.source ?? nameOf(ctx) }
        : {}),
      ...page,
    }),
  );
}

/** A function named by file and name (`Class.method` for a method). */
export function functionTarget(file: string, name: string): FunctionTarget | ToolAnswer {
  const relativePath = file.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  const fn = name.trim().replace(/\(.*$/, '');
  if (relativePath === '' || /^\//.test(relativePath) || /^[A-Za-z]:/.test(relativePath)) {
    return fail('`file` must be a workspace-relative path, e.g. src/nodes/DataFetchNode.ts.');
  }
  if (!/^[^\s<>()"'`]{1,200}$/.test(fn))
    return fail(`\`function\` ${code(name, 80)} is not a function name.`);
  const dot = fn.lastIndexOf('.');
  if (dot > 0 && dot < fn.length - 1)
    return { name: fn.slice(dot + 1), container: fn.slice(0, dot), relativePath };
  return { name: fn, relativePath };
}

/**
 * `functionStats`: how a function performed. `resolve` finds the function around a line (the
 * host asks the editor's symbols); without it, `line` is refused.
 */
export async function runFunctionStats(
  input: unknown,
  ctx: AgentContext,
  resolve?: (file: string, line: number) => Promise<FunctionTarget | string>,
): Promise<ToolAnswer> {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const file = stringArg(args, 'file', true);
  if (isAnswer(file)) return file;
  const fn = stringArg(args, 'function', false);
  if (isAnswer(fn)) return fn;
  const line = intArg(args, 'line', 1, 10_000_000);
  if (isAnswer(line)) return line;
  const since = sinceArg(args);
  if (isAnswer(since)) return since;
  let target: FunctionTarget | ToolAnswer;
  if (fn !== undefined) target = functionTarget(file, fn);
  else if (line !== undefined && resolve) {
    const r = await resolve(file, line);
    target = typeof r === 'string' ? fail(r) : r;
  } else {
    target = fail('Give `function` (or `line`, a line inside the function).');
  }
  if (isAnswer(target)) return target;
  try {
    const findings = await findFunctionStats(
      ctx.backend,
      target,
      since,
      ctx.now?.() ?? Date.now(),
      ctx.signal,
    );
    return ok(
      functionAnswer({ findings, backendName: nameOf(ctx), maxTokens: budget(ctx), names: ctx.names }),
    );
  } catch (err) {
    return errorAnswer(err, ctx);
  }
}

/** `recentTraces`: the IDs seen recently. */
export function runRecentTraces(
  input: unknown,
  entries: readonly RecentEntry[],
  ctx: Pick<AgentContext, 'now' | 'maxTokens' | 'names'>,
): ToolAnswer {
  const args = argsOf(input);
  if (isAnswer(args)) return args;
  const page = pageArgs(args, ctx);
  if (isAnswer(page)) return page;
  return ok(
    recentAnswer({
      entries,
      nowMs: ctx.now?.() ?? Date.now(),
      ...page,
    }),
  );
}
