import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/**
 * Hands the pure core, which words its sentences (notifications, hovers, the receiver's status,
 * the Live view's rows) with `@vscode/l10n`, the bundle VS Code loaded for the display language,
 * so host and core read one translation. In English VS Code loads no bundle and the core keeps
 * its own words, as it does in the command line.
 */
export function loadCoreTranslations(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) l10n.config({ contents: bundle });
}
