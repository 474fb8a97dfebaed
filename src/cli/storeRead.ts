/**
 * The CLI's reading side of the local store, for `show <id> --store DIR` and `search --store DIR`:
 * a store folder is read directly (no server), safely beside a running receiver.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeTrace, type DecodedTrace } from '../core/model';
import {
  readTrace,
  searchTraces,
  SearchQueryError,
  StoreReader,
  type StoreSearchQuery,
  type TraceSummary,
} from '../core/store';
import { CliError, EXIT } from './command';

function openStore(dir: string): StoreReader {
  const path = resolve(dir);
  if (!existsSync(path)) throw new CliError(EXIT.usage, `the store folder ${path} does not exist`);
  return StoreReader.open(path);
}

/** Reads trace `traceId` (32 hex digits) from the store folder `dir`. */
export function loadTraceFromStore(dir: string, traceId: string): DecodedTrace {
  const reader = openStore(dir);
  try {
    const trace = readTrace(reader, traceId);
    if (!trace) throw new CliError(EXIT.notFound, `trace ${traceId} is not in the store ${resolve(dir)}`);
    return decodeTrace(trace.bytes, 'otlp-proto');
  } finally {
    reader.close();
  }
}

/** The traces in the store folder `dir` that match `query`; a query it cannot run is a usage error. */
export function searchStoreFolder(dir: string, query: StoreSearchQuery): TraceSummary[] {
  const reader = openStore(dir);
  try {
    return searchTraces(reader, query).traces.map((h) => h.summary);
  } catch (e) {
    if (e instanceof SearchQueryError) throw new CliError(EXIT.usage, e.message);
    throw e;
  } finally {
    reader.close();
  }
}
