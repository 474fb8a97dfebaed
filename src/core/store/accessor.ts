/**
 * How the TraceQL engine reads the store: `SpanAccessor`s over a segment's columns (a span is
 * its index in the segment) and over the spans of one trace gathered from several segments.
 * Attribute keys are looked up once per segment; values come from the string table, the number
 * column, or (for strings too long for the table) the segment file.
 */
import type { SpanKind, StatusCode } from '../../shared/model';
import { ATTR_BOOL, ATTR_DOUBLE, ATTR_INT, ATTR_STR } from '../otlp/batch';
import { ProtoReader, utf8Text } from '../decode';
import type { FieldValue, SpanAccessor } from '../traceql';
import { ATTR_LONG_STR, type SegmentIndex } from './segmentIndex';
import type { StoreData, StoreSegment } from './store';

const utf8 = new TextDecoder('utf-8');

/** The engine's view of one segment. */
export class SegmentAccessor implements SpanAccessor<number> {
  readonly index: SegmentIndex;
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly data: StoreData,
    private readonly seg: StoreSegment,
  ) {
    this.index = seg.index;
  }

  /** The string ID of attribute key `key` in this segment, or -1. */
  keyId(key: string): number {
    let id = this.keys.get(key);
    if (id === undefined) {
      id = this.index.strings.lookup(key);
      this.keys.set(key, id);
    }
    return id;
  }

  name(s: number): string {
    return this.index.strings.get(this.index.name.data[s]!);
  }

  status(s: number): StatusCode {
    return this.index.status.data[s]! as StatusCode;
  }

  kind(s: number): SpanKind {
    return this.index.kind.data[s]! as SpanKind;
  }

  durationNs(s: number): number {
    return this.index.duration.data[s]!;
  }

  statusMessage(s: number): string | undefined {
    const x = this.index;
    const bytes = this.data.read(this.seg, x.off.data[s]!, x.len.data[s]!);
    const r = new ProtoReader(bytes);
    while (r.pos < bytes.length) {
      const tag = r.uint32();
      if (tag !== 0x7a) {
        r.skip(tag & 7, bytes.length);
        continue;
      }
      const end = r.bytesEnd(bytes.length);
      while (r.pos < end) {
        const t = r.uint32();
        if (t === 0x12) {
          const e = r.bytesEnd(end);
          return utf8Text(bytes, r.pos, e);
        }
        r.skip(t & 7, end);
      }
    }
    return undefined;
  }

  private value(type: number, val: number, nums: Float64Array, longs: Uint32Array): FieldValue {
    switch (type) {
      case ATTR_STR:
        return this.index.strings.get(val);
      case ATTR_INT:
      case ATTR_DOUBLE:
        return nums[val]!;
      case ATTR_BOOL:
        return val === 1;
      case ATTR_LONG_STR:
        return utf8.decode(this.data.read(this.seg, longs[2 * val]!, longs[2 * val + 1]!));
      default:
        return null; // an array, a map or bytes: present, not a scalar
    }
  }

  attribute(s: number, scope: 'span' | 'resource', key: string): FieldValue {
    const id = this.keyId(key);
    if (id < 0) return undefined;
    const x = this.index;
    if (scope === 'span') {
      const a = x.attrs;
      const keys = a.key.data;
      const end = x.attrEnd.data[s]!;
      for (let k = s === 0 ? 0 : x.attrEnd.data[s - 1]!; k < end; k++)
        if (keys[k] === id) return this.value(a.type.data[k]!, a.val.data[k]!, a.num.data, a.long.data);
      return undefined;
    }
    const res = x.scopes.scopeResource.data[x.scope.data[s]!]!;
    const a = x.scopes.resAttrs;
    const keys = a.key.data;
    const end = x.scopes.resAttrEnd.data[res]!;
    for (let k = res === 0 ? 0 : x.scopes.resAttrEnd.data[res - 1]!; k < end; k++)
      if (keys[k] === id) return this.value(a.type.data[k]!, a.val.data[k]!, a.num.data, a.long.data);
    return undefined;
  }
}

/** The engine's view of one trace's spans, gathered from every segment (a span is its position). */
export class RefAccessor implements SpanAccessor<number> {
  private accs: SegmentAccessor[] = [];
  private spans: number[] = [];

  get length(): number {
    return this.spans.length;
  }

  reset(): void {
    this.accs = [];
    this.spans = [];
  }

  add(acc: SegmentAccessor, span: number): void {
    this.accs.push(acc);
    this.spans.push(span);
  }

  at(r: number): { acc: SegmentAccessor; span: number } {
    return { acc: this.accs[r]!, span: this.spans[r]! };
  }

  name(r: number): string {
    return this.accs[r]!.name(this.spans[r]!);
  }
  status(r: number): StatusCode {
    return this.accs[r]!.status(this.spans[r]!);
  }
  kind(r: number): SpanKind {
    return this.accs[r]!.kind(this.spans[r]!);
  }
  durationNs(r: number): number {
    return this.accs[r]!.durationNs(this.spans[r]!);
  }
  statusMessage(r: number): string | undefined {
    return this.accs[r]!.statusMessage(this.spans[r]!);
  }
  attribute(r: number, scope: 'span' | 'resource', key: string): FieldValue {
    return this.accs[r]!.attribute(this.spans[r]!, scope, key);
  }
}
