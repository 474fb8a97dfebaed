/**
 * Every notification Trace Lens shows, one builder per message. Each takes the host's `localize`
 * (`vscode.l10n.t`) and the values it quotes, and returns `InertText`: untrusted values (paths and
 * function names from traces, backend names from settings, the path of a deep link) can never
 * become a link. Server answers never reach a notification: `failureNotice` says what kind of
 * failure it was in a fixed sentence and leaves what the server said to the log.
 * Pure; `notices.test.ts` drives every builder with hostile input.
 */
import { BackendError, type BackendErrorKind } from './backends/errors';
import { TraceDecodeError } from './decode/types';
import { notice, type InertText, type Localize } from './untrusted';

/** The button that reveals the log channel. */
export const SHOW_LOG = 'Show Log';

/** Builders for every notification, by call site. */
export const notices = {
  // extension.ts
  startFailed: (l: Localize, message: string) =>
    notice(l, 'Trace Lens failed to start: {0}. The "Trace Lens" log has the details.', message),

  // commands.ts
  noTraceIdAtCursor: (l: Localize) => notice(l, 'Trace Lens: no trace ID at the cursor.'),
  invalidTraceId: (l: Localize) => notice(l, 'Trace Lens: that is not a valid trace ID.'),
  grafanaUrlMissing: (l: Localize) =>
    notice(l, 'Trace Lens: set traceLens.grafana.url (http or https) to open traces in Grafana.'),
  credentialsRemoved: (l: Localize, backend: string) =>
    notice(l, 'Trace Lens: credentials for {0} removed.', backend),
  credentialsSaved: (l: Localize, backend: string, url: string) =>
    notice(l, 'Trace Lens: credentials for {0} saved in the system keychain, bound to {1}.', backend, url),
  /** A `withProgress` title in the notification area, where links are live too. */
  testingBackend: (l: Localize, backend: string) => notice(l, 'Trace Lens: testing {0}…', backend),
  /** The backend's own summary: it quotes the version the server reported. */
  connected: (l: Localize, summary: string) => notice(l, 'Trace Lens: {0}', summary),
  connectionFailed: (l: Localize, backend: string) =>
    notice(l, 'Trace Lens: cannot use {0}. The log lists each check and what the server answered.', backend),

  // uriHandler.ts
  unknownLink: (l: Localize, path: string) => notice(l, 'Trace Lens: unknown link {0}', path),
  linkWithoutTraceId: (l: Localize) => notice(l, 'Trace Lens: the link has no valid traceId.'),

  // source/commands.ts, source/goToSource.ts
  spanNotInTrace: (l: Localize) => notice(l, 'Trace Lens: that span is not in the trace.'),
  frameNotInSpan: (l: Localize) =>
    notice(l, 'Trace Lens: that stack frame is not in the span (or names no file).'),
  /** Go to Source on a span whose attributes could not be decoded: say so, rather than nothing. */
  spanDetailDamaged: (l: Localize) =>
    notice(
      l,
      "Trace Lens: this span's details could not be read (the trace data is damaged there), so its source location is unknown.",
    ),
  notOpened: (l: Localize, path: string, reason: string) =>
    notice(l, 'Trace Lens: not opened: {0} ({1}).', path, reason),
  noFunctionInWorkspace: (l: Localize, name: string) =>
    notice(l, 'Trace Lens: no function named {0} in the workspace symbols.', name),
  namesNoCode: (l: Localize) =>
    notice(
      l,
      'Trace Lens: the span names no code in this workspace (no code.* attributes or stack frames that map here).',
    ),
  /** The modal question before opening a file outside the workspace. */
  openOutside: (l: Localize, path: string) => notice(l, 'Open {0}? It is outside the workspace.', path),
  openOutsideDetail: (l: Localize) =>
    notice(
      l,
      'The trace names this file and nothing maps it into the workspace. Paths in traces come from other machines; open it only if you expect this file. traceLens.pathMappings maps remote paths into the workspace.',
    ),
  notOnThisMachine: (l: Localize, path: string) =>
    notice(
      l,
      'Trace Lens: the span names {0}, which is not in the workspace or on this machine. Map it with traceLens.pathMappings.',
      path,
    ),
  notSourceFile: (l: Localize, path: string, reason: string) =>
    notice(l, 'Trace Lens: not opened: the span names {0}, which is not a source file ({1}).', path, reason),
  couldNotOpen: (l: Localize, path: string, reason: string) =>
    notice(l, 'Trace Lens: could not open {0}: {1}', path, reason),

  // tracePanel.ts: Save Trace As…
  traceNotLoaded: (l: Localize) => notice(l, 'Trace Lens: the trace has not loaded yet: nothing to save.'),
  traceNotSaved: (l: Localize) =>
    notice(l, 'Trace Lens: the trace could not be saved: check that the folder exists and is writable.'),

  // source/codeLens.ts
  noTraceqlSearch: (l: Localize, backend: string) =>
    notice(l, 'Trace Lens: {0} has no TraceQL search to list traces with.', backend),
  /** A `withProgress` title (window area). */
  findingTraces: (l: Localize, fn: string) => notice(l, 'Trace Lens: finding traces of {0}…', fn),
  noSpansOfFunction: (l: Localize, fn: string) =>
    notice(l, 'Trace Lens: no spans of {0} in the last hour.', fn),

  // source/searchView.ts
  /** A cancellable `withProgress` title while a search runs. */
  searchingBackend: (l: Localize, backend: string) => notice(l, 'Trace Lens: searching {0}…', backend),
  queryTooLong: (l: Localize, max: number) =>
    notice(l, 'Trace Lens: the query is longer than {0} characters.', max),

  // local/ (the receiver, its status bar menu, the Live view)
  /** The bind address comes from user settings only; still, it exposes the store. */
  receiverExposed: (l: Localize, address: string) =>
    notice(
      l,
      'Trace Lens: the receiver listens on {0}, so other machines can send it traces and read them. Set traceLens.receiver.bindAddress to 127.0.0.1 to keep it to this machine.',
      address,
    ),
  /** The modal question of Clear Local Traces. */
  clearLocalTraces: (l: Localize, traces: number, spans: number) =>
    notice(l, 'Delete the {0} traces and {1} spans in the local store?', traces, spans),
  clearLocalTracesDetail: (l: Localize) =>
    notice(l, 'Every VS Code window shares the local store, and its logs go too. This cannot be undone.'),
  receiverOff: (l: Localize) =>
    notice(
      l,
      'Trace Lens: the receiver is off. Start it from its status bar item or with "Trace Lens: Start Receiving".',
    ),
  noOtlpEndpoint: (l: Localize) =>
    notice(
      l,
      'Trace Lens: nothing receives OTLP/HTTP now: the receiver is off or its port is taken (see its status bar item).',
    ),
  /** Start or Stop changed the user setting, but the workspace's value wins. */
  receiverSetByWorkspace: (l: Localize) =>
    notice(
      l,
      "Trace Lens: this workspace's settings set traceLens.receiver.enabled, which overrides your user setting. Change it there.",
    ),
} as const;

/** A failure for a notification (`text`, with a Show Log button) and for the log (`details`). */
export interface FailureNotice {
  text: InertText;
  /** The whole message, for the log channel (backends mask credentials in their messages). */
  details: string;
}

/** What a person can do about each kind of backend failure; the server's words go to the log. */
const KIND_SENTENCE: Record<BackendErrorKind, string> = {
  unreachable: 'Trace Lens: the trace backend could not be reached; check its URL and that it is running',
  unauthorized:
    'Trace Lens: the trace backend needs credentials or refused them; set them with "Trace Lens: Set Credentials…"',
  forbidden:
    'Trace Lens: the trace backend denied access; check the credentials and the tenant with "Trace Lens: Set Credentials…"',
  'not-found':
    'Trace Lens: not found: the trace may not be ingested yet or be older than the retention, or the backend URL lacks its path prefix',
  timeout: 'Trace Lens: the trace backend timed out; try again, or narrow the time range',
  'too-large': 'Trace Lens: the trace is too large for the backend or for Trace Lens',
  'rate-limited': 'Trace Lens: the trace backend is busy or not ready; try again in a minute',
  'bad-request': 'Trace Lens: the trace backend rejected the request',
  proxy: 'Trace Lens: a proxy or gateway answered instead of the trace backend; check its URL',
  server: 'Trace Lens: the trace backend failed with a server error',
  cancelled: 'Trace Lens: cancelled',
  'bad-response': 'Trace Lens: the trace backend sent an answer Trace Lens cannot read',
  'redirect-blocked':
    'Trace Lens: the trace backend redirected the request elsewhere, which Trace Lens does not follow; check its URL',
  unsupported: 'Trace Lens: the trace backend does not support this (an older version?)',
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
export function failureNotice(l: Localize, err: unknown): FailureNotice {
  const details = messageOf(err);
  const known = knownCause(err);
  const more = l('The log has the details.');
  if (known instanceof TraceDecodeError) {
    return {
      text: notice(
        l,
        '{0} {1}',
        l('Trace Lens: the trace could not be read (damaged, or not a trace).'),
        more,
      ),
      details,
    };
  }
  if (known instanceof BackendError) {
    // A settings problem (a URL that is not one, a bad header name): no request was made, and the
    // message is ours about the user's own settings.
    if (known.kind === 'bad-request' && known.status === undefined) {
      return { text: notice(l, 'Trace Lens: {0}', known.message), details };
    }
    const sentence = l(KIND_SENTENCE[known.kind]);
    if (known.kind === 'cancelled') return { text: notice(l, '{0}.', sentence), details };
    const status = known.status !== undefined ? ` (HTTP ${known.status})` : '';
    return { text: notice(l, '{0}{1}. {2}', sentence, status, more), details };
  }
  return { text: notice(l, 'Trace Lens: {0}', details), details };
}
