import * as vscode from 'vscode';
import { SpanFlag, spanIndexById, type SpanDetail } from '../../shared/model';
import {
  exceptionFrame,
  outsideLocations,
  pickText,
  refusedPaths,
  resolveSpanSource,
  resolveStackFrame,
  sourceAnnotationText,
  sourcePickTexts,
  spanLabel,
  symbolPickTexts,
  type OutsideLocation,
  type RefusedPath,
  type SourceCandidate,
  type SpanFacts,
} from '../../core/source';
import type { LoadedTrace } from '../traceService';
import type { WorkspaceIndex } from './workspaceIndex';
import { notices } from '../../core/notices';
import { sourceNoteMarkdown } from '../../core/hovers';
import * as notify from '../notify';

/** A place in a workspace file, checked to be inside the workspace. */
export interface SourcePlace {
  path: string;
  /** 1-based. */
  line: number;
  column?: number;
  candidate: SourceCandidate;
}

/** A span of a loaded trace, and where its panel is. */
export interface SpanRef {
  loaded: LoadedTrace;
  index: number;
  /** The trace panel's column: source opens in another one. */
  panelColumn?: vscode.ViewColumn;
}

const SYMBOL_KINDS = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
]);

/** The column to open source in: one with a text editor that is not the panel's, else the other side. */
export function besideColumn(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  if (panelColumn === undefined) return vscode.ViewColumn.Active;
  const other = vscode.window.visibleTextEditors.find(
    (e) => e.viewColumn !== undefined && e.viewColumn !== panelColumn,
  );
  if (other?.viewColumn !== undefined) return other.viewColumn;
  return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}

/** The `service.name` of a span: its resource's, else the model's service column. */
export function serviceOf(loaded: LoadedTrace, index: number, detail?: SpanDetail): string {
  const v = detail?.resource.find((a) => a.key === 'service.name')?.value;
  if (typeof v === 'string' && v !== '') return v;
  const { model } = loaded.decoded;
  return model.services[model.columns.service[index] ?? 0] ?? '';
}

/** Span `index`'s duration, name (with peer host), share of the trace and critical-path mark. */
export function spanFacts(loaded: LoadedTrace, index: number, detail?: SpanDetail): SpanFacts {
  const { model } = loaded.decoded;
  const durationNs = model.columns.durationNs[index] ?? 0;
  const name = model.strings[model.columns.name[index] ?? 0] ?? '';
  const critical =
    ((model.columns.flags[index] ?? 0) & SpanFlag.CriticalPath) !== 0 ||
    loaded.summary.criticalPath.includes(index);
  return {
    durationNs,
    label: spanLabel(name, detail?.attributes ?? []),
    share: model.durationNs > 0 ? durationNs / model.durationNs : 0,
    critical,
  };
}

/** The depth-first index of `spanId` in the trace, or -1. */
export function indexOfSpan(loaded: LoadedTrace, spanId: string): number {
  return spanIndexById(loaded.decoded.model, spanId);
}

/** A workspace path as people read it: with the folder name only in multi-root workspaces. */
function relative(path: string): string {
  return vscode.workspace.asRelativePath(path, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
}

/** Text for a QuickPick label: no codicon syntax from trace data. */
const plain = (text: string): string => pickText(text);

type Choice = { kind: 'file'; place: SourcePlace } | { kind: 'symbol'; candidate: SourceCandidate };

/**
 * From a span (or one of its stack frames) to the line of code: resolves candidates, follows
 * symlinks and checks containment, asks when there are several or when the only file is outside
 * the workspace, opens it beside the trace panel and marks the line with the span's figures.
 */
export class SourceNavigator implements vscode.Disposable {
  private readonly lineDecoration = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
  });
  private readonly annotationDecoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 3em' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private marked: { editor: vscode.TextEditor; line: number; note?: string } | undefined;
  private readonly markChanged = new vscode.EventEmitter<void>();
  /** Fires when the marked line changes (the overlay leaves that line to the annotation). */
  readonly onDidChangeMark = this.markChanged.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly index: WorkspaceIndex,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [
      this.lineDecoration,
      this.annotationDecoration,
      this.markChanged,
      // The span's figures sit above the marked line, CodeLens-style, where a split editor shows
      // them without scrolling sideways (after a long line they were off-screen).
      vscode.languages.registerCodeLensProvider(
        { scheme: 'file' },
        {
          onDidChangeCodeLenses: this.markChanged.event,
          provideCodeLenses: (document) => this.noteLens(document),
        },
      ),
      vscode.languages.registerHoverProvider(
        { scheme: 'file' },
        { provideHover: (document, position) => this.noteHover(document, position) },
      ),
      // The mark goes away once the cursor leaves the line, like VS Code's own range highlight.
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (
          this.marked &&
          e.textEditor === this.marked.editor &&
          e.selections[0]?.active.line !== this.marked.line
        ) {
          this.unmark();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.marked && e.document === this.marked.editor.document && e.contentChanges.length > 0)
          this.unmark();
      }),
      // A closed editor takes its decorations with it; a stale mark would hide the overlay's hint
      // on that line when the file is opened again.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        if (this.marked && !editors.includes(this.marked.editor)) this.unmark();
      }),
    ];
  }

  /** Candidates for span `index`, best first (in-workspace by construction, not yet realpath-checked). */
  async candidates(ref: SpanRef): Promise<
    | {
        detail: SpanDetail;
        candidates: SourceCandidate[];
        outside: OutsideLocation[];
        refused: RefusedPath[];
      }
    | undefined
  > {
    const detail = ref.loaded.decoded.detail(ref.index);
    if (!detail) return undefined;
    const ctx = await this.index.context(serviceOf(ref.loaded, ref.index, detail));
    return {
      detail,
      candidates: resolveSpanSource(detail.attributes, detail.events, ctx),
      outside: outsideLocations(detail.attributes, detail.events, ctx),
      refused: refusedPaths(detail.attributes, detail.events, ctx),
    };
  }

  /**
   * Where the overlay marks span `index`: its best candidate that passes the real-path check (no prompts), plus the line where its
   * exception was thrown (the top user-code frame) when that is elsewhere. A failed span is often
   * looked for at its throw site, not at its entry point.
   */
  async overlayPlaces(ref: SpanRef, detail?: SpanDetail, maxTries = 3): Promise<SourcePlace[]> {
    const d = detail ?? ref.loaded.decoded.detail(ref.index);
    if (!d) return [];
    const ctx = await this.index.context(serviceOf(ref.loaded, ref.index, d));
    const ranked = resolveSpanSource(d.attributes, d.events, ctx).filter((c) => c.origin !== 'symbol');
    const places: SourcePlace[] = [];
    const seen = new Set<string>();
    const tryFrom = async (list: SourceCandidate[]) => {
      let tries = 0;
      for (const c of list) {
        if (tries++ >= maxTries) return;
        const ok = await this.index.verify(c.path);
        if (!ok) continue;
        const key = `${ok.path}:${c.line}`;
        if (!seen.has(key)) {
          seen.add(key);
          places.push({
            path: ok.path,
            line: c.line,
            ...(c.column !== undefined ? { column: c.column } : {}),
            candidate: c,
          });
        }
        return;
      }
    };
    await tryFrom(ranked);
    await tryFrom(ranked.filter((c) => c.origin === 'exception.stacktrace' && c.userCode));
    return places;
  }

  /** Go to Source for span `index`. */
  async goToSpan(ref: SpanRef): Promise<void> {
    const found = await this.candidates(ref);
    if (!found) {
      void notify.warn(notices.spanNotInTrace());
      return;
    }
    if (found.detail.damaged) {
      void notify.warn(notices.spanDetailDamaged());
      return;
    }
    const facts = spanFacts(ref.loaded, ref.index, found.detail);
    await this.open(found, facts, ref.panelColumn, facts.label);
  }

  /** Go to Source for frame `frameIndex` of exception event `eventIndex` of span `index`. */
  async goToFrame(ref: SpanRef, eventIndex: number, frameIndex: number): Promise<void> {
    const detail = ref.loaded.decoded.detail(ref.index);
    if (detail?.damaged) {
      void notify.warn(notices.spanDetailDamaged());
      return;
    }
    const frame = detail ? exceptionFrame(detail.events, eventIndex, frameIndex) : undefined;
    if (!detail || !frame) {
      void notify.warn(notices.frameNotInSpan());
      return;
    }
    const ctx = await this.index.context(serviceOf(ref.loaded, ref.index, detail));
    const resolved = resolveStackFrame(frame, ctx, `exception.stacktrace frame ${frameIndex + 1}`);
    const facts = spanFacts(ref.loaded, ref.index, detail);
    await this.open(resolved, facts, ref.panelColumn, frame.functionName ?? frame.file);
  }

  private async open(
    resolved: { candidates: SourceCandidate[]; outside: OutsideLocation[]; refused: RefusedPath[] },
    facts: SpanFacts,
    panelColumn: vscode.ViewColumn | undefined,
    what: string,
  ): Promise<void> {
    const { candidates, outside } = resolved;
    for (const r of resolved.refused) this.log.info(`go to source: not offered: ${r.path}: ${r.reason}`);
    const choices: Choice[] = [];
    const refusals: Array<{ path: string; reason: string }> = [];
    for (const c of candidates) {
      if (c.origin === 'symbol') {
        choices.push({ kind: 'symbol', candidate: c });
        continue;
      }
      const ok = await this.index.check(c.path);
      if ('refused' in ok) {
        refusals.push({ path: c.path, reason: ok.refused });
        this.log.info(`go to source: not opened: ${c.path}: ${ok.refused}`);
        continue;
      }
      choices.push({
        kind: 'file',
        place: {
          path: ok.path,
          line: c.line,
          ...(c.column !== undefined ? { column: c.column } : {}),
          candidate: c,
        },
      });
    }
    const firstRefusal = refusals[0];
    if (choices.length === 0 && outside.length === 0 && firstRefusal) {
      void notify.warn(notices.notOpened(relative(firstRefusal.path), firstRefusal.reason));
      return;
    }
    let choice: Choice | undefined;
    if (choices.length === 1) choice = choices[0];
    else if (choices.length > 1) {
      choice = await this.pick(choices, what);
      if (!choice) return;
    }
    if (choice?.kind === 'file') return this.show(choice.place, facts, panelColumn);
    if (choice?.kind === 'symbol') {
      const place = await this.searchSymbol(choice.candidate);
      if (place) return this.show(place, facts, panelColumn);
      if (outside.length === 0) {
        void notify.info(notices.noFunctionInWorkspace(choice.candidate.functionName ?? ''));
        return;
      }
    }
    if (outside.length > 0) return this.openOutside(outside, facts, panelColumn);
    const system = resolved.refused[0];
    if (system) {
      void notify.warn(notices.notSourceFile(system.path, system.reason));
      return;
    }
    void notify.info(notices.namesNoCode());
  }

  private async pick(choices: Choice[], what: string): Promise<Choice | undefined> {
    // Base name first, then its folder and what named it; how the path was mapped on a line of
    // its own, laid out to fit the picker's width (core/source/pickItems.ts).
    const items = choices.map((c) => ({
      ...(c.kind === 'symbol'
        ? symbolPickTexts(c.candidate)
        : sourcePickTexts(c.place.candidate, relative(c.place.path))),
      choice: c,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Trace Lens: source of {0}', plain(what)),
      placeHolder: vscode.l10n.t('Several places match; the best is first'),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    return picked?.choice;
  }

  /** Finds the function a `symbol` candidate names through the workspace symbol providers. */
  private async searchSymbol(candidate: SourceCandidate): Promise<SourcePlace | undefined> {
    const qualified = candidate.functionName ?? '';
    const parts = qualified.split(/::|[.#/\\]/).filter((p) => p !== '');
    const name = parts[parts.length - 1];
    if (!name) return undefined;
    const container = parts.length > 1 ? parts[parts.length - 2] : undefined;
    let symbols: vscode.SymbolInformation[] | undefined;
    try {
      symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
        'vscode.executeWorkspaceSymbolProvider',
        name,
      );
    } catch (err) {
      this.log.warn(`go to source: workspace symbol search failed: ${String(err)}`);
      return undefined;
    }
    const scored = (symbols ?? [])
      .filter((s) => s.location?.uri?.scheme === 'file' && s.name.replace(/\(.*$/, '') === name)
      .map((s) => ({
        s,
        score:
          (SYMBOL_KINDS.has(s.kind) ? 2 : 0) +
          (container !== undefined && s.containerName?.split(/[.:]/).pop() === container ? 4 : 0),
      }))
      .sort((a, b) => b.score - a.score);
    const best = scored[0]?.score;
    const top = scored.filter((x) => x.score === best).slice(0, 20);
    const places: SourcePlace[] = [];
    for (const { s } of top) {
      const ok = await this.index.verify(s.location.uri.fsPath);
      if (!ok) continue;
      places.push({
        path: ok.path,
        line: s.location.range.start.line + 1,
        column: s.location.range.start.character + 1,
        candidate: { ...candidate, path: ok.path, line: s.location.range.start.line + 1 },
      });
    }
    if (places.length <= 1) return places[0];
    const picked = await vscode.window.showQuickPick(
      places.map((p) => ({
        label: `$(symbol-method) ${plain(qualified)}`,
        description: `${plain(relative(p.path))}:${p.line}`,
        place: p,
      })),
      { title: vscode.l10n.t('Trace Lens: which {0}?', plain(name)) },
    );
    return picked?.place;
  }

  /** Asks before opening a file outside the workspace (its path came from another machine). */
  private async openOutside(
    outside: OutsideLocation[],
    facts: SpanFacts,
    panelColumn: vscode.ViewColumn | undefined,
  ): Promise<void> {
    let notSource: { path: string; reason: string } | undefined;
    for (const loc of outside.slice(0, 10)) {
      const found = await this.index.realFile(loc.path);
      if ('refused' in found) {
        this.log.info(`go to source: not offered: ${loc.path}: ${found.refused}`);
        // A missing file is the usual case (the trace is from another machine); anything else
        // (a symlink to /proc, a fifo, a folder) is worth saying.
        if (!notSource && !found.missing) notSource = { path: loc.path, reason: found.refused };
        continue;
      }
      const real = found.real;
      const inside = await this.index.verify(real);
      if (!inside) {
        const answer = await notify.askWarning(
          notices.openOutside(real),
          notices.openOutsideDetail(),
          vscode.l10n.t('Open'),
        );
        if (answer === undefined) return;
      }
      const place: SourcePlace = {
        path: real,
        line: loc.line ?? 1,
        ...(loc.column !== undefined ? { column: loc.column } : {}),
        candidate: {
          path: real,
          line: loc.line ?? 1,
          reason: 'outside the workspace',
          origin: 'code-attributes',
          score: 0,
          userCode: false,
        },
      };
      return this.show(place, facts, panelColumn);
    }
    if (notSource) {
      void notify.warn(notices.notSourceFile(notSource.path, notSource.reason));
      return;
    }
    void notify.info(notices.notOnThisMachine(outside[0]?.path ?? ''));
  }

  /** Opens `place` beside the trace panel, selects and centres its line, and marks it. */
  async show(
    place: SourcePlace,
    facts: SpanFacts | undefined,
    panelColumn: vscode.ViewColumn | undefined,
  ): Promise<void> {
    let editor: vscode.TextEditor;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(place.path));
      const line = Math.min(Math.max(place.line - 1, 0), Math.max(doc.lineCount - 1, 0));
      const text = doc.lineAt(line);
      const character =
        place.column !== undefined
          ? Math.min(Math.max(place.column - 1, 0), text.range.end.character)
          : text.firstNonWhitespaceCharacterIndex;
      const at = new vscode.Position(line, character);
      editor = await vscode.window.showTextDocument(doc, {
        viewColumn: besideColumn(panelColumn),
        preserveFocus: false,
        selection: new vscode.Range(at, at),
      });
      editor.revealRange(text.range, vscode.TextEditorRevealType.InCenter);
    } catch (err) {
      void notify.error(notices.couldNotOpen(place.path, err instanceof Error ? err.message : String(err)));
      return;
    }
    this.mark(editor, editor.selection.active.line, facts);
  }

  private mark(editor: vscode.TextEditor, line: number, facts: SpanFacts | undefined): void {
    this.unmark();
    const range = editor.document.lineAt(line).range;
    editor.setDecorations(this.lineDecoration, [range]);
    const note = facts ? sourceAnnotationText(facts) : undefined;
    // With CodeLens turned off the note goes after the line end, as before: late beats never.
    if (
      note &&
      !vscode.workspace.getConfiguration('editor', editor.document).get<boolean>('codeLens', true)
    ) {
      const end = new vscode.Range(range.end, range.end);
      editor.setDecorations(this.annotationDecoration, [
        { range: end, renderOptions: { after: { contentText: note } } },
      ]);
    }
    this.marked = { editor, line, ...(note ? { note } : {}) };
    this.markChanged.fire();
  }

  /** The note of the marked line as a CodeLens above it (label only: the line is already open). */
  private noteLens(document: vscode.TextDocument): vscode.CodeLens[] {
    const m = this.marked;
    if (!m?.note || m.editor.document !== document || m.line >= document.lineCount) return [];
    const range = document.lineAt(m.line).range;
    return [
      new vscode.CodeLens(range, {
        // A span named `$(…)` stays text: CodeLens titles render theme icons.
        title: `$(pulse) ${m.note.replace(/\$\(/g, '$\u200b(')}`,
        tooltip: vscode.l10n.t('The span Go to Source opened: {0}', m.note),
        command: '',
      }),
    ];
  }

  /** The full note in a hover on the marked line. */
  private noteHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const m = this.marked;
    if (!m?.note || m.editor.document !== document || position.line !== m.line) return undefined;
    // Span names are trace text: escaped by the one builder (appendText leaves autolinks live).
    const md = new vscode.MarkdownString(sourceNoteMarkdown(m.note), true);
    md.supportHtml = false;
    return new vscode.Hover(md, document.lineAt(m.line).range);
  }

  /** The line "Go to Source" marked, if any (0-based). */
  get markedLine(): { document: vscode.TextDocument; line: number } | undefined {
    return this.marked ? { document: this.marked.editor.document, line: this.marked.line } : undefined;
  }

  private unmark(): void {
    if (!this.marked) return;
    this.marked.editor.setDecorations(this.lineDecoration, []);
    this.marked.editor.setDecorations(this.annotationDecoration, []);
    this.marked = undefined;
    this.markChanged.fire();
  }

  dispose(): void {
    this.marked = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
