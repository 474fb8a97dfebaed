/**
 * What every trace backend offers, so the host, the CLI and the views do not care whether traces
 * come from Tempo, Grafana, Jaeger, Zipkin or a file.
 */
import type { Attribute } from '../../shared/model';
import type { DecodedTrace } from '../decode';

/** The kinds of backend `createBackend` builds. */
export type BackendKind = 'tempo' | 'grafana' | 'jaeger' | 'zipkin' | 'file';

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
  /** Spans per span set. Default 3; 0 means all. */
  spss?: number;
  /** Go duration such as `100ms`. */
  minDuration?: string;
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
  /** `<root span not yet received>` when Tempo has no root span yet. */
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
  /** Fetches and decodes one trace; rejects with `BackendError`. */
  getTrace(traceId: string, options?: GetTraceOptions): Promise<TraceResult>;
  /** TraceQL search, for backends that have it. */
  search?(query: SearchQuery): Promise<SearchResult>;
  /** Checks that the backend answers, and says what failed and why. */
  testConnection(options?: { signal?: AbortSignal }): Promise<ConnectionReport>;
}
