/**
 * Evaluates parsed TraceQL as Tempo does: a spanset filter `{ ... }` selects the spans of a
 * trace for which its condition holds; `A && B` keeps the spans of both when neither is empty,
 * `A || B` the spans of either; a trace matches when its spanset is not empty.
 *
 * Comparisons are strict about types (Tempo's rule): a string never equals a number, a field a
 * span does not have fails every operator (`= nil` / `!= nil` test presence), `status` and `kind`
 * compare with their words (`status = error`), `duration` with durations or nanoseconds.
 *
 * The evaluator reads spans through a `SpanAccessor`, so any span representation works: the
 * columnar `TraceModel` (`modelAccessor`), a store's index driving one span at a time, or the fake
 * Tempo's OTLP JSON. A query is compiled once into closures (`compileFilter`, `compileQuery`).
 */
import {
  KIND_WORDS,
  STATUS_WORDS,
  type ComparisonOp,
  type Field,
  type FieldExpr,
  type Literal,
  type Query,
  type SpansetExpr,
} from './ast';
import { traceqlRegExp } from './regex';
import {
  SpanFlag,
  type Attribute,
  type AttributeValue,
  type SpanDetail,
  type SpanKind,
  type StatusCode,
  type TraceModel,
} from '../../shared/model';

/** A field's value on a span: undefined when absent, null when present but not a scalar. */
export type FieldValue = AttributeValue | undefined;

/** How the evaluator reads a span `S` (an index, an object: whatever the caller holds). */
export interface SpanAccessor<S> {
  name(span: S): string;
  status(span: S): StatusCode;
  kind(span: S): SpanKind;
  durationNs(span: S): number;
  /** The status message; undefined or '' when there is none. */
  statusMessage(span: S): string | undefined;
  /** A span attribute (`scope` 'span') or one of its resource's, undefined when absent. */
  attribute(span: S, scope: 'span' | 'resource', key: string): FieldValue;
}

/** The trace-level intrinsics: `rootName`, `rootServiceName`, `traceDuration`. */
export interface TraceFacts {
  /** Undefined when the trace has no root span. */
  rootName: string | undefined;
  rootServiceName: string | undefined;
  durationNs: number;
}

/** A compiled condition on one span of a trace. */
export type SpanPredicate<S> = (span: S, trace: TraceFacts) => boolean;

function ordered<T extends string | number | boolean>(a: T, op: ComparisonOp, b: T): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}

/** The position of a status or kind word in its enumeration, for ordering comparisons. */
function enumIndex(word: string): number {
  const s = (STATUS_WORDS as readonly string[]).indexOf(word);
  return s >= 0 ? s : (KIND_WORDS as readonly string[]).indexOf(word);
}

/**
 * Compares a value with a literal under TraceQL's rules. Status and kind values are their words
 * (`error`, `client`); `enumField` says the value comes from that intrinsic, the only field a
 * status or kind literal can equal.
 */
export function compareLiteral(value: FieldValue, op: ComparisonOp, lit: Literal, enumField = true): boolean {
  if (lit.type === 'nil') return op === '=' ? value === undefined : op === '!=' && value !== undefined;
  if (value === undefined || value === null) return false;
  switch (lit.type) {
    case 'string':
      if (typeof value !== 'string') return false;
      if (op === '=~' || op === '!~') return traceqlRegExp(lit.value).test(value) === (op === '=~');
      return ordered(value, op, lit.value);
    case 'number':
    case 'duration':
      return typeof value === 'number' && ordered(value, op, lit.value);
    case 'bool':
      return typeof value === 'boolean' && ordered(value, op, lit.value);
    case 'status':
    case 'kind':
      return enumField && typeof value === 'string' && ordered(enumIndex(value), op, enumIndex(lit.value));
  }
}

/** A getter for a field's value on a span; status and kind as their words. */
function fieldGetter<S>(field: Field, access: SpanAccessor<S>): (span: S, trace: TraceFacts) => FieldValue {
  if (field.kind === 'attribute') {
    const key = field.name;
    if (field.scope === 'any')
      return (s) => {
        const v = access.attribute(s, 'span', key);
        return v === undefined ? access.attribute(s, 'resource', key) : v;
      };
    const scope = field.scope;
    return (s) => access.attribute(s, scope, key);
  }
  switch (field.name) {
    case 'name':
      return (s) => access.name(s);
    case 'status':
      return (s) => STATUS_WORDS[access.status(s)] ?? 'unset';
    case 'kind':
      return (s) => KIND_WORDS[access.kind(s)] ?? 'unspecified';
    case 'duration':
      return (s) => access.durationNs(s);
    case 'statusMessage':
      return (s) => access.statusMessage(s) ?? '';
    case 'rootName':
      return (_s, t) => t.rootName;
    case 'rootServiceName':
      return (_s, t) => t.rootServiceName;
    case 'traceDuration':
      return (_s, t) => t.durationNs;
  }
}

/** Compiles a condition (what is inside `{ }`) into a predicate over spans read by `access`. */
export function compileFilter<S>(expr: FieldExpr, access: SpanAccessor<S>): SpanPredicate<S> {
  switch (expr.kind) {
    case 'const': {
      const value = expr.value;
      return () => value;
    }
    case 'not': {
      const inner = compileFilter(expr.expr, access);
      return (s, t) => !inner(s, t);
    }
    case 'and': {
      const items = expr.items.map((e) => compileFilter(e, access));
      return (s, t) => items.every((f) => f(s, t));
    }
    case 'or': {
      const items = expr.items.map((e) => compileFilter(e, access));
      return (s, t) => items.some((f) => f(s, t));
    }
    case 'compare': {
      const get = fieldGetter(expr.field, access);
      const { op, value: lit } = expr;
      const f = expr.field;
      const enumField =
        f.kind === 'intrinsic' &&
        ((lit.type === 'status' && f.name === 'status') || (lit.type === 'kind' && f.name === 'kind'));
      if ((lit.type === 'status' || lit.type === 'kind') && !enumField) return () => false;
      if (lit.type === 'string' && (op === '=~' || op === '!~')) {
        const re = traceqlRegExp(lit.value);
        const want = op === '=~';
        return (s, t) => {
          const v = get(s, t);
          return typeof v === 'string' && re.test(v) === want;
        };
      }
      return (s, t) => compareLiteral(get(s, t), op, lit, enumField);
    }
  }
}

/** A compiled query: the indices of the spans its spanset selects, ascending (empty: no match). */
export type CompiledQuery<S> = (spans: readonly S[], trace: TraceFacts) => number[];

/** Compiles a query into a function from a trace's spans to the indices of the selected ones. */
export function compileQuery<S>(query: Query, access: SpanAccessor<S>): CompiledQuery<S> {
  type SetEval = (spans: readonly S[], trace: TraceFacts) => Uint8Array | undefined;
  const compileSet = (node: SpansetExpr): SetEval => {
    if (node.kind === 'filter') {
      const pred = compileFilter(node.expr, access);
      return (spans, trace) => {
        let mask: Uint8Array | undefined;
        for (let i = 0; i < spans.length; i++) {
          if (!pred(spans[i]!, trace)) continue;
          mask ??= new Uint8Array(spans.length);
          mask[i] = 1;
        }
        return mask;
      };
    }
    const items = node.items.map(compileSet);
    const all = node.kind === 'spansetAnd';
    return (spans, trace) => {
      let out: Uint8Array | undefined;
      for (const item of items) {
        const mask = item(spans, trace);
        if (!mask) {
          if (all) return undefined;
          continue;
        }
        if (!out) out = mask;
        else for (let i = 0; i < mask.length; i++) out[i]! |= mask[i]!;
      }
      return out;
    };
  };
  const root = compileSet(query.root);
  return (spans, trace) => {
    const mask = root(spans, trace);
    const out: number[] = [];
    if (mask) for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
    return out;
  };
}

// --- the columnar model --------------------------------------------------------------------

/** A trace in the columnar model with its on-demand span details (what the decoders return). */
export interface ModelTrace {
  model: TraceModel;
  detail(index: number): SpanDetail | undefined;
}

function findAttribute(list: readonly Attribute[] | undefined, key: string): FieldValue {
  if (!list) return undefined;
  for (const a of list) if (a.key === key) return a.value;
  return undefined;
}

/**
 * Reads spans of a decoded trace by depth-first index: intrinsics from the columns, attributes
 * and status messages from the span's details, decoded only when a query asks for them (the last
 * one is kept, as a filter reads several attributes of one span in a row).
 */
export function modelAccessor(trace: ModelTrace): SpanAccessor<number> {
  const { model } = trace;
  const c = model.columns;
  let lastIndex = -1;
  let last: SpanDetail | undefined;
  const detail = (i: number): SpanDetail | undefined => {
    if (i !== lastIndex) {
      last = trace.detail(i);
      lastIndex = i;
    }
    return last;
  };
  return {
    name: (i) => model.strings[c.name[i]!] ?? '',
    status: (i) => c.status[i]! as StatusCode,
    kind: (i) => c.kind[i]! as SpanKind,
    durationNs: (i) => c.durationNs[i]!,
    statusMessage: (i) => detail(i)?.statusMessage,
    attribute: (i, scope, key) => {
      const d = detail(i);
      return findAttribute(scope === 'span' ? d?.attributes : d?.resource, key);
    },
  };
}

/** The trace-level intrinsics of a model: its root is the first span without a parent that is not an orphan. */
export function modelFacts(model: TraceModel): TraceFacts {
  const c = model.columns;
  for (let i = 0; i < model.spanCount; i++) {
    if (c.parent[i] !== -1 || (c.flags[i]! & SpanFlag.Orphan) !== 0) continue;
    return {
      rootName: model.strings[c.name[i]!],
      rootServiceName: model.services[c.service[i]!],
      durationNs: model.durationNs,
    };
  }
  return { rootName: undefined, rootServiceName: undefined, durationNs: model.durationNs };
}

/** The depth-first indices of the spans of a decoded trace that a query selects (empty: no match). */
export function evaluateModel(query: Query, trace: ModelTrace): number[] {
  const n = trace.model.spanCount;
  const indices = Array.from({ length: n }, (_, i) => i);
  return compileQuery(query, modelAccessor(trace))(indices, modelFacts(trace.model));
}

// --- search results --------------------------------------------------------------------------

/**
 * Whether a condition holds for a span of a search result, which carries only some attributes
 * (the ones the query named), keyed without their scope (`code.function`) or with it. Strict: an
 * attribute that is absent fails its test, so a server that ignored the filter (and returned
 * spans without these attributes) yields no matches rather than every span.
 */
export function matchesAttributes(expr: FieldExpr, attributes: readonly Attribute[]): boolean {
  let pred = compiledForResults.get(expr);
  if (!pred) {
    pred = compileFilter(expr, resultAccessor);
    compiledForResults.set(expr, pred);
  }
  return pred(attributes, NO_TRACE);
}

const compiledForResults = new WeakMap<FieldExpr, SpanPredicate<readonly Attribute[]>>();

const NO_TRACE: TraceFacts = { rootName: undefined, rootServiceName: undefined, durationNs: NaN };

/** Intrinsics a search result reports as attributes (`status: "error"`), read back as such. */
const resultAccessor: SpanAccessor<readonly Attribute[]> = {
  name: (a) => stringOr(findAttribute(a, 'name'), ''),
  status: (a) =>
    Math.max(
      0,
      (STATUS_WORDS as readonly string[]).indexOf(stringOr(findAttribute(a, 'status'), '')),
    ) as StatusCode,
  kind: (a) =>
    Math.max(
      0,
      (KIND_WORDS as readonly string[]).indexOf(stringOr(findAttribute(a, 'kind'), '')),
    ) as SpanKind,
  durationNs: () => NaN,
  statusMessage: (a) => stringOr(findAttribute(a, 'statusMessage'), ''),
  attribute: (a, scope, key) => {
    const scoped = `${scope}.${key}`;
    for (const x of a) if (x.key === key || x.key === scoped) return x.value;
    return undefined;
  },
};

function stringOr(v: FieldValue, fallback: string): string {
  return typeof v === 'string' ? v : fallback;
}
