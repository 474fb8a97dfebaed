/**
 * Short texts the source features show next to code: the end-of-line annotation after "Go to
 * Source", the trace overlay's inline hints, the CodeLens title over a function and the labels
 * of search results. Pure; every input that comes from a trace is untrusted and is cleaned of
 * control characters and cut to a sane length here. Words go through `l10n.t` (`@vscode/l10n`):
 * English in the CLI and the agent tools' answers, the display language in VS Code.
 */
import * as l10n from '@vscode/l10n';
import { formatDuration } from '../../shared/format';
import type { Attribute } from '../../shared/model';

/** Longest span label in a hint; longer ones end in `…`. */
const MAX_LABEL = 80;

/** C0/C1 controls and bidi marks and overrides: none belongs in a one-line label. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g;

/** Control characters (line breaks, bidi overrides, NUL) collapse to one space; long text is cut. */
export function cleanText(text: string, max = MAX_LABEL): string {
  const flat = text.replace(UNPRINTABLE, ' ').trim();
  if (flat.length <= max) return flat;
  return flat.slice(0, Math.max(0, max - 1)).trimEnd() + '…';
}

function stringAttr(attributes: readonly Attribute[], key: string): string | undefined {
  const v = attributes.find((a) => a.key === key)?.value;
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** The host a client span talked to: `server.address`, else the host of `url.full` (or `http.url`). */
export function peerHost(attributes: readonly Attribute[]): string | undefined {
  const address = stringAttr(attributes, 'server.address') ?? stringAttr(attributes, 'net.peer.name');
  if (address) return address;
  const url = stringAttr(attributes, 'url.full') ?? stringAttr(attributes, 'http.url');
  if (!url) return undefined;
  try {
    const host = new URL(url).hostname;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}

/** The span name plus the host it called, unless the name already says it: `GET api.partner.example`. */
export function spanLabel(name: string, attributes: readonly Attribute[] = []): string {
  const host = peerHost(attributes);
  const label = host && !name.includes(host) ? `${name} ${host}` : name;
  return cleanText(label === '' ? '(unnamed span)' : label);
}

/** A fraction of the trace as a whole percentage; below 1 % reads `<1%`. */
export function formatShare(share: number): string {
  if (!Number.isFinite(share) || share <= 0) return '0%';
  if (share < 0.005) return '<1%';
  return `${Math.min(100, Math.round(share * 100))}%`;
}

/** What an annotation or hint says about one span. */
export interface SpanFacts {
  durationNs: number;
  /** Span name, or `spanLabel(...)`. */
  label: string;
  /** Span duration over trace duration, 0 to 1. */
  share: number;
  critical: boolean;
}

/** The annotation at the end of the line "Go to Source" opened: `⏱ 4.3 s · node.DataFetchNode · 83% of trace · critical path`. */
export function sourceAnnotationText(facts: SpanFacts): string {
  const parts = [
    `⏱ ${formatDuration(facts.durationNs)}`,
    cleanText(facts.label),
    l10n.t('{0} of trace', formatShare(facts.share)),
  ];
  if (facts.critical) parts.push(l10n.t('critical path'));
  return parts.join(' · ');
}

/**
 * The trace overlay's hint after a line: `4.2 s · GET api.partner.example · critical path`, for
 * the slowest span mapped to the line; `count` > 1 adds how many spans ran there.
 */
export function overlayHintText(facts: Omit<SpanFacts, 'share'>, count = 1): string {
  const parts = [formatDuration(facts.durationNs), cleanText(facts.label)];
  if (count > 1) parts.push(l10n.t('{0} spans', count));
  if (facts.critical) parts.push(l10n.t('critical path'));
  return parts.join(' · ');
}

/**
 * The span a line of the trace overlay speaks for: the one selected in the trace panel when it
 * ran on this line (`selected`), else the slowest. `spans` are the line's spans, slowest first.
 */
export function overlayLineSpan<T extends { index: number }>(
  spans: readonly [T, ...T[]],
  selectedIndex: number | undefined,
): { span: T; selected: boolean } {
  const chosen = selectedIndex === undefined ? undefined : spans.find((s) => s.index === selectedIndex);
  return chosen ? { span: chosen, selected: true } : { span: spans[0], selected: false };
}

/** Figures for a CodeLens over a function. */
export interface FunctionStats {
  /** Spans attributed to the function in the window. */
  count: number;
  errors: number;
  p50Ns: number;
  p95Ns: number;
  /**
   * The percentiles are upper bounds, not exact values (Tempo answers from power-of-two
   * buckets): shown as `p95 ≤ 8.6 s`.
   */
  bounded?: boolean;
  /** The slowest span, exact, when known. */
  maxNs?: number;
}

/**
 * `p50 120 ms · p95 4.2 s · 37 spans · 2 errors (last 1 h)`; bounded percentiles read
 * `p50 ≤ 134 ms · p95 ≤ 430 ms · max 430 ms · 30 spans (last 1 h)`, with the exact maximum
 * when it is known. No errors, no error part.
 */
export function lensTitle(stats: FunctionStats, windowLabel = l10n.t('last 1 h')): string {
  const le = stats.bounded ? ' ≤' : '';
  const parts = [`p50${le} ${formatDuration(stats.p50Ns)}`, `p95${le} ${formatDuration(stats.p95Ns)}`];
  if (stats.bounded && stats.maxNs !== undefined) parts.push(l10n.t('max {0}', formatDuration(stats.maxNs)));
  parts.push(stats.count === 1 ? l10n.t('1 span') : l10n.t('{0} spans', stats.count));
  if (stats.errors > 0)
    parts.push(stats.errors === 1 ? l10n.t('1 error') : l10n.t('{0} errors', stats.errors));
  return `${parts.join(' · ')} (${windowLabel})`;
}

/** How long ago `thenMs` was, for lists: `just now`, `45 s ago`, `12 min ago`, `3 h ago`, `2 d ago`. */
export function formatAgo(thenMs: number, nowMs: number): string {
  if (!Number.isFinite(thenMs) || !Number.isFinite(nowMs)) return '';
  const s = Math.round((nowMs - thenMs) / 1000);
  if (s < 0) return l10n.t('in the future');
  if (s < 5) return l10n.t('just now');
  if (s < 60) return l10n.t('{0} s ago', s);
  const min = Math.floor(s / 60);
  if (min < 60) return l10n.t('{0} min ago', min);
  const h = Math.floor(min / 60);
  if (h < 48) return l10n.t('{0} h ago', h);
  return l10n.t('{0} d ago', Math.floor(h / 24));
}

/** Unix nanoseconds as a decimal string → Unix milliseconds (NaN when it is not a number). */
export function unixNanoToMs(nanos: string): number {
  if (!/^\d{1,30}$/.test(nanos)) return NaN;
  // Drop the last six digits exactly instead of dividing a float that lost them.
  return nanos.length <= 6 ? 0 : Number(nanos.slice(0, -6));
}
