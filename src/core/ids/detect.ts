/**
 * Finds trace IDs in text: log lines, JSON, HTTP headers, URLs and terminal output.
 *
 * Linear time, no regular expressions. Nearly every form holds a run of at least 16 hex digits,
 * so the scan probes every 16th character and looks closer only where a probe lands on a hex
 * digit; for each run of 16–32 it reads a bounded window before it (the key, skipping quotes,
 * ANSI colour escapes and `%XX` escapes) and after it (the rest of a structured header). The few
 * keyed forms that can be shorter (Jaeger's unpadded IDs, small Datadog decimals, base64) are
 * found from their keys with indexOf, in position order with the probe's finds.
 *
 * The scanner stays one hand-written loop over char codes because the benchmark shows it pays:
 * `npm run bench` (detect) scans 100 MB of logs at 240–260 MB/s on the shared 2-core machine, as
 * fast as ripgrep's `[0-9a-f]{32}` alone, while finding every form above. Tables, key lists and
 * ID helpers live beside it (chars.ts, keys.ts, idText.ts); the scan itself is kept in one piece.
 */

import * as chars from './chars';
import { base64ToHex, decimalToHex, isBase64, isZero } from './idText';
import * as keys from './keys';
import type { Confidence, DetectedId, DetectOptions, IdFormat } from './types';

export type { Confidence, DetectedId, DetectOptions, IdFormat } from './types';

// The scanner reads these tables, helpers and key kinds in its hottest code, millions of times
// per 100 MB. They are bound to this module's own constants once: run through tsx (the tests and
// `npm run bench`), every read of another module's export is a getter call, which made the scan
// ten times slower; bundled by esbuild it makes no difference either way.
const { CLS16, DIGIT, HEX, TOKEN, UPPER, cls, isHex, lower } = chars;
const {
  ANCHOR_KINDS,
  ANCHOR_NEEDLES,
  A_B64,
  A_JAEGER,
  K_B3,
  K_GCP_CTX,
  K_NEG,
  K_NEUTRAL,
  K_NONE,
  K_SPAN,
  K_SPAN_B3,
  K_SPAN_DD,
  K_TRACE,
  K_TRACE_B3,
  K_TRACE_DD,
  K_UBER,
  NEGATIVE_BY_FIRST,
} = keys;

/**
 * The character codes the scanner compares against, by name. An enum declared in this file,
 * because the TypeScript compiler (esbuild, in the bundle and under tsx) writes its members as
 * literals where they are used: as imported or module constants they are a load on every
 * comparison, which cost 8% on the detect benchmark.
 */
const enum Ch {
  Tab = 0x09,
  LineFeed = 0x0a,
  Escape = 0x1b,
  Space = 0x20,
  Quote = 0x22, // "
  Hash = 0x23, // #
  Percent = 0x25, // %
  Apostrophe = 0x27, // '
  Comma = 0x2c,
  Dash = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Digit0 = 0x30,
  Digit1 = 0x31,
  Digit2 = 0x32,
  Digit3 = 0x33,
  Digit7 = 0x37,
  Digit9 = 0x39,
  Colon = 0x3a,
  Semicolon = 0x3b,
  LessThan = 0x3c,
  Equals = 0x3d,
  GreaterThan = 0x3e,
  QuestionMark = 0x3f,
  At = 0x40, // @
  UpperW = 0x57,
  OpenBracket = 0x5b, // [
  Backslash = 0x5c,
  CloseBracket = 0x5d, // ]
  Backtick = 0x60,
  LowerA = 0x61,
  LowerD = 0x64,
  LowerG = 0x67,
  LowerZ = 0x7a,
  OpenBrace = 0x7b, // {
  CloseBrace = 0x7d, // }
  // ANSI control sequences (CSI): ESC [, parameter bytes (0x30-0x3f), intermediate bytes
  // (0x20-0x2f), one final byte (0x40-0x7e). The bounds share codes with characters above.
  /* eslint-disable @typescript-eslint/no-duplicate-enum-values */
  CsiIntermediateFirst = 0x20,
  CsiParamFirst = 0x30,
  CsiParamLast = 0x3f,
  CsiFinalFirst = 0x40,
  CsiFinalLast = 0x7e,
  /* eslint-enable @typescript-eslint/no-duplicate-enum-values */
}

const NORM = new Uint8Array(48); // the key's letters and digits, lowercased, last one first

/** How far apart a trace ID and a span key may be to pair up. */
const NEAR = 1024;

/** Per-call scanner state. A class so V8 sees one stable shape. */
class Scanner {
  readonly out: DetectedId[] = [];
  private lastStart = -1;
  private sorted = true;
  // Hits that may take a span ID from a span key nearby.
  // Hits waiting for a span: each with the span before it (an index into sPos, or -1) as the fallback.
  private pendHit: Array<DetectedId | undefined> = [];
  private pendB3: boolean[] = [];
  private pendBack: number[] = [];
  private pendB3Back: number[] = [];
  private pendCount = 0; // the arrays are reused: only the first pendCount entries are live
  // Span IDs found under span keys.
  // Span IDs found under span keys: where they are, their hex (undefined: the 16 hex digits at
  // sPos), and whether the trace just before them has claimed them.
  private sPos: number[] = [];
  private sEnd: number[] = [];
  private sHex: Array<string | undefined> = [];
  private sUsed: boolean[] = [];
  private lastSpan = -1;
  private lastB3Span = -1;
  // The text searched for anchors (cut to maxLength) and each needle's next position.
  private readonly src: string;
  private readonly anchorAt: number[];
  private nextAnchor = Infinity;
  private consumed = 0;
  // The hex run the main loop is handling, and whether it has upper-case letters.
  private runStart = 0;
  private runEnd = 0;
  private runUpper = true;
  // Result of the last findKey().
  private kStart = 0;
  private kEnd = 0;
  private kQuoted = false;
  private kColon = false;
  private normLen = 0;
  // Cache for urlStart(): the last query position and its answer.
  private uHi = -1;
  private uRes = -1;
  private gUrl = -1;
  private gRes = false;

  constructor(
    private readonly t: string,
    private readonly n: number,
    private readonly includeLow: boolean,
  ) {
    this.src = n < t.length ? t.slice(0, n) : t;
    this.anchorAt = ANCHOR_NEEDLES.map((needle) => this.findNeedle(needle, 0));
    this.nextAnchor = Math.min(...this.anchorAt);
  }

  /**
   * The main loop. Every trace ID except a few keyed short forms contains a run of at least 16
   * hex digits, so it probes every 16th character: a non-hex probe rules out the 16 characters
   * up to it. Only around a hex probe does it look closer. The keyed short forms come from the
   * anchors, handled in position order with the probe's finds.
   */
  run(): DetectedId[] {
    const t = this.t;
    const n = this.n;
    let pos = 0;
    for (;;) {
      let p = pos + 15;
      while (p < n && (CLS16[t.charCodeAt(p)]! & HEX) === 0) p += 16;
      if (p >= n) break;
      // The run of hex digits through p, and the OR of its characters' classes.
      let mask = CLS16[t.charCodeAt(p)]!;
      let a = p;
      while (a > 0) {
        const k = CLS16[t.charCodeAt(a - 1)]!;
        if ((k & HEX) === 0) break;
        mask |= k;
        a--;
      }
      let b = p + 1;
      while (b < n) {
        const k = CLS16[t.charCodeAt(b)]!;
        if ((k & HEX) === 0) break;
        mask |= k;
        b++;
      }
      if (b - a < 16) {
        pos = b + 1;
        continue;
      }
      // Letters right after (also past maxLength): part of a longer word, not an ID.
      if (b < t.length && (cls(t.charCodeAt(b)) & TOKEN) !== 0) {
        pos = this.wordEnd(b);
        continue;
      }
      const s = this.tokenStart(a);
      pos = b + 1;
      if (s < 0 || b - s < 16 || b - s > 32) continue;
      if (this.nextAnchor < b) this.flushAnchors(b);
      if (s < this.consumed) continue;
      if (s !== a) {
        mask = 0; // an escape led the run: classes of the token alone
        for (let q = s; q < b; q++) mask |= CLS16[t.charCodeAt(q)]!;
      }
      this.runStart = s;
      this.runEnd = b;
      this.runUpper = (mask & UPPER) !== 0;
      mask &= TOKEN;
      pos = Math.max(pos, this.token(s, b, mask));
    }
    if (this.nextAnchor < n) this.flushAnchors(n);
    for (let i = 0; i < this.pendCount; i++) this.pairBack(i);
    if (!this.sorted) this.out.sort((x, y) => x.start - y.start);
    return this.out;
  }

  private ch(p: number): number {
    return p >= 0 && p < this.n ? this.t.charCodeAt(p) : -1;
  }

  private findNeedle(needle: string, from: number): number {
    const q = this.src.indexOf(needle, from);
    return q < 0 ? Infinity : q;
  }

  /** Handles the anchors before `limit`, in position order. */
  private flushAnchors(limit: number): void {
    const at = this.anchorAt;
    while (this.nextAnchor < limit) {
      const q = this.nextAnchor;
      let k = 0;
      while (at[k] !== q) k++;
      const needle = ANCHOR_NEEDLES[k]!;
      at[k] = this.findNeedle(needle, q + 1);
      let min = Infinity;
      for (let i = 0; i < at.length; i++) if (at[i]! < min) min = at[i]!;
      this.nextAnchor = min;
      if (q < this.consumed) continue;
      const end = this.anchor(ANCHOR_KINDS[k]!, q + needle.length);
      if (end > this.consumed) this.consumed = end;
    }
  }

  /** One anchor whose needle ends at `p`; returns the end of what it consumed, or 0. */
  private anchor(kind: number, p: number): number {
    if (kind === A_B64) {
      const v = this.skipSpaces(p);
      return this.ch(v) === Ch.Quote ? this.base64At(v) : 0;
    }
    if (kind === A_JAEGER) {
      if (!this.eqIgnoreCase(p, p + 8, 'trace-id')) return 0;
      const v = this.skipValueSeparators(p + 8);
      const e = this.hexRun(v, 16);
      // Nothing, or long enough for the probe to find.
      return e === v || e - v >= 16 ? 0 : this.jaeger(v, e);
    }
    const v = this.skipValueSeparators(p);
    let e = v;
    while (e < v + 16 && (cls(this.ch(e)) & TOKEN) === DIGIT) e++;
    if (e === v || e - v >= 16 || (cls(this.ch(e)) & TOKEN) !== 0) return 0;
    return this.datadog(v, e);
  }

  private skipSpaces(p: number): number {
    while (this.ch(p) === Ch.Space || this.ch(p) === Ch.Tab) p++;
    return p;
  }

  /** Skips `: `, `=`, quotes and spaces between a key and its value (at most 8 characters). */
  private skipValueSeparators(p: number): number {
    const stop = p + 8;
    while (p < stop) {
      const c = this.ch(p);
      if (
        c === Ch.Space ||
        c === Ch.Tab ||
        c === Ch.Quote ||
        c === Ch.Apostrophe ||
        c === Ch.Colon ||
        c === Ch.Equals ||
        c === Ch.Backslash ||
        c === Ch.OpenBracket
      )
        p++;
      else break;
    }
    return p;
  }

  /** A base64 ID (OTLP JSON) in quotes starting at `q`; returns the end or 0. */
  private base64At(q: number): number {
    const t = this.t;
    const n = this.n;
    const c = t.charCodeAt(q);
    if (q + 25 < n && t.charCodeAt(q + 24) === Ch.Equals && t.charCodeAt(q + 23) === Ch.Equals) {
      const close = t.charCodeAt(q + 25);
      if ((close === c || close === Ch.Backslash) && isBase64(this.t, q + 1, q + 23))
        return this.base64Id(q, 16);
    }
    if (q + 13 < n && t.charCodeAt(q + 12) === Ch.Equals && t.charCodeAt(q + 11) !== Ch.Equals) {
      const close = t.charCodeAt(q + 13);
      if ((close === c || close === Ch.Backslash) && isBase64(this.t, q + 1, q + 12))
        return this.base64Id(q, 8);
    }
    return 0;
  }

  /** End of the word run (letters, digits, '_') from `p`. */
  private wordEnd(p: number): number {
    const t = this.t;
    const n = this.n;
    while (p < n && (cls(t.charCodeAt(p)) & TOKEN) !== 0) p++;
    return p;
  }

  /**
   * Where the word that holds the hex run starting at `a` begins, treating `%XX` and ANSI escapes
   * as separators; -1 if a letter glues the run to a longer word.
   */
  private tokenStart(a: number): number {
    if (a === 0) return 0;
    const t = this.t;
    const before = t.charCodeAt(a - 1);
    if (before === Ch.Percent) return a + 2; // %22<hex>: the escape's two digits lead the run
    if ((cls(before) & TOKEN) !== 0) return this.ansiStartBefore(a - 1) >= 0 ? a : -1;
    if (before === Ch.OpenBracket || (before >= Ch.CsiParamFirst && before <= Ch.CsiParamLast)) {
      // ESC [ 1 A <hex>: a CSI sequence whose parameters or final byte are hex digits.
      let q = a - 1;
      const stop = Math.max(0, a - 24);
      while (
        q > stop &&
        t.charCodeAt(q) !== Ch.OpenBracket &&
        t.charCodeAt(q) >= Ch.CsiParamFirst &&
        t.charCodeAt(q) <= Ch.CsiParamLast
      )
        q--;
      if (t.charCodeAt(q) === Ch.OpenBracket && q > 0 && t.charCodeAt(q - 1) === Ch.Escape)
        return Math.max(a, this.skipAnsi(q - 1));
    }
    return a;
  }

  /** Skips `ESC [ params final` (CSI) or a lone ESC. */
  private skipAnsi(i: number): number {
    if (this.ch(i + 1) !== Ch.OpenBracket) return i + 1;
    let p = i + 2;
    for (;;) {
      const c = this.ch(p);
      if (c >= Ch.CsiIntermediateFirst && c <= Ch.CsiParamLast) p++;
      else if (c >= Ch.CsiFinalFirst && c <= Ch.CsiFinalLast) return p + 1;
      else return p;
    }
  }

  /** If `p` is the final byte of a CSI sequence, the index of its ESC; otherwise -1. */
  private ansiStartBefore(p: number): number {
    const t = this.t;
    const stop = Math.max(0, p - 24);
    let q = p - 1;
    while (q >= stop) {
      const c = t.charCodeAt(q);
      if (c === Ch.OpenBracket) return q > 0 && t.charCodeAt(q - 1) === Ch.Escape ? q - 1 : -1;
      if (c < Ch.CsiIntermediateFirst || c > Ch.CsiParamLast) return -1;
      q--;
    }
    return -1;
  }

  /** A base64 value of `bytes` bytes starting after the quote at `q`; returns the index past it or 0. */
  private base64Id(q: number, bytes: 16 | 8): number {
    if (!this.findKey(q)) return 0;
    const kind = this.keyKind();
    const len = bytes === 16 ? 24 : 12;
    const hex = base64ToHex(this.t, q + 1, q + 1 + len, bytes);
    if (hex === undefined) return 0;
    if (bytes === 16) {
      if (kind !== K_TRACE && kind !== K_TRACE_B3 && kind !== K_TRACE_DD) return 0;
      this.emit(hex, undefined, q + 1, q + 1 + len, 'base64', 'high', 1);
    } else {
      if (kind !== K_SPAN && kind !== K_SPAN_B3 && kind !== K_SPAN_DD) return 0;
      this.addSpan(q + 1, q + 13, hex, false);
    }
    return q + 1 + len;
  }

  /** Looks at one all-hex word run; returns where the main loop resumes. */
  private token(s: number, e: number, mask: number): number {
    const n = this.n;
    // A run cut by maxLength may be longer than it looks.
    if (e === n && n < this.t.length && (cls(this.t.charCodeAt(n)) & TOKEN) !== 0) return e;
    const len = e - s;
    if (mask === DIGIT && len <= 20) {
      const next = this.datadog(s, e);
      if (next > 0) return next;
    }
    if (len === 32) return this.hex32(s, e);
    const nc = this.ch(e);
    if (
      nc === Ch.Colon ||
      (nc === Ch.Percent && this.ch(e + 1) === Ch.Digit3 && lower(this.ch(e + 2)) === Ch.LowerA)
    ) {
      const next = this.jaeger(s, e);
      if (next > 0) return next;
    }
    if (len === 24 && this.ch(s - 1) === Ch.Dash) return this.xray(s, e);
    if (len < 16) return e;
    return this.shortTrace(s, e);
  }

  /** A 32-hex run. */
  private hex32(s: number, e: number): number {
    if (this.allZero(s, e)) return e;
    const pc = this.ch(s - 1);
    const nc = this.ch(e);
    if (pc === Ch.Dash) {
      // `00-<trace>-<span>-<flags>`; any other `x-<32>` is glued to something else.
      if (
        isHex(this.ch(s - 2)) &&
        isHex(this.ch(s - 3)) &&
        ((cls(this.ch(s - 4)) & TOKEN) === 0 || this.ansiStartBefore(s - 4) >= 0) &&
        nc === Ch.Dash
      ) {
        const spanEnd = this.hexRun(e + 1, 16);
        if (spanEnd === e + 17 && this.ch(spanEnd) === Ch.Dash) {
          const flagsEnd = this.hexRun(spanEnd + 1, 2);
          if (flagsEnd === spanEnd + 3 && (cls(this.ch(flagsEnd)) & TOKEN) === 0) {
            this.emit(this.lowerSlice(s, e), this.spanAt(e + 1), s, e, 'traceparent', 'high', 0);
            return flagsEnd;
          }
        }
      }
      return e;
    }
    if (nc === Ch.Dash) return this.dashed(s, e);
    if (nc === Ch.Colon || nc === Ch.Percent) {
      const next = this.jaeger(s, e);
      if (next > 0) return next;
    }
    if (pc === Ch.Slash) {
      const f = this.pathFormat(s);
      if (f !== undefined) {
        this.emit(this.lowerSlice(s, e), undefined, s, e, f, 'high', f === 'gcp' ? 1 : 0);
        return e;
      }
    }
    if (pc === Ch.Comma) {
      const next = this.spring(s, e);
      if (next > 0) return next;
    }
    const kind = this.findKey(s) ? this.keyKind() : K_NONE;
    switch (kind) {
      case K_TRACE:
      case K_TRACE_B3:
      case K_TRACE_DD:
      case K_UBER:
        this.emit(
          this.lowerSlice(s, e),
          undefined,
          s,
          e,
          this.keyFormat(kind),
          'high',
          kind === K_TRACE_B3 ? 2 : 1,
        );
        return e;
      case K_GCP_CTX: {
        // X-Cloud-Trace-Context: <trace>/<decimal span>;o=1
        let span: string | undefined;
        if (nc === Ch.Slash) {
          let p = e + 1;
          while (p < e + 22 && (cls(this.ch(p)) & TOKEN) === DIGIT) p++;
          if (p > e + 1 && (cls(this.ch(p)) & TOKEN) === 0) span = decimalToHex(this.t.slice(e + 1, p), 16);
        }
        this.emit(this.lowerSlice(s, e), span, s, e, 'gcp', 'high', span ? 0 : 1);
        return e;
      }
      case K_B3:
        this.emit(this.lowerSlice(s, e), undefined, s, e, 'b3-single', 'high', 0);
        return e;
      case K_SPAN:
      case K_SPAN_B3:
      case K_SPAN_DD:
      case K_NEG:
        if (this.includeLow) this.emit(this.lowerSlice(s, e), undefined, s, e, 'bare', 'low', 0);
        return e;
      default: {
        const grafana = this.inGrafanaUrl(s);
        this.emit(
          this.lowerSlice(s, e),
          undefined,
          s,
          e,
          grafana ? 'grafana-url' : 'bare',
          grafana ? 'high' : 'medium',
          0,
        );
        return e;
      }
    }
  }

  /** `<trace>-<span>[-<flag>[-<parent>]]`: B3 single header, Spring Boot 3 `[trace-span]`, or glued junk. */
  private dashed(s: number, e: number): number {
    const spanEnd = this.hexRun(e + 1, 16);
    if (spanEnd !== e + 17 || (cls(this.ch(spanEnd)) & TOKEN) !== 0) return e;
    let end = spanEnd;
    let flagged = false;
    if (this.ch(end) === Ch.Dash) {
      const f = this.ch(end + 1);
      if ((f === Ch.Digit0 || f === Ch.Digit1 || f === Ch.LowerD) && (cls(this.ch(end + 2)) & TOKEN) === 0) {
        flagged = true;
        end += 2;
        if (this.ch(end) === Ch.Dash) {
          const parentEnd = this.hexRun(end + 1, 16);
          if (parentEnd === end + 17 && (cls(this.ch(parentEnd)) & TOKEN) === 0) end = parentEnd;
        }
      } else if (this.hexRun(end + 1, 16) === end + 17 && (cls(this.ch(end + 17)) & TOKEN) === 0) {
        // b3 with a parent but no sampling flag is not a form; treat as glued.
        return e;
      }
    }
    const traceId = this.padSlice(s, e, 32);
    if (traceId === undefined) return end;
    const spanId = this.spanAt(e + 1);
    const kind = this.findKey(s) ? this.keyKind() : K_NONE;
    if (kind === K_B3) this.emit(traceId, spanId, s, e, 'b3-single', 'high', 0);
    else if (kind === K_TRACE || kind === K_TRACE_B3 || kind === K_TRACE_DD)
      this.emit(traceId, spanId, s, e, this.keyFormat(kind), 'high', 0);
    else if (e - s === 32 && this.ch(s - 1) === Ch.OpenBracket && this.ch(spanEnd) === Ch.CloseBracket)
      this.emit(traceId, spanId, s, e, 'spring', 'high', 0);
    else if (e - s !== 32) return end;
    else if (kind === K_NEG || kind === K_SPAN || kind === K_SPAN_B3 || kind === K_SPAN_DD)
      this.emit(traceId, spanId, s, e, 'bare', 'low', 0);
    else this.emit(traceId, spanId, s, e, flagged ? 'b3-single' : 'bare', 'medium', 0);
    return end;
  }

  /** Spring Sleuth / Micrometer `[service,<trace>,<span>]` or `[service,<trace>,<span>,<exportable>]`. */
  private spring(s: number, e: number): number {
    if (this.ch(e) !== Ch.Comma) return 0;
    const spanEnd = this.hexRun(e + 1, 16);
    if (spanEnd !== e + 17) return 0;
    let end = spanEnd;
    let c = this.ch(end);
    if (c === Ch.Comma) {
      end++;
      const stop = end + 8;
      while (end < stop && (cls(this.ch(end)) & TOKEN) !== 0) end++;
      c = this.ch(end);
    }
    if (c !== Ch.CloseBracket) return 0;
    // Back from the comma before the trace to '[': the service name, possibly empty.
    const t = this.t;
    const stop = Math.max(0, s - 130);
    let p = s - 2;
    for (; p >= stop; p--) {
      const d = t.charCodeAt(p);
      if (d === Ch.OpenBracket) break;
      if (d === Ch.CloseBracket || d === Ch.Comma || d === Ch.LineFeed || d === Ch.Quote || d === Ch.Space)
        return 0;
    }
    if (p < stop) return 0;
    const traceId = this.padSlice(s, e, 32);
    if (traceId === undefined) return end + 1;
    this.emit(traceId, this.spanAt(e + 1), s, e, 'spring', 'high', 0);
    return end + 1;
  }

  /** Jaeger `uber-trace-id: trace:span:parent:flags` (also `%3A`-encoded). Returns 0 if not one. */
  private jaeger(s: number, e: number): number {
    let p = this.jaegerSep(e);
    if (p < 0) return 0;
    const spanStart = p;
    const spanEnd = this.hexRun(p, 16);
    if (spanEnd === p || (cls(this.ch(spanEnd)) & TOKEN) !== 0) return 0;
    p = this.jaegerSep(spanEnd);
    if (p < 0) return 0;
    const parentEnd = this.hexRun(p, 16);
    if (parentEnd === p || (cls(this.ch(parentEnd)) & TOKEN) !== 0) return 0;
    p = this.jaegerSep(parentEnd);
    if (p < 0) return 0;
    const flagsEnd = this.hexRun(p, 2);
    if (flagsEnd === p || (cls(this.ch(flagsEnd)) & TOKEN) !== 0) return 0;
    if (!this.findKey(s) || this.keyKind() !== K_UBER) return 0;
    const traceId = this.padSlice(s, e, 32);
    if (traceId === undefined) return flagsEnd;
    const spanId = this.padSlice(spanStart, spanEnd, 16);
    this.emit(traceId, spanId, s, e, 'jaeger', 'high', 0);
    return flagsEnd;
  }

  private jaegerSep(p: number): number {
    const c = this.ch(p);
    if (c === Ch.Colon) return p + 1;
    if (c === Ch.Percent && this.ch(p + 1) === Ch.Digit3 && lower(this.ch(p + 2)) === Ch.LowerA) return p + 3;
    return -1;
  }

  /** AWS X-Ray `1-<8 hex>-<24 hex>`, where `s..e` is the 24-hex part. */
  private xray(s: number, e: number): number {
    const t = this.t;
    if (this.hexRunBack(s - 1, 8) !== s - 9 || this.ch(s - 10) !== Ch.Dash || this.ch(s - 11) !== Ch.Digit1)
      return e;
    if ((cls(this.ch(s - 12)) & TOKEN) !== 0 || (cls(this.ch(e)) & TOKEN) !== 0) return e;
    const idStart = s - 11;
    const traceId = (t.slice(s - 9, s - 1) + t.slice(s, e)).toLowerCase();
    if (isZero(traceId)) return e;
    let confidence: Confidence = 'medium';
    if (this.ch(idStart - 1) === Ch.Equals) {
      const w = this.wordBefore(idStart - 1);
      if (this.eqIgnoreCase(w, idStart - 1, 'root')) confidence = 'high';
      else if (this.eqIgnoreCase(w, idStart - 1, 'self')) return e; // the load balancer's own segment
    }
    if (confidence === 'medium' && this.findKey(idStart)) {
      const k = this.keyKind();
      if (k === K_TRACE || k === K_TRACE_B3 || k === K_TRACE_DD) confidence = 'high';
    }
    // `;Parent=<16 hex>` right after names the span.
    let spanId: string | undefined;
    let end = e;
    if (this.ch(e) === Ch.Semicolon) {
      const w = e + 1;
      if (this.ch(w + 6) === Ch.Equals && this.eqIgnoreCase(w, w + 6, 'parent')) {
        const spanEnd = this.hexRun(w + 7, 16);
        if (spanEnd === w + 23 && (cls(this.ch(spanEnd)) & TOKEN) === 0) {
          spanId = this.spanAt(w + 7);
          end = spanEnd;
        }
      }
    }
    this.emit(traceId, spanId, idStart, e, 'xray', confidence, spanId ? 0 : 1);
    return end;
  }

  /** Datadog decimal IDs under `dd.trace_id` / `dd.span_id` (or `"dd":{"trace_id":…}`). 0 if not one. */
  private datadog(s: number, e: number): number {
    // Cheap filter before reading the key: the value follows '=' or ':' (maybe a quote and spaces).
    let p = s - 1;
    let c = this.ch(p);
    while ((c === Ch.Quote || c === Ch.Apostrophe || c === Ch.Space) && p > s - 4) c = this.ch(--p);
    if (c !== Ch.Equals && c !== Ch.Colon) return 0;
    if (!this.findKey(s)) return 0;
    let kind = this.keyKind();
    if ((kind === K_TRACE || kind === K_SPAN) && this.nestedUnderDd())
      kind = kind === K_TRACE ? K_TRACE_DD : K_SPAN_DD;
    if (kind !== K_TRACE_DD && kind !== K_SPAN_DD) return 0;
    if ((cls(this.ch(e)) & TOKEN) !== 0) return 0;
    const hex = decimalToHex(this.t.slice(s, e), kind === K_TRACE_DD ? 32 : 16);
    if (hex === undefined) return e;
    if (kind === K_TRACE_DD) this.emit(hex, undefined, s, e, 'datadog', 'high', 1);
    else this.addSpan(s, e, hex, false);
    return e;
  }

  /** Whether the key just found sits in `"dd":{…}`, as Datadog's JSON log injection writes it. */
  private nestedUnderDd(): boolean {
    let p = this.kStart - 1;
    const stop = Math.max(0, p - 200);
    // Walk back over earlier members of the same object: stop at '{'.
    while (p >= stop) {
      const c = this.t.charCodeAt(p);
      if (c === Ch.OpenBrace) break;
      if (c === Ch.CloseBrace || c === Ch.LineFeed) return false;
      p--;
    }
    if (p < stop) return false;
    p--;
    while (
      p >= 0 &&
      (this.t.charCodeAt(p) === Ch.Space ||
        this.t.charCodeAt(p) === Ch.Colon ||
        this.t.charCodeAt(p) === Ch.Quote)
    )
      p--;
    return (
      p >= 1 &&
      lower(this.t.charCodeAt(p)) === Ch.LowerD &&
      lower(this.t.charCodeAt(p - 1)) === Ch.LowerD &&
      (cls(this.ch(p - 2)) & TOKEN) === 0
    );
  }

  /** A 16–31 hex run: a trace ID only under a trace key or in a trace URL; a span ID under a span key. */
  private shortTrace(s: number, e: number): number {
    const len = e - s;
    const pc = this.ch(s - 1);
    const nc = this.ch(e);
    if (pc === Ch.Dash) return e;
    if (nc === Ch.Dash) return len === 16 ? this.dashed(s, e) : e;
    if (pc === Ch.Slash) {
      const f = this.pathFormat(s);
      if (f === 'url') {
        const traceId = this.padSlice(s, e, 32);
        if (traceId !== undefined) this.emit(traceId, undefined, s, e, 'url', 'high', 0);
        return e;
      }
    }
    if (pc === Ch.Comma && len === 16) {
      const next = this.spring(s, e);
      if (next > 0) return next;
    }
    if (!this.findKey(s)) return e;
    const kind = this.keyKind();
    if (kind === K_TRACE || kind === K_TRACE_B3 || kind === K_TRACE_DD) {
      const traceId = this.padSlice(s, e, 32);
      if (traceId !== undefined)
        this.emit(traceId, undefined, s, e, this.keyFormat(kind), 'high', kind === K_TRACE_B3 ? 2 : 1);
    } else if ((kind === K_SPAN || kind === K_SPAN_B3) && len === 16 && !this.allZero(s, e)) {
      this.addSpan(s, s + 16, undefined, kind === K_SPAN_B3);
    }
    return e;
  }

  /** `/api/traces/<id>`, `/api/v2/traces/<id>`, `/trace/<id>` → url; `projects/<p>/traces/<id>` → gcp. */
  private pathFormat(s: number): IdFormat | undefined {
    const aEnd = s - 1;
    const aStart = this.segmentBefore(aEnd);
    if (this.eqIgnoreCase(aStart, aEnd, 'trace')) return 'url';
    if (!this.eqIgnoreCase(aStart, aEnd, 'traces') || this.ch(aStart - 1) !== Ch.Slash) return undefined;
    const bEnd = aStart - 1;
    const bStart = this.segmentBefore(bEnd);
    if (this.eqIgnoreCase(bStart, bEnd, 'api')) return 'url';
    if (bStart === bEnd || this.ch(bStart - 1) !== Ch.Slash) return undefined;
    const cEnd = bStart - 1;
    const cStart = this.segmentBefore(cEnd);
    if (this.eqIgnoreCase(bStart, bEnd, 'v2') && this.eqIgnoreCase(cStart, cEnd, 'api')) return 'url';
    if (this.eqIgnoreCase(cStart, cEnd, 'projects')) return 'gcp';
    return undefined;
  }

  /** Start of the path segment that ends at `end` (exclusive), at most 64 characters back. */
  private segmentBefore(end: number): number {
    const stop = Math.max(0, end - 64);
    let p = end - 1;
    while (p >= stop) {
      const c = this.t.charCodeAt(p);
      if (c === Ch.Slash || c <= Ch.Space || c === Ch.Quote || c === Ch.Apostrophe) break;
      p--;
    }
    return p + 1;
  }

  /** Start of the word (letters, digits, '_', '-') ending at `end`, at most 32 characters back. */
  private wordBefore(end: number): number {
    const stop = Math.max(0, end - 32);
    let p = end - 1;
    while (p >= stop && ((cls(this.t.charCodeAt(p)) & TOKEN) !== 0 || this.t.charCodeAt(p) === Ch.Dash)) p--;
    return p + 1;
  }

  private eqIgnoreCase(from: number, to: number, word: string): boolean {
    if (to - from !== word.length || from < 0) return false;
    for (let i = 0; i < word.length; i++) {
      if (lower(this.t.charCodeAt(from + i)) !== word.charCodeAt(i)) return false;
    }
    return true;
  }

  /**
   * Reads the key before a value starting at `pos`: separators (spaces, quotes, backslashes, ANSI
   * escapes, `%22`-style escapes) with at least one '=' or ':' among them, then the key itself.
   * Bounded windows on both, so the cost per call is constant. Sets kStart/kEnd/kQuoted/kColon.
   */
  private findKey(pos: number): boolean {
    const t = this.t;
    let p = pos - 1;
    let assign = false;
    let colon = false;
    let quoted = false;
    const stop = Math.max(0, pos - 32);
    while (p >= stop) {
      const c = t.charCodeAt(p);
      if (c === Ch.Space || c === Ch.Tab || c === Ch.Backslash || c === Ch.Backtick || c === Ch.OpenBracket) {
        p--;
      } else if (c === Ch.Quote || c === Ch.Apostrophe) {
        quoted = true;
        p--;
      } else if (c === Ch.Equals) {
        assign = true;
        p--;
      } else if (c === Ch.Colon) {
        assign = true;
        colon = true;
        p--;
      } else if (
        c === Ch.Slash &&
        p > 0 &&
        t.charCodeAt(p - 1) === Ch.UpperW &&
        t.charCodeAt(p + 1) === Ch.Quote
      ) {
        p -= 2; // ETag: W/"<hex>", a weak validator
      } else if (c === Ch.GreaterThan && p > 0 && t.charCodeAt(p - 1) === Ch.Equals) {
        assign = true;
        p -= 2;
      } else if (p >= 2 && t.charCodeAt(p - 2) === Ch.Percent && isHex(t.charCodeAt(p - 1)) && isHex(c)) {
        // %22 " , %27 ' , %3A : , %3D = , %20 space
        const hi = t.charCodeAt(p - 1);
        const lo = lower(c);
        if (hi === Ch.Digit2 && (lo === Ch.Digit2 || lo === Ch.Digit7)) quoted = true;
        else if (hi === Ch.Digit3 && lo === Ch.LowerA) {
          assign = true;
          colon = true;
        } else if (hi === Ch.Digit3 && lo === Ch.LowerD) assign = true;
        else if (!(hi === Ch.Digit2 && lo === Ch.Digit0)) break;
        p -= 3;
      } else if (c >= Ch.CsiFinalFirst && c <= Ch.CsiFinalLast) {
        const q = this.ansiStartBefore(p);
        if (q < 0) break;
        p = q - 1;
      } else {
        break;
      }
    }
    if (!assign) return false;
    const keyEnd = p + 1;
    const kstop = Math.max(0, keyEnd - 64);
    while (p >= kstop) {
      const c = t.charCodeAt(p);
      if ((cls(c) & TOKEN) !== 0 || c === Ch.Dot || c === Ch.Dash) p--;
      else break;
    }
    let keyStart = p + 1;
    // The key may start inside an escape that the backward read cannot tell from letters.
    if (this.ch(keyStart - 1) === Ch.Percent) keyStart += 2;
    else if (this.ch(keyStart - 1) === Ch.OpenBracket && this.ch(keyStart - 2) === Ch.Escape) {
      while (keyStart < keyEnd && t.charCodeAt(keyStart) <= Ch.CsiParamLast) keyStart++;
      keyStart++;
    }
    if (keyStart >= keyEnd) return false;
    this.kStart = keyStart;
    this.kEnd = keyEnd;
    this.kQuoted = quoted;
    this.kColon = colon;
    return true;
  }

  /** Classifies the key found by findKey() by its letters and digits, ignoring case and `_ - .`. */
  private keyKind(): number {
    const t = this.t;
    let len = 0;
    for (let p = this.kEnd - 1; p >= this.kStart && len < NORM.length; p--) {
      const c = lower(t.charCodeAt(p));
      if ((c >= Ch.LowerA && c <= Ch.LowerZ) || (c >= Ch.Digit0 && c <= Ch.Digit9)) NORM[len++] = c;
    }
    this.normLen = len;
    if (this.normEnds('traceid')) {
      if (this.normEnds('xb3traceid')) return K_TRACE_B3;
      if (this.normEnds('ddtraceid')) return K_TRACE_DD;
      if (this.normEnds('ubertraceid')) return K_UBER;
      return K_TRACE;
    }
    if (this.normEnds('spanid')) {
      if (this.normEnds('parentspanid')) return K_NEUTRAL;
      if (this.normEnds('xb3spanid')) return K_SPAN_B3;
      if (this.normEnds('ddspanid')) return K_SPAN_DD;
      return K_SPAN;
    }
    if (this.normEnds('tracecontext')) return K_GCP_CTX;
    if (len === 2 && this.normEnds('b3')) return K_B3;
    // Serilog's compact JSON (CLEF): "@tr" trace ID, "@sp" span ID.
    if (len === 2 && this.ch(this.kStart - 1) === Ch.At) {
      if (this.normEnds('tr')) return K_TRACE;
      if (this.normEnds('sp')) return K_SPAN;
    }
    if (this.normEnds('trace') && !this.normEnds('stacktrace')) return K_TRACE;
    // NORM holds the key backwards: a part starts at index i and runs down from there.
    for (let i = len - 1; i >= 0; i--) {
      const parts = NEGATIVE_BY_FIRST[NORM[i]! - Ch.Digit0];
      if (parts === undefined) continue;
      for (const part of parts) if (this.normHas(part, i)) return part === 'span' ? K_SPAN : K_NEG;
    }
    return K_NEUTRAL;
  }

  /** Whether `part` occurs in the key starting at NORM index `i` (NORM runs backwards). */
  private normHas(part: string, i: number): boolean {
    if (i + 1 < part.length) return false;
    for (let k = 0; k < part.length; k++) if (NORM[i - k] !== part.charCodeAt(k)) return false;
    return true;
  }

  private normEnds(word: string): boolean {
    const w = word.length;
    if (this.normLen < w) return false;
    for (let i = 0; i < w; i++) if (NORM[i] !== word.charCodeAt(w - 1 - i)) return false;
    return true;
  }

  private keyFormat(kind: number): IdFormat {
    if (kind === K_TRACE_B3) return 'b3';
    if (kind === K_TRACE_DD) return 'datadog';
    if (kind === K_UBER) return 'jaeger';
    if (
      this.kColon &&
      !this.kQuoted &&
      this.kEnd - this.kStart === 7 &&
      this.t.startsWith('TraceId', this.kStart)
    )
      return 'dotnet';
    return this.kQuoted && this.kColon ? 'json' : 'key';
  }

  /** Whether `s` lies in an http(s) URL whose host or path names Grafana or Explore. */
  private inGrafanaUrl(s: number): boolean {
    const u = this.urlStart(s);
    if (u < 0) return false;
    if (u === this.gUrl) return this.gRes;
    const t = this.t;
    const stop = Math.min(this.n, u + 256);
    let res = false;
    for (let p = u + 3; p < stop; p++) {
      const c = t.charCodeAt(p);
      if (c === Ch.QuestionMark || c === Ch.Hash || c <= Ch.Space || c === Ch.Quote || c === Ch.Apostrophe)
        break;
      if (lower(c) === Ch.LowerG && this.eqIgnoreCase(p, p + 7, 'grafana')) res = true;
      else if (c === Ch.Slash && this.eqIgnoreCase(p, p + 8, '/explore')) res = true;
      if (res) break;
    }
    this.gUrl = u;
    this.gRes = res;
    return res;
  }

  /**
   * Position of the `://` of the URL that contains `s`, or -1. Queries come in increasing order,
   * so each call scans back only to the previous query: linear overall.
   */
  private urlStart(s: number): number {
    const t = this.t;
    const stop = Math.max(this.uHi, s - 8192, 0);
    let p = s - 1;
    for (; p >= stop; p--) {
      const c = t.charCodeAt(p);
      if (
        c <= Ch.Space ||
        c === Ch.Quote ||
        c === Ch.Apostrophe ||
        c === Ch.LessThan ||
        c === Ch.GreaterThan ||
        c === Ch.Backtick
      ) {
        this.uRes = -1;
        break;
      }
      if (c === Ch.Colon && t.charCodeAt(p + 1) === Ch.Slash && this.ch(p + 2) === Ch.Slash) {
        this.uRes = p;
        break;
      }
    }
    if (p < stop && stop !== this.uHi) this.uRes = -1;
    this.uHi = s;
    return this.uRes;
  }

  private hexRun(from: number, max: number): number {
    let p = from;
    const stop = Math.min(this.n, from + max + 1);
    while (p < stop && isHex(this.t.charCodeAt(p))) p++;
    return p > from + max ? from : p;
  }

  /** Start of a hex run of at most `max` ending at `end` (exclusive), or `end` if longer/empty. */
  private hexRunBack(end: number, max: number): number {
    let p = end - 1;
    const stop = Math.max(0, end - max - 1);
    while (p >= stop && isHex(this.t.charCodeAt(p))) p--;
    if (p >= 0 && p === stop && isHex(this.t.charCodeAt(p))) return end;
    return (cls(this.ch(p)) & TOKEN) === 0 ? p + 1 : end;
  }

  private allZero(s: number, e: number): boolean {
    for (let p = s; p < e; p++) if (this.t.charCodeAt(p) !== Ch.Digit0) return false;
    return true;
  }

  private lowerSlice(s: number, e: number): string {
    // Inside the run being handled the main loop already knows whether there is upper case.
    if (s >= this.runStart && e <= this.runEnd && !this.runUpper) return this.t.slice(s, e);
    return this.t.slice(s, e).toLowerCase();
  }

  /** The hex at s..e lowercased and left-padded to `width`, or undefined if all zeros. */
  private padSlice(s: number, e: number, width: number): string | undefined {
    if (this.allZero(s, e)) return undefined;
    return this.lowerSlice(s, e).padStart(width, '0');
  }

  /** The 16 hex digits at `p` as a span ID, or undefined if they are all zero. */
  private spanAt(p: number): string | undefined {
    return this.allZero(p, p + 16) ? undefined : this.lowerSlice(p, p + 16);
  }

  /**
   * Records a hit. want: 0 no span wanted, 1 the nearest span key on the same line, 2 B3 (the
   * span header may be a few lines away). Pairing happens as the scan goes: the last span before
   * the hit is the candidate now, and the first span after it may replace it if closer.
   */
  private emit(
    traceId: string,
    spanId: string | undefined,
    start: number,
    end: number,
    format: IdFormat,
    confidence: Confidence,
    want: 0 | 1 | 2,
  ): void {
    if (confidence === 'low' && !this.includeLow) return;
    if (start < this.lastStart) this.sorted = false;
    this.lastStart = start;
    if (spanId !== undefined) {
      this.out.push({ traceId, spanId, start, end, format, confidence });
      return;
    }
    const hit: DetectedId = { traceId, start, end, format, confidence };
    this.out.push(hit);
    if (want === 0) return;
    const i = this.pendCount++;
    this.pendHit[i] = hit;
    this.pendB3[i] = want === 2;
    this.pendBack[i] = this.lastSpan >= 0 && this.sPos[this.lastSpan]! < start ? this.lastSpan : -1;
    this.pendB3Back[i] = this.lastB3Span >= 0 && this.sPos[this.lastB3Span]! < start ? this.lastB3Span : -1;
  }

  /**
   * A span ID under a span key at `pos..end`; `hex` undefined means the 16 hex digits at `pos`.
   * The nearest waiting trace before it may claim it, if the span before that trace is not nearer;
   * the others settle for the span before them.
   */
  private addSpan(pos: number, end: number, hex: string | undefined, b3: boolean): void {
    const k = this.sPos.length;
    this.sPos.push(pos);
    this.sEnd.push(end);
    this.sHex.push(hex);
    this.sUsed.push(false);
    const hits = this.pendHit;
    for (let i = this.pendCount - 1; i >= 0; i--) {
      const hit = hits[i]!;
      const gap = pos - hit.end;
      if (gap < 0) continue;
      const hitB3 = this.pendB3[i]!;
      const back = this.pendBack[i]!;
      const backGap = back >= 0 && !this.sUsed[back]! ? hit.start - this.sEnd[back]! : Infinity;
      if (
        !this.sUsed[k]! &&
        gap < backGap &&
        (this.near(hit.end, pos, 0) || (hitB3 && b3 && this.near(hit.end, pos, 4)))
      ) {
        hit.spanId = this.spanText(k);
        this.sUsed[k] = true;
      } else if (hitB3 && gap <= NEAR && !this.near(hit.end, pos, 0)) {
        continue; // a B3 span header may still follow on a later line
      } else {
        this.pairBack(i);
      }
      hits[i] = undefined;
    }
    let keep = 0;
    for (let i = 0; i < this.pendCount; i++) {
      if (hits[i] === undefined) continue;
      hits[keep] = hits[i];
      this.pendB3[keep] = this.pendB3[i]!;
      this.pendBack[keep] = this.pendBack[i]!;
      this.pendB3Back[keep] = this.pendB3Back[i]!;
      keep++;
    }
    this.pendCount = keep;
    this.lastSpan = k;
    if (b3) this.lastB3Span = k;
  }

  private spanText(k: number): string {
    const at = this.sPos[k]!;
    return this.sHex[k] ?? this.lowerSlice(at, at + 16);
  }

  /** Settles pending hit `i` with the span before it, if that one is free and near enough. */
  private pairBack(i: number): void {
    const hit = this.pendHit[i]!;
    const back = this.pendBack[i]!;
    const b3Back = this.pendB3Back[i]!;
    if (back >= 0 && !this.sUsed[back]! && this.near(hit.start, this.sEnd[back]!, 0)) {
      hit.spanId = this.spanText(back);
    } else if (
      this.pendB3[i]! &&
      b3Back >= 0 &&
      !this.sUsed[b3Back]! &&
      this.near(hit.start, this.sEnd[b3Back]!, 4)
    ) {
      hit.spanId = this.spanText(b3Back);
    }
  }

  /** Whether `from`..`to` (either order) is at most NEAR apart with at most `lines` line breaks between. */
  private near(from: number, to: number, lines: number): boolean {
    if (Math.abs(to - from) > NEAR) return false;
    const t = this.t;
    let breaks = 0;
    if (from < to) {
      for (let p = from; p < to; p++) if (t.charCodeAt(p) === Ch.LineFeed && ++breaks > lines) return false;
    } else {
      for (let p = from - 1; p >= to; p--)
        if (t.charCodeAt(p) === Ch.LineFeed && ++breaks > lines) return false;
    }
    return true;
  }
}

/** Finds trace IDs in `text`, in order of position. */
export function detectTraceIds(text: string, options?: DetectOptions): DetectedId[] {
  const max = options?.maxLength;
  const n = max !== undefined && max < text.length ? Math.max(0, Math.floor(max)) : text.length;
  return new Scanner(text, n, options?.includeLow === true).run();
}
