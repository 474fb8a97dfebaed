import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { trace } from '@opentelemetry/api';
import { SeverityNumber, logs } from '@opentelemetry/api-logs';
import type { AnyValueMap } from '@opentelemetry/api-logs';

/** Extra fields of a line, written as `key=value` (logfmt) or JSON members. */
export type Fields = Record<string, string | number | boolean | undefined>;

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  /** With `err`, its stack trace follows the line (logfmt) or is a `stack` member (JSON). */
  error(msg: string, fields?: Fields, err?: unknown): void;
}

export interface LoggerOptions {
  /** The shared log file of the demo workspace, `logs/app.log`; every service appends to it. */
  readonly file: string;
  /** Two of the shapes Trace Lens detects: `trace_id=` in logfmt, `"trace_id":` in JSON. */
  readonly format: 'logfmt' | 'json';
}

const SEVERITY: Record<Level, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

/**
 * A logger that writes each line twice: to the log file, with the trace and span IDs of the
 * active span, and as an OTLP log record (the SDK takes the same IDs from the active context).
 */
export function createLogger(service: string, options: LoggerOptions): Logger {
  mkdirSync(dirname(options.file), { recursive: true });
  const otlp = logs.getLogger('bizfirst-workflow', '1.5.0');

  const emit = (level: Level, msg: string, fields: Fields = {}, err?: unknown) => {
    const span = trace.getActiveSpan()?.spanContext();
    const ids =
      span && trace.isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
    const error = err === undefined ? undefined : err instanceof Error ? err : new Error(String(err));
    const time = new Date();
    const line =
      options.format === 'json'
        ? jsonLine(time, level, service, msg, { ...ids, ...fields }, error)
        : logfmtLine(time, level, service, msg, { ...ids, ...fields }, error);
    appendFileSync(options.file, line);

    const attributes: AnyValueMap = {};
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) attributes[k] = v;
    if (error) {
      attributes['exception.type'] = error.name;
      attributes['exception.message'] = error.message;
      if (error.stack) attributes['exception.stacktrace'] = error.stack;
    }
    otlp.emit({
      timestamp: time,
      severityNumber: SEVERITY[level],
      severityText: level.toUpperCase(),
      body: msg,
      attributes,
    });
  };
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields, err) => emit('error', msg, fields, err),
  };
}

/** `2026-11-23T21:34:47.728Z INFO  workflow-engine workflow started trace_id=… span_id=… wf=…` */
function logfmtLine(time: Date, level: Level, service: string, msg: string, fields: Fields, err?: Error) {
  const kv = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${logfmtValue(v)}`)
    .join(' ');
  const head = `${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${service} ${msg}${kv ? ` ${kv}` : ''}`;
  return `${head}\n${err?.stack ? `${err.stack}\n` : ''}`;
}

function logfmtValue(v: string | number | boolean | undefined): string {
  const s = String(v);
  return /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}

/** A pino-like line: `{"time":…,"level":"error","service":…,"msg":…,"trace_id":…,"span_id":…}` */
function jsonLine(time: Date, level: Level, service: string, msg: string, fields: Fields, err?: Error) {
  const record: Record<string, unknown> = { time: time.toISOString(), level, service, msg, ...fields };
  if (err) record['err'] = { type: err.name, message: err.message, stack: err.stack };
  return `${JSON.stringify(record)}\n`;
}
