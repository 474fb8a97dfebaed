/**
 * What every trace backend offers, so the host, the CLI and the views do not care whether traces
 * come from Tempo, Grafana, Jaeger, Zipkin or a file.
 */
import type { Attribute } from '../../shared/model';
import type { DecodedTrace } from '../decode';
import type { BackendKind } from './kinds';

export type { BackendKind } from './kinds';

/** Options for fetching one trace. */
export interface GetTraceOptions {
  /** Only look at data after this time, in Unix SECONDS (Tempo reads milliseconds as the far future). */
  start?: number;
  /** Only look at data before this time, in Unix SECONDS. */
  end?: number;
  signal?: AbortSignal;
  /** Skip the cache of recently fetched traces. */
  noCache?: boolean;
}

/** A fetched trace. */
export interface TraceResult {
  decoded: DecodedTrace;
  /** The backend said the trace is incomplete (Tempo v2 `status: PARTIAL`). */
  partial: boolean;
  /** The backend's explanation when `partial`. */
  message?: string;
  /** Which API answered (Tempo: 'v2' or 'v1'). */
  route?: string;
}

/** A TraceQL search. Times are Unix SECONDS. */
export interface SearchQuery {
  /** TraceQL, e.g. `{ resource.service.name = "api" }`. */
  q: string;
  /** Default: one hour before `end`. Always sent: without it Tempo searches only recent data. */
  start?: number;
  /** Default: now. */
  end?: number;
  /** Most traces to return. Default 20. */
  limit?: number;
  /**
   * Spans per span set. Default 3; 0 means as many as Tempo allows by default (100: Tempo itself
   * reads 0 as 3).
   */
  spss?: number;
  /**
   * Shortest trace, a Go duration such as `100ms`. Sent as `traceDuration >= …` inside the query
   * (Tempo ignores the parameter beside TraceQL); a query Trace Lens cannot read is refused.
   */
  minDuration?: string;
  /** Longest trace, as `minDuration`. */
  maxDuration?: string;
  signal?: AbortSignal;
}

/** One matching span in a search result. */
export interface SearchSpan {
  /** 16 lowercase hex digits. */
  spanId: string;
  name?: string;
  /** Decimal string of Unix nanoseconds. */
  startTimeUnixNano: string;
  /** Decimal string of nanoseconds. */
  durationNanos: string;
  attributes: Attribute[];
}

/** A set of matching spans in one trace. */
export interface SearchSpanSet {
  spans: SearchSpan[];
  /** Spans that matched (may exceed `spans.length`, which `spss` caps). */
  matched: number;
  attributes: Attribute[];
}

/** One trace in a search result, normalised. */
export interface SearchHit {
  /** 32 lowercase hex digits (Tempo strips leading zeros; they are put back). */
  traceId: string;
  /**
   * The root span's service; '' when the root span is missing (Tempo's placeholder
   * `<root span not yet received>` is not a service and never gets here).
   */
  rootServiceName: string;
  rootTraceName?: string;
  /** Decimal string of Unix nanoseconds. */
  startTimeUnixNano: string;
  /** 0 when Tempo left it out (traces shorter than 1 ms). */
  durationMs: number;
  spanSets: SearchSpanSet[];
  /** Matching spans over all span sets. */
  matched: number;
  serviceStats?: Record<string, { spanCount: number; errorCount: number }>;
}

/** A search result. */
export interface SearchResult {
  traces: SearchHit[];
  /** Tempo's search metrics (inspected bytes, jobs...), as sent. */
  metrics?: Record<string, unknown>;
}

/** One check made by `testConnection`. */
export interface ConnectionCheck {
  /** What was checked, e.g. `echo`, `ready`, `buildinfo`, `trace API`. */
  name: string;
  /** The URL requested, without credentials. */
  url: string;
  ok: boolean;
  status?: number;
  /** One sentence: what happened, and what to do when it failed. */
  message: string;
}

/** The outcome of `testConnection`. Never throws for a failed check, only when cancelled. */
export interface ConnectionReport {
  /** The backend can serve traces (the essential checks passed). */
  ok: boolean;
  checks: ConnectionCheck[];
  /** Server version, when it says. */
  version?: string;
  /** One sentence summing up the checks. */
  summary: string;
}

/** A source of traces. */
export interface TraceBackend {
  readonly kind: BackendKind;
  /** Display name, e.g. "Tempo 127.0.0.1:3200". */
  readonly name: string;
  /**
   * How long recent data may be left out of search, tag values and metrics (Tempo 3.0's
   * `query_end_cutoff`, 30 s by default); absent or 0: nothing recent is left out. See `cutoff.ts`.
   */
  readonly recentCutoffMs?: number;
  /** Fetches and decodes one trace; rejects with `BackendError`. */
  getTrace(traceId: string, options?: GetTraceOptions): Promise<TraceResult>;
  /** TraceQL search, for backends that have it. */
  search?(query: SearchQuery): Promise<SearchResult>;
  /** Checks that the backend answers, and says what failed and why. */
  testConnection(options?: { signal?: AbortSignal }): Promise<ConnectionReport>;
  /**
   * The trace as the backend's fetch cache holds it (as fetched with no time range), or
   * undefined; sends nothing. Backends without a cache leave it out.
   */
  cachedTrace?(traceId: string): TraceResult | undefined;
  /** Forgets cached traces: all of them, or those of one trace ID. */
  clearCache?(traceId?: string): void;
}
