import type * as vscode from 'vscode';
import { normalizeTraceId, SPAN_ID_HEX as HEX_16 } from '../../core/ids';
import { Commands, type GoToSourceArgs, type SourceCommandId } from '../commandIds';
import type { TracePanels } from '../tracePanel';
import type { LoadedTrace, TraceService } from '../traceService';
import type { FunctionLenses } from './codeLens';
import { indexOfSpan, type SourceNavigator } from './goToSource';
import type { TraceOverlay } from './overlay';
import type { TraceSearchView } from './searchView';
import { notices } from '../../core/notices';
import * as notify from '../notify';

const isIndex = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 31;

/** Reads `traceLens.goToSpanSource` arguments; undefined for anything malformed. */
export function readGoToSourceArgs(arg: unknown): GoToSourceArgs | undefined {
  const a = (Array.isArray(arg) ? arg[0] : arg) as Record<string, unknown> | undefined;
  if (!a || typeof a !== 'object') return undefined;
  const traceId = typeof a.traceId === 'string' ? normalizeTraceId(a.traceId) : undefined;
  if (!traceId) return undefined;
  const out: GoToSourceArgs = { traceId };
  if (isIndex(a.index)) out.index = a.index;
  if (typeof a.spanId === 'string' && HEX_16.test(a.spanId.toLowerCase()))
    out.spanId = a.spanId.toLowerCase();
  if (out.index === undefined && out.spanId === undefined) return undefined;
  if (a.eventIndex !== undefined || a.frameIndex !== undefined) {
    if (!isIndex(a.eventIndex) || !isIndex(a.frameIndex)) return undefined;
    out.eventIndex = a.eventIndex;
    out.frameIndex = a.frameIndex;
  }
  return out;
}

/** What the source commands need. */
export interface SourceCommandDeps {
  panels: TracePanels;
  traces: TraceService;
  navigator: SourceNavigator;
  overlay: TraceOverlay;
  lenses: FunctionLenses;
  search: TraceSearchView;
  log: vscode.LogOutputChannel;
}

/** Handlers of the source features' commands, merged into the typed table in `commands.ts`. */
export function sourceCommandHandlers(
  deps: SourceCommandDeps,
): Record<SourceCommandId, (...args: unknown[]) => unknown> {
  const { panels, traces, navigator, overlay, lenses, search, log } = deps;
  return {
    [Commands.goToSpanSource]: async (arg: unknown) => {
      const args = readGoToSourceArgs(arg);
      if (!args) return;
      const open = panels.panelTrace(args.traceId);
      let loaded: LoadedTrace;
      try {
        loaded = open?.loaded ?? (await traces.load(args.traceId));
      } catch (err) {
        // TraceService.load wrote the whole message to the log.
        notify.failure(log, err, { logged: true });
        return;
      }
      const index = args.index ?? (args.spanId ? indexOfSpan(loaded, args.spanId) : -1);
      if (index < 0 || index >= loaded.decoded.model.spanCount) {
        void notify.warn(notices.spanNotInTrace());
        return;
      }
      const ref = {
        loaded,
        index,
        ...(open?.viewColumn !== undefined ? { panelColumn: open.viewColumn } : {}),
      };
      if (args.eventIndex !== undefined && args.frameIndex !== undefined) {
        await navigator.goToFrame(ref, args.eventIndex, args.frameIndex);
      } else {
        await navigator.goToSpan(ref);
      }
    },
    [Commands.clearOverlay]: () => overlay.clear(),
    [Commands.showFunctionTraces]: (arg: unknown) => lenses.showTraces(arg),
    [Commands.searchTraces]: () => search.search(),
    [Commands.clearSearch]: () => search.clear(),
    [Commands.showSearchResults]: (id: unknown) => search.showResults(id),
  };
}
