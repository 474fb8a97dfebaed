import * as vscode from 'vscode';
import { detectTraceIds, normalizeTraceId, shortIdTypo, SPAN_ID_HEX as HEX_16 } from '../core/ids';
import {
  Commands,
  type CopyTraceIdArgs,
  type LocalCommandId,
  type OpenTraceArgs,
  type SourceCommandId,
} from './commandIds';
import type { TracePanels } from './tracePanel';
import { RecentTraceItem, isRecentSource, type RecentSource, type RecentTraces } from './recentTraces';
import type { Config } from './config';
import { idAt } from './hover';
import { grafanaExploreUrl } from '../core/grafana';
import type { TraceService } from './traceService';
import type { Credentials } from './credentials';
import { redactUrl, type BackendConfig } from '../core/backends';
import { isCancelled, withAbortSignal } from './cancellation';
import { notices } from '../core/notices';
import * as notify from './notify';
import { compareTracesHandler } from './compareCommand';
import { openBackendSetting } from './backendSettings';

/** What the "Open Trace…" box understood from its input. */
export interface ParsedTraceInput {
  traceId: string;
  spanId?: string;
}

/**
 * Reads a trace ID from what a person pasted: a bare ID (any case, 16 or 32 hex, Tempo-style
 * short IDs padded), a log line, a header or a URL. 31 or 15 hex digits are a typo, not an ID
 * (`shortIdTypo`): the caller asks before padding them.
 */
export function parseTraceInput(input: string): ParsedTraceInput | undefined {
  const text = input.trim();
  if (!text || shortIdTypo(text)) return undefined;
  const direct = normalizeTraceId(text);
  if (direct) return { traceId: direct };
  const found = detectTraceIds(text, { includeLow: true })[0];
  if (!found) return undefined;
  return found.spanId ? { traceId: found.traceId, spanId: found.spanId } : { traceId: found.traceId };
}

function readOpenArgs(arg: unknown): OpenTraceArgs | undefined {
  const a = (Array.isArray(arg) ? arg[0] : arg) as Partial<OpenTraceArgs> | string | undefined;
  if (typeof a === 'string') return parseTraceInput(a);
  if (!a || typeof a !== 'object' || typeof a.traceId !== 'string') return undefined;
  const traceId = normalizeTraceId(a.traceId);
  if (!traceId) return undefined;
  const spanId =
    typeof a.spanId === 'string' && HEX_16.test(a.spanId.toLowerCase()) ? a.spanId.toLowerCase() : undefined;
  return {
    traceId,
    ...(spanId ? { spanId } : {}),
    ...(isRecentSource(a.source) ? { source: a.source } : {}),
  };
}

/** What the command handlers need. */
export interface CommandDeps {
  panels: TracePanels;
  traces: TraceService;
  credentials: Credentials;
  recent: RecentTraces;
  config: Config;
  log: vscode.LogOutputChannel;
  /** Handlers of the source features' commands (`host/source/commands.ts`). */
  source: Record<SourceCommandId, (...args: unknown[]) => unknown>;
  /** Handlers of the local receiver's commands (`host/local/commands.ts`). */
  local: Record<LocalCommandId, (...args: unknown[]) => unknown>;
}

function idFromArg(arg: unknown): string | undefined {
  if (arg instanceof RecentTraceItem) return arg.entry.traceId;
  const a = (Array.isArray(arg) ? arg[0] : arg) as Partial<CopyTraceIdArgs> | undefined;
  return typeof a?.traceId === 'string' ? normalizeTraceId(a.traceId) : undefined;
}

function idAtCursor(): ParsedTraceInput | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const id = idAt(editor.document, editor.selection.active);
  if (id) return id.spanId ? { traceId: id.traceId, spanId: id.spanId } : { traceId: id.traceId };
  // A selection that holds an ID in any form.
  const selected = editor.document.getText(editor.selection);
  return selected ? parseTraceInput(selected.slice(0, 4096)) : undefined;
}

/** Registers the commands of the palette, hovers, context menus and views. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { panels, recent, config, log, traces, credentials } = deps;
  // Recent Traces lists what was viewed: a trace whose fetch failed is not added as if it had been.
  // Commands do not wait for the fetch (a caller awaiting the command would wait for the backend).
  const open = async (parsed: ParsedTraceInput & { source?: RecentSource }) => {
    if (await panels.open(parsed.traceId, parsed.spanId))
      recent.add(parsed.traceId, parsed.source ?? 'opened', parsed.spanId);
  };
  const handlers: Record<(typeof Commands)[keyof typeof Commands], (...args: unknown[]) => unknown> = {
    [Commands.openTrace]: async () => {
      let value = '';
      for (;;) {
        const input = await askTraceInput(value);
        if (input === undefined) return;
        const typo = shortIdTypo(input);
        if (!typo) {
          const parsed = parseTraceInput(input);
          if (parsed) void open(parsed);
          return;
        }
        // The padded ID only as an explicit choice: a dropped character is more likely than a
        // dropped leading zero when a person typed or copied the ID.
        const choice = await askTypo(typo);
        if (choice === undefined) return;
        if (choice === 'pad') {
          void open({ traceId: typo.padded });
          return;
        }
        value = input.trim();
      }
    },
    [Commands.openTraceAtCursor]: () => {
      const parsed = idAtCursor();
      if (!parsed) {
        void notify.info(notices.noTraceIdAtCursor());
        return;
      }
      void open(parsed);
    },
    [Commands.copyTraceIdAtCursor]: async () => {
      const parsed = idAtCursor();
      if (!parsed) {
        void notify.info(notices.noTraceIdAtCursor());
        return;
      }
      await vscode.env.clipboard.writeText(parsed.traceId);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Trace ID copied'), 2000);
    },
    [Commands.openTraceById]: (arg: unknown) => {
      const parsed = readOpenArgs(arg);
      if (!parsed) {
        void notify.error(notices.invalidTraceId());
        return;
      }
      void open(parsed);
    },
    [Commands.copyTraceId]: async (arg: unknown) => {
      const id = idFromArg(arg);
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Trace ID copied'), 2000);
    },
    [Commands.openInGrafana]: async (arg: unknown) => {
      const id = idFromArg(arg);
      if (!id) return;
      const base = config.grafanaUrl;
      const url = base ? grafanaExploreUrl(base, config.grafanaDatasourceUid, id) : undefined;
      if (!url) {
        void notify.warn(notices.grafanaUrlMissing());
        return;
      }
      await vscode.env.openExternal(vscode.Uri.parse(url, true));
    },
    [Commands.removeRecentTrace]: (arg: unknown) => {
      const id = idFromArg(arg);
      if (id) recent.remove(id);
    },
    [Commands.clearRecentTraces]: () => recent.clear(),
    [Commands.setCredentials]: () => setCredentials(config, credentials),
    [Commands.testConnection]: () => testConnection(traces, log),
    [Commands.showLog]: () => log.show(),
    // The trace panel's own commands act on the most recently active panel.
    [Commands.saveTraceAs]: () => panels.activePanel?.saveAs(),
    [Commands.panelBack]: () => panels.activePanel?.go(-1),
    [Commands.panelForward]: () => panels.activePanel?.go(1),
    [Commands.compareTraces]: compareTracesHandler({ panels, recent, traces }),
    [Commands.openBackendSetting]: () => openBackendSetting(config),
    ...deps.source,
    ...deps.local,
  };
  return vscode.Disposable.from(
    ...Object.entries(handlers).map(([id, fn]) => vscode.commands.registerCommand(id, fn)),
  );
}

/** The Open Trace box; a digit-short ID is a warning there, not an error, so it can be accepted. */
function askTraceInput(value: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Trace Lens: Open Trace'),
    prompt: vscode.l10n.t('A trace ID, or a log line, header or URL that contains one'),
    placeHolder: '4bf92f3577b34da6a3ce929d0e0e4736',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const typo = shortIdTypo(text);
      if (typo)
        return {
          message: vscode.l10n.t(
            '{0} hex digits: a character may be missing (a trace ID has 32, a span ID 16).',
            typo.digits,
          ),
          severity: vscode.InputBoxValidationSeverity.Warning,
        };
      return text.trim() === '' || parseTraceInput(text)
        ? undefined
        : vscode.l10n.t(
            'No trace ID found: paste 32 (or 16) hex digits, a traceparent header, a log line or a URL.',
          );
    },
  });
}

/** Asks what to do with a digit-short ID: fix it (the default), or open it padded. */
async function askTypo(typo: { digits: number; padded: string }): Promise<'fix' | 'pad' | undefined> {
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: `$(edit) ${vscode.l10n.t('Fix the ID')}`,
        detail: vscode.l10n.t('Back to the ID to add the missing character'),
        choice: 'fix' as const,
      },
      {
        label: `$(arrow-right) ${vscode.l10n.t('Open {0}', typo.padded)}`,
        detail: vscode.l10n.t('Padded with leading zeros, as Tempo reads IDs that come without them'),
        choice: 'pad' as const,
      },
    ],
    {
      title: vscode.l10n.t('{0} hex digits: a character may be missing', typo.digits),
      ignoreFocusOut: true,
    },
  );
  return pick?.choice;
}

async function pickBackend(config: Config): Promise<BackendConfig | undefined> {
  const all = config.backends;
  if (all.length === 1) return all[0];
  const pick = await vscode.window.showQuickPick(
    // A URL may carry user:password; the picker shows it without them.
    all.map((b) => ({ label: b.name, description: `${b.kind} · ${redactUrl(b.url)}`, backend: b })),
    { title: vscode.l10n.t('Trace Lens: which backend?') },
  );
  return pick?.backend;
}

/** Asks for a token or a user and password, and stores them in SecretStorage. */
async function setCredentials(config: Config, credentials: Credentials): Promise<void> {
  const backend = await pickBackend(config);
  if (!backend) return;
  const kind = await vscode.window.showQuickPick(
    [
      {
        label: vscode.l10n.t('Bearer token'),
        detail: vscode.l10n.t('Grafana service account token, or a gateway token'),
        id: 'bearer',
      },
      {
        label: vscode.l10n.t('User and password'),
        detail: vscode.l10n.t('Basic auth, e.g. Grafana Cloud: the Tempo user and an access policy token'),
        id: 'basic',
      },
      { label: vscode.l10n.t('None'), detail: vscode.l10n.t('Forget the stored credentials'), id: 'none' },
    ],
    { title: vscode.l10n.t('Trace Lens: credentials for {0}', backend.name) },
  );
  if (!kind) return;
  if (kind.id === 'none') {
    await credentials.set(backend, {});
    void notify.info(notices.credentialsRemoved(backend.name));
    return;
  }
  let user: string | undefined;
  if (kind.id === 'basic') {
    user = await vscode.window.showInputBox({ title: vscode.l10n.t('User'), ignoreFocusOut: true });
    if (!user) return;
  }
  const secret = await vscode.window.showInputBox({
    title: kind.id === 'basic' ? vscode.l10n.t('Password or token') : vscode.l10n.t('Token'),
    password: true,
    ignoreFocusOut: true,
  });
  if (!secret) return;
  await credentials.set(backend, user ? { user, password: secret } : { token: secret });
  // The URL as written may carry user:password: the toast shows it without them.
  void notify.info(notices.credentialsSaved(backend.name, redactUrl(backend.url)));
}

/** Checks that the backend answers and says what failed and why; Cancel stops the requests. */
async function testConnection(traces: TraceService, log: vscode.LogOutputChannel): Promise<void> {
  try {
    const { backend } = await traces.getBackend();
    const report = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: notices.testingBackend(backend.name),
        cancellable: true,
      },
      (_progress, token) => withAbortSignal(token, (signal) => backend.testConnection({ signal })),
    );
    for (const c of report.checks)
      log.info(`test connection: ${c.name} ${c.ok ? 'ok' : 'FAILED'} ${c.url}: ${c.message}`);
    if (report.ok) void notify.info(notices.connected(report.summary));
    else {
      log.warn(`test connection: ${report.summary}`);
      notify.errorWithLog(log, notices.connectionFailed(backend.name));
    }
  } catch (err) {
    // Cancelled by the person: nothing failed.
    if (isCancelled(err)) log.info('test connection: cancelled');
    else notify.failure(log, err, { context: 'test connection' });
  }
}
