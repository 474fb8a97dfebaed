/**
 * Errors raised by the trace backends. Each carries a kind the caller can switch on and a message
 * that is one sentence a person can act on. Messages never contain credentials: URLs are shown
 * without user info, and quoted bodies have known secrets masked.
 */

/** Why a backend request failed. */
export type BackendErrorKind =
  | 'unreachable'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'timeout'
  | 'too-large'
  | 'rate-limited'
  | 'bad-request'
  | 'proxy'
  | 'server'
  | 'cancelled'
  | 'bad-response'
  | 'redirect-blocked'
  // The server lacks the endpoint, e.g. TraceQL metrics on Tempo < 2.4.
  | 'unsupported';

/** A failed backend request, with a sentence for a person and the facts for code. */
export class BackendError extends Error {
  override readonly name = 'BackendError';
  /** HTTP status, when the server answered. */
  readonly status?: number;
  /** The request URL without credentials ('' when no request was made). */
  readonly url: string;

  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    init: { status?: number; url?: string; cause?: unknown } = {},
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    if (init.status !== undefined) this.status = init.status;
    this.url = init.url ?? '';
  }
}

/** True when `err` is a BackendError of one of `kinds`. */
export function isBackendError(err: unknown, ...kinds: BackendErrorKind[]): err is BackendError {
  return err instanceof BackendError && (kinds.length === 0 || kinds.includes(err.kind));
}

const SECRET_PARAM = /token|key|secret|passw|auth|signature|sig$/i;

/** A URL as it may appear in a message or log: no user info, secret-looking query values masked. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    // Not a URL: drop anything that looks like `user:pass@`.
    return String(url).replace(/\/\/[^/@\s]*@/, '//');
  }
  u.username = '';
  u.password = '';
  for (const key of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(key)) u.searchParams.set(key, '***');
  }
  return u.toString();
}

// C0 and C1 controls, DEL, and bidi overrides (which can make a quoted body read backwards).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/**
 * Body text fit to quote in a message: control characters become spaces, whitespace collapses,
 * the text is cut to about `max` characters, and every secret in `secrets` is masked.
 */
export function quoteText(text: string, secrets: readonly string[] = [], max = 200): string {
  let s = text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  for (const secret of secrets) {
    if (secret.length >= 4) s = s.split(secret).join('***');
  }
  if (s.length > max) s = `${s.slice(0, max).trimEnd()}…`;
  return s;
}

/** "30 s", "0.3 s", "250 ms": a duration for a message. */
export function formatDuration(ms: number): string {
  if (ms < 100) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1).replace(/\.0$/, '')} s`;
}

/** "256 MB", "64 KB", "900 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
