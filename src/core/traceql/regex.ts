/**
 * TraceQL's `=~` / `!~` patterns are Go RE2; this engine runs them as JavaScript regular
 * expressions, which agree on the syntax queries use (classes, anchors, groups, repetition).
 * The RE2 spellings JavaScript lacks are translated: a leading flag group `(?i)` (also `s`, `m`)
 * becomes a flag, `(?P<name>` becomes `(?<name>`. A match is found anywhere in the value
 * (Go's `regexp.MatchString`, what Tempo 2.0 does); anchor with `^...$` to match the whole value.
 *
 * RE2 runs in linear time; JavaScript's engine backtracks. Two things are refused before a pattern
 * reaches it, each with a message that says why and what to write instead:
 *   - what RE2 itself rejects (so does Tempo): backreferences and lookaround;
 *   - a repeated group that itself repeats (`(a+)+`, `(\w*\s?)*`, `(a|ab)+`): the shape that makes
 *     a backtracking engine take exponential time on a value that almost matches, which would
 *     freeze the window that holds the store. Repeating a single item (`a+`, `[ab]*`, `.*`) is fine.
 */

const LEADING_FLAGS = /^\(\?([ism]+)\)/;

const cache = new Map<string, RegExp>();

/** The RegExp for a TraceQL pattern; throws an Error naming the problem when it is not valid. */
export function traceqlRegExp(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) return re;
  let source = pattern;
  let flags = '';
  const lead = LEADING_FLAGS.exec(source);
  if (lead) {
    flags = [...new Set(lead[1]!)].join('');
    source = source.slice(lead[0].length);
  }
  source = source.replaceAll('(?P<', '(?<');
  const refused = unsafeConstruct(source);
  if (refused) throw new Error(`error parsing regexp: ${refused}`);
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw new Error(`error parsing regexp: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (cache.size >= 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** A group being read by `unsafeConstruct`: whether its body repeats something or alternates. */
interface Group {
  repeats: boolean;
  alternates: boolean;
}

/** Whether `source[i]` starts a repetition that can match more than once (`*`, `+`, `{n,}`, `{n,m}`, m > 1). */
function repetitionAt(source: string, i: number): boolean {
  const c = source[i];
  if (c === '*' || c === '+') return true;
  if (c !== '{') return false;
  const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(i, i + 24));
  if (!m || (m[1] === '' && m[3] === '')) return false;
  if (m[2] === '') return Number(m[1]) > 1;
  return m[3] === '' || Number(m[3]) > 1;
}

/**
 * Why `source` (a JavaScript pattern) is refused, or undefined: a backreference or lookaround
 * (not RE2), or a repeated group whose body repeats or alternates (exponential backtracking).
 */
export function unsafeConstruct(source: string): string | undefined {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || next === 'k'))
        return `backreferences (\\${next}…) are not supported: RE2 has none; match the text itself`;
      i++;
      // An escaped item may be repeated like any other.
      if (!inClass && repetitionAt(source, i + 1)) stack.at(-1)!.repeats = true;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        if (repetitionAt(source, i + 1)) stack.at(-1)!.repeats = true;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      // A `]` first in a class (or after `^`) is a literal.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
      continue;
    }
    if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i, i + 4)))
        return 'lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: RE2 has none';
      stack.push({ repeats: false, alternates: false });
      continue;
    }
    if (c === '|') {
      stack.at(-1)!.alternates = true;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : { repeats: false, alternates: false };
      const parent = stack.at(-1)!;
      if (repetitionAt(source, i + 1)) {
        if (group.repeats || group.alternates) {
          return (
            'a repeated group that itself repeats or alternates, such as (a+)+ or (a|ab)*, ' +
            'could take exponential time here: repeat a single item instead, such as [ab]+ or .*'
          );
        }
        parent.repeats = true;
      } else if (group.repeats) parent.repeats = true;
      continue;
    }
    if (c !== '*' && c !== '+' && c !== '?' && c !== '{' && repetitionAt(source, i + 1))
      stack.at(-1)!.repeats = true;
  }
  return undefined;
}
