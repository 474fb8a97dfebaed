import * as vscode from 'vscode';
import { idsFor } from '../core/ids';
import type { Config } from './config';
import type { RecentTraces } from './recentTraces';

const MAX_OUTPUT = 64 * 1024;

/** Debug adapter protocol `output` event, the part we read. */
interface OutputEvent {
  type: 'event';
  event: 'output';
  body: { category?: string; output: string };
}

function isOutputEvent(m: unknown): m is OutputEvent {
  if (typeof m !== 'object' || m === null) return false;
  const e = m as Record<string, unknown>;
  if (e.type !== 'event' || e.event !== 'output') return false;
  const body = e.body as Record<string, unknown> | undefined;
  return typeof body?.output === 'string';
}

/**
 * Collects trace IDs from a debugged program's output into Recent Traces. The debug console has
 * no link API, so this is how IDs printed there become one click away. Bare IDs are collected
 * unless `traceLens.detection.bareIds` is `off` (core/ids/bareIds.ts).
 */
export function registerDebugTracker(
  recent: RecentTraces,
  config: Pick<Config, 'bareIds'>,
): vscode.Disposable {
  return vscode.debug.registerDebugAdapterTrackerFactory('*', {
    createDebugAdapterTracker(): vscode.DebugAdapterTracker {
      return {
        onDidSendMessage(message: unknown) {
          if (!isOutputEvent(message)) return;
          if (message.body.category === 'telemetry') return;
          const output = message.body.output;
          for (const id of idsFor(output, config.bareIds, 'debugOutput', { maxLength: MAX_OUTPUT })) {
            recent.add(id.traceId, 'debug', id.spanId);
          }
        },
      };
    },
  });
}
