/**
 * The typed protocol between the extension host and the trace webview.
 *
 * One interface per message, a discriminated union per direction. Requests that expect an answer
 * carry a `requestId`; the answer carries the same number in `inReplyTo`. The webview's first
 * message is `ready`; the host posts nothing before it. The host validates every message it
 * receives with `parseWebviewMessage` (the webview is untrusted input).
 *
 * A panel shows a subject (`PanelSubject`): one trace, or two to compare. Each of the subject's
 * traces travels under a handle (`TraceHandle`), and every message about one trace or one of its
 * spans names the handle, so a view over two traces never mixes up their span indexes.
 */
import type { SpanDetail, TraceModel } from './model';
import { SPAN_ID_HEX as HEX_16, TRACE_ID_HEX as HEX_32 } from './traceId';

/** Names one of a panel's traces: `main` for a single trace, `a` and `b` for a comparison. */
export type TraceHandle = string;

/** A trace as a panel names it. */
export interface TraceRef {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** Display name of an entry of `traceLens.backends`; absent: the default backend. */
  backend?: string;
}

/** What a panel shows. Panels are keyed by it (`subjectKey`), not by one trace ID. */
export type PanelSubject = ({ kind: 'trace' } & TraceRef) | { kind: 'compare'; a: TraceRef; b: TraceRef };

/**
 * What a webview shows: a trace panel's subject, or (`search`) the results of a TraceQL search,
 * which arrive in `search` messages. A search has no traces of its own; a click opens one.
 */
export type WebviewSubject = PanelSubject | { kind: 'search' };

/** The handle of a single-trace panel's trace. */
export const MAIN_HANDLE: TraceHandle = 'main';

/** The traces of a subject with their handles, in display order (the first is the primary one). */
export function subjectTraces(subject: PanelSubject): Array<{ handle: TraceHandle; ref: TraceRef }> {
  const ref = (r: TraceRef): TraceRef =>
    r.backend !== undefined ? { traceId: r.traceId, backend: r.backend } : { traceId: r.traceId };
  return subject.kind === 'trace'
    ? [{ handle: MAIN_HANDLE, ref: ref(subject) }]
    : [
        { handle: 'a', ref: ref(subject.a) },
        { handle: 'b', ref: ref(subject.b) },
      ];
}

/** A string that is equal for equal subjects: the key of the panel that shows it. */
export function subjectKey(subject: PanelSubject): string {
  return JSON.stringify([
    subject.kind,
    ...subjectTraces(subject).map(({ ref }) => [ref.backend ?? '', ref.traceId]),
  ]);
}

/** Facts about a trace that the host computes and the header shows. */
export interface TraceHeader {
  /** Backend display name, e.g. "Tempo (127.0.0.1:3200)". */
  backendName: string;
  /** Root span's service, or "unknown service". */
  rootService: string;
  /** Root span's name. */
  rootName: string;
  /** Distinct services. */
  serviceCount: number;
  /** Spans flagged as errors. */
  errorCount: number;
  /** Whether "Open in Grafana" can be offered. */
  canOpenInGrafana: boolean;
}

/** A trace as posted to the webview: the columnar model plus analysis results. */
export interface WireTrace {
  model: TraceModel;
  header: TraceHeader;
  /** Span indexes on the critical path, root first. */
  criticalPath: Int32Array;
  /** Self time per span in nanoseconds. */
  selfTimeNs: Float64Array;
}

/** One loaded trace of the panel's subject. */
export interface TraceEntry {
  handle: TraceHandle;
  trace: WireTrace;
  /** Span to select and reveal, e.g. the span ID of the log line the trace was opened from. */
  selectSpanId?: string;
}

// ---- host → webview ---------------------------------------------------------------------------

/** Where the panel is in its back/forward history (links, comparisons, log jumps). */
export interface PanelHistoryState {
  /** There is an earlier subject to go back to (Alt+←). */
  back: boolean;
  /** There is a later one to go forward to (Alt+→). */
  forward: boolean;
}

/**
 * Pane sizes in CSS pixels, remembered per workspace (the host's workspaceState), so a new panel
 * opens with the sizes the person chose last in this workspace.
 */
export interface PanelLayout {
  /** Detail pane width beside the waterfall. */
  detailWidth?: number;
  /** Detail pane height below the waterfall (narrow panels). */
  detailHeight?: number;
  /** Name column width. */
  labelWidth?: number;
}

const LAYOUT_KEYS = ['detailWidth', 'detailHeight', 'labelWidth'] as const;

/** Pane sizes from untrusted data: whole numbers of pixels from 0 to 10,000, others dropped. */
export function parsePanelLayout(raw: unknown): PanelLayout | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const out: PanelLayout = {};
  for (const k of LAYOUT_KEYS) {
    const v = r[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10000) out[k] = Math.round(v);
  }
  return out;
}

/** Reply to `ready`: everything the webview needs to draw. */
export interface InitMessage {
  type: 'init';
  inReplyTo: number;
  subject: WebviewSubject;
  /** The subject's traces that have loaded, in the order of `subjectTraces`. */
  traces: TraceEntry[];
  /** The panel's history; absent: none (a panel that never navigated). */
  history?: PanelHistoryState;
  /** The pane sizes last chosen in this workspace (a panel's own saved sizes win). */
  layout?: PanelLayout;
}

/** A trace of the panel is being (re)fetched. */
export interface LoadingMessage {
  type: 'loading';
  handle: TraceHandle;
  traceId: string;
}

/** A new version of one of the panel's traces (after a refresh, or when it loaded after `init`). */
export interface TraceMessage extends TraceEntry {
  type: 'trace';
}

/** Fetching or decoding failed; one sentence for a person. */
export interface ErrorMessage {
  type: 'error';
  message: string;
  /** The trace that failed; absent when the failure is the panel's as a whole. */
  handle?: TraceHandle;
}

/**
 * Reply to `getSpanDetail`, sent for every request. `detail` is null when the index is out of
 * range; `detail.damaged` is set (and its lists empty) when the span's data could not be read.
 */
export interface SpanDetailMessage {
  type: 'spanDetail';
  inReplyTo: number;
  detail: SpanDetail | null;
}

/** Select and reveal a span (opening the same trace again from another log line). */
export interface SelectSpanMessage {
  type: 'selectSpan';
  handle: TraceHandle;
  spanId: string;
}

/** The searchable texts of a trace's spans, in columns (see `src/core/spanText`). */
export interface SpanTextColumns {
  strings: string[];
  /** `spanCount + 1` entries into `refs`. */
  offsets: Uint32Array;
  /** Indexes into `strings`. */
  refs: Uint32Array;
}

/** Reply to `getSpanText`: null when the panel has no such trace (loaded). */
export interface SpanTextMessage {
  type: 'spanText';
  inReplyTo: number;
  handle: TraceHandle;
  text: SpanTextColumns | null;
}

/** One operation (a path of service and span name from the root) of a comparison, in A and B. */
export interface OperationComparison {
  service: string;
  name: string;
  /** Index in `operations` of the operation its spans' parents belong to; -1 for a root operation. */
  parent: number;
  depth: number;
  countA: number;
  countB: number;
  /** Summed durations, ns. */
  durationA: number;
  durationB: number;
  /** Summed self times, ns. */
  selfA: number;
  selfB: number;
  durationDelta: number;
  selfDelta: number;
  /** `added`: only B has it; `missing`: only A has it. */
  change: 'both' | 'added' | 'missing';
}

/** Trace A (the reference) compared with trace B, operations largest difference first. */
export interface WireComparison {
  operations: OperationComparison[];
  added: number;
  missing: number;
  /** For each span of A, its operation's index in `operations`. */
  operationOfA: Int32Array;
  /** For each span of B, its operation's index in `operations`. */
  operationOfB: Int32Array;
}

/** The comparison of a compare panel's two traces (after both loaded, and after each refresh). */
export interface ComparisonMessage {
  type: 'comparison';
  comparison: WireComparison;
}

/** One OTLP log record of a span, from the local store. */
export interface SpanLogRecord {
  /** Nanoseconds from the trace start; absent when the record has no time. */
  timeNs?: number;
  /** Severity text ("ERROR") or the number's name; '' when unset. */
  severity: string;
  body: string;
}

/** A line of a workspace log file or an output channel that belongs to a span. */
export interface SpanLogLine {
  /** What the host knows the line by: `openLogLine` names it. */
  id: number;
  /** Where it is, for a person ("logs/app.log:42"). */
  where: string;
  text: string;
  /** `span`: the line carries the span ID; `trace`: the trace ID inside the span's time window. */
  by: 'span' | 'trace';
}

/** Reply to `getSpanLogs`. */
export interface SpanLogsMessage {
  type: 'spanLogs';
  inReplyTo: number;
  handle: TraceHandle;
  index: number;
  records: SpanLogRecord[];
  lines: SpanLogLine[];
  /** Why nothing could be looked up in a place, or that the lists were cut: sentences for a person. */
  notes: string[];
}

/** One trace of a search result, as the search view lists it. Text fields are untrusted. */
export interface SearchRow {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** Unix milliseconds of the trace's start; NaN when the backend did not say. */
  startMs: number;
  /** Milliseconds; 0 when the backend left it out (traces shorter than 1 ms). */
  durationMs: number;
  /** The root span's service; '' when the root span is missing. */
  rootService: string;
  /** The root span's name; '' when the root span is missing. */
  rootName: string;
  /** Spans in the trace; null when the backend did not say. */
  spanCount: number | null;
  /** Spans with an error status; null when the backend did not say. */
  errorCount: number | null;
  /** Spans the query matched. */
  matched: number;
  /** The first matched span (16 hex digits): the trace opens there. */
  spanId?: string;
}

/** A search and its results, as the search view shows them. */
export interface SearchPayload {
  /** TraceQL as typed. */
  query: string;
  /** The range as the person picked it ("Last 1 hour"). */
  rangeLabel: string;
  /** The searched range in Unix seconds. */
  start: number;
  end: number;
  /** Who answered ("Tempo (127.0.0.1:3200)", "Local store"). */
  backendName: string;
  /** Still running, answered, or failed (`message` says why). */
  status: 'running' | 'done' | 'error';
  /** The error, or a note about the answer (a cut-off, results capped at the limit). */
  message?: string;
  /** The most results asked for: a full page means there may be more. */
  limit: number;
  rows: SearchRow[];
  /** Whether `traceLens.compareTraces` is registered (Compare is offered only then). */
  canCompare: boolean;
}

/** The search a search webview shows (first after `init`, then after every run). */
export interface SearchMessage {
  type: 'search';
  search: SearchPayload;
}

export type HostMessage =
  | InitMessage
  | LoadingMessage
  | TraceMessage
  | ErrorMessage
  | SpanDetailMessage
  | SelectSpanMessage
  | SpanTextMessage
  | ComparisonMessage
  | SpanLogsMessage
  | SearchMessage;

// ---- webview → host ---------------------------------------------------------------------------

/** The webview's script is running and wants its initial state. */
export interface ReadyMessage {
  type: 'ready';
  requestId: number;
}

/** Ask for the attributes, events and links of one span. */
export interface GetSpanDetailMessage {
  type: 'getSpanDetail';
  requestId: number;
  handle: TraceHandle;
  index: number;
}

/** Open another trace (a span link), optionally selecting a span in it. */
export interface OpenTraceMessage {
  type: 'openTrace';
  traceId: string;
  spanId?: string;
}

/** Go to the source of a span (its code attributes or stack trace). */
export interface GoToSourceMessage {
  type: 'goToSource';
  handle: TraceHandle;
  index: number;
}

/**
 * Open the source of one stack frame in the span detail pane: frame `frameIndex` of
 * `parseStackTrace(exception.stacktrace)` of event `eventIndex` (an `exception` event) of span
 * `index`. The host re-reads the frame from the trace; nothing about it is taken from the webview.
 */
export interface OpenStackFrameMessage {
  type: 'openStackFrame';
  handle: TraceHandle;
  index: number;
  eventIndex: number;
  frameIndex: number;
}

/** Copy text to the clipboard (IDs, attribute values). */
export interface CopyMessage {
  type: 'copy';
  text: string;
}

/** Open one of the panel's traces in Grafana Explore. */
export interface OpenInGrafanaMessage {
  type: 'openInGrafana';
  handle: TraceHandle;
}

/** Fetch the panel's traces again. */
export interface RefreshMessage {
  type: 'refresh';
}

/** Open the setting that holds the backend's URL, in the scope that set it (an error's button). */
export interface OpenBackendSettingMessage {
  type: 'openBackendSetting';
}

/** Run Trace Lens: Test Connection (an error's button). */
export interface TestConnectionMessage {
  type: 'testConnection';
}

/** The selected span changed, or (`index: null`) nothing is selected; the source overlay follows it. */
export interface SelectionChangedMessage {
  type: 'selectionChanged';
  handle: TraceHandle;
  index: number | null;
}

/** Compare two traces (from the search results): the host runs `traceLens.compareTraces`. */
export interface CompareTracesMessage {
  type: 'compareTraces';
  a: TraceRef;
  b: TraceRef;
}

/**
 * Ask for the searchable texts of a trace's spans (attribute values, event names), which the
 * search needs once a free-text term is typed; the host answers with `spanText`.
 */
export interface GetSpanTextMessage {
  type: 'getSpanText';
  requestId: number;
  handle: TraceHandle;
}

/** Save one of the panel's traces as an OTLP/JSON file (the host asks where). */
export interface SaveTraceMessage {
  type: 'saveTrace';
  handle: TraceHandle;
}

/**
 * Show another subject in this panel, pushing it on the panel's history (the seam for views
 * that move the panel: a comparison, a jump from a log line to its trace).
 */
export interface NavigateMessage {
  type: 'navigate';
  subject: PanelSubject;
  /** Span to select in the subject's first trace. */
  spanId?: string;
}

/** The person resized a pane: the sizes to remember for this workspace. */
export interface SaveLayoutMessage {
  type: 'saveLayout';
  layout: PanelLayout;
}

/** Go back (`-1`) or forward (`1`) in the panel's history. */
export interface HistoryMessage {
  type: 'history';
  delta: -1 | 1;
}

/** Compare trace `handle` with another one the person picks. */
export interface CompareWithMessage {
  type: 'compareWith';
  handle: TraceHandle;
}

/** Ask for the log records and log lines of one span. */
export interface GetSpanLogsMessage {
  type: 'getSpanLogs';
  requestId: number;
  handle: TraceHandle;
  index: number;
}

/** Open a log line the host listed in `spanLogs` (by its `id`; the host knows where it is). */
export interface OpenLogLineMessage {
  type: 'openLogLine';
  id: number;
}

export type WebviewMessage =
  | CompareTracesMessage
  | CompareWithMessage
  | GetSpanLogsMessage
  | OpenLogLineMessage
  | ReadyMessage
  | GetSpanTextMessage
  | SaveTraceMessage
  | SaveLayoutMessage
  | NavigateMessage
  | HistoryMessage
  | GetSpanDetailMessage
  | OpenTraceMessage
  | GoToSourceMessage
  | OpenStackFrameMessage
  | CopyMessage
  | OpenInGrafanaMessage
  | RefreshMessage
  | SelectionChangedMessage
  | OpenBackendSettingMessage
  | TestConnectionMessage;

const HANDLE = /^[A-Za-z0-9_-]{1,32}$/;
const MAX_COPY = 1 << 20;
const MAX_BACKEND_NAME = 200;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}

function isHandle(v: unknown): v is TraceHandle {
  return typeof v === 'string' && HANDLE.test(v);
}

/** A trace reference from untrusted data (saved webview state): the ID lower-cased, or undefined. */
function parseTraceRef(raw: unknown): TraceRef | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const traceId = typeof r.traceId === 'string' ? r.traceId.toLowerCase() : '';
  if (!HEX_32.test(traceId)) return undefined;
  if (r.backend === undefined) return { traceId };
  const b = r.backend;
  if (typeof b !== 'string' || b === '' || b.length > MAX_BACKEND_NAME || CONTROL.test(b)) return undefined;
  return { traceId, backend: b };
}

/**
 * Validates a panel subject from untrusted data (the state a webview saved, which the panel
 * serializer reads after a reload). Returns a fresh object with only the known fields.
 */
export function parsePanelSubject(raw: unknown): PanelSubject | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const s = raw as Record<string, unknown>;
  if (s.kind === 'trace') {
    const ref = parseTraceRef(s);
    return ref && { kind: 'trace', ...ref };
  }
  if (s.kind === 'compare') {
    const a = parseTraceRef(s.a);
    const b = parseTraceRef(s.b);
    return a && b ? { kind: 'compare', a, b } : undefined;
  }
  return undefined;
}

/** Validates a webview subject from untrusted data: a panel subject or a search. */
export function parseWebviewSubject(raw: unknown): WebviewSubject | undefined {
  if (typeof raw === 'object' && raw !== null && (raw as { kind?: unknown }).kind === 'search')
    return { kind: 'search' };
  return parsePanelSubject(raw);
}

/**
 * Validates a message from the webview. Returns undefined for anything malformed, so a
 * compromised or buggy webview cannot make the host act on junk. Handles are checked for shape
 * here; whether the panel has such a trace is the panel's check.
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return isIndex(m.requestId) ? { type: 'ready', requestId: m.requestId } : undefined;
    case 'getSpanDetail':
      return isIndex(m.requestId) && isHandle(m.handle) && isIndex(m.index)
        ? { type: 'getSpanDetail', requestId: m.requestId, handle: m.handle, index: m.index }
        : undefined;
    case 'openTrace': {
      if (typeof m.traceId !== 'string' || !HEX_32.test(m.traceId)) return undefined;
      if (m.spanId !== undefined && (typeof m.spanId !== 'string' || !HEX_16.test(m.spanId)))
        return undefined;
      return m.spanId === undefined
        ? { type: 'openTrace', traceId: m.traceId }
        : { type: 'openTrace', traceId: m.traceId, spanId: m.spanId };
    }
    case 'goToSource':
      return isHandle(m.handle) && isIndex(m.index)
        ? { type: 'goToSource', handle: m.handle, index: m.index }
        : undefined;
    case 'openStackFrame':
      return isHandle(m.handle) && isIndex(m.index) && isIndex(m.eventIndex) && isIndex(m.frameIndex)
        ? {
            type: 'openStackFrame',
            handle: m.handle,
            index: m.index,
            eventIndex: m.eventIndex,
            frameIndex: m.frameIndex,
          }
        : undefined;
    case 'copy':
      return typeof m.text === 'string' && m.text.length <= MAX_COPY
        ? { type: 'copy', text: m.text }
        : undefined;
    case 'openInGrafana':
      return isHandle(m.handle) ? { type: 'openInGrafana', handle: m.handle } : undefined;
    case 'refresh':
      return { type: 'refresh' };
    case 'saveLayout': {
      const layout = parsePanelLayout(m.layout);
      return layout ? { type: 'saveLayout', layout } : undefined;
    }
    case 'getSpanText':
      return isIndex(m.requestId) && isHandle(m.handle)
        ? { type: 'getSpanText', requestId: m.requestId, handle: m.handle }
        : undefined;
    case 'saveTrace':
      return isHandle(m.handle) ? { type: 'saveTrace', handle: m.handle } : undefined;
    case 'navigate': {
      const subject = parsePanelSubject(m.subject);
      if (!subject) return undefined;
      if (m.spanId === undefined) return { type: 'navigate', subject };
      return typeof m.spanId === 'string' && HEX_16.test(m.spanId)
        ? { type: 'navigate', subject, spanId: m.spanId }
        : undefined;
    }
    case 'history':
      return m.delta === -1 || m.delta === 1 ? { type: 'history', delta: m.delta } : undefined;
    case 'compareWith':
      return isHandle(m.handle) ? { type: 'compareWith', handle: m.handle } : undefined;
    case 'getSpanLogs':
      return isIndex(m.requestId) && isHandle(m.handle) && isIndex(m.index)
        ? { type: 'getSpanLogs', requestId: m.requestId, handle: m.handle, index: m.index }
        : undefined;
    case 'openLogLine':
      return isIndex(m.id) ? { type: 'openLogLine', id: m.id } : undefined;
    case 'openBackendSetting':
      return { type: 'openBackendSetting' };
    case 'testConnection':
      return { type: 'testConnection' };
    case 'compareTraces': {
      const a = parseTraceRef(m.a);
      const b = parseTraceRef(m.b);
      return a && b ? { type: 'compareTraces', a, b } : undefined;
    }
    case 'selectionChanged':
      return isHandle(m.handle) && (m.index === null || isIndex(m.index))
        ? { type: 'selectionChanged', handle: m.handle, index: m.index }
        : undefined;
    default:
      return undefined;
  }
}
