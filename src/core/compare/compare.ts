/**
 * Trace comparison: why was run B slower (or faster) than run A? Spans of both traces are matched
 * by their operation path (service and span name of every span from the root down to them), so
 * `process item` under `POST /batches` in A lines up with the same operation in B however many
 * times each ran. Per operation: span count, summed duration and summed self time in A and in B,
 * and the differences; operations only one trace has are `added` (B only) or `missing` (A only).
 *
 * Pure and columnar: one pass per trace over the typed-array columns, operation paths interned
 * as integers, so two 10k-span traces compare in a few milliseconds. The agent tools and the
 * trace panel's compare view both use it.
 */
import type { TraceModel } from '../../shared/model';
import type { OperationComparison } from '../../shared/protocol';
import { analyze } from '../analysis';

/** One step of an operation path. */
export interface OperationStep {
  service: string;
  name: string;
}

/** Whether an operation ran in both traces or in one only. */
export type OperationChange = OperationComparison['change'];

/**
 * The figures of one operation (path) in A and B, durations in nanoseconds: the panel's wire type
 * (`OperationComparison` in the protocol), so the comparison posts to the webview as computed.
 */
export type OperationDiff = OperationComparison;

/** Header facts of one side. */
export interface ComparedTrace {
  traceId: string;
  durationNs: number;
  spanCount: number;
  rootService: string;
  rootName: string;
}

/** What to sort the operations by (largest absolute difference first). */
export type CompareSort = 'self' | 'duration';

/** The comparison of trace A (the reference) with trace B. */
export interface TraceComparison {
  a: ComparedTrace;
  b: ComparedTrace;
  /** Every operation of either trace, largest absolute difference first. */
  operations: OperationDiff[];
  /** Operations only B has. */
  added: number;
  /** Operations only A has. */
  missing: number;
  /** For each span of A (depth-first index), its operation's index in `operations`. */
  operationOfA: Int32Array;
  /** For each span of B, its operation's index in `operations` (for delta badges on B's waterfall). */
  operationOfB: Int32Array;
}

/** Options of `compareTraces`. */
export interface CompareOptions {
  /** Default `self`: self time shows where time went; summed durations count a slow child in every ancestor. */
  sort?: CompareSort;
}

/** Service and span name of each operation from the root down to `operations[index]`. */
export function operationPath(
  comparison: Pick<TraceComparison, 'operations'>,
  index: number,
): OperationStep[] {
  const out: OperationStep[] = [];
  for (let i = index; i >= 0;) {
    const op = comparison.operations[i];
    if (!op) break;
    out.push({ service: op.service, name: op.name });
    i = op.parent;
  }
  return out.reverse();
}

function side(model: TraceModel): ComparedTrace {
  const c = model.columns;
  const has = model.spanCount > 0;
  return {
    traceId: model.traceId,
    durationNs: model.durationNs,
    spanCount: model.spanCount,
    rootService: has ? (model.services[c.service[0]!] ?? '') : '',
    rootName: has ? (model.strings[c.name[0]!] ?? '') : '',
  };
}

/**
 * Interns operation paths of both traces as integers: (parent path, service, name) → id, with
 * service and span names interned once per distinct string, so no key string is built per span.
 */
class PathTable {
  private readonly strings = new Map<string, number>();
  private readonly text: string[] = [];
  private readonly ids = new Map<number, Map<number, number>>();
  readonly parent: number[] = [];
  readonly service: string[] = [];
  readonly name: string[] = [];

  /** A number for `s`, the same for equal strings of either trace. */
  intern(s: string): number {
    let id = this.strings.get(s);
    if (id === undefined) {
      id = this.text.length;
      this.strings.set(s, id);
      this.text.push(s);
    }
    return id;
  }

  /** The path id of (parent path, interned service, interned name). */
  id(parentPath: number, service: number, name: number): number {
    let byParent = this.ids.get(parentPath);
    if (!byParent) this.ids.set(parentPath, (byParent = new Map()));
    // Both below 2^26 in any trace that fits in memory: the sum is an exact integer.
    const key = service * 0x4000000 + name;
    let id = byParent.get(key);
    if (id === undefined) {
      id = this.parent.length;
      byParent.set(key, id);
      this.parent.push(parentPath);
      this.service.push(this.text[service]!);
      this.name.push(this.text[name]!);
    }
    return id;
  }

  get size(): number {
    return this.parent.length;
  }
}

/** Path id of every span of `model`; parents come before children in the columns. */
function pathsOf(model: TraceModel, table: PathTable): Int32Array {
  const n = model.spanCount;
  const { parent, service, name } = model.columns;
  const services = Int32Array.from(model.services, (s) => table.intern(s));
  const names = new Int32Array(model.strings.length).fill(-1);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    const nameIndex = name[i]!;
    let nm = names[nameIndex] ?? -1;
    if (nm < 0) {
      nm = table.intern(model.strings[nameIndex] ?? '');
      if (nameIndex < names.length) names[nameIndex] = nm;
    }
    const sv = services[service[i]!] ?? table.intern('');
    out[i] = table.id(p >= 0 ? out[p]! : -1, sv, nm);
  }
  return out;
}

/**
 * Compares trace `a` (the reference, e.g. the last good run) with trace `b`. Operations are
 * sorted by the absolute difference in summed self time (or summed duration with
 * `sort: 'duration'`), largest first; ties by path depth, then by name.
 */
export function compareTraces(a: TraceModel, b: TraceModel, options: CompareOptions = {}): TraceComparison {
  const table = new PathTable();
  const pathA = pathsOf(a, table);
  const pathB = pathsOf(b, table);
  const selfA = analyze(a).selfTimeNs;
  const selfB = analyze(b).selfTimeNs;
  const m = table.size;
  const countA = new Float64Array(m);
  const countB = new Float64Array(m);
  const durA = new Float64Array(m);
  const durB = new Float64Array(m);
  const sA = new Float64Array(m);
  const sB = new Float64Array(m);
  for (let i = 0; i < a.spanCount; i++) {
    const k = pathA[i]!;
    countA[k]!++;
    durA[k]! += a.columns.durationNs[i]!;
    sA[k]! += selfA[i]!;
  }
  for (let i = 0; i < b.spanCount; i++) {
    const k = pathB[i]!;
    countB[k]!++;
    durB[k]! += b.columns.durationNs[i]!;
    sB[k]! += selfB[i]!;
  }
  const depth = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const p = table.parent[k]!;
    depth[k] = p >= 0 ? depth[p]! + 1 : 0;
  }
  const bySelf = (options.sort ?? 'self') === 'self';
  const key = new Float64Array(m);
  const tie = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const self = Math.abs(sB[k]! - sA[k]!);
    const dur = Math.abs(durB[k]! - durA[k]!);
    key[k] = bySelf ? self : dur;
    tie[k] = bySelf ? dur : self;
  }
  const names = table.name;
  const order = Array.from({ length: m }, (_, k) => k);
  order.sort(
    (x, y) =>
      key[y]! - key[x]! ||
      tie[y]! - tie[x]! ||
      depth[x]! - depth[y]! ||
      (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : x - y),
  );
  const rank = new Int32Array(m);
  for (let r = 0; r < m; r++) rank[order[r]!] = r;
  let added = 0;
  let missing = 0;
  const operations = order.map((k): OperationDiff => {
    const change: OperationChange = countA[k] === 0 ? 'added' : countB[k] === 0 ? 'missing' : 'both';
    if (change === 'added') added++;
    if (change === 'missing') missing++;
    const p = table.parent[k]!;
    return {
      service: table.service[k]!,
      name: names[k]!,
      parent: p >= 0 ? rank[p]! : -1,
      depth: depth[k]!,
      countA: countA[k]!,
      countB: countB[k]!,
      durationA: durA[k]!,
      durationB: durB[k]!,
      selfA: sA[k]!,
      selfB: sB[k]!,
      durationDelta: durB[k]! - durA[k]!,
      selfDelta: sB[k]! - sA[k]!,
      change,
    };
  });
  const operationOfA = new Int32Array(a.spanCount);
  for (let i = 0; i < a.spanCount; i++) operationOfA[i] = rank[pathA[i]!]!;
  const operationOfB = new Int32Array(b.spanCount);
  for (let i = 0; i < b.spanCount; i++) operationOfB[i] = rank[pathB[i]!]!;
  return { a: side(a), b: side(b), operations, added, missing, operationOfA, operationOfB };
}
