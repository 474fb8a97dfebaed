/**
 * A cursor over JSON bytes for the scanning decoder (`jsonScan.ts`): whitespace, strings, keys,
 * object and array punctuation, and skipping whole values, straight from the UTF-8 bytes and
 * without building anything. It reads the common shapes only: on anything else (an escaped key,
 * a bracket that does not match, the end of the input) it throws `GIVE_UP`, and the caller
 * decodes with `JSON.parse` instead, which also words the error.
 *
 * Byte loops rather than `JSON.parse` because the benchmark shows they pay: `npm run bench`
 * (decode) reads 100k-span Tempo JSON into the model plus analysis in about half the time of
 * `JSON.parse` alone on the same bytes, and keeps a fraction of the memory.
 */

/** Thrown by the cursor (and the walker on it) to give up; caught in `scanTempoJson`. */
class GiveUp {}
export const GIVE_UP = new GiveUp();

/**
 * The bytes the cursor compares against, by name. An enum declared in this file because the
 * compiler (esbuild, in the bundle and under tsx) writes its members as literals where they are
 * used; module constants would be a load on every comparison in the loops below.
 */
const enum Byte {
  Tab = 0x09,
  LineFeed = 0x0a,
  CarriageReturn = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Digit0 = 0x30,
  Digit9 = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  LowerF = 0x66,
  LowerN = 0x6e,
  LowerT = 0x74,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const utf8 = new TextDecoder('utf-8');

/** Position in `buf`, plus the content range of the last string read. */
export class JsonCursor {
  pos = 0;
  /** Content range of the last string read, and whether it had escapes. */
  s0 = 0;
  s1 = 0;
  escaped = false;

  constructor(readonly buf: Uint8Array) {}

  /** Skips whitespace. */
  ws(): void {
    const buf = this.buf;
    let p = this.pos;
    let c = buf[p];
    while (c === Byte.Space || c === Byte.LineFeed || c === Byte.CarriageReturn || c === Byte.Tab)
      c = buf[++p];
    this.pos = p;
  }

  /** Skips a UTF-8 byte-order mark at `pos`. */
  skipBom(): void {
    if (this.buf[this.pos] === 0xef && this.buf[this.pos + 1] === 0xbb && this.buf[this.pos + 2] === 0xbf)
      this.pos += 3;
  }

  /** The next non-space byte, consumed. */
  next(): number {
    this.ws();
    if (this.pos >= this.buf.length) throw GIVE_UP;
    return this.buf[this.pos++]!;
  }

  /** Whether a string starts at `pos` (call after `ws`). */
  atString(): boolean {
    return this.buf[this.pos] === Byte.Quote;
  }

  /** Whether an object starts at `pos` (call after `ws`). */
  atObject(): boolean {
    return this.buf[this.pos] === Byte.OpenBrace;
  }

  /** Reads a string whose opening quote is at `pos`; sets s0, s1, escaped. */
  string(): void {
    const buf = this.buf;
    let p = this.pos + 1;
    const start = p;
    let escaped = false;
    for (;;) {
      const c = buf[p];
      if (c === Byte.Quote) break;
      if (c === undefined || c < Byte.Space) throw GIVE_UP;
      if (c === Byte.Backslash) {
        escaped = true;
        p += 2;
      } else p++;
    }
    this.s0 = start;
    this.s1 = p;
    this.escaped = escaped;
    this.pos = p + 1;
  }

  /** Reads a value that must be a string; gives up on anything else. */
  expectString(): void {
    this.ws();
    if (this.buf[this.pos] !== Byte.Quote) throw GIVE_UP;
    this.string();
  }

  /** Reads an object key and its colon; gives up on escaped keys. */
  key(): void {
    this.ws();
    if (this.buf[this.pos] !== Byte.Quote) throw GIVE_UP;
    this.string();
    if (this.escaped || this.next() !== Byte.Colon) throw GIVE_UP;
  }

  /** True when the last string read equals `k`. */
  is(k: Uint8Array): boolean {
    const s0 = this.s0;
    if (this.s1 - s0 !== k.length) return false;
    const buf = this.buf;
    for (let i = 0; i < k.length; i++) if (buf[s0 + i] !== k[i]) return false;
    return true;
  }

  /** Opens an object; false when it is empty (then it is also closed). */
  openObject(): boolean {
    return this.open(Byte.OpenBrace, Byte.CloseBrace);
  }

  /** Opens an array; false when it is empty (then it is also closed). */
  openArray(): boolean {
    return this.open(Byte.OpenBracket, Byte.CloseBracket);
  }

  /** After an object member: true if another follows, false at the closing brace. */
  moreMembers(): boolean {
    return this.more(Byte.CloseBrace);
  }

  /** After an array element: true if another follows, false at the closing bracket. */
  moreElements(): boolean {
    return this.more(Byte.CloseBracket);
  }

  private more(close: number): boolean {
    const c = this.next();
    if (c === Byte.Comma) return true;
    if (c === close) return false;
    throw GIVE_UP;
  }

  private open(openByte: number, close: number): boolean {
    if (this.next() !== openByte) throw GIVE_UP;
    this.ws();
    if (this.buf[this.pos] === close) {
      this.pos++;
      return false;
    }
    return true;
  }

  /** Skips one value of any type, checking that brackets and strings are well formed. */
  skip(): void {
    this.ws();
    const buf = this.buf;
    const c = buf[this.pos];
    if (c === Byte.Quote) return this.string();
    if (c === Byte.OpenBrace || c === Byte.OpenBracket) return this.skipNested();
    if (c === Byte.LowerT) return this.literal('true');
    if (c === Byte.LowerF) return this.literal('false');
    if (c === Byte.LowerN) return this.literal('null');
    if (c === Byte.Minus || (c !== undefined && c >= Byte.Digit0 && c <= Byte.Digit9)) {
      let p = this.pos + 1;
      for (;;) {
        const d = buf[p];
        if (d === undefined) throw GIVE_UP;
        if (
          (d >= Byte.Digit0 && d <= Byte.Digit9) ||
          d === Byte.Dot ||
          d === Byte.LowerE ||
          d === Byte.UpperE ||
          d === Byte.Plus ||
          d === Byte.Minus
        )
          p++;
        else break;
      }
      this.pos = p;
      return;
    }
    throw GIVE_UP;
  }

  private literal(word: string): void {
    for (let i = 0; i < word.length; i++) if (this.buf[this.pos + i] !== word.charCodeAt(i)) throw GIVE_UP;
    this.pos += word.length;
  }

  /** Skips an object or array: brackets must match; strings may hold anything. */
  private skipNested(): void {
    const buf = this.buf;
    const stack: number[] = [];
    let p = this.pos;
    for (;;) {
      const c = buf[p];
      if (c === undefined) throw GIVE_UP;
      if (c === Byte.Quote) {
        p++;
        for (;;) {
          const d = buf[p];
          if (d === Byte.Quote) break;
          if (d === undefined || d < Byte.Space) throw GIVE_UP;
          p += d === Byte.Backslash ? 2 : 1;
        }
      } else if (c === Byte.OpenBrace) stack.push(Byte.CloseBrace);
      else if (c === Byte.OpenBracket) stack.push(Byte.CloseBracket);
      else if (c === Byte.CloseBrace || c === Byte.CloseBracket) {
        if (stack.pop() !== c) throw GIVE_UP;
        if (stack.length === 0) {
          this.pos = p + 1;
          return;
        }
      }
      p++;
    }
  }

  /**
   * The last string as text (escapes resolved by JSON.parse). Strings are checked here, where
   * their text is used: a bad escape gives up, and the `JSON.parse` decoder then says where.
   */
  text(): string {
    if (!this.escaped) return utf8.decode(this.buf.subarray(this.s0, this.s1));
    try {
      return JSON.parse(utf8.decode(this.buf.subarray(this.s0 - 1, this.s1 + 1))) as string;
    } catch {
      throw GIVE_UP;
    }
  }
}
