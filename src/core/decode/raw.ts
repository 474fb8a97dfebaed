/**
 * What every decoder produces before the tree is built: one growable column per span field, in
 * the order the spans arrived, plus string tables. The builder (`build.ts`) turns this into the
 * depth-first `TraceModel`.
 *
 * Times are kept as exact integer offsets in nanoseconds from a reference instant, the first
 * timestamp the decoder saw. The reference itself is `major * scale + minor` (seconds and
 * nanoseconds for decimal strings, high and low 32-bit words for protobuf fixed64), so no
 * absolute nanosecond value ever passes through a lossy `Number`.
 */

/** The reference instant offsets are measured from: `major * scale + minor` nanoseconds. */
export interface TimeRef {
  major: number;
  minor: number;
  scale: number;
}

/** A growable Uint32Array: the decoders' lists of byte offsets. */
export class U32List {
  data: Uint32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Uint32Array(Math.max(8, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
  /** The values pushed, in an array of their own length (the buffer itself when it fits). */
  trimmed(): Uint32Array {
    return this.data.length === this.length ? this.data : this.data.slice(0, this.length);
  }
}

/** Growable columns of raw spans in arrival order. */
export class RawSpans {
  count = 0;
  /** Span ID high and low words. */
  idHi: Uint32Array;
  idLo: Uint32Array;
  /** Parent span ID words; meaningful only where `hasParent` is 1. */
  parentHi: Uint32Array;
  parentLo: Uint32Array;
  hasParent: Uint8Array;
  /** Start and end as nanosecond offsets from the time reference. */
  start: Float64Array;
  end: Float64Array;
  /** Index into the decoder's name table. */
  name: Uint32Array;
  /** Index into the decoder's service table. */
  service: Uint32Array;
  kind: Uint8Array;
  status: Uint8Array;
  /** `SpanFlag.Error` / `SpanFlag.HasCode` bits the decoder could see. */
  flags: Uint8Array;

  constructor(capacity = 64) {
    const n = Math.max(8, capacity);
    this.idHi = new Uint32Array(n);
    this.idLo = new Uint32Array(n);
    this.parentHi = new Uint32Array(n);
    this.parentLo = new Uint32Array(n);
    this.hasParent = new Uint8Array(n);
    this.start = new Float64Array(n);
    this.end = new Float64Array(n);
    this.name = new Uint32Array(n);
    this.service = new Uint32Array(n);
    this.kind = new Uint8Array(n);
    this.status = new Uint8Array(n);
    this.flags = new Uint8Array(n);
  }

  /** Reserves the next slot and returns its index; all fields start at zero. */
  add(): number {
    if (this.count === this.idHi.length) this.grow(this.count * 2);
    return this.count++;
  }

  private grow(n: number): void {
    const g = <T extends Uint32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.idHi = g(this.idHi, (k) => new Uint32Array(k));
    this.idLo = g(this.idLo, (k) => new Uint32Array(k));
    this.parentHi = g(this.parentHi, (k) => new Uint32Array(k));
    this.parentLo = g(this.parentLo, (k) => new Uint32Array(k));
    this.hasParent = g(this.hasParent, (k) => new Uint8Array(k));
    this.start = g(this.start, (k) => new Float64Array(k));
    this.end = g(this.end, (k) => new Float64Array(k));
    this.name = g(this.name, (k) => new Uint32Array(k));
    this.service = g(this.service, (k) => new Uint32Array(k));
    this.kind = g(this.kind, (k) => new Uint8Array(k));
    this.status = g(this.status, (k) => new Uint8Array(k));
    this.flags = g(this.flags, (k) => new Uint8Array(k));
  }
}

/** Interns strings: equal strings share one index. */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  intern(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/**
 * Converts decimal-string (or number) Unix nanoseconds into offsets from the first value seen,
 * exactly: the string is split into seconds and a 9-digit nanosecond part. Zero (OTLP's "not
 * set") and unreadable values are unknown: NaN, for the builder to place (see `times.ts`).
 */
export class DecimalClock {
  ref: TimeRef | undefined;
  /** Set when a value could not be read (missing, not an integer). */
  bad = 0;

  /** `seed`: the reference to measure from instead of the first value (see `BuiltTrace.rebase`). */
  constructor(seed?: TimeRef) {
    this.ref = seed;
  }

  /** Offset in ns of `v` (a decimal string or a number) from the reference. */
  offset(v: unknown): number {
    if (typeof v === 'string') {
      // Digits read one by one: no substrings, so no garbage for 200k timestamps per 100k spans.
      const len = v.length;
      if (len === 0 || len > 28) return this.parts(NaN, NaN);
      const split = len - 9;
      let sec = 0;
      let ns = 0;
      for (let i = 0; i < len; i++) {
        const d = v.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return this.parts(NaN, NaN);
        if (i < split) sec = sec * 10 + d;
        else ns = ns * 10 + d;
      }
      return this.parts(sec, ns);
    }
    if (typeof v === 'number') {
      // A bare number above 2^53 has already lost precision in JSON.parse; keep what is left.
      const sec = Math.floor(v / 1e9);
      return this.parts(sec, v - sec * 1e9);
    }
    return this.parts(NaN, NaN);
  }

  /** Offset in ns of `v` microseconds (Jaeger and Zipkin), a number or a decimal string. */
  offsetMicros(v: unknown): number {
    const us = typeof v === 'string' && v.length > 0 ? Number(v) : v;
    if (typeof us !== 'number' || !Number.isSafeInteger(us)) return this.parts(NaN, NaN);
    const sec = Math.floor(us / 1e6);
    return this.parts(sec, (us - sec * 1e6) * 1000);
  }

  /** Offset in ns of `sec` seconds plus `ns` nanoseconds (both non-negative integers); NaN if unknown. */
  parts(sec: number, ns: number): number {
    if (!Number.isInteger(sec) || !Number.isInteger(ns) || sec < 0 || ns < 0) {
      this.bad++;
      return NaN;
    }
    if (sec === 0 && ns === 0) return NaN;
    const ref = this.ref;
    if (!ref) {
      this.ref = { major: sec, minor: ns, scale: 1e9 };
      return 0;
    }
    return (sec - ref.major) * 1e9 + (ns - ref.minor);
  }
}

/** `abs` Unix nanoseconds as a reference in units of `scale` (1e9 or 2^32). */
export function timeRefAt(abs: bigint, scale: number): TimeRef {
  const s = BigInt(scale);
  return { major: Number(abs / s), minor: Number(abs % s), scale };
}

/** The absolute time `ref + offset` as a decimal string of Unix nanoseconds. */
export function absoluteNanos(ref: TimeRef | undefined, offset: number): bigint {
  if (!ref) return BigInt(Math.round(offset));
  return BigInt(ref.major) * BigInt(ref.scale) + BigInt(ref.minor) + BigInt(Math.round(offset));
}
