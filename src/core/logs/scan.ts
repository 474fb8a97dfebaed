/**
 * Log lines of one span: which lines of a log text carry the span's ID, or (for a span no line
 * names) the trace's ID at a time inside the span. The trace IDs are found by the project's
 * detector (`core/ids`), so every form it knows counts (traceparent, `trace_id=`, JSON keys, B3,
 * Jaeger, Spring's `[app,trace,span]`, Tempo URLs...); the span ID also counts as a bare 16-hex
 * token, since many loggers write `span_id=` on lines whose trace ID is elsewhere.
 *
 * Pure and bounded: the caller reads the file (with its own size caps) and hands the text in; a
 * scan keeps at most `maxHits` lines of each kind and says when it stopped early.
 */
import { detectTraceIds } from '../ids';

/** The span whose lines are wanted. */
export interface SpanLogQuery {
  /** 32 lowercase hex digits. */
  traceId: string;
  /** 16 lowercase hex digits. */
  spanId: string;
  /**
   * The span's start and end in Unix milliseconds: a line that carries only the trace ID counts
   * when its timestamp falls inside (log timestamps are rarely finer than a millisecond).
   */
  windowMs: readonly [number, number];
}

/** How a line matched. */
export type LogLineMatch = 'span' | 'trace';

/** A matching line. */
export interface LogLineHit {
  /** 0-based line number in the text. */
  line: number;
  /** The line as a person reads it: colour escapes removed, control characters as spaces, cut to `maxLineChars`. */
  text: string;
  /** `span`: the line carries the span ID; `trace`: the trace ID and no span ID, inside the span's window. */
  by: LogLineMatch;
  /** The line's timestamp in Unix milliseconds, when it has one this module reads. */
  timeMs?: number;
}

/** What a scan found. */
export interface LogScanResult {
  /** Lines that carry the span ID, in text order. */
  span: LogLineHit[];
  /** Lines that carry the trace ID (and no span ID) with a timestamp inside the span's window. */
  trace: LogLineHit[];
  /** More lines matched than `maxHits` of a kind: the lists stop there. */
  truncated: boolean;
}

/** Options of `scanLogText`. */
export interface LogScanOptions {
  /** Lines kept per kind (default 200). */
  maxHits?: number;
  /** Characters kept of a line (default 400). */
  maxLineChars?: number;
}

/** Slack around the span's window for the trace-ID fallback: timestamps are cut to milliseconds. */
const WINDOW_SLACK_MS = 1;

// eslint-disable-next-line no-control-regex -- colour escapes are what is removed
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- control characters become spaces
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A log line for display: no colour escapes or control characters, at most `max` characters. */
export function cleanLogLine(line: string, max = 400): string {
  const plain = line.replace(ANSI, '').replace(CONTROL, ' ').replace(/\s+$/, '');
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

/** Letters and digits: an ID glued to one is part of a longer word, not the ID. */
const isWordCode = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/** Offsets where `hex` (lowercase) occurs in `text` in any case, as a whole token. */
function hexTokenOffsets(text: string, hex: string, out: number[]): void {
  for (const variant of hex === hex.toUpperCase() ? [hex] : [hex, hex.toUpperCase()]) {
    for (let at = text.indexOf(variant); at >= 0; at = text.indexOf(variant, at + 1)) {
      const before = at > 0 ? text.charCodeAt(at - 1) : 0;
      const after = at + hex.length < text.length ? text.charCodeAt(at + hex.length) : 0;
      if (!isWordCode(before) && !isWordCode(after)) out.push(at);
    }
  }
}

/**
 * The lines of `text` that belong to the span: those that carry its span ID, and those that carry
 * its trace ID with no span ID and a timestamp inside the span's window. A line that carries the
 * trace ID with another span's ID belongs to that span and is left out.
 */
export function scanLogText(text: string, query: SpanLogQuery, options: LogScanOptions = {}): LogScanResult {
  const maxHits = options.maxHits ?? 200;
  const maxLineChars = options.maxLineChars ?? 400;
  const traceId = query.traceId.toLowerCase();
  const spanId = query.spanId.toLowerCase();
  // Every match as (offset, kind); sorted, they map to lines in one pass over the text.
  const marks: Array<{ at: number; kind: 'span' | 'trace' | 'other' }> = [];
  const spanOffsets: number[] = [];
  hexTokenOffsets(text, spanId, spanOffsets);
  for (const at of spanOffsets) marks.push({ at, kind: 'span' });
  for (const hit of detectTraceIds(text)) {
    if (hit.traceId !== traceId) continue;
    // A line with the trace and another span's ID belongs to that span: not a fallback line.
    const kind = hit.spanId === spanId ? 'span' : hit.spanId === undefined ? 'trace' : 'other';
    marks.push({ at: hit.start, kind });
  }
  marks.sort((a, b) => a.at - b.at);
  const lines = linesOf(
    text,
    marks.map((m) => m.at),
  );
  // Per line: whether it carries the span, the trace only, or another span.
  const byLine = new Map<
    number,
    { start: number; end: number; span: boolean; trace: boolean; other: boolean }
  >();
  marks.forEach((m, k) => {
    const l = lines[k]!;
    let e = byLine.get(l.line);
    if (!e) byLine.set(l.line, (e = { start: l.start, end: l.end, span: false, trace: false, other: false }));
    e[m.kind === 'span' ? 'span' : m.kind === 'trace' ? 'trace' : 'other'] = true;
  });

  let truncated = false;
  const span: LogLineHit[] = [];
  const trace: LogLineHit[] = [];
  const lo = query.windowMs[0] - WINDOW_SLACK_MS;
  const hi = query.windowMs[1] + WINDOW_SLACK_MS;
  for (const [line, e] of byLine) {
    if (!e.span && (!e.trace || e.other)) continue;
    const raw = text.slice(e.start, e.end);
    const timeMs = lineTimeMs(raw);
    if (!e.span && (timeMs === undefined || timeMs < lo || timeMs > hi)) continue;
    const list = e.span ? span : trace;
    if (list.length >= maxHits) {
      truncated = true;
      continue;
    }
    list.push({
      line,
      text: cleanLogLine(raw, maxLineChars),
      by: e.span ? 'span' : 'trace',
      ...(timeMs !== undefined ? { timeMs } : {}),
    });
  }
  return { span, trace, truncated };
}

/** For sorted offsets: each one's 0-based line and that line's bounds (without the line break). */
function linesOf(
  text: string,
  sorted: readonly number[],
): Array<{ line: number; start: number; end: number }> {
  const out: Array<{ line: number; start: number; end: number }> = [];
  let line = 0;
  let lineStart = 0;
  for (const at of sorted) {
    // Count the line breaks between the line last seen and this offset.
    for (let nl = text.indexOf('\n', lineStart); nl >= 0 && nl < at; nl = text.indexOf('\n', lineStart)) {
      line++;
      lineStart = nl + 1;
    }
    const nl = text.indexOf('\n', at);
    let end = nl < 0 ? text.length : nl;
    if (end > lineStart && text.charCodeAt(end - 1) === 13) end--;
    out.push({ line, start: lineStart, end });
  }
  return out;
}

const ISO =
  /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}(?::?\d{2})?)?(?!\d)/;
const EPOCH = /["']?(?:@?timestamp|time|ts|t)["']?\s*[:=]\s*"?(\d{10,19})(?:\.(\d{1,9}))?(?![\d.])/i;

/**
 * The timestamp of a log line in Unix milliseconds: the first ISO-8601-like date and time
 * (`2026-11-23T21:30:01.902Z`, `2026-11-23 21:36:40.112` in local time, `…+01:00`), else an epoch
 * number under a `time`, `ts` or `timestamp` key (seconds, milliseconds, microseconds or
 * nanoseconds by its digit count). Undefined when the line has neither.
 */
export function lineTimeMs(line: string): number | undefined {
  const m = ISO.exec(line);
  if (m) {
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
    const frac = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    const zone = m[8];
    if (zone === undefined) return new Date(y, mo - 1, d, h, mi, s).getTime() + frac;
    let offsetMin = 0;
    if (zone !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) + frac - offsetMin * 60_000;
  }
  const e = EPOCH.exec(line);
  if (!e) return undefined;
  const digits = e[1]!;
  const whole = Number(digits);
  const frac = e[2] ? Number(`0.${e[2]}`) : 0;
  switch (digits.length) {
    case 10:
      return (whole + frac) * 1000;
    case 13:
      return whole + frac;
    case 16:
      return whole / 1000;
    case 19:
      return Number(BigInt(digits) / 1000n) / 1000;
    default:
      return undefined;
  }
}
