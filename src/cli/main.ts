/**
 * `trace-lens`: the command line face of the core.
 *
 *   trace-lens scan [FILE|-] [--json]
 *   trace-lens show <traceId|FILE> [--backend NAME | --tempo URL | --store DIR] [--tenant T] [--token-env VAR] [--format json|proto] [--json]
 *   trace-lens search '<TraceQL>' [--store DIR | --tempo URL | --backend NAME] [--since 1h] [--limit N] [--json]   (storeRead.ts)
 *   trace-lens receive [--store DIR] [--http-port N] [--grpc-port N] [--query-port N]                          (receive.ts)
 *
 * Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.
 */
import { readFileSync, statSync } from 'node:fs';
import { detectTraceIds, normalizeTraceId } from '../core/ids/detect';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '../core/model';
import { summarize } from '../core/analysis';
import { BackendError, createBackend, type BackendConfig, type TraceBackend } from '../core/backends';
import { findBackend, settingsFiles } from './settings';
import { renderTree } from './tree';
import { spanIdAt } from '../shared/model';
import { receive } from './receive';
import { loadTraceFromStore, search, StoreCliError } from './storeRead';

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
  trace-lens show <traceId|FILE> [--backend NAME | --tempo URL] [--tenant ID] [--token-env VAR]
                  [--format json|proto] [--json]
      Summarise a trace fetched from Tempo, or read from a Tempo JSON or protobuf file.
      --store DIR reads it from a local store folder (see receive).
  trace-lens search '<TraceQL>' [--store DIR | --tempo URL | --backend NAME] [--since 1h]
                    [--limit N] [--json]
      One matching trace a line; --json prints an array of {traceId, rootService, rootName,
      startTime, durationMs, spanCount, errorCount}.
  trace-lens receive [--store DIR] [--http-port N] [--grpc-port N] [--query-port N] [--bind ADDR]
      Receive OTLP (HTTP 4318, gRPC 4317) into a store folder (default ~/.trace-lens/store) and
      serve it with Tempo's HTTP API (4319) until Ctrl+C. Port 0 means any free port.

Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.`;

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set(['--tempo', '--tenant', '--token-env', '--format', '--backend', '--store']);
const BOOL_FLAGS = new Set(['--json', '--help', '-h']);

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

function readInput(path: string | undefined): string {
  if (path === undefined || path === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(
      EXIT.usage,
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

/** `scan`: one line per ID, `LINE:COL traceId` or a JSON object. */
function scan(args: Parsed, out: (s: string) => void): number {
  if (args.positional.length > 1)
    throw new CliError(EXIT.usage, 'scan takes one FILE (or - for standard input)');
  const text = readInput(args.positional[0]);
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

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

async function loadTrace(target: string, args: Parsed): Promise<DecodedTrace> {
  if (isFile(target)) {
    const bytes = readFileSync(target);
    try {
      return decodeTrace(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (err) {
      if (err instanceof TraceDecodeError && err.kind === 'not-found')
        throw new CliError(EXIT.notFound, `${target}: ${err.message}`);
      throw new CliError(EXIT.usage, `${target}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const traceId = normalizeTraceId(target);
  if (!traceId) {
    throw new CliError(EXIT.usage, `"${target}" is neither a file nor a trace ID (1 to 32 hex digits)`);
  }
  const store = args.flags.get('--store') as string | undefined;
  if (store !== undefined) {
    if (args.flags.has('--tempo') || args.flags.has('--backend'))
      throw new CliError(EXIT.usage, 'use --store, --tempo or --backend, not several');
    try {
      return loadTraceFromStore(store, traceId);
    } catch (e) {
      if (e instanceof StoreCliError) throw new CliError(e.code, e.message);
      throw e;
    }
  }
  const format = args.flags.get('--format');
  if (format !== undefined && format !== 'json' && format !== 'proto') {
    throw new CliError(EXIT.usage, '--format must be json or proto');
  }
  const tokenEnv = args.flags.get('--token-env') as string | undefined;
  let token: string | undefined;
  if (tokenEnv) {
    token = process.env[tokenEnv];
    if (!token) throw new CliError(EXIT.usage, `environment variable ${tokenEnv} is empty or not set`);
  }
  const tenant = args.flags.get('--tenant') as string | undefined;
  const named = args.flags.get('--backend') as string | undefined;
  if (named && args.flags.has('--tempo'))
    throw new CliError(EXIT.usage, 'use --backend or --tempo, not both');
  let config: BackendConfig;
  try {
    config = named
      ? findBackend(named, settingsFiles(process.cwd(), process.env))
      : {
          name: 'Tempo',
          kind: 'tempo',
          url:
            (args.flags.get('--tempo') as string | undefined) ??
            process.env.TRACE_LENS_TEMPO_URL ??
            'http://127.0.0.1:3200',
        };
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
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

/** `show`: a summary, as text with a tree or as one JSON object. */
async function show(args: Parsed, out: (s: string) => void): Promise<number> {
  const target = args.positional[0];
  if (!target || args.positional.length > 1)
    throw new CliError(EXIT.usage, 'show takes one trace ID or FILE');
  const decoded = await loadTrace(target, args);
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
        warnings: model.warnings,
      }),
    );
  } else {
    for (const line of renderTree(model, s, { width: process.stdout.columns ?? 100 })) out(line);
  }
  return EXIT.ok;
}

/** Runs the CLI; returns the exit code. Output and errors go through the given sinks. */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): Promise<number> {
  try {
    // These commands parse their own arguments (node:util parseArgs).
    if (argv[0] === 'receive') return await receive(argv.slice(1), { out, err });
    if (argv[0] === 'search') return await search(argv.slice(1), out);
    const args = parseArgs(argv);
    const command = args.positional.shift();
    if (args.flags.has('--help') || args.flags.has('-h') || command === 'help') {
      out(USAGE);
      return EXIT.ok;
    }
    switch (command) {
      case 'scan':
        return scan(args, out);
      case 'show':
        return await show(args, out);
      case undefined:
        err(USAGE);
        return EXIT.usage;
      default:
        throw new CliError(EXIT.usage, `unknown command "${command}" (try scan, show, search or receive)`);
    }
  } catch (e) {
    if (e instanceof CliError || e instanceof StoreCliError) {
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
