import * as vscode from 'vscode';
import { idsFor } from '../core/ids';
import { Commands } from './commandIds';
import type { Config } from './config';

interface TraceTerminalLink extends vscode.TerminalLink {
  traceId: string;
  spanId?: string;
}

/**
 * Makes trace IDs in the integrated terminal clickable; a click opens the trace. Bare IDs are
 * links only when `traceLens.detection.bareIds` is `link` (core/ids/bareIds.ts).
 */
export class TraceTerminalLinkProvider implements vscode.TerminalLinkProvider<TraceTerminalLink> {
  constructor(private readonly config: Pick<Config, 'bareIds'>) {}

  provideTerminalLinks(context: vscode.TerminalLinkContext): TraceTerminalLink[] {
    // The line arrives without ANSI codes; the detector copes with them anyway.
    const ids = idsFor(context.line, this.config.bareIds, 'terminalLink', { maxLength: 64 * 1024 });
    return ids.map((id) => ({
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

export function registerTerminalLinks(config: Pick<Config, 'bareIds'>): vscode.Disposable {
  return vscode.window.registerTerminalLinkProvider(new TraceTerminalLinkProvider(config));
}
