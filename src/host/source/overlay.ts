import * as vscode from 'vscode';
import { SpanFlag, spanIdAt } from '../../shared/model';
import { overlayHoverMarkdown } from '../../core/hovers';
import { overlayHintText, overlayLineSpan } from '../../core/source';
import { Commands, commandUri } from '../commandIds';
import type { TracePanels } from '../tracePanel';
import type { LoadedTrace } from '../traceService';
import { serviceOf, spanFacts, type SourceNavigator } from './goToSource';
import type { WorkspaceIndex } from './workspaceIndex';

/** Spans with code looked at per trace; beyond this the overlay is partial (and says so in the log). */
const MAX_SPANS = 5000;
/** Spans resolved between two yields to the event loop. */
const CHUNK = 100;
/** Spans listed in a line's hover. */
const HOVER_SPANS = 5;

/** One span mapped to a line. */
interface LineSpan {
  index: number;
  spanId: string;
  name: string;
  label: string;
  service: string;
  durationNs: number;
  share: number;
  critical: boolean;
}

/** The spans mapped to one line, slowest first (never empty). */
type LineSpans = [LineSpan, ...LineSpan[]];

/** The overlay of one trace: file key → 0-based line → spans, slowest first. */
interface Overlay {
  traceId: string;
  loaded: LoadedTrace;
  byFile: Map<string, { path: string; lines: Map<number, LineSpans> }>;
}

/** Map key for a file path: case-folded where the file system ignores case. */
function fileKey(path: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? path.toLowerCase() : path;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The trace overlay: while a trace panel is (the most recently) active, the lines its spans map
 * to show the slowest span's duration and name after the line end and a gutter mark; hovering
 * the line lists the spans with a link that selects one in the panel. The span selected in the
 * panel follows the panel: its line shows that span's hint, emphasised. Places are computed once
 * per trace, for spans flagged `HasCode` only; a selection only redraws.
 */
export class TraceOverlay implements vscode.Disposable {
  private readonly decoration: vscode.TextEditorDecorationType;
  /** The hint of the line of the span selected in the panel. */
  private readonly selectedDecoration: vscode.TextEditorDecorationType;
  private current: Overlay | undefined;
  /** Computed overlays by trace version: each is computed once. */
  private cache = new WeakMap<LoadedTrace, Overlay>();
  private computing: { loaded: LoadedTrace; done: Promise<Overlay | undefined> } | undefined;
  /** The trace the person cleared; it stays hidden until another trace becomes active. */
  private cleared: LoadedTrace | undefined;
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly panels: TracePanels,
    private readonly navigator: SourceNavigator,
    index: WorkspaceIndex,
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'span-gutter.svg'),
      gutterIconSize: 'contain',
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 3em' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.selectedDecoration = vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(extensionUri, 'media', 'span-gutter.svg'),
      gutterIconSize: 'contain',
      after: {
        color: new vscode.ThemeColor('editorInfo.foreground'),
        fontWeight: 'bold',
        margin: '0 0 0 3em',
      },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    });
    this.disposables.push(
      this.decoration,
      this.selectedDecoration,
      panels.onDidChangeActiveTrace(() => void this.follow()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.render()),
      navigator.onDidChangeMark(() => this.render()),
      index.onDidChange(() => {
        // Files or mappings changed: compute the places again.
        this.current = undefined;
        this.computing = undefined;
        this.cache = new WeakMap();
        void this.follow();
      }),
      vscode.languages.registerHoverProvider(
        { scheme: 'file' },
        { provideHover: (d, p) => this.hover(d, p) },
      ),
    );
    void this.follow();
  }

  /** Follows the most recently active panel's trace. */
  private async follow(): Promise<void> {
    const active = this.panels.activeTrace;
    const loaded = active?.loaded;
    if (!active || !loaded || loaded === this.cleared) {
      if (!active) this.cleared = undefined;
      if (this.current || !loaded) {
        this.current = undefined;
        this.render();
      }
      return;
    }
    this.cleared = undefined;
    if (this.current?.loaded === loaded) return this.render();
    const cached = this.cache.get(loaded);
    if (cached) {
      this.current = cached;
      return this.render();
    }
    if (this.computing?.loaded !== loaded) {
      const generation = ++this.generation;
      this.computing = {
        loaded,
        done: this.compute(active.traceId, loaded, () => generation === this.generation),
      };
    }
    const computing = this.computing;
    const overlay = await computing.done;
    if (this.computing !== computing || this.panels.activeTrace?.loaded !== loaded) return;
    if (overlay) this.cache.set(loaded, overlay);
    if (loaded === this.cleared) return;
    this.current = overlay;
    this.render();
  }

  private async compute(
    traceId: string,
    loaded: LoadedTrace,
    current: () => boolean,
  ): Promise<Overlay | undefined> {
    const started = Date.now();
    const { model } = loaded.decoded;
    const byFile: Overlay['byFile'] = new Map();
    let looked = 0;
    let placed = 0;
    try {
      for (let i = 0; i < model.spanCount; i++) {
        if (((model.columns.flags[i] ?? 0) & SpanFlag.HasCode) === 0) continue;
        if (looked >= MAX_SPANS) {
          this.log.info(
            `overlay: trace ${traceId} has more than ${MAX_SPANS} spans with code; the rest are not shown`,
          );
          break;
        }
        looked++;
        if (looked % CHUNK === 0) {
          await yieldToLoop();
          if (!current()) return undefined;
        }
        const detail = loaded.decoded.detail(i);
        if (!detail) continue;
        const places = await this.navigator.overlayPlaces({ loaded, index: i }, detail);
        if (!places.length) continue;
        placed++;
        const facts = spanFacts(loaded, i, detail);
        const span: LineSpan = {
          index: i,
          spanId: spanIdAt(model.columns, i),
          name: model.strings[model.columns.name[i] ?? 0] ?? '',
          label: facts.label,
          service: serviceOf(loaded, i, detail),
          durationNs: facts.durationNs,
          share: facts.share,
          critical: facts.critical,
        };
        for (const place of places) {
          const key = fileKey(place.path);
          let file = byFile.get(key);
          if (!file) byFile.set(key, (file = { path: place.path, lines: new Map() }));
          const line = place.line - 1;
          const list = file.lines.get(line);
          if (list) list.push(span);
          else file.lines.set(line, [span]);
        }
      }
    } catch (err) {
      this.log.warn(`overlay: trace ${traceId}: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const file of byFile.values()) {
      for (const list of file.lines.values()) list.sort((a, b) => b.durationNs - a.durationNs);
    }
    this.log.info(
      `overlay: trace ${traceId}: ${placed} of ${looked} spans with code placed in ${byFile.size} files in ${Date.now() - started} ms`,
    );
    return { traceId, loaded, byFile };
  }

  private spansAt(document: vscode.TextDocument, line: number): LineSpan[] | undefined {
    if (!this.current || document.uri.scheme !== 'file') return undefined;
    return this.current.byFile.get(fileKey(document.uri.fsPath))?.lines.get(line);
  }

  /** The span selected in the panel whose trace the overlay shows, if any. */
  private get selectedIndex(): number | undefined {
    const active = this.panels.activeTrace;
    return active && this.current && active.loaded === this.current.loaded ? active.selected : undefined;
  }

  /** Draws the hints on the visible editors. */
  private render(): void {
    const marked = this.navigator.markedLine;
    const selectedIndex = this.selectedIndex;
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      const file =
        this.current && doc.uri.scheme === 'file'
          ? this.current.byFile.get(fileKey(doc.uri.fsPath))
          : undefined;
      const options: vscode.DecorationOptions[] = [];
      const selected: vscode.DecorationOptions[] = [];
      for (const [line, spans] of file?.lines ?? []) {
        if (line < 0 || line >= doc.lineCount) continue;
        // Go to Source's annotation says more about this line; one text after a line is enough.
        if (marked?.document === doc && marked.line === line) continue;
        const hint = overlayLineSpan(spans, selectedIndex);
        const end = doc.lineAt(line).range.end;
        (hint.selected ? selected : options).push({
          range: new vscode.Range(end, end),
          renderOptions: { after: { contentText: overlayHintText(hint.span, spans.length) } },
        });
      }
      editor.setDecorations(this.decoration, options);
      editor.setDecorations(this.selectedDecoration, selected);
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const spans = this.spansAt(document, position.line);
    const overlay = this.current;
    if (!spans || !overlay) return undefined;
    const md = new vscode.MarkdownString(
      overlayHoverMarkdown({
        heading:
          spans.length === 1
            ? vscode.l10n.t('a span of trace {0} ran this line', overlay.traceId.slice(0, 8))
            : vscode.l10n.t(
                '{0} spans of trace {1} ran this line',
                spans.length,
                overlay.traceId.slice(0, 8),
              ),
        spans: spans.slice(0, HOVER_SPANS).map((s) => ({
          name: s.name,
          service: s.service,
          durationNs: s.durationNs,
          share: s.share,
          critical: s.critical,
          select: commandUri(Commands.openTraceById, { traceId: overlay.traceId, spanId: s.spanId }),
        })),
        selectLabel: vscode.l10n.t('Select in Trace Panel'),
        ...(spans.length > HOVER_SPANS
          ? { more: vscode.l10n.t('and {0} more', spans.length - HOVER_SPANS) }
          : {}),
      }),
      true,
    );
    // Trace text is escaped by overlayHoverMarkdown; the only command it may run is ours.
    md.isTrusted = { enabledCommands: [Commands.openTraceById] };
    md.supportHtml = false;
    return new vscode.Hover(md, document.lineAt(position.line).range);
  }

  /** Hides the overlay until another trace panel becomes active. */
  clear(): void {
    this.cleared = this.panels.activeTrace?.loaded;
    this.current = undefined;
    this.generation++;
    this.computing = undefined;
    this.render();
  }

  /** The hinted lines (1-based), their texts, and whether the line is the selected span's, for tests. */
  lines(): Array<{ path: string; line: number; text: string; selected: boolean }> {
    const out: Array<{ path: string; line: number; text: string; selected: boolean }> = [];
    const selectedIndex = this.selectedIndex;
    for (const file of this.current?.byFile.values() ?? []) {
      for (const [line, spans] of file.lines) {
        const hint = overlayLineSpan(spans, selectedIndex);
        out.push({
          path: file.path,
          line: line + 1,
          text: overlayHintText(hint.span, spans.length),
          selected: hint.selected,
        });
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  }

  dispose(): void {
    this.generation++;
    this.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
