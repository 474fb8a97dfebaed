import * as vscode from 'vscode';

/** The one log channel of the extension ("Trace Lens" in the Output view). */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('Trace Lens', { log: true });
}
