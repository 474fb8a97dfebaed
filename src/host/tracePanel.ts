import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { analyze } from '../core/analysis';
import {
  parsePanelLayout,
  parsePanelSubject,
  parseWebviewMessage,
  type PanelLayout,
  subjectKey,
  subjectTraces,
  type HostMessage,
  type PanelSubject,
  type TraceEntry,
  type TraceHandle,
  type TraceHeader,
  type TraceRef,
  type WebviewMessage,
  type WireTrace,
} from '../shared/protocol';
import { renderPanelHtml } from '../shared/panelHtml';
import { webviewStrings } from '../shared/strings';
import type { LoadedTrace, TraceLoads, TraceService } from './traceService';
import { Commands } from './commandIds';
import { runCompareTraces } from './compareCommand';
import { parseStackTrace } from '../core/source';
import { readDetail } from '../core/decode';
import { spanIdAt, type SpanDetail, type StackFrameRef } from '../shared/model';
import { TRACE_ID_HEX as HEX_32 } from '../shared/traceId';
import type { Config } from './config';
import { otlpJsonText } from '../core/export';
import { notices } from '../core/notices';
import * as notify from './notify';
import { buildSpanText, type SpanText } from '../core/spanText';
import { PanelHistory, type HistoryEntry } from './panelHistory';
import { compareTraces } from '../core/compare';
import { openLogLine, type LogLineLocation, type SpanLogFinder } from './spanLogs';

/** The webview type; also the serializer's key. */
export const TRACE_VIEW_TYPE = 'traceLens.trace';

/**
 * State the webview keeps with setState (webview/state.ts). The serializer reopens `subject`; a
 * state saved before panels had subjects names only `traceId`.
 */
interface PersistedState {
  subject?: unknown;
  traceId?: unknown;
  selectSpanId?: unknown;
}

/** Adds parsed stack frames to exception events, so the webview can link each frame. */
export function withFrames(detail: SpanDetail): SpanDetail {
  const events = detail.events.map((ev) => {
    if (ev.name !== 'exception') return ev;
    const stack = ev.attributes.find((a) => a.key === 'exception.stacktrace')?.value;
    if (typeof stack !== 'string' || !stack) return ev;
    const frames: StackFrameRef[] = parseStackTrace(stack).map((f) => ({
      file: f.file,
      ...(f.line !== undefined ? { line: f.line } : {}),
      ...(f.column !== undefined ? { column: f.column } : {}),
      ...(f.functionName ? { functionName: f.functionName } : {}),
      userCode: !f.library,
    }));
    return frames.length ? { ...ev, frames } : ev;
  });
  return { ...detail, events };
}

/** Builds what crosses to the webview: columns plus analysis, no object graph. */
export function toWire(loaded: LoadedTrace, canOpenInGrafana: boolean): WireTrace {
  const model = loaded.decoded.model;
  const header: TraceHeader = {
    backendName: loaded.backendName,
    rootService: loaded.summary.rootService,
    rootName: loaded.summary.rootName,
    serviceCount: loaded.summary.serviceCount,
    errorCount: loaded.summary.errorCount,
    canOpenInGrafana,
  };
  return { model, header, ...analyze(model) };
}

/** One trace of a panel's subject. */
interface Slot {
  handle: TraceHandle;
  ref: TraceRef;
  loaded?: LoadedTrace;
  /** Why the last load failed. */
  error?: string;
  /** Span to select once the webview has the trace. */
  pendingSelect?: string;
}

/** Span texts per loaded trace, built on the first search that needs them. */
const spanTexts = new WeakMap<LoadedTrace, SpanText>();

/** The selected span of a panel, as its webview last said. */
export interface PanelSelection {
  handle: TraceHandle;
  index: number;
}

/**
 * One webview panel showing one subject: a trace, or two to compare. The panel can move to
 * another subject in place (`navigate`: a span link, a comparison, a jump from a log line) and
 * back and forward again (`go`, Alt+← / Alt+→), like a browser tab.
 */
class TracePanel implements vscode.Disposable {
  private subjectKey: string;
  private currentSubject: PanelSubject;
  private slots: Slot[];
  private readonly history: PanelHistory;
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | undefined;
  /** This panel's fetches: closing the panel cancels them. */
  private readonly loads: TraceLoads;
  private selected: PanelSelection | undefined;
  /** Where the log lines last listed in the span details are, by the id the webview knows them by. */
  private logLines = new Map<number, LogLineLocation>();
  private nextLogLine = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  /**
   * Fires when the panel's view state or its selection changes, or a trace (re)loads; the source
   * overlay follows it.
   */
  readonly onDidChange = this.changed.event;

  constructor(
    subject: PanelSubject,
    readonly panel: vscode.WebviewPanel,
    private readonly traces: TraceService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: Config,
    private readonly owner: PanelOwner,
    selectSpanId?: string,
    private readonly logs?: SpanLogFinder,
  ) {
    this.currentSubject = subject;
    this.subjectKey = subjectKey(subject);
    this.history = new PanelHistory({ subject, ...(selectSpanId ? { spanId: selectSpanId } : {}) });
    this.slots = subjectTraces(subject).map(({ handle, ref }) => ({ handle, ref }));
    if (selectSpanId) this.primary.pendingSelect = selectSpanId;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'trace-lens.svg');
    panel.webview.html = this.html();
    this.loads = traces.scope();
    this.disposables.push(
      this.loads,
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.changed.fire()),
      this.changed,
    );
    this.loading = this.load(false);
  }

  /** What the panel shows now. */
  get subject(): PanelSubject {
    return this.currentSubject;
  }

  /** The key of what the panel shows now (`subjectKey`). */
  get key(): string {
    return this.subjectKey;
  }

  /**
   * Shows `subject` in this panel (selecting `spanId` in its first trace), pushing it on the
   * history so Alt+← comes back here. The seam for everything that moves a panel: span links,
   * "Compare with…", jumps from a log line. When another panel already shows `subject`, that
   * panel is revealed instead (one panel per subject).
   */
  navigate(subject: PanelSubject, spanId?: string): void {
    if (subjectKey(subject) === this.subjectKey) {
      this.reveal(spanId);
      return;
    }
    if (this.owner.reveal(subject, spanId, this)) return;
    this.history.push({ subject, ...(spanId ? { spanId } : {}) }, this.selectedSpanId());
    this.show(this.history.current);
  }

  /** Goes back (`-1`) or forward (`1`) in the panel's history; false when there is nothing there. */
  go(delta: -1 | 1): boolean {
    const target = this.history.peek(delta);
    if (!target) return false;
    if (this.owner.reveal(target.subject, target.spanId, this)) return false;
    this.history.move(delta, this.selectedSpanId());
    this.show(this.history.current);
    return true;
  }

  /** The span ID the webview last said is selected in the primary trace. */
  private selectedSpanId(): string | undefined {
    const sel = this.selected;
    const loaded = this.primary.loaded;
    if (!sel || sel.handle !== this.primary.handle || !loaded) return undefined;
    const c = loaded.decoded.model.columns;
    return sel.index < loaded.decoded.model.spanCount ? spanIdAt(c, sel.index) : undefined;
  }

  /** Puts `entry` in the panel: new slots, a fresh webview (it asks for `init` again), a new fetch. */
  private show(entry: HistoryEntry): void {
    const oldKey = this.subjectKey;
    this.currentSubject = entry.subject;
    this.subjectKey = subjectKey(entry.subject);
    this.slots = subjectTraces(entry.subject).map(({ handle, ref }) => ({ handle, ref }));
    if (entry.spanId) this.primary.pendingSelect = entry.spanId;
    this.selected = undefined;
    this.ready = false;
    this.owner.rekeyed(this, oldKey);
    this.panel.title = initialTitle(entry.subject);
    this.panel.webview.html = this.html();
    this.loading = this.load(false);
    this.changed.fire();
  }

  /** Saves trace `handle` as OTLP/JSON where the person says. */
  async saveAs(handle: TraceHandle = this.primary.handle): Promise<void> {
    const slot = this.slots.find((s) => s.handle === handle);
    const loaded = slot?.loaded;
    if (!slot || !loaded) {
      void notify.info(notices.traceNotLoaded());
      return;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `trace-${slot.ref.traceId}.json`;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save Trace As (OTLP JSON)'),
      saveLabel: vscode.l10n.t('Save Trace'),
      filters: { [vscode.l10n.t('OTLP JSON')]: ['json'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
    });
    if (!target) return;
    try {
      const text = otlpJsonText(loaded.decoded);
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      this.log.info(`saved trace ${slot.ref.traceId} (${loaded.decoded.model.spanCount} spans) as OTLP JSON`);
      void vscode.window.setStatusBarMessage(
        vscode.l10n.t('Trace saved as OTLP JSON: {0}', vscode.workspace.asRelativePath(target)),
        4000,
      );
    } catch (err) {
      this.log.warn(`save trace: ${String(err)}`);
      notify.errorWithLog(this.log, notices.traceNotSaved());
    }
  }

  /** Resolves once the current (re)load is done: true when the primary trace is loaded. */
  async settled(): Promise<boolean> {
    await this.loading;
    return this.primary.loaded !== undefined;
  }

  /** The subject's first trace: the one the views show and the overlay follows. */
  get primary(): Slot {
    return this.slots[0]!;
  }

  /** The selected span of the primary trace, as the webview last reported it. */
  get selection(): PanelSelection | undefined {
    return this.selected;
  }

  /** Selects a span of the primary trace (or just reveals the panel). */
  reveal(spanId?: string): void {
    this.panel.reveal(this.panel.viewColumn, false);
    if (!spanId) return;
    const slot = this.primary;
    if (this.ready && slot.loaded) this.post({ type: 'selectSpan', handle: slot.handle, spanId });
    else slot.pendingSelect = spanId;
  }

  private async load(refresh: boolean): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.loadSlot(slot, refresh)));
    if (this.ready) this.postComparison();
    this.changed.fire();
  }

  /** A comparison panel whose two traces loaded: compares them (core/compare) and posts the result. */
  private postComparison(): void {
    if (this.subject.kind !== 'compare') return;
    const [a, b] = this.slots as [Slot, Slot];
    if (!a.loaded || !b.loaded) return;
    const started = Date.now();
    const c = compareTraces(a.loaded.decoded.model, b.loaded.decoded.model);
    this.log.info(
      `compare ${a.ref.traceId} with ${b.ref.traceId}: ${c.operations.length} operations in ${Date.now() - started} ms`,
    );
    this.post({
      type: 'comparison',
      comparison: {
        operations: c.operations,
        added: c.added,
        missing: c.missing,
        operationOfA: c.operationOfA,
        operationOfB: c.operationOfB,
      },
    });
  }

  private async loadSlot(slot: Slot, refresh: boolean): Promise<void> {
    if (this.ready) this.post({ type: 'loading', handle: slot.handle, traceId: slot.ref.traceId });
    try {
      const loaded = await this.loads.load(slot.ref.traceId, refresh, slot.ref.backend);
      // The panel moved on to another subject while this fetch ran.
      if (!this.slots.includes(slot)) return;
      slot.loaded = loaded;
      slot.error = undefined;
      // A new version of the trace: the webview selects again, and says so.
      if (this.selected?.handle === slot.handle) this.selected = undefined;
      this.setTitle();
      if (this.ready) this.post({ type: 'trace', ...this.entry(slot) });
    } catch (err) {
      // The panel was closed: nothing is left to show the outcome.
      if (err instanceof vscode.CancellationError || !this.slots.includes(slot)) return;
      slot.error = err instanceof Error ? err.message : String(err);
      // A failed refresh keeps the trace on screen (the webview shows the failure as a banner):
      // the backend being down must not take away what the person was reading.
      if (!refresh || !slot.loaded) {
        slot.loaded = undefined;
        if (this.selected?.handle === slot.handle) this.selected = undefined;
      }
      this.setTitle();
      if (this.ready) this.post({ type: 'error', handle: slot.handle, message: slot.error });
    }
  }

  /** What the webview gets for a loaded slot; its pending selection goes with it once. */
  private entry(slot: Slot): TraceEntry {
    const entry: TraceEntry = {
      handle: slot.handle,
      trace: toWire(slot.loaded!, this.config.grafanaUrl !== undefined),
      ...(slot.pendingSelect ? { selectSpanId: slot.pendingSelect } : {}),
    };
    slot.pendingSelect = undefined;
    return entry;
  }

  private setTitle(): void {
    const short = (slot: Slot) => slot.ref.traceId.slice(0, 8);
    if (this.subject.kind === 'compare') {
      const [a, b] = this.slots as [Slot, Slot];
      this.panel.title = vscode.l10n.t('Compare {0} · {1}', short(a), short(b));
      return;
    }
    const slot = this.primary;
    this.panel.title = slot.loaded
      ? `${slot.loaded.summary.rootName} · ${short(slot)}`
      : vscode.l10n.t('Trace {0} (failed)', short(slot));
  }

  /** The primary trace, once it has loaded. */
  get trace(): LoadedTrace | undefined {
    return this.primary.loaded;
  }

  /** The loaded trace of `traceId` in this panel, if it shows it. */
  traceOf(traceId: string): { loaded: LoadedTrace | undefined } | undefined {
    const slot = this.slots.find((s) => s.ref.traceId === traceId);
    return slot && { loaded: slot.loaded };
  }

  /** Every trace ID the panel shows. */
  get traceIds(): string[] {
    return this.slots.map((s) => s.ref.traceId);
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  /** The slot a message names, or undefined (and a log line) when the panel has no such trace. */
  private slotOf(handle: TraceHandle): Slot | undefined {
    const slot = this.slots.find((s) => s.handle === handle);
    if (!slot)
      this.log.warn('ignored a message from the trace webview about a trace the panel does not show');
    return slot;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg: WebviewMessage | undefined = parseWebviewMessage(raw);
    if (!msg) {
      this.log.warn('ignored a malformed message from the trace webview');
      return;
    }
    switch (msg.type) {
      case 'ready': {
        this.ready = true;
        await this.loading;
        const loaded = this.slots.filter((s) => s.loaded);
        if (loaded.length === 0) {
          const slot = this.primary;
          this.post({
            type: 'error',
            handle: slot.handle,
            message: slot.error ?? vscode.l10n.t('The trace could not be loaded.'),
          });
          return;
        }
        this.post({
          type: 'init',
          inReplyTo: msg.requestId,
          subject: this.subject,
          traces: loaded.map((s) => this.entry(s)),
          ...(this.history.length > 1 ? { history: this.history.state } : {}),
          ...(this.owner.layout() ? { layout: this.owner.layout()! } : {}),
        });
        this.postComparison();
        for (const s of this.slots) {
          if (!s.loaded)
            this.post({
              type: 'error',
              handle: s.handle,
              message: s.error ?? vscode.l10n.t('The trace could not be loaded.'),
            });
        }
        return;
      }
      case 'getSpanDetail': {
        // Every request gets an answer, or the pane says "Loading attributes…" for ever.
        const slot = this.slotOf(msg.handle);
        this.post({
          type: 'spanDetail',
          inReplyTo: msg.requestId,
          detail: slot ? this.detailFor(slot, msg.index) : null,
        });
        return;
      }
      case 'openTrace': {
        // A span link: the linked trace in this panel, from the backend this trace came from.
        const backend = this.primary.ref.backend;
        this.navigate(
          { kind: 'trace', traceId: msg.traceId, ...(backend !== undefined ? { backend } : {}) },
          msg.spanId,
        );
        return;
      }
      case 'navigate':
        this.navigate(msg.subject, msg.spanId);
        return;
      case 'history':
        this.go(msg.delta);
        return;
      case 'saveTrace':
        await this.saveAs(msg.handle);
        return;
      case 'saveLayout':
        this.owner.saveLayout(msg.layout);
        return;
      case 'getSpanText': {
        const slot = this.slotOf(msg.handle);
        const loaded = slot?.loaded;
        let text: SpanText | null = null;
        if (loaded) {
          text = spanTexts.get(loaded) ?? null;
          if (!text) {
            try {
              text = buildSpanText(loaded.decoded);
              spanTexts.set(loaded, text);
            } catch (err) {
              this.log.warn(`trace panel: the span texts could not be read: ${String(err)}`);
            }
          }
        }
        this.post({ type: 'spanText', inReplyTo: msg.requestId, handle: msg.handle, text });
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard'), 2000);
        return;
      case 'refresh':
        this.loading = this.load(true);
        return;
      case 'openBackendSetting':
        await vscode.commands.executeCommand(Commands.openBackendSetting);
        return;
      case 'testConnection':
        await vscode.commands.executeCommand(Commands.testConnection);
        return;
      case 'goToSource': {
        const slot = this.slotOf(msg.handle);
        if (!slot) return;
        await vscode.commands.executeCommand(Commands.goToSpanSource, {
          traceId: slot.ref.traceId,
          index: msg.index,
        });
        return;
      }
      case 'openStackFrame': {
        const slot = this.slotOf(msg.handle);
        if (!slot) return;
        await vscode.commands.executeCommand(Commands.goToSpanSource, {
          traceId: slot.ref.traceId,
          index: msg.index,
          eventIndex: msg.eventIndex,
          frameIndex: msg.frameIndex,
        });
        return;
      }
      case 'openInGrafana': {
        const slot = this.slotOf(msg.handle);
        if (!slot) return;
        await vscode.commands.executeCommand(Commands.openInGrafana, { traceId: slot.ref.traceId });
        return;
      }
      case 'compareWith': {
        const slot = this.slotOf(msg.handle);
        if (!slot) return;
        await vscode.commands.executeCommand(Commands.compareTraces, slot.ref);
        return;
      }
      case 'getSpanLogs': {
        const slot = this.slotOf(msg.handle);
        const found = slot?.loaded && this.logs ? await this.logs.find(slot.loaded, msg.index) : undefined;
        // Ids of the lines listed before are dropped: only what the pane shows can be opened.
        this.logLines = new Map();
        const lines = (found?.lines ?? []).map(({ uri, line, ...shown }) => {
          const id = this.nextLogLine++;
          this.logLines.set(id, { uri, line });
          return { id, ...shown };
        });
        this.post({
          type: 'spanLogs',
          inReplyTo: msg.requestId,
          handle: msg.handle,
          index: msg.index,
          records: found?.records ?? [],
          lines,
          notes: found?.notes ?? (this.logs ? [] : ['Logs are not available in this window.']),
        });
        return;
      }
      case 'openLogLine': {
        const loc = this.logLines.get(msg.id);
        if (!loc) return;
        try {
          await openLogLine(loc);
        } catch (err) {
          this.log.warn(`trace panel: a log line could not be opened: ${String(err)}`);
        }
        return;
      }
      case 'compareTraces':
        await runCompareTraces(msg.a, msg.b, this.log);
        return;
      case 'selectionChanged': {
        const slot = this.slotOf(msg.handle);
        if (!slot) return;
        const next =
          msg.index !== null && slot.loaded && msg.index < slot.loaded.decoded.model.spanCount
            ? { handle: slot.handle, index: msg.index }
            : undefined;
        if (msg.index !== null && !next) return; // an index this version of the trace does not have
        if (next?.handle === this.selected?.handle && next?.index === this.selected?.index) return;
        this.selected = next;
        this.changed.fire();
        return;
      }
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /** Span `index`'s detail for the webview: null if there is no such span, `damaged` if unreadable. */
  private detailFor(slot: Slot, index: number): SpanDetail | null {
    const detail = readDetail(slot.loaded?.decoded, index);
    if (!detail || detail.damaged) return detail;
    try {
      return withFrames(detail);
    } catch (err) {
      this.log.warn(`trace panel: the stack frames of span ${index} could not be parsed: ${String(err)}`);
      return detail;
    }
  }

  private html(): string {
    const webview = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    const ids = this.slots.map((s) => s.ref.traceId);
    return renderPanelHtml({
      cspSource: webview.cspSource,
      // Scripts run only with this value: unguessable, new for every page.
      nonce: randomBytes(16).toString('hex'),
      distUri: (file) => webview.asWebviewUri(vscode.Uri.joinPath(dist, file)).toString(),
      title:
        this.subject.kind === 'compare'
          ? vscode.l10n.t('Compare {0} and {1}', ids[0] ?? '', ids[1] ?? '')
          : vscode.l10n.t('Trace {0}', ids[0] ?? ''),
      // The webview's words, in the page so the first paint (the loading state) has them.
      strings: webviewStrings(vscode),
      lang: vscode.env.language,
    });
  }

  dispose(): void {
    this.owner.disposed(this);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** The first line of a panel's tab before its trace has loaded. */
function initialTitle(subject: PanelSubject): string {
  const ids = subjectTraces(subject).map(({ ref }) => ref.traceId.slice(0, 8));
  return subject.kind === 'compare' ? `Compare ${ids.join(' · ')}` : `Trace ${ids[0]}`;
}

/** What a panel asks of the set of panels it belongs to. */
interface PanelOwner {
  disposed(p: TracePanel): void;
  /** `p` now shows another subject: key it by that. */
  rekeyed(p: TracePanel, oldKey: string): void;
  /** Reveals the other panel showing `subject`, if any (true), so no subject has two panels. */
  reveal(subject: PanelSubject, spanId: string | undefined, from: TracePanel): boolean;
  /** The pane sizes last chosen in this workspace. */
  layout(): PanelLayout | undefined;
  /** Remembers pane sizes for this workspace. */
  saveLayout(layout: PanelLayout): void;
}

/** The workspaceState key of the pane sizes. */
const LAYOUT_KEY = 'traceLens.panelLayout';

/**
 * Keeps one panel per subject; opening a subject that is already open reveals its panel. Panels
 * are keyed by what they show (`subjectKey`), so a trace and a comparison that includes it are
 * two panels.
 */
export class TracePanels implements vscode.Disposable {
  private readonly panels = new Map<string, TracePanel>();
  private active: TracePanel | undefined;
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /** Fires when the most recently active panel changes, its trace (re)loads, or its selection changes. */
  readonly onDidChangeActiveTrace = this.activeChanged.event;

  constructor(
    private readonly traces: TraceService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: Config,
    /** Where pane sizes are remembered per workspace (absent in tests: not remembered). */
    private readonly workspaceState?: vscode.Memento,
    private readonly logs?: SpanLogFinder,
  ) {}

  /**
   * Opens (or reveals) the panel of `traceId`, selecting `spanId` when given. Resolves once it has
   * loaded: true when the trace is shown, false when fetching it failed (the panel says why).
   */
  open(traceId: string, spanId?: string): Promise<boolean> {
    return this.openSubject({ kind: 'trace', traceId }, spanId);
  }

  /**
   * Opens (or reveals) the panel of `subject`, selecting `spanId` in its first trace when given.
   * Resolves as `open` does.
   */
  openSubject(subject: PanelSubject, spanId?: string): Promise<boolean> {
    const existing = this.panels.get(subjectKey(subject));
    if (existing) {
      existing.reveal(spanId);
      return existing.settled();
    }
    const panel = vscode.window.createWebviewPanel(
      TRACE_VIEW_TYPE,
      initialTitle(subject),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] },
    );
    return this.adopt(subject, panel, spanId).settled();
  }

  private adopt(subject: PanelSubject, panel: vscode.WebviewPanel, spanId?: string): TracePanel {
    const p = new TracePanel(
      subject,
      panel,
      this.traces,
      this.extensionUri,
      this.log,
      this.config,
      {
        disposed: (gone) => {
          if (this.panels.get(gone.key) === gone) this.panels.delete(gone.key);
          if (this.active === gone) {
            this.active = undefined;
            this.activeChanged.fire();
          }
        },
        rekeyed: (moved, oldKey) => {
          if (this.panels.get(oldKey) === moved) this.panels.delete(oldKey);
          this.panels.set(moved.key, moved);
        },
        reveal: (target, span, from) => {
          const other = this.panels.get(subjectKey(target));
          if (!other || other === from) return false;
          other.reveal(span);
          return true;
        },
        layout: () => parsePanelLayout(this.workspaceState?.get<unknown>(LAYOUT_KEY)),
        saveLayout: (layout) => {
          const merged = { ...parsePanelLayout(this.workspaceState?.get<unknown>(LAYOUT_KEY)), ...layout };
          void this.workspaceState?.update(LAYOUT_KEY, merged);
        },
      },
      spanId,
      this.logs,
    );
    this.panels.set(p.key, p);
    const follow = () => {
      if (p.panel.active && this.active !== p) this.active = p;
      else if (this.active !== p) return;
      this.activeChanged.fire();
    };
    p.onDidChange(follow);
    follow();
    return p;
  }

  /**
   * The most recently active panel's primary trace (the source overlay shows it): `loaded` once
   * fetched, `selected` the span selected in the panel.
   */
  get activeTrace(): { traceId: string; loaded: LoadedTrace | undefined; selected?: number } | undefined {
    const p = this.active;
    if (!p) return undefined;
    const sel = p.selection;
    return {
      traceId: p.primary.ref.traceId,
      loaded: p.trace,
      ...(sel && sel.handle === p.primary.handle ? { selected: sel.index } : {}),
    };
  }

  /**
   * The trace an open panel shows and the column it is in (to open source beside it): the panel
   * of the trace itself, or else any panel that shows it.
   */
  panelTrace(
    traceId: string,
  ): { loaded: LoadedTrace | undefined; viewColumn?: vscode.ViewColumn } | undefined {
    const own = this.panels.get(subjectKey({ kind: 'trace', traceId }));
    const panel = own ?? [...this.panels.values()].find((p) => p.traceOf(traceId));
    const found = panel?.traceOf(traceId);
    if (!panel || !found) return undefined;
    const column = panel.panel.viewColumn;
    return column === undefined ? { loaded: found.loaded } : { loaded: found.loaded, viewColumn: column };
  }

  /** The most recently active panel, if any is open. */
  get activePanel(): { saveAs(): Promise<void>; go(delta: -1 | 1): boolean } | undefined {
    return this.active;
  }

  /**
   * Shows `subject` in the most recently active panel, on its history (Alt+← comes back), or in
   * a new panel when none is open. For host features that move the panel (Compare with…, a jump
   * from a log line to its trace).
   */
  navigate(subject: PanelSubject, spanId?: string): void {
    if (this.active) this.active.navigate(subject, spanId);
    else this.openSubject(subject, spanId);
  }

  /** Restores panels after a window reload: the traces are fetched again. */
  serializer(): vscode.WebviewPanelSerializer<PersistedState> {
    return {
      deserializeWebviewPanel: async (panel, state) => {
        const subject = this.savedSubject(state);
        if (!subject || this.panels.has(subjectKey(subject))) {
          panel.dispose();
          return;
        }
        const span = typeof state?.selectSpanId === 'string' ? state.selectSpanId : undefined;
        this.adopt(subject, panel, span);
      },
    };
  }

  /** What a saved webview state says the panel showed (a state from before subjects names a trace). */
  private savedSubject(state: PersistedState | undefined): PanelSubject | undefined {
    if (state?.subject !== undefined) return parsePanelSubject(state.subject);
    const id = typeof state?.traceId === 'string' ? state.traceId.toLowerCase() : '';
    return HEX_32.test(id) ? { kind: 'trace', traceId: id } : undefined;
  }

  /** Trace IDs of the open single-trace panels (for tests and views). */
  get openTraceIds(): string[] {
    return [...this.panels.values()].filter((p) => p.subject.kind === 'trace').flatMap((p) => p.traceIds);
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    this.activeChanged.dispose();
  }
}
