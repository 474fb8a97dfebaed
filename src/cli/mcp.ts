/**
 * `trace-lens mcp`: the agent tools as a Model Context Protocol server over standard input and
 * output, for agents outside VS Code. Same core, same answers as the language-model tools
 * (`core/agent`): `get_trace`, `get_span`, `search_traces`, `compare_traces`, over a store folder
 * read directly (`--store`, see `storeRead.ts`) or a backend chosen in `backendOptions.ts`.
 *
 * Standard output carries the protocol only; notes go to standard error. A tool that fails answers
 * with `isError` and a sentence; the server itself stops only when its input closes.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import {
  backendLabel,
  MCP_TOOL_NAMES,
  mcpToolSpecs,
  runCompareTraces,
  runGetSpan,
  runGetTrace,
  runSearchTraces,
  type AgentBackend,
  type AgentContext,
  type ToolAnswer,
} from '../core/agent';
import { FileIndex, type ResolveContext } from '../core/source';
import { version as VERSION } from '../../package.json';
import {
  BACKEND_NOTES,
  BACKEND_OPTIONS,
  chooseBackend,
  oneSource,
  type BackendValues,
} from './backendOptions';
import { CliError, EXIT, defineCommand, type CliContext } from './command';
import { readJsonc, settingsFiles, type SettingsFile } from './settings';
import { storeAgentSource } from './storeRead';

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
      parsed = readJsonc(readFileSync(file.path, 'utf8'));
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

/** The workspace for source mapping, indexed on first use. */
function workspaceOf(
  folder: string | undefined,
  trust: boolean,
  ctx: CliContext,
): (() => Promise<ResolveContext>) | undefined {
  if (folder === undefined) return undefined;
  let dir: string;
  try {
    dir = realpathSync(resolve(ctx.cwd, folder));
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    throw new CliError(EXIT.usage, `--workspace ${folder}: ${why}`);
  }
  const mappings = pathMappings(settingsFiles(dir, ctx.env), trust);
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

/** Where the tools read traces: a backend or a store folder, how answers name it, and its loader. */
export interface McpSource {
  backend: AgentBackend;
  label: string;
  /** Loads a trace with more than the backend gives (the store: the logs of its spans). */
  loadTrace?: AgentContext['loadTrace'];
}

/** The MCP server over `source`, not yet connected. */
export function createMcpServer(
  { backend, label, loadTrace }: McpSource,
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
          ...(loadTrace ? { loadTrace } : {}),
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

const OPTIONS = {
  ...BACKEND_OPTIONS,
  store: { type: 'string' },
  format: { type: 'string' },
  workspace: { type: 'string' },
} as const;

/** The source `values` name: a store folder read directly, or a backend by `show`'s rules. */
function sourceOf(values: BackendValues & { store?: string }, ctx: CliContext): McpSource {
  oneSource(values);
  if (values.store !== undefined) {
    const store = storeAgentSource(resolve(ctx.cwd, values.store));
    return { backend: store.backend, label: store.backend.name, loadTrace: store.loadTrace };
  }
  const { backend, config } = chooseBackend(values, ctx);
  return { backend, label: backendLabel(config) };
}

/** The streams the protocol runs over (the process's own unless given). */
export interface McpStreams {
  stdin?: Readable;
  stdout?: Writable;
}

/** Serves `source` over stdio until the input closes. */
export async function serveMcp(
  source: McpSource,
  workspace: (() => Promise<ResolveContext>) | undefined,
  ctx: Pick<CliContext, 'note'>,
  streams: McpStreams = {},
  version: string = VERSION,
): Promise<void> {
  const server = createMcpServer(source, workspace, version);
  const transport = new StdioServerTransport(streams.stdin, streams.stdout);
  const closed = new Promise<void>((done) => {
    server.onclose = () => done();
    // The transport does not notice the end of its input; the server is done when the client is gone.
    (streams.stdin ?? process.stdin).once('end', () => void server.close());
  });
  server.onerror = (err) => ctx.note(`trace-lens mcp: ${err.message}`);
  await server.connect(transport);
  ctx.note(
    `trace-lens mcp: serving ${Object.keys(RUNNERS).join(', ')} over stdio; traces from ${source.label}${workspace ? '' : ' (no --workspace: code places as recorded)'}`,
  );
  await closed;
}

/**
 * `mcp`: serves until its input closes. Bad flags or settings end it at once with a message on
 * standard error (exit 2), before anything is served; standard output is the protocol's.
 */
export const mcpCommand = defineCommand({
  name: 'mcp',
  usage: `  trace-lens mcp [--store DIR | --tempo URL | --backend NAME [--trust-workspace-settings]]
                 [--tenant ID] [--token-env VAR] [--format json|proto] [--workspace DIR]
      Serve get_trace, get_span, search_traces and compare_traces to an agent as an MCP server
      over standard input and output. --store reads a local store folder directly (see receive),
      and get_span then lists the span's log records too. --workspace maps the code that spans
      name to files of DIR (file:line in the answers), with traceLens.pathMappings from your
      settings, and from DIR's own only with --trust-workspace-settings.`,
  notes: BACKEND_NOTES,
  options: OPTIONS,
  async run({ positionals, values }, ctx) {
    if (positionals.length > 0) throw new CliError(EXIT.usage, 'mcp takes no arguments, only options');
    const source = sourceOf(values, ctx);
    const workspace = workspaceOf(values.workspace, values['trust-workspace-settings'] === true, ctx);
    await serveMcp(source, workspace, ctx);
    return EXIT.ok;
  },
});
