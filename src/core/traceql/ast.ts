/**
 * The typed syntax tree of the TraceQL subset this engine evaluates, and its error type. The
 * tree is plain data (no RegExp, no closures): it can be rendered back to text (`build.ts`),
 * posted, compared in tests, and compiled once per query for evaluation (`evaluate.ts`).
 */

/** Span-level intrinsics this engine reads, by the names written unscoped in TraceQL. */
export type Intrinsic =
  | 'name'
  | 'status'
  | 'kind'
  | 'duration'
  | 'statusMessage'
  | 'rootName'
  | 'rootServiceName'
  | 'traceDuration';

/**
 * Every spelling of a supported intrinsic: the unscoped names and their scoped forms
 * (`span:name`, `trace:rootService`...), as Tempo's grammar lists them.
 */
export const INTRINSIC_NAMES: ReadonlyMap<string, Intrinsic> = new Map<string, Intrinsic>([
  ['name', 'name'],
  ['status', 'status'],
  ['kind', 'kind'],
  ['duration', 'duration'],
  ['statusMessage', 'statusMessage'],
  ['rootName', 'rootName'],
  ['rootServiceName', 'rootServiceName'],
  ['traceDuration', 'traceDuration'],
  ['span:name', 'name'],
  ['span:status', 'status'],
  ['span:kind', 'kind'],
  ['span:duration', 'duration'],
  ['span:statusMessage', 'statusMessage'],
  ['trace:rootName', 'rootName'],
  ['trace:rootService', 'rootServiceName'],
  ['trace:duration', 'traceDuration'],
]);

/** Where an attribute is looked up: `span.x`, `resource.x`, or `.x` (span first, then resource). */
export type AttributeScope = 'span' | 'resource' | 'any';

/** What a comparison reads from a span. */
export type Field =
  { kind: 'intrinsic'; name: Intrinsic } | { kind: 'attribute'; scope: AttributeScope; name: string };

/** Status values, as TraceQL spells them. */
export type StatusWord = 'unset' | 'ok' | 'error';
/** Kind values, as TraceQL spells them. */
export type KindWord = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** Status words in OTLP `StatusCode` order. */
export const STATUS_WORDS: readonly StatusWord[] = ['unset', 'ok', 'error'];
/** Kind words in OTLP `SpanKind` order. */
export const KIND_WORDS: readonly KindWord[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

/** A constant on the right of a comparison. Durations are in nanoseconds. */
export type Literal =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number }
  | { type: 'duration'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'status'; value: StatusWord }
  | { type: 'kind'; value: KindWord }
  | { type: 'nil' };

/** Comparison operators. `=~` / `!~` match a regular expression anywhere in the value. */
export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';

/** A condition on one span: what goes between `{` and `}`. */
export type FieldExpr =
  /** `&&` / `||` over two or more conditions (a chain of one operator is one node). */
  | { kind: 'and' | 'or'; items: FieldExpr[] }
  | { kind: 'not'; expr: FieldExpr }
  /** `field op literal`; a literal written on the left is moved to the right when parsed. */
  | { kind: 'compare'; field: Field; op: ComparisonOp; value: Literal }
  /** `true` / `false`; `{ }` is `{ true }`. */
  | { kind: 'const'; value: boolean };

/** A spanset expression: filters combined with `&&` (both non-empty) and `||` (either). */
export type SpansetExpr =
  { kind: 'filter'; expr: FieldExpr } | { kind: 'spansetAnd' | 'spansetOr'; items: SpansetExpr[] };

/** A parsed query of the supported subset. */
export interface Query {
  root: SpansetExpr;
}

/** What went wrong: bad syntax, a construct outside the subset, or a well-formed but invalid part. */
export type TraceQLErrorKind = 'syntax' | 'unsupported' | 'invalid';

/**
 * A query this engine cannot evaluate. `at` is the 1-based character position in the query;
 * the message names it and the part: `unsupported at 14: pipeline "| count()"`.
 */
export class TraceQLError extends Error {
  constructor(
    readonly kind: TraceQLErrorKind,
    readonly at: number,
    readonly detail: string,
  ) {
    super(`${kind === 'syntax' ? 'syntax error' : kind} at ${at}: ${detail}`);
    this.name = 'TraceQLError';
  }
}

/**
 * The fields a query's comparisons read, in the order they are written, each once. A store uses
 * it to decode only the attributes a query needs; a search answer reports their values.
 */
export function fieldsOf(query: Query): Field[] {
  const out: Field[] = [];
  const seen = new Set<string>();
  const visitExpr = (e: FieldExpr): void => {
    switch (e.kind) {
      case 'and':
      case 'or':
        e.items.forEach(visitExpr);
        return;
      case 'not':
        visitExpr(e.expr);
        return;
      case 'compare': {
        const key = e.field.kind === 'intrinsic' ? e.field.name : `${e.field.scope}.${e.field.name}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(e.field);
        }
        return;
      }
      case 'const':
        return;
    }
  };
  const visitSet = (s: SpansetExpr): void => {
    if (s.kind === 'filter') visitExpr(s.expr);
    else s.items.forEach(visitSet);
  };
  visitSet(query.root);
  return out;
}
