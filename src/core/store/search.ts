/** TraceQL search over the store (placeholder until the TraceQL engine lands). */
import type { StoreData } from './store';

/** A query the store cannot run: a 400 naming why. */
export class SearchQueryError extends Error {}

/** Runs `/api/search`. */
export function searchStore(_data: StoreData, _params: URLSearchParams, _nowMs: number): unknown {
  throw new SearchQueryError('TraceQL search is not available yet');
}
