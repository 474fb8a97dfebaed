/**
 * The key map: what each key does to the session. The shell and the views bind the DOM events
 * and pass the keys here; what a key does is decided in one place, without the DOM, so it is
 * tested in Node.
 *
 *   span tree (rows focused)  ↑ ↓ PageUp PageDown Home End move · ← collapses or goes to the
 *                             parent · → expands or goes to the first child · Enter opens the
 *                             detail · Space toggles · * expands all
 *   anywhere                  / search · n N next and previous match · c critical path ·
 *                             Esc clears the search box, then the filter, then closes the
 *                             detail, then clears the selection
 */
import { rowOf } from './rowModel';
import type { Session } from './session';

/** As much of a KeyboardEvent as the key map reads. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/** Where the key was pressed, for the keys that depend on it. */
export interface KeyTarget {
  /** In the search box. */
  inSearch: boolean;
  /** The search box's current text (it may run ahead of the session while typing). */
  searchText: string;
  /** In any text field or list box. */
  typing: boolean;
}

/** What a handled key asks of the DOM besides the session change: where focus goes. */
export type KeyResult = { handled: false } | { handled: true; focus?: 'search' | 'tree' };

const UNHANDLED: KeyResult = { handled: false };
const HANDLED: KeyResult = { handled: true };

/** A key in the span tree; `pageRows` is how many rows a page holds. */
export function treeKey(s: Session, ev: KeyPress, pageRows: number): KeyResult {
  const t = s.trace;
  if (!t || ev.altKey || ev.ctrlKey || ev.metaKey) return UNHANDLED;
  const list = s.rows;
  if (list.count === 0) return UNHANDLED;
  const pos = s.selected >= 0 ? rowOf(list, s.selected) : -1;
  const go = (p: number) => {
    const q = Math.max(0, Math.min(list.count - 1, p));
    s.select(list.rows[q]!, { open: false, reveal: true });
  };
  switch (ev.key) {
    case 'ArrowDown':
      go(pos < 0 ? 0 : pos + 1);
      break;
    case 'ArrowUp':
      go(pos < 0 ? 0 : pos - 1);
      break;
    case 'PageDown':
      go(pos + pageRows);
      break;
    case 'PageUp':
      go(pos - pageRows);
      break;
    case 'Home':
      go(0);
      break;
    case 'End':
      go(list.count - 1);
      break;
    case 'ArrowLeft': {
      if (pos < 0) {
        go(0);
        break;
      }
      const i = s.selected;
      const hasKids = t.c.childCount[i]! > 0;
      if (hasKids && !s.collapsed[i]) s.toggle(i);
      else if (t.c.parent[i]! >= 0) s.select(t.c.parent[i]!, { open: false, reveal: true });
      break;
    }
    case 'ArrowRight': {
      if (pos < 0) {
        go(0);
        break;
      }
      const i = s.selected;
      if (t.c.childCount[i]! === 0) break;
      if (s.collapsed[i]) s.toggle(i);
      else if (pos + 1 < list.count && t.c.parent[list.rows[pos + 1]!] === i) go(pos + 1);
      break;
    }
    case 'Enter':
      if (s.selected >= 0) s.select(s.selected, { open: true, reveal: true });
      else go(0);
      break;
    case ' ':
      if (s.selected >= 0) s.toggle(s.selected);
      break;
    case '*':
      s.expandAll();
      break;
    default:
      return UNHANDLED;
  }
  return HANDLED;
}

/** A key anywhere in the panel while a trace is shown. */
export function globalKey(s: Session, ev: KeyPress, where: KeyTarget): KeyResult {
  if (!s.trace || ev.altKey || ev.ctrlKey || ev.metaKey) return UNHANDLED;
  if (ev.key === 'Escape') {
    if (where.inSearch) {
      if (where.searchText) s.setQuery('');
      return { handled: true, focus: 'tree' };
    }
    if (s.query || s.serviceFilter.length > 0 || s.spanSet) {
      s.clearFilter();
      return HANDLED;
    }
    if (s.detailOpen) {
      s.setDetailOpen(false);
      return { handled: true, focus: 'tree' };
    }
    s.deselect();
    return HANDLED;
  }
  if (where.typing) return UNHANDLED;
  switch (ev.key) {
    case '/':
      return { handled: true, focus: 'search' };
    case 'n':
      s.gotoMatch(1);
      return HANDLED;
    case 'N':
      s.gotoMatch(-1);
      return HANDLED;
    case 'c':
    case 'C':
      s.toggleCritical();
      return HANDLED;
    default:
      return UNHANDLED;
  }
}
