/**
 * Tag names and values of the stored spans, for Tempo's `/api/v2/search/tags` and
 * `/api/v2/search/tag/<tag>/values` (and the v1 forms): the Search view completes TraceQL with
 * them. Per-segment answers are cached until the segment grows (sealed segments never do).
 */
import { ATTR_BOOL, ATTR_DOUBLE, ATTR_INT, ATTR_STR } from '../otlp/batch';
import type { SegmentIndex } from './segmentIndex';
import type { StoreData } from './store';

/** Intrinsics listed under the `intrinsic` scope, as Tempo 3.0 lists the ones this store answers. */
export const INTRINSIC_TAGS = [
  'duration',
  'kind',
  'name',
  'rootName',
  'rootServiceName',
  'span:duration',
  'span:kind',
  'span:name',
  'span:status',
  'status',
  'trace:duration',
  'trace:rootName',
  'trace:rootService',
  'traceDuration',
];

const STATUS_VALUES = ['unset', 'ok', 'error'];
const KIND_VALUES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

interface KeyCache {
  spans: number;
  span: Set<number>;
  resource: Set<number>;
}
const keyCache = new WeakMap<SegmentIndex, KeyCache>();

function keysOf(x: SegmentIndex): KeyCache {
  const hit = keyCache.get(x);
  if (hit && hit.spans === x.spanCount) return hit;
  const span = new Set<number>();
  const keys = x.attrs.key.data;
  for (let k = 0; k < x.attrs.key.length; k++) span.add(keys[k]!);
  const resource = new Set<number>();
  const rkeys = x.scopes.resAttrs.key.data;
  for (let k = 0; k < x.scopes.resAttrs.key.length; k++) resource.add(rkeys[k]!);
  const fresh = { spans: x.spanCount, span, resource };
  keyCache.set(x, fresh);
  return fresh;
}

/** Attribute names by scope (`resource`, `span`) plus the intrinsics, sorted. */
export function tagNames(data: StoreData): { resource: string[]; span: string[]; intrinsic: string[] } {
  const span = new Set<string>();
  const resource = new Set<string>();
  for (const seg of data.segments()) {
    const x = seg.index;
    const c = keysOf(x);
    for (const id of c.span) span.add(x.strings.get(id));
    for (const id of c.resource) resource.add(x.strings.get(id));
  }
  return { resource: [...resource].sort(), span: [...span].sort(), intrinsic: [...INTRINSIC_TAGS] };
}

/** A tag value with its TraceQL type. */
export interface TagValue {
  type: 'string' | 'int' | 'float' | 'bool' | 'keyword';
  value: string;
}

function collect(
  x: SegmentIndex,
  keys: Uint32Array,
  types: Uint8Array,
  vals: Uint32Array,
  nums: Float64Array,
  count: number,
  keyId: number,
  out: Map<string, TagValue>,
  max: number,
): void {
  for (let k = 0; k < count && out.size < max; k++) {
    if (keys[k] !== keyId) continue;
    const t = types[k]!;
    let v: TagValue;
    if (t === ATTR_STR) v = { type: 'string', value: x.strings.get(vals[k]!) };
    else if (t === ATTR_INT) v = { type: 'int', value: String(nums[vals[k]!]) };
    else if (t === ATTR_DOUBLE) v = { type: 'float', value: String(nums[vals[k]!]) };
    else if (t === ATTR_BOOL) v = { type: 'bool', value: vals[k] ? 'true' : 'false' };
    else continue;
    out.set(`${v.type}:${v.value}`, v);
  }
}

/**
 * Values of `tag`, a TraceQL identifier: `resource.x`, `span.x`, `.x` (both scopes), or an
 * intrinsic (`name`, `status`, `kind`, `resource.service.name`...). At most `max` values.
 */
export function tagValues(data: StoreData, tag: string, max = 1000): TagValue[] {
  const out = new Map<string, TagValue>();
  const intrinsic = tag.replace(/^span:/, '');
  if (intrinsic === 'status') return STATUS_VALUES.map((value) => ({ type: 'keyword', value }));
  if (intrinsic === 'kind') return KIND_VALUES.map((value) => ({ type: 'keyword', value }));
  const segs = data.segments();
  if (intrinsic === 'name' || tag === 'rootName' || tag === 'trace:rootName') {
    for (let g = segs.length - 1; g >= 0 && out.size < max; g--) {
      const x = segs[g]!.index;
      const seen = new Set<number>();
      for (let s = 0; s < x.spanCount; s++) seen.add(x.name.data[s]!);
      for (const id of seen) out.set(`s:${x.strings.get(id)}`, { type: 'string', value: x.strings.get(id) });
    }
    return [...out.values()].slice(0, max);
  }
  if (tag === 'rootServiceName' || tag === 'trace:rootService') tag = 'resource.service.name';
  const m = /^(resource|span|)\.(.+)$/.exec(tag);
  const scope = m ? m[1] : '';
  const key = m ? m[2]! : tag;
  for (let g = segs.length - 1; g >= 0 && out.size < max; g--) {
    const x = segs[g]!.index;
    const keyId = x.strings.lookup(key);
    if (keyId < 0) continue;
    if (scope !== 'resource') {
      const a = x.attrs;
      collect(x, a.key.data, a.type.data, a.val.data, a.num.data, a.key.length, keyId, out, max);
    }
    if (scope !== 'span') {
      const a = x.scopes.resAttrs;
      collect(x, a.key.data, a.type.data, a.val.data, a.num.data, a.key.length, keyId, out, max);
    }
  }
  return [...out.values()];
}
