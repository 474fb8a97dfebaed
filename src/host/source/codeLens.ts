import * as vscode from 'vscode';
import { BackendError, cutoffOf, isBackendError, recheckAt, type TraceBackend } from '../../core/backends';
import { formatDuration } from '../../shared/format';
import {
  formatAgo,
  FunctionMetrics,
  lensTitle,
  RequestBudget,
  statsFromSearch,
  keepInRange,
  LensResults,
  pickText,
  type FunctionStats,
  type MetricsApi,
  type SearchStats,
  type TraceChoice,
} from '../../core/source';
import {
  functionCondition,
  functionName,
  functionQuery,
  namedFunction,
  type FunctionTarget,
} from '../../core/traceql';
import { Commands, type OpenTraceArgs } from '../commandIds';
import { CONTAINER_KINDS, FUNCTION_KINDS } from './symbolNames';
import { describeError } from '../errors';
import { notices } from '../../core/notices';
import * as notify from '../notify';
import type { TraceService } from '../traceService';

/** The window the figures cover. */
const WINDOW_S = 3600;
const windowLabel = (): string => vscode.l10n.t('last 1 h');
/** How long figures are reused before they are fetched again. */
const TTL_MS = 5 * 60_000;
/** Lenses fetched at a time, and started per minute (a lens costs one request, three when its function has spans). */
const CONCURRENCY = 2;
const PER_MINUTE = 20;
/**
 * The local store answers from memory on this machine (a metrics query over 100k spans takes
 * ~10 ms): its own, wider budget, so that lenses follow each run of the app instead of waiting
 * behind the one that protects a shared Tempo.
 */
const LOCAL_PER_MINUTE = 240;
/** Spans arriving in a burst make the answers of their store stale once, this long after the first. */
const STALE_AFTER_MS = 2000;
/** After the backend is unreachable or refuses us, stop asking for this long. */
const PAUSE_MS = 2 * 60_000;
const MAX_FUNCTIONS = 200;
const MAX_RESULTS = 2000;

/** What one function's figures are, once asked (of the backend it is kept under). */
interface Result {
  at: number;
  stats?: FunctionStats;
  /** Present when the figures came from a search: the traces to offer on click. */
  search?: RangedStats;
  failed?: string;
  /**
   * An empty answer asked within the backend's cut-off (Tempo 3.0 leaves the last ~30 s out):
   * not final. The lens says why and asks again at this time; the answer then is kept.
   */
  recheckAt?: number;
  /** The cut-off behind `recheckAt`, for the note. */
  cutoffMs?: number;
}

/** A function in a document, where its lens goes. */
interface FunctionAt {
  target: FunctionTarget;
  line: number;
}

/** The TempoClient/GrafanaBackend extras the lens uses. */
interface MetricsBackend extends TraceBackend, MetricsApi {}

function hasMetrics(b: TraceBackend): b is MetricsBackend {
  return typeof (b as Partial<MetricsBackend>).metricsQueryRange === 'function';
}

/** A 404 (no metrics API) or a 400 (this Tempo cannot run the query) means: use search instead. */
function metricsUnsupported(err: unknown): boolean {
  return (
    isBackendError(err, 'unsupported') ||
    (err instanceof BackendError && (err.status === 400 || err.status === 404))
  );
}

/** Reads and checks a `FunctionTarget` from command arguments. */
export function readTarget(arg: unknown): FunctionTarget | undefined {
  const a = (Array.isArray(arg) ? arg[0] : arg) as Partial<FunctionTarget> | undefined;
  if (!a || typeof a !== 'object') return undefined;
  const ok = (v: unknown, max: number) => typeof v === 'string' && v !== '' && v.length <= max;
  if (!ok(a.name, 200) || !ok(a.relativePath, 1024)) return undefined;
  if (a.container !== undefined && !ok(a.container, 200)) return undefined;
  const t: FunctionTarget = { name: a.name!, relativePath: a.relativePath! };
  if (a.container !== undefined) t.container = a.container;
  return t;
}

function qualified(t: FunctionTarget): string {
  return t.container ? `${t.container}.${t.name}` : t.name;
}

/** Flattens document symbols into functions with the class (or namespace) that holds them. */
function collect(
  symbols: ReadonlyArray<vscode.DocumentSymbol | vscode.SymbolInformation>,
  relativePath: string,
  out: FunctionAt[],
  container?: string,
): void {
  for (const s of symbols) {
    if (out.length >= MAX_FUNCTIONS) return;
    const isDocumentSymbol = 'children' in s && Array.isArray(s.children);
    const own = isDocumentSymbol ? container : (s as vscode.SymbolInformation).containerName || undefined;
    const named = FUNCTION_KINDS.has(s.kind) ? namedFunction(s.name, own) : undefined;
    if (named) {
      const target: FunctionTarget = { ...named, relativePath };
      const range = isDocumentSymbol
        ? (s as vscode.DocumentSymbol).range
        : (s as vscode.SymbolInformation).location.range;
      out.push({ target, line: range.start.line });
    }
    if (isDocumentSymbol) {
      const next = CONTAINER_KINDS.has(s.kind) ? functionName(s.name) : container;
      collect((s as vscode.DocumentSymbol).children, relativePath, out, next);
    }
  }
}

/**
 * CodeLens over functions and methods with the spans the backend attributes to them in the last
 * hour: "p50 120 ms · p95 4.2 s · 37 spans · 2 errors (last 1 h)", or with Tempo's bucketed
 * quantiles "p50 ≤ 134 ms · p95 ≤ 4.3 s · max 4.3 s · …" (see `FunctionMetrics`). TraceQL
 * metrics when the server has them (Tempo 2.4+), else a search whose spans are filtered again
 * here. An empty answer within Tempo 3.0's cut-off shows a note and is asked again after it.
 * Visible, trusted documents only; queries are cached, limited to two at a time and a
 * per-minute budget. A click lists the slowest and the failing traces.
 */
export class FunctionLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  /**
   * Answers by the backend object that answered (not its name: the local store of another window
   * and a backend rebuilt from new settings are other backends) and the query.
   */
  private readonly results = new LensResults<Result>(MAX_RESULTS);
  private readonly pending = new Map<string, Promise<boolean>>();
  private readonly symbols = new Map<string, { version: number; functions: FunctionAt[] }>();
  private readonly retries = new Map<string, number>();
  /** Backend → whether its metrics API answered (false: use search). */
  private readonly metrics = new Map<TraceBackend, boolean>();
  /** Backend → its metrics queries (which remember whether it has the instant API). */
  private readonly figures = new Map<TraceBackend, FunctionMetrics>();
  private recheckTimer: ReturnType<typeof setTimeout> | undefined;
  private recheckTimerAt = Infinity;
  private readonly budget = new RequestBudget(CONCURRENCY, PER_MINUTE);
  private readonly localBudget = new RequestBudget(CONCURRENCY, LOCAL_PER_MINUTE);
  private readonly logged = new Set<string>();
  /** Backend → until when it is not asked (it failed): one backend down leaves the others' lenses. */
  private readonly pausedUntil = new Map<TraceBackend, number>();
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  /** The backend the lenses asked last: a queued request for another is dropped, not sent. */
  private asked: TraceBackend | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly traces: TraceService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.changed,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, this),
      vscode.window.onDidChangeVisibleTextEditors(() => {
        this.budget.sweep();
        this.localBudget.sweep();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidCloseTextDocument((d) => this.symbols.delete(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('traceLens')) return;
        // Another backend (or none): what we knew no longer holds.
        this.results.clear();
        this.metrics.clear();
        this.figures.clear();
        this.pausedUntil.clear();
        this.changed.fire();
      }),
    );
  }

  private get enabled(): boolean {
    return (
      vscode.workspace.isTrusted &&
      vscode.workspace.getConfiguration('traceLens').get<boolean>('codeLens.enabled', true) !== false
    );
  }

  private isVisible(uri: string): boolean {
    return vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri);
  }

  private fireSoon(): void {
    if (this.fireTimer) return;
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      this.changed.fire();
    }, 250);
  }

  /** The functions of a document (cached per version). */
  private async functionsOf(document: vscode.TextDocument): Promise<FunctionAt[]> {
    const uri = document.uri.toString();
    const cached = this.symbols.get(uri);
    if (cached?.version === document.version) return cached.functions;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return [];
    const relativePath = vscode.workspace.asRelativePath(document.uri, false).replace(/\\/g, '/');
    let symbols: Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined;
    try {
      symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>(
        'vscode.executeDocumentSymbolProvider',
        document.uri,
      );
    } catch {
      symbols = undefined;
    }
    const functions: FunctionAt[] = [];
    collect(symbols ?? [], relativePath, functions);
    if (functions.length === 0) {
      // The language server may not be up yet: ask again a few times before believing it.
      const key = `${uri}@${document.version}`;
      const n = this.retries.get(key) ?? 0;
      if (n < 3) {
        this.retries.set(key, n + 1);
        setTimeout(() => this.changed.fire(), 3000 * (n + 1));
        return [];
      }
    }
    this.symbols.set(uri, { version: document.version, functions });
    return functions;
  }

  /** What `backend` answered for `t`, if kept. */
  private result(backend: TraceBackend, t: FunctionTarget): Result | undefined {
    return this.results.get(backend, functionQuery(t));
  }

  private store(backend: TraceBackend, t: FunctionTarget, r: Result): void {
    this.results.set(backend, functionQuery(t), r);
  }

  /**
   * Keeps an answer. An empty one asked within the backend's cut-off is provisional (unless it is
   * the answer to that re-ask): the lens says why and asks again once the cut-off has passed.
   */
  private answer(
    backend: TraceBackend,
    target: FunctionTarget,
    askedAt: number,
    found: Omit<Result, 'at'>,
  ): void {
    const empty = !found.stats || found.stats.count <= 0;
    const cutoff = cutoffOf(backend);
    const previous = this.result(backend, target);
    const reask = previous?.recheckAt !== undefined && askedAt >= previous.recheckAt;
    if (empty && cutoff > 0 && !reask) {
      const at = recheckAt(askedAt, cutoff);
      this.store(backend, target, { at: askedAt, ...found, recheckAt: at, cutoffMs: cutoff });
      this.scheduleRecheck(at);
      return;
    }
    this.store(backend, target, { at: askedAt, ...found });
  }

  /** Refreshes the lenses at `at`, when provisional answers are due to be asked again. */
  private scheduleRecheck(at: number): void {
    if (at >= this.recheckTimerAt) return;
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    this.recheckTimerAt = at;
    this.recheckTimer = setTimeout(
      () => {
        this.recheckTimer = undefined;
        this.recheckTimerAt = Infinity;
        this.changed.fire();
        // The next provisional answer due, if any.
        const now = Date.now();
        let next = Infinity;
        for (const r of this.results.values())
          if (r.recheckAt !== undefined && r.recheckAt > now) next = Math.min(next, r.recheckAt);
        if (next < Infinity) this.scheduleRecheck(next);
      },
      Math.max(0, at - Date.now()) + 100,
    );
  }

  /**
   * Queues a fetch of `target`'s figures from `backend` unless one is queued; resolves true once
   * fetched. The answer is kept under that backend even if Search and CodeLens look elsewhere by
   * the time it comes.
   */
  private request(backend: TraceBackend, target: FunctionTarget, wanted: () => boolean): Promise<boolean> {
    const key = this.results.key(backend, functionQuery(target));
    const running = this.pending.get(key);
    if (running) return running;
    const paused = () => Date.now() < (this.pausedUntil.get(backend) ?? 0);
    if (paused()) return Promise.resolve(false);
    const p = (this.traces.isLocal(backend) ? this.localBudget : this.budget)
      .schedule(
        () => this.fetch(backend, target),
        () => wanted() && this.enabled && !paused() && backend === this.asked,
      )
      .finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }

  private logOnce(message: string): void {
    if (this.logged.has(message)) return;
    if (this.logged.size > 100) this.logged.clear();
    this.logged.add(message);
    this.log.warn(message);
  }

  private async fetch(backend: TraceBackend, target: FunctionTarget): Promise<void> {
    try {
      const askedAt = Date.now();
      const end = Math.floor(askedAt / 1000);
      const start = end - WINDOW_S;
      if (hasMetrics(backend) && this.metrics.get(backend) !== false) {
        try {
          let figures = this.figures.get(backend);
          if (!figures) {
            figures = new FunctionMetrics(backend);
            this.figures.set(backend, figures);
          }
          const stats = await figures.stats(target, { start, end });
          this.metrics.set(backend, true);
          this.answer(backend, target, askedAt, stats ? { stats } : {});
          return;
        } catch (err) {
          if (!metricsUnsupported(err)) throw err;
          this.metrics.set(backend, false);
          this.log.info(
            `code lens: ${backend.name} cannot run TraceQL metrics (${describeError(err)}); using search`,
          );
        }
      }
      if (!backend.search) {
        this.store(backend, target, { at: askedAt });
        return;
      }
      const search = await this.searchStats(backend, target, start, end);
      this.answer(backend, target, askedAt, { stats: search, search });
    } catch (err) {
      const message = describeError(err);
      this.store(backend, target, { at: Date.now(), failed: message });
      if (
        isBackendError(err, 'unreachable', 'unauthorized', 'forbidden', 'timeout', 'rate-limited', 'proxy')
      ) {
        this.pausedUntil.set(backend, Date.now() + PAUSE_MS);
      }
      this.logOnce(`code lens: ${qualified(target)}: ${message}`);
    }
  }

  private async searchStats(
    backend: TraceBackend,
    target: FunctionTarget,
    start: number,
    end: number,
  ): Promise<RangedStats> {
    const search = backend.search!.bind(backend);
    const [all, failing] = await Promise.all([
      search({ q: functionQuery(target), start, end, limit: 100, spss: 100 }),
      search({ q: functionQuery(target, true), start, end, limit: 20, spss: 20 }),
    ]);
    // The lens and the list say "last 1 h": a backend that ignored the range does not widen it.
    const inAll = keepInRange(all, start * 1000, end * 1000);
    const inFailing = keepInRange(failing, start * 1000, end * 1000);
    // Traces, not answers: a failing trace is in both.
    const outOfRange = new Set([...inAll.left, ...inFailing.left]).size;
    if (outOfRange > 0)
      this.logOnce(
        `code lens: ${backend.name} answered traces outside the last hour for ${qualified(target)} (it ignored the time range); ${outOfRange} left out`,
      );
    return {
      ...statsFromSearch(inAll.result, inFailing.result, functionCondition(target)),
      outOfRange,
    };
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    if (!this.enabled || document.uri.scheme !== 'file') return [];
    const uri = document.uri.toString();
    if (!this.isVisible(uri)) return [];
    const functions = await this.functionsOf(document);
    if (functions.length === 0 || token.isCancellationRequested) return [];
    let backend: TraceBackend;
    try {
      backend = await this.traces.queryBackend();
    } catch {
      return [];
    }
    if (!backend.search && !hasMetrics(backend)) return [];
    this.asked = backend;
    const lenses: vscode.CodeLens[] = [];
    const now = Date.now();
    // The cut-off note is about the backend, not a function: once per file, over the first
    // function it may hide spans of.
    let noted = false;
    for (const fn of functions) {
      const r = this.result(backend, fn.target);
      const due = !r || (r.recheckAt !== undefined ? now >= r.recheckAt : now - r.at > TTL_MS);
      if (due) {
        void this.request(backend, fn.target, () => this.isVisible(uri)).then(
          (ran) => ran && this.fireSoon(),
        );
      }
      const waiting = !(r?.stats && r.stats.count > 0) && r?.recheckAt !== undefined && !noted;
      const lens =
        r?.stats && r.stats.count > 0
          ? this.lens(fn, r.stats, r.search?.outOfRange ?? 0, backend.name)
          : waiting
            ? this.waitingLens(fn, r.cutoffMs ?? 0)
            : undefined;
      if (lens && fn.line < document.lineCount) {
        lenses.push(lens);
        if (waiting) noted = true;
      }
    }
    return lenses;
  }

  /** Over a function with no spans yet, while the cut-off may be hiding them: why, and that it refreshes. */
  private waitingLens(fn: FunctionAt, cutoffMs: number): vscode.CodeLens {
    const at = new vscode.Position(fn.line, 0);
    return new vscode.CodeLens(new vscode.Range(at, at), {
      title: waitingTitle(cutoffMs),
      tooltip: vscode.l10n.t(
        'No spans of {0} or other functions of this file in the last hour so far. Tempo 3.0 answers searches and metrics without the most recent ~{1} s, so spans sent just now are not counted yet; the lenses ask again once they are.',
        qualified(fn.target),
        Math.round(cutoffMs / 1000),
      ),
      // Nothing to run: the title is a note.
      command: '',
    });
  }

  private lens(
    fn: FunctionAt,
    stats: FunctionStats,
    outOfRange: number,
    backendName: string,
  ): vscode.CodeLens {
    const at = new vscode.Position(fn.line, 0);
    const tooltip = vscode.l10n.t(
      'Spans of {0} in the last hour: click for the slowest and the failing traces',
      qualified(fn.target),
    );
    return new vscode.CodeLens(new vscode.Range(at, at), {
      title: lensTitle(stats, windowLabel()),
      tooltip: outOfRange > 0 ? `${tooltip}\n${ignoredRangeNote(backendName, outOfRange)}` : tooltip,
      command: Commands.showFunctionTraces,
      arguments: [fn.target],
    });
  }

  /**
   * The backend Search and CodeLens ask may have changed (the person chose another in "Search
   * In…", the local store received its first traces, was cleared, started or stopped): every
   * visible lens is asked again at once, and shows only what that backend answered.
   */
  queryBackendChanged(): void {
    this.changed.fire();
  }

  private readonly staleBackends = new Set<TraceBackend>();
  private staleTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * What `backend` holds changed (spans arrived in the local store, or it was cleared): its
   * answers are due again. Lenses keep their figures until the new ones come (within the request
   * budget), so a second run of the app shows in the lenses at once, not after the answers'
   * five minutes. A burst of arrivals counts once.
   */
  backendDataChanged(backend: TraceBackend): void {
    this.staleBackends.add(backend);
    if (this.staleTimer) return;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = undefined;
      for (const b of this.staleBackends)
        for (const r of this.results.of(b)) {
          r.at = 0;
          r.recheckAt = undefined;
        }
      this.staleBackends.clear();
      this.changed.fire();
    }, STALE_AFTER_MS);
  }

  /** The lens titles of a document, fetching what is missing (for the in-host tests). */
  async titles(uriText: string): Promise<string[]> {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uriText, true));
    if (!this.enabled) return [];
    const functions = await this.functionsOf(document);
    let backend: TraceBackend;
    try {
      backend = await this.traces.queryBackend();
    } catch {
      return [];
    }
    this.asked = backend;
    await Promise.all(functions.map((fn) => this.request(backend, fn.target, () => true)));
    const titles: string[] = [];
    for (const fn of functions) {
      const r = this.result(backend, fn.target);
      if (r?.stats && r.stats.count > 0) titles.push(lensTitle(r.stats, windowLabel()));
      else if (r?.recheckAt !== undefined && !titles.includes(waitingTitle(r.cutoffMs ?? 0)))
        titles.push(waitingTitle(r.cutoffMs ?? 0));
    }
    return titles;
  }

  /** The lens's click: the slowest and the failing traces of a function; opens the one picked. */
  async showTraces(arg: unknown): Promise<void> {
    const target = readTarget(arg);
    if (!target) return;
    let stats: RangedStats;
    let backendName = '';
    try {
      const backend = await this.traces.queryBackend();
      backendName = backend.name;
      const cached = this.result(backend, target);
      if (cached?.search && Date.now() - cached.at <= TTL_MS) stats = cached.search;
      else {
        if (!backend.search) {
          void notify.warn(notices.noTraceqlSearch(backend.name));
          return;
        }
        const end = Math.floor(Date.now() / 1000);
        stats = await vscode.window.withProgress(
          {
            location: vscode.ProgressLocation.Window,
            title: notices.findingTraces(qualified(target)),
          },
          () => this.searchStats(backend, target, end - WINDOW_S, end),
        );
      }
    } catch (err) {
      notify.failure(this.log, err, { context: `code lens: traces of ${qualified(target)}` });
      return;
    }
    if (stats.slowest.length === 0 && stats.failing.length === 0) {
      void notify.info(notices.noSpansOfFunction(qualified(target)));
      return;
    }
    type Item = vscode.QuickPickItem & { choice?: TraceChoice };
    const now = Date.now();
    const item = (c: TraceChoice): Item => ({
      label: `${c.error ? '$(error)' : '$(clock)'} ${pickText(c.rootName || vscode.l10n.t('(root span missing)'))}`,
      description: `${formatDuration(c.spanDurationNs)} · ${vscode.l10n.t('trace {0}', formatDuration(c.traceDurationMs * 1e6))}`,
      detail: `${c.rootService ? pickText(c.rootService) : vscode.l10n.t('root span missing')} · ${formatAgo(c.startMs, now)} · ${c.traceId}`,
      choice: c,
    });
    const items: Item[] = [];
    if (stats.slowest.length > 0) {
      items.push({ label: vscode.l10n.t('Slowest'), kind: vscode.QuickPickItemKind.Separator });
      items.push(...stats.slowest.map(item));
    }
    if (stats.failing.length > 0) {
      items.push({ label: vscode.l10n.t('Failing'), kind: vscode.QuickPickItemKind.Separator });
      items.push(...stats.failing.map(item));
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Trace Lens: traces of {0} ({1})', qualified(target), windowLabel()),
      // Said, not hidden: the backend answered more than the hour, and the list shows only the hour.
      ...(stats.outOfRange > 0
        ? {
            placeHolder: ignoredRangeNote(backendName, stats.outOfRange),
          }
        : {}),
      matchOnDescription: true,
      matchOnDetail: true,
    });
    if (!picked?.choice) return;
    const args: OpenTraceArgs = { traceId: picked.choice.traceId, spanId: picked.choice.spanId };
    await vscode.commands.executeCommand(Commands.openTraceById, args);
  }

  dispose(): void {
    if (this.fireTimer) clearTimeout(this.fireTimer);
    if (this.recheckTimer) clearTimeout(this.recheckTimer);
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.budget.dispose();
    this.localBudget.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Search figures of the last hour, and how many traces the backend answered outside it. */
type RangedStats = SearchStats & { outOfRange: number };

/** Said where a backend answered traces from outside the hour (and they were left out). */
function ignoredRangeNote(backendName: string, outOfRange: number): string {
  return outOfRange === 1
    ? vscode.l10n.t(
        '{0} ignored the time range: 1 trace from outside the last hour was left out',
        pickText(backendName),
      )
    : vscode.l10n.t(
        '{0} ignored the time range: {1} traces from outside the last hour were left out',
        pickText(backendName),
        outOfRange,
      );
}

/** The note over a function whose empty answer the cut-off may explain. */
function waitingTitle(cutoffMs: number): string {
  return vscode.l10n.t(
    '$(watch) no spans yet · Tempo 3.0 leaves out the last ~{0} s; this refreshes on its own',
    Math.round(cutoffMs / 1000),
  );
}
