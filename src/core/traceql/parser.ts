/**
 * A recursive-descent parser for TraceQL spanset queries, producing the typed tree of `ast.ts`.
 * It reads the whole TraceQL token set, so a construct outside the subset this engine evaluates
 * (pipelines, aggregates, metrics, structural operators, arithmetic, hints, event/link scopes)
 * is named with its position rather than reported as a syntax error:
 * `unsupported at 14: pipeline "| count() > 1"`.
 *
 * Grammar (precedence as in Tempo's `expr.y`: `&&` and `||` bind equally and group from the
 * left; comparisons bind tighter; `!` and unary `-` tighter still):
 *
 *   query      := spanset (('&&' | '||') spanset)*
 *   spanset    := '{' [condition] '}' | '(' query ')'
 *   condition  := comparison (('&&' | '||') comparison)*
 *   comparison := unary [cmpOp unary]               cmpOp: = != > >= < <= =~ !~
 *   unary      := '!' unary | '-' unary | primary
 *   primary    := '(' condition ')' | field | literal
 *   field      := .a | span.a | resource.a | name | status | kind | duration | statusMessage |
 *                 rootName | rootServiceName | traceDuration | span:name | trace:rootService ...
 *   literal    := "str" | `raw` | 12 | 1.5 | 300ms | true | false | nil | error | ok | unset |
 *                 unspecified | internal | server | client | producer | consumer
 *
 * A comparison is `field op literal` (a literal on the left is moved to the right, two literals
 * are folded); a lone attribute is `attr = true`, `!attr` is `attr = false`. A regular expression
 * is checked when parsed, so evaluation never meets a bad one.
 */
import {
  INTRINSIC_NAMES,
  KIND_WORDS,
  STATUS_WORDS,
  TraceQLError,
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
import { compareLiteral, type FieldValue } from './evaluate';
import { tokenize, type Token } from './lexer';
import { traceqlRegExp } from './regex';

/** Parentheses and `!` deeper than this are refused (the parser recurses on them). */
const MAX_DEPTH = 128;

const COMPARISON_OPS: ReadonlySet<string> = new Set(['=', '!=', '>', '>=', '<', '<=', '=~', '!~']);
/** Operators between spansets that relate spans by their position in the tree. */
const STRUCTURAL_OPS: ReadonlySet<string> = new Set([
  '>',
  '<',
  '>>',
  '<<',
  '~',
  '!>',
  '!<',
  '!>>',
  '!<<',
  '!~',
  '&~',
  '&>',
  '&<',
  '&>>',
  '&<<',
]);
const ARITHMETIC_OPS: ReadonlySet<string> = new Set(['+', '-', '*', '/', '%', '^']);
/** Aggregates, metrics functions and pipeline stages of TraceQL. */
const PIPELINE_WORDS: ReadonlySet<string> = new Set([
  'count',
  'avg',
  'max',
  'min',
  'sum',
  'by',
  'coalesce',
  'select',
  'rate',
  'count_over_time',
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'sum_over_time',
  'quantile_over_time',
  'histogram_over_time',
  'compare',
  'topk',
  'bottomk',
]);
/** TraceQL intrinsics this engine does not read. */
const OTHER_INTRINSICS: ReadonlySet<string> = new Set([
  'parent',
  'nestedSetLeft',
  'nestedSetRight',
  'nestedSetParent',
  'trace:id',
  'span:id',
  'span:parentID',
  'span:childCount',
  'event:name',
  'event:timeSinceStart',
  'link:traceID',
  'link:spanID',
  'instrumentation:name',
  'instrumentation:version',
]);

/** While parsing a condition: a field, a literal, or something that is already true or false. */
type Operand =
  | { t: 'field'; field: Field; at: number; end: number }
  | { t: 'literal'; lit: Literal; at: number; end: number }
  | { t: 'cond'; expr: FieldExpr; at: number; end: number };

const FLIP: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '=',
  '!=': '!=',
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '=~': '=~',
  '!~': '!~',
};

/**
 * `left op right`, where `open` is the chain `left` is when the previous operator built one:
 * a chain of one operator is one node (`a && b && c`), a group in parentheses stays a node.
 */
function chain<K extends string, N>(
  kind: K,
  left: N,
  right: N,
  open: { kind: string; items: N[] } | undefined,
): { kind: K; items: N[] } {
  if (open?.kind === kind) {
    open.items.push(right);
    return open as { kind: K; items: N[] };
  }
  return { kind, items: [left, right] };
}

class Parser {
  private readonly tokens: Token[];
  private p = 0;
  private depth = 0;

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseQuery(): Query {
    if (this.peek().kind === 'end')
      this.fail('syntax', this.peek(), 'the query is empty: write a spanset filter such as { name = "GET" }');
    const root = this.spansetExpr();
    const t = this.peek();
    if (t.kind !== 'end') {
      this.refuseAfterSpanset(t);
      if (t.kind === 'punct' && t.text === ')') this.fail('syntax', t, 'unbalanced ")"');
      this.fail('syntax', t, `unexpected ${this.describe(t)} after the query`);
    }
    return { root };
  }

  // --- tokens and errors -------------------------------------------------------------------

  /** The next token; a token the lexer could not read is reported here, in query order. */
  private peek(): Token {
    const t = this.tokens[this.p]!;
    if (t.kind === 'invalid') this.fail('syntax', t, `unexpected character ${JSON.stringify(t.text)}`);
    if ((t.kind === 'string' || t.kind === 'attribute') && t.error !== undefined)
      this.fail('syntax', t, t.error);
    return t;
  }

  private isPunct(t: Token, text: string): boolean {
    return t.kind === 'punct' && t.text === text;
  }

  private isOp(t: Token, text: string): boolean {
    return t.kind === 'op' && t.text === text;
  }

  private describe(t: Token): string {
    return t.kind === 'end' ? 'the end of the query' : JSON.stringify(t.text);
  }

  private fail(kind: TraceQLErrorKind, at: Token | number, detail: string): never {
    throw new TraceQLError(kind, (typeof at === 'number' ? at : at.at) + 1, detail);
  }

  /** The query text from offset `from` to `to`, shortened for a message. */
  private excerpt(from: number, to: number): string {
    const text = this.text.slice(from, to).trim().replace(/\s+/g, ' ');
    return text.length > 60 ? `${text.slice(0, 59)}…` : text;
  }

  private expectPunct(text: string, opener: Token): void {
    const t = this.peek();
    if (this.isPunct(t, text)) {
      this.p++;
      return;
    }
    this.fail(
      'syntax',
      t,
      `expected "${text}" to close the "${opener.text}" at ${opener.at + 1}, found ${this.describe(t)}`,
    );
  }

  private enter(t: Token): void {
    if (++this.depth > MAX_DEPTH) this.fail('syntax', t, `nesting deeper than ${MAX_DEPTH} levels`);
  }

  /** Names what may follow a spanset but is outside the subset: a pipeline, hints, a structural operator. */
  private refuseAfterSpanset(t: Token): void {
    if (this.isOp(t, '|')) {
      // The stage up to the next `|` outside parentheses.
      let depth = 0;
      let k = this.p + 1;
      for (; this.tokens[k]!.kind !== 'end'; k++) {
        const u = this.tokens[k]!;
        if (this.isPunct(u, '(')) depth++;
        else if (this.isPunct(u, ')')) {
          if (depth === 0) break;
          depth--;
        } else if (depth === 0 && this.isOp(u, '|')) break;
      }
      const end = k > this.p + 1 ? this.tokens[k - 1]!.end : t.end;
      this.fail('unsupported', t, `pipeline "${this.excerpt(t.at, end)}"`);
    }
    if (t.kind === 'word' && t.text === 'with')
      this.fail('unsupported', t, `query hints "${this.excerpt(t.at, this.text.length)}"`);
    if (t.kind === 'op' && STRUCTURAL_OPS.has(t.text))
      this.fail('unsupported', t, `structural operator "${t.text}"`);
  }

  // --- spansets ----------------------------------------------------------------------------

  private spansetExpr(): SpansetExpr {
    let acc = this.spansetTerm();
    let open: Extract<SpansetExpr, { items: SpansetExpr[] }> | undefined;
    for (;;) {
      const t = this.peek();
      if (!this.isOp(t, '&&') && !this.isOp(t, '||')) return acc;
      this.p++;
      acc = open = chain(t.text === '&&' ? 'spansetAnd' : 'spansetOr', acc, this.spansetTerm(), open);
    }
  }

  private spansetTerm(): SpansetExpr {
    const t = this.peek();
    if (this.isPunct(t, '(')) {
      this.p++;
      this.enter(t);
      const inner = this.spansetExpr();
      const u = this.peek();
      if (!this.isPunct(u, ')')) this.refuseAfterSpanset(u);
      this.expectPunct(')', t);
      this.depth--;
      return inner;
    }
    if (this.isPunct(t, '{')) {
      this.p++;
      if (this.isPunct(this.peek(), '}')) {
        this.p++;
        return { kind: 'filter', expr: { kind: 'const', value: true } };
      }
      const expr = this.toCondition(this.condition());
      this.expectPunct('}', t);
      return { kind: 'filter', expr };
    }
    if (t.kind === 'number' || t.kind === 'duration' || this.isOp(t, '-'))
      this.fail('unsupported', t, `metrics arithmetic "${this.excerpt(t.at, this.text.length)}"`);
    if (t.kind === 'word' && PIPELINE_WORDS.has(t.text))
      this.fail('unsupported', t, `aggregate "${t.text}" outside a spanset filter`);
    this.fail('syntax', t, `expected a spanset filter such as { name = "GET" }, found ${this.describe(t)}`);
  }

  // --- conditions --------------------------------------------------------------------------

  /** comparison (('&&' | '||') comparison)*; a single comparison comes back as it is. */
  private condition(): Operand {
    const first = this.comparison();
    let t = this.peek();
    if (!this.isOp(t, '&&') && !this.isOp(t, '||')) return first;
    let acc = this.toCondition(first);
    let open: Extract<FieldExpr, { items: FieldExpr[] }> | undefined;
    let end = first.end;
    while (this.isOp(t, '&&') || this.isOp(t, '||')) {
      this.p++;
      const right = this.comparison();
      acc = open = chain(t.text === '&&' ? 'and' : 'or', acc, this.toCondition(right), open);
      end = right.end;
      t = this.peek();
    }
    return { t: 'cond', expr: acc, at: first.at, end };
  }

  private refuseArithmetic(t: Token): void {
    if (t.kind === 'op' && ARITHMETIC_OPS.has(t.text)) this.fail('unsupported', t, `arithmetic "${t.text}"`);
  }

  private comparison(): Operand {
    const left = this.unary();
    const op = this.peek();
    this.refuseArithmetic(op);
    if (op.kind !== 'op' || !COMPARISON_OPS.has(op.text)) return left;
    this.p++;
    const right = this.unary();
    const after = this.peek();
    this.refuseArithmetic(after);
    if (after.kind === 'op' && COMPARISON_OPS.has(after.text))
      this.fail('invalid', after, `"${after.text}" would compare the result of a comparison: group with ( )`);
    return this.compare(left, op, right);
  }

  private unary(): Operand {
    const t = this.peek();
    if (this.isOp(t, '!')) {
      this.p++;
      this.enter(t);
      const inner = this.unary();
      this.depth--;
      return this.negate(t, inner);
    }
    if (this.isOp(t, '-')) {
      this.p++;
      this.enter(t);
      const inner = this.unary();
      this.depth--;
      if (inner.t === 'literal' && (inner.lit.type === 'number' || inner.lit.type === 'duration'))
        return { ...inner, at: t.at, lit: { type: inner.lit.type, value: -inner.lit.value } };
      this.fail('unsupported', t, 'arithmetic "-"');
    }
    return this.primary();
  }

  private negate(bang: Token, inner: Operand): Operand {
    const at = bang.at;
    if (inner.t === 'field') {
      if (inner.field.kind === 'intrinsic')
        this.fail(
          'invalid',
          bang,
          `"!" applies to ${this.excerpt(inner.at, inner.end)} alone: write !(${this.excerpt(inner.at, inner.end)} = ...)`,
        );
      // `!.flag`: the attribute is false (a missing one is not).
      return {
        t: 'cond',
        at,
        end: inner.end,
        expr: { kind: 'compare', field: inner.field, op: '=', value: bool(false) },
      };
    }
    return { t: 'cond', at, end: inner.end, expr: { kind: 'not', expr: this.toCondition(inner) } };
  }

  private primary(): Operand {
    const t = this.peek();
    switch (t.kind) {
      case 'punct':
        if (t.text === '(') {
          this.p++;
          this.enter(t);
          const inner = this.condition();
          this.expectPunct(')', t);
          this.depth--;
          return { ...inner, at: t.at, end: this.tokens[this.p - 1]!.end };
        }
        break;
      case 'string':
        this.p++;
        return { t: 'literal', lit: { type: 'string', value: t.value }, at: t.at, end: t.end };
      case 'number':
      case 'duration':
        this.p++;
        return { t: 'literal', lit: { type: t.kind, value: t.value }, at: t.at, end: t.end };
      case 'attribute':
        this.p++;
        return { t: 'field', field: this.attribute(t), at: t.at, end: t.end };
      case 'word': {
        this.p++;
        const lit = wordLiteral(t.text);
        if (lit) return { t: 'literal', lit, at: t.at, end: t.end };
        const intrinsic = INTRINSIC_NAMES.get(t.text);
        if (intrinsic)
          return { t: 'field', field: { kind: 'intrinsic', name: intrinsic }, at: t.at, end: t.end };
        if (OTHER_INTRINSICS.has(t.text)) this.fail('unsupported', t, `intrinsic "${t.text}"`);
        if (PIPELINE_WORDS.has(t.text))
          this.fail('unsupported', t, `aggregate "${t.text}" inside a spanset filter`);
        const next = this.tokens[this.p]!;
        const hint =
          next.kind === 'attribute' && next.scope === '' && next.at === t.end
            ? `; attributes are written .${t.text}${next.text}, span.${t.text}${next.text} or resource.${t.text}${next.text}`
            : '';
        this.fail('syntax', t, `unknown identifier "${t.text}"${hint}`);
      }
    }
    this.fail('syntax', t, `expected a field or a value, found ${this.describe(t)}`);
  }

  private attribute(t: Extract<Token, { kind: 'attribute' }>): Field {
    if (t.name === '') this.fail('syntax', t, `expected an attribute name after "${t.text}"`);
    if (t.scope === '') return { kind: 'attribute', scope: 'any', name: t.name };
    if (t.scope === 'span' || t.scope === 'resource')
      return { kind: 'attribute', scope: t.scope, name: t.name };
    if (t.scope === 'parent') this.fail('unsupported', t, `parent attribute "${t.text}"`);
    this.fail('unsupported', t, `${t.scope}-scoped attribute "${t.text}"`);
  }

  /** Turns an operand into a condition where `&&`, `||`, `!` or the braces need one. */
  private toCondition(o: Operand): FieldExpr {
    if (o.t === 'cond') return o.expr;
    if (o.t === 'field') {
      if (o.field.kind === 'intrinsic')
        this.fail(
          'invalid',
          o.at,
          `${this.excerpt(o.at, o.end)} is not a condition: compare it, as in ${this.excerpt(o.at, o.end)} = ...`,
        );
      return { kind: 'compare', field: o.field, op: '=', value: bool(true) };
    }
    if (o.lit.type === 'bool') return { kind: 'const', value: o.lit.value };
    this.fail('invalid', o.at, `${this.excerpt(o.at, o.end)} is not a condition`);
  }

  private compare(left: Operand, opToken: Token, right: Operand): Operand {
    const op = opToken.text as ComparisonOp;
    const at = left.at;
    const end = right.end;
    if (left.t === 'cond' || right.t === 'cond')
      this.fail(
        'invalid',
        opToken,
        `"${op}" compares a condition: to negate a comparison write !( ... ), to group one ( ... )`,
      );
    if (left.t === 'field' && right.t === 'field')
      this.fail('unsupported', opToken, `comparison of two fields "${this.excerpt(at, end)}"`);
    this.checkTypes(opToken, left, right);
    if (left.t === 'literal' && right.t === 'literal') {
      // Tempo folds `nil = nil` and `nil != nil` to false; `nil` on the left tests the right.
      const value =
        left.lit.type !== 'nil'
          ? compareLiteral(literalValue(left.lit), op, right.lit)
          : right.lit.type !== 'nil' && compareLiteral(literalValue(right.lit), FLIP[op], left.lit);
      return { t: 'cond', at, end, expr: { kind: 'const', value } };
    }
    if (left.t === 'field' && right.t === 'literal')
      return { t: 'cond', at, end, expr: { kind: 'compare', field: left.field, op, value: right.lit } };
    if (left.t === 'literal' && right.t === 'field') {
      if (op === '=~' || op === '!~')
        this.fail(
          'unsupported',
          opToken,
          `a regular expression taken from ${this.excerpt(right.at, right.end)}`,
        );
      return {
        t: 'cond',
        at,
        end,
        expr: { kind: 'compare', field: right.field, op: FLIP[op], value: left.lit },
      };
    }
    throw new Error('unreachable');
  }

  /**
   * Tempo's type rules for a comparison: both sides of one type (numbers and durations mix; an
   * attribute's type is known only at run time), an operator that applies to it, no `= nil` on
   * what always exists, and a regular expression that compiles.
   */
  private checkTypes(opToken: Token, left: Operand, right: Operand): void {
    const op = opToken.text as ComparisonOp;
    const lt = operandType(left);
    const rt = operandType(right);
    const both = `${this.excerpt(left.at, left.end)} ${op} ${this.excerpt(right.at, right.end)}`;
    if (lt !== 'attribute' && rt !== 'attribute' && lt !== 'nil' && rt !== 'nil' && lt !== rt)
      this.fail('invalid', opToken, `"${op}" compares ${TYPE_NAMES[lt]} with ${TYPE_NAMES[rt]}: ${both}`);
    for (const t of [lt, rt])
      if (!OPS_OF_TYPE[t].has(op))
        this.fail('invalid', opToken, `"${op}" does not apply to ${TYPE_NAMES[t]}: ${both}`);
    if (op === '=' && (lt === 'nil' || rt === 'nil')) {
      const other = lt === 'nil' ? right : left;
      if (other.t === 'field' && other.field.kind === 'intrinsic')
        this.fail('invalid', opToken, `${both} is never true: intrinsics always exist`);
      if (
        other.t === 'field' &&
        other.field.kind === 'attribute' &&
        other.field.scope === 'resource' &&
        other.field.name === 'service.name'
      )
        this.fail('invalid', opToken, `${both} is never true: every span has resource.service.name`);
    }
    if ((op === '=~' || op === '!~') && right.t === 'literal' && right.lit.type === 'string') {
      try {
        traceqlRegExp(right.lit.value);
      } catch (err) {
        this.fail('invalid', right.at, err instanceof Error ? err.message : String(err));
      }
    }
  }
}

/** The type of a comparison operand, as Tempo's validation sees it. */
type OperandType = 'string' | 'number' | 'bool' | 'status' | 'kind' | 'nil' | 'attribute';

const TYPE_NAMES: Readonly<Record<OperandType, string>> = {
  string: 'a string',
  number: 'a number',
  bool: 'a boolean',
  status: 'a status',
  kind: 'a kind',
  nil: 'nil',
  attribute: 'an attribute',
};

const EQUALITY: ReadonlySet<string> = new Set(['=', '!=']);
const ORDERING: ReadonlySet<string> = new Set(['=', '!=', '>', '>=', '<', '<=']);
const OPS_OF_TYPE: Readonly<Record<OperandType, ReadonlySet<string>>> = {
  string: COMPARISON_OPS,
  number: ORDERING,
  bool: EQUALITY,
  status: EQUALITY,
  kind: EQUALITY,
  nil: EQUALITY,
  attribute: COMPARISON_OPS,
};

const INTRINSIC_TYPES: Readonly<Record<Intrinsic, OperandType>> = {
  name: 'string',
  statusMessage: 'string',
  rootName: 'string',
  rootServiceName: 'string',
  status: 'status',
  kind: 'kind',
  duration: 'number',
  traceDuration: 'number',
};

function operandType(o: Operand): OperandType {
  if (o.t === 'field') return o.field.kind === 'intrinsic' ? INTRINSIC_TYPES[o.field.name] : 'attribute';
  if (o.t === 'literal') return o.lit.type === 'duration' ? 'number' : o.lit.type;
  return 'bool';
}

function bool(value: boolean): Literal {
  return { type: 'bool', value };
}

/** The literal a keyword stands for, if any. */
function wordLiteral(word: string): Literal | undefined {
  if (word === 'true' || word === 'false') return bool(word === 'true');
  if (word === 'nil') return { type: 'nil' };
  if ((STATUS_WORDS as readonly string[]).includes(word))
    return { type: 'status', value: word as StatusWord };
  if ((KIND_WORDS as readonly string[]).includes(word)) return { type: 'kind', value: word as KindWord };
  if (word === 'minInt') return { type: 'number', value: Number.MIN_SAFE_INTEGER };
  if (word === 'maxInt') return { type: 'number', value: Number.MAX_SAFE_INTEGER };
  return undefined;
}

/** A literal as the value a field would hold (status and kind as their words). */
function literalValue(lit: Literal): FieldValue {
  return lit.type === 'nil' ? undefined : lit.value;
}

/** Parses a TraceQL query of the supported subset; throws `TraceQLError` naming the position. */
export function parse(text: string): Query {
  return new Parser(text).parseQuery();
}

/** The outcome of `checkSupported`: the parsed query, or what a Tempo-like server answers. */
export type SupportCheck =
  { ok: true; query: Query } | { ok: false; status: 400; message: string; error: TraceQLError };

/**
 * Whether a query is inside the subset this engine evaluates, as a server answers it: a 400 with
 * `invalid TraceQL query: unsupported at 14: pipeline "| count() > 1"` (the wording of Tempo's
 * answer to a query it cannot parse), or the parsed query.
 */
export function checkSupported(text: string): SupportCheck {
  try {
    return { ok: true, query: parse(text) };
  } catch (err) {
    if (!(err instanceof TraceQLError)) throw err;
    return { ok: false, status: 400, message: `invalid TraceQL query: ${err.message}`, error: err };
  }
}
