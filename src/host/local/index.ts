import type * as vscode from 'vscode';
import { join } from 'node:path';
import type { Config } from '../config';
import type { LocalTraces } from '../traceService';
import { OtelEnvironment } from './debugEnv';
import { LiveView } from './liveView';
import { QueryChoice } from './queryChoice';
import { LocalReceiver, storeFolder } from './receiver';
import { ReceiverStatusBar } from './statusBar';

export { localCommandHandlers } from './commands';
export type { LiveView } from './liveView';

/** The local receiver and what shows it: built once by `activate`. */
export interface Local extends vscode.Disposable {
  receiver: LocalReceiver;
  choice: QueryChoice;
  /** What `TraceService` asks. */
  traces: LocalTraces;
  /** Builds the views and the debug/terminal environment (after `TraceService` exists). */
  show(): { live: LiveView; statusBar: ReceiverStatusBar };
}

/**
 * The local receiver (issue 10): the store under the extension's global storage, the status bar
 * item, the Live view, and the OTEL_* variables for launches and terminals. The receiver starts
 * after activation returns; `activate` never waits for the store or the gRPC bundle.
 */
export function createLocal(
  context: vscode.ExtensionContext,
  config: Config,
  log: vscode.LogOutputChannel,
): Local {
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  const receiver = new LocalReceiver(
    storeFolder(context),
    join(context.extensionUri.fsPath, 'dist', 'grpc.js'),
    config,
    log,
    version,
  );
  const choice = new QueryChoice(context.workspaceState);
  const disposables: vscode.Disposable[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    receiver,
    choice,
    traces: {
      backend: () => receiver.backend(),
      holdsTraces: () => receiver.holdsTraces(),
      queryChoice: () => choice.get(),
    },
    show() {
      const live = new LiveView(receiver, log);
      const statusBar = new ReceiverStatusBar(receiver);
      disposables.push(
        live,
        statusBar,
        new OtelEnvironment(receiver, config, log, context.environmentVariableCollection),
      );
      // After activation: opening the store and loading the gRPC bundle never delay it.
      timer = setTimeout(() => receiver.start(), 0);
      return { live, statusBar };
    },
    dispose() {
      if (timer) clearTimeout(timer);
      for (const d of disposables.splice(0).reverse()) d.dispose();
      receiver.dispose();
      choice.dispose();
    },
  };
}
