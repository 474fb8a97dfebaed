/**
 * TraceQL's `=~` / `!~` patterns are Go RE2; this engine runs them as JavaScript regular
 * expressions, which agree on the syntax queries use (classes, anchors, groups, repetition).
 * The RE2 spellings JavaScript lacks are translated: a leading flag group `(?i)` (also `s`, `m`)
 * becomes a flag, `(?P<name>` becomes `(?<name>`. A match is found anywhere in the value
 * (Go's `regexp.MatchString`, what Tempo 2.0 does); anchor with `^...$` to match the whole value.
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
  try {
    re = new RegExp(source, flags);
  } catch (err) {
    throw new Error(`error parsing regexp: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (cache.size >= 500) cache.clear();
  cache.set(pattern, re);
  return re;
}
