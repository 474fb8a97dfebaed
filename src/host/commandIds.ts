/**
 * Command IDs and their argument types. A handler missing for an ID here fails to compile in
 * `commands.ts`, and the e2e tier checks that every manifest command is registered.
 */
export const Commands = {
  openTrace: 'traceLens.openTrace',
  openTraceById: 'traceLens.openTraceById',
  copyTraceId: 'traceLens.copyTraceId',
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
