import * as vscode from 'vscode';
import { analyze } from '../core/analysis';
import {
  parseWebviewMessage,
  type HostMessage,
  type TraceHeader,
  type WebviewMessage,
  type WireTrace,
} from '../shared/protocol';
import type { LoadedTrace, TraceService } from './traceService';
import { Commands } from './commandIds';
import { parseStackTrace } from '../core/source';
import { readDetail } from '../core/decode';
import type { SpanDetail, StackFrameRef } from '../shared/model';
import { TRACE_ID_HEX as HEX_32 } from '../shared/traceId';
import type { Config } from './config';

/** The webview type; also the serializer's key. */
export const TRACE_VIEW_TYPE = 'traceLens.trace';

/** State the webview keeps with setState; the serializer reads `traceId` to re-fetch. */
interface PersistedState {
  traceId?: unknown;
  selectSpanId?: unknown;
}

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars.charAt(Math.floor(Math.random() * chars.length));
  return s;
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

/** One webview panel showing one trace. */
class TracePanel implements vscode.Disposable {
  private loaded: LoadedTrace | undefined;
  private ready = false;
  private pendingSelect: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private loading: Promise<void> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the panel's view state changes or its trace (re)loads; the source overlay follows it. */
  readonly onDidChange = this.changed.event;

  constructor(
    readonly traceId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly traces: TraceService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: Config,
    private readonly onDispose: (p: TracePanel) => void,
    selectSpanId?: string,
  ) {
    this.pendingSelect = selectSpanId;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist')],
    };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'trace-lens.svg');
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => this.changed.fire()),
      this.changed,
    );
    this.loading = this.load(false);
  }

  /** Selects a span (or just reveals the panel). */
  reveal(spanId?: string): void {
    this.panel.reveal(this.panel.viewColumn, false);
    if (spanId) {
      if (this.ready && this.loaded) this.post({ type: 'selectSpan', spanId });
      else this.pendingSelect = spanId;
    }
  }

  private async load(refresh: boolean): Promise<void> {
    if (this.ready) this.post({ type: 'loading', traceId: this.traceId });
    try {
      this.loaded = await this.traces.load(this.traceId, undefined, refresh);
      const s = this.loaded.summary;
      this.panel.title = `${s.rootName} · ${this.traceId.slice(0, 8)}`;
      if (this.ready) {
        this.post({
          type: 'trace',
          trace: toWire(this.loaded, this.config.grafanaUrl !== undefined),
          ...(this.pendingSelect ? { selectSpanId: this.pendingSelect } : {}),
        });
        this.pendingSelect = undefined;
      }
    } catch (err) {
      this.loaded = undefined;
      const message = err instanceof Error ? err.message : String(err);
      this.panel.title = `Trace ${this.traceId.slice(0, 8)} (failed)`;
      if (this.ready) this.post({ type: 'error', message });
      else this.error = message;
    }
    this.changed.fire();
  }

  /** The loaded trace, once it has loaded. */
  get trace(): LoadedTrace | undefined {
    return this.loaded;
  }

  private error: string | undefined;

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
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
        if (this.loaded) {
          this.post({
            type: 'init',
            inReplyTo: msg.requestId,
            trace: toWire(this.loaded, this.config.grafanaUrl !== undefined),
            ...(this.pendingSelect ? { selectSpanId: this.pendingSelect } : {}),
          });
          this.pendingSelect = undefined;
        } else {
          this.post({ type: 'error', message: this.error ?? 'The trace could not be loaded.' });
        }
        return;
      }
      case 'getSpanDetail':
        // Every request gets an answer, or the pane says "Loading attributes…" for ever.
        this.post({ type: 'spanDetail', inReplyTo: msg.requestId, detail: this.detailFor(msg.index) });
        return;
      case 'openTrace':
        await vscode.commands.executeCommand(Commands.openTraceById, {
          traceId: msg.traceId,
          ...(msg.spanId ? { spanId: msg.spanId } : {}),
        });
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard'), 2000);
        return;
      case 'refresh':
        this.loading = this.load(true);
        return;
      case 'goToSource':
        await vscode.commands.executeCommand(Commands.goToSpanSource, {
          traceId: this.traceId,
          index: msg.index,
        });
        return;
      case 'openStackFrame':
        await vscode.commands.executeCommand(Commands.goToSpanSource, {
          traceId: this.traceId,
          index: msg.index,
          eventIndex: msg.eventIndex,
          frameIndex: msg.frameIndex,
        });
        return;
      case 'openInGrafana':
        await vscode.commands.executeCommand(Commands.openInGrafana, { traceId: this.traceId });
        return;
      case 'selectionChanged':
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  /** Span `index`'s detail for the webview: null if there is no such span, `damaged` if unreadable. */
  private detailFor(index: number): SpanDetail | null {
    const detail = readDetail(this.loaded?.decoded, index);
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
    const n = nonce();
    const css = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const icons = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicon.css'));
    const js = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource} 'nonce-${n}'`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${n}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${icons.toString()}" nonce="${n}">
<link rel="stylesheet" href="${css.toString()}" nonce="${n}">
<title>Trace ${this.traceId}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${n}" src="${js.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.onDispose(this);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
  }
}

/** Keeps one panel per trace; opening a trace that is already open reveals it. */
export class TracePanels implements vscode.Disposable {
  private readonly panels = new Map<string, TracePanel>();
  private active: TracePanel | undefined;
  private readonly activeChanged = new vscode.EventEmitter<void>();
  /** Fires when the most recently active panel changes, or its trace (re)loads. */
  readonly onDidChangeActiveTrace = this.activeChanged.event;

  constructor(
    private readonly traces: TraceService,
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: Config,
  ) {}

  /** Opens (or reveals) the panel of `traceId`, selecting `spanId` when given. */
  open(traceId: string, spanId?: string): void {
    const existing = this.panels.get(traceId);
    if (existing) {
      existing.reveal(spanId);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      TRACE_VIEW_TYPE,
      `Trace ${traceId.slice(0, 8)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] },
    );
    this.adopt(traceId, panel, spanId);
  }

  private adopt(traceId: string, panel: vscode.WebviewPanel, spanId?: string): void {
    const p = new TracePanel(
      traceId,
      panel,
      this.traces,
      this.extensionUri,
      this.log,
      this.config,
      (gone) => {
        if (this.panels.get(gone.traceId) === gone) this.panels.delete(gone.traceId);
        if (this.active === gone) {
          this.active = undefined;
          this.activeChanged.fire();
        }
      },
      spanId,
    );
    this.panels.set(traceId, p);
    const follow = () => {
      if (p.panel.active && this.active !== p) this.active = p;
      else if (this.active !== p) return;
      this.activeChanged.fire();
    };
    p.onDidChange(follow);
    follow();
  }

  /** The most recently active panel's trace (the source overlay shows it); `loaded` once fetched. */
  get activeTrace(): { traceId: string; loaded: LoadedTrace | undefined } | undefined {
    return this.active ? { traceId: this.active.traceId, loaded: this.active.trace } : undefined;
  }

  /** The trace an open panel shows and the column it is in (to open source beside it). */
  panelTrace(
    traceId: string,
  ): { loaded: LoadedTrace | undefined; viewColumn?: vscode.ViewColumn } | undefined {
    const p = this.panels.get(traceId);
    if (!p) return undefined;
    const column = p.panel.viewColumn;
    return column === undefined ? { loaded: p.trace } : { loaded: p.trace, viewColumn: column };
  }

  /** Restores panels after a window reload: the trace is fetched again by its ID. */
  serializer(): vscode.WebviewPanelSerializer<PersistedState> {
    return {
      deserializeWebviewPanel: async (panel, state) => {
        const id = typeof state?.traceId === 'string' ? state.traceId.toLowerCase() : '';
        if (!HEX_32.test(id) || this.panels.has(id)) {
          panel.dispose();
          return;
        }
        const span = typeof state?.selectSpanId === 'string' ? state.selectSpanId : undefined;
        this.adopt(id, panel, span);
      },
    };
  }

  /** Open trace IDs (for tests and views). */
  get openTraceIds(): string[] {
    return [...this.panels.keys()];
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    this.activeChanged.dispose();
  }
}
