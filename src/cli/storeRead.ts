/**
 * The CLI's reading side of the local store: `show <id> --store DIR` and `trace-lens search`.
 * A store folder is read directly (no server), safely beside a running receiver.
 *
 *   trace-lens search '<TraceQL>' [--store DIR | --tempo URL | --backend NAME] [--tenant ID]
 *                     [--token-env VAR] [--since 1h] [--limit N] [--json]
 *
 * prints one trace a line, or with `--json` an array of `{traceId, rootService, rootName,
 * startTime, durationMs, spanCount, errorCount}` (`rootService`/`rootName` null when the root
 * span is missing). Its arguments are parsed here, with `node:util` `parseArgs`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TraceBackend } from '../core/backends';
import { decodeTrace, type DecodedTrace } from '../core/model';
import { readTrace, searchTraces, StoreReader, SearchQueryError, type TraceSummary } from '../core/store';

const EXIT = { ok: 0, notFound: 1, usage: 2, backend: 3 } as const;

/** A failure with its exit code (main.ts maps it the same way). */
export class StoreCliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function openStore(dir: string): StoreReader {
  const path = resolve(dir);
  if (!existsSync(path)) throw new StoreCliError(EXIT.usage, `the store folder ${path} does not exist`);
  return StoreReader.open(path);
}

/** Reads trace `traceId` (32 hex digits) from the store folder `dir`. */
export function loadTraceFromStore(dir: string, traceId: string): DecodedTrace {
  const reader = openStore(dir);
  try {
    const trace = readTrace(reader, traceId);
    if (!trace)
      throw new StoreCliError(EXIT.notFound, `trace ${traceId} is not in the store ${resolve(dir)}`);
    return decodeTrace(trace.bytes, 'otlp-proto');
  } finally {
    reader.close();
  }
}

/** `1h`, `30m`, `90s`, `2d` in seconds. */
export function parseSince(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(text.trim());
  if (!m)
    throw new StoreCliError(EXIT.usage, `--since takes a duration such as 30m, 1h or 2d, not "${text}"`);
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

/** Strips control characters so hostile span names cannot drive the terminal. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** The backend options of `search`, handed to main.ts, which owns the token and trust rules. */
export interface SearchBackendFlags {
  tempo?: string;
  backend?: string;
  tenant?: string;
  tokenEnv?: string;
  trustWorkspaceSettings?: boolean;
}

/**
 * Runs `search` with its arguments (after the command word); resolves with the exit code.
 * `backendFor` builds the backend for `--tempo`/`--backend` (throwing main's CliError).
 */
export async function search(
  argv: string[],
  out: (s: string) => void,
  cwd: string,
  backendFor: (flags: SearchBackendFlags) => TraceBackend,
): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    throw new StoreCliError(
      EXIT.usage,
      `${e instanceof Error ? e.message : String(e)} (see trace-lens --help)`,
    );
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new StoreCliError(EXIT.usage, "search takes one TraceQL query, e.g. '{ status = error }'");
  const q = positionals[0]!;
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new StoreCliError(EXIT.usage, '--limit must be a whole number above 0');
  const end = Math.floor(Date.now() / 1000);
  const start = end - parseSince(values.since ?? '1h');
  const sources = [values.store, values.tempo, values.backend].filter((v) => v !== undefined);
  if (sources.length > 1) throw new StoreCliError(EXIT.usage, 'use one of --store, --tempo and --backend');
  let rows: Row[];
  if (values.store !== undefined) {
    const reader = openStore(resolve(cwd, values.store));
    try {
      rows = searchTraces(reader, { q, start, end, limit }).traces.map((h) => fromSummary(h.summary));
    } catch (e) {
      if (e instanceof SearchQueryError) throw new StoreCliError(EXIT.usage, e.message);
      throw e;
    } finally {
      reader.close();
    }
  } else {
    const backend = backendFor({
      ...(values.tempo !== undefined ? { tempo: values.tempo } : {}),
      ...(values.backend !== undefined ? { backend: values.backend } : {}),
      ...(values.tenant !== undefined ? { tenant: values.tenant } : {}),
      ...(values['token-env'] !== undefined ? { tokenEnv: values['token-env'] } : {}),
      ...(values['trust-workspace-settings'] ? { trustWorkspaceSettings: true } : {}),
    });
    if (!backend.search) throw new StoreCliError(EXIT.usage, `${backend.name} has no TraceQL search`);
    try {
      const result = await backend.search({ q, start, end, limit });
      rows = result.traces.map((h) => {
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
      });
    } catch (e) {
      const kind = (e as { kind?: string }).kind;
      throw new StoreCliError(
        kind === 'bad-request' ? EXIT.usage : EXIT.backend,
        e instanceof Error ? e.message : String(e),
      );
    }
  }
  if (values.json) out(JSON.stringify(rows));
  else
    for (const r of rows)
      out(
        `${r.traceId}  ${r.startTime}  ${String(r.durationMs).padStart(9)} ms  ${r.spanCount} spans  ${r.errorCount} errors  ${clean(r.rootService ?? '<root span missing>')}: ${clean(r.rootName ?? '')}`,
      );
  return rows.length > 0 ? EXIT.ok : EXIT.notFound;
}

const OPTIONS = {
  store: { type: 'string' },
  tempo: { type: 'string' },
  backend: { type: 'string' },
  tenant: { type: 'string' },
  'token-env': { type: 'string' },
  since: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  'trust-workspace-settings': { type: 'boolean' },
} as const;
