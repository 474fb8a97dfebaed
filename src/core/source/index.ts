/**
 * Source resolution: from a span's `code.*` attributes and stack traces to ranked places in the
 * workspace. Pure (no `vscode`, no file system); the host supplies folders, mappings and a
 * `FileIndex`, and resolves symlinks with `fs.realpath` before `isInsideWorkspace`.
 */
export { FileIndex, type SuffixMatch } from './fileIndex';
export {
  checkCandidatePath,
  isInsideWorkspace,
  notSourceReason,
  systemPathReason,
  type FileKind,
  type WorkspaceFolderInfo,
} from './paths';
export {
  outsideWorkspace,
  refusedPaths,
  resolveSpanSource,
  type RefusedPath,
  type CandidateOrigin,
  type ResolveContext,
  type SourceCandidate,
} from './resolve';
export { isLibraryPath, parseStackTrace, type StackFrame, type StackLanguage } from './stackTrace';
