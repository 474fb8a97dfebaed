/**
 * The one TraceQL engine of Trace Lens (pure, no `vscode`): used by the Search view and the
 * CodeLens (build, completion, client-side matching), by the fake Tempo of the tests (which
 * bundles it in memory) and by the embedded store's query path.
 *
 *   lexer.ts       tokens; never throws (a problem is a token the parser names)
 *   parser.ts      recursive descent to the typed tree of ast.ts, with Tempo's type rules;
 *                  `checkSupported` gives the 400 a Tempo-like server answers outside the subset
 *   evaluate.ts    spansets over any span representation through a `SpanAccessor`, compiled
 *                  once per query (a store drives it span by span); the columnar model; the
 *                  attributes of search results
 *   build.ts       rendering, and the queries for a function's spans
 *   completion.ts  the search box's completions
 *   regex.ts       `=~` patterns (RE2) as JavaScript regular expressions
 *
 * The subset evaluated: spanset filters combined with `&&` / `||` and parentheses; inside them
 * `&&`, `||`, `!`, `( )`, `= != > >= < <= =~ !~` on the intrinsics name, status, kind, duration,
 * statusMessage, rootName, rootServiceName, traceDuration (and their `span:` / `trace:` forms),
 * on `span.`, `resource.` and unscoped `.` attributes, with string, number, bool, duration
 * (`500ms`, `1.5s`, `1h30m`), status, kind and nil literals. As in Tempo, `&&` and `||` bind
 * equally and group from the left. Everything else in TraceQL (pipelines, aggregates, metrics,
 * structural operators, arithmetic, hints, event/link/instrumentation/parent scopes, other
 * intrinsics) is refused with its position and name: `unsupported at 14: pipeline "| count()"`.
 *
 * Own parser or `@grafana/lezer-traceql`? Measured with scripts/measure-traceql.mjs against
 * lezer-traceql 1.0.0 (esbuild 0.25 minified ESM; Node 20 and 24 on the shared 2-core machine;
 * parse time per query over a table of 36 Search view and CodeLens queries, median of 7 runs,
 * three runs; coverage over the 463 queries of Tempo's pkg/traceql/test_examples.yaml):
 *
 *                           own parser                  lezer-traceql (+ @lezer/lr)
 *   bundle                  15.3 KB (5.4 KB gzip);      84.9 KB (23.9 KB gzip)
 *                           whole engine 22.8 KB (8.1)
 *   parse time per query    4.6–5.1 µs, to a typed      10–17 µs, to an untyped syntax tree,
 *                           tree or a named error       no checks
 *   284 valid queries       82 evaluated, 202 named     171 parsed without error nodes
 *                           unsupported, 0 refused as   (its grammar lags Tempo's: metrics
 *                           syntax errors               arithmetic, newer operators)
 *   87 parse failures       87 refused                  78 marked with error nodes
 *   70 validation failures  70 refused (type rules)     14 marked (it has no type rules)
 *   22 unsupported          22 named unsupported        7 marked
 *
 * lezer covers more of the grammar, but only as a syntax tree with error recovery: the typed
 * tree, the subset check, Tempo's type rules and the messages would still be ours, on top of
 * five times the bytes. The own parser is chosen.
 */
export {
  INTRINSIC_NAMES,
  KIND_WORDS,
  STATUS_WORDS,
  TraceQLError,
  fieldsOf,
  type AttributeScope,
  type ComparisonOp,
  type Field,
  type FieldExpr,
  type Intrinsic,
  type KindWord,
  type Literal,
  type Query,
  type SpansetExpr,
  type StatusWord,
  type TraceQLErrorKind,
} from './ast';
export { parseDuration, tokenize, type Token } from './lexer';
export { checkSupported, parse, type SupportCheck } from './parser';
export {
  compareLiteral,
  compileFilter,
  compileQuery,
  evaluateModel,
  matchesAttributes,
  modelAccessor,
  modelFacts,
  type CompiledQuery,
  type FieldValue,
  type ModelTrace,
  type SpanAccessor,
  type SpanPredicate,
  type TraceFacts,
} from './evaluate';
export {
  escapeRegex,
  functionCondition,
  functionCountQuery,
  functionName,
  namedFunction,
  functionQuantilesQuery,
  functionQuery,
  renderCondition,
  renderDuration,
  renderField,
  renderLiteral,
  renderQuery,
  traceqlString,
  type FunctionTarget,
} from './build';
export {
  applyCompletion,
  completionContext,
  tagCompletions,
  tagInsertion,
  valueInsertion,
  type CompletionContext,
} from './completion';
export { traceqlRegExp } from './regex';
