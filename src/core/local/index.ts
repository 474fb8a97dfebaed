/**
 * The local receiver as the host shows it, pure: its settings read and checked (`settings.ts`),
 * the status bar text (`status.ts`), the Live view's rows and filter (`liveRows.ts`), and the
 * `OTEL_*` variables that point a program at it (`env.ts`).
 */
export {
  envFileNames,
  envScript,
  launchesProgram,
  otelEnvAdditions,
  type EnvLike,
  type OtelTarget,
  type ShellKind,
} from './env';
export { liveRow, matchesLiveFilter, type LiveRow } from './liveRows';
export { readReceiverSettings, type ReceiverSettings } from './settings';
export { receiverStatusText, type ReceiverView, type StatusText } from './status';
