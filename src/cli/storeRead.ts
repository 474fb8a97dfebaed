/**
 * The CLI's reading side of the local store, for `show <id> --store DIR`, `search --store DIR` and
 * `mcp --store DIR`: a store folder is read directly (no server), safely beside a running
 * receiver. Each read opens the folder afresh, so it sees what the receiver wrote until then.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AgentBackend, AgentTrace } from '../core/agent';
import {
  BackendError,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
  type TraceResult,
} from '../core/backends';
import { decodeTrace, type DecodedTrace } from '../core/decode';
import {
  readTrace,
  searchTraces,
  SearchQueryError,
  StoreReader,
  traceLogs,
  type StoreSearchHit,
  type StoreSearchQuery,
  type TraceSummary,
} from '../core/store';
import { CliError, EXIT } from './command';

function openStore(dir: string): StoreReader {
  const path = resolve(dir);
  if (!existsSync(path)) throw new CliError(EXIT.usage, `the store folder ${path} does not exist`);
  return StoreReader.open(path);
}

/** Runs `read` over the store folder `dir`, closing it afterwards. */
function withStore<T>(dir: string, read: (reader: StoreReader) => T): T {
  const reader = openStore(dir);
  try {
    return read(reader);
  } finally {
    reader.close();
  }
}

/** Trace `traceId` of the store folder `dir`, or undefined when the store has none of its spans. */
function readStoreTrace(dir: string, traceId: string): TraceResult | undefined {
  const trace = withStore(dir, (reader) => readTrace(reader, traceId));
  if (!trace) return undefined;
  return {
    decoded: decodeTrace(trace.bytes, 'otlp-proto'),
    partial: trace.partial,
    ...(trace.message !== undefined ? { message: trace.message } : {}),
  };
}

/** Reads trace `traceId` (32 hex digits) from the store folder `dir`. */
export function loadTraceFromStore(dir: string, traceId: string): DecodedTrace {
  const trace = readStoreTrace(dir, traceId);
  if (!trace) throw new CliError(EXIT.notFound, `trace ${traceId} is not in the store ${resolve(dir)}`);
  return trace.decoded;
}

/** The store's search hits, for `searchStoreFolder` and the agent's search. */
function searchHits(dir: string, query: StoreSearchQuery): StoreSearchHit[] {
  return withStore(dir, (reader) => {
    try {
      return searchTraces(reader, query).traces;
    } catch (e) {
      if (e instanceof SearchQueryError) throw new CliError(EXIT.usage, e.message);
      throw e;
    }
  });
}

/** The traces in the store folder `dir` that match `query`; a query it cannot run is a usage error. */
export function searchStoreFolder(dir: string, query: StoreSearchQuery): TraceSummary[] {
  return searchHits(dir, query).map((h) => h.summary);
}

/** A store hit as a backend's search hit (what the agent's search answer reads). */
function asSearchHit(h: StoreSearchHit): SearchHit {
  const s = h.summary;
  const spans = h.spans.map((sp) => ({
    spanId: sp.spanId,
    name: sp.name,
    startTimeUnixNano: sp.startTimeUnixNano,
    durationNanos: sp.durationNanos,
    attributes: sp.attributes,
  }));
  return {
    traceId: s.traceId,
    rootServiceName: s.rootService ?? '<root span not yet received>',
    ...(s.rootName !== null ? { rootTraceName: s.rootName } : {}),
    startTimeUnixNano: s.startTimeUnixNano,
    durationMs: s.durationMs,
    spanSets: [{ spans, matched: h.matched, attributes: [] }],
    matched: h.matched,
    serviceStats: s.serviceStats,
  };
}

/** The store folder `dir` as the agent tools read it: its backend, and traces with their spans' logs. */
export interface StoreAgentSource {
  backend: AgentBackend;
  /** The trace with `spanLogs`: the store keeps OTLP log records per trace and span. */
  loadTrace(traceId: string): Promise<AgentTrace>;
}

/**
 * The store folder `dir` for the agent tools (`trace-lens mcp --store`). Failures are
 * `BackendError`s, as from any backend: a trace it lacks is `not-found`, a query outside the
 * store's TraceQL is `bad-request`.
 */
export function storeAgentSource(dir: string): StoreAgentSource {
  const folder = resolve(dir);
  // A mistyped folder is said at once, not at the first tool call.
  withStore(folder, () => undefined);
  const name = `local store ${folder}`;
  const asBackendError = (e: unknown): unknown =>
    e instanceof CliError
      ? new BackendError(e.code === EXIT.usage ? 'bad-request' : 'server', e.message, { cause: e })
      : e;
  const getTrace = async (traceId: string): Promise<TraceResult> => {
    let trace: TraceResult | undefined;
    try {
      trace = readStoreTrace(folder, traceId);
    } catch (e) {
      throw asBackendError(e);
    }
    if (!trace) throw new BackendError('not-found', `trace ${traceId} is not in the store ${folder}`);
    return trace;
  };
  const search = async (q: SearchQuery): Promise<SearchResult> => {
    try {
      const query: StoreSearchQuery = {
        q: q.q,
        ...(q.start !== undefined ? { start: q.start } : {}),
        ...(q.end !== undefined ? { end: q.end } : {}),
        ...(q.limit !== undefined ? { limit: q.limit } : {}),
      };
      return { traces: searchHits(folder, query).map(asSearchHit) };
    } catch (e) {
      throw asBackendError(e);
    }
  };
  return {
    backend: { name, getTrace, search },
    async loadTrace(traceId) {
      const trace = await getTrace(traceId);
      return {
        decoded: trace.decoded,
        ...(trace.partial ? { partialMessage: trace.message ?? 'the store cut the trace short' } : {}),
        spanLogs: async (spanId) => withStore(folder, (reader) => traceLogs(reader, traceId, spanId)),
      };
    },
  };
}
