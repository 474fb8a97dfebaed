/**
 * A necessary condition of a TraceQL filter, read straight off a segment's typed arrays: span
 * names and services compared by string ID, status, kind and duration by number, span and
 * resource attributes by key ID. It never decides a match (the engine does); it only skips spans
 * that cannot match, so a search over a million spans does not run the engine's closures on each.
 *
 * `false`: no span of the segment can match (a literal the segment has never seen). `true`: no
 * cheap condition (every span goes to the engine). A function: spans for which it is false
 * cannot match.
 */
import { ATTR_DOUBLE, ATTR_INT, ATTR_STR } from '../otlp/batch';
import { KIND_WORDS, STATUS_WORDS, type ComparisonOp, type FieldExpr } from '../traceql';
import { MAX_INDEXED_VALUE, type SegmentIndex } from './segmentIndex';

/** A necessary condition on span `s` of a segment. */
export type Prefilter = ((s: number) => boolean) | boolean;

function ordered(a: number, op: ComparisonOp, b: number): boolean {
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
      return true;
  }
}

/** Whether span `s` has attribute key `keyId` with a value for which `test(type, val)` holds. */
function spanAttr(
  x: SegmentIndex,
  keyId: number,
  test: (type: number, val: number) => boolean,
): (s: number) => boolean {
  const keys = x.attrs.key.data;
  const types = x.attrs.type.data;
  const vals = x.attrs.val.data;
  const ends = x.attrEnd.data;
  return (s) => {
    const end = ends[s]!;
    for (let k = s === 0 ? 0 : ends[s - 1]!; k < end; k++)
      if (keys[k] === keyId && test(types[k]!, vals[k]!)) return true;
    return false;
  };
}

/** The same for the attributes of span `s`'s resource (answers cached per resource). */
function resourceAttr(
  x: SegmentIndex,
  keyId: number,
  test: (type: number, val: number) => boolean,
): (s: number) => boolean {
  const r = x.scopes;
  const keys = r.resAttrs.key.data;
  const types = r.resAttrs.type.data;
  const vals = r.resAttrs.val.data;
  const ends = r.resAttrEnd.data;
  const byResource = new Int8Array(r.resOff.length);
  for (let res = 0; res < byResource.length; res++) {
    const end = ends[res]!;
    for (let k = res === 0 ? 0 : ends[res - 1]!; k < end; k++)
      if (keys[k] === keyId && test(types[k]!, vals[k]!)) byResource[res] = 1;
  }
  const scopeRes = r.scopeResource.data;
  const scope = x.scope.data;
  return (s) => byResource[scopeRes[scope[s]!]!] === 1;
}

/** The necessary condition of `expr` on the spans of segment `x`. */
export function prefilter(expr: FieldExpr, x: SegmentIndex): Prefilter {
  switch (expr.kind) {
    case 'const':
      return expr.value;
    case 'not':
      return true;
    case 'and': {
      const parts: ((s: number) => boolean)[] = [];
      for (const item of expr.items) {
        const p = prefilter(item, x);
        if (p === false) return false;
        if (p !== true) parts.push(p);
      }
      if (parts.length === 0) return true;
      if (parts.length === 1) return parts[0]!;
      return (s) => {
        for (const p of parts) if (!p(s)) return false;
        return true;
      };
    }
    case 'or': {
      const parts: ((s: number) => boolean)[] = [];
      for (const item of expr.items) {
        const p = prefilter(item, x);
        if (p === true) return true;
        if (p !== false) parts.push(p);
      }
      if (parts.length === 0) return false;
      return (s) => {
        for (const p of parts) if (p(s)) return true;
        return false;
      };
    }
    case 'compare':
      return compare(expr, x);
  }
}

function compare(expr: Extract<FieldExpr, { kind: 'compare' }>, x: SegmentIndex): Prefilter {
  const { field, op, value: lit } = expr;
  if (lit.type === 'nil') return true;
  if (field.kind === 'intrinsic') {
    switch (field.name) {
      case 'name': {
        if (lit.type !== 'string') return op === '=~' || op === '!~' ? true : false;
        if (op !== '=' && op !== '!=') return true;
        const id = x.strings.lookup(lit.value);
        const names = x.name.data;
        if (op === '=') return id < 0 ? false : (s) => names[s] === id;
        return id < 0 ? true : (s) => names[s] !== id;
      }
      case 'status':
      case 'kind': {
        if (lit.type !== field.name) return true; // e.g. a string: the engine compares the words
        const words: readonly string[] = field.name === 'status' ? STATUS_WORDS : KIND_WORDS;
        const want = words.indexOf(lit.value);
        const col = field.name === 'status' ? x.status.data : x.kind.data;
        return (s) => ordered(col[s]!, op, want);
      }
      case 'duration': {
        if (lit.type !== 'duration' && lit.type !== 'number') return false;
        if (op === '=~' || op === '!~') return false;
        const dur = x.duration.data;
        const v = lit.value;
        return (s) => ordered(dur[s]!, op, v);
      }
      default:
        return true;
    }
  }
  const keyId = x.strings.lookup(field.name);
  if (keyId < 0) return false; // no span or resource of this segment has the key
  let test: ((type: number, val: number) => boolean) | undefined;
  if (lit.type === 'string' && op === '=' && Buffer.byteLength(lit.value) <= MAX_INDEXED_VALUE) {
    const id = x.strings.lookup(lit.value);
    if (id < 0) return false;
    test = (type, val) => type === ATTR_STR && val === id;
  } else if ((lit.type === 'number' || lit.type === 'duration') && op !== '=~' && op !== '!~') {
    const v = lit.value;
    const nums = x.attrs.num.data;
    const resNums = x.scopes.resAttrs.num.data;
    // Span and resource attributes keep their numbers in separate columns.
    const spanTest = (type: number, val: number) =>
      (type === ATTR_INT || type === ATTR_DOUBLE) && ordered(nums[val]!, op, v);
    const resTest = (type: number, val: number) =>
      (type === ATTR_INT || type === ATTR_DOUBLE) && ordered(resNums[val]!, op, v);
    return attrCondition(x, field.scope, keyId, spanTest, resTest);
  }
  if (!test) {
    // Any value of the key: the span (or its resource) must at least have it.
    return attrCondition(
      x,
      field.scope,
      keyId,
      () => true,
      () => true,
    );
  }
  return attrCondition(x, field.scope, keyId, test, test);
}

function attrCondition(
  x: SegmentIndex,
  scope: 'span' | 'resource' | 'any',
  keyId: number,
  spanTest: (type: number, val: number) => boolean,
  resTest: (type: number, val: number) => boolean,
): Prefilter {
  if (scope === 'span') return spanAttr(x, keyId, spanTest);
  if (scope === 'resource') return resourceAttr(x, keyId, resTest);
  // `.x`: the span's value when it has the key, else its resource's; either can satisfy it.
  const a = spanAttr(x, keyId, spanTest);
  const b = resourceAttr(x, keyId, resTest);
  return (s) => a(s) || b(s);
}
