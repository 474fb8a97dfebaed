/**
 * Entry of the trace webview (bundled to dist/webview.js, its CSS to dist/webview.css). Runs under
 * a strict CSP: no inline script or style attributes; positions are set through the CSSOM.
 */
import './style.css';
import { App, type VsCodeApi } from './app';

declare function acquireVsCodeApi(): VsCodeApi;

const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
const app = new App(root, acquireVsCodeApi());
window.addEventListener('message', (event: MessageEvent<unknown>) => app.onMessage(event.data));
app.start();
