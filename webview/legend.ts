/**
 * The legend under the trace header: what the colours and bars mean. One line always shows the
 * bar encoding (self time solid, time in children pale, the error underline and mark); opened, it
 * lists the services with their colour, span and error counts, and a click on one filters the
 * waterfall to it (several clicks: several services). Service names are trace data: text only.
 */
import { SpanFlag } from '../src/shared/model';
import { el, icon } from './dom';
import { PALETTE_SIZE } from './palette';
import type { TraceData } from './trace';
import { S, fmt } from './l10n';

/** What the legend does. */
export interface LegendActions {
  /** Adds service `index` to the filter or takes it out. */
  toggleService(index: number): void;
  /** Shows every service again. */
  clearServices(): void;
  /** The person opened or closed the service list. */
  openChanged(open: boolean): void;
}

/** Spans and errors per service, from the columns. */
export function serviceCounts(t: TraceData): { spans: Uint32Array; errors: Uint32Array } {
  const spans = new Uint32Array(t.services.length);
  const errors = new Uint32Array(t.services.length);
  const c = t.c;
  for (let i = 0; i < t.n; i++) {
    const s = c.service[i]!;
    if (s >= spans.length) continue;
    spans[s]!++;
    if (c.flags[i]! & SpanFlag.Error) errors[s]!++;
  }
  return { spans, errors };
}

function keyItem(swatchClass: string, text: string, title: string): HTMLElement {
  return el('span', { class: 'tl-key', title }, [
    el('span', { class: `tl-key-swatch ${swatchClass}`, attrs: { 'aria-hidden': 'true' } }),
    el('span', { text }),
  ]);
}

export class Legend {
  readonly element: HTMLDetailsElement;
  private readonly list: HTMLDivElement;
  private readonly summaryCount: HTMLSpanElement;
  private readonly clear: HTMLButtonElement;
  private chips: HTMLButtonElement[] = [];
  /** What `setTrace` opened it to: a toggle event for that is not the person's choice. */
  private shownOpen = false;

  constructor(private readonly actions: LegendActions) {
    this.summaryCount = el('span', { class: 'tl-legend-count' });
    const key = el('span', { class: 'tl-legend-key' }, [
      keyItem('tl-key-self', S.keySelf, S.keySelfTitle),
      keyItem('tl-key-child', S.keyChildren, S.keyChildrenTitle),
      keyItem('tl-key-error', S.keyError, S.keyErrorTitle),
    ]);
    const summary = el('summary', { class: 'tl-legend-summary', attrs: { 'data-testid': 'legend-toggle' } }, [
      this.summaryCount,
      key,
    ]);
    this.list = el('div', {
      class: 'tl-legend-services',
      attrs: { role: 'group', 'aria-label': S.legendServices },
    });
    this.clear = el('button', {
      class: 'tl-btn tl-btn-text tl-legend-clear',
      text: S.allServices,
      attrs: { type: 'button', 'data-testid': 'legend-clear' },
    });
    this.clear.addEventListener('click', () => actions.clearServices());
    this.element = el('details', { class: 'tl-legend', attrs: { 'data-testid': 'legend' } }, [
      summary,
      el('div', { class: 'tl-legend-body' }, [this.list, this.clear]),
    ]);
    this.element.addEventListener('toggle', () => {
      if (this.element.open !== this.shownOpen) actions.openChanged(this.element.open);
      this.shownOpen = this.element.open;
    });
  }

  /** Lists the services of a new trace, most spans first. */
  setTrace(t: TraceData, open: boolean): void {
    const { spans, errors } = serviceCounts(t);
    const order = t.services.map((_, i) => i).sort((a, b) => spans[b]! - spans[a]! || a - b);
    this.chips = [];
    const items = order.map((i) => {
      const name = t.services[i] ?? '';
      const errs = errors[i]!;
      const chip = el(
        'button',
        {
          class: 'tl-legend-service',
          attrs: {
            type: 'button',
            'aria-pressed': 'false',
            'data-service-index': String(i),
            title: errs
              ? fmt(S.legendChipErrorsTitle, name, spans[i]!, errs)
              : fmt(S.legendChipTitle, name, spans[i]!),
          },
        },
        [
          el('span', { class: 'tl-legend-swatch', attrs: { 'aria-hidden': 'true' } }),
          el('span', { class: 'tl-legend-name', text: name }),
          el('span', { class: 'tl-legend-n', text: String(spans[i]) }),
          errs
            ? el('span', { class: 'tl-legend-errors' }, [icon('error'), el('span', { text: String(errs) })])
            : null,
        ],
      );
      chip.style.setProperty('--svc', `var(--tl-svc-${i % PALETTE_SIZE})`);
      chip.addEventListener('click', () => this.actions.toggleService(i));
      this.chips[i] = chip;
      return chip;
    });
    this.list.replaceChildren(...items);
    const n = t.services.length;
    this.summaryCount.textContent = n === 1 ? S.oneService : fmt(S.nServices, n);
    this.shownOpen = open;
    this.element.open = open;
  }

  /** Marks the services the filter keeps. */
  setFilter(serviceFilter: readonly number[]): void {
    const on = new Set(serviceFilter);
    this.chips.forEach((chip, i) => {
      if (!chip) return;
      chip.setAttribute('aria-pressed', String(on.has(i)));
      chip.classList.toggle('tl-on', on.has(i));
    });
    this.element.classList.toggle('tl-filtering', on.size > 0);
    this.clear.hidden = on.size === 0;
  }
}
