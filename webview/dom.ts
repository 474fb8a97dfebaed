/**
 * Tiny DOM helpers. Text always goes in through `textContent` and attributes through
 * `setAttribute`: trace data (names, attributes, messages) is hostile input and never becomes
 * markup. There is deliberately no helper that takes HTML.
 */

/** Options for `el`. */
export interface ElOptions {
  /** Space-separated class names. */
  class?: string;
  /** Text content (set with textContent). */
  text?: string;
  /** Attributes (values are plain strings, set with setAttribute). */
  attrs?: Record<string, string>;
  /** Tooltip. */
  title?: string;
}

/** Creates an element with classes, text, attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  opts: ElOptions = {},
  children: (Node | null | undefined | false)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (opts.class) node.className = opts.class;
  if (opts.text !== undefined) node.textContent = opts.text;
  if (opts.title !== undefined) node.title = opts.title;
  if (opts.attrs) for (const [k, v] of Object.entries(opts.attrs)) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

/** A codicon glyph, hidden from screen readers (the control around it carries the label). */
export function icon(name: string, extra = ''): HTMLSpanElement {
  return el('span', {
    class: `codicon codicon-${name}${extra ? ' ' + extra : ''}`,
    attrs: { 'aria-hidden': 'true' },
  });
}

/** A toolbar button with an icon, an accessible label and a tooltip. */
export function iconButton(
  iconName: string,
  label: string,
  onClick: (ev: MouseEvent) => void,
  text?: string,
) {
  const b = el(
    'button',
    {
      class: `tl-btn${text ? ' tl-btn-text' : ''}`,
      title: label,
      attrs: { type: 'button', 'aria-label': label },
    },
    [icon(iconName), text ? el('span', { text }) : null],
  );
  b.addEventListener('click', onClick);
  return b;
}

/** Removes all children. */
export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/**
 * Makes `handle` a drag handle that resizes something. `dir` is +1 when moving right (or down)
 * grows the size, -1 when it shrinks it (a pane on the right or below). `axis` says which way
 * the handle moves now (it is read at each drag, so one handle can follow a layout that turns).
 * Arrow keys resize too (Shift: bigger steps), so the handle is reachable without a pointer.
 */
export function dragResize(
  handle: HTMLElement,
  get: () => number,
  set: (w: number) => void,
  dir: 1 | -1 = 1,
  axis: () => 'x' | 'y' = () => 'x',
): void {
  handle.tabIndex = 0;
  handle.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    handle.setPointerCapture(ev.pointerId);
    const vertical = axis() === 'y';
    const p0 = vertical ? ev.clientY : ev.clientX;
    const w0 = get();
    handle.classList.add('tl-dragging');
    const move = (e: PointerEvent) => set(w0 + dir * ((vertical ? e.clientY : e.clientX) - p0));
    const up = () => {
      handle.classList.remove('tl-dragging');
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
  handle.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return; // Alt+← is history, not a resize
    const step = ev.shiftKey ? 50 : 10;
    const [less, more] = axis() === 'y' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
    if (ev.key === less) set(get() - dir * step);
    else if (ev.key === more) set(get() + dir * step);
    else return;
    ev.preventDefault();
    ev.stopPropagation();
  });
}
