/**
 * The tabs that switch between the views (waterfall, statistics, flame graph, comparison), as an
 * ARIA tablist: arrow keys move between tabs, Enter or a click shows one. The shell decides which
 * tabs a subject has (the comparison needs two traces).
 */
import { el, icon } from './dom';
import './viewTabs.css';
import { S } from './l10n';

/** One tab. */
export interface TabSpec {
  name: string;
  title: string;
  icon: string;
}

export class ViewTabs {
  readonly element: HTMLDivElement;
  private readonly tabs = new Map<string, HTMLButtonElement>();
  private current = '';

  constructor(
    specs: readonly TabSpec[],
    private readonly choose: (name: string) => void,
  ) {
    this.element = el('div', {
      class: 'tl-tabs',
      attrs: { role: 'tablist', 'aria-label': S.viewsOfTrace },
    });
    for (const spec of specs) {
      const b = el(
        'button',
        {
          class: 'tl-tab',
          attrs: {
            type: 'button',
            role: 'tab',
            'aria-selected': 'false',
            tabindex: '-1',
            'data-view': spec.name,
            'data-testid': `tab-${spec.name}`,
          },
        },
        [icon(spec.icon), el('span', { text: spec.title })],
      );
      b.addEventListener('click', () => this.choose(spec.name));
      b.addEventListener('keydown', (ev) => this.onKey(ev, spec.name));
      this.tabs.set(spec.name, b);
      this.element.append(b);
    }
  }

  /** Adds a button after the tabs (e.g. "Compare with…"); returns it so the caller can hide it. */
  addAction(iconName: string, label: string, run: () => void, testId: string): HTMLButtonElement {
    const b = el(
      'button',
      {
        class: 'tl-tab tl-tab-action',
        title: label,
        attrs: { type: 'button', 'data-testid': testId },
      },
      [icon(iconName), el('span', { text: label })],
    );
    b.addEventListener('click', run);
    this.element.append(b);
    return b;
  }

  /** Shows only the tabs in `names`. */
  setAvailable(names: ReadonlySet<string>): void {
    for (const [name, b] of this.tabs) b.hidden = !names.has(name);
  }

  /** Marks `name` as the shown view. */
  setCurrent(name: string): void {
    this.current = name;
    for (const [n, b] of this.tabs) {
      b.setAttribute('aria-selected', String(n === name));
      b.tabIndex = n === name ? 0 : -1;
    }
  }

  private onKey(ev: KeyboardEvent, name: string): void {
    const visible = [...this.tabs].filter(([, b]) => !b.hidden).map(([n]) => n);
    const k = visible.indexOf(name);
    let next: string | undefined;
    if (ev.key === 'ArrowRight') next = visible[(k + 1) % visible.length];
    else if (ev.key === 'ArrowLeft') next = visible[(k - 1 + visible.length) % visible.length];
    else if (ev.key === 'Home') next = visible[0];
    else if (ev.key === 'End') next = visible[visible.length - 1];
    if (next === undefined) return;
    ev.preventDefault();
    ev.stopPropagation();
    this.choose(next);
    this.tabs.get(this.current)?.focus();
  }
}
