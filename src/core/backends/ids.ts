/**
 * Trace IDs and time ranges as the backends take them, checked before any request is made.
 */
import { normalizeTraceId } from '../../shared/traceId';
import { BackendError } from './errors';

/** The 16-hex form of a padded ID when its top 64 bits are zero (Jaeger/Zipkin IDs). */
export function shortTraceId(id32: string): string {
  return id32.startsWith('0000000000000000') ? id32.slice(16) : id32;
}

/**
 * A trace ID as Tempo reads it (`normalizeTraceId`, the all-zero ID included), or undefined: the
 * form the fetch caches are keyed by.
 */
export function backendTraceId(raw: string): string | undefined {
  return normalizeTraceId(raw, { allowAllZero: true });
}

/** `backendTraceId`, or a `BackendError` a person can act on. */
export function requireTraceId(raw: string, url = ''): string {
  const id = backendTraceId(raw);
  if (id === undefined) {
    const shown = raw
      .trim()
      .slice(0, 40)
      .replace(/[^\x20-\x7e]/g, '?');
    throw new BackendError('bad-request', `"${shown}" is not a trace ID: expected 1 to 32 hex digits`, {
      url,
    });
  }
  return id;
}

// Unix seconds past 1e11 are the year 5138: the caller passed milliseconds, which Tempo reads as
// the far future and then silently finds nothing.
const MAX_SECONDS = 1e11;

/** Checks optional start/end in Unix seconds; returns whole seconds. */
export function checkRange(
  start: number | undefined,
  end: number | undefined,
  url = '',
): { start?: number; end?: number } {
  const out: { start?: number; end?: number } = {};
  for (const [name, value] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) {
      throw new BackendError('bad-request', `${name} must be a time in Unix seconds, not ${String(value)}`, {
        url,
      });
    }
    if (value >= MAX_SECONDS) {
      throw new BackendError(
        'bad-request',
        `${name} ${value} looks like milliseconds or nanoseconds; time ranges are in Unix seconds`,
        { url },
      );
    }
    out[name] = Math.floor(value);
  }
  if (out.start !== undefined && out.end !== undefined && out.end <= out.start) {
    throw new BackendError(
      'bad-request',
      `the time range ends (${out.end}) before it starts (${out.start})`,
      { url },
    );
  }
  return out;
}

/** "2026-11-24 08:40:09 UTC" for a Unix-seconds time in a message. */
export function formatSeconds(s: number): string {
  return new Date(s * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}
