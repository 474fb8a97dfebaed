/**
 * Every notification Trace Lens shows, one builder per message. Each takes the values it quotes,
 * words the message with `l10n.t` (`@vscode/l10n`, whose bundle the host loads at activation) and
 * returns `InertText`: untrusted values (paths and
 * function names from traces, backend names from settings, the path of a deep link) can never
 * become a link. Server answers never reach a notification: `failureNotice` says what kind of
 * failure it was in a fixed sentence and leaves what the server said to the log.
 * Pure; `notices.test.ts` drives every builder with hostile input.
 */
import { BackendError, type BackendErrorKind } from './backends/errors';
import { TraceDecodeError } from './decode/types';
import * as l10n from '@vscode/l10n';
import { notice, quoted, type InertText } from './untrusted';

/** The button that reveals the log channel. */
export const showLogButton = (): string => l10n.t('Show Log');

/** Builders for every notification, by call site. */
export const notices = {
  // extension.ts
  startFailed: (message: string) =>
    notice(l10n.t('Trace Lens failed to start: {0}. The "Trace Lens" log has the details.', quoted(message))),

  // commands.ts
  noTraceIdAtCursor: () => notice(l10n.t('Trace Lens: no trace ID at the cursor.')),
  invalidTraceId: () => notice(l10n.t('Trace Lens: that is not a valid trace ID.')),
  grafanaUrlMissing: () =>
    notice(l10n.t('Trace Lens: set traceLens.grafana.url (http or https) to open traces in Grafana.')),
  credentialsRemoved: (backend: string) =>
    notice(l10n.t('Trace Lens: credentials for {0} removed.', quoted(backend))),
  credentialsSaved: (backend: string, url: string) =>
    notice(
      l10n.t(
        'Trace Lens: credentials for {0} saved in the system keychain, bound to {1}.',
        quoted(backend),
        quoted(url),
      ),
    ),
  /** A `withProgress` title in the notification area, where links are live too. */
  testingBackend: (backend: string) => notice(l10n.t('Trace Lens: testing {0}…', quoted(backend))),
  /** The backend's own summary: it quotes the version the server reported. */
  connected: (summary: string) => notice(l10n.t('Trace Lens: {0}', quoted(summary))),
  connectionFailed: (backend: string) =>
    notice(
      l10n.t(
        'Trace Lens: cannot use {0}. The log lists each check and what the server answered.',
        quoted(backend),
      ),
    ),

  // uriHandler.ts
  unknownLink: (path: string) => notice(l10n.t('Trace Lens: unknown link {0}', quoted(path))),
  linkWithoutTraceId: () => notice(l10n.t('Trace Lens: the link has no valid traceId.')),

  // source/commands.ts, source/goToSource.ts
  spanNotInTrace: () => notice(l10n.t('Trace Lens: that span is not in the trace.')),
  frameNotInSpan: () => notice(l10n.t('Trace Lens: that stack frame is not in the span (or names no file).')),
  /** Go to Source on a span whose attributes could not be decoded: say so, rather than nothing. */
  spanDetailDamaged: () =>
    notice(
      l10n.t(
        "Trace Lens: this span's details could not be read (the trace data is damaged there), so its source location is unknown.",
      ),
    ),
  notOpened: (path: string, reason: string) =>
    notice(l10n.t('Trace Lens: not opened: {0} ({1}).', quoted(path), quoted(reason))),
  noFunctionInWorkspace: (name: string) =>
    notice(l10n.t('Trace Lens: no function named {0} in the workspace symbols.', quoted(name))),
  namesNoCode: () =>
    notice(
      l10n.t(
        'Trace Lens: the span names no code in this workspace (no code.* attributes or stack frames that map here).',
      ),
    ),
  /** The modal question before opening a file outside the workspace. */
  openOutside: (path: string) => notice(l10n.t('Open {0}? It is outside the workspace.', quoted(path))),
  openOutsideDetail: () =>
    notice(
      l10n.t(
        'The trace names this file and nothing maps it into the workspace. Paths in traces come from other machines; open it only if you expect this file. traceLens.pathMappings maps remote paths into the workspace.',
      ),
    ),
  notOnThisMachine: (path: string) =>
    notice(
      l10n.t(
        'Trace Lens: the span names {0}, which is not in the workspace or on this machine. Map it with traceLens.pathMappings.',
        quoted(path),
      ),
    ),
  notSourceFile: (path: string, reason: string) =>
    notice(
      l10n.t(
        'Trace Lens: not opened: the span names {0}, which is not a source file ({1}).',
        quoted(path),
        quoted(reason),
      ),
    ),
  couldNotOpen: (path: string, reason: string) =>
    notice(l10n.t('Trace Lens: could not open {0}: {1}', quoted(path), quoted(reason))),

  // tracePanel.ts: Save Trace As…
  traceNotLoaded: () => notice(l10n.t('Trace Lens: the trace has not loaded yet: nothing to save.')),
  traceNotSaved: () =>
    notice(l10n.t('Trace Lens: the trace could not be saved: check that the folder exists and is writable.')),

  // source/codeLens.ts
  noTraceqlSearch: (backend: string) =>
    notice(l10n.t('Trace Lens: {0} has no TraceQL search to list traces with.', quoted(backend))),
  /** A `withProgress` title (window area). */
  findingTraces: (fn: string) => notice(l10n.t('Trace Lens: finding traces of {0}…', quoted(fn))),
  noSpansOfFunction: (fn: string) =>
    notice(l10n.t('Trace Lens: no spans of {0} in the last hour.', quoted(fn))),

  // source/searchView.ts
  /** A cancellable `withProgress` title while a search runs. */
  searchingBackend: (backend: string) => notice(l10n.t('Trace Lens: searching {0}…', quoted(backend))),
  queryTooLong: (max: number) => notice(l10n.t('Trace Lens: the query is longer than {0} characters.', max)),

  // local/ (the receiver, its status bar menu, the Live view)
  /** The bind address comes from user settings only; still, it exposes the store. */
  receiverExposed: (address: string) =>
    notice(
      l10n.t(
        'Trace Lens: the receiver listens on {0}, so other machines can send it traces and read them. Set traceLens.receiver.bindAddress to 127.0.0.1 to keep it to this machine.',
        quoted(address),
      ),
    ),
  /** The modal question of Clear Local Traces. */
  clearLocalTraces: (traces: number, spans: number) =>
    notice(l10n.t('Delete the {0} traces and {1} spans in the local store?', traces, spans)),
  clearLocalTracesDetail: () =>
    notice(
      l10n.t('Every VS Code window shares the local store, and its logs go too. This cannot be undone.'),
    ),
  receiverOff: () =>
    notice(
      l10n.t(
        'Trace Lens: the receiver is off. Start it from its status bar item or with "Trace Lens: Start Receiving".',
      ),
    ),
  noOtlpEndpoint: () =>
    notice(
      l10n.t(
        'Trace Lens: nothing receives OTLP/HTTP now: the receiver is off or its port is taken (see its status bar item).',
      ),
    ),
  /** Start or Stop changed the user setting, but the workspace's value wins. */
  receiverSetByWorkspace: () =>
    notice(
      l10n.t(
        "Trace Lens: this workspace's settings set traceLens.receiver.enabled, which overrides your user setting. Change it there.",
      ),
    ),
} as const;

/** A failure for a notification (`text`, with a Show Log button) and for the log (`details`). */
export interface FailureNotice {
  text: InertText;
  /** The whole message, for the log channel (backends mask credentials in their messages). */
  details: string;
}

/** What a person can do about each kind of backend failure; the server's words go to the log. */
const KIND_SENTENCE: Record<BackendErrorKind, () => string> = {
  unreachable: () =>
    l10n.t('Trace Lens: the trace backend could not be reached; check its URL and that it is running'),
  unauthorized: () =>
    l10n.t(
      'Trace Lens: the trace backend needs credentials or refused them; set them with "Trace Lens: Set Credentials…"',
    ),
  forbidden: () =>
    l10n.t(
      'Trace Lens: the trace backend denied access; check the credentials and the tenant with "Trace Lens: Set Credentials…"',
    ),
  'not-found': () =>
    l10n.t(
      'Trace Lens: not found: the trace may not be ingested yet or be older than the retention, or the backend URL lacks its path prefix',
    ),
  timeout: () => l10n.t('Trace Lens: the trace backend timed out; try again, or narrow the time range'),
  'too-large': () => l10n.t('Trace Lens: the trace is too large for the backend or for Trace Lens'),
  'rate-limited': () => l10n.t('Trace Lens: the trace backend is busy or not ready; try again in a minute'),
  'bad-request': () => l10n.t('Trace Lens: the trace backend rejected the request'),
  proxy: () => l10n.t('Trace Lens: a proxy or gateway answered instead of the trace backend; check its URL'),
  server: () => l10n.t('Trace Lens: the trace backend failed with a server error'),
  cancelled: () => l10n.t('Trace Lens: cancelled'),
  'bad-response': () => l10n.t('Trace Lens: the trace backend sent an answer Trace Lens cannot read'),
  'redirect-blocked': () =>
    l10n.t(
      'Trace Lens: the trace backend redirected the request elsewhere, which Trace Lens does not follow; check its URL',
    ),
  unsupported: () => l10n.t('Trace Lens: the trace backend does not support this (an older version?)'),
};

/** The first `BackendError` or `TraceDecodeError` in `err`'s cause chain. */
function knownCause(err: unknown): BackendError | TraceDecodeError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e instanceof Error; depth++) {
    if (e instanceof BackendError || e instanceof TraceDecodeError) return e;
    e = e.cause;
  }
  return undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error && err.message ? err.message : String(err);
}

/**
 * A failure as a notification: for anything a server answered (every backend failure but a
 * settings problem found before any request), a fixed sentence for its kind with the HTTP status;
 * for settings problems and our own errors, the message made inert. `details` holds the whole
 * message for the log.
 */
export function failureNotice(err: unknown): FailureNotice {
  const details = messageOf(err);
  const known = knownCause(err);
  const more = l10n.t('The log has the details.');
  if (known instanceof TraceDecodeError) {
    const sentence = l10n.t('Trace Lens: the trace could not be read (damaged, or not a trace).');
    return { text: notice(`${sentence} ${more}`), details };
  }
  if (known instanceof BackendError) {
    // A settings problem (a URL that is not one, a bad header name): no request was made, and the
    // message is ours about the user's own settings.
    if (known.kind === 'bad-request' && known.status === undefined) {
      return { text: notice(l10n.t('Trace Lens: {0}', quoted(known.message))), details };
    }
    const sentence = KIND_SENTENCE[known.kind]();
    if (known.kind === 'cancelled') return { text: notice(`${sentence}.`), details };
    const status = known.status !== undefined ? ` (HTTP ${known.status})` : '';
    return { text: notice(`${sentence}${status}. ${more}`), details };
  }
  return { text: notice(l10n.t('Trace Lens: {0}', quoted(details))), details };
}
