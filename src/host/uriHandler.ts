import * as vscode from 'vscode';
import { normalizeTraceId } from '../core/ids/detect';
import { Commands } from './commandIds';

const HEX_16 = /^[0-9a-f]{16}$/;

/**
 * Deep links: `<uriScheme>://tracelens.trace-lens/open?traceId=<id>[&spanId=<id>]` opens a
 * trace, so other tools (and links printed in a debug console) can hand one to the editor.
 */
export function registerUriHandler(): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri(uri: vscode.Uri) {
      if (uri.path !== '/open') {
        void vscode.window.showWarningMessage(vscode.l10n.t('Trace Lens: unknown link {0}', uri.path));
        return;
      }
      const params = new URLSearchParams(uri.query);
      const traceId = normalizeTraceId(params.get('traceId') ?? '');
      if (!traceId) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Trace Lens: the link has no valid traceId.'));
        return;
      }
      const span = params.get('spanId')?.toLowerCase();
      const spanId = span && HEX_16.test(span) ? span : undefined;
      void vscode.commands.executeCommand(Commands.openTraceById, { traceId, ...(spanId ? { spanId } : {}) });
    },
  });
}

/** The deep link that opens `traceId` in this editor. */
export function deepLink(traceId: string): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://tracelens.trace-lens/open?traceId=${traceId}`);
}
