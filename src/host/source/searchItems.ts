/**
 * The Trace Search view's tree items: a search of the history, the traces it found, and
 * one-line messages. Every label made of trace or server text goes through `cleanText`, every
 * tooltip through `markdownText`.
 */
import * as vscode from 'vscode';
import type { SearchHit } from '../../core/backends';
import { cleanText, formatAgo, unixNanoToMs } from '../../core/source';
import { markdownText } from '../../core/untrusted';
import { formatDuration } from '../../shared/format';
import type { SearchRow } from '../../shared/protocol';
import { Commands } from '../commandIds';

/** Why an empty answer may be empty, while it refreshes on its own. */
export function cutoffNote(cutoffMs: number): string {
  return vscode.l10n.t(
    'Tempo 3.0 leaves out the last ~{0} s; this refreshes on its own.',
    Math.round(cutoffMs / 1000),
  );
}

/** One search result; `traceId` lets the existing Copy Trace ID command take it as its argument. */
export class SearchResultItem extends vscode.TreeItem {
  readonly traceId: string;

  constructor(hit: SearchHit, now: number, runId: number) {
    const root = cleanText(hit.rootTraceName ?? '', 120) || vscode.l10n.t('(root span missing)');
    // '' when the root span is missing: Tempo's placeholder is never shown as a service.
    const service = cleanText(hit.rootServiceName, 80) || vscode.l10n.t('root span missing');
    const startMs = unixNanoToMs(hit.startTimeUnixNano);
    const duration = hit.durationMs > 0 ? formatDuration(hit.durationMs * 1e6) : '<1 ms';
    super(
      `${root} · ${service} · ${duration} · ${formatAgo(startMs, now)}`,
      vscode.TreeItemCollapsibleState.None,
    );
    this.traceId = hit.traceId;
    // A trace may be in several searches of the history: the item's ID names the search too.
    this.id = `${runId}/${hit.traceId}`;
    this.description = vscode.l10n.t('{0} matched', hit.matched);
    // Untrusted Markdown runs no commands, but would still link `<https://…>` in a span name.
    this.tooltip = new vscode.MarkdownString(
      markdownText(
        `${hit.traceId}\n${root} (${service})\n${duration}, started ${Number.isFinite(startMs) ? new Date(startMs).toLocaleString() : '?'}\n${hit.matched} matching spans`,
        { lines: true },
      ),
      false,
    );
    this.iconPath = new vscode.ThemeIcon('pulse');
    this.contextValue = 'traceLens.searchResult';
    const firstSpan = hit.spanSets[0]?.spans[0]?.spanId;
    this.command = {
      command: Commands.openTraceById,
      title: vscode.l10n.t('Open Trace'),
      arguments: [{ traceId: hit.traceId, ...(firstSpan ? { spanId: firstSpan } : {}) }],
    };
  }
}

/** A one-line message in the view: an error, "no traces", or "searching". */
export class MessageItem extends vscode.TreeItem {
  constructor(message: string, icon: string, tooltip?: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    if (tooltip) this.tooltip = tooltip;
  }
}

/** One search of the history: what was asked, and what came back (or is still coming). */
export interface Run {
  id: number;
  query: string;
  rangeLabel: string;
  /** The range's length: Run Again searches as far back from its own now. */
  seconds: number;
  /** The searched range in Unix seconds. */
  start: number;
  end: number;
  backendName: string;
  limit: number;
  status: 'running' | 'done' | 'error';
  hits: SearchHit[];
  rows: SearchRow[];
  /** The error, when it failed. */
  message?: string;
  at: number;
  /** Empty within the backend's cut-off: the search runs again on its own (ms of the cut-off). */
  waitingCutoffMs?: number;
}

/** A search of the history: a click shows its results in the panel; it expands to the traces. */
export class RunItem extends vscode.TreeItem {
  constructor(
    readonly run: Run,
    latest: boolean,
  ) {
    super(
      cleanText(run.query, 120).replace(/\$\(/g, '$\u200b('),
      latest ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
    );
    // A new ID per run: VS Code keeps an item's expansion by ID, and the latest opens expanded.
    this.id = `run/${run.id}`;
    const n = run.rows.length;
    this.description =
      run.status === 'running'
        ? vscode.l10n.t('{0} · searching…', run.rangeLabel)
        : run.status === 'error'
          ? vscode.l10n.t('{0} · failed', run.rangeLabel)
          : n === 1
            ? vscode.l10n.t('{0} · 1 trace', run.rangeLabel)
            : vscode.l10n.t('{0} · {1} traces', run.rangeLabel, n);
    this.tooltip = new vscode.MarkdownString(
      markdownText(`${run.query}\n${run.rangeLabel} in ${run.backendName}`, { lines: true }),
      false,
    );
    this.iconPath = new vscode.ThemeIcon(
      run.status === 'running' ? 'loading~spin' : run.status === 'error' ? 'warning' : 'search',
    );
    this.contextValue = 'traceLens.searchRun';
    this.command = {
      command: Commands.showSearchResults,
      title: vscode.l10n.t('Show Search Results'),
      arguments: [run.id],
    };
  }
}
