import * as vscode from 'vscode';
import { detectTraceIds, idAllowed, type DetectedId } from '../core/ids';
import { failedSpans, spanHasCode, traceErrorHoverMarkdown, traceHoverMarkdown } from '../core/hovers';
import { Commands, commandUri } from './commandIds';
import type { LoadedTrace, TraceService } from './traceService';
import type { RecentTraces } from './recentTraces';
import type { Config } from './config';

/** Lines longer than this are scanned only up to it (minified logs, base64 blobs). */
export const MAX_SCAN = 64 * 1024;

/** Documents the hover serves: files, unsaved buffers, output channels, git views and more. */
export const TEXT_SCHEMES = ['file', 'untitled', 'output', 'git', 'vscode-userdata', 'vscode-remote'];

/** The trace ID under `position`, if any. */
export function idAt(document: vscode.TextDocument, position: vscode.Position): DetectedId | undefined {
  const line = document.lineAt(position.line).text;
  if (position.character > MAX_SCAN) return undefined;
  const ids = detectTraceIds(line, { maxLength: MAX_SCAN });
  return ids.find((id) => id.start <= position.character && position.character <= id.end);
}

/** Shows the summary of the trace whose ID is under the mouse. */
export class TraceHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly traces: TraceService,
    private readonly recent: RecentTraces,
    private readonly config?: Pick<Config, 'bareIds' | 'grafanaUrl'>,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const id = idAt(document, position);
    if (!id) return undefined;
    if (!idAllowed(id, this.config?.bareIds ?? 'hover', 'hover')) return undefined;
    const range = new vscode.Range(position.line, id.start, position.line, id.end);
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const loaded = await this.traces.load(id.traceId, controller.signal);
      this.recent.add(id.traceId, 'hover', id.spanId);
      return new vscode.Hover(renderSummary(loaded, id, this.config?.grafanaUrl !== undefined), range);
    } catch (err) {
      if (token.isCancellationRequested || err instanceof vscode.CancellationError) return undefined;
      const md = trusted(
        new vscode.MarkdownString(
          traceErrorHoverMarkdown(err instanceof Error ? err.message : String(err), {
            copy: commandUri(Commands.copyTraceId, { traceId: id.traceId }),
            retry: commandUri(Commands.openTraceById, {
              traceId: id.traceId,
              ...(id.spanId ? { spanId: id.spanId } : {}),
            }),
            setting: commandUri(Commands.openBackendSetting, {}),
            testConnection: commandUri(Commands.testConnection, {}),
          }),
          true,
        ),
      );
      return new vscode.Hover(md, range);
    } finally {
      sub.dispose();
    }
  }
}

/** Markdown that may run our own commands and nothing else; trace text goes in escaped (`core/hovers.ts`). */
function trusted(md: vscode.MarkdownString): vscode.MarkdownString {
  md.isTrusted = {
    enabledCommands: [
      Commands.openTraceById,
      Commands.copyTraceId,
      Commands.goToSpanSource,
      Commands.openInGrafana,
      Commands.openBackendSetting,
      Commands.testConnection,
    ],
  };
  md.supportHtml = false;
  return md;
}

function renderSummary(loaded: LoadedTrace, id: DetectedId, grafana: boolean): vscode.MarkdownString {
  const model = loaded.decoded.model;
  return trusted(
    new vscode.MarkdownString(
      traceHoverMarkdown({
        summary: loaded.summary,
        model,
        ...(loaded.summary.errorCount > 0 ? { failures: failedSpans(loaded.decoded) } : {}),
        ...(id.spanId ? { spanId: id.spanId } : {}),
        ...(loaded.partialMessage ? { partialMessage: loaded.partialMessage } : {}),
        source: loaded.sourceLabel,
        links: {
          open: commandUri(Commands.openTraceById, {
            traceId: id.traceId,
            ...(id.spanId ? { spanId: id.spanId } : {}),
          }),
          copy: commandUri(Commands.copyTraceId, { traceId: id.traceId }),
          ...(grafana ? { grafana: commandUri(Commands.openInGrafana, { traceId: id.traceId }) } : {}),
          ...(id.spanId && spanHasCode(model, id.spanId)
            ? { source: commandUri(Commands.goToSpanSource, { traceId: id.traceId, spanId: id.spanId }) }
            : {}),
        },
      }),
      true,
    ),
  );
}

/** Registers the hover for every text document scheme we serve. */
export function registerHover(
  traces: TraceService,
  recent: RecentTraces,
  config?: Config,
): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    TEXT_SCHEMES.map((scheme) => ({ scheme })),
    new TraceHoverProvider(traces, recent, config),
  );
}
