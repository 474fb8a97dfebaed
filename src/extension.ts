import * as vscode from 'vscode';
import { Config } from './host/config';
import { createLog } from './host/log';
import { TraceService } from './host/traceService';
import { registerHover } from './host/hover';
import { TRACE_VIEW_TYPE, TracePanels } from './host/tracePanel';
import { registerCommands } from './host/commands';
import { RecentTraces } from './host/recentTraces';
import { registerLinks } from './host/links';
import { TraceIdDecorations } from './host/decorations';
import { registerTerminalLinks } from './host/terminalLinks';
import { registerDebugTracker } from './host/debugTracker';
import { registerUriHandler } from './host/uriHandler';
import { Credentials } from './host/credentials';
import { WorkspaceIndex } from './host/source/workspaceIndex';
import { SourceNavigator } from './host/source/goToSource';
import { TraceOverlay } from './host/source/overlay';
import { FunctionLenses } from './host/source/codeLens';
import { TraceSearchView } from './host/source/searchView';
import { sourceCommandHandlers } from './host/source/commands';
import { registerLmTools } from './host/lmTools';
import { SpanLogFinder } from './host/spanLogs';
import type { LoadedTrace } from './host/traceService';
import { redactUrl } from './core/backends';
import * as notify from './host/notify';
import { notices } from './core/notices';
import { createLocal, localCommandHandlers } from './host/local';
import { loadCoreTranslations } from './host/l10n';

/** What the extension exposes to other extensions and to the in-host test tier. */
export interface TraceLensApi {
  recentTraces(): ReadonlyArray<{ traceId: string; source: string; summary?: string }>;
  openTraceIds(): string[];
  /** Lines the trace overlay hints (1-based), with the hint text; `selected`: the panel's selected span's line. */
  overlayLines(): Array<{ path: string; line: number; text: string; selected: boolean }>;
  /** CodeLens titles Trace Lens shows in a document (fetching what is missing). */
  codeLensTitles(uri: string): Promise<string[]>;
  /** The local receiver as its status bar item shows it, once its pending start or stop is done. */
  localReceiver(): Promise<{
    state: string;
    text: string;
    role?: string;
    otlpHttpUrl?: string;
    queryUrl?: string;
    problems: readonly string[];
    stats?: { traces: number; spans: number };
    storeDir: string;
  }>;
  /** The rows the Live view shows (fetching them if it has not yet). */
  liveRows(): ReadonlyArray<{ traceId: string; label: string; description: string }>;
}

/** Closes the receiver when the window closes, so another window takes over at once. */
let closeLocal: (() => Promise<void>) | undefined;

/** Wires the services and contributions; each lives in its own file under `host/`. */
export function activate(context: vscode.ExtensionContext): TraceLensApi {
  // Before anything words a sentence: the core's messages come from the same bundle as the host's.
  loadCoreTranslations();
  const log = createLog();
  try {
    // A remote's machine settings (code-server, SSH, containers) sit beside its user data:
    // <data>/User/globalStorage/<extension> → <data>/Machine/settings.json. A local window has none.
    const config = new Config(
      vscode.Uri.joinPath(context.globalStorageUri, '..', '..', '..', 'Machine', 'settings.json').fsPath,
    );
    const credentials = new Credentials(context.secrets);
    const local = createLocal(context, config, log);
    closeLocal = () => local.receiver.close();
    const traces = new TraceService(config, credentials, log, local.traces);
    const recent = new RecentTraces(context.workspaceState, traces);
    traces.onDidLoad((traceId) => recent.noteLoaded(traceId));
    // The store's log records of a span, for a trace the store served (the span details' Logs
    // section and traceLens_getSpan).
    const storeLogs = async (loaded: LoadedTrace, spanId: string) =>
      loaded.fromLocalStore ? local.receiver.logs(loaded.decoded.model.traceId, spanId) : undefined;
    const panels = new TracePanels(
      traces,
      context.extensionUri,
      log,
      config,
      context.workspaceState,
      new SpanLogFinder({ storeLogs, log }),
    );
    const sourceIndex = new WorkspaceIndex(log);
    const navigator = new SourceNavigator(sourceIndex, log);
    const overlay = new TraceOverlay(panels, navigator, sourceIndex, context.extensionUri, log);
    const lenses = new FunctionLenses(traces, log);
    const search = new TraceSearchView(traces, context.globalState, log, context.extensionUri);
    const { live, statusBar } = local.show();
    // The first local traces make the local store what CodeLens asks (when no backend was chosen);
    // a store that starts, stops or moves to another window's query port is another backend.
    let held = local.receiver.holdsTraces();
    let served = local.receiver.backend();
    const lensesFollowStore = local.receiver.onDidChange(() => {
      const holds = local.receiver.holdsTraces();
      const backend = local.receiver.backend();
      if (holds === held && backend === served) return;
      held = holds;
      served = backend;
      lenses.queryBackendChanged();
    });
    // "Search In…" chose another backend: no lens may keep the previous one's figures.
    const lensesFollowChoice = local.choice.onDidChange(() => lenses.queryBackendChanged());
    // Spans arrived (here or in the window that owns the store), or the store was cleared.
    const lensesFollowData = local.receiver.onDidReceive(() => {
      const backend = local.receiver.backend();
      if (backend) lenses.backendDataChanged(backend);
    });
    context.subscriptions.push(
      log,
      config,
      local,
      traces,
      recent,
      panels,
      sourceIndex,
      navigator,
      overlay,
      lenses,
      lensesFollowStore,
      lensesFollowChoice,
      lensesFollowData,
      search,
      registerHover(traces, recent, config),
      registerLinks(config),
      new TraceIdDecorations(config),
      registerTerminalLinks(config),
      registerDebugTracker(recent, config),
      registerUriHandler(),
      registerLmTools({ traces, recent, sourceIndex, log, storeLogs }),
      registerCommands({
        panels,
        recent,
        config,
        log,
        traces,
        credentials,
        source: sourceCommandHandlers({ panels, traces, navigator, overlay, lenses, search, log }),
        local: localCommandHandlers({ receiver: local.receiver, live, choice: local.choice, traces, log }),
      }),
      vscode.window.registerTreeDataProvider('traceLens.recent', recent),
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, panels.serializer()),
    );
    // The URL may carry user:password; the log never does.
    log.info(`Trace Lens activated; Tempo at ${redactUrl(config.tempoUrl)}`);
    return {
      recentTraces: () => recent.list(),
      openTraceIds: () => panels.openTraceIds,
      overlayLines: () => overlay.lines(),
      codeLensTitles: (uri) => lenses.titles(uri),
      localReceiver: async () => {
        await local.receiver.settled();
        const v = local.receiver.view();
        const shown = statusBar.shown;
        return {
          state: shown?.state ?? 'off',
          text: shown?.text ?? '',
          problems: v.problems ?? [],
          storeDir: local.receiver.storeDir,
          ...(v.role ? { role: v.role } : {}),
          ...(v.otlpHttpUrl ? { otlpHttpUrl: v.otlpHttpUrl } : {}),
          ...(v.queryUrl ? { queryUrl: v.queryUrl } : {}),
          ...(v.stats ? { stats: v.stats } : {}),
        };
      },
      liveRows: () => live.rows(),
    };
  } catch (err) {
    // Surface activation failures instead of leaving a silently dead extension.
    log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    notify.errorWithLog(log, notices.startFailed(err instanceof Error ? err.message : String(err)));
    throw err;
  }
}

/** Waits for the receiver to close (VS Code gives it a few seconds), releasing the store's lock. */
export function deactivate(): Promise<void> | undefined {
  return closeLocal?.();
}
