/**
 * Which document symbols are functions Trace Lens can ask a backend about (by the name
 * `namedFunction` gives them, core/traceql): the CodeLens (codeLens.ts) and the agent tools'
 * "function at this line" (agent/symbols.ts) agree.
 */
import * as vscode from 'vscode';

export const FUNCTION_KINDS: ReadonlySet<vscode.SymbolKind> = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
]);

export const CONTAINER_KINDS: ReadonlySet<vscode.SymbolKind> = new Set([
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Namespace,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Object,
  vscode.SymbolKind.Enum,
]);
