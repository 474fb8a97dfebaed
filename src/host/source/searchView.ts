import * as vscode from 'vscode';
import {
  cutoffOf,
  mayLackRecent,
  recheckAt,
  type SearchHit,
  type TagsResult,
  type TagValuesResult,
  type TraceBackend,
} from '../../core/backends';
import { formatDuration } from '../../shared/format';
import { cleanText, formatAgo, unixNanoToMs } from '../../core/source';
import {
  applyCompletion,
  completionContext,
  tagCompletions,
  tagInsertion,
  valueInsertion,
  type CompletionContext,
} from '../../core/traceql';
import { Commands } from '../commandIds';
import { isCancelled, withAbortSignal } from '../cancellation';
import { describeError } from '../errors';
import { notices } from '../../core/notices';
import { markdownText } from '../../core/untrusted';
import * as notify from '../notify';
import type { TraceService } from '../traceService';

/** The view's ID in package.json. */
export const SEARCH_VIEW_ID = 'traceLens.search';

const HISTORY_KEY = 'traceLens.searchHistory';
const MAX_HISTORY = 30;
const MAX_QUERY = 4096;
const RESULT_LIMIT = 50;
const TAGS_TTL_MS = 5 * 60_000;
const VALUES_TTL_MS = 60_000;

/** Time ranges offered after the query. */
const RANGES: ReadonlyArray<{ label: () => string; seconds: number }> = [
  { label: () => vscode.l10n.t('Last 15 minutes'), seconds: 15 * 60 },
  { label: () => vscode.l10n.t('Last 1 hour'), seconds: 3600 },
  { label: () => vscode.l10n.t('Last 6 hours'), seconds: 6 * 3600 },
  { label: () => vscode.l10n.t('Last 24 hours'), seconds: 24 * 3600 },
  { label: () => vscode.l10n.t('Last 7 days'), seconds: 7 * 24 * 3600 },
];

/** The tags API of Tempo and Grafana backends. */
interface TagsBackend extends TraceBackend {
  tags(scope?: undefined, options?: { signal?: AbortSignal }): Promise<TagsResult>;
  tagValues(tag: string, options?: { signal?: AbortSignal }): Promise<TagValuesResult>;
}

function hasTags(b: TraceBackend): b is TagsBackend {
  const t = b as Partial<TagsBackend>;
  return typeof t.tags === 'function' && typeof t.tagValues === 'function';
}

/** One search result; `traceId` lets the existing Copy Trace ID command take it as its argument. */
export class SearchResultItem extends vscode.TreeItem {
  readonly traceId: string;

  constructor(hit: SearchHit, now: number) {
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
    this.id = hit.traceId;
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
class MessageItem extends vscode.TreeItem {
  constructor(message: string, icon: string, tooltip?: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon(icon);
    if (tooltip) this.tooltip = tooltip;
  }
}

type State =
  | { kind: 'idle' }
  | { kind: 'running'; query: string }
  | {
      kind: 'results';
      query: string;
      range: string;
      hits: SearchHit[];
      at: number;
      /** Empty within the backend's cut-off: the search runs again on its own (ms of the cut-off). */
      waitingCutoffMs?: number;
    }
  | { kind: 'error'; query: string; message: string };

/** `note`: a line that only informs (picking it does nothing). */
type BoxItem = vscode.QuickPickItem & { action: 'run' | 'history' | 'complete' | 'note'; text: string };

/** Why an empty answer may be empty, while it refreshes on its own. */
function cutoffNote(cutoffMs: number): string {
  return vscode.l10n.t(
    'Tempo 3.0 leaves out the last ~{0} s; this refreshes on its own.',
    Math.round(cutoffMs / 1000),
  );
}

/**
 * The Trace Search view: a TraceQL box (a QuickPick with history and tag completions), a time
 * range, and the matching traces as tree items that open the trace at the first matched span.
 */
export class TraceSearchView implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private state: State = { kind: 'idle' };
  private readonly view: vscode.TreeView<vscode.TreeItem>;
  private tags: { backend: string; at: number; result: TagsResult } | undefined;
  private readonly values = new Map<string, { at: number; values: string[] }>();
  private run = 0;
  /** Stops the search under way: a new search, Clear and closing the window end it. */
  private running: AbortController | undefined;
  /** Runs an empty search again once the cut-off has passed. */
  private recheck: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly traces: TraceService,
    private readonly globalState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(SEARCH_VIEW_ID, { treeDataProvider: this });
  }

  /** Queries run before, most recent first. */
  history(): string[] {
    const stored = this.globalState.get<unknown>(HISTORY_KEY);
    return Array.isArray(stored)
      ? stored
          .filter((q): q is string => typeof q === 'string' && q.length <= MAX_QUERY)
          .slice(0, MAX_HISTORY)
      : [];
  }

  private async remember(query: string): Promise<void> {
    const list = [query, ...this.history().filter((q) => q !== query)].slice(0, MAX_HISTORY);
    await this.globalState.update(HISTORY_KEY, list);
  }

  private setState(state: State): void {
    this.state = state;
    this.view.description = state.kind === 'results' ? state.range : undefined;
    this.changed.fire();
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: vscode.TreeItem): vscode.TreeItem[] {
    if (element) return [];
    const s = this.state;
    switch (s.kind) {
      case 'idle':
        return [];
      case 'running':
        return [new MessageItem(vscode.l10n.t('Searching…'), 'loading~spin', s.query)];
      case 'error':
        return [new MessageItem(s.message, 'warning', s.query)];
      case 'results':
        if (s.hits.length === 0 && s.waitingCutoffMs !== undefined) {
          return [
            new MessageItem(
              vscode.l10n.t('No traces matched ({0}) yet.', s.range.toLowerCase()),
              'watch',
              s.query,
            ),
            new MessageItem(cutoffNote(s.waitingCutoffMs), 'info', s.query),
          ];
        }
        if (s.hits.length === 0) {
          return [
            new MessageItem(
              vscode.l10n.t('No traces matched ({0}).', s.range.toLowerCase()),
              'info',
              s.query,
            ),
          ];
        }
        return s.hits.map((h) => new SearchResultItem(h, s.at));
    }
  }

  /** Clears the results (the welcome content shows again). */
  clear(): void {
    this.run++;
    this.stopRunning();
    this.setState({ kind: 'idle' });
  }

  private stopRunning(): void {
    this.running?.abort();
    this.running = undefined;
    if (this.recheck) clearTimeout(this.recheck);
    this.recheck = undefined;
  }

  /** "Search…": the query box, then the time range, then the search. */
  async search(): Promise<void> {
    let backend: TraceBackend;
    try {
      backend = await this.traces.queryBackend();
    } catch (err) {
      notify.failure(this.log, err, { context: 'search' });
      return;
    }
    if (!backend.search) {
      this.setState({
        kind: 'error',
        query: '',
        message: vscode.l10n.t('{0} has no TraceQL search: use a Tempo or Grafana backend.', backend.name),
      });
      return;
    }
    const query = await this.askQuery(backend);
    if (query === undefined) return;
    const range = await vscode.window.showQuickPick(
      RANGES.map((r) => ({ label: r.label(), range: r })),
      { title: vscode.l10n.t('Trace Lens: search which time range?'), placeHolder: query },
    );
    if (!range) return;
    await this.remember(query);
    await this.runSearch(backend, query, range.range.seconds, range.label);
  }

  /**
   * Runs a search and shows its result. An empty answer within the backend's cut-off says why and
   * runs once more, quietly, after the cut-off (`again`: that second run, whose answer is kept).
   */
  private async runSearch(
    backend: TraceBackend,
    query: string,
    seconds: number,
    rangeLabel: string,
    again = false,
  ): Promise<void> {
    const run = ++this.run;
    this.stopRunning();
    const controller = new AbortController();
    this.running = controller;
    // The second run keeps the note on screen instead of "Searching…".
    if (!again) this.setState({ kind: 'running', query });
    const askedAt = Date.now();
    const end = Math.floor(askedAt / 1000);
    const ask = (signal: AbortSignal) =>
      backend.search!({ q: query, start: end - seconds, end, limit: RESULT_LIMIT, spss: 3, signal });
    try {
      // The view shows that it is busy; the notification offers Cancel, which stops the request.
      const result = again
        ? await ask(controller.signal)
        : await vscode.window.withProgress({ location: { viewId: SEARCH_VIEW_ID } }, () =>
            vscode.window.withProgress(
              {
                location: vscode.ProgressLocation.Notification,
                title: notices.searchingBackend(backend.name),
                cancellable: true,
              },
              (_progress, token) => withAbortSignal(token, ask, controller),
            ),
          );
      if (run !== this.run) return;
      this.log.info(`search: ${result.traces.length} traces for ${query} (${rangeLabel})`);
      const cutoff = cutoffOf(backend);
      const waiting = !again && result.traces.length === 0 && mayLackRecent(end, askedAt, cutoff);
      this.setState({
        kind: 'results',
        query,
        range: rangeLabel,
        hits: result.traces,
        at: Date.now(),
        ...(waiting ? { waitingCutoffMs: cutoff } : {}),
      });
      if (waiting) {
        this.recheck = setTimeout(
          () => {
            this.recheck = undefined;
            if (run === this.run) void this.runSearch(backend, query, seconds, rangeLabel, true);
          },
          Math.max(0, recheckAt(askedAt, cutoff) - Date.now()),
        );
      }
    } catch (err) {
      if (run !== this.run) return;
      if (isCancelled(err)) {
        this.log.info(`search: ${query}: cancelled`);
        this.setState({ kind: 'idle' });
        return;
      }
      const message = describeError(err);
      this.log.warn(`search: ${query}: ${message}`);
      this.setState({ kind: 'error', query, message });
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  /** The TraceQL box: Enter runs the text (or a history entry); picking a completion edits the text. */
  private askQuery(backend: TraceBackend): Promise<string | undefined> {
    const box = vscode.window.createQuickPick<BoxItem>();
    box.title = vscode.l10n.t('Trace Lens: Search Traces (TraceQL)');
    box.placeholder = '{ resource.service.name = "api" && duration > 500ms }';
    box.ignoreFocusOut = true;
    box.matchOnDescription = false;
    box.matchOnDetail = false;
    const history = this.history();
    box.value = history[0] ?? '';
    let completions: BoxItem[] = [];
    let asked = 0;
    const refresh = () => {
      const text = box.value;
      const items: BoxItem[] = [];
      if (text.trim() !== '') {
        items.push({
          label: `$(search) ${vscode.l10n.t('Search')}`,
          description: text.length > 120 ? text.slice(0, 119) + '…' : text,
          action: 'run',
          text,
          alwaysShow: true,
        });
      }
      items.push(...completions);
      // While completions show, only the history entries that contain the text.
      const past = history.filter((q) => q !== text && (completions.length === 0 || q.includes(text)));
      if (past.length > 0) {
        items.push({
          label: vscode.l10n.t('History'),
          kind: vscode.QuickPickItemKind.Separator,
          action: 'history',
          text: '',
        });
        items.push(
          ...past.map((q): BoxItem => ({
            label: `$(history) ${q.replace(/\$\(/g, '$\u200b(')}`,
            action: 'history',
            text: q,
            alwaysShow: true,
          })),
        );
      }
      box.items = items;
    };
    // Closing the box stops the tag lookups it started.
    const lookups = new AbortController();
    let again: ReturnType<typeof setTimeout> | undefined;
    const complete = async () => {
      const text = box.value;
      const ctx = completionContext(text);
      const ask = ++asked;
      if (again) clearTimeout(again);
      again = undefined;
      completions = [];
      refresh();
      if (!ctx || !hasTags(backend)) return;
      try {
        const { suggestions, waiting } = await this.suggest(backend, ctx, lookups.signal);
        if (ask !== asked) return;
        completions = suggestions.map((s) => ({
          label: `$(symbol-field) ${s.label.replace(/\$\(/g, '$\u200b(')}`,
          description: s.detail,
          action: 'complete',
          text: applyCompletion(text, ctx, s.insertion),
          alwaysShow: true,
        }));
        if (waiting) {
          // No values: maybe only the cut-off hiding them. Say so, and ask again after it.
          completions.push({
            label: `$(watch) ${vscode.l10n.t('No values of {0} yet.', cleanText(ctx.kind === 'tag' ? '' : ctx.tag, 80).replace(/\$\(/g, '$\u200b('))}`,
            detail: cutoffNote(waiting.cutoffMs),
            action: 'note',
            text,
            alwaysShow: true,
          });
          again = setTimeout(
            () => {
              if (ask === asked && box.value === text) void complete();
            },
            Math.max(0, waiting.recheckAt - Date.now()),
          );
        }
        refresh();
      } catch (err) {
        if (!isCancelled(err)) this.log.info(`search: completions unavailable: ${describeError(err)}`);
      }
    };
    let debounce: ReturnType<typeof setTimeout> | undefined;
    return new Promise<string | undefined>((resolve) => {
      let done = false;
      const finish = (value: string | undefined) => {
        if (done) return;
        done = true;
        if (debounce) clearTimeout(debounce);
        if (again) clearTimeout(again);
        lookups.abort();
        resolve(value);
        box.dispose();
      };
      box.onDidChangeValue(() => {
        completions = [];
        refresh();
        if (debounce) clearTimeout(debounce);
        debounce = setTimeout(() => void complete(), 150);
      });
      box.onDidAccept(() => {
        const item = box.selectedItems[0] ?? box.activeItems[0];
        if (item?.action === 'complete') {
          box.value = item.text;
          return;
        }
        if (item?.action === 'note') return;
        const text = (item?.action === 'history' ? item.text : box.value).trim();
        if (text === '') return;
        if (text.length > MAX_QUERY) {
          void notify.warn(notices.queryTooLong(MAX_QUERY));
          return;
        }
        finish(text);
      });
      box.onDidHide(() => finish(undefined));
      refresh();
      void complete();
      box.show();
    });
  }

  /**
   * Tag names or values for a completion context (cached briefly). No values from a backend with
   * a cut-off is not cached and comes with `waiting`: when to ask again.
   */
  private async suggest(
    backend: TagsBackend,
    ctx: CompletionContext,
    signal: AbortSignal,
  ): Promise<{
    suggestions: Array<{ label: string; insertion: string; detail?: string }>;
    waiting?: { cutoffMs: number; recheckAt: number };
  }> {
    if (ctx.kind === 'tag') {
      if (!this.tags || this.tags.backend !== backend.name || Date.now() - this.tags.at > TAGS_TTL_MS) {
        this.tags = {
          backend: backend.name,
          at: Date.now(),
          result: await backend.tags(undefined, { signal }),
        };
      }
      return {
        suggestions: tagCompletions(this.tags.result, ctx.prefix, 40).map((t) => ({
          label: t,
          insertion: tagInsertion(t),
        })),
      };
    }
    const key = `${backend.name}\n${ctx.tag}`;
    let cached = this.values.get(key);
    let waiting: { cutoffMs: number; recheckAt: number } | undefined;
    if (!cached || Date.now() - cached.at > VALUES_TTL_MS) {
      const askedAt = Date.now();
      // Without a range, Tempo answers for its recent window, which ends now.
      const result = await backend.tagValues(ctx.tag, { signal });
      cached = { at: Date.now(), values: result.values.map((v) => v.value).slice(0, 1000) };
      const cutoff = cutoffOf(backend);
      if (cached.values.length === 0 && mayLackRecent(undefined, askedAt, cutoff)) {
        waiting = { cutoffMs: cutoff, recheckAt: recheckAt(askedAt, cutoff) };
      } else {
        if (this.values.size > 50) this.values.clear();
        this.values.set(key, cached);
      }
    }
    const prefix = ctx.prefix.toLowerCase();
    return {
      suggestions: cached.values
        .filter((v) => prefix === '' || v.toLowerCase().includes(prefix))
        .slice(0, 40)
        .map((v) => ({ label: cleanText(v, 120), insertion: valueInsertion(v), detail: ctx.tag })),
      ...(waiting ? { waiting } : {}),
    };
  }

  dispose(): void {
    this.run++;
    this.stopRunning();
    this.view.dispose();
    this.changed.dispose();
  }
}
