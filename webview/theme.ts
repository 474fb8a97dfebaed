/**
 * Applies the service palette to the page: measures the theme's chart colours, builds the palette
 * (palette.ts) and sets it as CSS variables; again whenever VS Code switches the theme.
 */
import { BASES, servicePalette, type Rgb } from './palette';

/**
 * Measures the theme's colours and sets --tl-svc-0 … --tl-svc-N on `target` (through the CSSOM).
 * `probe` is an element inside the page used to resolve CSS variables.
 */
export function applyPalette(target: HTMLElement, probe: HTMLElement): void {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return;
  const read = (css: string): Rgb | undefined => {
    probe.style.color = '';
    probe.style.color = css;
    const computed = getComputedStyle(probe).color;
    if (!computed) return undefined;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = '#000';
    ctx.fillStyle = computed;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return d[3] === 0 ? undefined : [d[0]!, d[1]!, d[2]!];
  };
  const bases: Rgb[] = [];
  for (const name of BASES) {
    // An undefined variable leaves the probe's colour unset: skip it rather than guess.
    const value = getComputedStyle(document.documentElement)
      .getPropertyValue(`--vscode-charts-${name}`)
      .trim();
    if (!value) continue;
    const c = read(`var(--vscode-charts-${name})`);
    if (c) bases.push(c);
  }
  if (bases.length === 0) return;
  const bgValue = getComputedStyle(document.body).backgroundColor;
  const background = read(bgValue) ?? [30, 30, 30];
  // Fixed hues, the theme's lightness: a service keeps its colour when the theme changes.
  const palette = servicePalette(background);
  palette.forEach((c, k) => target.style.setProperty(`--tl-svc-${k}`, `rgb(${c[0]}, ${c[1]}, ${c[2]})`));
}

/**
 * Calls `changed` whenever VS Code swaps the theme (it changes body classes and the --vscode-*
 * variables on the root element).
 */
export function watchTheme(changed: () => void): void {
  const themeWatch = new MutationObserver(changed);
  themeWatch.observe(document.body, {
    attributes: true,
    attributeFilter: ['class', 'data-vscode-theme-kind'],
  });
  themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
