/**
 * `trace-lens`: the command line face of the core.
 *
 *   trace-lens scan [FILE|-] [--json]
 *   trace-lens show <traceId> [--backend NAME [--trust-workspace-settings] | --tempo URL] [--tenant T]
 *                   [--token-env VAR] [--format json|proto] [--json]
 *   trace-lens show <PATH/FILE.ext> | --file FILE [--json]
 *
 * Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { detectTraceIds, normalizeTraceId } from '../core/ids';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '../core/decode';
import { summarize } from '../core/analysis';
import {
  BackendError,
  createBackend,
  redactUrl,
  type BackendConfig,
  type TraceBackend,
} from '../core/backends';
import { findBackend, settingsFiles, withoutCredentials } from './settings';
import { renderTree } from './tree';
import { spanIdAt } from '../shared/model';

export const EXIT = { ok: 0, notFound: 1, usage: 2, backend: 3 } as const;

/** A failure with the exit code it maps to. */
export class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const USAGE = `Usage:
  trace-lens scan [FILE|-] [--json]
      Print every trace ID in FILE (or standard input) as LINE:COL <traceId>.
  trace-lens show <traceId> [--backend NAME [--trust-workspace-settings] | --tempo URL]
                  [--tenant ID] [--token-env VAR] [--format json|proto] [--json]
      Summarise a trace fetched from the backend. An argument of 1 to 32 hex digits is always a
      trace ID, even when a file of that name exists.
  trace-lens show <FILE> | --file FILE [--json]
      Summarise a Tempo JSON or protobuf file. FILE needs a path separator or an extension
      (./abc, trace.json); --file reads any name.

Backends (--backend NAME) come from traceLens.backends in your own settings first
(TRACE_LENS_SETTINGS, then VS Code's user settings), then from .vscode/settings.json here or
above. A backend only a folder's settings define gets no token, headers or tenant unless you
pass --trust-workspace-settings.

Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.`;

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--tempo', '--tenant', '--token-env', '--format', '--backend', '--file']);
const BOOL_FLAGS = new Set(['--json', '--help', '-h', '--trust-workspace-settings']);

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-' || !a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new CliError(EXIT.usage, `${name} needs a value`);
      flags.set(name, value);
    } else if (BOOL_FLAGS.has(name)) {
      flags.set(name, true);
    } else {
      throw new CliError(EXIT.usage, `unknown option ${name} (see trace-lens --help)`);
    }
  }
  return { positional, flags };
}

function readInput(path: string | undefined, cwd: string): string {
  if (path === undefined || path === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new CliError(
      EXIT.usage,
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

/** `scan`: one line per ID, `LINE:COL traceId` or a JSON object. */
function scan(args: Parsed, out: (s: string) => void, cwd: string): number {
  if (args.positional.length > 1)
    throw new CliError(EXIT.usage, 'scan takes one FILE (or - for standard input)');
  const text = readInput(args.positional[0], cwd);
  const json = args.flags.has('--json');
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    lineNo++;
    const line = text.slice(pos, nl);
    for (const id of detectTraceIds(line)) {
      const column = id.start + 1;
      if (json) {
        out(
          JSON.stringify({
            line: lineNo,
            column,
            traceId: id.traceId,
            ...(id.spanId ? { spanId: id.spanId } : {}),
            format: id.format,
            confidence: id.confidence,
          }),
        );
      } else {
        out(`${lineNo}:${column} ${id.traceId}`);
      }
    }
    if (nl === text.length) break;
    pos = nl + 1;
  }
  return EXIT.ok;
}

/** Where the CLI runs, and the sinks for what it says. */
interface Context {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Notes for the person (standard error), never part of the output. */
  note: (s: string) => void;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path rather than an ID: it has a separator or an extension. */
function looksLikePath(arg: string): boolean {
  return /[\\/]/.test(arg) || extname(arg) !== '';
}

/** The trace ID a file's name gives, if it holds one (`<32 hex>.json`, `trace-<16 hex>.pb`). */
function idInName(path: string): string | undefined {
  const name = basename(path);
  const m = /(?:^|[^0-9a-f])([0-9a-f]{32}|[0-9a-f]{16})(?![0-9a-f])/i.exec(name);
  return m ? normalizeTraceId(m[1]!) : undefined;
}

function readTraceFile(path: string, ctx: Context): DecodedTrace {
  let bytes: Buffer;
  try {
    bytes = readFileSync(resolve(ctx.cwd, path));
  } catch (err) {
    throw new CliError(
      EXIT.usage,
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  let decoded: DecodedTrace;
  try {
    decoded = decodeTrace(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    if (err instanceof TraceDecodeError && err.kind === 'not-found')
      throw new CliError(EXIT.notFound, `${path}: ${err.message}`);
    throw new CliError(EXIT.usage, `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const named = idInName(path);
  if (named && named !== decoded.model.traceId) {
    ctx.note(`trace-lens: note: ${path} holds trace ${decoded.model.traceId}, not ${named} as its name says`);
  }
  return decoded;
}

/** The backend `show` fetches from, with a note saying which settings file defined it. */
function backendConfig(args: Parsed, ctx: Context, hasToken: boolean): BackendConfig {
  const named = args.flags.get('--backend') as string | undefined;
  if (named && args.flags.has('--tempo'))
    throw new CliError(EXIT.usage, 'use --backend or --tempo, not both');
  if (!named) {
    return {
      name: 'Tempo',
      kind: 'tempo',
      url:
        (args.flags.get('--tempo') as string | undefined) ??
        ctx.env.TRACE_LENS_TEMPO_URL ??
        'http://127.0.0.1:3200',
    };
  }
  let found;
  try {
    found = findBackend(named, settingsFiles(ctx.cwd, ctx.env));
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
  const { config, file } = found;
  if (file.owner === 'user' || args.flags.has('--trust-workspace-settings')) {
    ctx.note(`trace-lens: backend "${named}" from ${file.path}`);
    return config;
  }
  // A cloned repository chose this URL: it gets nothing of the user's, and none of its own headers.
  const where = `backend "${named}" is defined only by ${file.path}, a folder's settings, not yours`;
  const how = `define it in TRACE_LENS_SETTINGS or your VS Code user settings, or pass --trust-workspace-settings if you trust this folder`;
  if (hasToken) {
    throw new CliError(
      EXIT.usage,
      `${where}; refusing to send your token to ${redactUrl(config.url)}: ${how}`,
    );
  }
  ctx.note(
    `trace-lens: ${where}; sending no credentials, headers or tenant to ${redactUrl(config.url)} (${how})`,
  );
  return withoutCredentials(config);
}

async function fetchTrace(traceId: string, args: Parsed, ctx: Context): Promise<DecodedTrace> {
  const format = args.flags.get('--format');
  if (format !== undefined && format !== 'json' && format !== 'proto') {
    throw new CliError(EXIT.usage, '--format must be json or proto');
  }
  const tokenEnv = args.flags.get('--token-env') as string | undefined;
  let token: string | undefined;
  if (tokenEnv) {
    token = ctx.env[tokenEnv];
    if (!token) throw new CliError(EXIT.usage, `environment variable ${tokenEnv} is empty or not set`);
  }
  const tenant = args.flags.get('--tenant') as string | undefined;
  let config = backendConfig(args, ctx, token !== undefined);
  if (tenant) config = { ...config, tenant };
  if (format) config = { ...config, format };
  let backend: TraceBackend;
  try {
    backend = createBackend(config, token ? { token } : {}, {
      readFile: async (path) => new Uint8Array(readFileSync(path)),
    });
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
  try {
    const result = await backend.getTrace(traceId);
    return result.decoded;
  } catch (err) {
    if (err instanceof BackendError) {
      throw new CliError(err.kind === 'not-found' ? EXIT.notFound : EXIT.backend, err.message);
    }
    if (err instanceof TraceDecodeError) {
      throw new CliError(err.kind === 'not-found' ? EXIT.notFound : EXIT.backend, err.message);
    }
    throw new CliError(EXIT.backend, err instanceof Error ? err.message : String(err));
  }
}

/**
 * The trace `show` is about. An argument that is a trace ID is fetched, whatever files lie
 * around; a file is read when the argument has a separator or an extension, or with --file.
 */
async function loadTrace(target: string | undefined, args: Parsed, ctx: Context): Promise<DecodedTrace> {
  const file = args.flags.get('--file') as string | undefined;
  if (file !== undefined) {
    if (target !== undefined) throw new CliError(EXIT.usage, 'give a trace ID or --file FILE, not both');
    return readTraceFile(file, ctx);
  }
  if (target === undefined) throw new CliError(EXIT.usage, 'show takes one trace ID or FILE');
  const traceId = normalizeTraceId(target);
  if (traceId) {
    if (isFile(resolve(ctx.cwd, target))) {
      ctx.note(
        `trace-lens: fetching trace ${traceId}; to read the file ${target} instead, use --file ${target}`,
      );
    }
    return fetchTrace(traceId, args, ctx);
  }
  if (looksLikePath(target)) return readTraceFile(target, ctx);
  throw new CliError(
    EXIT.usage,
    isFile(resolve(ctx.cwd, target))
      ? `"${target}" is not a trace ID; to read the file of that name, use --file ${target} or ./${target}`
      : `"${target}" is neither a trace ID (1 to 32 hex digits) nor a file path (with a / or an extension)`,
  );
}

/** `show`: a summary, as text with a tree or as one JSON object. */
async function show(args: Parsed, out: (s: string) => void, ctx: Context): Promise<number> {
  if (args.positional.length > 1) throw new CliError(EXIT.usage, 'show takes one trace ID or FILE');
  const decoded = await loadTrace(args.positional[0], args, ctx);
  const model = decoded.model;
  const s = summarize(model);
  if (args.flags.has('--json')) {
    const ids = (i: number) => spanIdAt(model.columns, i);
    out(
      JSON.stringify({
        traceId: s.traceId,
        rootService: s.rootService,
        rootName: s.rootName,
        durationMs: s.durationNs / 1e6,
        spanCount: s.spanCount,
        services: s.services.map((x) => x.name),
        errorCount: s.errorCount,
        criticalPath: Array.from(s.criticalPath, ids),
        partial: model.partial,
      }),
    );
  } else {
    for (const line of renderTree(model, s, { width: process.stdout.columns ?? 100 })) out(line);
  }
  return EXIT.ok;
}

/**
 * Runs the CLI; returns the exit code. Output and errors go through the given sinks; `where`
 * stands in for the process's folder and environment (tests).
 */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
  where: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const ctx: Context = { cwd: where.cwd ?? process.cwd(), env: where.env ?? process.env, note: err };
  try {
    const args = parseArgs(argv);
    const command = args.positional.shift();
    if (args.flags.has('--help') || args.flags.has('-h') || command === 'help') {
      out(USAGE);
      return EXIT.ok;
    }
    switch (command) {
      case 'scan':
        return scan(args, out, ctx.cwd);
      case 'show':
        return await show(args, out, ctx);
      case undefined:
        err(USAGE);
        return EXIT.usage;
      default:
        throw new CliError(EXIT.usage, `unknown command "${command}" (try scan or show)`);
    }
  } catch (e) {
    if (e instanceof CliError) {
      err(`trace-lens: ${e.message}`);
      return e.code;
    }
    err(`trace-lens: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.backend;
  }
}

if (require.main === module) {
  // `trace-lens show … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
