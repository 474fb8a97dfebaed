/**
 * Small readers for untrusted JSON: every value from a server is `unknown` until one of these
 * has looked at it.
 */
import type { Attribute, AttributeValue } from '../../shared/model';

/** A plain JSON object. */
export type JsonObject = Record<string, unknown>;

/** True for a JSON object (not an array, not null). */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The property as an object, or undefined. */
export function obj(o: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = o?.[key];
  return isObject(v) ? v : undefined;
}

/** The property as an array (empty when missing or not an array). */
export function arr(o: JsonObject | undefined, key: string): unknown[] {
  const v = o?.[key];
  return Array.isArray(v) ? v : [];
}

/** The property as a string (numbers are stringified: int64 may come either way). */
export function str(o: JsonObject | undefined, key: string): string | undefined {
  const v = o?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

/** The property as a finite number (numeric strings are parsed: int64 arrive as strings). */
export function num(o: JsonObject | undefined, key: string): number | undefined {
  const v = o?.[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** An OTLP AnyValue as a value for display; arrays and maps become JSON text. */
export function anyValue(v: unknown): AttributeValue {
  if (!isObject(v)) return null;
  if (typeof v['stringValue'] === 'string') return v['stringValue'];
  if (typeof v['boolValue'] === 'boolean') return v['boolValue'];
  if ('intValue' in v) {
    const raw = v['intValue'];
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
    if (Number.isSafeInteger(n)) return n;
    return typeof raw === 'string' ? raw : null;
  }
  if ('doubleValue' in v) {
    const raw = v['doubleValue'];
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'string') return Number(raw);
    return null;
  }
  if (typeof v['bytesValue'] === 'string') return v['bytesValue'];
  if (isObject(v['arrayValue'])) {
    return JSON.stringify(arr(v['arrayValue'], 'values').map(anyValue));
  }
  if (isObject(v['kvlistValue'])) {
    const entries = attributes(arr(v['kvlistValue'], 'values'));
    return JSON.stringify(Object.fromEntries(entries.map((a) => [a.key, a.value])));
  }
  return null;
}

/** OTLP KeyValue[] as attributes; entries without a key are skipped. */
export function attributes(list: unknown[]): Attribute[] {
  const out: Attribute[] = [];
  for (const kv of list) {
    if (!isObject(kv) || typeof kv['key'] !== 'string') continue;
    out.push({ key: kv['key'], value: anyValue(kv['value']) });
  }
  return out;
}
