/**
 * `trace-lens show`: a trace's summary, fetched by ID from a backend (chosen in
 * `backendOptions.ts`), read from a local store folder (`--store`) or from a file, as a text tree
 * followed by the model's warnings, or one JSON object (with them too).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { summarize } from '../core/analysis';
import { BackendError } from '../core/backends';
import { normalizeTraceId } from '../core/ids';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '../core/decode';
import { spanIdAt } from '../shared/model';
import { CliError, EXIT, defineCommand, type CliArgs, type CliContext } from './command';
import { BACKEND_NOTES, BACKEND_OPTIONS, backendFrom, oneSource } from './backendOptions';
import { loadTraceFromStore } from './storeRead';
import { renderTree } from './tree';

const OPTIONS = {
  ...BACKEND_OPTIONS,
  format: { type: 'string' },
  file: { type: 'string' },
  store: { type: 'string' },
  json: { type: 'boolean' },
} as const;

type ShowArgs = CliArgs<typeof OPTIONS>;

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

function readTraceFile(path: string, ctx: CliContext): DecodedTrace {
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

async function fetchTrace(traceId: string, args: ShowArgs, ctx: CliContext): Promise<DecodedTrace> {
  const backend = backendFrom(args.values, ctx);
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
async function loadTrace(target: string | undefined, args: ShowArgs, ctx: CliContext): Promise<DecodedTrace> {
  const file = args.values.file;
  if (file !== undefined) {
    if (target !== undefined) throw new CliError(EXIT.usage, 'give a trace ID or --file FILE, not both');
    return readTraceFile(file, ctx);
  }
  if (target === undefined) throw new CliError(EXIT.usage, 'show takes one trace ID or FILE');
  const traceId = normalizeTraceId(target);
  const store = args.values.store;
  if (store !== undefined) {
    if (!traceId) throw new CliError(EXIT.usage, `"${target}" is not a trace ID (1 to 32 hex digits)`);
    oneSource(args.values);
    return loadTraceFromStore(resolve(ctx.cwd, store), traceId);
  }
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

/** One line of terminal text: control characters (a stranger may have written them) become `?`. */
function cleanLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `show`: a summary, as text with a tree (and the model's warnings) or as one JSON object. */
export const showCommand = defineCommand({
  name: 'show',
  usage: `  trace-lens show <traceId> [--backend NAME [--trust-workspace-settings] | --tempo URL]
                  [--tenant ID] [--token-env VAR] [--format json|proto] [--json]
      Summarise a trace fetched from the backend. An argument of 1 to 32 hex digits is always a
      trace ID, even when a file of that name exists.
  trace-lens show <FILE> | --file FILE [--json]
      Summarise a Tempo JSON or protobuf file. FILE needs a path separator or an extension
      (./abc, trace.json); --file reads any name.
  trace-lens show <traceId> --store DIR [--json]
      Summarise a trace read from a local store folder (see receive).`,
  notes: BACKEND_NOTES,
  options: OPTIONS,
  async run(args, ctx) {
    if (args.positionals.length > 1) throw new CliError(EXIT.usage, 'show takes one trace ID or FILE');
    const decoded = await loadTrace(args.positionals[0], args, ctx);
    const model = decoded.model;
    const s = summarize(model);
    if (args.values.json) {
      const ids = (i: number) => spanIdAt(model.columns, i);
      ctx.out(
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
      for (const line of renderTree(model, s, { width: process.stdout.columns ?? 100 })) ctx.out(line);
      // What the decoder noticed (orphans, clock skew, damaged spans): the JSON has them too.
      if (model.warnings.length > 0) ctx.out('');
      for (const w of model.warnings) ctx.out(`warning: ${cleanLine(w)}`);
    }
    return EXIT.ok;
  },
});
