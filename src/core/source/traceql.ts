/**
 * TraceQL for the code-to-spans direction: the filter that finds the spans a function in the
 * editor produced (from their `code.*` attributes), the same filter evaluated on the client (a
 * server may ignore or only partly apply it), and completions for the Trace Search box. Pure.
 */
import type { Attribute } from '../../shared/model';
import type { TagsResult } from '../backends';

/** A function or method in the workspace, as the editor's document symbols name it. */
export interface FunctionTarget {
  /** The function's own name: `fetch`. */
  name: string;
  /** The enclosing class, struct or namespace when there is one: `DataFetchNode`. */
  container?: string;
  /** Workspace-relative path with forward slashes: `src/nodes/DataFetchNode.ts`. */
  relativePath: string;
}

/** A condition over span attributes: equality, an RE2 regex match, or a group. */
export type Condition =
  | { kind: 'eq'; key: string; value: string }
  | { kind: 're'; key: string; pattern: string }
  | { kind: 'and' | 'or'; items: Condition[] };

/** A TraceQL string literal (TraceQL reads Go escapes; JSON's are a subset of them). */
export function traceqlString(value: string): string {
  return JSON.stringify(value);
}

/** Escapes RE2 (and JavaScript) regex metacharacters. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** How many trailing path segments the file condition keeps (tolerates other roots in containers). */
const PATH_TAIL = 3;

/** A name that may be written qualified by anything ending in `.`, `:`, `/`, `#` or `\`. */
function qualifiedPattern(name: string): string {
  return `^(?:.*[.:/#\\\\])?${escapeRegex(name)}$`;
}

/** The last few segments of a relative path, each separator matching `/` or `\`. */
function pathPattern(relativePath: string): string {
  const segments = relativePath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  const tail = segments.slice(-PATH_TAIL).map(escapeRegex).join('[/\\\\]');
  return `^(?:.*[/\\\\])?${tail}$`;
}

/** A symbol name as a function name: `bar(String)` → `bar`, whitespace trimmed. */
export function functionName(symbolName: string): string {
  const paren = symbolName.indexOf('(');
  return (paren >= 0 ? symbolName.slice(0, paren) : symbolName).trim();
}

/**
 * The spans a function produced:
 * - its qualified name (`Class.method`, possibly prefixed by a package) in `code.function.name`
 *   or `code.function`, or `code.namespace` ending in the class plus `code.function` = method;
 * - or its bare name together with a file path ending in the document's last path segments
 *   (`code.filepath` / `code.file.path`), so a common name such as `run` does not match every
 *   `run` in every service. A function without a container needs the file path.
 */
export function functionCondition(target: FunctionTarget): Condition {
  const bare = target.name;
  const byBareName: Condition = {
    kind: 'or',
    items: [
      { kind: 're', key: 'span.code.function.name', pattern: qualifiedPattern(bare) },
      { kind: 'eq', key: 'span.code.function', value: bare },
    ],
  };
  const pattern = pathPattern(target.relativePath);
  const byFile: Condition = {
    kind: 'or',
    items: [
      { kind: 're', key: 'span.code.filepath', pattern },
      { kind: 're', key: 'span.code.file.path', pattern },
    ],
  };
  const withFile: Condition = { kind: 'and', items: [byBareName, byFile] };
  if (!target.container) return withFile;
  const qualified = `${target.container}.${bare}`;
  return {
    kind: 'or',
    items: [
      { kind: 're', key: 'span.code.function.name', pattern: qualifiedPattern(qualified) },
      { kind: 're', key: 'span.code.function', pattern: qualifiedPattern(qualified) },
      {
        kind: 'and',
        items: [
          { kind: 're', key: 'span.code.namespace', pattern: qualifiedPattern(target.container) },
          { kind: 'eq', key: 'span.code.function', value: bare },
        ],
      },
      withFile,
    ],
  };
}

/** Renders a condition as a TraceQL field expression (no braces). */
export function renderCondition(c: Condition, nested = false): string {
  switch (c.kind) {
    case 'eq':
      return `${c.key} = ${traceqlString(c.value)}`;
    case 're':
      return `${c.key} =~ ${traceqlString(c.pattern)}`;
    case 'and':
    case 'or': {
      const op = c.kind === 'and' ? ' && ' : ' || ';
      const body = c.items.map((i) => renderCondition(i, true)).join(op);
      return nested && c.items.length > 1 ? `(${body})` : body;
    }
  }
}

/** TraceQL spanset filter for a function's spans; `errorsOnly` adds `status = error`. */
export function functionQuery(target: FunctionTarget, errorsOnly = false): string {
  const cond = renderCondition(functionCondition(target), errorsOnly);
  return errorsOnly ? `{ ${cond} && status = error }` : `{ ${cond} }`;
}

/** TraceQL metrics: p50 and p95 of the function's span durations. */
export function functionQuantilesQuery(target: FunctionTarget): string {
  return `${functionQuery(target)} | quantile_over_time(duration, .5, .95)`;
}

/** TraceQL metrics: the function's span count per status. */
export function functionCountQuery(target: FunctionTarget): string {
  return `${functionQuery(target)} | count_over_time() by (status)`;
}

/** The attribute key as search results carry it: without the `span.` / `resource.` scope. */
function resultKey(key: string): string {
  return key.replace(/^(?:span|resource)\./, '');
}

const regexCache = new Map<string, RegExp | null>();

function compiled(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (regexCache.size > 500) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

/**
 * Evaluates a condition on the attributes a search result carries for one span. Strict: an
 * attribute that is absent fails its test, so a server that ignored the filter (and returned
 * spans without these attributes) yields no matches rather than every span.
 */
export function matchesCondition(c: Condition, attributes: readonly Attribute[]): boolean {
  switch (c.kind) {
    case 'eq':
    case 're': {
      const key = resultKey(c.key);
      const v = attributes.find((a) => a.key === key || a.key === c.key)?.value;
      if (typeof v !== 'string') return false;
      if (c.kind === 'eq') return v === c.value;
      return compiled(c.pattern)?.test(v) ?? false;
    }
    case 'and':
      return c.items.every((i) => matchesCondition(i, attributes));
    case 'or':
      return c.items.some((i) => matchesCondition(i, attributes));
  }
}

// --- completions for the search box --------------------------------------------------------

/** What the search box's text ends in, for completions. */
export type CompletionContext =
  /** Inside a string after `tag op "`: complete a value of `tag`; `from` is where the value starts. */
  | { kind: 'value'; tag: string; prefix: string; from: number }
  /** Where a field may start inside `{ }`: complete a tag name. */
  | { kind: 'tag'; prefix: string; from: number };

/** Positions of the `"` that open or close a string (escaped quotes inside strings skipped). */
function unescapedQuotes(text: string): number[] {
  const out: number[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString && ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      out.push(i);
      inString = !inString;
    }
  }
  return out;
}

/** The completion context at the end of `text`, or undefined when there is nothing to complete. */
export function completionContext(text: string): CompletionContext | undefined {
  if (text.length > 4096) return undefined;
  const quotes = unescapedQuotes(text);
  if (quotes.length % 2 === 1) {
    const open = quotes[quotes.length - 1]!;
    const m = /([A-Za-z_.][\w.:/-]*)\s*(?:=|!=|=~|!~)\s*$/.exec(text.slice(0, open));
    if (!m) return undefined;
    return { kind: 'value', tag: m[1]!, prefix: text.slice(open + 1), from: open + 1 };
  }
  // Strip the strings, then check we are inside an open brace at a field position.
  let stripped = '';
  let last = 0;
  for (let k = 0; k + 1 < quotes.length; k += 2) {
    stripped += text.slice(last, quotes[k]) + '""';
    last = quotes[k + 1]! + 1;
  }
  stripped += text.slice(last);
  const depth = (stripped.match(/\{/g)?.length ?? 0) - (stripped.match(/\}/g)?.length ?? 0);
  if (depth <= 0) return undefined;
  const m = /(?:\{|\(|&&|\|\|)\s*([A-Za-z_.][\w.:/-]*)?$/.exec(stripped);
  if (!m) return undefined;
  const prefix = m[1] ?? '';
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

/** TraceQL's intrinsic fields, which take no scope and no quotes. */
const INTRINSICS = new Set([
  'name',
  'status',
  'kind',
  'duration',
  'statusMessage',
  'rootName',
  'rootServiceName',
  'traceDuration',
]);

/** What a completed tag inserts: `resource.service.name = "` for attributes, `status ` for intrinsics. */
export function tagInsertion(tag: string): string {
  return INTRINSICS.has(tag) || !tag.includes('.') ? `${tag} ` : `${tag} = "`;
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
