/**
 * What the status bar item says about the local receiver: receiving (here or in another window),
 * a port taken, starting, off, or failed; with the traces and spans the store holds. Pure: the
 * host passes the receiver's status, the store's figures and `vscode.l10n.t`.
 */
import * as l10n from '@vscode/l10n';

/** The receiver's state as the host keeps it. */
export interface ReceiverView {
  /** `off`: disabled or stopped; `starting`; `running`; `failed`: it could not start at all. */
  phase: 'off' | 'starting' | 'running' | 'failed';
  /** From the core's `ReceiverStatus`, while running. */
  role?: 'writer' | 'reader' | 'stopped';
  httpPort?: number;
  grpcPort?: number;
  queryUrl?: string;
  otlpHttpUrl?: string;
  writerPid?: number;
  problems?: readonly string[];
  /** The OTLP/HTTP port the settings ask for. */
  wantedHttpPort: number;
  /** The store's figures, when known. */
  stats?: { traces: number; spans: number };
  /** Why it failed, when `phase` is `failed`. */
  error?: string;
}

/** One word for the state, for context keys and tests. */
export type ReceiverState = 'receiving' | 'reading' | 'port-taken' | 'starting' | 'off' | 'failed';

/** The status bar item's text (with theme icons), tooltip (plain lines) and state. */
export interface StatusText {
  state: ReceiverState;
  text: string;
  tooltip: string;
  /** Shown with the warning background. */
  warning: boolean;
}

/** 999, 1.2k, 34k, 1.2M: short enough for the status bar. */
export function compactCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1000) return String(Math.round(n));
  const units: ReadonlyArray<readonly [number, string]> = [
    [1e3, 'k'],
    [1e6, 'M'],
    [1e9, 'G'],
  ];
  let u = 0;
  // 999,999 reads 1M, not 1000k.
  while (u + 1 < units.length && Math.round(n / units[u]![0]) >= 1000) u++;
  const v = n / units[u]![0];
  return `${v < 10 ? Number(v.toFixed(1)) : Math.round(v)}${units[u]![1]}`;
}

/** The state a view is in. */
export function receiverState(v: ReceiverView): ReceiverState {
  if (v.phase !== 'running') return v.phase;
  if (v.role === 'reader') return 'reading';
  if (v.role !== 'writer') return 'off';
  return v.httpPort === undefined ? 'port-taken' : 'receiving';
}

/** The status bar item for `v`. */
export function receiverStatusText(v: ReceiverView): StatusText {
  const state = receiverState(v);
  const figures = v.stats
    ? l10n.t('{0} traces · {1} spans', compactCount(v.stats.traces), compactCount(v.stats.spans))
    : '';
  const held = v.stats
    ? l10n.t('The local store holds {0} traces and {1} spans.', v.stats.traces, v.stats.spans)
    : '';
  const problems = (v.problems ?? []).map((p) => `⚠ ${p}`);
  const click = l10n.t('Click for the endpoint, the OTEL_* variables, Stop, Clear and the Live view.');
  const lines = (...parts: string[]) => parts.filter((p) => p !== '').join('\n');
  switch (state) {
    case 'receiving': {
      const grpc = v.grpcPort !== undefined ? l10n.t(' and OTLP/gRPC on port {0}', v.grpcPort) : '';
      return {
        state,
        text: `$(radio-tower) ${figures || l10n.t('Receiving')}`,
        tooltip: lines(
          l10n.t('Trace Lens receives OTLP/HTTP at {0}{1}.', v.otlpHttpUrl ?? '', grpc),
          held,
          ...problems,
          click,
        ),
        warning: false,
      };
    }
    case 'reading':
      return {
        state,
        text: `$(radio-tower) ${figures || l10n.t('Receiving')}`,
        tooltip: lines(
          v.otlpHttpUrl
            ? l10n.t(
                'Another VS Code window (process {0}) receives OTLP/HTTP at {1}; this one reads its store.',
                v.writerPid ?? '?',
                v.otlpHttpUrl,
              )
            : l10n.t('Another VS Code window (process {0}) owns the local store.', v.writerPid ?? '?'),
          held,
          ...problems,
          click,
        ),
        warning: false,
      };
    case 'port-taken':
      return {
        state,
        text: `$(warning) ${l10n.t('Port {0} taken', v.wantedHttpPort)}`,
        tooltip: lines(
          l10n.t(
            'Trace Lens cannot receive OTLP/HTTP: port {0} is taken (is a collector already running?). Stop it, or set traceLens.receiver.httpPort.',
            v.wantedHttpPort,
          ),
          held,
          ...problems,
          click,
        ),
        warning: true,
      };
    case 'starting':
      return {
        state,
        text: `$(loading~spin) ${l10n.t('Starting receiver')}`,
        tooltip: l10n.t('Trace Lens is starting its OTLP receiver.'),
        warning: false,
      };
    case 'off':
      return {
        state,
        text: `$(circle-slash) ${l10n.t('Receiver off')}`,
        tooltip: lines(l10n.t('The Trace Lens receiver is off (traceLens.receiver.enabled).'), click),
        warning: false,
      };
    case 'failed':
      return {
        state,
        text: `$(error) ${l10n.t('Receiver failed')}`,
        tooltip: lines(l10n.t('The Trace Lens receiver could not start: {0}', v.error ?? '?'), click),
        warning: true,
      };
  }
}
