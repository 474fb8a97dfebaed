/**
 * `trace-lens mcp`: the agent tools as a Model Context Protocol server over standard input and
 * output, for agents outside VS Code. Same core, same answers as the language-model tools
 * (`core/agent`): `get_trace`, `get_span`, `search_traces`, `compare_traces`.
 *
 *   trace-lens mcp [--tempo URL | --backend NAME [--trust-workspace-settings] | --store DIR]
 *                  [--tenant ID] [--token-env VAR] [--format json|proto] [--workspace DIR]
 *
 * Standard output carries the protocol only; notes go to standard error. A tool that fails answers
 * with `isError` and a sentence; the server itself stops only when its input closes.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { Readable, Writable } from 'node:stream';
import {
  backendLabel,
  MCP_TOOL_NAMES,
  mcpToolSpecs,
  runCompareTraces,
  runGetSpan,
  runGetTrace,
  runSearchTraces,
  type AgentContext,
  type ToolAnswer,
} from '../core/agent';
import { createBackend, redactUrl, type BackendConfig, type TraceBackend } from '../core/backends';
import { FileIndex, type ResolveContext } from '../core/source';
import { version as VERSION } from '../../package.json';
import { findBackend, settingsFiles, stripJsonc, withoutCredentials, type SettingsFile } from './settings';

/** Exit codes, as `trace-lens` uses them. */
const EXIT = { ok: 0, usage: 2, failed: 3 } as const;

const USAGE = `Usage:
  trace-lens mcp [--tempo URL | --backend NAME [--trust-workspace-settings] | --store DIR]
                 [--tenant ID] [--token-env VAR] [--format json|proto] [--workspace DIR]
      Serve get_trace, get_span, search_traces and compare_traces to an agent over MCP (stdio).
      --workspace maps the code that spans name to files of DIR (file:line in the answers).`;

/** Where the server runs: folder, environment, standard error, and the protocol's streams. */
export interface McpContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  note: (s: string) => void;
  stdin?: Readable;
  stdout?: Writable;
}

class UsageError extends Error {}

/** Folders never indexed for source mapping: dependencies, VCS data and build output. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', 'target', '.venv']);
const MAX_FILES = 200_000;

/** Every regular file under `root` (symlinks not followed), at most `MAX_FILES`. */
function listFiles(root: string): { files: string[]; capped: boolean } {
  const files: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP.has(e.name)) stack.push(join(dir, e.name));
      } else if (e.isFile()) {
        files.push(join(dir, e.name));
        if (files.length >= MAX_FILES) return { files, capped: true };
      }
    }
  }
  return { files, capped: false };
}

/**
 * `traceLens.pathMappings` from the settings files: the user's own, and a folder's only when
 * trusted (a cloned repository must not choose where its traces' paths point).
 */
function pathMappings(files: readonly SettingsFile[], trustFolders: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  // Later files count less: fill in only what earlier ones left open.
  for (const file of files) {
    if (file.owner === 'folder' && !trustFolders) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(stripJsonc(readFileSync(file.path, 'utf8')));
    } catch {
      continue;
    }
    const raw = (parsed as Record<string, unknown> | null)?.['traceLens.pathMappings'];
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
    for (const [from, to] of Object.entries(raw as Record<string, unknown>)) {
      if (typeof to === 'string' && from.trim() !== '' && to.trim() !== '' && !(from in out)) out[from] = to;
    }
  }
  return out;
}

/** What the flags say to serve. */
interface Options {
  tempo?: string;
  backend?: string;
  store?: string;
  tenant?: string;
  tokenEnv?: string;
  format?: string;
  workspace?: string;
  trust: boolean;
  help: boolean;
}

function readOptions(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        tempo: { type: 'string' },
        backend: { type: 'string' },
        store: { type: 'string' },
        tenant: { type: 'string' },
        'token-env': { type: 'string' },
        format: { type: 'string' },
        workspace: { type: 'string' },
        'trust-workspace-settings': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)} (see trace-lens mcp --help)`);
  }
  const o: Options = { trust: values['trust-workspace-settings'] === true, help: values.help === true };
  const strings = {
    tempo: values.tempo,
    backend: values.backend,
    store: values.store,
    tenant: values.tenant,
    tokenEnv: values['token-env'],
    format: values.format,
    workspace: values.workspace,
  };
  for (const [k, v] of Object.entries(strings)) {
    if (v === undefined) continue;
    if (v.trim() === '') throw new UsageError(`--${k === 'tokenEnv' ? 'token-env' : k} needs a value`);
    o[k as Exclude<keyof Options, 'trust' | 'help'>] = v;
  }
  if ([o.tempo, o.backend, o.store].filter((x) => x !== undefined).length > 1) {
    throw new UsageError('use one of --tempo, --backend and --store');
  }
  if (o.format !== undefined && o.format !== 'json' && o.format !== 'proto') {
    throw new UsageError('--format must be json or proto');
  }
  return o;
}

/**
 * The local trace store as a backend. The store (issue 10) lands separately; until then `--store`
 * says so. When it lands, this returns its reader, which speaks the same `TraceBackend`.
 */
function openStore(dir: string): { backend: TraceBackend; label: string } {
  throw new UsageError(
    `--store ${dir}: this build of trace-lens has no local trace store yet; use --tempo URL or --backend NAME`,
  );
}

/** The backend to ask, by the same rules as `trace-lens show` (see settings.ts), and its label. */
function backendOf(o: Options, ctx: McpContext): { backend: TraceBackend; label: string } {
  if (o.store !== undefined) return openStore(resolve(ctx.cwd, o.store));
  let token: string | undefined;
  if (o.tokenEnv !== undefined) {
    token = ctx.env[o.tokenEnv];
    if (!token) throw new UsageError(`environment variable ${o.tokenEnv} is empty or not set`);
  }
  let config: BackendConfig;
  if (o.backend === undefined) {
    config = {
      name: 'Tempo',
      kind: 'tempo',
      url: o.tempo ?? ctx.env.TRACE_LENS_TEMPO_URL ?? 'http://127.0.0.1:3200',
    };
  } else {
    let found;
    try {
      found = findBackend(o.backend, settingsFiles(ctx.cwd, ctx.env));
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    if (found.file.owner === 'user' || o.trust) {
      ctx.note(`trace-lens mcp: backend "${o.backend}" from ${found.file.path}`);
      config = found.config;
    } else {
      // A cloned repository chose this URL: it gets nothing of the user's, and none of its own headers.
      const where = `backend "${o.backend}" is defined only by ${found.file.path}, a folder's settings, not yours`;
      const how =
        'define it in TRACE_LENS_SETTINGS or your VS Code user settings, or pass --trust-workspace-settings if you trust this folder';
      if (token !== undefined) {
        throw new UsageError(
          `${where}; refusing to send your token to ${redactUrl(found.config.url)}: ${how}`,
        );
      }
      ctx.note(
        `trace-lens mcp: ${where}; sending no credentials, headers or tenant to ${redactUrl(found.config.url)} (${how})`,
      );
      config = withoutCredentials(found.config);
    }
  }
  if (o.tenant !== undefined) config = { ...config, tenant: o.tenant };
  if (o.format === 'json' || o.format === 'proto') config = { ...config, format: o.format };
  try {
    const backend = createBackend(config, token ? { token } : {}, {
      readFile: async (path) => new Uint8Array(readFileSync(path)),
    });
    return { backend, label: backendLabel(config) };
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** The workspace for source mapping, indexed on first use. */
function workspaceOf(o: Options, ctx: McpContext): (() => Promise<ResolveContext>) | undefined {
  if (o.workspace === undefined) return undefined;
  let dir: string;
  try {
    dir = realpathSync(resolve(ctx.cwd, o.workspace));
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new UsageError(`--workspace ${o.workspace}: ${why}`);
  }
  const mappings = pathMappings(settingsFiles(dir, ctx.env), o.trust);
  let built: ResolveContext | undefined;
  return async () => {
    if (!built) {
      const started = Date.now();
      const { files, capped } = listFiles(dir);
      ctx.note(
        `trace-lens mcp: indexed ${files.length} files of ${dir} in ${Date.now() - started} ms${capped ? ` (stopped at ${MAX_FILES})` : ''}`,
      );
      built = {
        folders: [{ name: basename(dir), path: dir }],
        pathMappings: mappings,
        fileIndex: new FileIndex(files),
      };
    }
    return built;
  };
}

type Runner = (input: unknown, ctx: AgentContext) => Promise<ToolAnswer>;

const RUNNERS: Record<string, Runner> = {
  [MCP_TOOL_NAMES.getTrace]: runGetTrace,
  [MCP_TOOL_NAMES.getSpan]: runGetSpan,
  [MCP_TOOL_NAMES.searchTraces]: runSearchTraces,
  [MCP_TOOL_NAMES.compareTraces]: runCompareTraces,
};

/** The MCP server over `backend`, not yet connected. */
export function createMcpServer(
  { backend, label }: { backend: TraceBackend; label: string },
  workspace: (() => Promise<ResolveContext>) | undefined,
  version: string,
): Server {
  const server = new Server({ name: 'trace-lens', version }, { capabilities: { tools: {} } });
  const specs = mcpToolSpecs();
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: specs.map((s) => ({
      name: s.mcpName,
      title: s.displayName,
      description: s.modelDescription,
      inputSchema: s.inputSchema,
      annotations: { title: s.displayName, readOnlyHint: true, openWorldHint: true },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const run = Object.prototype.hasOwnProperty.call(RUNNERS, request.params.name)
      ? RUNNERS[request.params.name]
      : undefined;
    let answer: ToolAnswer;
    if (!run) {
      answer = {
        isError: true,
        text: `No tool named ${JSON.stringify(request.params.name.slice(0, 80))}; the tools are ${Object.keys(RUNNERS).join(', ')}.`,
      };
    } else {
      try {
        answer = await run(request.params.arguments ?? {}, {
          backend,
          label,
          ...(workspace ? { workspace } : {}),
          names: MCP_TOOL_NAMES,
          signal: extra.signal,
        });
      } catch (err) {
        // The runners answer every failure themselves; this is the last line, never a crash.
        answer = {
          isError: true,
          text: `Trace Lens failed: ${err instanceof Error ? err.message : String(err)}`,
        };
      }
    }
    return { content: [{ type: 'text' as const, text: answer.text }], isError: answer.isError };
  });
  return server;
}

/**
 * Runs `trace-lens mcp` until its input closes; returns the exit code. Bad flags or settings end
 * it at once with a message on standard error (code 2), before anything is served.
 */
export async function mcp(argv: string[], ctx: McpContext, version: string = VERSION): Promise<number> {
  let backend: { backend: TraceBackend; label: string };
  let workspace: (() => Promise<ResolveContext>) | undefined;
  try {
    const o = readOptions(argv);
    if (o.help) {
      // Nothing is served: standard output is free for the help.
      (ctx.stdout ?? process.stdout).write(`${USAGE}\n`);
      return EXIT.ok;
    }
    backend = backendOf(o, ctx);
    workspace = workspaceOf(o, ctx);
  } catch (err) {
    ctx.note(`trace-lens: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof UsageError ? EXIT.usage : EXIT.failed;
  }
  const server = createMcpServer(backend, workspace, version);
  const transport = new StdioServerTransport(ctx.stdin, ctx.stdout);
  const closed = new Promise<void>((done) => {
    server.onclose = () => done();
    // The transport does not notice the end of its input; the server is done when the client is gone.
    (ctx.stdin ?? process.stdin).once('end', () => void server.close());
  });
  server.onerror = (err) => ctx.note(`trace-lens mcp: ${err.message}`);
  await server.connect(transport);
  ctx.note(
    `trace-lens mcp: serving ${Object.keys(RUNNERS).join(', ')} over stdio; traces from ${backend.label}${workspace ? '' : ' (no --workspace: code places as recorded)'}`,
  );
  await closed;
  return EXIT.ok;
}
