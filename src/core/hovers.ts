/**
 * The Markdown of the two hovers that show trace text: the trace summary over a trace ID
 * (`host/hover.ts`) and the spans that ran a line of code (`host/source/overlay.ts`). Both are
 * trusted Markdown that may run some of our commands, so every piece of trace or server text goes
 * in through `markdownText` and the only links are the command URIs the host passes in. Pure.
 */
import * as l10n from '@vscode/l10n';
import { formatDuration } from '../shared/format';
import type { TraceSummary } from './analysis';
import type { DecodedTrace } from './decode';
import { SpanFlag, spanIndexById, type TraceModel } from '../shared/model';
import { cleanText, formatShare } from './source/text';
import { markdownText } from './untrusted';

/** Builds Markdown source from our markup and escaped text. */
class Markdown {
  private readonly parts: string[] = [];
  /** Our own markup, verbatim. */
  markup(source: string): this {
    this.parts.push(source);
    return this;
  }
  /** Text that renders as exactly itself. */
  text(text: string, max?: number): this {
    this.parts.push(markdownText(text, max !== undefined ? { max } : {}));
    return this;
  }
  /** A link with our `label` (theme icons allowed) to a URI we built. */
  link(icon: string, label: string, uri: string): this {
    this.parts.push(`[$(${icon}) ${markdownText(label)}](${uri})`);
    return this;
  }
  toString(): string {
    return this.parts.join('');
  }
}

/** The command URIs a trace hover links to (built by the host; undefined: no such link). */
export interface TraceHoverLinks {
  open: string;
  copy: string;
  grafana?: string;
  /** Go to Source, offered when the hovered line names a span with code attributes. */
  source?: string;
}

/** A failing span as the hover names it: where it failed and what it said. */
export interface FailedSpan {
  service: string;
  name: string;
  /** `exception.message` of its first exception, else its status message, else `exception.type`. */
  message?: string;
}

/** Failing spans the hover lists; the rest are counted ("+2 more"). */
export const HOVER_FAILURES = 3;

/**
 * Up to `max` failing spans, those where the failure started first: spans flagged as errors with
 * no failing descendant (the root of a failed request is usually failing because a child did),
 * then the others, each group in depth-first order. Reads the details of the listed spans only.
 */
export function failedSpans(decoded: DecodedTrace, max = HOVER_FAILURES): FailedSpan[] {
  const { model } = decoded;
  const c = model.columns;
  const n = model.spanCount;
  const failing = (i: number) => ((c.flags[i] ?? 0) & SpanFlag.Error) !== 0;
  // Depth-first order puts children after parents: one backward pass marks every span that has a
  // failing descendant.
  const failingBelow = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const p = c.parent[i] ?? -1;
    if (p >= 0 && (failing(i) || failingBelow[i])) failingBelow[p] = 1;
  }
  const picked: number[] = [];
  for (const origin of [true, false]) {
    for (let i = 0; i < n && picked.length < max; i++) {
      if (failing(i) && (failingBelow[i] === 0) === origin) picked.push(i);
    }
  }
  return picked.map((i) => {
    const span: FailedSpan = {
      service: model.services[c.service[i] ?? 0] ?? '',
      name: model.strings[c.name[i] ?? 0] ?? '',
    };
    const d = decoded.detail(i);
    const ex = d?.events.find((e) => e.name === 'exception');
    const attr = (key: string) => {
      const v = ex?.attributes.find((a) => a.key === key)?.value;
      return v === undefined || v === null || String(v).trim() === '' ? undefined : String(v);
    };
    const message = attr('exception.message') ?? (d?.statusMessage || undefined) ?? attr('exception.type');
    if (message !== undefined) span.message = message;
    return span;
  });
}

/** What the trace hover says, besides the summary. */
export interface TraceHoverInput {
  summary: TraceSummary;
  model: TraceModel;
  /** The failing spans to name (`failedSpans`); `summary.errorCount` counts them all. */
  failures?: readonly FailedSpan[];
  /** The span ID the hovered log line carries, if any. */
  spanId?: string;
  /** Tempo's message when the trace is partial. */
  partialMessage?: string;
  /** Which backend answered, as the host words it: "from the local store", "from Tempo 127.0.0.1:3200". */
  source?: string;
  links: TraceHoverLinks;
}

const spans = (n: number): string => (n === 1 ? l10n.t('1 span') : l10n.t('{0} spans', n));
const services = (n: number): string => (n === 1 ? l10n.t('1 service') : l10n.t('{0} services', n));
const errors = (n: number): string => (n === 1 ? l10n.t('1 error') : l10n.t('{0} errors', n));

/** Whether span `spanId` carries `code.*` attributes or a stack trace (the decoder's `HasCode` flag). */
export function spanHasCode(model: TraceModel, spanId: string): boolean {
  const i = spanIndexById(model, spanId);
  return i >= 0 && ((model.columns.flags[i] ?? 0) & SpanFlag.HasCode) !== 0;
}

/** The trace summary over a trace ID: root, figures, services, where the time went, links. */
export function traceHoverMarkdown(input: TraceHoverInput): string {
  const { summary: s, model, spanId, links } = input;
  const md = new Markdown();
  md.markup('$(telescope) ').text(s.rootService).markup(' · **').text(s.rootName).markup('**\n\n');
  md.text([formatDuration(s.durationNs), spans(s.spanCount), services(s.serviceCount)].join(' · '));
  if (s.errorCount > 0) md.markup(' · $(error) ').text(errors(s.errorCount));
  // A backend's name comes from settings: text, like everything else.
  if (input.source) md.markup(' · ').text(input.source);
  md.markup('\n\n');
  // One line per failing span (hard breaks keep them one paragraph), then what was left out.
  const failures = input.failures ?? [];
  failures.forEach((f, i) => {
    if (i > 0) md.markup('  \n');
    md.markup('$(error) ').text(`${cleanText(f.service, 60)} · ${cleanText(f.name, 100)}`);
    if (f.message !== undefined) md.markup(': *').text(cleanText(f.message, 160)).markup('*');
  });
  if (failures.length > 0 && s.errorCount > failures.length)
    md.markup('  \n').text(l10n.t('+{0} more', s.errorCount - failures.length));
  if (failures.length > 0) md.markup('\n\n');
  if (input.partialMessage) {
    md.markup('$(warning) ').text(l10n.t('Partial trace: {0}', input.partialMessage)).markup('\n\n');
  }
  // Translated words go in as text too: a translation cannot add markup or links.
  md.text(l10n.t('Services: {0}', s.services.map((x) => x.name).join(', '))).markup('\n\n');
  const top = s.topContributor;
  if (top) {
    const parent = model.columns.parent[top.index] ?? -1;
    const parentName = parent >= 0 ? model.strings[model.columns.name[parent] ?? 0] : undefined;
    const where = `${parentName ? `${parentName} → ` : ''}${top.name} ${formatDuration(top.selfTimeNs)} (${Math.round(top.share * 100)}%)`;
    md.text(l10n.t('Where the time went: {0}', where)).markup('\n\n');
  }
  if (spanId) {
    const i = spanIndexById(model, spanId);
    const spanName = i >= 0 ? model.strings[model.columns.name[i] ?? 0] : undefined;
    const span = spanName ? `${spanName} (${spanId})` : l10n.t('{0} (not in the trace)', spanId);
    md.text(l10n.t('This line was written by span {0}', span)).markup('\n\n');
  }
  md.link('go-to-file', l10n.t('Open Trace'), links.open);
  if (links.grafana) md.markup(' · ').link('link-external', l10n.t('Open in Grafana'), links.grafana);
  md.markup(' · ').link('copy', l10n.t('Copy ID'), links.copy);
  if (links.source) md.markup(' · ').link('code', l10n.t('Go to Source'), links.source);
  return md.toString();
}

/** The command URIs of the error hover's actions (built by the host), the same as the panel's. */
export interface ErrorHoverLinks {
  copy: string;
  /** Fetches again, in the trace panel. */
  retry?: string;
  /** Opens the setting that holds the backend's URL. */
  setting?: string;
  testConnection?: string;
}

/**
 * The hover when the trace could not be loaded: the error (a server's words, as text), then
 * Retry, Open Setting, Test Connection and Copy ID.
 */
export function traceErrorHoverMarkdown(message: string, links: string | ErrorHoverLinks): string {
  const l = typeof links === 'string' ? { copy: links } : links;
  const md = new Markdown().markup('**Trace Lens** · ').text(message, 500).markup('\n\n');
  if (l.retry) md.link('refresh', l10n.t('Retry'), l.retry).markup(' · ');
  if (l.setting) md.link('settings-gear', l10n.t('Open Setting'), l.setting).markup(' · ');
  if (l.testConnection) md.link('plug', l10n.t('Test Connection'), l.testConnection).markup(' · ');
  return md.link('copy', l10n.t('Copy ID'), l.copy).toString();
}

/** The hover on the line Go to Source opened: the span's figures (trace text, escaped). */
export function sourceNoteMarkdown(note: string): string {
  return new Markdown().markup('$(pulse) **Trace Lens** · ').text(note).toString();
}

/** One span in the overlay's hover over a line. */
export interface OverlaySpan {
  name: string;
  service: string;
  durationNs: number;
  share: number;
  critical: boolean;
  /** The command URI that selects the span in the trace panel. */
  select: string;
}

/** The overlay's hover: which spans of the active trace ran this line, slowest first. */
export function overlayHoverMarkdown(input: {
  /** "a span of trace 1234abcd ran this line" (localized). */
  heading: string;
  spans: readonly OverlaySpan[];
  /** The link label, "Select in Trace Panel" (localized). */
  selectLabel: string;
  /** "and 3 more" (localized), when not every span is listed. */
  more?: string;
}): string {
  const md = new Markdown();
  md.markup('$(telescope) **Trace Lens** · ').text(input.heading).markup('\n\n');
  for (const s of input.spans) {
    md.markup('**').text(cleanText(s.name, 120)).markup('** · ');
    const parts = [
      cleanText(s.service, 80),
      formatDuration(s.durationNs),
      l10n.t('{0} of trace', formatShare(s.share)),
    ];
    if (s.critical) parts.push(l10n.t('critical path'));
    md.text(parts.join(' · ')).markup(' · ').link('list-tree', input.selectLabel, s.select).markup('\n\n');
  }
  if (input.more) md.text(input.more);
  return md.toString();
}
