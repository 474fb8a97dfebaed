import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands } from './commandIds';
import { canCompareTraces, runCompareTraces } from './compareCommand';
import { parseWebviewMessage, type HostMessage, type SearchPayload } from '../shared/protocol';
import { renderPanelHtml } from '../shared/panelHtml';
import { readSearch } from '../shared/searchPayload';
import { webviewStrings } from '../shared/strings';

/** The search results panel's webview type; also its serializer's key. */
export const SEARCH_VIEW_TYPE = 'traceLens.searchResults';

/** A search as the host hands it to the panel (whether Compare works is the panel's to ask). */
export type SearchShown = Omit<SearchPayload, 'canCompare'>;

/**
 * The search results panel: one panel, showing the search run last or picked from the Trace
 * Search view's history. It runs the same webview bundle as the trace panels, with the subject
 * `{ kind: 'search' }`; a click there opens a trace beside it, two picked rows a comparison, and
 * Run Again asks `rerun` for a new run of the shown search.
 */
export class SearchPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private shown: SearchShown | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly panelDisposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly rerun: (search: SearchShown) => void,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(SEARCH_VIEW_TYPE, {
        // After a window reload: the results the webview saved, until the person runs it again.
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const saved =
            typeof state === 'object' && state !== null
              ? readSearch((state as { search?: unknown }).search)
              : undefined;
          if (this.panel || !saved) {
            panel.dispose();
            return;
          }
          this.adopt(panel);
          this.shown = saved.status === 'running' ? { ...saved, status: 'done' } : saved;
        },
      }),
    );
  }

  /** The search the panel shows, if it is open. */
  get current(): SearchShown | undefined {
    return this.panel ? this.shown : undefined;
  }

  /**
   * Shows `search`, opening the panel in the active editor group when it is closed (`reveal`:
   * bring it to the front; otherwise an open panel updates where it is and a closed one stays so).
   */
  show(search: SearchShown, reveal: boolean): void {
    this.shown = search;
    if (!this.panel) {
      if (!reveal) return;
      this.adopt(
        vscode.window.createWebviewPanel(
          SEARCH_VIEW_TYPE,
          this.title(),
          { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
          { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] },
        ),
      );
    } else if (reveal) this.panel.reveal(this.panel.viewColumn, false);
    if (this.panel) this.panel.title = this.title();
    if (this.ready) void this.post();
  }

  /** The tab's title: the query, shortened. */
  private title(): string {
    const q = (this.shown?.query ?? '').replace(/\s+/g, ' ').trim();
    return `Search: ${q.length > 40 ? q.slice(0, 39) + '…' : q}`;
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = {
      enableScripts: true,
      enableCommandUris: false,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')],
    };
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'trace-lens.svg');
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    panel.webview.html = renderPanelHtml({
      cspSource: panel.webview.cspSource,
      // Scripts run only with this value: unguessable, new for every page.
      nonce: randomBytes(16).toString('hex'),
      distUri: (file) => panel.webview.asWebviewUri(vscode.Uri.joinPath(dist, file)).toString(),
      title: vscode.l10n.t('Search results'),
      subject: 'search',
      strings: webviewStrings(vscode),
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(raw)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.ready = false;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
    );
  }

  private async post(): Promise<void> {
    const panel = this.panel;
    const shown = this.shown;
    if (!panel || !shown) return;
    const search: SearchPayload = { ...shown, canCompare: await canCompareTraces() };
    const message: HostMessage = { type: 'search', search };
    if (this.panel === panel) void panel.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    if (!msg) {
      this.log.warn('ignored a malformed message from the search webview');
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        void this.panel?.webview.postMessage({
          type: 'init',
          inReplyTo: msg.requestId,
          subject: { kind: 'search' },
          traces: [],
        } satisfies HostMessage);
        await this.post();
        return;
      case 'openTrace':
        await vscode.commands.executeCommand(Commands.openTraceById, {
          traceId: msg.traceId,
          ...(msg.spanId ? { spanId: msg.spanId } : {}),
        });
        return;
      case 'compareTraces':
        await runCompareTraces(msg.a, msg.b, this.log);
        return;
      case 'copy':
        await vscode.env.clipboard.writeText(msg.text);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied to the clipboard'), 2000);
        return;
      case 'refresh':
        if (this.shown) this.rerun(this.shown);
        return;
      case 'openBackendSetting':
        await vscode.commands.executeCommand(Commands.openBackendSetting);
        return;
      case 'testConnection':
        await vscode.commands.executeCommand(Commands.testConnection);
        return;
      case 'getSpanDetail':
      case 'getSpanText':
      case 'getSpanLogs':
      case 'openLogLine':
      case 'saveTrace':
      case 'saveLayout':
      case 'navigate':
      case 'history':
      case 'compareWith':
      case 'goToSource':
      case 'openStackFrame':
      case 'openInGrafana':
      case 'selectionChanged':
        // About a trace: the search panel shows none.
        this.log.warn(`ignored a ${msg.type} message from the search webview`);
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
