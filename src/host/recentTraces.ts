import * as vscode from 'vscode';
import { formatDuration } from '../shared/format';
import { Commands } from './commandIds';
import { TRACE_ID_HEX } from '../core/ids';
import { markdownText } from '../core/untrusted';
import type { TraceService } from './traceService';

/** Where a recent trace ID was seen. */
export type RecentSource = 'terminal' | 'debug' | 'hover' | 'opened' | 'editor';

/** One entry of the Recent Traces view, as persisted in workspace state. */
export interface RecentTrace {
  traceId: string;
  spanId?: string;
  source: RecentSource;
  seenAt: number;
  /** Filled once the trace was fetched: "workflow.execute · 5.2 s · 6 spans". */
  summary?: string;
  error?: boolean;
}

const KEY = 'traceLens.recentTraces';
const MAX = 50;

const SOURCE_LABEL: Record<RecentSource, string> = {
  terminal: 'terminal',
  debug: 'debug output',
  hover: 'hover',
  opened: 'opened',
  editor: 'editor',
};

/** How the tooltip says where the ID came from. */
const SOURCE_SENTENCE: Record<RecentSource, string> = {
  terminal: 'seen in the terminal',
  debug: 'seen in debug output',
  hover: 'hovered',
  opened: 'opened',
  editor: 'seen in an editor',
};

/** Whether `v` names a place a recent trace can come from. */
export function isRecentSource(v: unknown): v is RecentSource {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(SOURCE_LABEL, v);
}

/** Tree item carrying its trace, so context-menu commands receive it. */
export class RecentTraceItem extends vscode.TreeItem {
  constructor(readonly entry: RecentTrace) {
    super(entry.summary ?? entry.traceId, vscode.TreeItemCollapsibleState.None);
    this.id = entry.traceId;
    this.description = entry.summary ? entry.traceId.slice(0, 16) : SOURCE_LABEL[entry.source];
    this.tooltip = new vscode.MarkdownString(
      markdownText(
        `${entry.traceId}\n${SOURCE_SENTENCE[entry.source]} at ${new Date(entry.seenAt).toLocaleString()}`,
        { lines: true },
      ),
      false,
    );
    this.iconPath = new vscode.ThemeIcon(entry.error ? 'warning' : 'pulse');
    this.contextValue = 'traceLens.recentTrace';
    this.command = {
      command: Commands.openTraceById,
      title: vscode.l10n.t('Open Trace'),
      arguments: [{ traceId: entry.traceId, ...(entry.spanId ? { spanId: entry.spanId } : {}) }],
    };
  }
}

/**
 * Recent Traces: IDs from terminal links, debug output, hovers and opened traces, newest first,
 * persisted per workspace. Summaries are filled in when a trace is fetched.
 */
export class RecentTraces implements vscode.TreeDataProvider<RecentTraceItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private entries: RecentTrace[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly traces: TraceService,
  ) {
    const stored = state.get<unknown>(KEY);
    this.entries = Array.isArray(stored) ? stored.filter(isRecent).slice(0, MAX) : [];
  }

  /** Records a sighting; moves an existing entry to the top. */
  add(traceId: string, source: RecentSource, spanId?: string): void {
    if (!TRACE_ID_HEX.test(traceId)) return;
    const old = this.entries.find((e) => e.traceId === traceId);
    this.entries = this.entries.filter((e) => e.traceId !== traceId);
    const entry: RecentTrace = { ...old, traceId, source, seenAt: Date.now(), ...(spanId ? { spanId } : {}) };
    const cached = this.traces.peek(traceId);
    if (cached) {
      const s = cached.summary;
      entry.summary = `${s.rootName} · ${formatDuration(s.durationNs)} · ${s.spanCount} spans`;
    }
    this.entries.unshift(entry);
    this.entries.length = Math.min(this.entries.length, MAX);
    this.save();
  }

  /** Fills in the summary of a trace that was just fetched. */
  noteLoaded(traceId: string): void {
    const entry = this.entries.find((e) => e.traceId === traceId);
    const cached = this.traces.peek(traceId);
    if (!entry || !cached) return;
    const s = cached.summary;
    entry.summary = `${s.rootName} · ${formatDuration(s.durationNs)} · ${s.spanCount} spans`;
    entry.error = false;
    this.save();
  }

  remove(traceId: string): void {
    this.entries = this.entries.filter((e) => e.traceId !== traceId);
    this.save();
  }

  clear(): void {
    this.entries = [];
    this.save();
  }

  /** Entries, newest first (for tests). */
  list(): readonly RecentTrace[] {
    return this.entries;
  }

  private save(): void {
    void this.state.update(KEY, this.entries);
    this.changed.fire();
  }

  getTreeItem(element: RecentTraceItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: RecentTraceItem): RecentTraceItem[] {
    return element ? [] : this.entries.map((e) => new RecentTraceItem(e));
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function isRecent(v: unknown): v is RecentTrace {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.traceId === 'string' && TRACE_ID_HEX.test(r.traceId) && typeof r.seenAt === 'number';
}
