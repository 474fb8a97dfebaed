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
    tryAgain: vscode.l10n.t('Try again'),
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
      'Search spans: free text over names and services, or service=, name=, status=, kind=, >500ms, <2s',
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
    skewNote: vscode.l10n.t('It starts before or ends after its parent: the services’ clocks disagree.'),
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
    resizeDetailTitle: vscode.l10n.t('Drag to resize the detail pane'),
    resizeDetail: vscode.l10n.t('Resize the detail pane'),
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
