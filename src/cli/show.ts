/**
 * `trace-lens show`: a trace's summary, fetched by ID from a backend or read from a file, as a
 * text tree or one JSON object.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { summarize } from '../core/analysis';
import {
  BackendError,
  createBackend,
  redactUrl,
  type BackendConfig,
  type TraceBackend,
} from '../core/backends';
import { normalizeTraceId } from '../core/ids/detect';
import { decodeTrace, TraceDecodeError, type DecodedTrace } from '../core/model';
import { spanIdAt } from '../shared/model';
import { CliError, EXIT, defineCommand, type CliArgs, type CliContext } from './command';
import { findBackend, settingsFiles, withoutCredentials } from './settings';
import { renderTree } from './tree';

const OPTIONS = {
  tempo: { type: 'string' },
  tenant: { type: 'string' },
  'token-env': { type: 'string' },
  format: { type: 'string' },
  backend: { type: 'string' },
  file: { type: 'string' },
  json: { type: 'boolean' },
  'trust-workspace-settings': { type: 'boolean' },
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

/** The backend `show` fetches from, with a note saying which settings file defined it. */
function backendConfig(args: ShowArgs, ctx: CliContext, hasToken: boolean): BackendConfig {
  const named = args.values.backend;
  if (named && args.values.tempo !== undefined)
    throw new CliError(EXIT.usage, 'use --backend or --tempo, not both');
  if (!named) {
    return {
      name: 'Tempo',
      kind: 'tempo',
      url: args.values.tempo ?? ctx.env.TRACE_LENS_TEMPO_URL ?? 'http://127.0.0.1:3200',
    };
  }
  let found;
  try {
    found = findBackend(named, settingsFiles(ctx.cwd, ctx.env));
  } catch (err) {
    throw new CliError(EXIT.usage, err instanceof Error ? err.message : String(err));
  }
  const { config, file } = found;
  if (file.owner === 'user' || args.values['trust-workspace-settings']) {
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

async function fetchTrace(traceId: string, args: ShowArgs, ctx: CliContext): Promise<DecodedTrace> {
  const format = args.values.format;
  if (format !== undefined && format !== 'json' && format !== 'proto') {
    throw new CliError(EXIT.usage, '--format must be json or proto');
  }
  const tokenEnv = args.values['token-env'];
  let token: string | undefined;
  if (tokenEnv) {
    token = ctx.env[tokenEnv];
    if (!token) throw new CliError(EXIT.usage, `environment variable ${tokenEnv} is empty or not set`);
  }
  const tenant = args.values.tenant;
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
async function loadTrace(target: string | undefined, args: ShowArgs, ctx: CliContext): Promise<DecodedTrace> {
  const file = args.values.file;
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
export const showCommand = defineCommand({
  name: 'show',
  usage: `  trace-lens show <traceId> [--backend NAME [--trust-workspace-settings] | --tempo URL]
                  [--tenant ID] [--token-env VAR] [--format json|proto] [--json]
      Summarise a trace fetched from the backend. An argument of 1 to 32 hex digits is always a
      trace ID, even when a file of that name exists.
  trace-lens show <FILE> | --file FILE [--json]
      Summarise a Tempo JSON or protobuf file. FILE needs a path separator or an extension
      (./abc, trace.json); --file reads any name.`,
  notes: `Backends (--backend NAME) come from traceLens.backends in your own settings first
(TRACE_LENS_SETTINGS, then VS Code's user settings), then from .vscode/settings.json here or
above. A backend only a folder's settings define gets no token, headers or tenant unless you
pass --trust-workspace-settings.`,
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
        }),
      );
    } else {
      for (const line of renderTree(model, s, { width: process.stdout.columns ?? 100 })) ctx.out(line);
    }
    return EXIT.ok;
  },
});
