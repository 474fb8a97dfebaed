/**
 * From a span to the code that ran it: reads the span's `code.*` attributes, its
 * `code.stacktrace` and the stack traces of its `exception` events, maps the paths those name
 * (recorded in a container, on a build agent, by a bundler) onto the workspace, and ranks the
 * results. Pure: the workspace is described by `ResolveContext` (folders, path mappings and a
 * `FileIndex` the host fills), and nothing outside the workspace folders is ever returned.
 */
import type { Attribute, AttributeValue, SpanEvent } from '../../shared/model';
import type { FileIndex } from './fileIndex';
import {
  checkCandidatePath,
  containingFolder,
  isInsideWorkspace,
  joinUnderFolder,
  parsePath,
  prefixLength,
  type ParsedPath,
  type WorkspaceFolderInfo,
} from './paths';
import { isLibraryPath, parseStackTrace, type StackFrame } from './stackTrace';

/** Where a candidate came from. */
export type CandidateOrigin = 'code-attributes' | 'code.stacktrace' | 'exception.stacktrace' | 'symbol';

/** How a path the trace names was brought into the workspace, in parts (the picker lays them out). */
export type PathMapping =
  /** By a `traceLens.pathMappings` entry; `indexed` false when the file index does not list the result. */
  | { kind: 'mapped'; from: string; to: string; indexed: boolean }
  /** Already a path inside workspace folder `folder` (a local run). */
  | { kind: 'inside'; folder: string }
  /** A relative path found under workspace folder `folder`. */
  | { kind: 'relative'; folder: string }
  /** The longest path suffix shared with a workspace file; `preferredFor` names the service whose folder won. */
  | { kind: 'suffix'; suffix: string; segments: number; folder: string; preferredFor?: string };

/** `SourceCandidate.reason` in parts. */
export interface CandidateWhy {
  /** The attribute or frame that named the place: `code.file.path`, `exception.stacktrace frame 2`. */
  via: string;
  /** The place as the trace wrote it (`/app/src/a.ts:12:3`); for a `symbol` candidate, the file it names, if any. */
  written: string;
  /** How `written` was brought into the workspace (absent for a `symbol` candidate). */
  mapping?: PathMapping;
  /** The trace gave no line number: line 1. */
  noLine?: boolean;
}

/** A place in the workspace that may be the code behind a span. */
export interface SourceCandidate {
  /** Absolute workspace path after mapping ('' for a `symbol` candidate). */
  path: string;
  /** 1-based line (0 for a `symbol` candidate). */
  line: number;
  /** 1-based column. */
  column?: number;
  functionName?: string;
  /** Why this place, for a tooltip: which attribute or frame, and how its path was mapped. */
  reason: string;
  /** The same reason in parts, when the resolver made it (a candidate built elsewhere may lack it). */
  why?: CandidateWhy;
  origin: CandidateOrigin;
  /** Higher is better; the list is sorted by it. */
  score: number;
  /** False for runtime, framework and third-party frames. */
  userCode: boolean;
}

/** What the resolver knows about the workspace. */
export interface ResolveContext {
  folders: WorkspaceFolderInfo[];
  /**
   * Remote path prefix → local path, e.g. `{"/app": "${workspaceFolder}",
   * "/usr/src/app/payments": "${workspaceFolder:payments}"}`. The longest matching prefix wins.
   */
  pathMappings: Record<string, string>;
  fileIndex: FileIndex;
  /** The span's `service.name`: picks the folder of that name when several folders match. */
  serviceName?: string;
}

/** At most this many equally good suffix matches per location. */
const MAX_ALTERNATIVES = 5;

const ORIGIN_RANK: Record<Exclude<CandidateOrigin, 'symbol'>, number> = {
  'code-attributes': 0,
  'code.stacktrace': 1,
  'exception.stacktrace': 2,
};

/** A file location named by the span, before mapping. */
interface Location {
  raw: string;
  line?: number;
  column?: number;
  functionName?: string;
  library: boolean;
  suffixHint?: string;
  /** The attribute key or frame, for the reason: `code.filepath`, `exception.stacktrace frame 2`. */
  label: string;
  origin: Exclude<CandidateOrigin, 'symbol'>;
  /** Position among the origin's user frames (or library frames): the top user frame is 0. */
  rank: number;
}

interface Resolution {
  path: string;
  how: PathMapping;
}

/** The words of `reason` for a mapping (logs and tooltips; the picker words its own). */
function howText(m: PathMapping): string {
  switch (m.kind) {
    case 'mapped':
      return `mapped by ${m.from} → ${m.to}${m.indexed ? '' : ' (not in the workspace file index)'}`;
    case 'inside':
      return `inside workspace folder ${m.folder}`;
    case 'relative':
      return `relative to workspace folder ${m.folder}`;
    case 'suffix':
      return `matched by path suffix ${m.suffix} (${m.segments} segment${m.segments === 1 ? '' : 's'}) in workspace folder ${m.folder}${m.preferredFor !== undefined ? `, preferred for service ${m.preferredFor}` : ''}`;
  }
}

interface Ranked {
  candidate: SourceCandidate;
  key: number[];
}

interface Analysis {
  ranked: Ranked[];
  outside: { raw: string; key: number[] }[];
  /** System paths (`/proc/…`, device names): never offered, and the person is told why. */
  refused: { raw: string; reason: string; key: number[] }[];
}

// --- attributes ----------------------------------------------------------------------------

function find(attributes: readonly Attribute[], key: string): AttributeValue | undefined {
  return attributes.find((a) => a.key === key)?.value;
}

function stringAttr(attributes: readonly Attribute[], key: string): string | undefined {
  const v = find(attributes, key);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A positive integer from a number or a decimal string (OTLP JSON sends int64 as `"55"`). */
function intAttr(attributes: readonly Attribute[], key: string): number | undefined {
  const v = find(attributes, key);
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The first key present, new semantic-convention name before the old one. */
function firstOf<T>(
  attributes: readonly Attribute[],
  keys: readonly string[],
  read: (a: readonly Attribute[], k: string) => T | undefined,
): { key: string; value: T } | undefined {
  for (const key of keys) {
    const value = read(attributes, key);
    if (value !== undefined) return { key, value };
  }
  return undefined;
}

/**
 * `code.function.name`, else `code.namespace` + `.` + `code.function` (semconv ≤ 1.29). `key`
 * names the attribute(s) read, for reasons.
 */
function functionAttr(attributes: readonly Attribute[]): { key: string; value: string } | undefined {
  const name = stringAttr(attributes, 'code.function.name');
  if (name !== undefined) return { key: 'code.function.name', value: name };
  const fn = stringAttr(attributes, 'code.function');
  if (fn === undefined) return undefined;
  const ns = stringAttr(attributes, 'code.namespace');
  return ns === undefined
    ? { key: 'code.function', value: fn }
    : { key: 'code.namespace + code.function', value: `${ns}.${fn}` };
}

// --- mapping -------------------------------------------------------------------------------

/** Replaces `${workspaceFolder}` and `${workspaceFolder:name}`; undefined when a folder is unknown. */
function substitute(target: string, folders: readonly WorkspaceFolderInfo[]): string | undefined {
  let unknown = false;
  const out = target.replace(/\$\{workspaceFolder(?::([^}]*))?\}/g, (_m, name: string | undefined) => {
    const folder = name === undefined ? folders[0] : folders.find((f) => f.name === name);
    if (!folder) unknown = true;
    return folder?.path ?? '';
  });
  return unknown ? undefined : out;
}

/** The longest `pathMappings` prefix of `p` whose target names known folders. */
function applyMapping(
  p: ParsedPath,
  ctx: ResolveContext,
): { mapped: ParsedPath; from: string; to: string } | undefined {
  let best: { mapped: ParsedPath; from: string; to: string; depth: number } | undefined;
  for (const [from, to] of Object.entries(ctx.pathMappings)) {
    const fromChecked = checkCandidatePath(from);
    if (!fromChecked.ok) continue;
    const fromParsed = parsePath(fromChecked.path, false);
    if (!fromParsed.ok || fromParsed.value.kind === 'relative') continue;
    const depth = prefixLength(fromParsed.value, p);
    if (depth < 0 || (best && depth <= best.depth)) continue;
    const target = substitute(to, ctx.folders);
    if (target === undefined) continue;
    // Workspace folders may be UNC; whether the result is inside the workspace is checked later.
    const t = parsePath(target, true);
    if (!t.ok || t.value.kind === 'relative') continue;
    const mapped: ParsedPath = { ...t.value, segments: [...t.value.segments, ...p.segments.slice(depth)] };
    best = { mapped, from, to, depth };
  }
  return best;
}

// --- resolution ----------------------------------------------------------------------------

/** The folder whose name is the service name, else one whose name contains it. */
function preferredFolder(ctx: ResolveContext): WorkspaceFolderInfo | undefined {
  const norm = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const service = norm(ctx.serviceName ?? '');
  if (service === '') return undefined;
  return (
    ctx.folders.find((f) => norm(f.name) === service) ??
    ctx.folders.find((f) => norm(f.name).includes(service))
  );
}

function folderName(path: string, ctx: ResolveContext): string {
  const p = parsePath(path, true);
  const f = p.ok ? containingFolder(p.value, ctx.folders) : undefined;
  return f?.folder.name ?? '?';
}

/** The path under its folder in the folder's style, as the index spells it when it has it. */
function underFolder(
  p: ParsedPath,
  ctx: ResolveContext,
): { path: string; indexed: boolean; folder: string } | undefined {
  const c = containingFolder(p, ctx.folders);
  if (!c) return undefined;
  const joined = joinUnderFolder(c.folder.path, p.segments.slice(c.depth));
  const indexed = ctx.fileIndex.get(joined);
  return { path: indexed ?? joined, indexed: indexed !== undefined, folder: c.folder.name };
}

/** Suffix matches for `query`: the longest tier, if it is long enough to trust. */
function bySuffix(query: string, ctx: ResolveContext, prefer: WorkspaceFolderInfo | undefined): Resolution[] {
  const q = parsePath(query, false);
  if (!q.ok || q.value.segments.length === 0) return [];
  const matches = ctx.fileIndex.matchBySuffix(query, prefer?.path);
  const top = matches[0];
  // One shared base name (`index.ts`) is too weak when the query says more than that.
  if (!top || top.segments < Math.min(2, q.value.segments.length)) return [];
  const tier = matches.filter((m) => m.segments === top.segments && isInsideWorkspace(m.path, ctx.folders));
  const folders = new Set(tier.map((m) => folderName(m.path, ctx)));
  return tier.slice(0, MAX_ALTERNATIVES).map((m) => {
    const suffix = q.value.segments.slice(-m.segments).join('/');
    const folder = folderName(m.path, ctx);
    const how: PathMapping = { kind: 'suffix', suffix, segments: m.segments, folder };
    if (prefer && folders.size > 1 && folder === prefer.name && ctx.serviceName !== undefined) {
      how.preferredFor = ctx.serviceName;
    }
    return { path: m.path, how };
  });
}

/** Maps one location into the workspace; `outside` when it is an absolute path nothing brought in. */
function resolveLocation(
  loc: Location,
  ctx: ResolveContext,
  prefer: WorkspaceFolderInfo | undefined,
): { found: Resolution[]; outside: boolean; refused?: string } {
  const checked = checkCandidatePath(loc.raw);
  if (!checked.ok)
    return { found: [], outside: false, ...(checked.system ? { refused: checked.reason } : {}) };
  const parsed = parsePath(checked.path, false);
  if (!parsed.ok) return { found: [], outside: false };
  const p = parsed.value;
  const queries =
    loc.suffixHint && !loc.library ? [loc.suffixHint, checked.path] : [loc.suffixHint ?? checked.path];

  if (p.kind === 'relative') {
    const ordered = prefer ? [prefer, ...ctx.folders.filter((f) => f !== prefer)] : ctx.folders;
    const found: Resolution[] = [];
    for (const folder of ordered) {
      const hit = ctx.fileIndex.get(joinUnderFolder(folder.path, p.segments));
      if (hit !== undefined && isInsideWorkspace(hit, ctx.folders)) {
        found.push({ path: hit, how: { kind: 'relative', folder: folder.name } });
      }
    }
    for (const q of queries) {
      if (found.length > 0) break;
      found.push(...bySuffix(q, ctx, prefer));
    }
    return { found, outside: false };
  }

  // (1) An explicit mapping to a file the index knows.
  let mappedElsewhere: Resolution | undefined;
  const mapping = applyMapping(p, ctx);
  if (mapping) {
    const under = underFolder(mapping.mapped, ctx);
    const how = { kind: 'mapped', from: mapping.from, to: mapping.to } as const;
    if (under?.indexed)
      return { found: [{ path: under.path, how: { ...how, indexed: true } }], outside: false };
    if (under) mappedElsewhere = { path: under.path, how: { ...how, indexed: false } };
  }
  // (2) Already a workspace path (local runs).
  const direct = underFolder(p, ctx);
  if (direct) {
    return {
      found: [{ path: direct.path, how: { kind: 'inside', folder: direct.folder } }],
      outside: false,
    };
  }
  // (3) The longest path suffix shared with a workspace file.
  for (const q of queries) {
    const found = bySuffix(q, ctx, prefer);
    if (found.length > 0) return { found, outside: false };
  }
  // (4) The mapping's target even though the index does not list it (it may exclude the file).
  if (mappedElsewhere) return { found: [mappedElsewhere], outside: false };
  return { found: [], outside: true };
}

/** The place as the trace wrote it: `/app/src/a.ts:12:3`. */
function written(loc: Location): string {
  let where = loc.raw;
  if (loc.line !== undefined) where += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) where += `:${loc.column}`;
  return where;
}

/** Turns stack frames into locations, ranking user and library frames separately. */
function frameLocations(
  frames: readonly StackFrame[],
  origin: Location['origin'],
  labelPrefix: string,
  counters: { user: number; library: number },
): Location[] {
  const out: Location[] = [];
  frames.forEach((f, i) => {
    if (f.file === '') return;
    const loc: Location = {
      raw: f.file,
      library: f.library,
      label: `${labelPrefix} frame ${i + 1}`,
      origin,
      rank: f.library ? counters.library++ : counters.user++,
    };
    if (f.line !== undefined) loc.line = f.line;
    if (f.column !== undefined) loc.column = f.column;
    if (f.functionName !== undefined) loc.functionName = f.functionName;
    if (f.suffixHint !== undefined) loc.suffixHint = f.suffixHint;
    out.push(loc);
  });
  return out;
}

/** Sort key: user before library, then origin, then frame position, then alternative. */
function scoreOf(key: readonly number[]): number {
  const [tier = 0, origin = 0, rank = 0, alt = 0] = key;
  if (tier >= 2) return 10;
  return 1000 - tier * 400 - origin * 100 - Math.min(rank, 19) * 4 - Math.min(alt, 3);
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function analyse(
  attributes: readonly Attribute[],
  events: readonly SpanEvent[],
  ctx: ResolveContext,
): Analysis {
  const prefer = preferredFolder(ctx);
  const locations: Location[] = [];

  const file = firstOf(attributes, ['code.file.path', 'code.filepath'], stringAttr);
  const line = firstOf(attributes, ['code.line.number', 'code.lineno'], intAttr);
  const column = firstOf(attributes, ['code.column.number', 'code.column'], intAttr);
  const fn = functionAttr(attributes);
  if (file) {
    const loc: Location = {
      raw: file.value,
      library: isLibraryPath(file.value),
      label: file.key,
      origin: 'code-attributes',
      rank: 0,
    };
    if (line) loc.line = line.value;
    if (line && column) loc.column = column.value;
    if (fn) loc.functionName = fn.value;
    locations.push(loc);
  }

  const codeStack = stringAttr(attributes, 'code.stacktrace');
  if (codeStack !== undefined) {
    locations.push(
      ...frameLocations(parseStackTrace(codeStack), 'code.stacktrace', 'code.stacktrace', {
        user: 0,
        library: 0,
      }),
    );
  }

  const exceptionCounters = { user: 0, library: 0 };
  const exceptions = events.filter((e) => e.name === 'exception');
  exceptions.forEach((e, k) => {
    const text = stringAttr(e.attributes, 'exception.stacktrace');
    if (text === undefined) return;
    const prefix = exceptions.length > 1 ? `exception.stacktrace (event ${k + 1})` : 'exception.stacktrace';
    locations.push(
      ...frameLocations(parseStackTrace(text), 'exception.stacktrace', prefix, exceptionCounters),
    );
  });

  const ranked: Ranked[] = [];
  const outside: Analysis['outside'] = [];
  const refused: Analysis['refused'] = [];
  let fileAttrResolved = false;
  for (const loc of locations) {
    const base = [loc.library ? 1 : 0, ORIGIN_RANK[loc.origin], loc.rank];
    const { found, outside: isOutside, refused: why } = resolveLocation(loc, ctx, prefer);
    if (isOutside) outside.push({ raw: loc.raw, key: base });
    if (why !== undefined) refused.push({ raw: loc.raw, reason: why, key: base });
    found.forEach((r, alt) => {
      if (!isInsideWorkspace(r.path, ctx.folders)) return; // never hand out a path outside the folders
      if (loc.origin === 'code-attributes') fileAttrResolved = true;
      const why: CandidateWhy = { via: loc.label, written: written(loc), mapping: r.how };
      if (loc.line === undefined) why.noLine = true;
      const candidate: SourceCandidate = {
        path: r.path,
        line: loc.line ?? 1,
        reason: `${why.via} ${why.written} ${howText(r.how)}${why.noLine ? ' (no line number: line 1)' : ''}`,
        why,
        origin: loc.origin,
        score: 0,
        userCode: !loc.library,
      };
      if (loc.column !== undefined) candidate.column = loc.column;
      if (loc.functionName !== undefined) candidate.functionName = loc.functionName;
      ranked.push({ candidate, key: [...base, alt] });
    });
  }

  // (Last resort) a function name without a usable file: the host runs a workspace symbol search.
  if (fn && !fileAttrResolved) {
    const why = file
      ? `${fn.key} ${fn.value}: ${file.key} ${file.value} is not in the workspace, search workspace symbols`
      : `${fn.key} ${fn.value} names no file: search workspace symbols`;
    ranked.push({
      candidate: {
        path: '',
        line: 0,
        functionName: fn.value,
        reason: why,
        ...(file ? { why: { via: file.key, written: file.value } } : {}),
        origin: 'symbol',
        score: 0,
        userCode: true,
      },
      key: [2, 0, 0, 0],
    });
  }
  return { ranked, outside, refused };
}

/** Dedup key: the same file and line from two sources is one candidate. */
function candidateKey(c: SourceCandidate): string {
  if (c.origin === 'symbol') return `symbol:${c.functionName ?? ''}`;
  const p = parsePath(c.path, true);
  const norm = p.ok ? p.value.root + '/' + p.value.segments.join('/') : c.path;
  return `${p.ok && p.value.kind !== 'posix' ? norm.toLowerCase() : norm}:${c.line}`;
}

/**
 * Ranked places in the workspace for a span, best first and de-duplicated: user code before
 * library code; within that, `code.*` attributes, then `code.stacktrace`, then exception stack
 * traces, each top frame first; a `symbol` candidate (path '', line 0) last when the span names
 * a function but no file that resolves. Only paths inside `ctx.folders` are returned.
 */
export function resolveSpanSource(
  attributes: Attribute[],
  events: SpanEvent[],
  ctx: ResolveContext,
): SourceCandidate[] {
  const { ranked } = analyse(attributes, events, ctx);
  ranked.sort((a, b) => compareKeys(a.key, b.key));
  const seen = new Map<string, SourceCandidate>();
  const out: SourceCandidate[] = [];
  for (const r of ranked) {
    const key = candidateKey(r.candidate);
    const kept = seen.get(key);
    if (kept) {
      // Keep the better-ranked one, but let a later source fill in what it lacks.
      if (kept.column === undefined && r.candidate.column !== undefined) kept.column = r.candidate.column;
      if (kept.functionName === undefined && r.candidate.functionName !== undefined) {
        kept.functionName = r.candidate.functionName;
      }
      continue;
    }
    const c = { ...r.candidate, score: scoreOf(r.key) };
    seen.set(key, c);
    out.push(c);
  }
  return out;
}

/**
 * The absolute paths the span names that nothing brings inside the workspace, as written in the
 * trace (each passed `checkCandidatePath`; UNC, `..` escapes and other schemes never appear),
 * in rank order and de-duplicated: for the host's "open anyway?" prompt.
 */
export function outsideWorkspace(
  attributes: Attribute[],
  events: SpanEvent[],
  ctx: ResolveContext,
): string[] {
  const { outside } = analyse(attributes, events, ctx);
  outside.sort((a, b) => compareKeys(a.key, b.key));
  return [...new Set(outside.map((o) => o.raw))];
}

/** A path the span names that is never opened, and why. */
export interface RefusedPath {
  /** As written in the trace. */
  path: string;
  reason: string;
}

/**
 * The system paths the span names (`/proc/self/environ`, `/dev/…`, Windows device names), which
 * no mapping or prompt ever opens, in rank order and de-duplicated: so the host can say why
 * nothing was opened.
 */
export function refusedPaths(
  attributes: Attribute[],
  events: SpanEvent[],
  ctx: ResolveContext,
): RefusedPath[] {
  const { refused } = analyse(attributes, events, ctx);
  refused.sort((a, b) => compareKeys(a.key, b.key));
  const seen = new Set<string>();
  const out: RefusedPath[] = [];
  for (const r of refused) {
    if (seen.has(r.raw)) continue;
    seen.add(r.raw);
    out.push({ path: r.raw, reason: r.reason });
  }
  return out;
}
