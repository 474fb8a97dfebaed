import * as vscode from 'vscode';
import { envScript, otelEnvAdditions, type ShellKind } from '../../core/local';
import { notices } from '../../core/notices';
import { Commands, type LocalCommandId } from '../commandIds';
import * as notify from '../notify';
import type { TraceService } from '../traceService';
import type { LiveView } from './liveView';
import type { QueryChoice } from './queryChoice';
import type { LocalReceiver } from './receiver';

/** What the receiver's commands need. */
export interface LocalCommandDeps {
  receiver: LocalReceiver;
  live: LiveView;
  choice: QueryChoice;
  traces: TraceService;
  log: vscode.LogOutputChannel;
}

/** The shell the copied variables are written for. */
function shellKind(): ShellKind {
  return process.platform === 'win32' ? 'powershell' : 'posix';
}

/** Turns the receiver on or off in the user settings (every window follows). */
async function setEnabled(enabled: boolean): Promise<void> {
  const section = vscode.workspace.getConfiguration('traceLens.receiver');
  await section.update('enabled', enabled, vscode.ConfigurationTarget.Global);
  const inspected = vscode.workspace.getConfiguration('traceLens.receiver').inspect<boolean>('enabled');
  if (inspected?.workspaceValue !== undefined && inspected.workspaceValue !== enabled)
    void notify.info(notices.receiverSetByWorkspace());
}

/** The handlers of the receiver's commands. */
export function localCommandHandlers(
  deps: LocalCommandDeps,
): Record<LocalCommandId, (...args: unknown[]) => unknown> {
  const { receiver, live, choice, traces, log } = deps;

  const copyEndpoint = async () => {
    const url = receiver.otlpHttpUrl;
    if (!url) {
      void notify.warn(notices.noOtlpEndpoint());
      return;
    }
    await vscode.env.clipboard.writeText(url);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('OTLP endpoint copied: {0}', url), 3000);
  };

  const copyVariables = async () => {
    const url = receiver.otlpHttpUrl;
    if (!url) {
      void notify.warn(notices.noOtlpEndpoint());
      return;
    }
    // What a program started from a terminal needs; a service name is the program's to choose.
    const vars = otelEnvAdditions({ httpUrl: url }, {});
    await vscode.env.clipboard.writeText(envScript(vars, shellKind()));
    void vscode.window.setStatusBarMessage(vscode.l10n.t('OTEL_* variables copied'), 3000);
  };

  const clear = async () => {
    const v = receiver.view();
    if (v.phase !== 'running') {
      void notify.warn(notices.receiverOff());
      return;
    }
    const stats = receiver.stats;
    const button = vscode.l10n.t('Delete');
    const answer = await notify.askWarning(
      notices.clearLocalTraces(stats?.traces ?? 0, stats?.spans ?? 0),
      notices.clearLocalTracesDetail(),
      button,
    );
    if (answer !== button) return;
    try {
      await receiver.clear();
      log.info('receiver: local store cleared');
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Local traces cleared'), 3000);
    } catch (err) {
      notify.failure(log, err, { context: 'clear local traces' });
    }
  };

  const chooseQueryBackend = async (arg?: unknown) => {
    // With an argument (a keybinding's, a test's), no question.
    if (arg === 'auto' || arg === 'local' || arg === 'configured') {
      await choice.set(arg);
      return;
    }
    let configured: string;
    try {
      configured = (await traces.getBackend()).backend.name;
    } catch {
      configured = vscode.l10n.t('the configured backend');
    }
    type Item = vscode.QuickPickItem & { value: 'auto' | 'local' | 'configured' };
    const current = choice.get();
    const mark = (value: Item['value']) => (value === current ? '$(check) ' : '');
    const items: Item[] = [
      {
        label: `${mark('auto')}${vscode.l10n.t('Automatic')}`,
        detail: vscode.l10n.t(
          'The local store while it holds traces and no backend is set in traceLens.backends or traceLens.tempo.url; otherwise {0}',
          configured,
        ),
        value: 'auto',
      },
      {
        label: `${mark('local')}${vscode.l10n.t('Local store')}`,
        detail: vscode.l10n.t('The traces the Trace Lens receiver keeps on this machine'),
        value: 'local',
      },
      {
        // A backend's name comes from settings: no theme icon syntax from it.
        label: `${mark('configured')}${configured.replace(/\$\(/g, '$\u200b(')}`,
        detail: vscode.l10n.t('The backend of traceLens.backends or traceLens.tempo.url'),
        value: 'configured',
      },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Trace Lens: where do Search and CodeLens look?'),
    });
    if (picked) await choice.set(picked.value);
  };

  const menu = async () => {
    type Item = vscode.QuickPickItem & { run?: () => unknown };
    const v = receiver.view();
    const url = receiver.otlpHttpUrl;
    const on = v.phase === 'running' || v.phase === 'starting';
    const items: Item[] = [];
    if (url) {
      items.push(
        {
          label: `$(copy) ${vscode.l10n.t('Copy OTLP Endpoint')}`,
          description: url,
          run: copyEndpoint,
        },
        {
          label: `$(copy) ${vscode.l10n.t('Copy OTEL_* Variables')}`,
          description:
            shellKind() === 'powershell'
              ? vscode.l10n.t('for PowerShell')
              : vscode.l10n.t('for a POSIX shell'),
          run: copyVariables,
        },
      );
    }
    items.push(
      { label: `$(list-tree) ${vscode.l10n.t('Open Live View')}`, run: () => live.reveal() },
      on
        ? {
            label: `$(debug-stop) ${vscode.l10n.t('Stop Receiving')}`,
            description: vscode.l10n.t('in every window (traceLens.receiver.enabled)'),
            run: () => setEnabled(false),
          }
        : {
            label: `$(play) ${vscode.l10n.t('Start Receiving')}`,
            description: vscode.l10n.t('traceLens.receiver.enabled'),
            run: () => setEnabled(true),
          },
    );
    if (v.phase === 'running')
      items.push({
        label: `$(clear-all) ${vscode.l10n.t('Clear Local Traces…')}`,
        ...(v.stats ? { description: vscode.l10n.t('{0} traces', v.stats.traces) } : {}),
        run: clear,
      });
    items.push(
      {
        label: `$(gear) ${vscode.l10n.t('Receiver Settings')}`,
        run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'traceLens.receiver'),
      },
      { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: () => log.show() },
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Trace Lens Receiver'),
      placeHolder: receiver.otlpHttpUrl
        ? vscode.l10n.t('Receiving OTLP at {0}', receiver.otlpHttpUrl)
        : vscode.l10n.t('Not receiving'),
    });
    await picked?.run?.();
  };

  return {
    [Commands.receiverMenu]: menu,
    [Commands.startReceiver]: () => setEnabled(true),
    [Commands.stopReceiver]: () => setEnabled(false),
    [Commands.clearLocalTraces]: clear,
    [Commands.copyOtlpEndpoint]: copyEndpoint,
    [Commands.copyOtelVariables]: copyVariables,
    [Commands.filterLive]: () => live.askFilter(),
    [Commands.clearLiveFilter]: () => live.setFilter(''),
    [Commands.chooseQueryBackend]: chooseQueryBackend,
  };
}
