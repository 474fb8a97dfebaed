/**
 * The tempo tier's shared state: the Tempo processes (each started once per run, in parallel, by
 * the root hook in hooks.ts), the traces sent to them, and polls that wait until Tempo's search
 * shows them. Test files ask for what they need; everything is started once and shared.
 * Test-only code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TempoClient, type TempoClientOptions } from '../../src/core/backends';
import type { DecodedTrace } from '../../src/core/decode';
import { findTempo, type TempoLookup } from './binary';
import { pollUntil } from './poll';
import { seedMain, seedOne, type MainSeed } from './seed';
import { startTempo, type TempoServer } from './server';
import type { SentTrace } from './otel';

/** The Tempo processes of one run, by what they are for. */
export const INSTANCES = {
  /** Single tenant, `query_end_cutoff: 0s`: most checks. */
  main: { query_frontend: { query_end_cutoff: '0s' } },
  /** `multitenancy_enabled`, tenants `a` and `b`. */
  tenants: { multitenancy_enabled: true, query_frontend: { query_end_cutoff: '0s' } },
  /** `http_api_prefix: /tempo`, the Grafana Cloud path shape. */
  prefix: { http_api_prefix: '/tempo', query_frontend: { query_end_cutoff: '0s' } },
  /** The shared config untouched: Tempo 3.0's defaults, with the 30 s cut-off. */
  defaults: {},
} as const;
export type InstanceName = keyof typeof INSTANCES;

/** Longest wait for sent traces to show in search (with the cut-off at 0 s they take ~6-10 s). */
export const SEARCHABLE_DEADLINE_MS = 90_000;
/** The tenants of the multi-tenant Tempo. */
export const TENANTS = ['a', 'b'] as const;

let lookup: Promise<TempoLookup> | undefined;
let runDir: string | undefined;
const servers = new Map<InstanceName, Promise<TempoServer>>();
const memo = new Map<string, Promise<unknown>>();
/** Aborted by the root after-hook, so no background poll outlives the run. */
export const runAbort = new AbortController();

/** The binary lookup, once per run. */
export function tempoLookup(): Promise<TempoLookup> {
  lookup ??= findTempo();
  return lookup;
}

function once<T>(key: string, make: () => Promise<T>): Promise<T> {
  let p = memo.get(key) as Promise<T> | undefined;
  if (!p) {
    p = make();
    memo.set(key, p);
  }
  return p;
}

/** The Tempo `name`, started on first use. */
export function tempo(name: InstanceName): Promise<TempoServer> {
  let p = servers.get(name);
  if (!p) {
    p = (async () => {
      const found = await tempoLookup();
      if (!found.ok) throw new Error(`no Tempo binary: ${found.reason}`);
      runDir ??= mkdtempSync(join(tmpdir(), 'trace-lens-tempo-'));
      return startTempo(found.binary, found.config, runDir, { name, overrides: INSTANCES[name] });
    })();
    servers.set(name, p);
  }
  return p;
}

/** Stops every Tempo this run started and removes their data (kept with TRACE_LENS_TEMPO_KEEP=1). */
export async function stopAll(): Promise<void> {
  runAbort.abort();
  const started = [...servers.values()];
  servers.clear();
  await Promise.all(
    started.map((p) =>
      p.then(
        (s) => s.stop(),
        () => undefined,
      ),
    ),
  );
  if (runDir && !process.env.TRACE_LENS_TEMPO_KEEP) rmSync(runDir, { recursive: true, force: true });
  else if (runDir) console.log(`tempo tier: data and logs kept in ${runDir}`);
}

/** A client for the Tempo `server` (no trace cache unless asked, so every call reaches Tempo). */
export function clientFor(server: TempoServer, options: Partial<TempoClientOptions> = {}): TempoClient {
  return new TempoClient({ baseUrl: server.apiBase, cacheMaxBytes: 0, timeoutMs: 20_000, ...options });
}

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', () => ok()));
  const address = s.address();
  await new Promise((ok) => s.close(ok));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Unix seconds now. */
export function nowS(): number {
  return Math.floor(Date.now() / 1000);
}

/** Waits until a search as `client` (with `q`) lists every trace in `traces`. */
export async function waitSearchable(
  client: TempoClient,
  q: string,
  traces: readonly SentTrace[],
): Promise<void> {
  const want = new Set(traces.map((t) => t.traceId));
  await pollUntil(
    `${traces.length} trace(s) in ${client.name}'s search for ${q}`,
    async () => {
      runAbort.signal.throwIfAborted();
      const r = await client.search({ q, limit: 200, spss: 1 });
      const seen = new Set(r.traces.map((h) => h.traceId));
      return [...want].every((id) => seen.has(id));
    },
    { deadlineMs: SEARCHABLE_DEADLINE_MS, intervalMs: 500, stopOn: () => runAbort.signal.aborted },
  );
}

/** The single-tenant Tempo's traces, sent once. */
export function mainSeed(): Promise<MainSeed> {
  return once('main-seed', async () => seedMain({ otlpHttp: (await tempo('main')).otlpHttp }));
}

/** The single-tenant Tempo's traces, once all of them show in search. */
export function mainSearchable(): Promise<MainSeed> {
  return once('main-searchable', async () => {
    const seed = await mainSeed();
    const all = [seed.checkout, seed.report, ...seed.items, seed.short, seed.zeroLed, seed.orphan];
    await waitSearchable(clientFor(await tempo('main')), '{ }', all);
    return seed;
  });
}

/** One trace per tenant of the multi-tenant Tempo, sent once. */
export function tenantSeed(): Promise<Record<(typeof TENANTS)[number], SentTrace>> {
  return once('tenant-seed', async () => {
    const server = await tempo('tenants');
    const [a, b] = await Promise.all(
      TENANTS.map((t) => seedOne({ otlpHttp: server.otlpHttp, tenant: t }, `svc-${t}`, `GET /${t}`)),
    );
    return { a: a!, b: b! };
  });
}

/** The tenants' traces, once a cross-tenant search shows both. */
export function tenantsSearchable(): Promise<Record<(typeof TENANTS)[number], SentTrace>> {
  return once('tenants-searchable', async () => {
    const seed = await tenantSeed();
    await waitSearchable(clientFor(await tempo('tenants'), { tenant: 'a|b' }), '{ }', [seed.a, seed.b]);
    return seed;
  });
}

/** The prefixed Tempo's trace, sent once. */
export function prefixSeed(): Promise<SentTrace> {
  return once('prefix-seed', async () =>
    seedOne({ otlpHttp: (await tempo('prefix')).otlpHttp }, 'cloud-api', 'GET /cloud'),
  );
}

/** The prefixed Tempo's trace, once its search shows it. */
export function prefixSearchable(): Promise<SentTrace> {
  return once('prefix-searchable', async () => {
    const seed = await prefixSeed();
    await waitSearchable(clientFor(await tempo('prefix')), '{ }', [seed]);
    return seed;
  });
}

/** Fetches `sent` until every span it has is there (a just-sent trace can still be filling in). */
export async function complete(client: TempoClient, sent: SentTrace): Promise<DecodedTrace> {
  return pollUntil(
    `all ${sent.spanCount} spans of ${sent.traceId} from ${client.name}`,
    async () => {
      const r = await client.getTrace(sent.traceId, { noCache: true });
      return r.decoded.model.spanCount === sent.spanCount && r.decoded;
    },
    { deadlineMs: 20_000, intervalMs: 250 },
  );
}
