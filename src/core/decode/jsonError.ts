/**
 * Where JSON text stops being JSON, for error messages: `JSON.parse` says so only sometimes (V8
 * gives a position for some errors, a quoted piece of the input for others, and that piece is
 * text a stranger wrote). This checks the grammar once, without recursion, and reports the byte
 * offset and line of the first error in words of its own. It runs only after `JSON.parse` failed.
 */

/** The first error in `bytes` (UTF-8 JSON): its byte offset and a few words on what is wrong. */
export interface JsonErrorPlace {
  at: number;
  line: number;
  column: number;
  what: string;
}

const enum Expect {
  Value,
  ValueOrClose,
  Key,
  KeyOrClose,
  Colon,
  After,
  End,
}

/** A byte for a message: a letter or digit as itself, anything else by its code (never markup). */
function show(c: number): string {
  const ch = String.fromCharCode(c);
  return /^[A-Za-z0-9]$/.test(ch) ? `'${ch}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

function isHex(c: number | undefined): boolean {
  return (
    c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66))
  );
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Finds the first JSON syntax error in `bytes`; undefined when there is none. */
export function findJsonError(bytes: Uint8Array): JsonErrorPlace | undefined {
  const n = bytes.length;
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  const stack: number[] = [];
  let expect: Expect = Expect.Value;
  let what = '';

  /** Skips a string whose quote is at `i`; false (with `what` set) if it is not a valid string. */
  const string = (): boolean => {
    i++;
    for (;;) {
      const c = bytes[i];
      if (c === undefined) {
        what = 'the data ends inside a string';
        return false;
      }
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c < 0x20) {
        what = `a control character (${show(c)}) inside a string`;
        return false;
      }
      if (c !== 0x5c) {
        i++;
        continue;
      }
      const d = bytes[i + 1];
      if (d === 0x75) {
        for (let k = 2; k < 6; k++) {
          if (!isHex(bytes[i + k])) {
            what = 'a \\u escape without four hex digits';
            return false;
          }
        }
        i += 6;
      } else if (
        d === 0x22 ||
        d === 0x5c ||
        d === 0x2f ||
        d === 0x62 ||
        d === 0x66 ||
        d === 0x6e ||
        d === 0x72 ||
        d === 0x74
      ) {
        i += 2;
      } else {
        what =
          d === undefined ? 'the data ends inside a string' : `a bad escape (a backslash before ${show(d)})`;
        return false;
      }
    }
  };

  /** Skips a number at `i`; false if it does not follow the JSON number grammar. */
  const number = (): boolean => {
    if (bytes[i] === 0x2d) i++;
    if (bytes[i] === 0x30) i++;
    else if (isDigit(bytes[i])) while (isDigit(bytes[i])) i++;
    else {
      what = 'a number without digits';
      return false;
    }
    if (bytes[i] === 0x2e) {
      i++;
      if (!isDigit(bytes[i])) {
        what = 'a number with no digits after its decimal point';
        return false;
      }
      while (isDigit(bytes[i])) i++;
    }
    if (bytes[i] === 0x65 || bytes[i] === 0x45) {
      i++;
      if (bytes[i] === 0x2b || bytes[i] === 0x2d) i++;
      if (!isDigit(bytes[i])) {
        what = 'a number with no digits in its exponent';
        return false;
      }
      while (isDigit(bytes[i])) i++;
    }
    return true;
  };

  const literal = (word: string): boolean => {
    for (let k = 0; k < word.length; k++) {
      if (bytes[i + k] !== word.charCodeAt(k)) {
        i += k;
        what = `an unknown word (expected ${word})`;
        return false;
      }
    }
    i += word.length;
    return true;
  };

  const place = (): JsonErrorPlace => {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < i && k < n; k++) {
      if (bytes[k] === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    return { at: i, line, column: i - lineStart + 1, what };
  };

  for (;;) {
    while (i < n) {
      const c = bytes[i]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    if (i >= n) {
      if (expect === Expect.End || (expect === Expect.After && stack.length === 0)) return undefined;
      what = 'the data ends too early (it may be truncated)';
      return place();
    }
    const c = bytes[i]!;
    switch (expect) {
      case Expect.Value:
      case Expect.ValueOrClose:
        if (c === 0x7b) {
          stack.push(0x7d);
          i++;
          expect = Expect.KeyOrClose;
        } else if (c === 0x5b) {
          stack.push(0x5d);
          i++;
          expect = Expect.ValueOrClose;
        } else if (c === 0x5d && expect === Expect.ValueOrClose) {
          stack.pop();
          i++;
          expect = Expect.After;
        } else {
          const ok =
            c === 0x22
              ? string()
              : c === 0x2d || isDigit(c)
                ? number()
                : c === 0x74
                  ? literal('true')
                  : c === 0x66
                    ? literal('false')
                    : c === 0x6e
                      ? literal('null')
                      : ((what = `${show(c)} where a value should be`), false);
          if (!ok) return place();
          expect = Expect.After;
        }
        break;
      case Expect.Key:
      case Expect.KeyOrClose:
        if (c === 0x22) {
          if (!string()) return place();
          expect = Expect.Colon;
        } else if (c === 0x7d && expect === Expect.KeyOrClose) {
          stack.pop();
          i++;
          expect = Expect.After;
        } else {
          what = `${show(c)} where a quoted key should be`;
          return place();
        }
        break;
      case Expect.Colon:
        if (c !== 0x3a) {
          what = `${show(c)} where a colon should follow a key`;
          return place();
        }
        i++;
        expect = Expect.Value;
        break;
      case Expect.After: {
        const close = stack[stack.length - 1];
        if (close === undefined) {
          expect = Expect.End;
          break;
        }
        if (c === 0x2c) {
          i++;
          expect = close === 0x7d ? Expect.Key : Expect.Value;
        } else if (c === close) {
          stack.pop();
          i++;
        } else {
          what = `${show(c)} where a comma or ${close === 0x7d ? 'closing brace' : 'closing bracket'} should be`;
          return place();
        }
        break;
      }
      case Expect.End:
        what = `${show(c)} after the end of the JSON value`;
        return place();
    }
  }
}

/** "…: <what> at byte N of M (line L, column C)" for a JSON error message, or '' when none is found. */
export function describeJsonError(bytes: Uint8Array): string {
  const e = findJsonError(bytes);
  if (!e) return '';
  return `${e.what} at byte ${e.at} of ${bytes.length} (line ${e.line}, column ${e.column})`;
}
