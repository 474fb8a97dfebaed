/**
 * Every word the trace webview shows, as one typed table. The host words it with
 * `webviewStrings(vscode)` (so `npm run l10n` extracts each message into the bundle) and
 * hands it to the page (`renderPanelHtml`'s `strings`); the webview reads its labels from it and
 * falls back to `ENGLISH_STRINGS` (tests, the harness, the benchmark, a missing key). `{0}` and
 * `{1}` stand for values the webview fills in with `formatString`.
 */

// A type-only import (nothing of it reaches the webview's bundle); \`@vscode/l10n-dev export\` reads
// the \`vscode.l10n.t('…')\` calls of a file only when it imports \`vscode\` or \`@vscode/l10n\`.
import type * as l10n from '@vscode/l10n';

/** What words a message: \`vscode.l10n\` in the host, the identity for English. */
export interface Translator {
  t(message: string): ReturnType<typeof l10n.t>;
}

/**
 * The table, worded by the host's `vscode.l10n`. The parameter is named `vscode` so that
 * `@vscode/l10n-dev export` finds every `vscode.l10n.t('…')` below.
 */
export function webviewStrings(vscode: { l10n: Translator }) {
  return {
    // the shell (app.ts)
    loading: vscode.l10n.t('Loading'),
    loadingTrace: vscode.l10n.t('Loading trace…'),
    loadingSearch: vscode.l10n.t('Loading search results…'),
    traceNotShown: vscode.l10n.t('The trace could not be shown'),
    traceNotLoaded: vscode.l10n.t('The trace could not be loaded.'),
    unreadableTrace: vscode.l10n.t('The host sent a trace this view cannot read.'),
    // the header (header.ts)
    copyTraceId: vscode.l10n.t('Copy trace ID'),
    trace: vscode.l10n.t('Trace'),
    errors: vscode.l10n.t('Errors'),
    started: vscode.l10n.t('Started'),
    duration: vscode.l10n.t('Duration'),
    spans: vscode.l10n.t('Spans'),
    services: vscode.l10n.t('Services'),
    backend: vscode.l10n.t('Backend'),
    openInGrafana: vscode.l10n.t('Open in Grafana'),
    grafana: vscode.l10n.t('Grafana'),
    refresh: vscode.l10n.t('Refresh: fetch the trace again'),
    incomplete: vscode.l10n.t('This trace is incomplete. Some spans may be missing.'),
    incompleteBecause: vscode.l10n.t('This trace is incomplete: {0} Some spans may be missing.'),
    oneProblem: vscode.l10n.t('1 problem found while reading the trace'),
    problems: vscode.l10n.t('{0} problems found while reading the trace'),
    // the toolbar (toolbar.ts)
    searchPlaceholder: vscode.l10n.t('Search  ·  service=cart  status=error  kind=server  >500ms'),
    searchLabel: vscode.l10n.t(
      'Search spans: free text over names, services, attribute values and event names, or service=, name=, status=, kind=, >500ms, <2s',
    ),
    previousMatch: vscode.l10n.t('Previous match (Shift+N)'),
    nextMatch: vscode.l10n.t('Next match (N)'),
    clearSearch: vscode.l10n.t('Clear the search (Esc)'),
    onlyMatches: vscode.l10n.t('Show only matching spans (and their ancestors)'),
    service: vscode.l10n.t('Service'),
    serviceTitle: vscode.l10n.t('Only spans of this service'),
    expandAll: vscode.l10n.t('Expand all'),
    collapseBelow: vscode.l10n.t('Collapse below depth'),
    collapseBelowTitle: vscode.l10n.t('Collapse every span below this depth'),
    shorterPlaceholder: vscode.l10n.t('< ms'),
    shorterLabel: vscode.l10n.t('Collapse spans shorter than (for example 5ms), then press Enter'),
    shorterTitle: vscode.l10n.t('Collapse spans shorter than this (e.g. 5ms, 1s), then press Enter'),
    collapseAll: vscode.l10n.t('Collapse all'),
    criticalPathTitle: vscode.l10n.t('Highlight the critical path (C)'),
    criticalPath: vscode.l10n.t('Critical path'),
    resetZoomTitle: vscode.l10n.t('Show the whole trace (double-click the overview)'),
    resetZoom: vscode.l10n.t('Reset zoom'),
    traceTools: vscode.l10n.t('Trace tools'),
    allServices: vscode.l10n.t('All services'),
    collapseToDepth: vscode.l10n.t('Collapse to depth…'),
    depthN: vscode.l10n.t('Depth {0}'),
    noMatches: vscode.l10n.t('No matches'),
    matchOf: vscode.l10n.t('{0} of {1}'),
    found: vscode.l10n.t('{0} found'),
    // the views (views/)
    waterfall: vscode.l10n.t('Waterfall'),
    statistics: vscode.l10n.t('Statistics'),
    flameGraph: vscode.l10n.t('Flame graph'),
    comparison: vscode.l10n.t('Comparison'),
    // the span detail (views/waterfall/detail.ts)
    spanDetail: vscode.l10n.t('Span detail'),
    closeDetail: vscode.l10n.t('Close the detail pane (Esc)'),
    selectASpan: vscode.l10n.t('Select a span to see its attributes, events and links.'),
    keysHelp: vscode.l10n.t(
      '↑ ↓ move · ← → collapse and expand · Enter opens · / searches · n N next and previous match · c critical path · Esc clears',
    ),
    statusError: vscode.l10n.t('Error'),
    statusOk: vscode.l10n.t('OK'),
    statusErrorEvent: vscode.l10n.t('Error (exception event)'),
    statusUnset: vscode.l10n.t('Unset'),
    kindN: vscode.l10n.t('Kind {0}'),
    orphanNote: vscode.l10n.t('Its parent span is missing from the trace; it is shown as a root.'),
    skewNote: vscode.l10n.t(
      'It starts before or ends after its parent: the services’ clocks disagree, or the parent did not wait for it.',
    ),
    negativeNote: vscode.l10n.t('Its end was before its start; the duration was set to zero.'),
    cycleNote: vscode.l10n.t('Its parent link was dropped to break a cycle.'),
    goToSourceTitle: vscode.l10n.t('Go to the source of this span'),
    goToSource: vscode.l10n.t('Go to source'),
    start: vscode.l10n.t('Start'),
    fromTraceStart: vscode.l10n.t('+{0} from trace start'),
    selfTime: vscode.l10n.t('Self time'),
    spanId: vscode.l10n.t('Span ID'),
    copySpanId: vscode.l10n.t('Copy span ID'),
    copyParentSpanId: vscode.l10n.t('Copy parent span ID'),
    selectParent: vscode.l10n.t('Select the parent span'),
    parentId: vscode.l10n.t('Parent ID'),
    depth: vscode.l10n.t('Depth'),
    children: vscode.l10n.t('Children'),
    span: vscode.l10n.t('Span'),
    loadingAttributes: vscode.l10n.t('Loading attributes…'),
    noDetails: vscode.l10n.t('The host has no details for this span.'),
    attributesN: vscode.l10n.t('Attributes ({0})'),
    resourceN: vscode.l10n.t('Resource ({0})'),
    noScopeName: vscode.l10n.t('(no scope name)'),
    instrumentationScope: vscode.l10n.t('Instrumentation scope'),
    eventsN: vscode.l10n.t('Events ({0})'),
    linksN: vscode.l10n.t('Links ({0})'),
    none: vscode.l10n.t('None'),
    copyValueOf: vscode.l10n.t('Copy the value of {0}'),
    eventAt: vscode.l10n.t('{0} at +{1}'),
    stackFrames: vscode.l10n.t('Stack frames'),
    goToFrame: vscode.l10n.t('Go to {0}'),
    libraryFrame: vscode.l10n.t('Library code: {0}'),
    openTraceN: vscode.l10n.t('Open trace {0}'),
    openTrace: vscode.l10n.t('Open trace'),
    notATraceId: vscode.l10n.t('Not a valid trace ID'),
    // the waterfall (views/waterfall/)
    resizeDetailColumns: vscode.l10n.t('Resize the detail pane (← →)'),
    resizeDetailRows: vscode.l10n.t('Resize the detail pane (↑ ↓)'),
    resizeDetailColumnsTitle: vscode.l10n.t('Drag (or focus and press ← →) to resize the detail pane'),
    resizeDetailRowsTitle: vscode.l10n.t('Drag (or focus and press ↑ ↓) to resize the detail pane'),
    overviewTitle: vscode.l10n.t('Drag to zoom into a time range; double-click to show the whole trace'),
    overviewLabel: vscode.l10n.t('Trace overview. Drag to zoom into a time range, double-click to reset.'),
    serviceAndOperation: vscode.l10n.t('Service & operation'),
    resizeNameTitle: vscode.l10n.t('Drag to resize the name column'),
    resizeName: vscode.l10n.t('Resize the name column'),
    barTitle: vscode.l10n.t('{0} · {1} · starts at +{2}'),
    barSelf: vscode.l10n.t(' · self {0}'),
    markError: vscode.l10n.t('Error'),
    markOrphan: vscode.l10n.t('Parent span missing from the trace'),
    markSkew: vscode.l10n.t('Clock skew: starts before or ends after its parent'),
    markNegative: vscode.l10n.t('End was before start: duration set to zero'),
    markCycle: vscode.l10n.t('Parent link dropped to break a cycle'),
    searchFound: vscode.l10n.t('Found'),
    nSpans: vscode.l10n.t('{0} spans'),
    nErrors: vscode.l10n.t('{0} errors'),
    nMatched: vscode.l10n.t('{0} matched'),
    underOneMs: vscode.l10n.t('<1 ms'),
    runAgainTitle: vscode.l10n.t('Run this search again, over the same length of time up to now'),
    runAgain: vscode.l10n.t('Run Again'),
    compare: vscode.l10n.t('Compare'),
    compareWith: vscode.l10n.t('Compare with…'),
    searching: vscode.l10n.t('Searching'),
    range: vscode.l10n.t('Range'),
    searchIn: vscode.l10n.t('In'),
    oneTrace: vscode.l10n.t('1 trace'),
    nTraces: vscode.l10n.t('{0} traces'),
    searchLimited: vscode.l10n.t('The first {0} traces only: narrow the query or the range to see the rest.'),
    searchingEllipsis: vscode.l10n.t('Searching…'),
    tryAgain: vscode.l10n.t('Try Again'),
    searchFailed: vscode.l10n.t('The search failed'),
    backendNoAnswer: vscode.l10n.t('The backend did not answer.'),
    noTracesMatched: vscode.l10n.t('No traces matched'),
    nothingMatched: vscode.l10n.t('Nothing matched in {0}. Try a longer range or a broader query.'),
    theRange: vscode.l10n.t('the range'),
    compareUnavailable: vscode.l10n.t('Comparing traces is not available in this version of Trace Lens'),
    pickTwoToCompare: vscode.l10n.t('Pick two traces (their checkboxes, or Space on a row) to compare them'),
    compareAWithB: vscode.l10n.t('Compare A ({0}) with B ({1})'),
    logScale: vscode.l10n.t('Log scale'),
    logScaleTitle: vscode.l10n.t(
      'Durations on a log scale: short traces stay apart when a few take far longer',
    ),
    plotEmpty: vscode.l10n.t('Duration over time: no traces to plot'),
    plotLabel: vscode.l10n.t(
      'Duration over time of {0} traces, the longest {1}. Click a point to open its trace.',
    ),
    rootSpanMissing: vscode.l10n.t('root span missing'),
    rootSpanMissingTitle: vscode.l10n.t('Root span missing'),
    traceN: vscode.l10n.t('Trace {0}'),
    srStartTitle: vscode.l10n.t('When the trace started'),
    srRoot: vscode.l10n.t('Root service · operation'),
    srRootTitle: vscode.l10n.t('The root span’s service and name'),
    srDurationTitle: vscode.l10n.t('How long the trace took'),
    srSpansTitle: vscode.l10n.t('Spans in the trace (– when the backend does not say)'),
    srErrorsTitle: vscode.l10n.t('Spans with an error status (– when the backend does not say)'),
    srMatched: vscode.l10n.t('Matched'),
    srMatchedTitle: vscode.l10n.t('Spans the query matched'),
    pickTwo: vscode.l10n.t('Pick two traces to compare them'),
    srListLabel: vscode.l10n.t('Traces. Arrow keys move, Enter opens, Space picks for comparison.'),
    searchResults: vscode.l10n.t('Search results'),
    pickForComparison: vscode.l10n.t('Pick for comparison'),
    backendDidNotSay: vscode.l10n.t('The backend did not say'),
    logs: vscode.l10n.t('Logs'),
    logsOpenHint: vscode.l10n.t('Open to look for this span’s log records and log lines.'),
    lookingForLogs: vscode.l10n.t('Looking for logs…'),
    logsN: vscode.l10n.t('Logs ({0})'),
    logRecords: vscode.l10n.t('Log records (local store)'),
    logLines: vscode.l10n.t('Log lines (workspace files and output)'),
    noLogs: vscode.l10n.t(
      'No log records in the local store, and no line in the workspace’s log files or open output carries this span’s ID (or the trace ID during the span).',
    ),
    logTimeTitle: vscode.l10n.t('Time from the span’s start'),
    openWhere: vscode.l10n.t('Open {0}'),
    logByTrace: vscode.l10n.t('trace ID'),
    logByTraceTitle: vscode.l10n.t(
      'The line carries the trace ID (no span ID) and its time falls inside the span',
    ),
    statsNameTitle: vscode.l10n.t('Span name'),
    statsCount: vscode.l10n.t('Count'),
    statsCountTitle: vscode.l10n.t('Number of spans'),
    statsTotal: vscode.l10n.t('Total'),
    statsTotalTitle: vscode.l10n.t('Summed duration of the spans'),
    statsSelf: vscode.l10n.t('Self'),
    statsSelfTitle: vscode.l10n.t('Summed self time: duration minus the time covered by child spans'),
    statsAvg: vscode.l10n.t('Avg'),
    statsAvgTitle: vscode.l10n.t('Average duration'),
    statsP50: vscode.l10n.t('P50'),
    statsP50Title: vscode.l10n.t('Median duration (exact, nearest rank)'),
    statsP95: vscode.l10n.t('P95'),
    statsP95Title: vscode.l10n.t('95th percentile duration (exact, nearest rank)'),
    statsMax: vscode.l10n.t('Max'),
    statsMaxTitle: vscode.l10n.t('Longest span'),
    statsErrorsTitle: vscode.l10n.t('Spans with status ERROR or an exception'),
    groupSpansBy: vscode.l10n.t('Group spans by'),
    byOperation: vscode.l10n.t('By operation'),
    byService: vscode.l10n.t('By service'),
    statsHint: vscode.l10n.t('Click a row to show its spans in the waterfall; n / N walk them.'),
    clickToSort: vscode.l10n.t('{0}. Click to sort.'),
    unknownService: vscode.l10n.t('unknown service'),
    statsShowServiceSpans: vscode.l10n.t('Show the {0} spans of {1} in the waterfall'),
    statsShowNameSpans: vscode.l10n.t('Show the {0} “{1}” spans in the waterfall'),
    statsMoreRows: vscode.l10n.t('{0} more rows not shown; sort by another column to see others.'),
    statsCaptionServices: vscode.l10n.t('{0} services · {1} spans'),
    statsCaptionOperations: vscode.l10n.t('{0} operations · {1} spans'),
    flameRole: vscode.l10n.t('flame graph'),
    flameLabel: vscode.l10n.t(
      'Flame graph. Arrow keys move between spans, Enter zooms to the selected span, Escape zooms out.',
    ),
    zoom: vscode.l10n.t('Zoom'),
    flameCaption: vscode.l10n.t(
      'Width: self time of the span and everything below it. Click a frame to zoom in.',
    ),
    wholeTrace: vscode.l10n.t('Whole trace'),
    flameTipDuration: vscode.l10n.t('Duration {0} · self {1}'),
    flameTipBelow: vscode.l10n.t('Below it: {0} of self time, {1} of the trace'),
    onCriticalPath: vscode.l10n.t('On the critical path'),
    tagNew: vscode.l10n.t('new'),
    tagGone: vscode.l10n.t('gone'),
    operationsToList: vscode.l10n.t('Operations to list'),
    operation: vscode.l10n.t('Operation'),
    cmpOperationTitle: vscode.l10n.t('The path of service and span name from the root'),
    cmpCountA: vscode.l10n.t('Count A'),
    cmpCountATitle: vscode.l10n.t('Spans of the operation in A'),
    cmpCountB: vscode.l10n.t('Count B'),
    cmpCountBTitle: vscode.l10n.t('Spans of the operation in B'),
    cmpAvgA: vscode.l10n.t('Avg A'),
    cmpAvgATitle: vscode.l10n.t('Average duration in A'),
    cmpAvgB: vscode.l10n.t('Avg B'),
    cmpAvgBTitle: vscode.l10n.t('Average duration in B'),
    cmpTotalA: vscode.l10n.t('Total A'),
    cmpTotalATitle: vscode.l10n.t('Summed duration in A'),
    cmpTotalB: vscode.l10n.t('Total B'),
    cmpTotalBTitle: vscode.l10n.t('Summed duration in B'),
    cmpDeltaTotal: vscode.l10n.t('Δ total'),
    cmpDeltaTotalTitle: vscode.l10n.t('Total B minus total A'),
    cmpDeltaSelf: vscode.l10n.t('Δ self'),
    cmpDeltaSelfTitle: vscode.l10n.t('Summed self time B minus A: where the time went'),
    comparing: vscode.l10n.t('Comparing the traces…'),
    cmpHint: vscode.l10n.t(
      'Largest difference in self time first. Click a row to show its spans in B’s waterfall.',
    ),
    cmpTraceFailed: vscode.l10n.t('Trace {0} could not be loaded, so there is nothing to compare: {1}'),
    cmpMoreRows: vscode.l10n.t('{0} more operations with smaller differences'),
    noSpans: vscode.l10n.t('(no spans)'),
    cmpSide: vscode.l10n.t('{0} · {1} · {2} spans · {3}'),
    notLoaded: vscode.l10n.t('not loaded'),
    cmpTook: vscode.l10n.t('B took {0} ({1}%) against A'),
    cmpCounts: vscode.l10n.t('{0} operations, {1} new in B, {2} gone from A'),
    cmpAll: vscode.l10n.t('All'),
    cmpChanged: vscode.l10n.t('Changed'),
    cmpNewInB: vscode.l10n.t('New in B ({0})'),
    cmpGoneFromA: vscode.l10n.t('Gone from A ({0})'),
    cmpShowSpans: vscode.l10n.t('Show the {0} spans of this operation in B’s waterfall'),
    cmpOnlyA: vscode.l10n.t('Only trace A ran this operation'),
    keySelf: vscode.l10n.t('self time'),
    keySelfTitle: vscode.l10n.t('The solid part of a bar: time the span spent itself'),
    keyChildren: vscode.l10n.t('in children'),
    keyChildrenTitle: vscode.l10n.t('The pale part of a bar: time covered by its child spans'),
    keyError: vscode.l10n.t('error'),
    keyErrorTitle: vscode.l10n.t('A red underline (and a ⊗ before the name): the span failed'),
    legendServices: vscode.l10n.t('Services: click to show only their spans'),
    legendChipTitle: vscode.l10n.t(
      "{0}: {1} spans. Click to show only this service's spans (click others to add them).",
    ),
    legendChipErrorsTitle: vscode.l10n.t(
      "{0}: {1} spans, {2} with errors. Click to show only this service's spans (click others to add them).",
    ),
    oneService: vscode.l10n.t('1 service'),
    nServices: vscode.l10n.t('{0} services'),
    viewsOfTrace: vscode.l10n.t('Views of the trace'),
    showAllSpans: vscode.l10n.t('Show all spans'),
    dropFilter: vscode.l10n.t('Drop this filter (Escape)'),
    backToStatistics: vscode.l10n.t('Back to statistics'),
    spansOf: vscode.l10n.t('Spans of'),
    walkMatches: vscode.l10n.t('{0} · n / N to walk them'),
    dismiss: vscode.l10n.t('Dismiss'),
    refreshFailed: vscode.l10n.t('Could not refresh the trace; showing the copy loaded before.'),
    retry: vscode.l10n.t('Retry'),
    openSetting: vscode.l10n.t('Open Setting'),
    testConnection: vscode.l10n.t('Test Connection'),
    outlivesRootWhyOne: vscode.l10n.t(
      'The root span lasts {0}; {1} span ends after it (asynchronous work, or clocks that disagree), so the trace lasts {2} longer.',
    ),
    outlivesRootWhy: vscode.l10n.t(
      'The root span lasts {0}; {1} spans end after it (asynchronous work, or clocks that disagree), so the trace lasts {2} longer.',
    ),
    outlivesRootOne: vscode.l10n.t('root {0}, {1} span outlives it'),
    outlivesRoot: vscode.l10n.t('root {0}, {1} spans outlive it'),
    panelHistory: vscode.l10n.t('Panel history'),
    historyBack: vscode.l10n.t('Back (Alt+←)'),
    historyForward: vscode.l10n.t('Forward (Alt+→)'),
    saveTraceAs: vscode.l10n.t('Save Trace As… (OTLP JSON)'),
  };
}

/** The webview's words. */
export type WebviewStrings = ReturnType<typeof webviewStrings>;

/** The English table: the default until the host's arrives, and in tests. */
export const ENGLISH_STRINGS: WebviewStrings = webviewStrings({ l10n: { t: (message) => message } });

/** The longest message the webview takes from the host. */
const MAX_STRING = 500;

/**
 * The table the host sent, checked: each key of the English table that holds a string of sane
 * length is taken, anything else stays English.
 */
export function parseWebviewStrings(raw: unknown): WebviewStrings {
  const out: Record<string, string> = { ...ENGLISH_STRINGS };
  if (raw === null || typeof raw !== 'object') return out as WebviewStrings;
  for (const key of Object.keys(ENGLISH_STRINGS)) {
    const v = (raw as Record<string, unknown>)[key];
    if (typeof v === 'string' && v.length <= MAX_STRING) out[key] = v;
  }
  return out as WebviewStrings;
}

/** `{0}`, `{1}`… of a message filled in with `args`. */
export function formatString(message: string, ...args: Array<string | number>): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => {
    const v = args[Number(i)];
    return v === undefined ? m : String(v);
  });
}
