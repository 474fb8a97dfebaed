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
