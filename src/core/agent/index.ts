/**
 * Traces for agents: the language-model tools of VS Code and the MCP server of the CLI answer
 * from here. Compact Markdown within a token budget, trace text quoted as data, follow-ups named.
 */
export { LM_TOOL_NAMES, MCP_TOOL_NAMES, type ToolNames } from './followUp';
export { CHARS_PER_TOKEN, code, DEFAULT_MAX_TOKENS, estimateTokens } from './markdown';
export { invocationMessage, shownBackendLabel } from './prepare';
export type { RecentEntry } from './recent';
export {
  backendLabel,
  errorAnswer,
  noBackendAnswer,
  runCompareTraces,
  runFunctionStats,
  runGetSpan,
  runGetTrace,
  runRecentTraces,
  runSearchTraces,
  traceIdFrom,
  type AgentBackend,
  type AgentContext,
  type AgentTrace,
  type BackendLabelWords,
  type ToolAnswer,
} from './run';
export { spanLogRecords, type SpanLogRecord } from './span';
export { mcpToolSpecs, toolSpecs, type JsonSchema, type ToolSpec } from './specs';
