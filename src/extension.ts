import * as vscode from 'vscode';
import { Config } from './host/config';
import { createLog } from './host/log';
import { TraceService } from './host/traceService';
import { registerHover } from './host/hover';
import { TRACE_VIEW_TYPE, TracePanels } from './host/tracePanel';
import { registerCommands } from './host/commands';

/** Wires the services and contributions; each lives in its own file under `host/`. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  try {
    const config = new Config();
    const traces = new TraceService(config, log);
    const panels = new TracePanels(traces, context.extensionUri, log);
    context.subscriptions.push(
      log,
      config,
      traces,
      panels,
      registerHover(traces),
      registerCommands(panels, log),
      vscode.window.registerWebviewPanelSerializer(TRACE_VIEW_TYPE, panels.serializer()),
    );
    log.info(`Trace Lens activated; Tempo at ${config.tempoUrl}`);
  } catch (err) {
    // Surface activation failures instead of leaving a silently dead extension.
    log.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    void vscode.window.showErrorMessage(`Trace Lens failed to start: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

export function deactivate(): void {}
