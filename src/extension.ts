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
import { redactUrl } from './core/backends';
import * as notify from './host/notify';
import { notices } from './core/notices';

/** What the extension exposes to other extensions and to the in-host test tier. */
export interface TraceLensApi {
  recentTraces(): ReadonlyArray<{ traceId: string; source: string; summary?: string }>;
  openTraceIds(): string[];
  /** Lines the trace overlay hints (1-based), with the hint text. */
  overlayLines(): Array<{ path: string; line: number; text: string }>;
  /** CodeLens titles Trace Lens shows in a document (fetching what is missing). */
  codeLensTitles(uri: string): Promise<string[]>;
}

/** Wires the services and contributions; each lives in its own file under `host/`. */
export function activate(context: vscode.ExtensionContext): TraceLensApi {
  const log = createLog();
  try {
    const config = new Config();
    const credentials = new Credentials(context.secrets);
    const traces = new TraceService(config, credentials, log);
    const recent = new RecentTraces(context.workspaceState, traces);
    traces.onDidLoad((traceId) => recent.noteLoaded(traceId));
    const panels = new TracePanels(traces, context.extensionUri, log, config);
    const sourceIndex = new WorkspaceIndex(log);
    const navigator = new SourceNavigator(sourceIndex, log);
    const overlay = new TraceOverlay(panels, navigator, sourceIndex, context.extensionUri, log);
    const lenses = new FunctionLenses(traces, log);
    const search = new TraceSearchView(traces, context.globalState, log);
    context.subscriptions.push(
      log,
      config,
      traces,
      recent,
      panels,
      sourceIndex,
      navigator,
      overlay,
      lenses,
      search,
      registerHover(traces, recent, config),
      registerLinks(config),
      new TraceIdDecorations(config),
      registerTerminalLinks(config),
      registerDebugTracker(recent, config),
      registerUriHandler(),
      registerCommands({
        panels,
        recent,
        config,
        log,
        traces,
        credentials,
        source: sourceCommandHandlers({ panels, traces, navigator, overlay, lenses, search, log }),
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
    };
  } catch (err) {
    // Surface activation failures instead of leaving a silently dead extension.
    log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    notify.errorWithLog(log, notices.startFailed(notify.t, err instanceof Error ? err.message : String(err)));
    throw err;
  }
}

export function deactivate(): void {}
