/**
 * The HTTP transport every backend shares: one injected `fetch`, capped streaming reads, retries
 * for 429/503, and manual redirects that never carry credentials to another origin. Deadlines
 * and cancellation come from `operation.ts`, URLs from `url.ts`, sentences from `wording.ts`.
 *
 * `fetch` defaults to `globalThis.fetch`, which the VS Code host patches for proxies and
 * certificates; never bundle another HTTP client.
 */
import { BackendError, SecretMask, quoteText, redactUrl } from '../errors';
import { AttemptGuard, Operation, sleep } from './operation';
import { parseBaseUrl, requestUrl, type UrlSpec } from './url';
import {
  abortError,
  htmlError,
  isHtml,
  notJsonError,
  statusError,
  tooLargeError,
  unreachableError,
  type StatusContext,
  type Voice,
  type Wording,
} from './wording';

/** The subset of `fetch` the backends use; `globalThis.fetch` fits. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How to authenticate to the backend's origin. */
export type Auth =
  { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

/** Options for `HttpTransport`. */
export interface TransportOptions {
  baseUrl: string;
  fetch?: FetchLike;
  auth?: Auth;
  /** Headers sent only to the base URL's origin (tenant, gateway keys...). */
  headers?: Record<string, string>;
  /** Deadline for one operation, retries and redirects included. Default 30000. */
  timeoutMs?: number;
  /** Abort when the body stops arriving for this long. Default 10000. */
  idleTimeoutMs?: number;
  /** Cap on decoded response bytes. Default 256 MB. */
  maxBytes?: number;
  /** Retries after 429/503. Default 2. */
  maxRetries?: number;
  /** First backoff when there is no Retry-After; doubles each time. Default 500. */
  retryBaseDelayMs?: number;
  /** Longest wait before a retry, whatever Retry-After says. Default 10000. */
  maxRetryWaitMs?: number;
  wording: Wording;
  /** Turns a status into a product-specific error first (e.g. Grafana's 400 for a data source 401). */
  classify?: (ctx: StatusContext) => BackendError | undefined;
}

/** One GET. */
export interface RequestSpec extends UrlSpec {
  accept: string;
  /** Return a 404 to the caller instead of throwing (route detection, "trace not found"). */
  accept404?: boolean;
  /** Statuses returned to the caller instead of thrown; overrides `accept404`. Default: 2xx. */
  acceptStatus?: (status: number) => boolean;
  /** Cap for this response; default the transport's `maxBytes`. */
  maxBytes?: number;
  /** Retries after 429/503 for this request; default the transport's. */
  maxRetries?: number;
}

/** A response whose body was read completely. */
export interface HttpResponse {
  status: number;
  headers: Headers;
  contentType: string;
  body: Uint8Array;
  /** Final URL without credentials. */
  url: string;
  /** Pathname of the final URL, for messages. */
  pathname: string;
  /** `GET /path → 200`, for messages about this response. */
  prefix: string;
  attempts: number;
  /** Credentials were sent with the final request. */
  sentCredentials: boolean;
  /** The origin a redirect led to, when it is not the configured one. */
  redirectedTo?: string;
}

/** Default deadline for one operation. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Default time a response body may stall. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;
/** Default cap on decoded response bytes. */
export const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const MAX_REDIRECTS = 3;
const ERROR_BODY_BYTES = 64 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Parses Retry-After (delay in seconds, or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Header value for `auth`, or undefined for none. */
export function authorizationHeader(auth: Auth): string | undefined {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.user}:${auth.password}`, 'utf8').toString('base64')}`;
    case 'bearer':
      return `Bearer ${auth.token}`;
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * GET requests against one backend. Credentials and configured headers are bound to the base
 * URL's origin: they are never sent anywhere else, even when the server redirects.
 */
export class HttpTransport implements Voice {
  readonly baseUrl: URL;
  readonly timeoutMs: number;
  readonly idleTimeoutMs: number;
  readonly maxBytes: number;
  readonly wording: Wording;
  private readonly fetchFn: FetchLike;
  private readonly boundHeaders: Record<string, string>;
  /** Every spelling of every credential this transport sends, for masking server text. */
  readonly mask: SecretMask;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryWaitMs: number;
  private readonly classify: ((ctx: StatusContext) => BackendError | undefined) | undefined;

  constructor(options: TransportOptions) {
    this.wording = options.wording;
    const parsed = parseBaseUrl(options.baseUrl, options.wording);
    this.baseUrl = parsed.url;
    let auth: Auth = options.auth ?? { kind: 'none' };
    // `https://user:pass@host` works like basic auth, but the URL itself never carries them.
    if (auth.kind === 'none' && parsed.user !== undefined) {
      auth = { kind: 'basic', user: parsed.user, password: parsed.password ?? '' };
    }
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = positive(options.timeoutMs, DEFAULT_TIMEOUT_MS);
    this.idleTimeoutMs = positive(options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.maxBytes = positive(options.maxBytes, DEFAULT_MAX_BYTES);
    this.maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 2));
    this.retryBaseDelayMs = Math.max(0, options.retryBaseDelayMs ?? 500);
    this.maxRetryWaitMs = Math.max(0, options.maxRetryWaitMs ?? 10_000);
    this.classify = options.classify;

    this.boundHeaders = {};
    const secrets: string[] = [];
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
        throw new BackendError(
          'bad-request',
          `header "${quoteText(name, [], 60)}" is not a valid HTTP header`,
          {
            url: redactUrl(this.baseUrl),
          },
        );
      }
      if (/^(accept|host|content-length)$/i.test(name)) continue;
      this.boundHeaders[name] = value;
      // The tenant names an organisation, not a credential, and messages need to name it.
      if (!/^x-scope-orgid$/i.test(name)) secrets.push(value);
    }
    const authorization = authorizationHeader(auth);
    if (authorization) {
      this.boundHeaders['Authorization'] = authorization;
      secrets.push(authorization, authorization.replace(/^\w+ /, ''));
      if (auth.kind === 'basic') secrets.push(`${auth.user}:${auth.password}`, auth.password);
      if (auth.kind === 'bearer') secrets.push(auth.token);
    }
    this.mask = new SecretMask(secrets);
    for (const [name, value] of Object.entries(this.boundHeaders)) {
      // fetch rejects such values with a TypeError that would read like a network failure.
      if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) {
        const what = name === 'Authorization' ? 'the credentials contain' : `header "${name}" contains`;
        throw new BackendError(
          'bad-request',
          `${what} characters HTTP headers cannot carry (line breaks or non-Latin-1)`,
          {
            url: redactUrl(this.baseUrl),
          },
        );
      }
    }
  }

  /** Whether any credentials or configured headers are sent. */
  get hasCredentials(): boolean {
    return Object.keys(this.boundHeaders).length > 0;
  }

  /** A URL for a message: no user info, secret-looking query values and credentials masked. */
  shown(url: string | URL): string {
    return this.mask.mask(redactUrl(url));
  }

  /** A URL's path for a message; after a redirect the server chose it, so credentials are masked. */
  private path(url: URL): string {
    return this.mask.mask(url.pathname);
  }

  /** Masks every secret this transport knows in `text`. */
  scrub(text: string, max = 200): string {
    return quoteText(text, this.mask, max);
  }

  /** The URL for `spec`, as requested (before redirects). */
  urlFor(spec: UrlSpec): URL {
    return requestUrl(this.baseUrl, spec);
  }

  /** Starts an operation with this transport's deadline. */
  operation(signal?: AbortSignal): Operation {
    return new Operation(this.timeoutMs, signal);
  }

  /**
   * GET `spec` within `op`: follows redirects, retries 429/503, reads the whole body (capped) and
   * throws a `BackendError` for any status the caller did not accept.
   */
  async get(op: Operation, spec: RequestSpec): Promise<HttpResponse> {
    const first = this.urlFor(spec);
    const accepted =
      spec.acceptStatus ?? ((s: number) => (s >= 200 && s < 300) || (spec.accept404 === true && s === 404));
    const maxBytes = spec.maxBytes ?? this.maxBytes;
    const maxRetries = spec.maxRetries ?? this.maxRetries;
    let attempts = 0;
    for (;;) {
      attempts++;
      const attempt = new AttemptGuard(op, this.idleTimeoutMs);
      const track = { url: first };
      try {
        const { res, url } = await this.fetchFollowingRedirects(first, spec.accept, attempt, track);
        const sentCredentials = url.origin === this.baseUrl.origin && this.hasCredentials;
        const redirectedTo = url.origin === this.baseUrl.origin ? undefined : url.origin;
        const prefix = `GET ${redirectedTo ? this.shown(url.origin + url.pathname) : this.path(url)} → ${res.status}`;
        const contentType = res.headers.get('content-type') ?? '';
        const responseWith = (body: Uint8Array): HttpResponse => ({
          status: res.status,
          headers: res.headers,
          contentType,
          body,
          url: this.shown(url),
          pathname: url.pathname,
          prefix,
          attempts,
          sentCredentials,
          ...(redirectedTo ? { redirectedTo } : {}),
        });

        if ((res.status === 429 || res.status === 503) && attempts <= maxRetries) {
          const wait = Math.min(
            parseRetryAfter(res.headers.get('retry-after')) ?? this.retryBaseDelayMs * 2 ** (attempts - 1),
            this.maxRetryWaitMs,
          );
          // Waiting past the deadline helps nobody: report the 429/503 now instead.
          if (wait < op.remainingMs) {
            await res.body?.cancel().catch(() => undefined);
            attempt.dispose();
            await sleep(wait, op.signal);
            if (op.reason) throw this.abortError(op, first);
            continue;
          }
        }

        if (accepted(res.status)) {
          const body = await this.readBody(res, attempt, maxBytes, false, prefix, url);
          const ok = res.status >= 200 && res.status < 300;
          if (ok && body.length > 0 && isHtml(contentType, body)) {
            throw htmlError(
              this,
              prefix,
              this.shown(url),
              res.status,
              new TextDecoder().decode(body.subarray(0, ERROR_BODY_BYTES)),
            );
          }
          const response = responseWith(body);
          // A product-specific reading of an accepted error status wins (Grafana's data source errors).
          const special = ok ? undefined : this.classify?.(this.context(response));
          if (special) throw special;
          return response;
        }

        const body = await this.readBody(
          res,
          attempt,
          Math.min(ERROR_BODY_BYTES, maxBytes),
          true,
          prefix,
          url,
        );
        throw this.errorFor(responseWith(body));
      } catch (err) {
        if (err instanceof BackendError) throw err;
        const finalUrl = track.url;
        if (op.reason || attempt.idle) throw this.abortError(op, finalUrl);
        throw unreachableError(
          this,
          `GET ${this.shown(finalUrl.origin + finalUrl.pathname)}`,
          this.shown(finalUrl),
          err,
        );
      } finally {
        attempt.dispose();
      }
    }
  }

  /** The error for a response nobody accepted: the product-specific one first, then the default. */
  errorFor(res: HttpResponse): BackendError {
    const ctx = this.context(res);
    return this.classify?.(ctx) ?? this.statusError(ctx);
  }

  /** The default error for a status nobody handled. */
  statusError(ctx: StatusContext): BackendError {
    return statusError(this, ctx);
  }

  private context(res: HttpResponse): StatusContext {
    const bodyText = new TextDecoder().decode(res.body.subarray(0, ERROR_BODY_BYTES));
    return {
      status: res.status,
      prefix: res.prefix,
      url: res.url,
      contentType: res.contentType,
      bodyText,
      quoted: this.scrub(bodyText),
      sentCredentials: res.sentCredentials,
      ...(res.redirectedTo ? { redirectedTo: res.redirectedTo } : {}),
      attempts: res.attempts,
    };
  }

  /** Parses a JSON body, or explains why it is not JSON. */
  json(res: HttpResponse): unknown {
    const text = new TextDecoder().decode(res.body);
    try {
      return JSON.parse(text);
    } catch (err) {
      throw notJsonError(this, res.prefix, text, res.status, res.url, err);
    }
  }

  private abortError(op: Operation, url: URL): BackendError {
    const times = { timeoutMs: op.timeoutMs, idleTimeoutMs: this.idleTimeoutMs };
    return abortError(this, op.reason, times, this.path(url), this.shown(url));
  }

  private headersFor(url: URL, accept: string): Record<string, string> {
    // Credentials and configured headers go to the configured origin only.
    return url.origin === this.baseUrl.origin ? { ...this.boundHeaders, Accept: accept } : { Accept: accept };
  }

  private async fetchFollowingRedirects(
    start: URL,
    accept: string,
    attempt: AttemptGuard,
    track: { url: URL },
  ): Promise<{ res: Response; url: URL }> {
    let url = start;
    for (let hop = 0; ; hop++) {
      track.url = url;
      // A cancelled or expired operation sends nothing more (the caller turns this into its error).
      attempt.signal.throwIfAborted();
      const res = await this.fetchFn(url.toString(), {
        method: 'GET',
        headers: this.headersFor(url, accept),
        redirect: 'manual',
        signal: attempt.signal,
      });
      if (res.type === 'opaqueredirect') {
        throw new BackendError(
          'redirect-blocked',
          `GET ${this.path(url)}: ${this.wording.product} redirected and the target is hidden; set ${this.wording.urlSetting} to the final address`,
          { url: this.shown(url) },
        );
      }
      if (!REDIRECT_STATUSES.has(res.status)) return { res, url };
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      const prefix = `GET ${this.path(url)} → ${res.status}`;
      if (!location) {
        throw new BackendError('bad-response', `${prefix}: a redirect without a Location header`, {
          status: res.status,
          url: this.shown(url),
        });
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new BackendError('bad-response', `${prefix}: the redirect target is not a URL`, {
          status: res.status,
          url: this.shown(url),
        });
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new BackendError(
          'redirect-blocked',
          `${prefix}: refused a redirect to a ${next.protocol} URL`,
          {
            status: res.status,
            url: this.shown(url),
          },
        );
      }
      if (url.protocol === 'https:' && next.protocol === 'http:') {
        throw new BackendError(
          'redirect-blocked',
          `${prefix}: refused a redirect from https to ${this.shown(next.origin)} (plain http); set ${this.wording.urlSetting} to the address you trust`,
          { status: res.status, url: this.shown(url) },
        );
      }
      // A Location with user info would put someone's credentials in a URL (and fetch refuses it).
      next.username = '';
      next.password = '';
      if (hop + 1 > MAX_REDIRECTS) {
        throw new BackendError(
          'redirect-blocked',
          `${prefix}: more than ${MAX_REDIRECTS} redirects; set ${this.wording.urlSetting} to the final address`,
          { status: res.status, url: this.shown(url) },
        );
      }
      url = next;
    }
  }

  /**
   * Reads the body as it streams, counting decoded bytes: past `max` the request is aborted, so a
   * gzip bomb never inflates beyond the cap. With `truncate`, the first `max` bytes are kept instead.
   */
  private async readBody(
    res: Response,
    attempt: AttemptGuard,
    max: number,
    truncate: boolean,
    prefix: string,
    url: URL,
  ): Promise<Uint8Array> {
    const tooLarge = () => tooLargeError(prefix, max, res.status, this.shown(url));
    const encoding = res.headers.get('content-encoding');
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (!truncate && (!encoding || encoding === 'identity') && declared > max) {
      attempt.abort();
      throw tooLarge();
    }
    if (!res.body) return new Uint8Array(0);
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    attempt.startIdleTimer();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        attempt.startIdleTimer();
        if (total + value.length > max) {
          if (truncate) {
            chunks.push(value.subarray(0, max - total));
            total = max;
          }
          attempt.abort();
          await reader.cancel().catch(() => undefined);
          if (truncate) break;
          throw tooLarge();
        }
        chunks.push(value);
        total += value.length;
      }
    } finally {
      attempt.stopIdleTimer();
    }
    if (chunks.length === 1) return chunks[0]!;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
