/**
 * Service colours from the theme. The --vscode-charts-* colours are the starting point; some
 * themes have two of them close together (Light Modern's orange and yellow), so the palette is
 * completed with hue-rotated variants picked to stay far apart in OKLab, away from the error red
 * and clear of the editor background. style.css holds a static fallback; theme.ts replaces it with
 * colours measured in the current theme and runs again when the theme changes. Pure: no DOM.
 */

/** sRGB, 0–255 per channel. */
export type Rgb = [number, number, number];
type Lab = [number, number, number];

/** The --vscode-charts-* colours the palette starts from, in order. */
export const BASES = ['blue', 'orange', 'green', 'purple', 'yellow'];
/** How many palette entries style.css and the views use. */
export const PALETTE_SIZE = 12;

function toLinear(v: number): number {
  const c = v / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function fromLinear(v: number): number {
  const c = v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, c)) * 255);
}

/** sRGB (0–255) to OKLab. */
export function rgbToOklab([r8, g8, b8]: Rgb): Lab {
  const r = toLinear(r8);
  const g = toLinear(g8);
  const b = toLinear(b8);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** OKLab to linear sRGB (unclamped, to test the gamut). */
function oklabToLinear([L, a, b]: Lab): Rgb {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

function inGamut(lab: Lab): boolean {
  return oklabToLinear(lab).every((v) => v >= -1e-4 && v <= 1 + 1e-4);
}

/** OKLab to sRGB (0–255), clamped. */
export function oklabToRgb(lab: Lab): Rgb {
  const [r, g, b] = oklabToLinear(lab);
  return [fromLinear(r), fromLinear(g), fromLinear(b)];
}

/** Distance in OKLab: about 0.02 is just noticeable, 0.1 reads as a different colour. */
export function labDistance(a: Lab, b: Lab): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** Rotates the hue of an OKLab colour, lowering chroma until it fits in sRGB. */
function rotate([L, a, b]: Lab, degrees: number): Lab {
  const c = Math.hypot(a, b);
  const h = Math.atan2(b, a) + (degrees * Math.PI) / 180;
  for (let k = c; k > 0.01; k *= 0.92) {
    const lab: Lab = [L, k * Math.cos(h), k * Math.sin(h)];
    if (inGamut(lab)) return lab;
  }
  return [L, 0, 0];
}

/** Moves lightness away from the background so a bar never melts into it. */
function clearOf(lab: Lab, bg: Lab): Lab {
  const gap = 0.22;
  if (Math.abs(lab[0] - bg[0]) >= gap) return lab;
  const L = bg[0] < 0.5 ? Math.min(0.95, bg[0] + gap) : Math.max(0.2, bg[0] - gap);
  return [L, lab[1], lab[2]];
}

/**
 * Service hues in OKLCH degrees, one per palette slot: blue, orange, green, purple, yellow, teal,
 * then six hues between them a step lighter (dark themes) or darker (light themes). A slot has the same
 * hue in every theme, so `cart` is green in Dark Modern, Light Modern and High Contrast alike;
 * the theme only sets how light the colours are (clear of its background). Orange sits at 70°,
 * well away from the error red (about 30°).
 */
export const SERVICE_HUES = [250, 62, 150, 310, 108, 195, 275, 35, 155, 335, 95, 215];
/** Lightness of the first six and of the next six, on a dark and on a light background. */
export const TIERS = { dark: [0.7, 0.84], light: [0.6, 0.47] };

/** The OKLCH hue of an OKLab colour, in degrees 0–360. */
export function hueOf([, a, b]: Lab): number {
  return ((Math.atan2(b, a) * 180) / Math.PI + 360) % 360;
}

function fromLch(L: number, c: number, hDeg: number): Lab {
  const h = (hDeg * Math.PI) / 180;
  for (let k = c; k > 0.01; k *= 0.93) {
    const lab: Lab = [L, k * Math.cos(h), k * Math.sin(h)];
    if (inGamut(lab)) return lab;
  }
  return [L, 0, 0];
}

/**
 * `count` service colours for a theme with `background`: slot k has hue `SERVICE_HUES[k % 6]` in
 * every theme; the first six at one lightness, the next six a step further from the background.
 */
export function servicePalette(background: Rgb, count = PALETTE_SIZE): Rgb[] {
  const bg = rgbToOklab(background);
  const dark = bg[0] < 0.5;
  const tiers = dark ? TIERS.dark : TIERS.light;
  const out: Rgb[] = [];
  for (let k = 0; k < count; k++) {
    const tier = Math.floor(k / 6) % 2;
    const lab = fromLch(tiers[tier]!, tier === 0 ? 0.15 : 0.13, SERVICE_HUES[k % SERVICE_HUES.length]!);
    out.push(oklabToRgb(clearOf(lab, bg)));
  }
  return out;
}

/**
 * Builds `count` service colours from the theme's chart colours: each base colour that is not too
 * close to one already taken, then hue-rotated variants chosen farthest-first.
 */
export function buildPalette(
  bases: Rgb[],
  red: Rgb | undefined,
  background: Rgb,
  count = PALETTE_SIZE,
): Rgb[] {
  const bg = rgbToOklab(background);
  const redLab = red ? rgbToOklab(red) : undefined;
  const ok = (lab: Lab) => !redLab || labDistance(lab, redLab) >= 0.13;
  const baseLabs = bases.map((b) => clearOf(rgbToOklab(b), bg));
  const picked: Lab[] = [];
  const far = (lab: Lab) => Math.min(Infinity, ...picked.map((p) => labDistance(p, lab)));
  for (const lab of baseLabs) if (ok(lab) && far(lab) >= 0.09) picked.push(lab);
  const pool: Lab[] = [];
  for (const lab of baseLabs) {
    for (const d of [-40, 40, -80, 80, -120, 120, 160, -160, 20, -20, 60, -60]) {
      const v = clearOf(rotate(lab, d), bg);
      if (ok(v)) pool.push(v);
    }
    // Lighter and darker versions widen the choice when hues run out.
    pool.push(clearOf([Math.min(0.95, lab[0] + 0.15), lab[1] * 0.7, lab[2] * 0.7], bg));
    pool.push(clearOf([Math.max(0.25, lab[0] - 0.15), lab[1], lab[2]], bg));
  }
  while (picked.length < count && pool.length > 0) {
    let best = 0;
    let bestD = -1;
    pool.forEach((lab, k) => {
      const d = far(lab);
      if (d > bestD) {
        bestD = d;
        best = k;
      }
    });
    picked.push(pool.splice(best, 1)[0]!);
  }
  while (picked.length < count) picked.push(picked[picked.length % Math.max(1, picked.length)] ?? bg);
  return picked.slice(0, count).map(oklabToRgb);
}
