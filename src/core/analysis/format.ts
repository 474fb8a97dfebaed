/**
 * The host's callers import `formatDuration` from here; the function lives in src/shared/format.ts
 * so the webview formats durations with the same code.
 */
export { formatDuration } from '../../shared/format';
