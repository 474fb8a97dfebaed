/**
 * Span times a waterfall can be drawn with. Decoders hand over start and end as offsets from a
 * reference instant, NaN where the time is unknown (missing, unreadable, or zero: OTLP's "not
 * set"). One damaged span must not stretch a trace of milliseconds over 584 years (a start of 0
 * and an end of 2^64 - 1), so before the tree is built:
 *
 * - the trace's scale is taken from its known start times: their median, give or take four
 *   times their median distance from it, and at least a day (a few wild values move neither, so
 *   a trace of three spans with one bad one still has a sound scale);
 * - a start before that window is clamped to the earliest time inside it, an end after it to
 *   the latest (the span then runs to the edge of the trace);
 * - any other unknown or outlying time takes the span's other time (an instant), or the trace
 *   start if neither is usable;
 * - each kind of repair gets one warning.
 *
 * Every decoder goes through here, so JSON and protobuf of the same trace agree.
 */
import type { RawSpans } from './raw';

const DAY_NS = 86_400e9;
/** Offsets from the reference are exact below this (integers in a double). */
const EXACT_NS = 2 ** 53;

/**
 * Repairs `raw`'s times in place and adds warnings. Returns an offset near the trace's usable
 * times when they lie so far from the reference (an outlier seen first) that their offsets are
 * no longer exact: the decoder then decodes again measuring from there.
 */
export function placeTimes(raw: RawSpans, warnings: string[]): number | undefined {
  const n = raw.count;
  const start = raw.start;
  const end = raw.end;
  let lo = Infinity;
  let hi = -Infinity;
  let anyUnknown = false;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a === a) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    } else anyUnknown = true;
    if (b === b) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    } else anyUnknown = true;
  }
  // The common case: every time known and all within a day of each other.
  if (!anyUnknown && !(hi - lo > DAY_NS)) return undefined;

  let known = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) if (start[i] === start[i]) known[k++] = start[i]!;
  if (k === 0) for (let i = 0; i < n; i++) if (end[i] === end[i]) known[k++] = end[i]!;
  if (k === 0) {
    start.fill(0, 0, n);
    end.fill(0, 0, n);
    if (n > 0) warnings.push('No span has a start or end time; all are drawn at the trace start.');
    return undefined;
  }
  known = known.subarray(0, k).sort();
  // Median and median distance from it: a few wild values move neither.
  const center = known[k >> 1]!;
  for (let j = 0; j < k; j++) known[j] = Math.abs(known[j]! - center);
  const spread = known.sort()[k >> 1]!;
  const reach = Math.max(DAY_NS, 4 * spread);
  const winLo = center - reach;
  const winHi = center + reach;

  lo = Infinity;
  hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    if (a >= winLo && a <= winHi) {
      if (a < lo) lo = a;
      if (a > hi) hi = a;
    }
    if (b >= winLo && b <= winHi) {
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
  }

  let unknown = 0;
  let outliers = 0;
  for (let i = 0; i < n; i++) {
    const a = start[i]!;
    const b = end[i]!;
    const aOk = a >= winLo && a <= winHi;
    const bOk = b >= winLo && b <= winHi;
    if (aOk && bOk) continue;
    if (a !== a || b !== b) unknown++;
    if ((a === a && !aOk) || (b === b && !bOk)) outliers++;
    let s = aOk ? a : a < winLo ? lo : NaN;
    let e = bOk ? b : b > winHi ? hi : NaN;
    if (s !== s) s = e === e ? e : lo;
    if (e !== e) e = s;
    start[i] = s;
    end[i] = e;
  }
  if (unknown > 0) {
    warnings.push(
      `${unknown} span${unknown === 1 ? ' has' : 's have'} no usable start or end time (missing, zero or unreadable); ` +
        `${unknown === 1 ? 'it is' : 'each is'} drawn as an instant at the time it has.`,
    );
  }
  if (outliers > 0) {
    warnings.push(
      `${outliers} span${outliers === 1 ? ' has a time' : 's have times'} far outside the rest of the trace ` +
        `(such as 1970, or years ahead); ${outliers === 1 ? 'it was' : 'they were'} clamped to the trace's time range.`,
    );
  }
  return Math.max(Math.abs(lo), Math.abs(hi)) >= EXACT_NS ? lo : undefined;
}
