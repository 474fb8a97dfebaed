/**
 * Source resolution: from a span's `code.*` attributes and stack traces to ranked places in the
 * workspace. Pure (no `vscode`, no file system); the host supplies folders, mappings and a
 * `FileIndex`, and resolves symlinks with `fs.realpath` before `isInsideWorkspace`.
 */
export { RequestBudget, type BudgetClock } from './budget';
export { FileIndex, type SuffixMatch } from './fileIndex';
export { FunctionMetrics, type MetricsApi } from './functionMetrics';
export { LensResults } from './lensResults';
export { exceptionFrame, outsideLocations, resolveStackFrame, type OutsideLocation } from './frame';
export {
  checkCandidatePath,
  isInsideWorkspace,
  notSourceReason,
  systemPathReason,
  type FileKind,
  type WorkspaceFolderInfo,
} from './paths';
export {
  DETAIL_MAX,
  pickText,
  shortenMiddle,
  sourcePickTexts,
  symbolPickTexts,
  type PickTexts,
} from './pickItems';
export {
  outsideWorkspace,
  refusedPaths,
  resolveSpanSource,
  type RefusedPath,
  type CandidateOrigin,
  type CandidateWhy,
  type PathMapping,
  type ResolveContext,
  type SourceCandidate,
} from './resolve';
export { kindOf, regularFile, type FileProbe, type Refusal, type StatLike } from './regularFile';
export {
  matchingSpans,
  percentile,
  statsFromMetrics,
  statsFromSearch,
  type FunctionSpan,
  type SearchStats,
  type TraceChoice,
} from './spanStats';
export { hitInRange, keepInRange, type InRange } from './timeRange';
export { isLibraryPath, parseStackTrace, type StackFrame, type StackLanguage } from './stackTrace';
export {
  cleanText,
  formatAgo,
  formatShare,
  lensTitle,
  overlayHintText,
  overlayLineSpan,
  peerHost,
  sourceAnnotationText,
  spanLabel,
  unixNanoToMs,
  type FunctionStats,
  type SpanFacts,
} from './text';
