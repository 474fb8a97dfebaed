/**
 * The rows of the Live view: one per trace the local store received, newest first, from the
 * store's trace summaries; and the view's filter. Pure. Everything in a summary came from a
 * program's telemetry: labels are cleaned here, and the host shows the tooltip as Markdown only
 * through `markdownText`.
 */
import { formatDuration } from '../../shared/format';
import { cleanText } from '../source';
import type { TraceSummary } from '../store/traces';
import * as l10n from '@vscode/l10n';

/** One row of the Live view. */
export interface LiveRow {
  traceId: string;
  /** The root span's name. */
  label: string;
  /** Root service, duration, other services, errors, start time. */
  description: string;
  /** Plain text, several lines. */
  tooltip: string;
  error: boolean;
}

/** Wall-clock time of day, `14:03:07`. */
export function clockTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A row for a trace summary. */
export function liveRow(s: TraceSummary, formatTime: (ms: number) => string = clockTime): LiveRow {
  const root = s.rootName !== null ? cleanText(s.rootName, 120) : '';
  const service = s.rootService !== null ? cleanText(s.rootService, 80) : '';
  const others = s.services.filter((x) => x !== s.rootService).map((x) => cleanText(x, 80));
  const duration = formatDuration(s.durationMs * 1e6);
  const parts = [service || l10n.t('(root not received)'), duration];
  if (others.length === 1) parts.push(l10n.t('+{0}', others[0]!));
  else if (others.length > 1) parts.push(l10n.t('+{0} services', others.length));
  if (s.errorCount > 0)
    parts.push(s.errorCount === 1 ? l10n.t('1 error') : l10n.t('{0} errors', s.errorCount));
  parts.push(formatTime(s.startMs));
  const services = s.services.map((x) => {
    const st = s.serviceStats[x];
    const errs = st && st.errorCount > 0 ? l10n.t(', {0} failed', st.errorCount) : '';
    return `${cleanText(x, 80)} (${st ? st.spanCount : 0}${errs})`;
  });
  const tooltip = [
    root || l10n.t('(root span not received yet)'),
    l10n.t('Trace {0}', s.traceId),
    l10n.t('{0} · {1} spans · {2} errors', duration, s.spanCount, s.errorCount),
    l10n.t('Services: {0}', services.join(', ')),
    l10n.t('Started {0}', new Date(s.startMs).toLocaleString()),
  ].join('\n');
  return {
    traceId: s.traceId,
    label: root || l10n.t('(root span not received)'),
    description: parts.join(' · '),
    tooltip,
    error: s.errorCount > 0,
  };
}

/**
 * Whether a summary matches the Live view's filter: every word must appear (case-insensitive) in
 * the trace ID, the root span's name or a service name; the word `is:error` keeps failed traces.
 */
export function matchesLiveFilter(s: TraceSummary, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [s.traceId, s.rootName ?? '', s.rootService ?? '', ...s.services].join('\n').toLowerCase();
  return words.every((w) => (w === 'is:error' ? s.errorCount > 0 : hay.includes(w)));
}
