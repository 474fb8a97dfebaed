/**
 * Tempo 3.0's `query_end_cutoff` (30 s by default) seen through the client: a trace sent to the
 * Tempo with the shared config's defaults is looked at right away (trace by ID answers; search,
 * tag values and the CodeLens's count query do not see it yet), then polled in the background
 * until each of them does. Started by the root hook, so the ~30-60 s wait overlaps the other
 * checks; cutoff.test.ts asserts on what was seen. Test-only code.
 */
import type { TempoClient } from '../../src/core/backends';
import { FunctionMetrics } from '../../src/core/source/functionMetrics';
import type { FunctionStats } from '../../src/core/source/text';
import { functionCountQuery, type FunctionTarget } from '../../src/core/traceql';
import { clientFor, runAbort, tempo } from './fixtures';
import { pollUntil } from './poll';
import { seedOne } from './seed';
import type { SentTrace } from './otel';

/** The service of the fresh trace; its root span's `code.function.name` is `fresh-api.handle`. */
export const FRESH_SERVICE = 'fresh-api';
/** The function the CodeLens would ask about (its spans name `fresh-api.handle`). */
export const FRESH_TARGET: FunctionTarget = {
  name: 'handle',
  container: FRESH_SERVICE,
  relativePath: 'src/fresh-api.ts',
};
const SEARCH_Q = `{ resource.service.name = "${FRESH_SERVICE}" }`;
/** How long the background polls wait for the data to pass the cut-off. */
export const LATE_DEADLINE_MS = 120_000;

/** One answer, and how long after the trace's spans ended (their end time, not the send) it came back. */
export interface Seen<T> {
  value: T;
  afterMs: number;
}

/** What the client saw right after the trace was sent. */
export interface EarlyLook {
  trace: SentTrace & { endMs: number };
  /** A client for the Tempo with the defaults. */
  client: TempoClient;
  traceById: Seen<number>;
  searchHits: Seen<number>;
  serviceValues: Seen<string[]>;
  metricsCount: Seen<number>;
  /** What the CodeLens made of its queries (instant metrics), and when it asked (Unix ms). */
  lens: Seen<FunctionStats | undefined> & { askedAtMs: number; endS: number };
}

/** When each answer first showed the trace. */
export interface LateLook {
  search: Seen<number>;
  tagValue: Seen<number>;
  metrics: Seen<number>;
  /** The span count the CodeLens shows. */
  lens: Seen<number>;
}

const range = () => {
  const end = Math.floor(Date.now() / 1000);
  return { start: end - 3600, end };
};

/** Spans of the fresh function by the CodeLens's count query, over the last hour in `step`s. */
export async function spanCountByMetrics(client: TempoClient, step: string): Promise<number> {
  const r = await client.metricsQueryRange({
    q: functionCountQuery(FRESH_TARGET),
    ...range(),
    step,
    exemplars: 0,
  });
  return r.series.reduce((n, s) => n + s.samples.reduce((m, p) => m + p.value, 0), 0);
}

/** A step whose answer shows the span once the cut-off has passed (one step of an hour does not). */
const FINE_STEP = '60s';

/** The CodeLens's figures for the fresh function, as it asks them (instant queries). */
async function lensStats(client: TempoClient): Promise<FunctionStats | undefined> {
  return new FunctionMetrics(client).stats(FRESH_TARGET, range());
}

async function look<T>(endedAt: number, ask: () => Promise<T>): Promise<Seen<T>> {
  const value = await ask();
  return { value, afterMs: Date.now() - endedAt };
}

let early: Promise<EarlyLook> | undefined;
let late: Promise<{ ok: true; look: LateLook } | { ok: false; error: unknown }> | undefined;

/** Sends the fresh trace and looks at once; memoized. Starts the background polls too. */
export function cutoffEarly(): Promise<EarlyLook> {
  early ??= (async () => {
    const server = await tempo('defaults');
    const client = clientFor(server);
    // The spans end now: "I just ran my code".
    const trace = await seedOne({ otlpHttp: server.otlpHttp }, FRESH_SERVICE, 'GET /fresh', 0);
    const endedAt = trace.endMs;
    const traceById = await look(endedAt, () =>
      pollUntil(
        'the fresh trace by ID',
        async () => (await client.getTrace(trace.traceId)).decoded.model.spanCount,
        {
          deadlineMs: 10_000,
          intervalMs: 100,
        },
      ),
    );
    const lensAskedAtMs = Date.now();
    const lensEndS = range().end;
    const [searchHits, serviceValues, metricsCount, lens] = await Promise.all([
      look(endedAt, async () => (await client.search({ q: SEARCH_Q, ...range() })).traces.length),
      look(endedAt, async () =>
        (await client.tagValues('resource.service.name', range())).values.map((v) => v.value),
      ),
      // The same query the late poll repeats, so empty-then-present is the cut-off at work.
      look(endedAt, () => spanCountByMetrics(client, FINE_STEP)),
      look(endedAt, () => lensStats(client)),
    ]);
    late = pollLate(client, endedAt).then(
      (l) => ({ ok: true as const, look: l }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    return {
      trace,
      client,
      traceById,
      searchHits,
      serviceValues,
      metricsCount,
      lens: { ...lens, askedAtMs: lensAskedAtMs, endS: lensEndS },
    };
  })();
  return early;
}

async function pollLate(client: TempoClient, endedAt: number): Promise<LateLook> {
  const until = <T>(what: string, ask: () => Promise<T | undefined | false>) =>
    look(endedAt, () =>
      pollUntil(
        what,
        async () => {
          runAbort.signal.throwIfAborted();
          return ask();
        },
        { deadlineMs: LATE_DEADLINE_MS, intervalMs: 1000, stopOn: () => runAbort.signal.aborted },
      ),
    );
  const [search, tagValue, metrics, lens] = await Promise.all([
    until(
      'the fresh trace in search',
      async () => (await client.search({ q: SEARCH_Q, ...range() })).traces.length || false,
    ),
    until('fresh-api among the service.name values', async () => {
      const values = (await client.tagValues('resource.service.name', range())).values;
      return values.some((v) => v.value === FRESH_SERVICE) ? values.length : false;
    }),
    until(
      'the fresh span in the count query (60 s steps)',
      async () => (await spanCountByMetrics(client, FINE_STEP)) || false,
    ),
    until(
      'the fresh span in the CodeLens figures (instant queries)',
      async () => (await lensStats(client))?.count ?? false,
    ),
  ]);
  return { search, tagValue, metrics, lens };
}

/** The background polls' outcome (after `cutoffEarly`). */
export async function cutoffLate(): Promise<LateLook> {
  await cutoffEarly();
  const outcome = await late!;
  if (!outcome.ok) throw outcome.error;
  return outcome.look;
}
