import * as vscode from 'vscode';
import type { Config, SettingsScope } from './config';

/** "Remote settings", "Workspace settings"… for messages (localized). */
export function scopeLabel(scope: SettingsScope): string {
  switch (scope) {
    case 'folder':
      return vscode.l10n.t('Folder settings');
    case 'workspace':
      return vscode.l10n.t('Workspace settings');
    case 'remote':
      return vscode.l10n.t('Remote settings');
    case 'user':
      return vscode.l10n.t('User settings');
    case 'default':
      return vscode.l10n.t('the default');
  }
}

/**
 * Where the backend's URL came from, appended to a backend error: "(traceLens.tempo.url from
 * Remote settings)". A person fixing a wrong URL must edit the scope that set it; the others lose.
 */
export function originNote(config: Config): string {
  const { setting, scope } = config.backendOrigin;
  return scope === 'default'
    ? vscode.l10n.t('({0} is not set: the default applies)', setting)
    : vscode.l10n.t('({0} from {1})', setting, scopeLabel(scope));
}

/** The Settings editor of the scope that set the backend's URL, filtered to that setting. */
export async function openBackendSetting(config: Config): Promise<void> {
  const { setting, scope } = config.backendOrigin;
  const command =
    scope === 'remote'
      ? 'workbench.action.openRemoteSettings'
      : scope === 'workspace'
        ? 'workbench.action.openWorkspaceSettings'
        : scope === 'folder'
          ? 'workbench.action.openFolderSettings'
          : 'workbench.action.openSettings';
  try {
    await vscode.commands.executeCommand(command, { query: setting });
  } catch {
    // An older workbench without that scope's command: the user settings still find it.
    await vscode.commands.executeCommand('workbench.action.openSettings', setting);
  }
}
