/**
 * What the ingest scan (`scan.ts`) reads out of one export request, in columns: per span (or
 * log record) the facts the store indexes, with strings left as byte ranges into the request
 * body so the store interns them without decoding text it has seen before.
 */

/** Attribute value types in `AttrList.type`. */
export const ATTR_STR = 1;
export const ATTR_INT = 2;
export const ATTR_DOUBLE = 3;
export const ATTR_BOOL = 4;
/** Arrays, maps and bytes: kept in the raw record, not indexed. */
export const ATTR_OTHER = 5;

/** Span flag bits in `SpanBatch.flags`. */
export const SPAN_HAS_PARENT = 1;
/** Status ERROR or an `exception` event. */
export const SPAN_ERROR = 2;
/** `code.*` attributes or an exception stack trace. */
export const SPAN_HAS_CODE = 4;

/**
 * A growable typed array. Build one with `u32`, `u8`, `f64` or `i32`: each element type has its
 * own subclass whose `push` is a separate function, so every `push` only ever stores into one
 * kind of typed array and V8 keeps it monomorphic (one shared `push` over four array kinds was
 * the ingest path's largest single cost).
 */
export abstract class Grow<T extends Uint32Array | Uint8Array | Float64Array | Int32Array> {
  data: T;
  length = 0;
  constructor(capacity: number) {
    this.data = this.make(Math.max(8, capacity));
  }
  protected abstract make(n: number): T;
  abstract push(v: number): void;
  /** Makes room for `n` elements in all. */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    let size = Math.max(8, this.data.length * 2);
    while (size < n) size *= 2;
    const bigger = this.make(size);
    bigger.set(this.data.subarray(0, this.length) as never);
    this.data = bigger;
  }
  /** The filled part (a view). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

class GrowU32 extends Grow<Uint32Array> {
  protected make(n: number): Uint32Array {
    return new Uint32Array(n);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
}

class GrowU8 extends Grow<Uint8Array> {
  protected make(n: number): Uint8Array {
    return new Uint8Array(n);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
}

class GrowF64 extends Grow<Float64Array> {
  protected make(n: number): Float64Array {
    return new Float64Array(n);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
}

class GrowI32 extends Grow<Int32Array> {
  protected make(n: number): Int32Array {
    return new Int32Array(n);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
}

export const u32 = (n: number): Grow<Uint32Array> => new GrowU32(n);
export const u8 = (n: number): Grow<Uint8Array> => new GrowU8(n);
export const f64 = (n: number): Grow<Float64Array> => new GrowF64(n);
export const i32 = (n: number): Grow<Int32Array> => new GrowI32(n);

/** Attributes: key and string values as byte ranges, numbers as doubles. */
export class AttrList {
  readonly keyOff: Grow<Uint32Array>;
  readonly keyLen: Grow<Uint32Array>;
  readonly type: Grow<Uint8Array>;
  /** String values: byte range; others: 0. */
  readonly valOff: Grow<Uint32Array>;
  readonly valLen: Grow<Uint32Array>;
  /** Int, double and bool values (ints beyond 2^53 rounded). */
  readonly num: Grow<Float64Array>;
  constructor(capacity = 64) {
    this.keyOff = u32(capacity);
    this.keyLen = u32(capacity);
    this.type = u8(capacity);
    this.valOff = u32(capacity);
    this.valLen = u32(capacity);
    this.num = f64(capacity);
  }
  get length(): number {
    return this.type.length;
  }
  push(keyOff: number, keyLen: number, type: number, valOff: number, valLen: number, num: number): void {
    this.keyOff.push(keyOff);
    this.keyLen.push(keyLen);
    this.type.push(type);
    this.valOff.push(valOff);
    this.valLen.push(valLen);
    this.num.push(num);
  }
  /** Drops the attributes from index `n` on (those of a rejected span; 0 empties the list). */
  truncate(n: number): void {
    this.keyOff.length = this.keyLen.length = this.type.length = n;
    this.valOff.length = this.valLen.length = this.num.length = n;
  }
}

/** Resources and instrumentation scopes of a batch; spans and logs point at scopes. */
export class Scopes {
  /** Byte range of each Resource message; -1 when the ResourceSpans has none. */
  readonly resOff: number[] = [];
  readonly resLen: number[] = [];
  /** `service.name` byte range, -1 when missing. */
  readonly serviceOff: number[] = [];
  readonly serviceLen: number[] = [];
  /** End of each resource's attributes in `resAttrs` (start = previous end). */
  readonly resAttrEnd: number[] = [];
  readonly resAttrs = new AttrList();
  /** Byte range of each InstrumentationScope message; -1 when none. */
  readonly scopeOff: number[] = [];
  readonly scopeLen: number[] = [];
  readonly scopeResource: number[] = [];

  /** Empties every list, keeping the attribute columns' capacity. */
  clear(): void {
    this.resOff.length = this.resLen.length = this.serviceOff.length = this.serviceLen.length = 0;
    this.resAttrEnd.length = this.scopeOff.length = this.scopeLen.length = this.scopeResource.length = 0;
    this.resAttrs.truncate(0);
  }
}

/** Spans of one ExportTraceServiceRequest. */
export class SpanBatch {
  count = 0;
  readonly traceId: Grow<Uint32Array>; // 4 words per span, big-endian bytes
  readonly spanHi: Grow<Uint32Array>;
  readonly spanLo: Grow<Uint32Array>;
  readonly startLo: Grow<Uint32Array>;
  readonly startHi: Grow<Uint32Array>;
  readonly endLo: Grow<Uint32Array>;
  readonly endHi: Grow<Uint32Array>;
  readonly nameOff: Grow<Uint32Array>;
  readonly nameLen: Grow<Uint32Array>;
  readonly kind: Grow<Uint8Array>;
  readonly status: Grow<Uint8Array>;
  readonly flags: Grow<Uint8Array>;
  /** Byte range of the Span message. */
  readonly off: Grow<Uint32Array>;
  readonly len: Grow<Uint32Array>;
  readonly scope: Grow<Uint32Array>;
  /** End of each span's attributes in `attrs`. */
  readonly attrEnd: Grow<Uint32Array>;
  readonly attrs: AttrList;
  readonly scopes = new Scopes();
  /** Columns sized for `capacity` spans (an estimate from the body size saves regrowing them). */
  constructor(capacity = 64) {
    this.traceId = u32(4 * capacity);
    this.spanHi = u32(capacity);
    this.spanLo = u32(capacity);
    this.startLo = u32(capacity);
    this.startHi = u32(capacity);
    this.endLo = u32(capacity);
    this.endHi = u32(capacity);
    this.nameOff = u32(capacity);
    this.nameLen = u32(capacity);
    this.kind = u8(capacity);
    this.status = u8(capacity);
    this.flags = u8(capacity);
    this.off = u32(capacity);
    this.len = u32(capacity);
    this.scope = u32(capacity);
    this.attrEnd = u32(capacity);
    this.attrs = new AttrList(4 * capacity);
  }
  /** Spans left out because they cannot be stored (bad IDs), and why (the first reason). */
  rejected = 0;
  rejectReason = '';

  /**
   * Empties the batch for the next request, keeping its columns' capacity: a receiver scans
   * into a few reused batches instead of allocating some twenty typed arrays per request
   * (whose external memory made V8 run full collections every few dozen requests).
   */
  reset(): void {
    this.count = this.rejected = 0;
    this.rejectReason = '';
    for (const g of [
      this.traceId,
      this.spanHi,
      this.spanLo,
      this.startLo,
      this.startHi,
      this.endLo,
      this.endHi,
      this.nameOff,
      this.nameLen,
      this.kind,
      this.status,
      this.flags,
      this.off,
      this.len,
      this.scope,
      this.attrEnd,
    ])
      g.length = 0;
    this.attrs.truncate(0);
    this.scopes.clear();
  }
}

/** Log records of one ExportLogsServiceRequest. */
export class LogBatch {
  count = 0;
  /** 4 words per record; all zero without a trace ID. */
  readonly traceId = u32(256);
  readonly spanHi = u32(64);
  readonly spanLo = u32(64);
  /** 1 when the record has a trace ID. */
  readonly hasTrace = u8(64);
  /** `time_unix_nano`, or the observed time when that is zero. */
  readonly timeLo = u32(64);
  readonly timeHi = u32(64);
  readonly severity = u8(64);
  readonly off = u32(64);
  readonly len = u32(64);
  readonly scope = u32(64);
  readonly scopes = new Scopes();
  rejected = 0;
  rejectReason = '';
}
