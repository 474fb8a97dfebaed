/**
 * TraceQL search over the store, with the one TraceQL engine (`core/traceql`): the query is
 * parsed and checked there (anything outside its subset is a 400 naming the part), and its
 * compiled predicates read the store's columns through a `SpanAccessor` (`accessor.ts`).
 *
 * Spans are scanned newest first, segment by segment. A span that passes one of the query's
 * filters makes its trace a candidate; the whole query (`&&`/`||` of spansets) is then evaluated
 * over all the trace's spans from every segment, and the search stops at `limit` traces. Before
 * the engine's predicate, a cheap necessary condition read straight off the typed arrays
 * (`prefilter.ts`) skips most spans, and a segment whose strings cannot satisfy the query is
 * skipped whole. Unlike Tempo, recent spans are never left out.
 */
import type { Attribute } from '../../shared/model';
import {
  checkSupported,
  compileFilter,
  compileQuery,
  fieldsOf,
  parseDuration,
  STATUS_WORDS,
  KIND_WORDS,
  type CompiledQuery,
  type Field,
  type FieldExpr,
  type Query,
  type SpansetExpr,
  type TraceFacts,
} from '../traceql';
import { RefAccessor, SegmentAccessor } from './accessor';
import { prefilter } from './prefilter';
import type { StoreData } from './store';
import {
  nanosString,
  spanIdHex,
  summarizeTrace,
  traceLocations,
  wordsToHex,
  type TraceSummary,
} from './traces';

/** A query the store cannot run: a 400 naming why. */
export class SearchQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SearchQueryError';
  }
}

/** A search. Times are Unix seconds; a span counts when it starts in [start, end]. */
export interface StoreSearchQuery {
  q: string;
  start?: number;
  end?: number;
  /** Traces to return. Default 20. */
  limit?: number;
  /** Spans per span set. Default 3; 0 means all. */
  spss?: number;
  /** Bounds on the trace's duration, in ns. */
  minDurationNs?: number;
  maxDurationNs?: number;
}

/** A matching span as search results show it. */
export interface MatchedSpan {
  spanId: string;
  name: string;
  startTimeUnixNano: string;
  durationNanos: string;
  /** Values of the fields the query reads. */
  attributes: Attribute[];
}

/** One trace found. */
export interface StoreSearchHit {
  summary: TraceSummary;
  spans: MatchedSpan[];
  /** Spans the query selected (may exceed `spans.length`). */
  matched: number;
}

/** The answer of a search. */
export interface StoreSearchResult {
  traces: StoreSearchHit[];
  inspectedSpans: number;
  inspectedTraces: number;
}

const NO_FACTS: TraceFacts = { rootName: undefined, rootServiceName: undefined, durationNs: 0 };

/** The filters of a spanset expression. */
function filtersOf(node: SpansetExpr): FieldExpr[] {
  return node.kind === 'filter' ? [node.expr] : node.items.flatMap(filtersOf);
}

/** Parses `q` with the engine; `{}` when empty. Throws `SearchQueryError` with Tempo's wording. */
export function parseQuery(q: string): Query {
  const text = q.trim() === '' ? '{}' : q;
  const checked = checkSupported(text);
  if (!checked.ok) throw new SearchQueryError(checked.message);
  return checked.query;
}

/** The value of a field on a matched span, for the result's `attributes`. */
function fieldAttribute(field: Field, acc: RefAccessor, r: number): Attribute | undefined {
  if (field.kind === 'intrinsic') {
    if (field.name === 'status') return { key: 'status', value: STATUS_WORDS[acc.status(r)] ?? 'unset' };
    if (field.name === 'kind') return { key: 'kind', value: KIND_WORDS[acc.kind(r)] ?? 'unspecified' };
    return undefined;
  }
  const v =
    field.scope === 'any'
      ? (acc.attribute(r, 'span', field.name) ?? acc.attribute(r, 'resource', field.name))
      : acc.attribute(r, field.scope, field.name);
  return v === undefined ? undefined : { key: field.name, value: v };
}

/** Facts of the trace `traceId` for `rootName`, `rootServiceName` and `traceDuration`. */
function factsOf(data: StoreData, traceId: string): TraceFacts {
  const s = summarizeTrace(data, traceId);
  if (!s) return NO_FACTS;
  return {
    rootName: s.rootName ?? undefined,
    rootServiceName: s.rootService ?? undefined,
    durationNs: s.durationMs * 1e6,
  };
}

/** Runs a TraceQL search over the store. */
export function searchTraces(data: StoreData, query: StoreSearchQuery): StoreSearchResult {
  const parsed = parseQuery(query.q);
  const limit = query.limit ?? 20;
  const spss = query.spss ?? 3;
  const fields = fieldsOf(parsed);
  const needsFacts = fields.some(
    (f) =>
      f.kind === 'intrinsic' &&
      (f.name === 'rootName' || f.name === 'rootServiceName' || f.name === 'traceDuration'),
  );
  const filters = filtersOf(parsed.root);
  const startMs = query.start !== undefined ? query.start * 1000 : -Infinity;
  const endMs = query.end !== undefined ? (query.end + 1) * 1000 : Infinity;
  const facts = new Map<string, TraceFacts>();
  const trueFacts = (id: string): TraceFacts => {
    let f = facts.get(id);
    if (!f) facts.set(id, (f = factsOf(data, id)));
    return f;
  };
  const evaluated = new Set<string>();
  const hits: StoreSearchHit[] = [];
  let inspectedSpans = 0;
  const segs = data.segments();
  const accessors = new Map(segs.map((seg) => [seg, new SegmentAccessor(data, seg)] as const));
  const refs = new RefAccessor();
  const whole = compileQuery(parsed, refs);

  for (let g = segs.length - 1; g >= 0 && hits.length < limit; g--) {
    const seg = segs[g]!;
    const x = seg.index;
    if (x.spanCount === 0 || x.maxTimeMs < startMs || x.minTimeMs > endMs) continue;
    const acc = accessors.get(seg)!;
    const tests: { pre: true | ((s: number) => boolean); pred: (s: number, t: TraceFacts) => boolean }[] = [];
    for (const f of filters) {
      const pre = prefilter(f, x);
      if (pre !== false) tests.push({ pre, pred: compileFilter(f, acc) });
    }
    if (tests.length === 0) continue; // no filter can match a span of this segment
    let lastTrace = -1;
    for (let s = x.spanCount - 1; s >= 0 && hits.length < limit; s--) {
      inspectedSpans++;
      const t = x.spanTrace.data[s]!;
      if (t === lastTrace) continue; // this trace was just looked at
      const startSpanMs = (x.startHi.data[s]! * 4294967296 + x.startLo.data[s]!) / 1e6;
      if (startSpanMs < startMs || startSpanMs > endMs) continue;
      let candidate = false;
      for (const { pre, pred } of tests) {
        if (pre !== true && !pre(s)) continue;
        const f = needsFacts ? trueFacts(wordsToHex(x.traceWords.data, 4 * t)) : NO_FACTS;
        if (pred(s, f)) {
          candidate = true;
          break;
        }
      }
      if (!candidate) continue;
      lastTrace = t;
      const traceId = wordsToHex(x.traceWords.data, 4 * t);
      if (evaluated.has(traceId)) continue;
      evaluated.add(traceId);
      const hit = evaluateTrace(
        data,
        traceId,
        accessors,
        refs,
        whole,
        needsFacts ? trueFacts(traceId) : NO_FACTS,
        fields,
        spss,
      );
      if (!hit) continue;
      const durNs = hit.summary.durationMs * 1e6;
      if (query.minDurationNs !== undefined && durNs < query.minDurationNs) continue;
      if (query.maxDurationNs !== undefined && durNs > query.maxDurationNs) continue;
      hits.push(hit);
    }
  }
  hits.sort((a, b) => b.summary.startMs - a.summary.startMs);
  return { traces: hits, inspectedSpans, inspectedTraces: evaluated.size };
}

/** Evaluates the whole query over every span of one trace; the hit, or undefined. */
function evaluateTrace(
  data: StoreData,
  traceId: string,
  accessors: Map<unknown, SegmentAccessor>,
  refs: RefAccessor,
  whole: CompiledQuery<number>,
  facts: TraceFacts,
  fields: Field[],
  spss: number,
): StoreSearchHit | undefined {
  refs.reset();
  for (const { seg, trace } of traceLocations(data, traceId)) {
    const acc = accessors.get(seg);
    if (!acc) continue;
    for (let s = seg.index.traceFirstSpan.data[trace]!; s >= 0; s = seg.index.nextSpan.data[s]!)
      refs.add(acc, s);
  }
  const indices = Array.from({ length: refs.length }, (_, i) => i);
  // `whole` was compiled over `refs`, which now holds this trace's spans.
  const selected = whole(indices, facts);
  if (selected.length === 0) return undefined;
  const summary = summarizeTrace(data, traceId);
  if (!summary) return undefined;
  const shown = spss === 0 ? selected : selected.slice(0, spss);
  const spans = shown.map((r) => {
    const { acc, span } = refs.at(r);
    const x = acc.index;
    const attributes: Attribute[] = [];
    for (const f of fields) {
      const a = fieldAttribute(f, refs, r);
      if (a) attributes.push(a);
    }
    return {
      spanId: spanIdHex(x.spanHi.data[span]!, x.spanLo.data[span]!),
      name: x.strings.get(x.name.data[span]!),
      startTimeUnixNano: nanosString(x.startHi.data[span]!, x.startLo.data[span]!),
      durationNanos: String(x.duration.data[span]!),
      attributes,
    };
  });
  return { summary, spans, matched: selected.length };
}

function keyValue(a: Attribute): Record<string, unknown> {
  const v = a.value;
  const value =
    typeof v === 'string'
      ? { stringValue: v }
      : typeof v === 'boolean'
        ? { boolValue: v }
        : typeof v === 'number'
          ? Number.isInteger(v)
            ? { intValue: String(v) }
            : { doubleValue: v }
          : {};
  return { key: a.key, value };
}

/** A query parameter as a Go duration (`100ms`), in ns. */
function durationParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  const ns = parseDuration(v);
  if (ns === undefined)
    throw new SearchQueryError(`invalid ${name}: time: invalid duration "${v.slice(0, 40)}"`);
  return ns;
}

function uintParam(params: URLSearchParams, name: string): number | undefined {
  const v = params.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 0xffffffff)
    throw new SearchQueryError(
      `invalid ${name}: strconv.ParseUint: parsing "${v.slice(0, 40)}": invalid syntax`,
    );
  return Number(v);
}

/** `/api/search` in Tempo's response shape. */
export function searchStore(data: StoreData, params: URLSearchParams, _nowMs: number): unknown {
  if (params.has('tags') && params.has('q'))
    throw new SearchQueryError("invalid request: can't specify tags and q in the same query");
  if (params.has('tags'))
    throw new SearchQueryError('invalid request: tag search is not supported here; use q with TraceQL');
  const limit = uintParam(params, 'limit') ?? 20;
  if (limit === 0) throw new SearchQueryError('invalid limit: must be a positive number');
  const spss = uintParam(params, 'spss') ?? 3;
  if (spss > 100) throw new SearchQueryError(`spans per span set exceeds 100. received: ${spss}`);
  const start = uintParam(params, 'start');
  const end = uintParam(params, 'end');
  if (start !== undefined && end !== undefined && end <= start)
    throw new SearchQueryError('invalid start and end: start must be before end');
  const minDurationNs = durationParam(params, 'minDuration');
  const maxDurationNs = durationParam(params, 'maxDuration');
  if (minDurationNs !== undefined && maxDurationNs !== undefined && maxDurationNs < minDurationNs)
    throw new SearchQueryError('invalid maxDuration: must be greater than minDuration');
  const result = searchTraces(data, {
    q: params.get('q') ?? '{}',
    limit,
    spss,
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    ...(minDurationNs !== undefined ? { minDurationNs } : {}),
    ...(maxDurationNs !== undefined ? { maxDurationNs } : {}),
  });
  return {
    traces: result.traces.map((h) => {
      const s = h.summary;
      const spanSet = {
        spans: h.spans.map((sp) => ({
          spanID: sp.spanId,
          name: sp.name,
          startTimeUnixNano: sp.startTimeUnixNano,
          durationNanos: sp.durationNanos,
          attributes: sp.attributes.map(keyValue),
        })),
        matched: h.matched,
      };
      const durationMs = Math.round(s.durationMs);
      return {
        traceID: s.traceId,
        rootServiceName: s.rootService ?? '<root span not yet received>',
        ...(s.rootName !== null ? { rootTraceName: s.rootName } : {}),
        startTimeUnixNano: s.startTimeUnixNano,
        ...(durationMs > 0 ? { durationMs } : {}),
        spanSet,
        spanSets: [spanSet],
        serviceStats: Object.fromEntries(
          Object.entries(s.serviceStats).map(([k, v]) => [
            k,
            { spanCount: v.spanCount, ...(v.errorCount > 0 ? { errorCount: v.errorCount } : {}) },
          ]),
        ),
      };
    }),
    metrics: {
      inspectedTraces: result.inspectedTraces,
      inspectedSpans: String(result.inspectedSpans),
      completedJobs: 1,
      totalJobs: 1,
    },
  };
}
