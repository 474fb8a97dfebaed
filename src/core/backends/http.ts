/**
 * The HTTP layer every backend shares: one injected `fetch`, deadlines, cancellation, capped
 * streaming reads, retries for 429/503, manual redirects that never carry credentials to another
 * origin, and status codes turned into `BackendError`s with one actionable sentence.
 *
 * `fetch` defaults to `globalThis.fetch`, which the VS Code host patches for proxies and
 * certificates; never bundle another HTTP client.
 */
import { BackendError, SecretMask, formatBytes, formatDuration, quoteText, redactUrl } from './errors';

/** The subset of `fetch` the backends use; `globalThis.fetch` fits. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How to authenticate to the backend's origin. */
export type Auth =
  { kind: 'none' } | { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string };

/** Names used in messages, so errors point at the right product and setting. */
export interface Wording {
  /** "Tempo", "Grafana", "Jaeger", "Zipkin". */
  product: string;
  /** The setting holding the URL, e.g. `traceLens.tempo.url`. */
  urlSetting: string;
  /** The command that stores credentials. */
  credentialsCommand: string;
}

/** Everything known about a failed response, for building its error. */
export interface StatusContext {
  status: number;
  /** `GET /path → 404` (the origin is included when a redirect left the configured origin). */
  prefix: string;
  /** The final URL, without credentials. */
  url: string;
  contentType: string;
  /** The body (first 64 KB), decoded as UTF-8. */
  bodyText: string;
  /** The body, quoted: control characters stripped, cut to ~200 characters, secrets masked. */
  quoted: string;
  /** Credentials were sent with the final request. */
  sentCredentials: boolean;
  /** The origin a redirect led to, when it is not the configured one. */
  redirectedTo?: string;
  /** Requests made, counting retries. */
  attempts: number;
}

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
export interface RequestSpec {
  /** Path below the base URL, e.g. `/api/search`. Joined to the base path, never replacing it. */
  path: string;
  query?: Record<string, string | number | undefined>;
  accept: string;
  /** Resolve `path` against the origin instead of the base URL (Tempo's `/ready`). */
  rootRelative?: boolean;
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

/**
 * One deadline and one cancellation for an operation that may take several requests (fallback
 * routes, retries, redirects). Abort reasons are remembered so errors can say which one fired.
 */
export class Operation {
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout> | undefined;
  private readonly deadlineAt: number;
  private readonly unlink: (() => void) | undefined;
  /** Why the operation stopped, once it did. */
  reason: 'deadline' | 'cancelled' | undefined;

  constructor(
    readonly timeoutMs: number,
    signal?: AbortSignal,
  ) {
    this.deadlineAt = Date.now() + timeoutMs;
    this.timer = setTimeout(() => this.stop('deadline'), timeoutMs);
    if (signal) {
      if (signal.aborted) this.stop('cancelled');
      else {
        const onAbort = () => this.stop('cancelled');
        signal.addEventListener('abort', onAbort, { once: true });
        this.unlink = () => signal.removeEventListener('abort', onAbort);
      }
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left before the deadline. */
  get remainingMs(): number {
    return Math.max(0, this.deadlineAt - Date.now());
  }

  /** Stops every request of the operation. */
  stop(reason: 'deadline' | 'cancelled'): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(reason));
  }

  /** Releases the timer and the caller's signal. */
  dispose(): void {
    clearTimeout(this.timer);
    this.unlink?.();
  }
}

/** Parses Retry-After (delay in seconds, or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Joins a base URL (which may carry a path prefix) and an API path. */
export function joinUrl(base: URL, path: string): URL {
  const u = new URL(base.toString());
  const prefix = u.pathname.replace(/\/+$/, '');
  u.pathname = `${prefix}/${path.replace(/^\/+/, '')}`;
  u.search = '';
  u.hash = '';
  return u;
}

/** Parses and checks a base URL; credentials in it are returned separately, never kept in it. */
export function parseBaseUrl(raw: string, wording: Wording): { url: URL; user?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new BackendError(
      'bad-request',
      `"${quoteText(redactUrl(raw), [], 100)}" is not a URL; set ${wording.urlSetting} to something like http://127.0.0.1:3200`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BackendError(
      'bad-request',
      `${wording.urlSetting} must be an http:// or https:// URL, not ${url.protocol}`,
      { url: redactUrl(url) },
    );
  }
  const user = url.username ? decodeURIComponent(url.username) : undefined;
  const password = url.password ? decodeURIComponent(url.password) : undefined;
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return { url, ...(user !== undefined ? { user } : {}), ...(password !== undefined ? { password } : {}) };
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

const HTML_START = /^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;

/** True when a response is an HTML page (a proxy's or a login page), whatever was asked for. */
export function isHtml(contentType: string, body: Uint8Array): boolean {
  if (/text\/html|application\/xhtml/i.test(contentType)) return true;
  const head = new TextDecoder().decode(body.subarray(0, 256));
  return HTML_START.test(head);
}

/** The `<title>` of an HTML page, if any. */
function htmlTitle(text: string): string | undefined {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  const t = m?.[1]?.trim();
  return t ? t : undefined;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Describes a network failure from its `cause.code`. */
function networkReason(err: unknown): string {
  let cur: unknown = err;
  for (let depth = 0; depth < 4 && cur instanceof Error; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') {
      switch (code) {
        case 'ECONNREFUSED':
          return 'connection refused';
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
          return 'host name not found';
        case 'ECONNRESET':
        case 'UND_ERR_SOCKET':
          return 'connection reset';
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
          return 'host unreachable';
        case 'ETIMEDOUT':
        case 'UND_ERR_CONNECT_TIMEOUT':
          return 'connection timed out';
        case 'CERT_HAS_EXPIRED':
          return 'its TLS certificate has expired';
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
          return 'its TLS certificate is not trusted (add the CA to your system or set NODE_EXTRA_CA_CERTS)';
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
          return 'its TLS certificate does not match the host name';
        case 'EPROTO':
        case 'ERR_SSL_WRONG_VERSION_NUMBER':
          return 'TLS handshake failed (is it http rather than https?)';
        default:
          return code;
      }
    }
    cur = cur.cause;
  }
  return err instanceof Error && err.message ? quoteText(err.message, [], 120) : 'network error';
}

/**
 * GET requests against one backend. Credentials and configured headers are bound to the base
 * URL's origin: they are never sent anywhere else, even when the server redirects.
 */
export class HttpTransport {
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
  urlFor(spec: Pick<RequestSpec, 'path' | 'query' | 'rootRelative'>): URL {
    const u = spec.rootRelative
      ? joinUrl(new URL(this.baseUrl.origin), spec.path)
      : joinUrl(this.baseUrl, spec.path);
    for (const [key, value] of Object.entries(spec.query ?? {})) {
      if (value !== undefined) u.searchParams.set(key, String(value));
    }
    return u;
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
            if (op.reason) throw this.abortError(op, attempt, first);
            continue;
          }
        }

        if (accepted(res.status)) {
          const body = await this.readBody(res, attempt, maxBytes, false, prefix, url);
          const ok = res.status >= 200 && res.status < 300;
          if (ok && body.length > 0 && isHtml(contentType, body)) {
            throw this.htmlError(
              prefix,
              url,
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
        if (op.reason || attempt.idle) throw this.abortError(op, attempt, finalUrl);
        throw new BackendError(
          'unreachable',
          `GET ${this.shown(finalUrl.origin + finalUrl.pathname)}: could not reach ${this.wording.product} (${this.scrub(networkReason(err), 160)}); check ${this.wording.urlSetting} and that the server is running`,
          { url: this.shown(finalUrl), cause: err },
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
      throw new BackendError(
        'bad-response',
        `${res.prefix}: expected JSON from ${this.wording.product} but got "${this.scrub(text, 120)}" (check ${this.wording.urlSetting})`,
        { status: res.status, url: res.url, cause: err },
      );
    }
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
    const tooLarge = () =>
      new BackendError(
        'too-large',
        `${prefix}: the response is larger than the ${formatBytes(max)} limit; fetch a narrower time range or raise the limit`,
        { status: res.status, url: this.shown(url) },
      );
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

  private abortError(op: Operation, attempt: AttemptGuard, url: URL): BackendError {
    const where = { url: this.shown(url) };
    if (op.reason === 'cancelled') {
      return new BackendError('cancelled', `GET ${this.path(url)}: cancelled`, where);
    }
    if (op.reason === 'deadline') {
      return new BackendError(
        'timeout',
        `GET ${this.path(url)}: ${this.wording.product} timed out after ${formatDuration(op.timeoutMs)}; try again, narrow the time range, or raise the timeout`,
        where,
      );
    }
    return new BackendError(
      'timeout',
      `GET ${this.path(url)}: ${this.wording.product} timed out: it stopped sending data for ${formatDuration(this.idleTimeoutMs)} in the middle of the response`,
      where,
    );
  }

  private htmlError(prefix: string, url: URL, status: number, text: string): BackendError {
    const title = htmlTitle(text);
    return new BackendError(
      'proxy',
      `${prefix}: a proxy answered with an HTML page${title ? ` ("${this.scrub(title, 80)}")` : ''}, not ${this.wording.product} (check ${this.wording.urlSetting})`,
      { status, url: this.shown(url) },
    );
  }

  /** The default error for a status nobody handled. */
  statusError(ctx: StatusContext): BackendError {
    const { status, prefix } = ctx;
    const w = this.wording;
    const init = { status, url: ctx.url };
    const said = ctx.quoted ? `: "${ctx.quoted}"` : '';
    const html =
      ctx.bodyText.length > 0 &&
      isHtml(ctx.contentType, new TextEncoder().encode(ctx.bodyText.slice(0, 256)));
    if (status === 401 || status === 403) {
      const kind = status === 401 ? 'unauthorized' : 'forbidden';
      if (ctx.redirectedTo) {
        return new BackendError(
          kind,
          `${prefix}: ${w.product} redirected to ${ctx.redirectedTo}, and credentials are never sent to another origin; set ${w.urlSetting} to that address`,
          init,
        );
      }
      if (/no org id/i.test(ctx.bodyText)) {
        return new BackendError(
          kind,
          `${prefix}: ${w.product} runs with multitenancy and needs a tenant (X-Scope-OrgID); set the tenant for this backend`,
          init,
        );
      }
      if (status === 401) {
        return new BackendError(
          kind,
          ctx.sentCredentials
            ? `${prefix}: ${w.product} refused the credentials; check them with "${w.credentialsCommand}"`
            : `${prefix}: ${w.product} needs credentials; set them with "${w.credentialsCommand}"`,
          init,
        );
      }
      return new BackendError(
        kind,
        `${prefix}: ${w.product} denied access${ctx.sentCredentials ? ' for these credentials' : ''}; check that they may read traces (and the tenant) with "${w.credentialsCommand}"`,
        init,
      );
    }
    if (html) return this.htmlError(prefix, new URL(ctx.url), status, ctx.bodyText);
    if (/trace exceeds max size/i.test(ctx.bodyText)) {
      return new BackendError(
        'too-large',
        `${prefix}: ${w.product} refused the trace because it is larger than max_bytes_per_trace${said}; raise max_bytes_per_trace in Tempo's overrides, or upgrade to Tempo 2.7 or later whose v2 API returns a partial trace`,
        init,
      );
    }
    if (status === 429 || status === 503) {
      const what =
        status === 429
          ? `${w.product} is rate-limiting requests`
          : `${w.product} is unavailable or not ready`;
      return new BackendError(
        'rate-limited',
        `${prefix}: ${what} (still after ${ctx.attempts} attempt${ctx.attempts === 1 ? '' : 's'})${said}; try again in a minute`,
        init,
      );
    }
    if (status === 504 || status === 408) {
      return new BackendError(
        'timeout',
        `${prefix}: ${w.product} timed out before the query finished${said}; try again or narrow the time range`,
        init,
      );
    }
    if (status === 413) {
      return new BackendError(
        'too-large',
        `${prefix}: ${w.product} says the response is too large${said}`,
        init,
      );
    }
    if (status === 502) {
      return new BackendError(
        'proxy',
        `${prefix}: a gateway in front of ${w.product} could not reach it${said}; check that ${w.product} is running behind ${w.urlSetting}`,
        init,
      );
    }
    if (status === 404) {
      return new BackendError(
        'not-found',
        `${prefix}: ${w.product} has no such endpoint${said}; check ${w.urlSetting}, including any path prefix`,
        init,
      );
    }
    if (status >= 500) {
      return new BackendError('server', `${prefix}: ${w.product} failed with a server error${said}`, init);
    }
    if (status >= 400) {
      return new BackendError('bad-request', `${prefix}: ${w.product} rejected the request${said}`, init);
    }
    return new BackendError('bad-response', `${prefix}: unexpected status from ${w.product}${said}`, init);
  }
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** One request's abort signal: the operation's, plus an idle timer while the body streams. */
class AttemptGuard {
  private readonly controller = new AbortController();
  private readonly unlink: () => void;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The idle timer fired. */
  idle = false;

  constructor(
    op: Operation,
    private readonly idleTimeoutMs: number,
  ) {
    const onAbort = () => this.controller.abort(op.signal.reason);
    if (op.signal.aborted) onAbort();
    op.signal.addEventListener('abort', onAbort, { once: true });
    this.unlink = () => op.signal.removeEventListener('abort', onAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  startIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idle = true;
      this.controller.abort(new Error('idle'));
    }, this.idleTimeoutMs);
  }

  stopIdleTimer(): void {
    clearTimeout(this.idleTimer);
  }

  abort(): void {
    this.controller.abort(new Error('stopped'));
  }

  dispose(): void {
    this.stopIdleTimer();
    this.unlink();
  }
}
