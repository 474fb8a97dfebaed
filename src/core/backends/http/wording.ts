/**
 * The sentences of the HTTP layer: each failure (a status, an HTML page, a network error, a
 * deadline, a body too large) becomes one `BackendError` whose message says what happened and
 * what to do, in the words of the product and the setting at hand. Server text reaches these
 * messages only quoted and masked (`scrub`).
 */
import { BackendError, formatBytes, formatDuration, quoteText } from '../errors';

/** Names used in messages, so errors point at the right product and setting. */
export interface Wording {
  /** "Tempo", "Grafana", "Jaeger", "Zipkin". */
  product: string;
  /** The setting holding the URL, e.g. `traceLens.tempo.url`. */
  urlSetting: string;
  /** The command that stores credentials. */
  credentialsCommand: string;
}

/** The wording, plus the masking of one transport's credentials in server text. */
export interface Voice {
  readonly wording: Wording;
  /** Server text quoted for a message: control characters stripped, cut, secrets masked. */
  scrub(text: string, max?: number): string;
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

/** Describes a network failure from its `cause.code`. */
export function networkReason(err: unknown): string {
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

/** The server could not be reached at all. `where` is the method, origin and path, masked. */
export function unreachableError(voice: Voice, where: string, url: string, cause: unknown): BackendError {
  const w = voice.wording;
  return new BackendError(
    'unreachable',
    `${where}: could not reach ${w.product} (${voice.scrub(networkReason(cause), 160)}); check ${w.urlSetting} and that the server is running`,
    { url, cause },
  );
}

/**
 * The operation stopped: cancelled by the caller, past its deadline (`timeoutMs`), or, when
 * `reason` is undefined, the body stalled for `idleTimeoutMs`.
 */
export function abortError(
  voice: Voice,
  reason: 'deadline' | 'cancelled' | undefined,
  times: { timeoutMs: number; idleTimeoutMs: number },
  path: string,
  url: string,
): BackendError {
  const where = { url };
  const product = voice.wording.product;
  if (reason === 'cancelled') return new BackendError('cancelled', `GET ${path}: cancelled`, where);
  if (reason === 'deadline') {
    return new BackendError(
      'timeout',
      `GET ${path}: ${product} timed out after ${formatDuration(times.timeoutMs)}; try again, narrow the time range, or raise the timeout`,
      where,
    );
  }
  return new BackendError(
    'timeout',
    `GET ${path}: ${product} timed out: it stopped sending data for ${formatDuration(times.idleTimeoutMs)} in the middle of the response`,
    where,
  );
}

/** A response past the byte cap. */
export function tooLargeError(prefix: string, max: number, status: number, url: string): BackendError {
  return new BackendError(
    'too-large',
    `${prefix}: the response is larger than the ${formatBytes(max)} limit; fetch a narrower time range or raise the limit`,
    { status, url },
  );
}

/** A proxy's (or a login) HTML page where the API was expected. */
export function htmlError(
  voice: Voice,
  prefix: string,
  url: string,
  status: number,
  text: string,
): BackendError {
  const title = htmlTitle(text);
  const w = voice.wording;
  return new BackendError(
    'proxy',
    `${prefix}: a proxy answered with an HTML page${title ? ` ("${voice.scrub(title, 80)}")` : ''}, not ${w.product} (check ${w.urlSetting})`,
    { status, url },
  );
}

/** A body that should have been JSON. */
export function notJsonError(
  voice: Voice,
  prefix: string,
  text: string,
  status: number,
  url: string,
  cause: unknown,
): BackendError {
  const w = voice.wording;
  return new BackendError(
    'bad-response',
    `${prefix}: expected JSON from ${w.product} but got "${voice.scrub(text, 120)}" (check ${w.urlSetting})`,
    { status, url, cause },
  );
}

/** The default error for a status nobody handled. */
export function statusError(voice: Voice, ctx: StatusContext): BackendError {
  const { status, prefix } = ctx;
  const w = voice.wording;
  const init = { status, url: ctx.url };
  const said = ctx.quoted ? `: "${ctx.quoted}"` : '';
  const html =
    ctx.bodyText.length > 0 && isHtml(ctx.contentType, new TextEncoder().encode(ctx.bodyText.slice(0, 256)));
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
  if (html) return htmlError(voice, prefix, ctx.url, status, ctx.bodyText);
  if (/trace exceeds max size/i.test(ctx.bodyText)) {
    return new BackendError(
      'too-large',
      `${prefix}: ${w.product} refused the trace because it is larger than max_bytes_per_trace${said}; raise max_bytes_per_trace in Tempo's overrides, or upgrade to Tempo 2.7 or later whose v2 API returns a partial trace`,
      init,
    );
  }
  if (status === 429 || status === 503) {
    const what =
      status === 429 ? `${w.product} is rate-limiting requests` : `${w.product} is unavailable or not ready`;
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
