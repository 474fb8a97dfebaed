/** The trace header: what the trace is, how big, and the trace-level actions. */
import type { WireTrace } from '../src/shared/protocol';
import { el, icon, iconButton } from './dom';
import { formatDuration, formatTimestamp } from './format';
import { S, fmt } from './l10n';

/** Actions the header offers. */
export interface HeaderActions {
  copy(text: string): void;
  refresh(): void;
  openInGrafana(): void;
}

function fact(label: string, value: string, testId?: string, title?: string): HTMLElement {
  return el('div', { class: 'tl-fact' }, [
    el('span', { class: 'tl-fact-label', text: label }),
    el('span', {
      class: 'tl-fact-value',
      text: value,
      ...(title ? { title } : {}),
      ...(testId ? { attrs: { 'data-testid': testId } } : {}),
    }),
  ]);
}

/** Builds `#tl-header` (and the partial-trace banner below it when the backend said so). */
export function renderHeader(
  wire: WireTrace,
  spanCount: number,
  totalNs: number,
  actions: HeaderActions,
): HTMLElement {
  const m = wire.model;
  const h = wire.header;
  const title = el('div', { class: 'tl-title' }, [
    el('span', { class: 'tl-root-service', text: h.rootService }),
    el('span', { class: 'tl-title-sep', text: '·', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'tl-root-name', text: h.rootName }),
  ]);
  const copyBtn = iconButton('copy', S.copyTraceId, () => actions.copy(m.traceId));
  const traceId = el('div', { class: 'tl-trace-id-box' }, [
    el('span', { class: 'tl-fact-label', text: S.trace }),
    el('code', { class: 'tl-trace-id', text: m.traceId }),
    copyBtn,
  ]);
  const errors = fact(S.errors, String(h.errorCount), 'error-count');
  if (h.errorCount > 0) errors.classList.add('tl-has-errors');
  const facts = el('div', { class: 'tl-facts' }, [
    traceId,
    fact(S.started, formatTimestamp(m.traceStartMs), 'start-time'),
    fact(S.duration, formatDuration(totalNs), 'duration'),
    fact(S.spans, String(spanCount), 'span-count'),
    fact(S.services, String(h.serviceCount), 'service-count'),
    errors,
    fact(S.backend, h.backendName, 'backend'),
  ]);
  const actionsBox = el('div', { class: 'tl-header-actions' }, [
    h.canOpenInGrafana
      ? iconButton('link-external', S.openInGrafana, () => actions.openInGrafana(), S.grafana)
      : null,
    iconButton('refresh', S.refresh, () => actions.refresh()),
  ]);
  const header = el('header', { attrs: { id: 'tl-header' }, class: 'tl-header' }, [
    el('div', { class: 'tl-header-top' }, [title, actionsBox]),
    facts,
  ]);
  const parts: HTMLElement[] = [header];
  if (m.partial) {
    parts.push(
      el(
        'div',
        { class: 'tl-banner tl-banner-warning', attrs: { role: 'status', 'data-testid': 'partial-banner' } },
        [
          icon('warning'),
          el('span', {
            text: m.partialMessage ? fmt(S.incompleteBecause, m.partialMessage) : S.incomplete,
          }),
        ],
      ),
    );
  }
  if (Array.isArray(m.warnings) && m.warnings.length > 0) {
    const details = el(
      'details',
      { class: 'tl-banner tl-banner-info', attrs: { 'data-testid': 'warnings' } },
      [
        el('summary', {
          text: m.warnings.length === 1 ? S.oneProblem : fmt(S.problems, m.warnings.length),
        }),
        el(
          'ul',
          {},
          m.warnings.slice(0, 50).map((w) => el('li', { text: String(w) })),
        ),
      ],
    );
    parts.push(details);
  }
  return el('div', { class: 'tl-header-wrap' }, parts);
}
