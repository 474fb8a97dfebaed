import * as vscode from 'vscode';
import {
  cutoffOf,
  mayLackRecent,
  recheckAt,
  searchRows,
  type TagsResult,
  type TagValuesResult,
  type TraceBackend,
} from '../../core/backends';
import { cleanText, keepInRange } from '../../core/source';
import {
  applyCompletion,
  completionContext,
  tagCompletions,
  tagInsertion,
  valueInsertion,
  type CompletionContext,
} from '../../core/traceql';
import { isCancelled, withAbortSignal } from '../cancellation';
import { describeError } from '../errors';
import { notices } from '../../core/notices';
import * as notify from '../notify';
import type { TraceService } from '../traceService';
import { SearchPanel, type SearchShown } from '../searchPanel';
import { MessageItem, RunItem, SearchResultItem, cutoffNote, type Run } from './searchItems';

/** The view's ID in package.json. */
export const SEARCH_VIEW_ID = 'traceLens.search';

const HISTORY_KEY = 'traceLens.searchHistory';
const MAX_HISTORY = 30;
const MAX_QUERY = 4096;
/** Results asked for when `traceLens.search.limit` is not set, and the most it may ask for. */
const RESULT_LIMIT = 100;
const MAX_RESULT_LIMIT = 1000;
/** Searches kept in the view's history. */
const MAX_RUNS = 20;
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

/** `note`: a line that only informs (picking it does nothing). */
type BoxItem = vscode.QuickPickItem & { action: 'run' | 'history' | 'complete' | 'note'; text: string };

/** The backend ignored the range: how many traces from outside it were left out. */
function ignoredRangeSentence(backend: string, count: number): string {
  const name = cleanText(backend, 80);
  return count === 1
    ? vscode.l10n.t('{0} ignored the time range: 1 trace from outside it was left out', name)
    : vscode.l10n.t('{0} ignored the time range: {1} traces from outside it were left out', name, count);
}

/** Over the results: the backend ignored the range, and what it sent from outside was left out. */
function ignoredRangeItem(backend: string, count: number, range: string, query: string): MessageItem {
  const message = ignoredRangeSentence(backend, count);
  // The side bar is narrow: the tooltip holds the whole sentence.
  return new MessageItem(
    message,
    'filter',
    vscode.l10n.t(
      '{0}. Only traces of the range asked for ({1}) are listed. {2}',
      message,
      range.toLowerCase(),
      query,
    ),
  );
}

/**
 * The Trace Search view: a TraceQL box (a QuickPick with history and tag completions), a time
 * range, and the matching traces as tree items that open the trace at the first matched span.
 */
export class TraceSearchView implements vscode.TreeDataProvider<vscode.TreeItem>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The history, most recent first. */
  private runs: Run[] = [];
  private nextRunId = 1;
  private readonly view: vscode.TreeView<vscode.TreeItem>;
  private readonly panel: SearchPanel;
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
    extensionUri: vscode.Uri,
  ) {
    this.view = vscode.window.createTreeView(SEARCH_VIEW_ID, { treeDataProvider: this });
    this.panel = new SearchPanel(extensionUri, log, (shown) => void this.runAgain(shown));
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

  /** The tree changed; the panel follows run `run` when it shows that search. */
  private changedRun(run: Run | undefined, reveal = false): void {
    this.changed.fire();
    if (!run) return;
    const current = this.panel.current;
    const same =
      current !== undefined && current.query === run.query && current.rangeLabel === run.rangeLabel;
    if (reveal || same) this.panel.show(this.shownOf(run), reveal);
  }

  /** A run as the panel shows it. */
  private shownOf(run: Run): SearchShown {
    const notes = [
      ...(run.outOfRange ? [ignoredRangeSentence(run.outOfRange.backend, run.outOfRange.count)] : []),
      ...(run.waitingCutoffMs !== undefined ? [cutoffNote(run.waitingCutoffMs)] : []),
    ];
    const note = notes.length ? notes.join(' ') : undefined;
    const message = run.status === 'error' ? run.message : note;
    return {
      query: run.query,
      rangeLabel: run.rangeLabel,
      start: run.start,
      end: run.end,
      backendName: run.backendName,
      status: run.status,
      limit: run.limit,
      rows: run.rows,
      ...(message ? { message } : {}),
    };
  }

  /** Shows run `id` (the latest when absent) in the results panel. */
  showResults(id?: unknown): void {
    const run = typeof id === 'number' ? this.runs.find((r) => r.id === id) : this.runs[0];
    if (!run) {
      void this.search();
      return;
    }
    this.panel.show(this.shownOf(run), true);
  }

  getTreeItem(element: vscode.TreeItem): vscode.TreeItem {
    return element;
  }

  getChildren(element?: vscode.TreeItem): vscode.TreeItem[] {
    if (!element) return this.runs.map((run, k) => new RunItem(run, k === 0));
    if (!(element instanceof RunItem)) return [];
    const s = element.run;
    switch (s.status) {
      case 'running':
        return [new MessageItem(vscode.l10n.t('Searching…'), 'loading~spin', s.query)];
      case 'error':
        return [new MessageItem(s.message ?? '', 'warning', s.query)];
      case 'done':
        if (s.hits.length === 0 && s.waitingCutoffMs !== undefined) {
          return [
            new MessageItem(
              vscode.l10n.t('No traces matched ({0}) yet.', s.rangeLabel.toLowerCase()),
              'watch',
              s.query,
            ),
            new MessageItem(cutoffNote(s.waitingCutoffMs), 'info', s.query),
          ];
        }
        if (s.hits.length === 0) {
          return [
            new MessageItem(
              vscode.l10n.t('No traces matched ({0}).', s.rangeLabel.toLowerCase()),
              'info',
              s.query,
            ),
            ...(s.outOfRange
              ? [ignoredRangeItem(s.outOfRange.backend, s.outOfRange.count, s.rangeLabel, s.query)]
              : []),
          ];
        }
        return [
          ...(s.outOfRange
            ? [ignoredRangeItem(s.outOfRange.backend, s.outOfRange.count, s.rangeLabel, s.query)]
            : []),
          ...s.hits.map((h) => new SearchResultItem(h, s.at, s.id)),
        ];
    }
  }

  /** Clears the results (the welcome content shows again). */
  clear(): void {
    this.run++;
    this.stopRunning();
    this.runs = [];
    this.changed.fire();
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
      void notify.warn(notices.noTraceqlSearch(backend.name));
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

  /** Run Again from the panel: the same query over the same length of time, up to now. */
  private async runAgain(shown: SearchShown): Promise<void> {
    let backend: TraceBackend;
    try {
      backend = await this.traces.queryBackend();
    } catch (err) {
      notify.failure(this.log, err, { context: 'search' });
      return;
    }
    if (!backend.search) return;
    const seconds = Math.max(60, Math.round(shown.end - shown.start));
    await this.runSearch(backend, shown.query, seconds, shown.rangeLabel);
  }

  /** The most results to ask for: `traceLens.search.limit`, 1 to 1,000. */
  private limit(): number {
    const v = vscode.workspace.getConfiguration('traceLens').get<number>('search.limit', RESULT_LIMIT);
    return typeof v === 'number' && Number.isFinite(v)
      ? Math.min(MAX_RESULT_LIMIT, Math.max(1, Math.floor(v)))
      : RESULT_LIMIT;
  }

  /**
   * Runs a search, adds it to the history (replacing an earlier run of the same query and
   * range) and shows it in the results panel. An empty answer within the backend's cut-off says
   * why and runs once more, quietly, after the cut-off (`again`: the run that second run updates).
   */
  private async runSearch(
    backend: TraceBackend,
    query: string,
    seconds: number,
    rangeLabel: string,
    again?: Run,
  ): Promise<void> {
    const run = ++this.run;
    this.stopRunning();
    const controller = new AbortController();
    this.running = controller;
    const askedAt = Date.now();
    const end = Math.floor(askedAt / 1000);
    const limit = this.limit();
    const entry: Run = again ?? {
      id: this.nextRunId++,
      query,
      rangeLabel,
      seconds,
      start: end - seconds,
      end,
      backendName: backend.name,
      limit,
      status: 'running',
      hits: [],
      rows: [],
      at: askedAt,
    };
    if (!again) {
      this.runs = [
        entry,
        ...this.runs.filter((r) => !(r.query === query && r.rangeLabel === rangeLabel)),
      ].slice(0, MAX_RUNS);
      // The panel opens at once, saying what is being searched.
      this.changedRun(entry, true);
    }
    const ask = (signal: AbortSignal) =>
      backend.search!({ q: query, start: end - seconds, end, limit, spss: 3, signal });
    try {
      // The view shows that it is busy; the notification offers Cancel, which stops the request.
      const answered = again
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
      // The list says its range: a backend that ignored it does not widen it.
      const { result, dropped } = keepInRange(answered, (end - seconds) * 1000, end * 1000);
      this.log.info(
        `search: ${result.traces.length} traces for ${query} (${rangeLabel})${dropped > 0 ? `; ${dropped} from outside the range left out (${backend.name} ignored it)` : ''}`,
      );
      const cutoff = cutoffOf(backend);
      const waiting = !again && result.traces.length === 0 && mayLackRecent(end, askedAt, cutoff);
      Object.assign(entry, {
        status: 'done',
        start: end - seconds,
        end,
        hits: result.traces,
        rows: searchRows(result.traces),
        at: Date.now(),
      });
      if (waiting) entry.waitingCutoffMs = cutoff;
      else delete entry.waitingCutoffMs;
      if (dropped > 0) entry.outOfRange = { backend: backend.name, count: dropped };
      else delete entry.outOfRange;
      this.changedRun(entry);
      if (waiting) {
        this.recheck = setTimeout(
          () => {
            this.recheck = undefined;
            if (run === this.run) void this.runSearch(backend, query, seconds, rangeLabel, entry);
          },
          Math.max(0, recheckAt(askedAt, cutoff) - Date.now()),
        );
      }
    } catch (err) {
      if (run !== this.run) return;
      if (isCancelled(err)) {
        this.log.info(`search: ${query}: cancelled`);
        // A cancelled search is not worth keeping in the history; the panel says what happened.
        this.runs = this.runs.filter((r) => r !== entry);
        this.changedRun({ ...entry, status: 'error', message: vscode.l10n.t('The search was cancelled.') });
        return;
      }
      const message = describeError(err);
      this.log.warn(`search: ${query}: ${message}`);
      Object.assign(entry, { status: 'error', message });
      this.changedRun(entry);
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
    this.panel.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}
