/**
 * Trace by ID from Tempo: `/api/v2/traces/<id>` first, `/api/traces/<id>` when the v2 route is
 * missing (Tempo < 2.6), decoded by the route's format (or JSON when the server ignored Accept).
 * Caching and sharing of concurrent fetches is the `TraceFetchCache`'s job, not this file's.
 */
import type { TraceFormat } from '../../decode';
import type { TraceResult } from '../backend';
import { decodeBody, looksLikeJson } from '../decode';
import { BackendError } from '../errors';
import { isHtml, type HttpResponse, type Operation } from '../http';
import { formatSeconds } from '../ids';
import type { Route, TempoApi } from './api';

/** A trace fetched from Tempo. */
export interface TempoTraceResult extends TraceResult {
  route: Route;
}

/** A time range in whole Unix seconds, either end optional. */
export interface TraceRange {
  start?: number;
  end?: number;
}

/** The cache key of a fetch: the answer depends on the ID, the range and the format. */
export function traceKey(id: string, range: TraceRange, format: 'proto' | 'json'): string {
  return `${id}|${range.start ?? ''}|${range.end ?? ''}|${format}`;
}

/** Fetches and decodes one trace (`id` normalised, `range` checked) within `op`. */
export async function fetchTrace(
  api: TempoApi,
  op: Operation,
  id: string,
  range: TraceRange,
): Promise<{ result: TempoTraceResult; bodyBytes: number }> {
  const accept = api.format === 'proto' ? 'application/protobuf' : 'application/json';
  const query = { start: range.start, end: range.end };
  let v2Missing = false;
  if (api.routes.trace !== 'v1') {
    const res = await api.http.get(op, { path: `/api/v2/traces/${id}`, query, accept, accept404: true });
    if (res.status !== 404) {
      api.routes.trace = 'v2';
      return { result: decode(api, res, 'v2', id, range), bodyBytes: res.body.length };
    }
    // v2 never answers 404 for a missing trace, so this is a Tempo without the route, whose
    // router says `404 page not found`. (An empty 404 can also be an Enterprise access policy.)
    v2Missing = routerNotFound(res);
  }
  const res = await api.http.get(op, { path: `/api/traces/${id}`, query, accept, accept404: true });
  if (res.status === 404) {
    // A proxy's HTML 404 page says nothing about the trace, and neither does a router's 404 for
    // a route it lacks: with both routes missing, the API is not at this URL (a path prefix left
    // out, or not Tempo). Tempo's own 404 for a missing trace is empty or `trace not found`.
    if (isHtml(res.contentType, res.body) || routerNotFound(res)) {
      if (api.routes.trace === 'v1') api.routes.trace = undefined;
      throw api.http.errorFor(res);
    }
    if (v2Missing) api.routes.trace = 'v1';
    throw notFound(res, id, range);
  }
  api.routes.trace = 'v1';
  return { result: decode(api, res, 'v1', id, range), bodyBytes: res.body.length };
}

/** The `404 page not found` of Go's router: the route does not exist (as opposed to the trace). */
function routerNotFound(res: HttpResponse): boolean {
  return /page not found/i.test(new TextDecoder().decode(res.body.subarray(0, 200)));
}

function decode(
  api: TempoApi,
  res: HttpResponse,
  route: Route,
  id: string,
  range: TraceRange,
): TempoTraceResult {
  // JSON when the server says so (or ignored Accept), otherwise the route's protobuf message.
  const format: TraceFormat = looksLikeJson(res.contentType, res.body)
    ? 'tempo-json'
    : route === 'v2'
      ? 'tempo-v2-proto'
      : 'otlp-proto';
  // Tempo v2 answers 200 with `{"trace":{}}` when it has no such trace.
  const decoded = decodeBody(res.body, format, { ...res, mask: api.http.mask }, (cause) =>
    notFound(res, id, range, cause),
  );
  const model = decoded.model;
  return {
    decoded,
    route,
    partial: model.partial,
    ...(model.partial ? { message: model.partialMessage ?? 'Tempo returned a partial trace' } : {}),
  };
}

function notFound(res: HttpResponse, id: string, range: TraceRange, cause?: unknown): BackendError {
  const where =
    range.start !== undefined || range.end !== undefined
      ? `lies outside the time range${range.start !== undefined ? ` from ${formatSeconds(range.start)}` : ''}${range.end !== undefined ? ` to ${formatSeconds(range.end)}` : ''}`
      : "is older than Tempo's retention";
  return new BackendError(
    'not-found',
    `${res.prefix}: trace ${id} not found — it may not be ingested yet (Tempo needs a few seconds after the trace ends) or ${where}`,
    { status: res.status, url: res.url, ...(cause !== undefined ? { cause } : {}) },
  );
}
