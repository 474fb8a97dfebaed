/** Fields appended to a log line as `key=value` (logfmt). */
export type Fields = Record<string, string | number | boolean | undefined>;

export type Level = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  /** A logger that adds `fields` to every line, e.g. the trace and span IDs of a step. */
  child(fields: Fields): Logger;
}

/**
 * The logfmt logger every service uses:
 * `2026-11-23T21:34:47.728Z INFO  workflow-engine workflow started wf=... trace_id=... span_id=...`
 */
export function createLogger(
  service: string,
  base: Fields = {},
  write = (line: string) => console.log(line),
): Logger {
  const emit = (level: Level, msg: string, fields: Fields = {}) => {
    const all = { ...base, ...fields };
    const kv = Object.entries(all)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${formatValue(v)}`)
      .join(' ');
    write(`${new Date().toISOString()} ${level.padEnd(5)} ${service} ${msg}${kv ? ` ${kv}` : ''}`);
  };
  return {
    debug: (msg, fields) => emit('DEBUG', msg, fields),
    info: (msg, fields) => emit('INFO', msg, fields),
    warn: (msg, fields) => emit('WARN', msg, fields),
    error: (msg, fields) => emit('ERROR', msg, fields),
    child: (fields) => createLogger(service, { ...base, ...fields }, write),
  };
}

function formatValue(v: string | number | boolean | undefined): string {
  const s = String(v);
  return /[\s"=]/.test(s) ? JSON.stringify(s) : s;
}
