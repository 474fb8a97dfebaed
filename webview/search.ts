/**
 * Search and filter: a small query language over the columns, evaluated with typed arrays.
 *
 *   checkout            free text: the span name, service, an attribute value, an event name (or
 *                       its attribute values) or the status message contains it (case-insensitive)
 *   "two words"         quoted free text
 *   service=cart        service equals (`*` wildcards; `!=` negates)
 *   name=GET*           span name equals
 *   status=error|ok|unset, kind=server|client|producer|consumer|internal
 *   >500ms  <2s  >=1s  duration>10ms
 *
 * All terms must hold. Strings are matched once per string-table entry, not once per span.
 */
import { SpanFlag } from '../src/shared/model';
import type { SpanTextColumns } from '../src/shared/protocol';
import { parseDuration } from './format';
import type { TraceData } from './trace';

type Term =
  | { kind: 'text'; value: string }
  | { kind: 'field'; field: 'service' | 'name'; negate: boolean; pattern: Glob }
  | { kind: 'status'; negate: boolean; value: 'error' | 'ok' | 'unset' }
  | { kind: 'spanKind'; negate: boolean; value: number }
  | { kind: 'duration'; op: '>' | '<' | '>=' | '<='; ns: number };

/** A parsed query: the terms, and problems to show next to the search box. */
export interface Query {
  terms: Term[];
  problems: string[];
}

const KINDS: Record<string, number> = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
};

/** Splits on whitespace, keeping "quoted strings" (and key="quoted values") together. */
function tokenize(q: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+="[^"]*"?|"[^"]*"?|[^\s"]+)/g;
  for (const m of q.matchAll(re)) out.push(m[0]);
  return out;
}

function unquote(s: string): string {
  return s.startsWith('"') ? s.slice(1, s.endsWith('"') && s.length > 1 ? -1 : undefined) : s;
}

/** A compiled `*` pattern: whole-string, case-insensitive. */
export interface Glob {
  test(s: string): boolean;
}

const escapeRe = (p: string): string => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `.` without the `s` flag: the characters a `*` does not cross (the semantics of the old `^a.*b$`). */
function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

function crossesLine(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (isLineTerminator(s.charCodeAt(i))) return true;
  return false;
}

/**
 * Compiles a `*` pattern. It means what `^p1.*p2.*p3$` with the `i` flag means (the pieces compared
 * case-insensitively as RegExp does, a `*` any run of characters but line breaks), without the
 * backtracking: `.*` regexps take seconds to minutes on `*a*b*` over a long name or thirty `*`s
 * on a short one. Runs of `*` collapse; the first piece must start the string and the last end
 * it; each piece between is taken at its leftmost place after the one before. Leftmost is never
 * worse: it leaves the most room for the rest, and a later place could only widen the gap before
 * it, which must then hold no line break either (for overlapping places, the piece's period puts
 * the same characters in the gap). So one pass with a literal search per piece, O(n·m) at worst.
 */
export function compileGlob(value: string): Glob {
  const parts = value.split('*');
  if (parts.length === 1) {
    const whole = new RegExp(`^${escapeRe(value)}$`, 'i');
    return { test: (s) => whole.test(s) };
  }
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  // A piece matches case-insensitively one code unit per pattern code unit (no `u` flag), so its
  // length in the subject is its own length.
  const sticky = (p: string) => new RegExp(escapeRe(p), 'iy');
  const head = first ? sticky(first) : undefined;
  const tail = last ? sticky(last) : undefined;
  const middle = parts
    .slice(1, -1)
    .filter((p) => p !== '')
    .map((p) => ({ len: p.length, re: new RegExp(escapeRe(p), 'gi') }));
  const at = (re: RegExp, s: string, i: number): boolean => {
    re.lastIndex = i;
    return re.test(s);
  };
  return {
    test(s: string): boolean {
      if (first.length + last.length > s.length) return false;
      if (head && !at(head, s, 0)) return false;
      let pos = first.length;
      for (const { len, re } of middle) {
        re.lastIndex = pos;
        const m = re.exec(s);
        if (!m || crossesLine(s, pos, m.index)) return false;
        pos = m.index + len;
      }
      const end = s.length - last.length;
      if (end < pos || crossesLine(s, pos, end)) return false;
      return !tail || at(tail, s, end);
    },
  };
}

/** Whether the query has a free-text term (which also searches attribute values and event names). */
export function hasTextTerm(q: Query): boolean {
  return q.terms.some((t) => t.kind === 'text');
}

/** Parses the text of the search box. */
export function parseQuery(q: string): Query {
  const terms: Term[] = [];
  const problems: string[] = [];
  for (const tok of tokenize(q)) {
    const dur = /^(?:duration|dur)?(>=|<=|>|<)(.+)$/i.exec(tok);
    if (dur) {
      const ns = parseDuration(dur[2]!);
      if (ns === undefined) problems.push(`“${dur[2]}” is not a duration (try 500ms or 2s)`);
      else terms.push({ kind: 'duration', op: dur[1] as '>' | '<' | '>=' | '<=', ns });
      continue;
    }
    const kv = /^([A-Za-z_][\w.]*)(!=|=|:)(.*)$/.exec(tok);
    if (kv) {
      const key = kv[1]!.toLowerCase();
      const negate = kv[2] === '!=';
      const value = unquote(kv[3]!);
      if (key === 'service' || key === 'name') {
        terms.push({ kind: 'field', field: key, negate, pattern: compileGlob(value) });
      } else if (key === 'status') {
        const v = value.toLowerCase();
        if (v === 'error' || v === 'ok' || v === 'unset') terms.push({ kind: 'status', negate, value: v });
        else problems.push(`status can be error, ok or unset`);
      } else if (key === 'kind') {
        const v = KINDS[value.toLowerCase()];
        if (v === undefined) problems.push(`kind can be server, client, producer, consumer or internal`);
        else terms.push({ kind: 'spanKind', negate, value: v });
      } else if (kv[2] === ':' && !value) {
        terms.push({ kind: 'text', value: tok.toLowerCase() });
      } else {
        problems.push(`“${kv[1]}” cannot be filtered on: use service=, name=, status=, kind= or >500ms`);
      }
      continue;
    }
    const text = unquote(tok).toLowerCase();
    if (text) terms.push({ kind: 'text', value: text });
  }
  return { terms, problems };
}

const lowerCache = new WeakMap<string[], string[]>();

function lowered(table: string[]): string[] {
  let v = lowerCache.get(table);
  if (!v) {
    v = table.map((s) => s.toLowerCase());
    lowerCache.set(table, v);
  }
  return v;
}

/**
 * Spans matching the query and belonging to one of `services` (indexes; a single index, -1 or an
 * empty list: any service), as a 0/1 mask, with the number of matches. Undefined when there is
 * nothing to filter on.
 */
export function matchSpans(
  t: TraceData,
  q: Query,
  serviceFilter: number | readonly number[],
  text?: SpanTextColumns,
): { mask: Uint8Array; count: number } | undefined {
  const keep =
    typeof serviceFilter === 'number' ? (serviceFilter >= 0 ? [serviceFilter] : []) : serviceFilter;
  if (q.terms.length === 0 && keep.length === 0) return undefined;
  const n = t.n;
  const c = t.c;
  const mask = new Uint8Array(n).fill(1);
  if (keep.length > 0) {
    const wanted = new Uint8Array(Math.max(t.services.length, ...keep) + 1);
    for (const k of keep) if (k >= 0) wanted[k] = 1;
    for (let i = 0; i < n; i++) if (!wanted[c.service[i]!]) mask[i] = 0;
  }
  const names = lowered(t.strings);
  const services = lowered(t.services);
  for (const term of q.terms) {
    switch (term.kind) {
      case 'text': {
        const nameHit = Uint8Array.from(names, (s) => (s.includes(term.value) ? 1 : 0));
        const svcHit = Uint8Array.from(services, (s) => (s.includes(term.value) ? 1 : 0));
        // Attribute values and event names: each distinct string tested once, then the refs walked.
        const textHit = text
          ? Uint8Array.from(lowered(text.strings), (s) => (s.includes(term.value) ? 1 : 0))
          : undefined;
        const off = text?.offsets;
        const refs = text?.refs;
        const withText = textHit !== undefined && off !== undefined && off.length === n + 1;
        for (let i = 0; i < n; i++) {
          if (!mask[i] || nameHit[c.name[i]!] || svcHit[c.service[i]!]) continue;
          let hit = 0;
          if (withText)
            for (let k = off[i]!, end = off[i + 1]!; k < end && !hit; k++) hit = textHit[refs![k]!]!;
          if (!hit) mask[i] = 0;
        }
        break;
      }
      case 'field': {
        const table = term.field === 'name' ? t.strings : t.services;
        const col = term.field === 'name' ? c.name : c.service;
        const hit = Uint8Array.from(table, (s) => (term.pattern.test(s) !== term.negate ? 1 : 0));
        for (let i = 0; i < n; i++) if (mask[i] && !hit[col[i]!]) mask[i] = 0;
        break;
      }
      case 'status': {
        for (let i = 0; i < n; i++) {
          if (!mask[i]) continue;
          const isError = (c.flags[i]! & SpanFlag.Error) !== 0 || c.status[i] === 2;
          const ok =
            term.value === 'error'
              ? isError
              : term.value === 'ok'
                ? c.status[i] === 1
                : c.status[i] === 0 && !isError;
          if (ok === term.negate) mask[i] = 0;
        }
        break;
      }
      case 'spanKind':
        for (let i = 0; i < n; i++) if (mask[i] && (c.kind[i] === term.value) === term.negate) mask[i] = 0;
        break;
      case 'duration': {
        const { op, ns } = term;
        const d = c.durationNs;
        for (let i = 0; i < n; i++) {
          if (!mask[i]) continue;
          const v = d[i]!;
          const ok = op === '>' ? v > ns : op === '<' ? v < ns : op === '>=' ? v >= ns : v <= ns;
          if (!ok) mask[i] = 0;
        }
        break;
      }
      default: {
        const never: never = term;
        return never;
      }
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += mask[i]!;
  return { mask, count };
}

/** Span indexes of the matches in tree order. */
export function matchList(mask: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length && k < count; i++) if (mask[i]) out[k++] = i;
  return out;
}
