/**
 * The local trace store (issue 10): what the extension host and the CLI use.
 *
 * - `startReceiver` runs OTLP/HTTP, OTLP/gRPC and the Tempo-compatible query API over a store
 *   folder, as its one writer or as a reader of the writer's query API.
 * - `TraceStore` / `StoreReader` are the store itself (writer, and a reader safe beside one).
 * - `readTrace`, `summarizeTrace`, `recentTraces`, `traceLogs`, `tagNames`, `tagValues` and
 *   `searchStore` read a store directly (the CLI's `--store DIR`).
 */
export {
  DEFAULT_GRPC_PORT,
  DEFAULT_HTTP_PORT,
  DEFAULT_QUERY_PORT,
  startReceiver,
  type GrpcModule,
  type Receiver,
  type ReceiverOptions,
  type ReceiverStatus,
} from './receiver';
export {
  DEFAULT_MAX_AGE_MS,
  DEFAULT_MAX_BYTES,
  StoreBusyError,
  StoreLockedError,
  StoreReader,
  TraceStore,
  type AppendResult,
  type StoreData,
  type StoreOptions,
  type StoreStats,
} from './store';
export { readLock, type LockInfo } from './lock';
export { queryApiHandler, type QueryApiOptions, type QuerySource } from './tempoApi';
export {
  readTrace,
  recentTraces,
  summarizeTrace,
  traceByIdResponse,
  traceLogs,
  type StoredLog,
  type StoredTrace,
  type TraceSummary,
} from './traces';
export { tagNames, tagValues, type TagValue } from './tags';
export {
  searchStore,
  searchTraces,
  SearchQueryError,
  type MatchedSpan,
  type StoreSearchHit,
  type StoreSearchQuery,
  type StoreSearchResult,
} from './search';
