/**
 * Completions for the Trace Search box: what the text being typed ends in (a tag name to
 * complete, or a value of a tag inside an open string), read from the TraceQL tokens, and the
 * tag identifiers and insertions to offer. Pure.
 */
import type { TagsResult } from '../backends';
import { INTRINSIC_NAMES } from './ast';
import { tokenize, type Token } from './lexer';
import { traceqlString } from './build';

/** What the search box's text ends in, for completions. */
export type CompletionContext =
  /** Inside a string after `tag op "`: complete a value of `tag`; `from` is where the value starts. */
  | { kind: 'value'; tag: string; prefix: string; from: number }
  /** Where a field may start inside `{ }`: complete a tag name. */
  | { kind: 'tag'; prefix: string; from: number };

/** Longer texts are not completed (they are not typed by hand). */
const MAX_TEXT = 4096;

const VALUE_OPS: ReadonlySet<string> = new Set(['=', '!=', '=~', '!~']);

const isField = (t: Token | undefined): boolean => t?.kind === 'word' || t?.kind === 'attribute';

/** After these a field may start: `{`, `(`, `&&`, `||`, `!`. */
function startsField(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === 'punct') return t.text === '{' || t.text === '(';
  return t.kind === 'op' && (t.text === '&&' || t.text === '||' || t.text === '!');
}

/** The completion context at the end of `text`, or undefined when there is nothing to complete. */
export function completionContext(text: string): CompletionContext | undefined {
  if (text.length > MAX_TEXT) return undefined;
  const tokens = tokenize(text);
  const n = tokens.length - 1; // without the end token
  const last = tokens[n - 1];
  if (last?.kind === 'string' && last.open && last.text.startsWith('"')) {
    const op = tokens[n - 2];
    const field = tokens[n - 3];
    if (op?.kind !== 'op' || !VALUE_OPS.has(op.text) || !isField(field)) return undefined;
    return { kind: 'value', tag: field!.text, prefix: text.slice(last.at + 1), from: last.at + 1 };
  }
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct' && t.text === '{') depth++;
    else if (t.kind === 'punct' && t.text === '}') depth--;
  }
  if (depth <= 0) return undefined;
  const typing = isField(last) && last!.end === text.length;
  if (!startsField(typing ? tokens[n - 2] : last)) return undefined;
  const prefix = typing ? last!.text : '';
  return { kind: 'tag', prefix, from: text.length - prefix.length };
}

/** The text with the context's prefix replaced by `insertion`. */
export function applyCompletion(text: string, ctx: CompletionContext, insertion: string): string {
  return text.slice(0, ctx.from) + insertion;
}

/** What a completed value inserts: the escaped value and the closing quote. */
export function valueInsertion(value: string): string {
  return traceqlString(value).slice(1, -1) + '"';
}

/** What a completed tag inserts: `resource.service.name = "` for attributes, `status ` for intrinsics. */
export function tagInsertion(tag: string): string {
  return INTRINSIC_NAMES.has(tag) || !tag.includes('.') ? `${tag} ` : `${tag} = "`;
}

/**
 * TraceQL identifiers from a tags answer, filtered by `prefix` (case-insensitive substring),
 * scoped ones first by scope order, at most `max`. Unscoped v1 names are offered as `.name`.
 */
export function tagCompletions(result: TagsResult, prefix: string, max = 50): string[] {
  const p = prefix.toLowerCase();
  const out: string[] = [];
  const seen = new Set<string>();
  for (const scope of result.scopes) {
    for (const tag of scope.tags) {
      const id =
        scope.name === 'intrinsic'
          ? tag
          : scope.name === 'all' || scope.name === 'none'
            ? `.${tag}`
            : `${scope.name}.${tag}`;
      if (seen.has(id) || (p !== '' && !id.toLowerCase().includes(p))) continue;
      seen.add(id);
      out.push(id);
    }
  }
  // Identifiers that start with the prefix first, keeping scope order otherwise.
  if (p !== '')
    out.sort((a, b) => Number(!a.toLowerCase().startsWith(p)) - Number(!b.toLowerCase().startsWith(p)));
  return out.slice(0, max);
}
