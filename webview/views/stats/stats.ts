/**
 * Trace statistics: per service, or per operation (service and span name), the number of spans,
 * their summed duration and self time, average, exact p50 and p95 (nearest rank, read from the
 * spans' own durations), the longest and the errors. Pure and columnar: one pass to group spans,
 * a counting sort to lay each group's durations out side by side, one typed-array sort per group,
 * so 100k spans take a few milliseconds. No DOM: tested in Node.
 */
import { SpanFlag, StatusCode, type TraceColumns } from '../../../src/shared/model';

/** What the rows group spans by. */
export type StatsGrouping = 'operation' | 'service';

/** The columns of the statistics table, in display order. */
export const STATS_COLUMNS = [
  'service',
  'name',
  'count',
  'totalNs',
  'selfNs',
  'avgNs',
  'p50Ns',
  'p95Ns',
  'maxNs',
  'errors',
] as const;

/** A column to sort by. */
export type StatsColumn = (typeof STATS_COLUMNS)[number];

/** One row: a service, or an operation of a service. Durations in nanoseconds. */
export interface StatsRow {
  /** Index into the trace's services. */
  service: number;
  /** Index into the trace's strings of the span name; -1 in a per-service row. */
  name: number;
  count: number;
  totalNs: number;
  selfNs: number;
  avgNs: number;
  p50Ns: number;
  p95Ns: number;
  maxNs: number;
  errors: number;
}

/** What the statistics read of a trace. */
export interface StatsInput {
  n: number;
  c: Pick<TraceColumns, 'service' | 'name' | 'durationNs' | 'flags' | 'status'>;
  selfTimeNs: Float64Array;
}

/** The nearest-rank percentile `p` (0–100) of ascending `sorted[from, to)`. */
export function nearestRank(sorted: Float64Array, from: number, to: number, p: number): number {
  const count = to - from;
  if (count <= 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * count));
  return sorted[from + rank - 1]!;
}

/** The group of each span and the number of groups (groups numbered in order of first span). */
export function groupSpans(t: StatsInput, by: StatsGrouping): { group: Int32Array; groups: number } {
  const { service, name } = t.c;
  const group = new Int32Array(t.n);
  const ids = new Map<number, number>();
  for (let i = 0; i < t.n; i++) {
    // Service indexes are below 2^16 (a Uint16Array), so the key is an exact integer.
    const key = by === 'service' ? service[i]! : name[i]! * 65536 + service[i]!;
    let g = ids.get(key);
    if (g === undefined) ids.set(key, (g = ids.size));
    group[i] = g;
  }
  return { group, groups: ids.size };
}

/** Statistics of trace `t`, one row per group, in order of each group's first span. */
export function computeStats(t: StatsInput, by: StatsGrouping): StatsRow[] {
  const { durationNs, flags, status, service, name } = t.c;
  const { group, groups } = groupSpans(t, by);
  // Counting sort of the durations by group: group g's durations sit in [start[g], start[g+1]).
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < t.n; i++) start[group[i]! + 1]!++;
  for (let g = 0; g < groups; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, groups);
  const sorted = new Float64Array(t.n);
  const rows: StatsRow[] = [];
  const total = new Float64Array(groups);
  const self = new Float64Array(groups);
  const errors = new Int32Array(groups);
  const first = new Int32Array(groups);
  for (let i = t.n - 1; i >= 0; i--) first[group[i]!] = i;
  for (let i = 0; i < t.n; i++) {
    const g = group[i]!;
    const d = durationNs[i]!;
    sorted[fill[g]!++] = d;
    total[g]! += d;
    self[g]! += t.selfTimeNs[i] ?? 0;
    if ((flags[i]! & SpanFlag.Error) !== 0 || status[i] === StatusCode.Error) errors[g]!++;
  }
  for (let g = 0; g < groups; g++) {
    const a = start[g]!;
    const b = start[g + 1]!;
    const slice = sorted.subarray(a, b);
    slice.sort();
    const i = first[g]!;
    rows.push({
      service: service[i]!,
      name: by === 'service' ? -1 : name[i]!,
      count: b - a,
      totalNs: total[g]!,
      selfNs: self[g]!,
      avgNs: total[g]! / (b - a),
      p50Ns: nearestRank(sorted, a, b, 50),
      p95Ns: nearestRank(sorted, a, b, 95),
      maxNs: sorted[b - 1]!,
      errors: errors[g]!,
    });
  }
  return rows;
}

/**
 * Sorts `rows` in place by `column` (`desc`: largest first); text columns compare the names
 * (`strings`, `services`), ties keep the larger self time first, then the first-seen order.
 */
export function sortStats(
  rows: StatsRow[],
  column: StatsColumn,
  desc: boolean,
  strings: readonly string[],
  services: readonly string[],
): StatsRow[] {
  const sign = desc ? -1 : 1;
  const text = (r: StatsRow) =>
    column === 'service' ? (services[r.service] ?? '') : r.name < 0 ? '' : (strings[r.name] ?? '');
  const indexed = rows.map((r, k) => ({ r, k }));
  indexed.sort((x, y) => {
    let d: number;
    if (column === 'service' || column === 'name') {
      const a = text(x.r);
      const b = text(y.r);
      d = a < b ? -1 : a > b ? 1 : 0;
    } else d = x.r[column] - y.r[column];
    return sign * d || y.r.selfNs - x.r.selfNs || x.k - y.k;
  });
  indexed.forEach(({ r }, k) => (rows[k] = r));
  return rows;
}

/** 1 for each span of `row`'s group (its service, or its service and span name). */
export function spansOfRow(t: StatsInput, row: Pick<StatsRow, 'service' | 'name'>): Uint8Array {
  const { service, name } = t.c;
  const mask = new Uint8Array(t.n);
  for (let i = 0; i < t.n; i++) {
    if (service[i] === row.service && (row.name < 0 || name[i] === row.name)) mask[i] = 1;
  }
  return mask;
}
