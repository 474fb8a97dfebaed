/**
 * TraceQL tokens, following the lexical rules of Tempo's `pkg/traceql` lexer (facts, not code):
 * Go string literals ("..." with Go escapes, `...` raw), Go and Prometheus durations (`300ms`,
 * `1h30m`, `1.5s`, `2d`), attributes that run until a character that ends them (space and
 * `{ } ( ) = ~ ! < > & | ^ ,`) with `"quoted"` parts, `//` and `/* *\/` comments skipped, and
 * multi-character operators matched longest first. The lexer never throws: a problem is a token
 * (`invalid`, or a string or attribute with `error`) so the parser can name its position, and
 * the completion can read a query that is still being typed.
 */

/** A token; `at` is the 0-based offset of its first character, `end` one past its last. */
export type Token =
  /** `{ } ( ) ,` */
  | { kind: 'punct'; text: string; at: number; end: number }
  /** Comparison, logical, structural and arithmetic operators, longest match first. */
  | { kind: 'op'; text: string; at: number; end: number }
  /**
   * An identifier or keyword: `name`, `true`, `error`, `count`; a scoped intrinsic is one token
   * with its colon, `span:name`, `trace:rootService`.
   */
  | { kind: 'word'; text: string; at: number; end: number }
  /**
   * `"..."` or `` `...` `` with its decoded value; `error` when unterminated or badly escaped,
   * `open` when the query ends inside it (what a completion continues).
   */
  | { kind: 'string'; text: string; at: number; end: number; value: string; error?: string; open?: true }
  | { kind: 'number'; text: string; at: number; end: number; value: number }
  /** A duration in nanoseconds. */
  | { kind: 'duration'; text: string; at: number; end: number; value: number }
  /**
   * `.name` (scope ''), `span.name`, `resource.name`, `parent.name`, `event.name`, `link.name`,
   * `instrumentation.name`; `name` is the decoded attribute name (quoted parts unquoted).
   */
  | { kind: 'attribute'; text: string; at: number; end: number; scope: string; name: string; error?: string }
  /** A character that starts no token. */
  | { kind: 'invalid'; text: string; at: number; end: number }
  | { kind: 'end'; text: ''; at: number; end: number };

/** Operators, longest first so `!>>` wins over `!>` and `!`. */
const OPERATORS = [
  '!>>',
  '!<<',
  '&>>',
  '&<<',
  '!=',
  '=~',
  '!~',
  '>=',
  '<=',
  '&&',
  '||',
  '>>',
  '<<',
  '!>',
  '!<',
  '&~',
  '&>',
  '&<',
  '=',
  '>',
  '<',
  '!',
  '|',
  '~',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
];

/** Words that take `.` to scope an attribute, and words that take `:` to scope an intrinsic. */
const DOT_SCOPES = new Set(['span', 'resource', 'parent', 'event', 'link', 'instrumentation']);
const COLON_SCOPES = new Set(['span', 'trace', 'event', 'link', 'instrumentation']);

/** Characters that end an unquoted attribute name (besides whitespace and the end). */
const ATTRIBUTE_STOPS = new Set(['{', '}', '(', ')', '=', '~', '!', '<', '>', '&', '|', '^', ',']);

// The regular expressions below only recognise one token's extent at a known position.
const WHITESPACE = /\s/;
const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_]/u;
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const HEX_INT = /0[xX][0-9a-fA-F]+/y;
const DURATION_TAIL = /[\d.nsuµμmhdwy]*/y;
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w|y)/y;

/** Nanoseconds per duration unit (Go's and Prometheus's; a year is 365 days). */
const UNIT_NS: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 7 * 86400e9,
  y: 365 * 86400e9,
};

/** A duration such as `1h30m` or `1.5s` in nanoseconds, or undefined when `text` is not one. */
export function parseDuration(text: string): number | undefined {
  if (text === '') return undefined;
  let ns = 0;
  let i = 0;
  while (i < text.length) {
    DURATION_PART.lastIndex = i;
    const m = DURATION_PART.exec(text);
    if (!m) return undefined;
    ns += Number(m[1]) * UNIT_NS[m[2]!]!;
    i = DURATION_PART.lastIndex;
  }
  return ns;
}

/** Go's single-character escapes inside "...". */
const GO_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

const HEX = /^[0-9a-fA-F]+$/;
const OCTAL = /^[0-7]{3}$/;

/** Reads a Go interpreted string starting at the `"` at `start`. */
function readString(text: string, start: number): Extract<Token, { kind: 'string' }> {
  let value = '';
  let i = start + 1;
  let error: string | undefined;
  const done = (end: number): Extract<Token, { kind: 'string' }> => ({
    kind: 'string',
    text: text.slice(start, end),
    at: start,
    end,
    value,
    ...(error !== undefined ? { error } : {}),
  });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return done(i + 1);
    if (c === '\n') {
      error ??= 'a string ends at the end of its line';
      return done(i);
    }
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    const simple = GO_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const width = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = text.slice(i + 2, i + 2 + width);
      const code = digits.length === width && HEX.test(digits) ? parseInt(digits, 16) : NaN;
      if (Number.isNaN(code) || code > 0x10ffff) error ??= `invalid escape \\${e}${digits}`;
      else value += String.fromCodePoint(code);
      i += 2 + width;
      continue;
    }
    const octal = text.slice(i + 1, i + 4);
    if (OCTAL.test(octal) && parseInt(octal, 8) <= 255) {
      value += String.fromCharCode(parseInt(octal, 8));
      i += 4;
      continue;
    }
    error ??= `invalid escape \\${e}`;
    i += 2;
  }
  error ??= 'unterminated string';
  return { ...done(text.length), open: true };
}

/** Reads an attribute name from `start`: unquoted runs and `"quoted"` parts (escapes `\"`, `\\`). */
function readAttributeName(text: string, start: number): { name: string; end: number; error?: string } {
  let name = '';
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      i++;
      let closed = false;
      while (i < text.length) {
        const q = text[i]!;
        if (q === '"') {
          closed = true;
          i++;
          break;
        }
        if (q === '\\') {
          const e = text[i + 1];
          if (e !== '"' && e !== '\\')
            return {
              name,
              end: Math.min(i + 2, text.length),
              error: 'invalid escape in a quoted attribute name',
            };
          name += e;
          i += 2;
          continue;
        }
        name += q;
        i++;
      }
      if (!closed) return { name, end: i, error: 'unterminated quoted attribute name' };
      continue;
    }
    if (WHITESPACE.test(c) || ATTRIBUTE_STOPS.has(c)) break;
    name += c;
    i++;
  }
  return { name, end: i };
}

/** Skips whitespace and comments from `i`; returns the next offset. */
function skipSpace(text: string, i: number): number {
  while (i < text.length) {
    const c = text[i]!;
    if (WHITESPACE.test(c)) {
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 2;
    } else {
      break;
    }
  }
  return i;
}

/** Splits a query into tokens, ending with an `end` token. Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = skipSpace(text, 0);
  while (i < text.length) {
    const at = i;
    const c = text[i]!;
    if (c === '{' || c === '}' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at, end: at + 1 });
      i++;
    } else if (c === '"') {
      const s = readString(text, at);
      tokens.push(s);
      i = s.end;
    } else if (c === '`') {
      const close = text.indexOf('`', at + 1);
      const end = close < 0 ? text.length : close + 1;
      tokens.push({
        kind: 'string',
        text: text.slice(at, end),
        at,
        end,
        value: text.slice(at + 1, close < 0 ? end : close),
        ...(close < 0 ? { error: 'unterminated raw string', open: true as const } : {}),
      });
      i = end;
    } else if ((c >= '0' && c <= '9') || (c === '.' && text[i + 1]! >= '0' && text[i + 1]! <= '9')) {
      HEX_INT.lastIndex = at;
      const hex = HEX_INT.exec(text);
      NUMBER.lastIndex = at;
      const num = hex ?? NUMBER.exec(text)!;
      let end = at + num[0].length;
      // As Tempo does: a number directly followed by duration characters may be a duration.
      DURATION_TAIL.lastIndex = end;
      const tail = hex ? '' : DURATION_TAIL.exec(text)![0];
      const ns = tail === '' ? undefined : parseDuration(num[0] + tail);
      if (ns !== undefined) {
        end += tail.length;
        tokens.push({ kind: 'duration', text: text.slice(at, end), at, end, value: ns });
      } else {
        tokens.push({ kind: 'number', text: num[0], at, end, value: Number(num[0]) });
      }
      i = end;
    } else if (c === '.') {
      const a = readAttributeName(text, at + 1);
      tokens.push({
        kind: 'attribute',
        text: text.slice(at, a.end),
        at,
        end: a.end,
        scope: '',
        name: a.name,
        ...(a.error !== undefined ? { error: a.error } : {}),
      });
      i = a.end;
    } else if (WORD_START.test(c)) {
      let end = at + 1;
      while (end < text.length && WORD_PART.test(text[end]!)) end++;
      const word = text.slice(at, end);
      const next = text[end];
      if (next === '.' && DOT_SCOPES.has(word)) {
        const a = readAttributeName(text, end + 1);
        tokens.push({
          kind: 'attribute',
          text: text.slice(at, a.end),
          at,
          end: a.end,
          scope: word,
          name: a.name,
          ...(a.error !== undefined ? { error: a.error } : {}),
        });
        i = a.end;
      } else {
        if (next === ':' && COLON_SCOPES.has(word)) {
          end++;
          while (end < text.length && WORD_PART.test(text[end]!)) end++;
        }
        tokens.push({ kind: 'word', text: text.slice(at, end), at, end });
        i = end;
      }
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, at));
      if (op !== undefined) {
        tokens.push({ kind: 'op', text: op, at, end: at + op.length });
        i = at + op.length;
      } else {
        const width = c.codePointAt(0)! > 0xffff ? 2 : 1;
        tokens.push({ kind: 'invalid', text: text.slice(at, at + width), at, end: at + width });
        i = at + width;
      }
    }
    i = skipSpace(text, i);
  }
  tokens.push({ kind: 'end', text: '', at: text.length, end: text.length });
  return tokens;
}
