import * as vscode from 'vscode';
import { functionName, namedFunction, type FunctionTarget } from '../../core/traceql';
import { CONTAINER_KINDS, FUNCTION_KINDS } from '../source/symbolNames';

/** A workspace file named by a relative (or absolute, inside the workspace) path, if it is one. */
export function workspaceFile(file: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const clean = file.trim().replace(/\\/g, '/');
  if (clean === '') return undefined;
  if (/^(?:\/|[A-Za-z]:\/)/.test(clean)) {
    const uri = vscode.Uri.file(clean);
    return vscode.workspace.getWorkspaceFolder(uri) ? uri : undefined;
  }
  // No `..`: a relative path stays under its folder.
  if (clean.split('/').some((s) => s === '..')) return undefined;
  const folder = folders.length > 1 ? folders.find((f) => clean.startsWith(`${f.name}/`)) : folders[0];
  if (!folder) return undefined;
  const rest = folders.length > 1 ? clean.slice(folder.name.length + 1) : clean.replace(/^\.\//, '');
  return vscode.Uri.joinPath(folder.uri, rest);
}

/**
 * The function or method around `line` (1-based) of `file`, from the editor's document symbols,
 * as the CodeLens names it; or a sentence saying why there is none.
 */
export async function functionAt(
  file: string,
  line: number,
  /** The workspace check every opened path passes (symlinks followed): `WorkspaceIndex.check`. */
  check: (path: string) => Promise<{ path: string } | { refused: string }>,
): Promise<FunctionTarget | string> {
  const uri = workspaceFile(file);
  if (!uri || uri.scheme !== 'file') return `${file.slice(0, 200)} is not a file of the workspace.`;
  const checked = await check(uri.fsPath);
  if ('refused' in checked) return `${file.slice(0, 200)} is not opened: ${checked.refused}.`;
  let symbols: Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined;
  try {
    symbols = await vscode.commands.executeCommand<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>(
      'vscode.executeDocumentSymbolProvider',
      uri,
    );
  } catch {
    return `${file.slice(0, 200)} cannot be read in the workspace.`;
  }
  const at = line - 1;
  let best: { name: string; container?: string; size: number } | undefined;
  const visit = (
    list: ReadonlyArray<vscode.DocumentSymbol | vscode.SymbolInformation>,
    container?: string,
  ) => {
    for (const s of list) {
      const isDocumentSymbol = 'children' in s && Array.isArray(s.children);
      const range = isDocumentSymbol
        ? (s as vscode.DocumentSymbol).range
        : (s as vscode.SymbolInformation).location.range;
      const own = isDocumentSymbol ? container : (s as vscode.SymbolInformation).containerName || undefined;
      // The innermost named function: a callback inside a method (withSpan's) names no span.
      const named =
        range.start.line <= at && at <= range.end.line && FUNCTION_KINDS.has(s.kind)
          ? namedFunction(s.name, own)
          : undefined;
      if (named) {
        const size = range.end.line - range.start.line;
        if (!best || size <= best.size) best = { ...named, size };
      }
      if (isDocumentSymbol) {
        const next = CONTAINER_KINDS.has(s.kind) ? functionName(s.name) : container;
        visit((s as vscode.DocumentSymbol).children, next);
      }
    }
  };
  visit(symbols ?? []);
  if (!best)
    return `No function or method around line ${line} of ${file.slice(0, 200)} (by the editor's symbols).`;
  const found: { name: string; container?: string } = best;
  const target: FunctionTarget = {
    name: found.name,
    relativePath: vscode.workspace.asRelativePath(uri, false).replace(/\\/g, '/'),
  };
  if (found.container) target.container = found.container;
  return target;
}
