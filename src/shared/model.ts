/**
 * The columnar trace model shared by the core, the extension host and the webview.
 *
 * Spans are stored in depth-first order (parents before children, siblings by start time), one
 * entry per column. Columns are typed arrays so a 100k-span trace posts to the webview in
 * milliseconds and costs about a hundred bytes per span. Strings (names, services) live in one
 * string table and are referenced by index. Attributes, events and links are not here: they are
 * decoded on demand for the one span a person looks at (see `SpanDetail`).
 *
 * Time: `startNs` holds each span's start as a nanosecond offset from the trace start. Offsets
 * are exact integers for any trace shorter than 2^53 ns (104 days); absolute times are kept as
 * decimal strings (`traceStartUnixNano`) and never pass through a lossy `Number`.
 */
import { SPAN_ID_INPUT } from './traceId';

/** Span kinds, numbered as in OTLP. */
export const enum SpanKind {
  Unspecified = 0,
  Internal = 1,
  Server = 2,
  Client = 3,
  Producer = 4,
  Consumer = 5,
}

/** Span status codes, numbered as in OTLP. */
export const enum StatusCode {
  Unset = 0,
  Ok = 1,
  Error = 2,
}

/** Bit flags in `TraceColumns.flags`. */
export const enum SpanFlag {
  /** Status ERROR, or an `exception` event. */
  Error = 1,
  /** Has `code.*` attributes or an exception stack trace. */
  HasCode = 2,
  /** Its parent span is missing from the trace: shown as a root. */
  Orphan = 4,
  /** Starts before or ends after its parent (clock skew between services). */
  ClockSkew = 8,
  /** End was before start: the duration was set to zero. */
  NegativeDuration = 16,
  /** Its parent link was dropped to break a cycle. */
  CycleBroken = 32,
  /** On the critical path (set by the analysis). */
  CriticalPath = 64,
}

/** The typed-array columns of a trace, one entry per span in depth-first order. */
export interface TraceColumns {
  /** Span ID as two 32-bit halves: high word at 2i, low word at 2i+1. */
  spanIdWords: Uint32Array;
  /** Start as nanoseconds from the trace start (exact integers). */
  startNs: Float64Array;
  /** Duration in nanoseconds (exact integers, never negative). */
  durationNs: Float64Array;
  /** Index of the parent span in these columns, or -1 for a root (or orphan). */
  parent: Int32Array;
  /** Depth in the tree: 0 for roots. */
  depth: Uint16Array;
  /** Number of direct children. */
  childCount: Uint32Array;
  /** Index into `strings` of the span name. */
  name: Uint32Array;
  /** Index into `services` of the span's service. */
  service: Uint16Array;
  /** `SpanKind`. */
  kind: Uint8Array;
  /** `StatusCode`. */
  status: Uint8Array;
  /** `SpanFlag` bits. */
  flags: Uint8Array;
}

/** A decoded trace: header facts plus columns and string tables. */
export interface TraceModel {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** Number of spans (length of every column). */
  spanCount: number;
  /** Trace start (earliest span start) as a decimal string of Unix nanoseconds. */
  traceStartUnixNano: string;
  /** Trace start in Unix milliseconds, for display only (rounded). */
  traceStartMs: number;
  /** End of the latest span minus the trace start, in nanoseconds. */
  durationNs: number;
  /** String table for span names. */
  strings: string[];
  /** Service names; index 0 is always present. */
  services: string[];
  columns: TraceColumns;
  /** True when the backend said the trace is incomplete (Tempo v2 `status: PARTIAL`). */
  partial: boolean;
  /** The backend's explanation when `partial` is true. */
  partialMessage?: string;
  /** Non-fatal problems found while decoding (damaged spans, unknown fields...). */
  warnings: string[];
}

/** One attribute value, as shown to a person. Arrays and maps are rendered as JSON text. */
export type AttributeValue = string | number | boolean | null;

/** A key and value pair. */
export interface Attribute {
  key: string;
  value: AttributeValue;
}

/** A parsed frame of an exception stack trace (the host parses; the webview links it). */
export interface StackFrameRef {
  /** The file as the trace wrote it. */
  file: string;
  line?: number;
  column?: number;
  functionName?: string;
  /** False for library and runtime frames (node_modules, java.*, site-packages...). */
  userCode: boolean;
}

/** A span event (log), time as nanoseconds from the trace start. */
export interface SpanEvent {
  name: string;
  timeNs: number;
  attributes: Attribute[];
  /** For `exception` events with a stack trace: its frames, innermost first, in the order the
   * host's parser numbers them (`openStackFrame.frameIndex`). Filled in by the host. */
  frames?: StackFrameRef[];
}

/** A link to another span, possibly in another trace. */
export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attribute[];
}

/** Everything about one span that is not in the columns, decoded on demand. */
export interface SpanDetail {
  index: number;
  spanId: string;
  parentSpanId?: string;
  statusMessage?: string;
  attributes: Attribute[];
  resource: Attribute[];
  scope: { name: string; version?: string; attributes: Attribute[] };
  events: SpanEvent[];
  links: SpanLink[];
  /**
   * Set when the span's attributes, events and links could not be read because the trace data
   * is damaged there (the columns were fine): one sentence for a person, written by the decoder
   * (never trace text). The lists are then empty.
   */
  damaged?: string;
}

/** Reads the span ID of span `i` as 16 lowercase hex digits. */
export function spanIdAt(columns: TraceColumns, i: number): string {
  return (
    (columns.spanIdWords[2 * i]! >>> 0).toString(16).padStart(8, '0') +
    (columns.spanIdWords[2 * i + 1]! >>> 0).toString(16).padStart(8, '0')
  );
}

/** The depth-first index of the first span with ID `spanId` (16 hex digits), or -1. */
export function spanIndexById(model: Pick<TraceModel, 'columns' | 'spanCount'>, spanId: string): number {
  if (!SPAN_ID_INPUT.test(spanId)) return -1;
  const hi = parseInt(spanId.slice(0, 8), 16) >>> 0;
  const lo = parseInt(spanId.slice(8), 16) >>> 0;
  const words = model.columns.spanIdWords;
  for (let i = 0; i < model.spanCount; i++) {
    if (words[2 * i] === hi && words[2 * i + 1] === lo) return i;
  }
  return -1;
}
