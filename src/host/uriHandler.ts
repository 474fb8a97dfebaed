import * as vscode from 'vscode';
import { normalizeTraceId, SPAN_ID_HEX } from '../core/ids';
import { Commands } from './commandIds';
import { notices } from '../core/notices';
import * as notify from './notify';

/**
 * Deep links: `<uriScheme>://tracelens.trace-lens/open?traceId=<id>[&spanId=<id>]` opens a
 * trace, so other tools (and links printed in a debug console) can hand one to the editor.
 */
export function registerUriHandler(): vscode.Disposable {
  return vscode.window.registerUriHandler({
    handleUri(uri: vscode.Uri) {
      if (uri.path !== '/open') {
        void notify.warn(notices.unknownLink(uri.path));
        return;
      }
      const params = new URLSearchParams(uri.query);
      const traceId = normalizeTraceId(params.get('traceId') ?? '');
      if (!traceId) {
        void notify.error(notices.linkWithoutTraceId());
        return;
      }
      const span = params.get('spanId')?.toLowerCase();
      const spanId = span && SPAN_ID_HEX.test(span) ? span : undefined;
      void vscode.commands.executeCommand(Commands.openTraceById, { traceId, ...(spanId ? { spanId } : {}) });
    },
  });
}

/** The deep link that opens `traceId` in this editor. */
export function deepLink(traceId: string): vscode.Uri {
  return vscode.Uri.parse(`${vscode.env.uriScheme}://tracelens.trace-lens/open?traceId=${traceId}`);
}
