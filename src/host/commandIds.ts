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
  openBackendSetting: 'traceLens.openBackendSetting',
  goToSpanSource: 'traceLens.goToSpanSource',
  clearOverlay: 'traceLens.clearOverlay',
  showFunctionTraces: 'traceLens.showFunctionTraces',
  searchTraces: 'traceLens.searchTraces',
  clearSearch: 'traceLens.clearSearch',
  showSearchResults: 'traceLens.showSearchResults',
  receiverMenu: 'traceLens.receiverMenu',
  startReceiver: 'traceLens.startReceiver',
  stopReceiver: 'traceLens.stopReceiver',
  clearLocalTraces: 'traceLens.clearLocalTraces',
  copyOtlpEndpoint: 'traceLens.copyOtlpEndpoint',
  copyOtelVariables: 'traceLens.copyOtelVariables',
  filterLive: 'traceLens.filterLive',
  clearLiveFilter: 'traceLens.clearLiveFilter',
  chooseQueryBackend: 'traceLens.chooseQueryBackend',
  saveTraceAs: 'traceLens.saveTraceAs',
  panelBack: 'traceLens.panelBack',
  panelForward: 'traceLens.panelForward',
  compareTraces: 'traceLens.compareTraces',
} as const;

/** The commands of the source features (`host/source/`); their handlers come from there. */
export type SourceCommandId =
  | typeof Commands.goToSpanSource
  | typeof Commands.clearOverlay
  | typeof Commands.showFunctionTraces
  | typeof Commands.searchTraces
  | typeof Commands.clearSearch
  | typeof Commands.showSearchResults;

/** The commands of the local receiver (`host/local/`); their handlers come from there. */
export type LocalCommandId =
  | typeof Commands.receiverMenu
  | typeof Commands.startReceiver
  | typeof Commands.stopReceiver
  | typeof Commands.clearLocalTraces
  | typeof Commands.copyOtlpEndpoint
  | typeof Commands.copyOtelVariables
  | typeof Commands.filterLive
  | typeof Commands.clearLiveFilter
  | typeof Commands.chooseQueryBackend;

/**
 * Arguments of `traceLens.goToSpanSource`: a span by depth-first `index` (the panel) or by
 * `spanId` (hovers); with `eventIndex` and `frameIndex`, one frame of that span's exception.
 */
export interface GoToSourceArgs {
  traceId: string;
  index?: number;
  spanId?: string;
  eventIndex?: number;
  frameIndex?: number;
}

/** Arguments of `traceLens.openTraceById`, also used by hover links (JSON-encoded). */
export interface OpenTraceArgs {
  traceId: string;
  spanId?: string;
  /** Where the ID was found, for Recent Traces (default "opened"). */
  source?: 'terminal' | 'debug' | 'hover' | 'opened' | 'editor';
}

/** Arguments of `traceLens.copyTraceId`. */
export interface CopyTraceIdArgs {
  traceId: string;
}

/** Builds a `command:` URI for markdown, with JSON-encoded arguments. */
export function commandUri(command: string, args: unknown): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([args]))}`;
}
