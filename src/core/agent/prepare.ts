/**
 * What a tool says before it runs (VS Code's `prepareInvocation`): which backend it will ask, and
 * for what. Markdown source; the input (a model's) and the backend label (settings) are escaped so
 * they read as text. Pure.
 */
import { markdownText } from '../untrusted';
import type { ToolSpec } from './specs';
import { traceIdFrom } from './run';

type Input = Record<string, unknown> | undefined;

function str(input: Input, key: string): string | undefined {
  const v = input?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function id(input: Input, key: string): string {
  const raw = str(input, key);
  if (raw === undefined) return '(none given)';
  const found = traceIdFrom(raw, key);
  return 'traceId' in found ? found.traceId : '(not a trace ID)';
}

const t = (s: string | undefined, max = 120): string => markdownText(s ?? '?', { max });

/** The progress message of tool `key` for `input`, naming `backend` (e.g. "Tempo at 127.0.0.1:3200"). */
export function invocationMessage(key: ToolSpec['key'], rawInput: unknown, backend: string): string {
  const input = (typeof rawInput === 'object' && rawInput !== null ? rawInput : undefined) as Input;
  const b = t(backend, 100);
  switch (key) {
    case 'getTrace':
      return `Asking ${b} for trace ${id(input, 'trace_id')}`;
    case 'getSpan':
      return `Asking ${b} for span ${t(str(input, 'span'), 80)} of trace ${id(input, 'trace_id')}`;
    case 'searchTraces':
      return `Searching ${b} for ${t(str(input, 'query'), 200)} over the last ${t(str(input, 'since') ?? '1h', 20)}`;
    case 'compareTraces':
      return `Asking ${b} for traces ${id(input, 'trace_id_a')} and ${id(input, 'trace_id_b')} to compare them`;
    case 'functionStats': {
      const what = str(input, 'function') ?? `the function at line ${str(input, 'line') ?? '?'}`;
      return `Asking ${b} how ${t(what, 120)} in ${t(str(input, 'file'), 200)} performed over the last ${t(str(input, 'since') ?? '1h', 20)}`;
    }
    case 'recentTraces':
      return 'Listing the trace IDs seen recently in this workspace (no backend is asked)';
  }
}
