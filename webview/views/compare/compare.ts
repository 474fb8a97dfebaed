/**
 * The comparison as the views read it: per span of trace B, how its operation changed from trace
 * A (the delta badges of B's waterfall), and the rows of the comparison table. Pure: no DOM.
 */
import type { OperationComparison, WireComparison } from '../../../src/shared/protocol';
import { formatDuration } from '../../format';
import type { RowBadge } from '../waterfall/waterfall';
import { S } from '../../l10n';

/** A change of an operation's average duration below either of these is noise: no badge. */
const MIN_DELTA_NS = 100_000;
const MIN_DELTA_SHARE = 0.05;

/** Average duration of the operation's spans in A and in B (0 where it has none). */
export function averages(op: OperationComparison): { a: number; b: number } {
  return {
    a: op.countA > 0 ? op.durationA / op.countA : 0,
    b: op.countB > 0 ? op.durationB / op.countB : 0,
  };
}

/** `+12 ms` / `−3 ms`: a signed duration. */
export function signedDuration(ns: number): string {
  if (ns === 0) return '±0';
  return `${ns > 0 ? '+' : '−'}${formatDuration(Math.abs(ns))}`;
}

/**
 * The badge of span `span` of trace B: `new` for an operation A does not have, else the change
 * of its operation's average duration when that is more than noise.
 */
export function deltaBadge(c: WireComparison, span: number): RowBadge | undefined {
  const op = c.operations[c.operationOfB[span] ?? -1];
  if (!op) return undefined;
  if (op.change === 'added') return { text: S.tagNew, tone: 'added' };
  const { a, b } = averages(op);
  const d = b - a;
  if (Math.abs(d) < MIN_DELTA_NS || Math.abs(d) < MIN_DELTA_SHARE * a) return undefined;
  return { text: signedDuration(d), tone: d > 0 ? 'slower' : 'faster' };
}

/** Which operations the table lists. */
export type CompareFilter = 'all' | 'changed' | 'added' | 'missing';

/** Indexes of the operations `filter` keeps, in the comparison's order (largest difference first). */
export function filterOperations(c: WireComparison, filter: CompareFilter): number[] {
  const out: number[] = [];
  c.operations.forEach((op, k) => {
    const keep =
      filter === 'all' ||
      (filter === 'added' && op.change === 'added') ||
      (filter === 'missing' && op.change === 'missing') ||
      (filter === 'changed' && (op.change !== 'both' || op.countA !== op.countB || op.selfDelta !== 0));
    if (keep) out.push(k);
  });
  return out;
}

/** The operation path of operation `k` as "service: name › service: name". */
export function pathLabel(c: WireComparison, k: number): string {
  const parts: string[] = [];
  for (let i = k, guard = 0; i >= 0 && guard < 1000; guard++) {
    const op = c.operations[i];
    if (!op) break;
    parts.unshift(`${op.service}: ${op.name}`);
    i = op.parent;
  }
  return parts.join(' › ');
}

/** 1 for each span of B in operation `k`. */
export function spansOfOperation(c: WireComparison, k: number, n: number): Uint8Array {
  const mask = new Uint8Array(n);
  const of = c.operationOfB;
  for (let i = 0; i < n && i < of.length; i++) if (of[i] === k) mask[i] = 1;
  return mask;
}
