/** The trace header: what the trace is, how big, and the trace-level actions. */
import type { PanelHistoryState, WireTrace } from '../src/shared/protocol';
import { el, icon, iconButton } from './dom';
import { formatDuration, formatTimestamp } from './format';
import { S, fmt } from './l10n';

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

/** The trace's duration, and why it is longer than the root span's when it is. */
function durationFact(wire: WireTrace, totalNs: number): HTMLElement {
  const f = fact(S.duration, formatDuration(totalNs), 'duration');
  const o = outlivesRoot(wire, totalNs);
  if (!o) return f;
  const why = fmt(
    o.spans === 1 ? S.outlivesRootWhyOne : S.outlivesRootWhy,
    formatDuration(o.rootNs),
    o.spans,
    formatDuration(o.extraNs),
  );
  f.append(
    el('span', {
      class: 'tl-fact-note',
      text: fmt(o.spans === 1 ? S.outlivesRootOne : S.outlivesRoot, formatDuration(o.rootNs), o.spans),
      title: why,
      attrs: { 'data-testid': 'outlives-root' },
    }),
  );
  f.title = why;
  return f;
}

function fact(
  label: string,
  value: string,
  testId?: string,
  title?: string,
  extraClass?: string,
): HTMLElement {
  return el('div', { class: extraClass ? `tl-fact ${extraClass}` : 'tl-fact' }, [
    el('span', { class: 'tl-fact-label', text: label }),
    el('span', {
      class: 'tl-fact-value',
      text: value,
      ...(title ? { title } : {}),
      ...(testId ? { attrs: { 'data-testid': testId } } : {}),
    }),
  ]);
}

/** When the trace started: the date and the time, the date hidden beside the code (style.css). */
function startedFact(startMs: number): HTMLElement {
  const text = formatTimestamp(startMs);
  const space = text.indexOf(' ');
  const f = el('div', { class: 'tl-fact', title: text }, [
    el('span', { class: 'tl-fact-label', text: S.started }),
    el('span', { class: 'tl-fact-value', attrs: { 'data-testid': 'start-time' } }, [
      el('span', { class: 'tl-start-date', text: space > 0 ? text.slice(0, space + 1) : '' }),
      el('span', { text: space > 0 ? text.slice(space + 1) : text }),
    ]),
  ]);
  return f;
}

/**
 * When spans end after the root span (async work, a consumer finishing later, clock skew), the
 * trace lasts longer than its root: how much longer and how many spans, or undefined.
 */
export function outlivesRoot(
  wire: WireTrace,
  totalNs: number,
): { rootNs: number; spans: number; extraNs: number } | undefined {
  const c = wire.model.columns;
  const n = wire.model.spanCount;
  if (n === 0 || !c?.startNs || !c.durationNs) return undefined;
  const rootEnd = c.startNs[0]! + c.durationNs[0]!;
  const extraNs = totalNs - rootEnd;
  // Less than 0.5% (or 1 µs) is rounding, not spans outliving the root.
  if (!(extraNs > Math.max(1000, totalNs * 0.005))) return undefined;
  let spans = 0;
  for (let i = 1; i < n; i++) if (c.startNs[i]! + c.durationNs[i]! > rootEnd) spans++;
  return { rootNs: c.durationNs[0]!, spans, extraNs };
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
  const copyBtn = iconButton('copy', S.copyTraceId, () => actions.copy(m.traceId));
  const traceId = el('div', { class: 'tl-trace-id-box' }, [
    el('span', { class: 'tl-fact-label', text: S.trace }),
    // Beside the code the ID is cut with an ellipsis (style.css); the title and Copy keep it whole.
    el('code', { class: 'tl-trace-id', text: m.traceId, title: m.traceId }),
    copyBtn,
  ]);
  const errors = fact(S.errors, String(h.errorCount), 'error-count');
  if (h.errorCount > 0) errors.classList.add('tl-has-errors');
  const facts = el('div', { class: 'tl-facts' }, [
    traceId,
    startedFact(m.traceStartMs),
    durationFact(wire, totalNs),
    fact(S.spans, String(spanCount), 'span-count'),
    fact(S.services, String(h.serviceCount), 'service-count', undefined, 'tl-fact-services'),
    errors,
    fact(S.backend, h.backendName, 'backend'),
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
      ? el('div', { class: 'tl-history', attrs: { role: 'group', 'aria-label': S.panelHistory } }, [
          nav('arrow-left', S.historyBack, -1, history.back),
          nav('arrow-right', S.historyForward, 1, history.forward),
        ])
      : null;
  const save = iconButton('save-as', S.saveTraceAs, () => actions.save());
  save.setAttribute('data-testid', 'save-trace');
  const actionsBox = el('div', { class: 'tl-header-actions' }, [
    h.canOpenInGrafana
      ? iconButton('link-external', S.openInGrafana, () => actions.openInGrafana(), S.grafana)
      : null,
    save,
    iconButton('refresh', S.refresh, () => actions.refresh()),
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
