/**
 * The HTTP layer of the backends, in four parts: `operation.ts` (deadlines and cancellation),
 * `url.ts` (base URL and API paths), `wording.ts` (one actionable sentence per failure) and
 * `transport.ts` (fetch, redirects, retries, capped reads, credentials bound to one origin).
 */
export { AttemptGuard, Operation, sleep } from './operation';
export { joinUrl, parseBaseUrl, requestUrl, type UrlSpec } from './url';
export { isHtml, networkReason, statusError, type StatusContext, type Voice, type Wording } from './wording';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_BYTES,
  DEFAULT_TIMEOUT_MS,
  HttpTransport,
  authorizationHeader,
  parseRetryAfter,
  type Auth,
  type FetchLike,
  type HttpResponse,
  type RequestSpec,
  type TransportOptions,
} from './transport';
