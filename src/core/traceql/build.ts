/**
 * Building TraceQL: rendering the typed tree back to text, and the queries Trace Lens sends for
 * the code-to-spans direction, the filter that finds the spans a function in the editor produced
 * (from their `code.*` attributes). The same tree is evaluated on the client
 * (`matchesAttributes`), since a server may ignore or only partly apply a filter. Pure.
 */
import type { ComparisonOp, Field, FieldExpr, Literal, Query, SpansetExpr } from './ast';

/** A function or method in the workspace, as the editor's document symbols name it. */
export interface FunctionTarget {
  /** The function's own name: `fetch`. */
  name: string;
  /** The enclosing class, struct or namespace when there is one: `DataFetchNode`. */
  container?: string;
  /** Workspace-relative path with forward slashes: `src/nodes/DataFetchNode.ts`. */
  relativePath: string;
}

// --- rendering -------------------------------------------------------------------------------

/** A TraceQL string literal (TraceQL reads Go escapes; JSON's are a subset of them). */
export function traceqlString(value: string): string {
  return JSON.stringify(value);
}

/** Escapes RE2 (and JavaScript) regex metacharacters. */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** Characters that end an attribute name in TraceQL; a name holding one is written quoted. */
const NEEDS_QUOTES = /[\s{}()=~!<>&|^,"]/;

function renderAttributeName(name: string, scope: string): string {
  const quote = name === '' || NEEDS_QUOTES.test(name) || (scope === '' && /^\d/.test(name));
  return quote ? `"${name.replace(/[\\"]/g, '\\$&')}"` : name;
}

/** A field as TraceQL writes it: `name`, `span.http.url`, `.service.name`, `span."a b"`. */
export function renderField(field: Field): string {
  if (field.kind === 'intrinsic') return field.name;
  const scope = field.scope === 'any' ? '' : field.scope;
  return `${scope}.${renderAttributeName(field.name, scope)}`;
}

const DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['h', 3600e9],
  ['m', 60e9],
  ['s', 1e9],
  ['ms', 1e6],
  ['us', 1e3],
];

/** Nanoseconds as a TraceQL duration in the largest unit that keeps it whole: `1500ms`, `2m`. */
export function renderDuration(ns: number): string {
  if (ns < 0) return `-${renderDuration(-ns)}`;
  if (ns !== 0) for (const [unit, size] of DURATION_UNITS) if (ns % size === 0) return `${ns / size}${unit}`;
  return `${ns}ns`;
}

/** A literal as TraceQL writes it. */
export function renderLiteral(lit: Literal): string {
  switch (lit.type) {
    case 'string':
      return traceqlString(lit.value);
    case 'number':
      return String(lit.value);
    case 'duration':
      return renderDuration(lit.value);
    case 'bool':
    case 'status':
    case 'kind':
      return String(lit.value);
    case 'nil':
      return 'nil';
  }
}

/**
 * Renders a condition (no braces). A group of two or more conditions inside another is put in
 * parentheses, so the text reads as the tree was built whatever the reader's precedence rules.
 */
export function renderCondition(c: FieldExpr, nested = false): string {
  switch (c.kind) {
    case 'compare':
      return `${renderField(c.field)} ${c.op} ${renderLiteral(c.value)}`;
    case 'const':
      return String(c.value);
    case 'not':
      return `!(${renderCondition(c.expr)})`;
    case 'and':
    case 'or': {
      const op = c.kind === 'and' ? ' && ' : ' || ';
      const body = c.items.map((i) => renderCondition(i, true)).join(op);
      return nested && c.items.length > 1 ? `(${body})` : body;
    }
  }
}

function renderSpanset(s: SpansetExpr, nested: boolean): string {
  if (s.kind === 'filter')
    return s.expr.kind === 'const' && s.expr.value ? '{ }' : `{ ${renderCondition(s.expr)} }`;
  const body = s.items.map((i) => renderSpanset(i, true)).join(s.kind === 'spansetAnd' ? ' && ' : ' || ');
  return nested && s.items.length > 1 ? `(${body})` : body;
}

/** Renders a parsed query as TraceQL text (which parses back to the same tree). */
export function renderQuery(query: Query): string {
  return renderSpanset(query.root, false);
}

// --- conditions ------------------------------------------------------------------------------

/** `span.key op "value"`. */
function spanAttr(key: string, op: ComparisonOp, value: string): FieldExpr {
  return {
    kind: 'compare',
    field: { kind: 'attribute', scope: 'span', name: key },
    op,
    value: { type: 'string', value },
  };
}

const any = (...items: FieldExpr[]): FieldExpr => ({ kind: 'or', items });
const all = (...items: FieldExpr[]): FieldExpr => ({ kind: 'and', items });

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

/**
 * A name as a language server writes a named function: an identifier-like word, maybe followed by
 * its signature (`bar(String, int)`). Not `<function>`, `(anonymous)` or a callback described in
 * prose (TypeScript's `withSpan('x') callback`), which name nothing a span records.
 */
const NAMED = /^[^\s<>()"'`]{1,200}(\(.*\))?$/;
/** Go's `(*Server).Handle` / `(Server).Handle`. */
const GO_METHOD = /^\(\*?([^()\s]+)\)\.([^()\s]+)$/;

/**
 * The function a document symbol names, with the class (or namespace) `container` that holds it,
 * as a query target; undefined for an anonymous function or a holder that is not a name.
 */
export function namedFunction(
  symbolName: string,
  container: string | undefined,
): Omit<FunctionTarget, 'relativePath'> | undefined {
  const go = GO_METHOD.exec(symbolName);
  if (!go && !NAMED.test(symbolName)) return undefined;
  const name = go ? go[2]! : functionName(symbolName);
  const holder = go ? go[1]! : container;
  if (holder !== undefined && !NAMED.test(holder)) return undefined;
  return holder ? { name, container: holder } : { name };
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
export function functionCondition(target: FunctionTarget): FieldExpr {
  const bare = target.name;
  const byBareName = any(
    spanAttr('code.function.name', '=~', qualifiedPattern(bare)),
    spanAttr('code.function', '=', bare),
  );
  const pattern = pathPattern(target.relativePath);
  const byFile = any(spanAttr('code.filepath', '=~', pattern), spanAttr('code.file.path', '=~', pattern));
  const withFile = all(byBareName, byFile);
  if (!target.container) return withFile;
  const qualified = `${target.container}.${bare}`;
  return any(
    spanAttr('code.function.name', '=~', qualifiedPattern(qualified)),
    spanAttr('code.function', '=~', qualifiedPattern(qualified)),
    all(
      spanAttr('code.namespace', '=~', qualifiedPattern(target.container)),
      spanAttr('code.function', '=', bare),
    ),
    withFile,
  );
}

/** `status = error`. */
const FAILED: FieldExpr = {
  kind: 'compare',
  field: { kind: 'intrinsic', name: 'status' },
  op: '=',
  value: { type: 'status', value: 'error' },
};

/** TraceQL spanset filter for a function's spans; `errorsOnly` adds `status = error`. */
export function functionQuery(target: FunctionTarget, errorsOnly = false): string {
  const cond = functionCondition(target);
  return renderQuery({ root: { kind: 'filter', expr: errorsOnly ? all(cond, FAILED) : cond } });
}

/** TraceQL metrics: p50 and p95 of the function's span durations. */
export function functionQuantilesQuery(target: FunctionTarget): string {
  return `${functionQuery(target)} | quantile_over_time(duration, .5, .95)`;
}

/** TraceQL metrics: the function's span count per status. */
export function functionCountQuery(target: FunctionTarget): string {
  return `${functionQuery(target)} | count_over_time() by (status)`;
}
