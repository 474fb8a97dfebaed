import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import {
  FileIndex,
  isInsideWorkspace,
  type ResolveContext,
  type WorkspaceFolderInfo,
} from '../../core/source';
import { regularFile, type Refusal } from '../../core/source';

/** Folders never indexed: dependencies, VCS data and build output. */
export const INDEX_EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/target/**,**/.venv/**}';
const EXCLUDED_SEGMENT = /[\\/](?:node_modules|\.git|dist|out|target|\.venv)(?:[\\/]|$)/;
const MAX_FILES = 200_000;
const MAX_MAPPINGS = 100;
const MAX_REALPATHS = 20_000;

/** A path checked to be inside the workspace after following symlinks. */
export interface VerifiedPath {
  /** The path as the workspace spells it (what editors open). */
  path: string;
  /** Its `fs.realpath`, inside a (real) workspace folder. */
  real: string;
}

/** The real path of a regular file outside the system folders, or why not (`core/source/regularFile.ts`). */
const realRegularFile = (path: string) => regularFile(path, fs);

/** Reads `traceLens.pathMappings`: string → string, anything else dropped. */
function readMappings(): { mappings: Record<string, string>; problems: string[] } {
  const section = vscode.workspace.getConfiguration('traceLens');
  // Restricted in untrusted workspaces (package.json), so VS Code already ignores the
  // workspace's value there; read only the user's value too, in case it does not.
  const raw = vscode.workspace.isTrusted
    ? section.get<unknown>('pathMappings')
    : section.inspect<unknown>('pathMappings')?.globalValue;
  const mappings: Record<string, string> = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { mappings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push('traceLens.pathMappings must be an object of "remote prefix": "local path"');
    return { mappings, problems };
  }
  for (const [from, to] of Object.entries(raw as Record<string, unknown>)) {
    if (Object.keys(mappings).length >= MAX_MAPPINGS) {
      problems.push(`traceLens.pathMappings: only the first ${MAX_MAPPINGS} entries are used`);
      break;
    }
    if (
      typeof to !== 'string' ||
      from.trim() === '' ||
      to.trim() === '' ||
      from.length > 1024 ||
      to.length > 1024
    ) {
      problems.push(`traceLens.pathMappings: the entry "${from.slice(0, 80)}" was ignored (not a path)`);
      continue;
    }
    mappings[from.trim()] = to.trim();
  }
  return { mappings, problems };
}

/** Local workspace folders (only `file:` folders have paths we can check on disk). */
function localFolders(): WorkspaceFolderInfo[] {
  return (vscode.workspace.workspaceFolders ?? [])
    .filter((f) => f.uri.scheme === 'file')
    .map((f) => ({ name: f.name, path: f.uri.fsPath }));
}

/**
 * The workspace's files for source resolution: a `FileIndex` built with one `findFiles` on
 * first use and kept current by a file-system watcher, the folders, and the path mappings. Also
 * the containment check on real paths (symlinks followed) that every path must pass before it
 * is opened.
 */
export class WorkspaceIndex implements vscode.Disposable {
  private index: Promise<FileIndex> | undefined;
  private realFolders: Promise<WorkspaceFolderInfo[]> | undefined;
  private readonly realPaths = new Map<string, Promise<{ real: string } | Refusal>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  private reportedProblems = '';
  /** Fires when folders, files or mappings changed, so cached resolutions are stale. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    this.disposables.push(
      watcher,
      this.changed,
      watcher.onDidCreate((uri) => this.onFile(uri, true)),
      watcher.onDidDelete((uri) => this.onFile(uri, false)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('traceLens.pathMappings')) this.changed.fire();
      }),
    );
  }

  private onFile(uri: vscode.Uri, created: boolean): void {
    this.realPaths.clear();
    if (uri.scheme !== 'file' || EXCLUDED_SEGMENT.test(uri.fsPath)) return;
    // Before the first build there is nothing to update: the build will list the file.
    // (Deleting a folder reports the folder only; stale entries then fail `verify` and are skipped.)
    void this.index?.then((index) => (created ? index.add(uri.fsPath) : index.remove(uri.fsPath)));
    if (this.index) this.changed.fire();
  }

  private reset(): void {
    this.index = undefined;
    this.realFolders = undefined;
    this.realPaths.clear();
    this.changed.fire();
  }

  /** The file index, built on first use. */
  files(): Promise<FileIndex> {
    this.index ??= (async () => {
      const started = Date.now();
      const uris = await vscode.workspace.findFiles('**/*', INDEX_EXCLUDE, MAX_FILES);
      const index = new FileIndex(uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath));
      this.log.info(
        `source index: ${index.size} files in ${Date.now() - started} ms${uris.length >= MAX_FILES ? ` (stopped at ${MAX_FILES})` : ''}`,
      );
      return index;
    })();
    this.index.catch((err: unknown) => {
      this.log.warn(`source index: listing the workspace failed: ${String(err)}`);
      this.index = undefined;
    });
    return this.index;
  }

  /** What the resolver needs for a span of `serviceName`. */
  async context(serviceName?: string): Promise<ResolveContext> {
    const fileIndex = await this.files();
    const { mappings, problems } = readMappings();
    const said = problems.join('\n');
    if (said !== '' && said !== this.reportedProblems)
      for (const p of problems) this.log.warn(`settings: ${p}`);
    this.reportedProblems = said;
    const ctx: ResolveContext = { folders: localFolders(), pathMappings: mappings, fileIndex };
    if (serviceName) ctx.serviceName = serviceName;
    return ctx;
  }

  private folderRealPaths(): Promise<WorkspaceFolderInfo[]> {
    this.realFolders ??= Promise.all(
      localFolders().map(async (f) => {
        try {
          return { name: f.name, path: await fs.realpath(f.path) };
        } catch {
          return undefined; // a folder we cannot resolve contains nothing we open
        }
      }),
    ).then((list) => list.filter((f) => f !== undefined));
    return this.realFolders;
  }

  /**
   * `path` when it is a regular file whose real path (symlinks followed) is inside a real
   * workspace folder and outside the system folders; otherwise why not (fail closed: what cannot
   * be checked is refused).
   */
  async check(path: string): Promise<VerifiedPath | Refusal> {
    if (path === '') return { refused: 'no path' };
    let pending = this.realPaths.get(path);
    if (!pending) {
      pending = realRegularFile(path);
      if (this.realPaths.size >= MAX_REALPATHS) this.realPaths.clear();
      this.realPaths.set(path, pending);
    }
    const found = await pending;
    if ('refused' in found) return found;
    const folders = await this.folderRealPaths();
    return isInsideWorkspace(found.real, folders)
      ? { path, real: found.real }
      : { refused: 'it leads outside the workspace (a symlink)' };
  }

  /** `check` without the reason: the verified path, or undefined. */
  async verify(path: string): Promise<VerifiedPath | undefined> {
    const checked = await this.check(path);
    return 'refused' in checked ? undefined : checked;
  }

  /** The real path of a regular file outside the workspace, or why it is not offered. */
  realFile(path: string): Promise<{ real: string } | Refusal> {
    return realRegularFile(path);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
    this.realPaths.clear();
  }
}
