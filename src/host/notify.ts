import * as vscode from 'vscode';
import { failureNotice, showLogButton } from '../core/notices';
import type { InertText } from '../core/untrusted';

/**
 * The only place that calls `vscode.window.show{Information,Warning,Error}Message`: every message
 * is `InertText` (built by `core/notices.ts`), so no trace, server or settings text reaches the
 * workbench's link renderer. `notify.test.ts` fails if any other file calls those functions.
 */

/** An information toast; resolves with the button pressed. */
export function info(text: InertText, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showInformationMessage(text, ...buttons);
}

/** A warning toast; resolves with the button pressed. */
export function warn(text: InertText, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(text, ...buttons);
}

/** An error toast; resolves with the button pressed. */
export function error(text: InertText, ...buttons: string[]): Thenable<string | undefined> {
  return vscode.window.showErrorMessage(text, ...buttons);
}

/** A modal warning with a detail line; resolves with the button pressed (undefined: cancelled). */
export function askWarning(
  text: InertText,
  detail: InertText,
  ...buttons: string[]
): Thenable<string | undefined> {
  return vscode.window.showWarningMessage(text, { modal: true, detail }, ...buttons);
}

/** An error toast with a "Show Log" button that reveals `log`. */
export function errorWithLog(log: vscode.LogOutputChannel, text: InertText): void {
  const button = showLogButton();
  void error(text, button).then((picked) => {
    if (picked === button) log.show();
  });
}

/**
 * A failure: the whole message (a server's words included, credentials masked by the backends)
 * goes to the log (unless `logged`: the caller wrote it already); the toast says what kind of
 * failure it was and offers "Show Log".
 */
export function failure(
  log: vscode.LogOutputChannel,
  err: unknown,
  options: { context?: string; logged?: boolean } = {},
): void {
  const notice = failureNotice(err);
  if (!options.logged) log.warn(options.context ? `${options.context}: ${notice.details}` : notice.details);
  errorWithLog(log, notice.text);
}
