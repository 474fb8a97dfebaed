import * as vscode from 'vscode';
import type { TraceRef } from '../shared/protocol';

/**
 * The command that opens a comparison of two traces, `(a: TraceRef, b: TraceRef)`. Its view is
 * built apart from the search results; until it is registered, Compare is not offered.
 */
export const COMPARE_TRACES_COMMAND = 'traceLens.compareTraces';

/** Whether `traceLens.compareTraces` is registered in this window. */
export async function canCompareTraces(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(COMPARE_TRACES_COMMAND);
}

/** Opens the comparison of `a` with `b`; says so in the log when the command is missing. */
export async function compareTraces(a: TraceRef, b: TraceRef, log: vscode.LogOutputChannel): Promise<void> {
  if (!(await canCompareTraces())) {
    log.warn(`compare: ${COMPARE_TRACES_COMMAND} is not registered; nothing to compare with`);
    return;
  }
  await vscode.commands.executeCommand(COMPARE_TRACES_COMMAND, a, b);
}
