/** Small helpers for walking `JSON.parse` output without `any`. */

/** A parsed JSON object. */
export type JsonObject = Record<string, unknown>;

/** `v` as an object (not an array, not null), or undefined. */
export function obj(v: unknown): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
}

/** `v` as an array, or undefined. */
export function arr(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

/** `v` as a string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The first of two spellings of a key that is present (proto3 JSON accepts camelCase and snake_case). */
export function get(o: JsonObject, camel: string, snake: string): unknown {
  const v = o[camel];
  return v !== undefined ? v : o[snake];
}

/** A short description of a JSON value's type, for error messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}
