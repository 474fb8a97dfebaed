import * as vscode from 'vscode';
import { detectTraceIds, type DetectedId } from '../core/ids/detect';
import { formatDuration } from '../core/analysis/format';
import { SpanFlag, spanIndexById } from '../shared/model';
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
    if (id.confidence !== 'high' && this.config?.bareIds === 'off') return undefined;
    const range = new vscode.Range(position.line, id.start, position.line, id.end);
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const loaded = await this.traces.load(id.traceId, controller.signal);
      this.recent.add(id.traceId, 'hover', id.spanId);
      return new vscode.Hover(renderSummary(loaded, id, this.config?.grafanaUrl !== undefined), range);
    } catch (err) {
      if (token.isCancellationRequested || err instanceof vscode.CancellationError) return undefined;
      const md = trustedMarkdown();
      md.appendMarkdown('**Trace Lens** · ');
      md.appendText(err instanceof Error ? err.message : String(err));
      md.appendMarkdown(`\n\n[Copy ID](${commandUri(Commands.copyTraceId, { traceId: id.traceId })})`);
      return new vscode.Hover(md, range);
    } finally {
      sub.dispose();
    }
  }
}

/** Markdown that may run our own commands and nothing else; trace text goes in as text. */
function trustedMarkdown(): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.isTrusted = {
    enabledCommands: [
      Commands.openTraceById,
      Commands.copyTraceId,
      Commands.goToSpanSource,
      Commands.openInGrafana,
    ],
  };
  md.supportHtml = false;
  return md;
}

/** Escapes text for use inside inline code spans is not needed: appendText escapes markdown. */
function renderSummary(loaded: LoadedTrace, id: DetectedId, grafana: boolean): vscode.MarkdownString {
  const s = loaded.summary;
  const md = trustedMarkdown();
  md.appendMarkdown('$(telescope) ');
  md.appendText(s.rootService);
  md.appendMarkdown(' · **');
  md.appendText(s.rootName);
  md.appendMarkdown('**\n\n');
  const parts = [
    formatDuration(s.durationNs),
    `${s.spanCount} ${s.spanCount === 1 ? 'span' : 'spans'}`,
    `${s.serviceCount} ${s.serviceCount === 1 ? 'service' : 'services'}`,
  ];
  md.appendText(parts.join(' · '));
  if (s.errorCount > 0) {
    md.appendMarkdown(' · $(error) ');
    md.appendText(`${s.errorCount} ${s.errorCount === 1 ? 'error' : 'errors'}`);
  }
  md.appendMarkdown('\n\n');
  if (loaded.partialMessage) {
    md.appendMarkdown('$(warning) ');
    md.appendText(`Partial trace: ${loaded.partialMessage}`);
    md.appendMarkdown('\n\n');
  }
  md.appendMarkdown('Services: ');
  md.appendText(s.services.map((x) => x.name).join(', '));
  md.appendMarkdown('\n\n');
  const top = s.topContributor;
  if (top) {
    const model = loaded.decoded.model;
    const parent = model.columns.parent[top.index] ?? -1;
    const parentName = parent >= 0 ? model.strings[model.columns.name[parent]!] : undefined;
    md.appendMarkdown('Where the time went: ');
    md.appendText(
      `${parentName ? `${parentName} → ` : ''}${top.name} ${formatDuration(top.selfTimeNs)} (${Math.round(top.share * 100)}%)`,
    );
    md.appendMarkdown('\n\n');
  }
  if (id.spanId) {
    const spanName = spanNameById(loaded, id.spanId);
    md.appendMarkdown('This line was written by span ');
    md.appendText(spanName ? `${spanName} (${id.spanId})` : `${id.spanId} (not in the trace)`);
    md.appendMarkdown('\n\n');
  }
  const open = commandUri(Commands.openTraceById, {
    traceId: id.traceId,
    ...(id.spanId ? { spanId: id.spanId } : {}),
  });
  const copy = commandUri(Commands.copyTraceId, { traceId: id.traceId });
  md.appendMarkdown(`[$(go-to-file) Open Trace](${open})`);
  if (grafana) {
    const explore = commandUri(Commands.openInGrafana, { traceId: id.traceId });
    md.appendMarkdown(` · [$(link-external) Open in Grafana](${explore})`);
  }
  md.appendMarkdown(` · [$(copy) Copy ID](${copy})`);
  if (id.spanId && spanHasCode(loaded, id.spanId)) {
    const source = commandUri(Commands.goToSpanSource, { traceId: id.traceId, spanId: id.spanId });
    md.appendMarkdown(` · [$(code) Go to Source](${source})`);
  }
  return md;
}

/** Whether the span carries `code.*` attributes or a stack trace (the decoder's `HasCode` flag). */
function spanHasCode(loaded: LoadedTrace, spanId: string): boolean {
  const { model } = loaded.decoded;
  const i = spanIndexById(model, spanId);
  return i >= 0 && ((model.columns.flags[i] ?? 0) & SpanFlag.HasCode) !== 0;
}

function spanNameById(loaded: LoadedTrace, spanId: string): string | undefined {
  const { model } = loaded.decoded;
  const i = spanIndexById(model, spanId);
  return i >= 0 ? model.strings[model.columns.name[i]!] : undefined;
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
