/**
 * The store's query API, speaking Grafana Tempo's HTTP API for what it implements, so the
 * Tempo client of `core/backends` (and Grafana, as a Tempo data source) reads the local store
 * unchanged:
 *
 *   GET /api/traces/<id>, /api/v2/traces/<id>      JSON or protobuf (Accept), Tempo's shapes
 *   GET /api/search                                TraceQL (the engine's subset), limit, spss, start/end
 *   GET /api/search/tags, /api/v2/search/tags      tag names
 *   GET /api/search/tag/<t>/values, /api/v2/...    tag values
 *   GET /api/metrics/query_range, /api/metrics/query
 *   GET /api/echo, /ready, /api/status/buildinfo
 *
 * and a few of its own under /api/trace-lens/ for other windows of the editor: `recent`
 * (the Live view), `logs?traceId=&spanId=`, `stats`, and `POST clear` (which needs the lock's
 * token in `X-Trace-Lens-Token`, so a web page cannot clear the store through the browser).
 *
 * Unlike Tempo, nothing recent is left out and quantiles are exact. Bodies of 400 answers are
 * plain text, as Tempo's are.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { RECENT_CUTOFF_HEADER } from '../backends/cutoff';
import { hostOf } from '../otlp/httpReceiver';
import { protoToJson } from '../otlp/toJson';
import type { StoreData, StoreStats } from './store';
import { tagNames, tagValues } from './tags';
import { readTrace, recentTraces, traceByIdResponse, traceLogs } from './traces';
import { metricsInstant, metricsRange, MetricsQueryError, parseTimeParam } from './metrics';
import { searchStore, SearchQueryError } from './search';

/** What the query API serves. */
export interface QuerySource extends StoreData {
  stats(): StoreStats;
  /** Deletes everything; absent on read-only sources. */
  clear?(): Promise<void>;
}

/** Options of the query API handler. */
export interface QueryApiOptions {
  /** The writer's secret that allows `POST /api/trace-lens/clear`. */
  token?: string;
  /** Host names accepted in the `Host` header; all when undefined. */
  allowedHosts?: ReadonlySet<string>;
  /** Version string for `/api/status/buildinfo`. */
  version?: string;
  /** Largest trace served whole; a larger one is partial (v2) or 422 (v1). Default 64 MiB. */
  maxTraceBytes?: number;
  log?: (message: string) => void;
  now?: () => number;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const HEX = /^[0-9a-fA-F]+$/;

/** Tempo's reading of a trace ID: 1 to 32 hex digits, left-padded; else a 400 naming the character. */
export function parseTraceIdParam(raw: string): string {
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    // Leave it as it is: the check below names the bad character.
  }
  if (!HEX.test(id)) {
    const bad = [...id].findIndex((c) => !/[0-9a-fA-F]/.test(c));
    throw new ApiError(
      400,
      bad < 0
        ? 'trace IDs can only contain hex characters: empty trace ID'
        : `trace IDs can only contain hex characters: invalid character '${id[bad]}' at position ${bad + 1}`,
    );
  }
  if (id.length > 32) throw new ApiError(400, `trace IDs can't be larger than 128 bits`);
  return id.toLowerCase().padStart(32, '0');
}

function seconds(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff)
    throw new ApiError(
      400,
      `invalid ${name}: strconv.ParseUint: parsing "${v.slice(0, 40)}": invalid syntax`,
    );
  return n;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    // Unlike Tempo 3.0, this API leaves nothing recent out: a client need not wait and ask again.
    [RECENT_CUTOFF_HEADER]: '0',
  });
  res.end(bytes);
}

function send(res: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    // Unlike Tempo 3.0, this API leaves nothing recent out: a client need not wait and ask again.
    [RECENT_CUTOFF_HEADER]: '0',
  });
  res.end(bytes);
}

function wantsProto(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('application/protobuf');
}

/** Builds the request handler of the query API over `source`. */
export function queryApiHandler(
  source: QuerySource,
  options: QueryApiOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const now = options.now ?? Date.now;
  const maxTraceBytes = options.maxTraceBytes ?? 64 * 1024 * 1024;

  const traceById = (
    req: IncomingMessage,
    res: ServerResponse,
    v2: boolean,
    rawId: string,
    params: URLSearchParams,
  ): void => {
    const id = parseTraceIdParam(rawId);
    const start = seconds(params, 'start');
    const end = seconds(params, 'end');
    if (start !== undefined && end !== undefined && end <= start)
      throw new ApiError(400, 'http parameter start must be before end');
    const trace = readTrace(source, id, {
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : {}),
      maxBytes: maxTraceBytes,
    });
    if (v2) {
      if (wantsProto(req)) return send(res, 200, 'application/protobuf', traceByIdResponse(trace));
      const body: Record<string, unknown> = {
        trace: trace ? protoToJson('TracesData', trace.bytes) : {},
        metrics: {},
      };
      if (trace?.partial) {
        body.status = 'PARTIAL';
        body.message = trace.message;
      }
      return json(res, 200, body);
    }
    if (!trace) return send(res, 404, 'text/plain; charset=utf-8', '');
    if (trace.partial)
      return send(
        res,
        422,
        'text/plain; charset=utf-8',
        `trace exceeds max size (max bytes: ${maxTraceBytes})`,
      );
    if (wantsProto(req)) return send(res, 200, 'application/protobuf', trace.bytes);
    const doc = protoToJson('TracesData', trace.bytes);
    return json(res, 200, { batches: doc.resourceSpans ?? [] });
  };

  const clear = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = req.headers['x-trace-lens-token'];
    const ok =
      typeof given === 'string' &&
      options.token !== undefined &&
      given.length === options.token.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(options.token));
    if (!ok) throw new ApiError(403, 'clearing the store needs the writer token');
    if (!source.clear) throw new ApiError(405, 'this store is read-only');
    await source.clear();
    res.writeHead(204);
    res.end();
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (options.allowedHosts && !options.allowedHosts.has(hostOf(req.headers.host)))
      throw new ApiError(403, 'this API only answers requests addressed to the loopback interface');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const params = url.searchParams;
    if (req.method === 'POST' && path === '/api/trace-lens/clear') return clear(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new ApiError(405, `${req.method} is not allowed`);
    let m: RegExpExecArray | null;
    if ((m = /^\/api\/v2\/traces\/([^/]*)$/.exec(path))) return traceById(req, res, true, m[1]!, params);
    if ((m = /^\/api\/traces\/([^/]*)$/.exec(path))) return traceById(req, res, false, m[1]!, params);
    switch (path) {
      case '/api/echo':
        return send(res, 200, 'text/plain; charset=utf-8', 'echo\n');
      case '/ready':
        return send(res, 200, 'text/plain; charset=utf-8', 'ready\n');
      case '/api/status/buildinfo':
        return json(res, 200, {
          version: options.version ?? 'trace-lens',
          revision: '',
          branch: '',
          buildUser: '',
          buildDate: '',
          goVersion: '',
        });
      case '/api/search':
        return json(res, 200, searchStore(source, params, now()));
      case '/api/v2/search/tags':
      case '/api/search/tags': {
        const names = tagNames(source);
        const scope = params.get('scope');
        if (path === '/api/search/tags') {
          const all =
            scope === 'resource'
              ? names.resource
              : scope === 'span'
                ? names.span
                : scope === 'intrinsic'
                  ? names.intrinsic
                  : [...new Set([...names.resource, ...names.span])].sort();
          return json(res, 200, { tagNames: all, metrics: {} });
        }
        const scopes = (['resource', 'span', 'intrinsic'] as const)
          .filter((s) => !scope || scope === 'all' || scope === s)
          .map((s) => ({ name: s, tags: names[s] }));
        return json(res, 200, { scopes, metrics: {} });
      }
      case '/api/metrics/query_range':
        return json(res, 200, metricsRange(source, params, now()));
      case '/api/metrics/query':
        return json(res, 200, metricsInstant(source, params, now()));
      case '/api/trace-lens/recent': {
        const limit = Math.min(1000, Math.max(1, Number(params.get('limit') ?? 50) || 50));
        return json(res, 200, { traces: recentTraces(source, limit) });
      }
      case '/api/trace-lens/logs': {
        const id = parseTraceIdParam(params.get('traceId') ?? '');
        const spanId = params.get('spanId') ?? undefined;
        return json(res, 200, { logs: traceLogs(source, id, spanId) });
      }
      case '/api/trace-lens/stats':
        return json(res, 200, source.stats());
    }
    if ((m = /^\/api\/(v2\/)?search\/tag\/([^/]+)\/values$/.exec(path))) {
      let tag: string;
      try {
        tag = decodeURIComponent(m[2]!);
      } catch {
        throw new ApiError(400, 'the tag name is not valid URL encoding');
      }
      if (m[1]) return json(res, 200, { tagValues: tagValues(source, tag), metrics: {} });
      const values = tagValues(source, tag.includes('.') && /^(resource|span)\./.test(tag) ? tag : `.${tag}`);
      return json(res, 200, { tagValues: values.map((v) => v.value), metrics: {} });
    }
    throw new ApiError(404, '404 page not found');
  };

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof ApiError) return send(res, err.status, 'text/plain; charset=utf-8', err.message);
      if (err instanceof SearchQueryError || err instanceof MetricsQueryError)
        return send(res, 400, 'text/plain; charset=utf-8', err.message);
      const message = err instanceof Error ? err.message : String(err);
      options.log?.(`query API: ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${message}`);
      send(res, 500, 'text/plain; charset=utf-8', message);
    });
  };
}

export { parseTimeParam };
