/**
 * `trace-lens search`: the traces a TraceQL query matches, from a local store folder (`--store`)
 * or a backend (`--tempo`, `--backend`, under `show`'s token and trust rules), one a line or, with
 * `--json`, an array of `{traceId, rootService, rootName, startTime, durationMs, spanCount,
 * errorCount}` (`rootService`/`rootName` null when the root span is missing).
 */
import { resolve } from 'node:path';
import type { SearchHit } from '../core/backends';
import type { TraceSummary } from '../core/store';
import { BACKEND_NOTES, BACKEND_OPTIONS, backendFrom, oneSource } from './backendOptions';
import { CliError, EXIT, defineCommand } from './command';
import { searchStoreFolder } from './storeRead';

/** `1h`, `30m`, `90s`, `2d` in seconds. */
export function parseSince(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new CliError(EXIT.usage, `--since takes a duration such as 30m, 1h or 2d, not "${text}"`);
  return Math.round(Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd']);
}

/** One line of `search` output. */
interface Row {
  traceId: string;
  rootService: string | null;
  rootName: string | null;
  startTime: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
}

/** A row from a store folder's summary (exact durations). */
function fromSummary(s: TraceSummary): Row {
  return {
    traceId: s.traceId,
    rootService: s.rootService,
    rootName: s.rootName,
    startTime: new Date(Math.round(s.startMs)).toISOString(),
    durationMs: Math.round(s.durationMs * 1000) / 1000,
    spanCount: s.spanCount,
    errorCount: s.errorCount,
  };
}

/** A row from a backend's search hit (Tempo gives whole milliseconds). */
function fromHit(h: SearchHit): Row {
  const stats = Object.values(h.serviceStats ?? {});
  const missingRoot = h.rootServiceName === '' || h.rootServiceName.startsWith('<root span');
  return {
    traceId: h.traceId,
    rootService: missingRoot ? null : h.rootServiceName,
    rootName: missingRoot ? null : (h.rootTraceName ?? null),
    startTime: new Date(Number(BigInt(h.startTimeUnixNano) / 1000000n)).toISOString(),
    durationMs: h.durationMs,
    spanCount: stats.reduce((n, s) => n + s.spanCount, 0),
    errorCount: stats.reduce((n, s) => n + s.errorCount, 0),
  };
}

/** Strips control characters so hostile span names cannot drive the terminal. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** `search`: one matching trace a line, or a JSON array; exit 1 when nothing matches. */
export const searchCommand = defineCommand({
  name: 'search',
  usage: `  trace-lens search '<TraceQL>' [--store DIR | --tempo URL | --backend NAME
                    [--trust-workspace-settings]] [--tenant ID] [--token-env VAR]
                    [--since 1h] [--limit N] [--json]
      One matching trace a line; --json prints an array of {traceId, rootService, rootName,
      startTime, durationMs, spanCount, errorCount}. --since (30m, 1h, 2d; default 1h) and
      --limit (default 20) bound the search.`,
  notes: BACKEND_NOTES,
  options: {
    ...BACKEND_OPTIONS,
    store: { type: 'string' },
    since: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ positionals, values }, ctx) {
    if (positionals.length !== 1)
      throw new CliError(EXIT.usage, "search takes one TraceQL query, e.g. '{ status = error }'");
    const q = positionals[0]!;
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new CliError(EXIT.usage, '--limit must be a whole number above 0');
    const end = Math.floor(Date.now() / 1000);
    const start = end - parseSince(values.since ?? '1h');
    oneSource(values);
    let rows: Row[];
    if (values.store !== undefined) {
      rows = searchStoreFolder(resolve(ctx.cwd, values.store), { q, start, end, limit }).map(fromSummary);
    } else {
      const backend = backendFrom(values, ctx);
      if (!backend.search) throw new CliError(EXIT.usage, `${backend.name} has no TraceQL search`);
      try {
        rows = (await backend.search({ q, start, end, limit })).traces.map(fromHit);
      } catch (e) {
        const kind = (e as { kind?: string }).kind;
        throw new CliError(
          kind === 'bad-request' ? EXIT.usage : EXIT.backend,
          e instanceof Error ? e.message : String(e),
        );
      }
    }
    if (values.json) ctx.out(JSON.stringify(rows));
    else
      for (const r of rows)
        ctx.out(
          `${r.traceId}  ${r.startTime}  ${String(r.durationMs).padStart(9)} ms  ${r.spanCount} spans  ${r.errorCount} errors  ${clean(r.rootService ?? '<root span missing>')}: ${clean(r.rootName ?? '')}`,
        );
    return rows.length > 0 ? EXIT.ok : EXIT.notFound;
  },
});
