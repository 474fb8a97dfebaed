/**
 * Builds the columnar, depth-first `TraceModel` from raw spans: resolves parents by span ID,
 * breaks cycles, orders siblings by start time, and computes depth, child counts and flags.
 * Everything is iterative (explicit stacks), so a 100k-deep parent chain is fine.
 */
import { SpanFlag, SpanKind, type TraceModel } from '../../shared/model';
import { absoluteNanos, timeRefAt, type RawSpans, type TimeRef } from './raw';
import { placeTimes } from './times';
import { TraceDecodeError } from './types';

/** What a decoder hands to the builder. */
export interface BuildInput {
  raw: RawSpans;
  /** Span names referenced by `raw.name`. */
  names: readonly string[];
  /** Service names referenced by `raw.service`. */
  services: readonly string[];
  traceId: string;
  ref: TimeRef | undefined;
  partial: boolean;
  partialMessage?: string;
  warnings: string[];
}

/** The model plus what detail decoders need to map back to raw spans. */
export interface BuiltTrace {
  model: TraceModel;
  /** Raw (arrival-order) index of the span at each depth-first index. */
  order: Int32Array;
  /** Offset from the time reference of the trace start, to turn event times into offsets. */
  startOffset: number;
  /**
   * Set when the reference was an outlier so far from the trace that offsets lost precision:
   * the decoder should decode again measuring from this reference (its clock seeded with it).
   */
  rebase?: TimeRef;
}

const MAX_DEPTH = 0xffff;
/**
 * SDKs that read `Date.now()` (OpenTelemetry JS) stamp starts in whole milliseconds and ends
 * finer, so a child can seem to end up to 1 ms after its parent in the same process. When both
 * starts lie on the absolute millisecond grid, an overhang under 1 ms is that rounding, not skew
 * (seen on the demo's real telemetry: smtp.send flagged under NotifyNode.send).
 */
const WHOLE_MS_NS = 1e6;
// Enum members read once: in hot loops a cross-module enum access is a property lookup (or,
// under a per-file transpiler such as tsx, a getter call) per use.
const ORPHAN: number = SpanFlag.Orphan;
const CYCLE_BROKEN: number = SpanFlag.CycleBroken;
const NEGATIVE_DURATION: number = SpanFlag.NegativeDuration;
const CLOCK_SKEW: number = SpanFlag.ClockSkew;
const KIND_SERVER: number = SpanKind.Server;
const KIND_CONSUMER: number = SpanKind.Consumer;

/**
 * Indexes 0..n-1 ordered by `keys[i] - base` (non-negative integers below 2^53), ties in index
 * order: a stable LSD radix sort on 16-bit digits, skipping digits that are the same for all.
 * Linear time, where a comparison sort of 1M spans takes about a second.
 */
function sortByKey(keys: Float64Array, n: number, base: number): Int32Array {
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]! - base;
    const h = Math.floor(k / 4294967296);
    hi[i] = h;
    lo[i] = k - h * 4294967296;
  }
  let src = new Int32Array(n);
  for (let i = 0; i < n; i++) src[i] = i;
  let dst = new Int32Array(n);
  const count = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[((words[i]! >>> shift) & 0xffff) + 1]!++;
    if (count[((words[0]! >>> shift) & 0xffff) + 1] === n) continue; // one digit for all
    for (let d = 0; d < 65536; d++) count[d + 1]! += count[d]!;
    for (let k = 0; k < n; k++) {
      const i = src[k]!;
      dst[count[(words[i]! >>> shift) & 0xffff]!++] = i;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

function hashId(hi: number, lo: number): number {
  return Math.imul(hi ^ Math.imul(lo, 0x9e3779b1), 0x85ebca6b) ^ (lo >>> 15);
}

/** True for the callee side of a call, whose children are the local work. */
function isCallee(kind: number): boolean {
  return kind === KIND_SERVER || kind === KIND_CONSUMER;
}

/** Builds the model; `input.raw.count` may be zero (the caller decides whether that is an error). */
export function buildModel(input: BuildInput): BuiltTrace {
  const raw = input.raw;
  const n = raw.count;
  const { idHi, idLo, start: rawStart, end: rawEnd, kind } = raw;
  const warnings = input.warnings;
  const flags = raw.flags.slice(0, n);
  const rebaseAt = placeTimes(raw, warnings);

  // Span ID → first raw index, open addressing; duplicates chained through `nextDup`.
  let size = 16;
  while (size < n * 2) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  const nextDup = new Int32Array(n).fill(-1);
  const lastDup = new Int32Array(n).fill(-1);
  let duplicates = 0;
  for (let i = 0; i < n; i++) {
    const hi = idHi[i]!;
    const lo = idLo[i]!;
    let h = hashId(hi, lo) & mask;
    for (;;) {
      const j = table[h]!;
      if (j < 0) {
        table[h] = i;
        break;
      }
      if (idHi[j] === hi && idLo[j] === lo) {
        const tail = lastDup[j]! >= 0 ? lastDup[j]! : j;
        nextDup[tail] = i;
        lastDup[j] = i;
        duplicates++;
        break;
      }
      h = (h + 1) & mask;
    }
  }
  if (duplicates > 0) {
    warnings.push(
      `${duplicates} span${duplicates === 1 ? ' shares' : 's share'} a span ID with another span; all are shown.`,
    );
  }
  const lookup = (hi: number, lo: number): number => {
    let h = hashId(hi, lo) & mask;
    for (;;) {
      const j = table[h]!;
      if (j < 0 || (idHi[j] === hi && idLo[j] === lo)) return j;
      h = (h + 1) & mask;
    }
  };

  // Parents. With duplicate IDs (Zipkin client and server sharing one), prefer the callee side.
  const parent = new Int32Array(n).fill(-1);
  let orphans = 0;
  let selfParents = 0;
  for (let i = 0; i < n; i++) {
    if (!raw.hasParent[i]) continue;
    const ph = raw.parentHi[i]!;
    const pl = raw.parentLo[i]!;
    if (ph === 0 && pl === 0) continue;
    const head = lookup(ph, pl);
    if (head < 0) {
      flags[i]! |= ORPHAN;
      orphans++;
      continue;
    }
    let best = -1;
    for (let j = head; j >= 0; j = nextDup[j]!) {
      if (j === i) continue;
      if (best < 0 || (isCallee(kind[j]!) && !isCallee(kind[best]!))) best = j;
    }
    if (best < 0) {
      // Its own parent: a cycle of one.
      flags[i]! |= CYCLE_BROKEN;
      selfParents++;
    } else parent[i] = best;
  }
  if (orphans > 0) {
    warnings.push(
      `${orphans} span${orphans === 1 ? '' : 's'} name${orphans === 1 ? 's a parent' : ' parents'} missing from the trace; shown as roots.`,
    );
  }

  // Cycles: walk each parent chain once; a chain that meets itself is cut at its earliest span.
  const state = new Uint8Array(n);
  const stack = new Int32Array(n);
  let cycles = selfParents;
  for (let s = 0; s < n; s++) {
    if (state[s]) continue;
    let top = 0;
    let v = s;
    while (v >= 0 && state[v] === 0) {
      state[v] = 1;
      stack[top++] = v;
      v = parent[v]!;
    }
    if (v >= 0 && state[v] === 1) {
      let k = top - 1;
      while (stack[k] !== v) k--;
      let pick = stack[k]!;
      for (let m = k + 1; m < top; m++) {
        const c = stack[m]!;
        if (rawStart[c]! < rawStart[pick]! || (rawStart[c] === rawStart[pick] && c < pick)) pick = c;
      }
      parent[pick] = -1;
      flags[pick]! |= CYCLE_BROKEN;
      cycles++;
    }
    for (let m = 0; m < top; m++) state[stack[m]!] = 2;
  }
  if (cycles > 0)
    warnings.push(`The parent links formed ${cycles} cycle${cycles === 1 ? '' : 's'}; each was cut.`);

  // Arrival order sorted by start time (ties: arrival), so children land in start order.
  let minStart = Infinity;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const st = rawStart[i]!;
    if (st < minStart) minStart = st;
    if (i > 0 && st < rawStart[i - 1]!) ordered = false;
  }
  let sorted: Int32Array;
  if (ordered) {
    sorted = new Int32Array(n);
    for (let i = 0; i < n; i++) sorted[i] = i;
  } else if (Number.isFinite(minStart)) {
    sorted = sortByKey(rawStart, n, minStart);
  } else {
    sorted = new Int32Array(n);
    for (let i = 0; i < n; i++) sorted[i] = i;
    sorted.sort((a, b) => rawStart[a]! - rawStart[b]! || a - b);
  }

  // Children in compressed rows: childStart[p] .. childStart[p + 1].
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parent[i]!;
    if (p >= 0) childStart[p + 1]!++;
  }
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, childStart[n]!));
  const roots: number[] = [];
  const strayRoots: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = sorted[k]!;
    const p = parent[i]!;
    if (p >= 0) children[fill[p]!++] = i;
    else if (flags[i]! & (ORPHAN | CYCLE_BROKEN)) strayRoots.push(i);
    else roots.push(i);
  }
  // Real roots first, so index 0 is the trace's root whenever it has one.
  for (const r of strayRoots) roots.push(r);

  // Depth-first order with an explicit stack.
  const order = new Int32Array(n);
  const rawToDfs = new Int32Array(n);
  const cParent = new Int32Array(n);
  const cDepth = new Uint16Array(n);
  const trueDepth = new Int32Array(n);
  const cChildCount = new Uint32Array(n);
  let sp = 0;
  for (let r = roots.length - 1; r >= 0; r--) stack[sp++] = roots[r]!;
  let k = 0;
  let deepest = 0;
  while (sp > 0) {
    const i = stack[--sp]!;
    order[k] = i;
    rawToDfs[i] = k;
    const p = parent[i]!;
    if (p >= 0) {
      const pd = rawToDfs[p]!;
      cParent[k] = pd;
      const d = trueDepth[pd]! + 1;
      trueDepth[k] = d;
      if (d > deepest) deepest = d;
      cDepth[k] = d > MAX_DEPTH ? MAX_DEPTH : d;
    } else {
      cParent[k] = -1;
    }
    const c0 = childStart[i]!;
    const c1 = childStart[i + 1]!;
    cChildCount[k] = c1 - c0;
    for (let c = c1 - 1; c >= c0; c--) stack[sp++] = children[c]!;
    k++;
  }
  if (deepest > MAX_DEPTH)
    warnings.push(
      `The trace is ${deepest + 1} levels deep; depths above ${MAX_DEPTH} are shown as ${MAX_DEPTH}.`,
    );

  // Times, flags, and string tables renumbered in depth-first order of first use.
  let maxEnd = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = Math.max(rawStart[i]!, rawEnd[i]!);
    if (e > maxEnd) maxEnd = e;
  }
  if (n === 0) minStart = maxEnd = 0;
  const startNs = new Float64Array(n);
  const durationNs = new Float64Array(n);
  const spanIdWords = new Uint32Array(2 * n);
  const nameCol = new Uint32Array(n);
  const serviceCol = new Uint16Array(n);
  const kindCol = new Uint8Array(n);
  const statusCol = new Uint8Array(n);
  const flagCol = new Uint8Array(n);
  const nameMap = new Int32Array(input.names.length).fill(-1);
  const serviceMap = new Int32Array(input.services.length).fill(-1);
  const strings: string[] = [];
  const services: string[] = [];
  let negative = 0;
  // Where the absolute whole milliseconds fall in the offsets (see WHOLE_MS_NS).
  const msPhase = n > 0 ? Number(absoluteNanos(input.ref, minStart) % 1000000n) : 0;
  for (let d = 0; d < n; d++) {
    const i = order[d]!;
    const s = rawStart[i]! - minStart;
    let dur = rawEnd[i]! - rawStart[i]!;
    let f = flags[i]!;
    if (!(dur >= 0)) {
      dur = 0;
      f |= NEGATIVE_DURATION;
      negative++;
    }
    startNs[d] = s;
    durationNs[d] = dur;
    const pd = cParent[d]!;
    if (pd >= 0) {
      const ps = startNs[pd]!;
      const onGrid = (s + msPhase) % WHOLE_MS_NS === 0 && (ps + msPhase) % WHOLE_MS_NS === 0;
      const overhang = s + dur - (ps + durationNs[pd]!);
      if (s < ps || (onGrid ? overhang >= WHOLE_MS_NS : overhang > 0)) {
        f |= CLOCK_SKEW;
      }
    }
    flagCol[d] = f;
    spanIdWords[2 * d] = idHi[i]!;
    spanIdWords[2 * d + 1] = idLo[i]!;
    const nm = raw.name[i]!;
    let ni = nameMap[nm]!;
    if (ni < 0) {
      ni = nameMap[nm] = strings.length;
      strings.push(input.names[nm]!);
    }
    nameCol[d] = ni;
    const sv = raw.service[i]!;
    let si = serviceMap[sv]!;
    if (si < 0) {
      si = serviceMap[sv] = services.length;
      services.push(input.services[sv]!);
    }
    serviceCol[d] = si;
    kindCol[d] = kind[i]!;
    statusCol[d] = raw.status[i]!;
  }
  if (negative > 0) {
    warnings.push(
      `${negative} span${negative === 1 ? ' ends' : 's end'} before ${negative === 1 ? 'it starts' : 'they start'}; shown with zero duration.`,
    );
  }
  if (services.length > 0xffff)
    throw new TraceDecodeError(
      'too-large',
      `The trace has ${services.length} services, more than the 65,535 Trace Lens can show.`,
    );
  if (services.length === 0) services.push('unknown service');

  const abs = absoluteNanos(input.ref, minStart);
  const model: TraceModel = {
    traceId: input.traceId,
    spanCount: n,
    traceStartUnixNano: abs.toString(),
    traceStartMs: Number((abs + 500000n) / 1000000n),
    durationNs: maxEnd - minStart,
    strings,
    services,
    columns: {
      spanIdWords,
      startNs,
      durationNs,
      parent: cParent,
      depth: cDepth,
      childCount: cChildCount,
      name: nameCol,
      service: serviceCol,
      kind: kindCol,
      status: statusCol,
      flags: flagCol,
    },
    partial: input.partial,
    warnings,
  };
  if (input.partialMessage !== undefined) model.partialMessage = input.partialMessage;
  const built: BuiltTrace = { model, order, startOffset: minStart };
  if (rebaseAt !== undefined && input.ref)
    built.rebase = timeRefAt(absoluteNanos(input.ref, rebaseAt), input.ref.scale);
  return built;
}
