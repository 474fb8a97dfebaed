/**
 * The typed protocol between the extension host and the trace webview.
 *
 * One interface per message, a discriminated union per direction. Requests that expect an answer
 * carry a `requestId`; the answer carries the same number in `inReplyTo`. The webview's first
 * message is `ready`; the host posts nothing before it. The host validates every message it
 * receives with `parseWebviewMessage` (the webview is untrusted input).
 */
import type { SpanDetail, TraceModel } from './model';
import { SPAN_ID_HEX as HEX_16, TRACE_ID_HEX as HEX_32 } from './traceId';

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

// ---- host → webview ---------------------------------------------------------------------------

/** Reply to `ready`: everything the webview needs to draw. */
export interface InitMessage {
  type: 'init';
  inReplyTo: number;
  trace: WireTrace;
  /** Span to select and reveal, e.g. the span ID of the log line the trace was opened from. */
  selectSpanId?: string;
}

/** The trace is being (re)fetched. */
export interface LoadingMessage {
  type: 'loading';
  traceId: string;
}

/** A new version of the trace after a refresh. */
export interface TraceMessage {
  type: 'trace';
  trace: WireTrace;
  selectSpanId?: string;
}

/** Fetching or decoding failed; one sentence for a person. */
export interface ErrorMessage {
  type: 'error';
  message: string;
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
  spanId: string;
}

export type HostMessage =
  InitMessage | LoadingMessage | TraceMessage | ErrorMessage | SpanDetailMessage | SelectSpanMessage;

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
  index: number;
}

/**
 * Open the source of one stack frame in the span detail pane: frame `frameIndex` of
 * `parseStackTrace(exception.stacktrace)` of event `eventIndex` (an `exception` event) of span
 * `index`. The host re-reads the frame from the trace; nothing about it is taken from the webview.
 */
export interface OpenStackFrameMessage {
  type: 'openStackFrame';
  index: number;
  eventIndex: number;
  frameIndex: number;
}

/** Copy text to the clipboard (IDs, attribute values). */
export interface CopyMessage {
  type: 'copy';
  text: string;
}

/** Open this trace in Grafana Explore. */
export interface OpenInGrafanaMessage {
  type: 'openInGrafana';
}

/** Fetch the trace again. */
export interface RefreshMessage {
  type: 'refresh';
}

/** The selected span changed (the host follows it, e.g. for the overlay). */
export interface SelectionChangedMessage {
  type: 'selectionChanged';
  index: number;
}

export type WebviewMessage =
  | ReadyMessage
  | GetSpanDetailMessage
  | OpenTraceMessage
  | GoToSourceMessage
  | OpenStackFrameMessage
  | CopyMessage
  | OpenInGrafanaMessage
  | RefreshMessage
  | SelectionChangedMessage;

const MAX_COPY = 1 << 20;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;
}

/**
 * Validates a message from the webview. Returns undefined for anything malformed, so a
 * compromised or buggy webview cannot make the host act on junk.
 */
export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return isIndex(m.requestId) ? { type: 'ready', requestId: m.requestId } : undefined;
    case 'getSpanDetail':
      return isIndex(m.requestId) && isIndex(m.index)
        ? { type: 'getSpanDetail', requestId: m.requestId, index: m.index }
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
      return isIndex(m.index) ? { type: 'goToSource', index: m.index } : undefined;
    case 'openStackFrame':
      return isIndex(m.index) && isIndex(m.eventIndex) && isIndex(m.frameIndex)
        ? { type: 'openStackFrame', index: m.index, eventIndex: m.eventIndex, frameIndex: m.frameIndex }
        : undefined;
    case 'copy':
      return typeof m.text === 'string' && m.text.length <= MAX_COPY
        ? { type: 'copy', text: m.text }
        : undefined;
    case 'openInGrafana':
      return { type: 'openInGrafana' };
    case 'refresh':
      return { type: 'refresh' };
    case 'selectionChanged':
      return isIndex(m.index) ? { type: 'selectionChanged', index: m.index } : undefined;
    default:
      return undefined;
  }
}
