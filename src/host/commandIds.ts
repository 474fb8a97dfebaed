/**
 * Command IDs and their argument types. `commands.ts` must register a handler for each ID here
 * (its handler table is typed over this object), and the e2e tier checks that every manifest
 * command is registered.
 */
export const Commands = {
  openTrace: 'traceLens.openTrace',
  openTraceAtCursor: 'traceLens.openTraceAtCursor',
  copyTraceIdAtCursor: 'traceLens.copyTraceIdAtCursor',
  openTraceById: 'traceLens.openTraceById',
  copyTraceId: 'traceLens.copyTraceId',
  openInGrafana: 'traceLens.openInGrafana',
  removeRecentTrace: 'traceLens.removeRecentTrace',
  clearRecentTraces: 'traceLens.clearRecentTraces',
  setCredentials: 'traceLens.setCredentials',
  testConnection: 'traceLens.testConnection',
  showLog: 'traceLens.showLog',
} as const;

/** Arguments of `traceLens.openTraceById`, also used by hover links (JSON-encoded). */
export interface OpenTraceArgs {
  traceId: string;
  spanId?: string;
}

/** Arguments of `traceLens.copyTraceId`. */
export interface CopyTraceIdArgs {
  traceId: string;
}

/** Builds a `command:` URI for markdown, with JSON-encoded arguments. */
export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}
