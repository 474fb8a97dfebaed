import * as vscode from 'vscode';
import { idsFor } from '../core/ids';
import type { Config } from './config';
import { MAX_SCAN, TEXT_SCHEMES } from './hover';

const DEBOUNCE_MS = 150;
/** Lines above and below the visible range that are decorated too, so scrolling looks settled. */
const MARGIN = 50;

/**
 * Marks trace IDs with a subtle dotted underline so a person sees which hex strings are live,
 * including bare IDs that are hover-only. Only the visible ranges (plus a margin) are scanned,
 * debounced, so a 100 MB log costs what its screenful costs.
 */
export class TraceIdDecorations implements vscode.Disposable {
  private readonly type = vscode.window.createTextEditorDecorationType({
    textDecoration: 'underline dotted',
    overviewRulerColor: new vscode.ThemeColor('editorLink.activeForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly config: Config) {
    const schedule = () => this.schedule();
    this.subscriptions = [
      vscode.window.onDidChangeVisibleTextEditors(schedule),
      vscode.window.onDidChangeTextEditorVisibleRanges(schedule),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (vscode.window.visibleTextEditors.some((ed) => ed.document === e.document)) schedule();
      }),
      config.onDidChange(schedule),
    ];
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.update(), DEBOUNCE_MS);
  }

  private update(): void {
    this.timer = undefined;
    const mode = this.config.bareIds;
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      if (!TEXT_SCHEMES.includes(doc.uri.scheme)) continue;
      const ranges: vscode.Range[] = [];
      for (const visible of editor.visibleRanges) {
        const from = Math.max(0, visible.start.line - MARGIN);
        const to = Math.min(doc.lineCount - 1, visible.end.line + MARGIN);
        for (let line = from; line <= to; line++) {
          for (const id of idsFor(doc.lineAt(line).text, mode, 'decoration', { maxLength: MAX_SCAN })) {
            ranges.push(new vscode.Range(line, id.start, line, id.end));
          }
        }
      }
      editor.setDecorations(this.type, ranges);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.type.dispose();
  }
}
