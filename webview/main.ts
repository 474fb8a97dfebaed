/**
 * Entry of the trace webview (bundled to dist/webview.js, its CSS to dist/webview.css). Runs under
 * a strict CSP: no inline script or style attributes; positions are set through the CSSOM.
 */
import './style.css';
import { parseWebviewStrings } from '../src/shared/strings';
import { App, type VsCodeApi } from './app';
import { useStrings } from './l10n';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
// The words first: everything the App draws reads them (the host wrote them into the page).
const written = root.dataset.strings;
if (written) {
  try {
    useStrings(parseWebviewStrings(JSON.parse(written)));
  } catch {
    // Not JSON: the English defaults stay.
  }
}
const app = new App(root, acquireVsCodeApi());
window.addEventListener('message', (event: MessageEvent<unknown>) => app.onMessage(event.data));
app.start();
