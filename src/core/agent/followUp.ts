/**
 * Cursors and follow-ups: how an answer that stopped at its budget names the call that gets the
 * rest. The same answers serve VS Code's language-model tools and the MCP server, which name the
 * tools differently; the arguments are the same.
 */
import { code } from './markdown';

/** The tool names an answer refers to in its follow-ups. */
export interface ToolNames {
  getTrace: string;
  getSpan: string;
  searchTraces: string;
  compareTraces: string;
  /** Only in VS Code. */
  functionStats?: string;
  /** Only in VS Code. */
  recentTraces?: string;
}

/** The names of VS Code's language-model tools (`contributes.languageModelTools`). */
export const LM_TOOL_NAMES: Required<ToolNames> = {
  getTrace: 'traceLens_getTrace',
  getSpan: 'traceLens_getSpan',
  searchTraces: 'traceLens_searchTraces',
  compareTraces: 'traceLens_compareTraces',
  functionStats: 'traceLens_functionStats',
  recentTraces: 'traceLens_recentTraces',
};

/** The names of the MCP server's tools (`trace-lens mcp`). */
export const MCP_TOOL_NAMES: ToolNames = {
  getTrace: 'get_trace',
  getSpan: 'get_span',
  searchTraces: 'search_traces',
  compareTraces: 'compare_traces',
};

/** Arguments of a follow-up call: only our own values (hex IDs, cursors, numbers) go in here. */
export type FollowUpArgs = Record<string, string | number>;

/**
 * "`get_trace` with `{"trace_id":"…","cursor":"errors:5"}`". The arguments are fenced like any
 * untrusted value: a path or ID from an input or a server may hold a backtick.
 */
export function call(tool: string, args: FollowUpArgs): string {
  return `\`${tool}\` with ${code(JSON.stringify(args), 4400)}`;
}

/** A cursor: a section of the answer and the first item to show (`errors:5`). */
export interface Cursor {
  section: string;
  offset: number;
}

/** Parses `section:offset`; undefined for anything else (the caller says so). */
export function parseCursor(raw: string | undefined, sections: readonly string[]): Cursor | undefined {
  if (raw === undefined) return undefined;
  const m = /^([a-z]+):(\d{1,7})$/.exec(raw.trim());
  if (!m || !sections.includes(m[1]!)) return undefined;
  return { section: m[1]!, offset: Number(m[2]) };
}

/** `section:offset`. */
export function cursor(section: string, offset: number): string {
  return `${section}:${offset}`;
}
