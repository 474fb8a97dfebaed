import * as vscode from 'vscode';
import { isBackendError } from '../core/backends';

/**
 * Runs `fn` with an AbortSignal that aborts when `token` is cancelled (the Cancel button of a
 * `withProgress` notification), so the backend stops the request instead of finishing it unseen.
 * `controller` lets the caller abort the same signal for its own reasons too.
 */
export async function withAbortSignal<T>(
  token: vscode.CancellationToken,
  fn: (signal: AbortSignal) => Promise<T>,
  controller = new AbortController(),
): Promise<T> {
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await fn(controller.signal);
  } finally {
    subscription.dispose();
  }
}

/** True when `err` says the operation was cancelled (by the person), which is not a failure. */
export function isCancelled(err: unknown): boolean {
  return isBackendError(err, 'cancelled') || err instanceof vscode.CancellationError;
}
