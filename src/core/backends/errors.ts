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
 * data (one per byte alignment), base64url of each, and hex (`hex`: matched in either case).
 * Percent and JSON escapes are not listed: `SecretMask` undoes them in the text instead.
 */
export function secretSpellings(secret: string): { text: string; hex: boolean }[] {
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
  return [...out].map(([text, hex]) => ({ text, hex }));
}

/** Text as UTF-8 bytes (one character per byte), each byte knowing the text it came from. */
interface View {
  bytes: string;
  /** Where in the original text each byte's character or escape starts, and ends. */
  from: Int32Array;
  to: Int32Array;
}

/** The text as UTF-8 bytes. */
function bytesOf(text: string): View {
  const buf = Buffer.from(text, 'utf8');
  const from = new Int32Array(buf.length);
  const to = new Int32Array(buf.length);
  let b = 0;
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    const len = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const n = Buffer.byteLength(text.slice(i, i + len), 'utf8');
    from.fill(i, b, b + n);
    to.fill(i + len, b, b + n);
    b += n;
    i += len;
  }
  return { bytes: buf.toString('latin1'), from, to };
}

const HEX2 = /^[0-9a-fA-F]{2}$/;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * `view` with one layer of escapes undone: `%XX` in either case, JSON's `\uXXXX`, `\/`, `\"`
 * and `\\`, and with `plus`, `+` as a space (forms).
 */
function unescaped(view: View, plus: boolean): View {
  const text = view.bytes;
  // Undoing escapes never makes the text longer: \uXXXX is at most three bytes.
  const bytes = Buffer.alloc(text.length);
  const from = new Int32Array(text.length);
  const to = new Int32Array(text.length);
  let n = 0;
  /** Bytes for the input bytes [start, end). */
  const push = (value: number | string, start: number, end: number) => {
    for (const b of typeof value === 'number' ? [value] : Buffer.from(value, 'utf8')) {
      bytes[n] = b;
      from[n] = view.from[start]!;
      to[n] = view.to[end - 1]!;
      n++;
    }
  };
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '%' && HEX2.test(text.substr(i + 1, 2))) {
      push(parseInt(text.substr(i + 1, 2), 16), i, i + 3);
      i += 3;
    } else if (c === '\\' && text[i + 1] === 'u' && HEX4.test(text.substr(i + 2, 4))) {
      push(String.fromCharCode(parseInt(text.substr(i + 2, 4), 16)), i, i + 6);
      i += 6;
    } else if (c === '\\' && (text[i + 1] === '/' || text[i + 1] === '"' || text[i + 1] === '\\')) {
      push(text.charCodeAt(i + 1), i, i + 2);
      i += 2;
    } else {
      push(plus && c === '+' ? 0x20 : text.charCodeAt(i), i, i + 1);
      i++;
    }
  }
  return { bytes: bytes.toString('latin1', 0, n), from: from.subarray(0, n), to: to.subarray(0, n) };
}

/**
 * Masks credentials in text a server wrote, in every spelling it may come back in: as sent, base64
 * or base64url (alone or inside longer encoded data), hex in either case, percent-encoded (either
 * case, once or twice, mixed with plain characters), form-encoded or JSON-escaped. The one place
 * that knows these spellings. It searches the text as bytes with its escapes undone, so its cost
 * is a few linear scans whatever the secrets' length.
 */
export class SecretMask {
  /** Spellings as UTF-8 bytes, one character per byte. */
  private readonly exact: string[] = [];
  /** Hex spellings, lower case, matched against the lower-cased text. */
  private readonly hex: string[] = [];
  /** The longest text one spelling can take: a byte may be written as up to eight characters (\u0025XX). */
  readonly reach: number;

  /** `secrets`: every credential sent (tokens, passwords, `user:password`, header values). */
  constructor(secrets: readonly string[]) {
    let longest = 0;
    // Quoted text has its whitespace collapsed before it is masked (see quoteText).
    for (const secret of new Set([...secrets, ...secrets.map(collapse)])) {
      for (const { text, hex } of secretSpellings(secret)) {
        const bytes = Buffer.from(text, 'utf8').toString('latin1');
        const list = hex ? this.hex : this.exact;
        if (!list.includes(bytes)) list.push(bytes);
        longest = Math.max(longest, bytes.length);
      }
    }
    this.reach = 8 * longest;
  }

  /** An empty mask. */
  static readonly none = new SecretMask([]);

  /** `text` with every spelling of every secret replaced by `***`. */
  mask(text: string): string {
    if (!this.exact.length && !this.hex.length) return text;
    const ranges: [number, number][] = [];
    const find = (view: View, haystack: string, needles: readonly string[]) => {
      for (const needle of needles) {
        for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
          ranges.push([view.from[at]!, view.to[at + needle.length - 1]!]);
        }
      }
    };
    const raw = bytesOf(text);
    const once = unescaped(raw, false);
    // As sent, with escapes undone once (plain or form-encoded) and twice.
    for (const view of [raw, once, unescaped(raw, true), unescaped(once, false)]) {
      find(view, view.bytes, this.exact);
      if (this.hex.length) find(view, view.bytes.toLowerCase(), this.hex);
    }
    if (!ranges.length) return text;
    ranges.sort((a, b) => a[0] - b[0]);
    let out = '';
    let pos = 0;
    let [start, end] = ranges[0]!;
    for (const [s, e] of ranges.slice(1)) {
      if (s <= end) end = Math.max(end, e);
      else {
        out += `${text.slice(pos, start)}***`;
        pos = end;
        [start, end] = [s, e];
      }
    }
    return `${out}${text.slice(pos, start)}***${text.slice(end)}`;
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
