/**
 * Errors raised by the trace backends. Each carries a kind the caller can switch on and a message
 * that is one sentence a person can act on. Messages never contain credentials: URLs are shown
 * without user info, and server text is quoted through `SecretMask`, which knows every spelling of
 * the credentials sent.
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

/** Secrets shorter than this are not masked: they would mask ordinary words. */
const MIN_SECRET = 4;
/** Shortest base64 run of a secret inside longer data that is still worth masking. */
const MIN_FRAGMENT = 6;

/**
 * The spellings of `secret` a server may send back, besides the secret itself: base64 (padded and
 * not), the base64 runs that stand for the secret wherever it sits inside longer base64-encoded
 * data (one per byte alignment), base64url of each, and hex. Percent and JSON escapes are not
 * listed: `SecretMask` matches them character by character.
 */
export function secretSpellings(secret: string): { text: string; anyCase: boolean }[] {
  if (secret.length < MIN_SECRET) return [];
  const out = new Map<string, boolean>([[secret, false]]);
  const bytes = Buffer.from(secret, 'utf8');
  const base64: string[] = [];
  const exact = bytes.toString('base64');
  base64.push(exact, exact.replace(/=+$/, ''));
  for (let k = 0; k < 3; k++) {
    // Preceded by k bytes, the secret's bits fill the 6-bit groups from ceil(8k/6) to floor(8(k+n)/6).
    const encoded = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const run = encoded.slice(Math.ceil((8 * k) / 6), Math.floor((8 * (k + bytes.length)) / 6));
    if (run.length >= MIN_FRAGMENT) base64.push(run);
  }
  for (const b of base64) {
    out.set(b, false);
    out.set(b.replace(/\+/g, '-').replace(/\//g, '_'), false);
  }
  out.set(bytes.toString('hex'), true);
  return [...out].map(([text, anyCase]) => ({ text, anyCase }));
}

const REGEX_SPECIAL = /[.*+?^${}()|[\]\\/-]/;

/** A hex digit, in either case. */
function hexDigit(d: number): string {
  const c = d.toString(16);
  return d < 10 ? c : `[${c}${c.toUpperCase()}]`;
}

/**
 * A pattern for one character and its escapes: percent-encoded UTF-8 (either case, also encoded
 * twice as %25XX), `+` for a space (forms), and JSON's backslash escapes.
 */
function charPattern(c: string, anyCase: boolean): string {
  const literal =
    anyCase && /[a-fA-F]/.test(c)
      ? `[${c.toLowerCase()}${c.toUpperCase()}]`
      : REGEX_SPECIAL.test(c)
        ? `\\${c}`
        : c;
  const alternatives = [literal];
  const percent = Array.from(
    Buffer.from(c, 'utf8'),
    (b) => `%(?:25)?${hexDigit(b >> 4)}${hexDigit(b & 15)}`,
  ).join('');
  alternatives.push(percent);
  if (c === ' ') alternatives.push('\\+');
  if (c.length === 1) {
    const code = c.charCodeAt(0);
    alternatives.push(`\\\\u${[12, 8, 4, 0].map((shift) => hexDigit((code >> shift) & 15)).join('')}`);
    if (c === '/' || c === '"' || c === '\\') alternatives.push(`\\\\\\${c}`);
  }
  return `(?:${alternatives.join('|')})`;
}

/**
 * Masks credentials in text a server wrote, in every spelling it may come back in: as sent, base64
 * or base64url (alone or inside longer encoded data), hex, percent-encoded (either case, mixed with
 * plain characters), form-encoded or JSON-escaped. The one place that knows these spellings.
 */
export class SecretMask {
  private readonly spellings = new Map<string, boolean>();
  /** Built on first use: most backends never quote an error. */
  private pattern: RegExp | null | undefined;
  /** The longest text one spelling can match (a character may take 15 as `%25XX` of 3 bytes). */
  readonly reach: number;

  /** `secrets`: every credential sent (tokens, passwords, `user:password`, header values). */
  constructor(secrets: readonly string[]) {
    const spellings = this.spellings;
    // Quoted text has its whitespace collapsed before it is masked (see quoteText).
    for (const secret of new Set([...secrets, ...secrets.map(collapse)])) {
      for (const { text, anyCase } of secretSpellings(secret)) {
        spellings.set(text, (spellings.get(text) ?? false) || anyCase);
      }
    }
    this.reach = 15 * Math.max(0, ...Array.from(spellings.keys(), (text) => text.length));
  }

  /** An empty mask. */
  static readonly none = new SecretMask([]);

  /** `text` with every spelling of every secret replaced by `***`. */
  mask(text: string): string {
    if (this.pattern === undefined) {
      // Longest first, so "Basic <credentials>" is masked whole rather than around its credentials.
      const sources = [...this.spellings]
        .sort((x, y) => y[0].length - x[0].length)
        .map(([spelling, anyCase]) => Array.from(spelling, (c) => charPattern(c, anyCase)).join(''));
      this.pattern = sources.length ? new RegExp(sources.join('|'), 'g') : null;
    }
    return this.pattern ? text.replace(this.pattern, '***') : text;
  }
}

/**
 * Body text fit to quote in a message: control characters become spaces, whitespace collapses,
 * every secret in `secrets` is masked, and the text is cut to about `max` characters.
 */
export function quoteText(
  text: string,
  secrets: SecretMask | readonly string[] = SecretMask.none,
  max = 200,
): string {
  const mask = secrets instanceof SecretMask ? secrets : new SecretMask(secrets);
  const s = collapse(text).trim();
  // Only what is shown needs masking, plus enough to finish a spelling that starts inside it.
  const masked = mask.mask(s.slice(0, max + mask.reach));
  return s.length > max || masked.length > max ? `${masked.slice(0, max).trimEnd()}…` : masked;
}

/** Control characters to spaces, runs of whitespace to one space. */
function collapse(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ');
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
