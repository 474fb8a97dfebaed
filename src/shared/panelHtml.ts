/**
 * The trace panel's page: the one place that writes its HTML and Content Security Policy. The
 * host's panel, the webview test harness and the webview benchmark all render it, so a change
 * to the CSP or to the bundle's files is tested where it is made.
 */
import type { WebviewStrings } from './strings';

/** Stylesheets of the bundle in `dist/`, in load order. */
export const PANEL_STYLES = ['codicon.css', 'webview.css'] as const;
/** Scripts of the bundle in `dist/`, in load order. */
export const PANEL_SCRIPTS = ['webview.js'] as const;

/** What `renderPanelHtml` needs. */
export interface PanelHtmlOptions {
  /** The origin the webview may load from (`webview.cspSource`). */
  cspSource: string;
  /** A fresh random value per load; every script and stylesheet carries it. */
  nonce: string;
  /** The URI a file of `dist/` is loaded from (`webview.asWebviewUri`). */
  distUri(file: string): string;
  title: string;
  /** The page's words (`webviewStrings(vscode)`); absent: the webview's English defaults. */
  strings?: WebviewStrings;
  /** What the page shows first: a trace (the default) or search results; the loading screen says which. */
  subject?: 'trace' | 'search';
  /** The display language (`vscode.env.language`), for `<html lang>`; absent: `en`. */
  lang?: string;
  /**
   * Test pages only: stylesheets and scripts loaded before the bundle's (theme variables, a stub
   * of `acquireVsCodeApi`), from the same origin and under the same policy.
   */
  prelude?: { styles?: readonly string[]; scripts?: readonly string[] };
}

/** Text for an HTML attribute value or element content. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The policy: nothing by default; scripts only with the nonce (no inline script, no eval);
 * styles, fonts and images only from the webview's origin (styles also by nonce); no network.
 */
export function panelCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

/** The panel's HTML: the CSP, the bundle's stylesheets and scripts with the nonce, and `#app`. */
export function renderPanelHtml(o: PanelHtmlOptions): string {
  const n = escapeHtml(o.nonce);
  const styles = [...(o.prelude?.styles ?? []), ...PANEL_STYLES.map((f) => o.distUri(f))];
  const scripts = [...(o.prelude?.scripts ?? []), ...PANEL_SCRIPTS.map((f) => o.distUri(f))];
  return `<!DOCTYPE html>
<html lang="${escapeHtml(o.lang ?? 'en')}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(panelCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${styles.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}" nonce="${n}">`).join('\n')}
<title>${escapeHtml(o.title)}</title>
</head>
<body>
<div id="app"${o.subject === 'search' ? ' data-subject="search"' : ''}${o.strings ? ` data-strings="${escapeHtml(JSON.stringify(o.strings))}"` : ''}></div>
${scripts.map((src) => `<script nonce="${n}" src="${escapeHtml(src)}"></script>`).join('\n')}
</body>
</html>`;
}
