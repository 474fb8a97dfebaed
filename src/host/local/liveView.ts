import * as vscode from 'vscode';
import { liveRow, matchesLiveFilter, type LiveRow } from '../../core/local';
import { markdownText } from '../../core/untrusted';
import { Commands } from '../commandIds';
import { describeError } from '../errors';
import type { LocalReceiver } from './receiver';

/** The view's ID in package.json. */
export const LIVE_VIEW_ID = 'traceLens.live';
/** Context key: a filter is set (shows "Clear Filter"). */
const FILTERED_KEY = 'traceLens.liveFiltered';

/** Rows shown; with a filter, this many of the last `FILTER_SCAN` traces. */
const SHOWN = 50;
const FILTER_SCAN = 500;

/** One trace in the Live view; `traceId` lets Copy Trace ID take it as its argument. */
export class LiveTraceItem extends vscode.TreeItem {
  readonly traceId: string;

  constructor(row: LiveRow) {
    super(row.label, vscode.TreeItemCollapsibleState.None);
    this.traceId = row.traceId;
    this.id = row.traceId;
    this.description = row.description;
    // Untrusted Markdown runs no commands, but would still link `<https://…>` in a span name.
    this.tooltip = new vscode.MarkdownString(markdownText(row.tooltip, { lines: true }), false);
    this.iconPath = row.error
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
      : new vscode.ThemeIcon('pass');
    this.contextValue = 'traceLens.liveTrace';
    this.command = {
      command: Commands.openTraceById,
      title: vscode.l10n.t('Open Trace'),
      arguments: [{ traceId: row.traceId }],
    };
  }
}

/**
 * The Live view: the traces the local store received, newest first (root span, service,
 * duration, other services, errors, start time), refreshed as spans arrive while the view is
 * visible; a filter box in its title; a click opens the trace.
 */
export class LiveView implements vscode.TreeDataProvider<LiveTraceItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<LiveTraceItem>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private filter = '';
  /** A change arrived while the view was hidden: refresh when it shows. */
  private stale = false;
  /** The rows last shown, for the in-host tests. */
  private shown: LiveRow[] = [];

  constructor(
    private readonly receiver: LocalReceiver,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(LIVE_VIEW_ID, {
      treeDataProvider: this,
      showCollapseAll: false,
    });
    const refresh = () => {
      if (this.view.visible) this.changed.fire();
      else this.stale = true;
    };
    this.subscriptions.push(
      this.view,
      this.changed,
      receiver.onDidReceive(refresh),
      receiver.onDidChange(() => {
        this.updateMessage();
        refresh();
      }),
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) {
          this.stale = false;
          this.changed.fire();
        }
      }),
    );
    this.updateMessage();
  }

  getTreeItem(element: LiveTraceItem): vscode.TreeItem {
    return element;
  }

  async getChildren(element?: LiveTraceItem): Promise<LiveTraceItem[]> {
    if (element) return [];
    let rows: LiveRow[];
    try {
      const summaries = await this.receiver.recent(this.filter ? FILTER_SCAN : SHOWN);
      rows = summaries
        .filter((s) => matchesLiveFilter(s, this.filter))
        .slice(0, SHOWN)
        .map((s) => liveRow(s));
    } catch (err) {
      this.log.warn(`live view: ${describeError(err)}`);
      rows = [];
    }
    this.shown = rows;
    this.updateMessage();
    return rows.map((r) => new LiveTraceItem(r));
  }

  /** The rows the view shows now (labels and descriptions), for the in-host tests. */
  rows(): ReadonlyArray<Pick<LiveRow, 'traceId' | 'label' | 'description'>> {
    return this.shown.map(({ traceId, label, description }) => ({ traceId, label, description }));
  }

  /** Asks for the filter (a box in the view's title). */
  async askFilter(): Promise<void> {
    const value = await vscode.window.showInputBox({
      title: vscode.l10n.t('Trace Lens: Filter Live Traces'),
      prompt: vscode.l10n.t(
        'Words that the root span, a service or the trace ID must contain; is:error keeps failed traces. Empty shows all.',
      ),
      placeHolder: 'checkout is:error',
      value: this.filter,
    });
    if (value !== undefined) this.setFilter(value);
  }

  /** Sets the filter ('' for none). */
  setFilter(value: string): void {
    this.filter = value.trim().slice(0, 200);
    this.view.description = this.filter ? vscode.l10n.t('filter: {0}', this.filter) : undefined;
    void vscode.commands.executeCommand('setContext', FILTERED_KEY, this.filter !== '');
    this.changed.fire();
  }

  /** Shows the view. */
  async reveal(): Promise<void> {
    await vscode.commands.executeCommand(`${LIVE_VIEW_ID}.focus`);
  }

  /** The line above the rows: what to do when there are none, or which filter hides them. */
  private updateMessage(): void {
    const v = this.receiver.view();
    let message: string | undefined;
    if (v.phase === 'off') message = vscode.l10n.t('The receiver is off: start it from the status bar.');
    else if (v.phase === 'failed')
      message = vscode.l10n.t('The receiver could not start: see the Trace Lens log.');
    else if (this.shown.length === 0 && this.filter)
      message = vscode.l10n.t('No recent trace matches the filter.');
    else if (this.shown.length === 0 && v.otlpHttpUrl)
      message = vscode.l10n.t(
        'Waiting for traces: send OTLP to {0}, or press F5 (Trace Lens sets OTEL_* for your launches).',
        v.otlpHttpUrl,
      );
    else if (this.shown.length === 0 && v.phase === 'running' && v.role === 'writer')
      message = vscode.l10n.t('No OTLP port: see the status bar.');
    this.view.message = message;
  }

  dispose(): void {
    for (const s of this.subscriptions.splice(0)) s.dispose();
  }
}
