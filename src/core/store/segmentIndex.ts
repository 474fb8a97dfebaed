/**
 * The in-memory index of one segment file: spans and log records in columns (typed arrays), one
 * string table for names, attribute keys and values, and the segment's traces in a hash table
 * with a linked list of their spans and logs. Nothing here is an object per span.
 *
 * Offsets point into the segment file, where the raw OTLP protobuf of each span, resource and
 * scope stays; the index holds what queries filter on. It is saved as a checkpoint when the
 * segment is sealed (`save`/`load`) and rebuilt from the segment when there is none (`addSpans`
 * and `addLogs` are all the rebuild needs, so a rebuilt index equals the checkpointed one).
 */
import {
  ATTR_STR,
  f64,
  i32,
  u32,
  u8,
  type AttrList,
  type Grow,
  type LogBatch,
  type Scopes,
  type SpanBatch,
} from '../otlp/batch';
import { StringPool } from './strings';

/** An attribute value too long to keep in the string table: kept as a range in the segment. */
export const ATTR_LONG_STR = 6;
/** Longest string value kept in the string table. */
export const MAX_INDEXED_VALUE = 512;

const NONE = -1;

function hashWords(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ b ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ c ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ d ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashRange(buf: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed ^ (end - start);
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h >>> 0;
}

/** Attribute columns: key string ID, value type and value (string ID, bool, or index into `num`). */
class Attrs {
  readonly key = u32(256);
  readonly type = u8(256);
  readonly val = u32(256);
  /** Numbers of INT and DOUBLE values; (offset, length) pairs of long strings. */
  readonly num = f64(64);
  readonly long = u32(16);

  /** Appends `list[from, to)` of a batch; string ranges are relative to `body` at `base` in the segment. */
  add(list: AttrList, from: number, to: number, body: Uint8Array, base: number, strings: StringPool): void {
    const at = this.key.length;
    const end = at + to - from;
    this.key.reserve(end);
    this.type.reserve(end);
    this.val.reserve(end);
    const key = this.key.data;
    const type = this.type.data;
    const val = this.val.data;
    const keyOff = list.keyOff.data;
    const keyLen = list.keyLen.data;
    const types = list.type.data;
    const valOff = list.valOff.data;
    const valLen = list.valLen.data;
    const num = list.num.data;
    for (let k = from, a = at; k < to; k++, a++) {
      const ko = keyOff[k]!;
      key[a] = strings.intern(body, ko, ko + keyLen[k]!);
      const t = types[k]!;
      if (t === ATTR_STR) {
        const vo = valOff[k]!;
        const vl = valLen[k]!;
        if (vl > MAX_INDEXED_VALUE) {
          type[a] = ATTR_LONG_STR;
          val[a] = this.long.length >> 1;
          this.long.push(base + vo);
          this.long.push(vl);
        } else {
          type[a] = t;
          val[a] = strings.intern(body, vo, vo + vl);
        }
      } else if (t === 2 || t === 3) {
        type[a] = t;
        val[a] = this.num.length;
        this.num.push(num[k]!);
      } else {
        type[a] = t;
        val[a] = num[k]!;
      }
    }
    this.key.length = this.type.length = this.val.length = end;
  }
}

/** Per-segment tables of resources and scopes (deduplicated by their bytes while writing). */
class ScopeTable {
  /** Resource message range in the segment (-1: none), service string ID, attribute end. */
  readonly resOff = i32(16);
  readonly resLen = u32(16);
  readonly resService = u32(16);
  readonly resAttrEnd = u32(16);
  readonly resAttrs = new Attrs();
  /** Scope message range (-1: none), its resource. */
  readonly scopeOff = i32(16);
  readonly scopeLen = u32(16);
  readonly scopeResource = u32(16);
  private readonly resSeen = new Map<string, number>();
  private readonly scopeSeen = new Map<string, number>();

  /** Maps a batch's scopes to this table's; returns the table index per batch scope. */
  add(s: Scopes, body: Uint8Array, base: number, strings: StringPool, unknownService: number): Int32Array {
    const resMap = new Int32Array(s.resOff.length);
    let attrFrom = 0;
    for (let r = 0; r < s.resOff.length; r++) {
      const off = s.resOff[r]!;
      const len = s.resLen[r]!;
      const attrTo = s.resAttrEnd[r]!;
      const key =
        off < 0
          ? 'none'
          : `${hashRange(body, off, off + len, 0x811c9dc5)}:${hashRange(body, off, off + len, 7)}:${len}`;
      let id = this.resSeen.get(key);
      if (id === undefined) {
        id = this.resOff.length;
        this.resSeen.set(key, id);
        this.resOff.push(off < 0 ? NONE : base + off);
        this.resLen.push(off < 0 ? 0 : len);
        const so = s.serviceOff[r]!;
        this.resService.push(so < 0 ? unknownService : strings.intern(body, so, so + s.serviceLen[r]!));
        this.resAttrs.add(s.resAttrs, attrFrom, attrTo, body, base, strings);
        this.resAttrEnd.push(this.resAttrs.type.length);
      }
      resMap[r] = id;
      attrFrom = attrTo;
    }
    const scopeMap = new Int32Array(s.scopeOff.length);
    for (let k = 0; k < s.scopeOff.length; k++) {
      const off = s.scopeOff[k]!;
      const len = s.scopeLen[k]!;
      const res = resMap[s.scopeResource[k]!]!;
      const key =
        off < 0
          ? `${res}:none`
          : `${res}:${hashRange(body, off, off + len, 0x811c9dc5)}:${hashRange(body, off, off + len, 7)}:${len}`;
      let id = this.scopeSeen.get(key);
      if (id === undefined) {
        id = this.scopeOff.length;
        this.scopeSeen.set(key, id);
        this.scopeOff.push(off < 0 ? NONE : base + off);
        this.scopeLen.push(off < 0 ? 0 : len);
        this.scopeResource.push(res);
      }
      scopeMap[k] = id;
    }
    return scopeMap;
  }
}

/** The index of one segment. */
export class SegmentIndex {
  readonly strings: StringPool;
  /** The service name used when a resource has none. */
  readonly unknownService: number;

  // Spans, one entry each, in arrival order.
  readonly spanTrace = u32(1024);
  readonly spanHi = u32(1024);
  readonly spanLo = u32(1024);
  readonly startHi = u32(1024);
  readonly startLo = u32(1024);
  /** Duration in ns (0 when the span ends before it starts). */
  readonly duration = f64(1024);
  readonly name = u32(1024);
  readonly service = u32(1024);
  readonly scope = u32(1024);
  readonly kind = u8(1024);
  readonly status = u8(1024);
  readonly flags = u8(1024);
  /** The Span message's range in the segment file. */
  readonly off = u32(1024);
  readonly len = u32(1024);
  /** End of each span's attributes in `attrs`. */
  readonly attrEnd = u32(1024);
  /** Next span of the same trace in this segment, or -1. */
  readonly nextSpan = i32(1024);
  readonly attrs = new Attrs();
  readonly scopes = new ScopeTable();

  // Log records.
  /** Trace table index, or -1 without a trace ID. */
  readonly logTrace = i32(64);
  readonly logSpanHi = u32(64);
  readonly logSpanLo = u32(64);
  readonly logTimeHi = u32(64);
  readonly logTimeLo = u32(64);
  readonly logSeverity = u8(64);
  readonly logOff = u32(64);
  readonly logLen = u32(64);
  readonly logScope = u32(64);
  readonly nextLog = i32(64);

  // Traces: 4 ID words each, first and last span and log in this segment.
  readonly traceWords = u32(1024);
  readonly traceFirstSpan = i32(256);
  readonly traceLastSpan = i32(256);
  readonly traceSpanCount = u32(256);
  readonly traceFirstLog = i32(256);
  readonly traceLastLog = i32(256);
  private traceTable = new Int32Array(1024).fill(-1);

  /** Earliest span start and latest span end, in ms (for skipping whole segments by time). */
  minTimeMs = Infinity;
  maxTimeMs = -Infinity;
  /** When the first and the latest record arrived (Unix ms). */
  firstReceivedMs = 0;
  lastReceivedMs = 0;
  /** Bytes of the segment file this index covers. */
  coveredBytes = 0;

  constructor(strings?: StringPool) {
    this.strings = strings ?? new StringPool();
    this.unknownService = this.strings.internText('unknown service');
  }

  get spanCount(): number {
    return this.spanTrace.length;
  }

  get logCount(): number {
    return this.logTrace.length;
  }

  get traceCount(): number {
    return this.traceSpanCount.length;
  }

  /** The trace table index of an ID given as 4 words, or -1. */
  findTrace(a: number, b: number, c: number, d: number): number {
    const table = this.traceTable;
    const mask = table.length - 1;
    const w = this.traceWords.data;
    for (let slot = hashWords(a, b, c, d) & mask; ; slot = (slot + 1) & mask) {
      const t = table[slot]!;
      if (t < 0) return -1;
      if (w[4 * t] === a && w[4 * t + 1] === b && w[4 * t + 2] === c && w[4 * t + 3] === d) return t;
    }
  }

  private traceOf(a: number, b: number, c: number, d: number): number {
    const table = this.traceTable;
    const mask = table.length - 1;
    const w = this.traceWords.data;
    let slot = hashWords(a, b, c, d) & mask;
    for (; ; slot = (slot + 1) & mask) {
      const t = table[slot]!;
      if (t < 0) break;
      if (w[4 * t] === a && w[4 * t + 1] === b && w[4 * t + 2] === c && w[4 * t + 3] === d) return t;
    }
    const t = this.traceSpanCount.length;
    this.traceWords.push(a);
    this.traceWords.push(b);
    this.traceWords.push(c);
    this.traceWords.push(d);
    this.traceFirstSpan.push(NONE);
    this.traceLastSpan.push(NONE);
    this.traceSpanCount.push(0);
    this.traceFirstLog.push(NONE);
    this.traceLastLog.push(NONE);
    table[slot] = t;
    if ((t + 1) * 2 > table.length) this.rehash(table.length * 2);
    return t;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    const w = this.traceWords.data;
    for (let t = 0; t < this.traceSpanCount.length; t++) {
      let slot = hashWords(w[4 * t]!, w[4 * t + 1]!, w[4 * t + 2]!, w[4 * t + 3]!) & mask;
      while (table[slot]! >= 0) slot = (slot + 1) & mask;
      table[slot] = t;
    }
    this.traceTable = table;
  }

  /**
   * Makes room for about `spans` spans with `attrs` attributes in `traces` traces, so that an
   * active segment fills its columns without regrowing them: each doubling copied the columns
   * into new memory (twice the final size in all, page faults and external memory that made V8
   * collect more often). Room that is never written costs address space, not memory.
   */
  presize(spans: number, attrs: number, traces: number): void {
    this.reserveSpans(spans);
    this.attrs.key.reserve(attrs);
    this.attrs.type.reserve(attrs);
    this.attrs.val.reserve(attrs);
    this.traceWords.reserve(4 * traces);
    for (const c of [this.traceFirstSpan, this.traceLastSpan, this.traceFirstLog, this.traceLastLog])
      c.reserve(traces);
    this.traceSpanCount.reserve(traces);
    let size = this.traceTable.length;
    while (size < traces * 2) size <<= 1;
    if (size > this.traceTable.length) this.rehash(size);
  }

  /** The per-span columns of one element type (the others are named where they are used). */
  private spanColumns() {
    return [
      this.spanTrace,
      this.spanHi,
      this.spanLo,
      this.startHi,
      this.startLo,
      this.name,
      this.service,
      this.scope,
      this.off,
      this.len,
      this.attrEnd,
    ];
  }

  /** Room for `spans` spans in every per-span column. */
  private reserveSpans(spans: number): void {
    for (const c of this.spanColumns()) c.reserve(spans);
    this.duration.reserve(spans);
    this.kind.reserve(spans);
    this.status.reserve(spans);
    this.flags.reserve(spans);
    this.nextSpan.reserve(spans);
  }

  /** Adds the spans of a scanned batch whose body starts at byte `base` of the segment. */
  addSpans(b: SpanBatch, body: Uint8Array, base: number, receivedMs: number): void {
    const strings = this.strings;
    const scopeMap = this.scopes.add(b.scopes, body, base, strings, this.unknownService);
    const services = this.scopes.resService.data;
    const scopeRes = this.scopes.scopeResource.data;
    const n = b.count;
    const first = this.spanTrace.length;
    // Room for the whole batch first, then plain stores into the columns (a push per column
    // and span was a third of the index's cost).
    this.reserveSpans(first + n);
    const spanTrace = this.spanTrace.data;
    const spanHi = this.spanHi.data;
    const spanLo = this.spanLo.data;
    const startHi = this.startHi.data;
    const startLo = this.startLo.data;
    const duration = this.duration.data;
    const name = this.name.data;
    const service = this.service.data;
    const scopeCol = this.scope.data;
    const kind = this.kind.data;
    const status = this.status.data;
    const flags = this.flags.data;
    const off = this.off.data;
    const len = this.len.data;
    const attrEnd = this.attrEnd.data;
    const nextSpan = this.nextSpan.data;
    const tw = b.traceId.data;
    const bSpanHi = b.spanHi.data;
    const bSpanLo = b.spanLo.data;
    const bStartHi = b.startHi.data;
    const bStartLo = b.startLo.data;
    const bEndHi = b.endHi.data;
    const bEndLo = b.endLo.data;
    const bNameOff = b.nameOff.data;
    const bNameLen = b.nameLen.data;
    const bScope = b.scope.data;
    const bKind = b.kind.data;
    const bStatus = b.status.data;
    const bFlags = b.flags.data;
    const bOff = b.off.data;
    const bLen = b.len.data;
    const bAttrEnd = b.attrEnd.data;
    let minTimeMs = this.minTimeMs;
    let maxTimeMs = this.maxTimeMs;
    // Every attribute of the batch at once (a span's attributes follow the previous span's):
    // one call per batch instead of one per span.
    const attrBase = this.attrs.type.length;
    this.attrs.add(b.attrs, 0, b.attrs.length, body, base, strings);
    // Spans of one trace mostly come one after another: the previous span's trace is checked
    // before the hash table.
    let lastTrace = NONE;
    let la = 0;
    let lb = 0;
    let lc = 0;
    let ld = 0;
    for (let i = 0; i < n; i++) {
      const s = first + i;
      const a = tw[4 * i]!;
      const bw = tw[4 * i + 1]!;
      const c = tw[4 * i + 2]!;
      const d = tw[4 * i + 3]!;
      if (lastTrace < 0 || a !== la || bw !== lb || c !== lc || d !== ld) {
        lastTrace = this.traceOf(a, bw, c, d);
        la = a;
        lb = bw;
        lc = c;
        ld = d;
      }
      const t = lastTrace;
      spanTrace[s] = t;
      spanHi[s] = bSpanHi[i]!;
      spanLo[s] = bSpanLo[i]!;
      const sHi = bStartHi[i]!;
      const sLo = bStartLo[i]!;
      startHi[s] = sHi;
      startLo[s] = sLo;
      const dur = (bEndHi[i]! - sHi) * 4294967296 + (bEndLo[i]! - sLo);
      duration[s] = dur > 0 ? dur : 0;
      const startMs = (sHi * 4294967296 + sLo) / 1e6;
      if (startMs < minTimeMs) minTimeMs = startMs;
      const endMs = startMs + (dur > 0 ? dur : 0) / 1e6;
      if (endMs > maxTimeMs) maxTimeMs = endMs;
      const no = bNameOff[i]!;
      name[s] = strings.intern(body, no, no + bNameLen[i]!);
      const scope = scopeMap[bScope[i]!]!;
      scopeCol[s] = scope;
      service[s] = services[scopeRes[scope]!]!;
      kind[s] = bKind[i]!;
      status[s] = bStatus[i]!;
      flags[s] = bFlags[i]!;
      off[s] = base + bOff[i]!;
      len[s] = bLen[i]!;
      attrEnd[s] = attrBase + bAttrEnd[i]!;
      nextSpan[s] = NONE;
      const last = this.traceLastSpan.data[t]!;
      if (last < 0) this.traceFirstSpan.data[t] = s;
      else nextSpan[last] = s;
      this.traceLastSpan.data[t] = s;
      this.traceSpanCount.data[t]!++;
    }
    for (const c of this.spanColumns()) c.length = first + n;
    this.duration.length = this.kind.length = this.status.length = first + n;
    this.flags.length = this.nextSpan.length = first + n;
    this.minTimeMs = minTimeMs;
    this.maxTimeMs = maxTimeMs;
    this.received(receivedMs);
  }

  /** Adds the log records of a scanned batch whose body starts at byte `base` of the segment. */
  addLogs(b: LogBatch, body: Uint8Array, base: number, receivedMs: number): void {
    const scopeMap = this.scopes.add(b.scopes, body, base, this.strings, this.unknownService);
    const tw = b.traceId.data;
    for (let i = 0; i < b.count; i++) {
      const l = this.logTrace.length;
      const t = b.hasTrace.data[i]
        ? this.traceOf(tw[4 * i]!, tw[4 * i + 1]!, tw[4 * i + 2]!, tw[4 * i + 3]!)
        : NONE;
      this.logTrace.push(t);
      this.logSpanHi.push(b.spanHi.data[i]!);
      this.logSpanLo.push(b.spanLo.data[i]!);
      this.logTimeHi.push(b.timeHi.data[i]!);
      this.logTimeLo.push(b.timeLo.data[i]!);
      this.logSeverity.push(b.severity.data[i]!);
      this.logOff.push(base + b.off.data[i]!);
      this.logLen.push(b.len.data[i]!);
      this.logScope.push(scopeMap[b.scope.data[i]!]!);
      this.nextLog.push(NONE);
      if (t >= 0) {
        const last = this.traceLastLog.data[t]!;
        if (last < 0) this.traceFirstLog.data[t] = l;
        else this.nextLog.data[last] = l;
        this.traceLastLog.data[t] = l;
      }
    }
    this.received(receivedMs);
  }

  private received(ms: number): void {
    if (this.firstReceivedMs === 0) this.firstReceivedMs = ms;
    if (ms > this.lastReceivedMs) this.lastReceivedMs = ms;
  }

  /** Bytes the index holds in memory (approximately: room reserved but not written is not counted). */
  get byteLength(): number {
    let n = this.strings.byteLength + this.traceTable.length * 4;
    for (const [, g] of this.columns()) n += g.length * g.data.BYTES_PER_ELEMENT;
    return n;
  }

  /** Every column by a stable name, for checkpoints and equality checks. */
  columns(): [string, Grow<Uint32Array | Uint8Array | Float64Array | Int32Array>][] {
    const a = this.attrs;
    const r = this.scopes.resAttrs;
    const s = this.scopes;
    return [
      ['spanTrace', this.spanTrace],
      ['spanHi', this.spanHi],
      ['spanLo', this.spanLo],
      ['startHi', this.startHi],
      ['startLo', this.startLo],
      ['duration', this.duration],
      ['name', this.name],
      ['service', this.service],
      ['scope', this.scope],
      ['kind', this.kind],
      ['status', this.status],
      ['flags', this.flags],
      ['off', this.off],
      ['len', this.len],
      ['attrEnd', this.attrEnd],
      ['nextSpan', this.nextSpan],
      ['attrKey', a.key],
      ['attrType', a.type],
      ['attrVal', a.val],
      ['attrNum', a.num],
      ['attrLong', a.long],
      ['resOff', s.resOff],
      ['resLen', s.resLen],
      ['resService', s.resService],
      ['resAttrEnd', s.resAttrEnd],
      ['resAttrKey', r.key],
      ['resAttrType', r.type],
      ['resAttrVal', r.val],
      ['resAttrNum', r.num],
      ['resAttrLong', r.long],
      ['scopeOff', s.scopeOff],
      ['scopeLen', s.scopeLen],
      ['scopeResource', s.scopeResource],
      ['logTrace', this.logTrace],
      ['logSpanHi', this.logSpanHi],
      ['logSpanLo', this.logSpanLo],
      ['logTimeHi', this.logTimeHi],
      ['logTimeLo', this.logTimeLo],
      ['logSeverity', this.logSeverity],
      ['logOff', this.logOff],
      ['logLen', this.logLen],
      ['logScope', this.logScope],
      ['nextLog', this.nextLog],
      ['traceWords', this.traceWords],
      ['traceFirstSpan', this.traceFirstSpan],
      ['traceLastSpan', this.traceLastSpan],
      ['traceSpanCount', this.traceSpanCount],
      ['traceFirstLog', this.traceFirstLog],
      ['traceLastLog', this.traceLastLog],
    ];
  }

  /**
   * Trims the columns with much unused room to their length (after sealing: a sealed segment
   * never grows). A little room is left: never written, it takes address space but no memory,
   * and trimming copies the column into new memory.
   */
  compact(): void {
    for (const [, g] of this.columns())
      if (g.data.length - g.length > g.data.length >> 2) g.data = g.data.slice(0, g.length) as typeof g.data;
  }

  /** Scalars saved with the columns. */
  scalars(): Float64Array {
    return Float64Array.of(
      this.minTimeMs,
      this.maxTimeMs,
      this.firstReceivedMs,
      this.lastReceivedMs,
      this.coveredBytes,
    );
  }

  /** Restores the scalars and rebuilds the trace hash table after the columns were loaded. */
  restore(scalars: Float64Array): void {
    this.minTimeMs = scalars[0]!;
    this.maxTimeMs = scalars[1]!;
    this.firstReceivedMs = scalars[2]!;
    this.lastReceivedMs = scalars[3]!;
    this.coveredBytes = scalars[4]!;
    let size = 1024;
    while (size < this.traceCount * 2) size <<= 1;
    this.rehash(size);
  }
}
