import * as vscode from 'vscode';
import { detectTraceIds } from '../core/ids/detect';
import { Commands } from './commandIds';

interface TraceTerminalLink extends vscode.TerminalLink {
  traceId: string;
  spanId?: string;
}

/** Makes trace IDs in the integrated terminal clickable; a click opens the trace. */
export class TraceTerminalLinkProvider implements vscode.TerminalLinkProvider<TraceTerminalLink> {
  provideTerminalLinks(context: vscode.TerminalLinkContext): TraceTerminalLink[] {
    // The line arrives without ANSI codes; the detector copes with them anyway.
    return detectTraceIds(context.line, { maxLength: 64 * 1024 }).map((id) => ({
      startIndex: id.start,
      length: id.end - id.start,
      tooltip: vscode.l10n.t('Open trace in Trace Lens'),
      traceId: id.traceId,
      ...(id.spanId ? { spanId: id.spanId } : {}),
    }));
  }

  async handleTerminalLink(link: TraceTerminalLink): Promise<void> {
    // The open command records it in Recent Traces, with the terminal as its source.
    await vscode.commands.executeCommand(Commands.openTraceById, {
      source: 'terminal',
      traceId: link.traceId,
      ...(link.spanId ? { spanId: link.spanId } : {}),
    });
  }
}

export function registerTerminalLinks(): vscode.Disposable {
  return vscode.window.registerTerminalLinkProvider(new TraceTerminalLinkProvider());
}
