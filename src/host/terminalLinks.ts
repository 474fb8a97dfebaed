import * as vscode from 'vscode';
import { detectTraceIds } from '../core/ids/detect';
import { Commands } from './commandIds';
import type { RecentTraces } from './recentTraces';

interface TraceTerminalLink extends vscode.TerminalLink {
  traceId: string;
  spanId?: string;
}

/** Makes trace IDs in the integrated terminal clickable; a click opens the trace. */
export class TraceTerminalLinkProvider implements vscode.TerminalLinkProvider<TraceTerminalLink> {
  constructor(private readonly recent: RecentTraces) {}

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
    this.recent.add(link.traceId, 'terminal', link.spanId);
    await vscode.commands.executeCommand(Commands.openTraceById, {
      traceId: link.traceId,
      ...(link.spanId ? { spanId: link.spanId } : {}),
    });
  }
}

export function registerTerminalLinks(recent: RecentTraces): vscode.Disposable {
  return vscode.window.registerTerminalLinkProvider(new TraceTerminalLinkProvider(recent));
}
