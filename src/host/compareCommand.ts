/**
 * `traceLens.compareTraces`: opens a comparison panel of two traces. Takes two trace references
 * ({traceId, backend?}: the Search view passes two selected rows), one (a Recent, Live or Search
 * item, or the panel's "Compare with…": then it asks for the other), or none (it asks for both).
 * The picker offers the open panels' traces and Recent Traces, and takes a pasted ID or log line.
 */
import * as vscode from 'vscode';
import { normalizeTraceId } from '../core/ids';
import type { TraceRef } from '../shared/protocol';
import { Commands } from './commandIds';
import { parseTraceInput } from './commands';
import { RecentTraceItem, type RecentTraces } from './recentTraces';
import { LiveTraceItem } from './local/liveView';
import type { TracePanels } from './tracePanel';
import type { TraceService } from './traceService';

/** What the command needs. */
export interface CompareDeps {
  panels: TracePanels;
  recent: RecentTraces;
  traces: TraceService;
}

const MAX_BACKEND_NAME = 200;
// eslint-disable-next-line no-control-regex -- the point is to refuse control characters
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A trace reference from a command argument: `{traceId, backend?}`, a tree item of Recent, Live
 * (its traces are the local store's) or Search, or a string with an ID. Undefined for anything else.
 */
export function traceRefOf(arg: unknown, localBackend: string | undefined): TraceRef | undefined {
  if (arg instanceof RecentTraceItem) return { traceId: arg.entry.traceId };
  if (arg instanceof LiveTraceItem) {
    return localBackend ? { traceId: arg.traceId, backend: localBackend } : { traceId: arg.traceId };
  }
  if (typeof arg === 'string') {
    const parsed = parseTraceInput(arg.slice(0, 4096));
    return parsed && { traceId: parsed.traceId };
  }
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as { traceId?: unknown; backend?: unknown };
  const traceId = typeof a.traceId === 'string' ? normalizeTraceId(a.traceId) : undefined;
  if (!traceId) return undefined;
  const b = a.backend;
  if (typeof b === 'string' && b !== '' && b.length <= MAX_BACKEND_NAME && !CONTROL.test(b)) {
    return { traceId, backend: b };
  }
  return { traceId };
}

interface TracePick extends vscode.QuickPickItem {
  ref?: TraceRef;
}

/** Asks for a trace: open panels' and recent traces, or a pasted ID. Undefined when dismissed. */
async function pickTrace(deps: CompareDeps, title: string, except?: TraceRef): Promise<TraceRef | undefined> {
  const seen = new Set<string>(except ? [except.traceId] : []);
  const items: TracePick[] = [];
  const open = deps.panels.openTraceIds.filter((id) => !seen.has(id));
  if (open.length)
    items.push({ label: vscode.l10n.t('Open panels'), kind: vscode.QuickPickItemKind.Separator });
  for (const id of open) {
    seen.add(id);
    items.push({ label: id, iconPath: new vscode.ThemeIcon('window'), ref: { traceId: id } });
  }
  const recent = deps.recent.list().filter((e) => !seen.has(e.traceId));
  if (recent.length)
    items.push({ label: vscode.l10n.t('Recent traces'), kind: vscode.QuickPickItemKind.Separator });
  for (const e of recent) {
    items.push({
      // Trace text (the summary names spans) as a plain label: quick picks render no markup.
      label: e.summary ?? e.traceId,
      description: e.summary ? e.traceId.slice(0, 16) : undefined,
      iconPath: new vscode.ThemeIcon('pulse'),
      ref: { traceId: e.traceId },
    });
  }
  const qp = vscode.window.createQuickPick<TracePick>();
  qp.title = title;
  qp.placeholder = vscode.l10n.t('Pick a trace, or paste a trace ID, log line or URL');
  qp.matchOnDescription = true;
  qp.items = items;
  qp.ignoreFocusOut = true;
  qp.onDidChangeValue((value) => {
    const parsed = value.trim() ? parseTraceInput(value) : undefined;
    const typed: TracePick[] = parsed
      ? [
          {
            label: parsed.traceId,
            description: vscode.l10n.t('the ID you typed'),
            iconPath: new vscode.ThemeIcon('search'),
            alwaysShow: true,
            ref: { traceId: parsed.traceId },
          },
        ]
      : [];
    qp.items = [...typed, ...items];
  });
  try {
    return await new Promise<TraceRef | undefined>((resolve) => {
      qp.onDidAccept(() => {
        const ref = qp.selectedItems[0]?.ref;
        if (ref) resolve(ref);
      });
      qp.onDidHide(() => resolve(undefined));
      qp.show();
    });
  } finally {
    qp.dispose();
  }
}

/** The command's handler. */
export function compareTracesHandler(deps: CompareDeps): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const local = deps.traces.localBackendName();
    // Context menus pass (item, selectedItems): with two or more selected, compare the first two.
    const listed = Array.isArray(args[1]) && args[1].length >= 2 ? (args[1] as unknown[]) : args;
    let a = traceRefOf(listed[0], local);
    let b = traceRefOf(listed[1], local);
    a ??= await pickTrace(deps, vscode.l10n.t('Compare traces: the reference trace (A)'));
    if (!a) return;
    b ??= await pickTrace(deps, vscode.l10n.t('Compare {0} with… (B)', a.traceId.slice(0, 8)), a);
    if (!b) return;
    deps.panels.openSubject({ kind: 'compare', a, b });
  };
}

/**
 * The command that opens a comparison of two traces, `(a: TraceRef, b: TraceRef)`. Its view is
 * built apart from the search results; until it is registered, Compare is not offered.
 */
export const COMPARE_TRACES_COMMAND = Commands.compareTraces;

/** Whether `traceLens.compareTraces` is registered in this window. */
export async function canCompareTraces(): Promise<boolean> {
  return (await vscode.commands.getCommands(true)).includes(COMPARE_TRACES_COMMAND);
}

/** Opens the comparison of `a` with `b`; says so in the log when the command is missing. */
export async function runCompareTraces(
  a: TraceRef,
  b: TraceRef,
  log: vscode.LogOutputChannel,
): Promise<void> {
  if (!(await canCompareTraces())) {
    log.warn(`compare: ${COMPARE_TRACES_COMMAND} is not registered; nothing to compare with`);
    return;
  }
  await vscode.commands.executeCommand(COMPARE_TRACES_COMMAND, a, b);
}
