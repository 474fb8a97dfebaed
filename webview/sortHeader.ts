/**
 * A header of sortable columns, as the statistics table and the search results table have: each
 * column's cell holds a button ("Click to sort by …") that asks to sort by it, the sorted
 * column's cell says which way in `aria-sort`, and an arrow shows it. The buttons are real buttons,
 * so Tab reaches them and Enter or Space sorts; the cells are updated in place, so the focus stays
 * on the button after a sort. Which way a click sorts is the owner's choice (`onSort`, then `show`).
 */
import { el, icon } from './dom';
import { S, fmt } from './l10n';

/** A column of a sortable header. */
export interface SortColumn<K extends string> {
  key: K;
  label: string;
  /** What the column holds, for the button's tooltip. */
  title: string;
  numeric: boolean;
}

/** How a table dresses its header cells: its own element, classes and attributes, for its CSS. */
export interface SortHeaderLook<K extends string> {
  /** `th` in a `<table>`; `div` in a `role="grid"` of divs. */
  tag: 'th' | 'div';
  cellClass(column: SortColumn<K>): string;
  cellAttrs(column: SortColumn<K>): Record<string, string>;
  buttonClass: string;
  /** The label in a `<span>` of its own (beside the arrow), else the button's text. */
  labelSpan: boolean;
  /**
   * Every column shows an arrow with this class (down unless sorted ascending), the sorted
   * column's brighter through `sortedClass`; without it, only the sorted column has an arrow.
   */
  arrowClass?: string;
  /** A class on the sorted column's cell. */
  sortedClass?: string;
}

interface HeaderCell {
  cell: HTMLElement;
  button: HTMLButtonElement;
  arrow: HTMLSpanElement;
}

export class SortHeader<K extends string> {
  /** The header cells in column order, for the owner to place in its header row. */
  readonly cells: HTMLElement[];
  private readonly byKey = new Map<K, HeaderCell>();

  constructor(
    columns: ReadonlyArray<SortColumn<K>>,
    private readonly look: SortHeaderLook<K>,
    onSort: (key: K) => void,
  ) {
    this.cells = columns.map((c) => {
      const arrow = icon('arrow-down', look.arrowClass);
      const button = el(
        'button',
        {
          class: look.buttonClass,
          title: fmt(S.clickToSort, c.title),
          attrs: { type: 'button' },
          ...(look.labelSpan ? {} : { text: c.label }),
        },
        look.labelSpan ? [el('span', { text: c.label }), arrow] : [],
      );
      button.addEventListener('click', () => onSort(c.key));
      const cell = el(
        look.tag,
        { class: look.cellClass(c), attrs: { ...look.cellAttrs(c), 'aria-sort': 'none' } },
        [button],
      );
      this.byKey.set(c.key, { cell, button, arrow });
      return cell;
    });
  }

  /** The cell of column `key`. */
  cell(key: K): HTMLElement | undefined {
    return this.byKey.get(key)?.cell;
  }

  /** Shows the table sorted by `key`, `descending` or not. */
  show(key: K, descending: boolean): void {
    const { arrowClass, sortedClass } = this.look;
    for (const [k, h] of this.byKey) {
      const on = k === key;
      h.cell.setAttribute('aria-sort', on ? (descending ? 'descending' : 'ascending') : 'none');
      if (sortedClass) h.cell.classList.toggle(sortedClass, on);
      const name = on && !descending ? 'arrow-up' : 'arrow-down';
      h.arrow.className = `codicon codicon-${name}${arrowClass ? ` ${arrowClass}` : ''}`;
      if (arrowClass || on) h.button.append(h.arrow);
      else h.arrow.remove();
    }
  }
}
