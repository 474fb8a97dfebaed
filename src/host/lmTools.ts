import * as vscode from 'vscode';
import {
  backendLabel,
  errorAnswer,
  invocationMessage,
  LM_TOOL_NAMES,
  noBackendAnswer,
  runCompareTraces,
  runFunctionStats,
  runGetSpan,
  runGetTrace,
  runRecentTraces,
  runSearchTraces,
  shownBackendLabel,
  type AgentContext,
  type RecentEntry,
  type ToolAnswer,
} from '../core/agent';
import type { RecentSource, RecentTraces } from './recentTraces';
import type { StoredLog } from '../core/store';
import type { LoadedTrace, TraceService } from './traceService';
import type { WorkspaceIndex } from './source/workspaceIndex';
import { functionAt, workspaceFile } from './agent/symbols';

/** What the tools need from the rest of the extension. */
export interface LmToolDeps {
  traces: TraceService;
  recent: RecentTraces;
  sourceIndex: WorkspaceIndex;
  log: vscode.LogOutputChannel;
  /**
   * The local store's log records of a span of `loaded`, when the local store served that trace
   * (undefined for a trace from any other backend): `traceLens_getSpan` lists them with the span's
   * events, as `trace-lens mcp --store` does. The extension passes the local receiver's
   * (`LocalReceiver.logs`, read with `traceLogs` of `core/store`).
   */
  storeLogs?(loaded: LoadedTrace, spanId: string): Promise<readonly StoredLog[] | undefined>;
}

type Input = Record<string, unknown>;

/**
 * Where a recent ID was seen, as "seen in …" reads. English: it is part of an answer, which the
 * model reads (see core/agent/run.ts); only what a person reads in the chat is localized.
 */
const SEEN_IN: Record<RecentSource, string> = {
  terminal: 'the terminal',
  debug: 'debug output',
  hover: 'a hover',
  opened: 'the trace panel',
  editor: 'an editor',
};

function str(input: unknown, key: string): string | undefined {
  const v = (input as Input | undefined)?.[key];
  return typeof v === 'string' ? v : undefined;
}

function result(answer: ToolAnswer): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(answer.text)]);
}

/**
 * The language-model tools (`contributes.languageModelTools`): the agent core's answers over the
 * configured backend, the workspace for `file:line`, and the Recent Traces list. Read-only; each
 * says in its progress message which backend it asks.
 */
export function registerLmTools(deps: LmToolDeps): vscode.Disposable {
  const { traces, recent, sourceIndex, log } = deps;
  const storeLogs = deps.storeLogs?.bind(deps);
  if (typeof vscode.lm?.registerTool !== 'function') {
    log.info('language-model tools: this VS Code has no vscode.lm.registerTool; not registered');
    return new vscode.Disposable(() => undefined);
  }

  /** The backend's label for the progress message a person reads, or why there is none. */
  const label = async (): Promise<string> => {
    try {
      return shownBackendLabel((await traces.getBackend()).config);
    } catch {
      return vscode.l10n.t('the configured backend');
    }
  };

  /** Runs one tool with the backend, workspace and cancellation of this call. */
  const invoke = async (
    name: string,
    options: vscode.LanguageModelToolInvocationOptions<unknown>,
    token: vscode.CancellationToken,
    run: (ctx: AgentContext) => Promise<ToolAnswer>,
  ): Promise<vscode.LanguageModelToolResult> => {
    const abort = new AbortController();
    const cancel = token.onCancellationRequested(() => abort.abort());
    const started = Date.now();
    let built: Awaited<ReturnType<TraceService['getBackend']>>;
    try {
      built = await traces.getBackend();
    } catch (err) {
      // A settings problem: no backend could be built, so nothing was asked.
      const why = err instanceof Error ? err.message : String(err);
      log.warn(`${name}: ${why}`);
      cancel.dispose();
      return result(noBackendAnswer(why));
    }
    try {
      const { backend, config } = built;
      const budget = options.tokenizationOptions?.tokenBudget;
      const configured = backendLabel(config);
      const ctx: AgentContext = {
        backend,
        label: configured,
        loadTrace: async (traceId, signal) => {
          const loaded = await traces.load(traceId, signal);
          // The local store is asked first, other configured backends after the default: the
          // answer names the one that had the trace, not the default the tools were given.
          return {
            decoded: loaded.decoded,
            source:
              loaded.backendName === backend.name && !loaded.fromLocalStore ? configured : loaded.backendName,
            ...(loaded.partialMessage !== undefined ? { partialMessage: loaded.partialMessage } : {}),
            ...(storeLogs
              ? { spanLogs: async (spanId: string) => (await storeLogs(loaded, spanId)) ?? [] }
              : {}),
          };
        },
        workspace: () => sourceIndex.context(),
        names: LM_TOOL_NAMES,
        signal: abort.signal,
        ...(budget !== undefined && budget > 0 ? { maxTokens: budget } : {}),
      };
      const answer = await run(ctx);
      log.info(
        `${name}: ${answer.isError ? 'error' : 'answered'} in ${Date.now() - started} ms (${answer.text.length} chars)`,
      );
      return result(answer);
    } catch (err) {
      // The runners answer their own failures; this is the last line, never a thrown tool.
      return result(errorAnswer(err, { backend: built.backend, label: backendLabel(built.config) }));
    } finally {
      cancel.dispose();
    }
  };

  const runners: Record<string, (input: unknown, ctx: AgentContext) => Promise<ToolAnswer>> = {
    [LM_TOOL_NAMES.getTrace]: runGetTrace,
    [LM_TOOL_NAMES.getSpan]: runGetSpan,
    [LM_TOOL_NAMES.searchTraces]: runSearchTraces,
    [LM_TOOL_NAMES.compareTraces]: runCompareTraces,
    [LM_TOOL_NAMES.functionStats]: (input, ctx) => {
      // An absolute path inside the workspace is as good as a relative one.
      const file = str(input, 'file');
      const uri = file !== undefined && /^(?:\/|[A-Za-z]:[\\/])/.test(file) ? workspaceFile(file) : undefined;
      const fixed = uri ? { ...(input as Input), file: vscode.workspace.asRelativePath(uri, false) } : input;
      return runFunctionStats(fixed, ctx, (f, line) =>
        functionAt(f, line, (path) => sourceIndex.check(path)),
      );
    },
  };

  const disposables: vscode.Disposable[] = [];
  // The names, not the specs: the descriptions and schemas reach VS Code from package.json.
  for (const [key, name] of Object.entries(LM_TOOL_NAMES) as Array<[keyof typeof LM_TOOL_NAMES, string]>) {
    const tool: vscode.LanguageModelTool<unknown> = {
      prepareInvocation: async (options) => ({
        invocationMessage: new vscode.MarkdownString(invocationMessage(key, options.input, await label())),
      }),
      invoke: async (options, token) => {
        if (name === LM_TOOL_NAMES.recentTraces) {
          const entries: RecentEntry[] = recent.list().map((e) => ({
            traceId: e.traceId,
            ...(e.spanId ? { spanId: e.spanId } : {}),
            where: SEEN_IN[e.source] ?? 'the workspace',
            seenAtMs: e.seenAt,
            ...(e.summary ? { summary: e.summary } : {}),
            ...(e.error ? { failed: true } : {}),
          }));
          const budget = options.tokenizationOptions?.tokenBudget;
          return result(
            runRecentTraces(options.input, entries, {
              names: LM_TOOL_NAMES,
              ...(budget !== undefined && budget > 0 ? { maxTokens: budget } : {}),
            }),
          );
        }
        return invoke(name, options, token, (ctx) => runners[name]!(options.input, ctx));
      },
    };
    disposables.push(vscode.lm.registerTool(name, tool));
  }
  log.info(`language-model tools: ${disposables.length} registered`);
  return vscode.Disposable.from(...disposables);
}
