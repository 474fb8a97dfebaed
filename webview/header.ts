/** The trace header: what the trace is, how big, and the trace-level actions. */
import type { PanelHistoryState, WireTrace } from '../src/shared/protocol';
import { el, icon, iconButton } from './dom';
import { formatDuration, formatTimestamp } from './format';

/** Actions the header offers. */
export interface HeaderActions {
  copy(text: string): void;
  refresh(): void;
  openInGrafana(): void;
  /** Save the trace as OTLP/JSON. */
  save(): void;
  /** Back (-1) or forward (1) in the panel's history. */
  history(delta: -1 | 1): void;
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
  history: PanelHistoryState = { back: false, forward: false },
): HTMLElement {
  const m = wire.model;
  const h = wire.header;
  const title = el('div', { class: 'tl-title' }, [
    el('span', { class: 'tl-root-service', text: h.rootService }),
    el('span', { class: 'tl-title-sep', text: '·', attrs: { 'aria-hidden': 'true' } }),
    el('span', { class: 'tl-root-name', text: h.rootName }),
  ]);
  const copyBtn = iconButton('copy', 'Copy trace ID', () => actions.copy(m.traceId));
  const traceId = el('div', { class: 'tl-trace-id-box' }, [
    el('span', { class: 'tl-fact-label', text: 'Trace' }),
    el('code', { class: 'tl-trace-id', text: m.traceId }),
    copyBtn,
  ]);
  const errors = fact('Errors', String(h.errorCount), 'error-count');
  if (h.errorCount > 0) errors.classList.add('tl-has-errors');
  const facts = el('div', { class: 'tl-facts' }, [
    traceId,
    fact('Started', formatTimestamp(m.traceStartMs), 'start-time'),
    fact('Duration', formatDuration(totalNs), 'duration'),
    fact('Spans', String(spanCount), 'span-count'),
    fact('Services', String(h.serviceCount), 'service-count'),
    errors,
    fact('Backend', h.backendName, 'backend'),
  ]);
  const nav = (iconName: string, label: string, delta: -1 | 1, enabled: boolean) => {
    const b = iconButton(iconName, label, () => actions.history(delta));
    b.disabled = !enabled;
    b.setAttribute('data-testid', delta < 0 ? 'history-back' : 'history-forward');
    return b;
  };
  // Back and forward only once the panel has moved (a span link, a comparison, a log jump).
  const navBox =
    history.back || history.forward
      ? el('div', { class: 'tl-history', attrs: { role: 'group', 'aria-label': 'Panel history' } }, [
          nav('arrow-left', 'Back (Alt+←)', -1, history.back),
          nav('arrow-right', 'Forward (Alt+→)', 1, history.forward),
        ])
      : null;
  const save = iconButton('save-as', 'Save Trace As… (OTLP JSON)', () => actions.save());
  save.setAttribute('data-testid', 'save-trace');
  const actionsBox = el('div', { class: 'tl-header-actions' }, [
    h.canOpenInGrafana
      ? iconButton('link-external', 'Open in Grafana', () => actions.openInGrafana(), 'Grafana')
      : null,
    save,
    iconButton('refresh', 'Refresh: fetch the trace again', () => actions.refresh()),
  ]);
  const header = el('header', { attrs: { id: 'tl-header' }, class: 'tl-header' }, [
    el('div', { class: 'tl-header-top' }, [navBox, title, actionsBox]),
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
            text: `This trace is incomplete${m.partialMessage ? `: ${m.partialMessage}` : '.'} Some spans may be missing.`,
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
          text: `${m.warnings.length} ${m.warnings.length === 1 ? 'problem' : 'problems'} found while reading the trace`,
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
