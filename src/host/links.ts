import * as vscode from 'vscode';
import { idsFor } from '../core/ids';
import { Commands, commandUri } from './commandIds';
import type { Config } from './config';
import { MAX_SCAN, TEXT_SCHEMES } from './hover';

/** Documents larger than this get links only for the lines visible when links are asked for. */
const FULL_SCAN_LINES = 20_000;

/**
 * Turns high-confidence trace IDs into links that open the trace (Ctrl/Cmd+click). Bare 32-hex
 * tokens become links only when `traceLens.detection.bareIds` is `link`.
 */
export class TraceLinkProvider implements vscode.DocumentLinkProvider {
  constructor(private readonly config: Config) {}

  provideDocumentLinks(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): vscode.DocumentLink[] {
    const mode = this.config.bareIds;
    const links: vscode.DocumentLink[] = [];
    for (const [from, to] of this.lineRanges(document)) {
      for (let line = from; line < to; line++) {
        if (token.isCancellationRequested) return links;
        const text = document.lineAt(line).text;
        for (const id of idsFor(text, mode, 'link', { maxLength: MAX_SCAN })) {
          const link = new vscode.DocumentLink(
            new vscode.Range(line, id.start, line, id.end),
            vscode.Uri.parse(
              commandUri(Commands.openTraceById, {
                traceId: id.traceId,
                ...(id.spanId ? { spanId: id.spanId } : {}),
              }),
            ),
          );
          link.tooltip = vscode.l10n.t('Open trace in Trace Lens');
          links.push(link);
        }
      }
    }
    return links;
  }

  /** Whole document when it is small, else the visible ranges of its editors (plus margin). */
  private lineRanges(document: vscode.TextDocument): Array<[number, number]> {
    if (document.lineCount <= FULL_SCAN_LINES) return [[0, document.lineCount]];
    const ranges: Array<[number, number]> = [];
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      for (const r of editor.visibleRanges) {
        ranges.push([Math.max(0, r.start.line - 200), Math.min(document.lineCount, r.end.line + 200)]);
      }
    }
    return ranges;
  }
}

export function registerLinks(config: Config): vscode.Disposable {
  return vscode.languages.registerDocumentLinkProvider(
    TEXT_SCHEMES.map((scheme) => ({ scheme })),
    new TraceLinkProvider(config),
  );
}
