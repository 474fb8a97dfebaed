/**
 * Opens the BUILT webview (dist/webview.js and dist/webview.css) in Chromium under the host's CSP.
 * Requests to http://tracelens.test/ are answered by route interception: the stub page, dist/,
 * the stub scripts and a generated fixture script. Nothing else is reachable.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SpanDetail } from '../../../src/shared/model';
import { renderPanelHtml } from '../../../src/shared/panelHtml';
import type { WebviewStrings } from '../../../src/shared/strings';
import type { WireTrace } from '../../../src/shared/protocol';

export const ROOT = join(__dirname, '..', '..', '..');
// TRACE_LENS_DIST points at another build output (e.g. a private one while others rebuild dist/).
const DIST = process.env.TRACE_LENS_DIST ?? join(ROOT, 'dist');
const STUB = join(__dirname, '..', 'stub');
export const ORIGIN = 'http://tracelens.test';
export const SHOTS = join(ROOT, 'test-results', 'webview');

/** What the stub host does; mirrors window.__tlFixture in stub/host.js. */
export interface Fixture {
  theme?: 'dark' | 'light' | 'hc';
  trace?: WireTrace;
  /** A comparison panel instead: traces A and B and their comparison (core/compare's answer). */
  compare?: { a: WireTrace; b: WireTrace; comparison: unknown };
  /** The answer to every `getSpanLogs`: records, lines and notes (`SpanLogsMessage` without its header). */
  logs?: { records: unknown[]; lines: unknown[]; notes: string[] };
  /** Generate a synthetic trace of n spans in the page instead. */
  synth?: { n: number; seed?: number };
  details?: Record<number, SpanDetail | null>;
  selectSpanId?: string;
  initialState?: unknown;
  /** Answer `ready` (default true). */
  autoInit?: boolean;
  /** Answer `ready` as a search webview showing this search (a `SearchPayload`). */
  search?: unknown;
  /** Answer `ready` with this error instead of a trace. */
  initError?: string;
  answerDetails?: boolean;
  /** The panel's back/forward history in `init`. */
  history?: { back: boolean; forward: boolean };
  /** The pane sizes the host remembers for the workspace, in `init`. */
  layout?: { detailWidth?: number; detailHeight?: number; labelWidth?: number };
  detailDelayMs?: number;
}

/** Typed arrays become {"$typed", "data"} so the fixture survives JSON. */
export function encode(v: unknown): unknown {
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    return { $typed: v.constructor.name, data: Array.from(v as unknown as ArrayLike<number>) };
  }
  if (Array.isArray(v)) return v.map(encode);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = encode(x);
    return out;
  }
  return v;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html',
};

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(DIST, 'webview.js')) || !existsSync(join(DIST, 'webview.css'))) {
    throw new Error(`${DIST}/webview.js is missing: run \`node scripts/build.mjs\` first`);
  }
  // The project's Chromium path and flags (scripts/tools.mjs, an ES module).
  const { launchChromium } = await import('../../../scripts/tools.mjs');
  return launchChromium();
}

/**
 * The page as the host writes it (`renderPanelHtml`, as tracePanel.ts does), with the stub
 * scripts before the bundle: the fixture, the synthetic trace generator and the stub host.
 * Without `strings` the page carries none and the webview speaks its English defaults.
 */
function pageHtml(nonce: string, strings?: WebviewStrings, subject?: 'trace' | 'search'): string {
  return renderPanelHtml({
    cspSource: ORIGIN,
    nonce,
    distUri: (file) => `${ORIGIN}/dist/${file}`,
    title: 'Trace',
    ...(strings ? { strings } : {}),
    ...(subject ? { subject } : {}),
    prelude: {
      styles: [`${ORIGIN}/stub/themes.css`],
      scripts: [`${ORIGIN}/fixture.js`, `${ORIGIN}/stub/synth.js`, `${ORIGIN}/stub/host.js`],
    },
  });
}

/** A page showing the webview, with access to what the stub host recorded. */
export class View {
  readonly consoleErrors: string[] = [];

  constructor(readonly page: Page) {
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => this.consoleErrors.push(String(e)));
  }

  /** Messages the webview posted to the host. */
  posted(): Promise<{ type: string; [k: string]: unknown }[]> {
    return this.page.evaluate(
      () => (window as unknown as { __tl: { posted: { type: string }[] } }).__tl.posted,
    );
  }

  async postedOfType(type: string): Promise<{ type: string; [k: string]: unknown }[]> {
    return (await this.posted()).filter((m) => m.type === type);
  }

  /** The last state the webview saved with setState. */
  state(): Promise<Record<string, unknown> | undefined> {
    return this.page.evaluate(
      () => (window as unknown as { __tl: { state: Record<string, unknown> } }).__tl.state,
    );
  }

  /** CSP violations seen by the page. */
  cspViolations(): Promise<{ directive: string; blocked: string; sample: string }[]> {
    return this.page.evaluate(() => (window as unknown as { __tl: { csp: [] } }).__tl.csp);
  }

  /** Sends a host → webview message (typed arrays encoded with `encode`). */
  async send(msg: unknown): Promise<void> {
    await this.page.evaluate(
      (m) => (window as unknown as { __tl: { send(m: unknown): void } }).__tl.send(m),
      encode(msg),
    );
  }

  /** Waits until the state was saved (saves are debounced). */
  async waitForState(
    pred: (s: Record<string, unknown>) => boolean = () => true,
  ): Promise<Record<string, unknown>> {
    for (let k = 0; k < 100; k++) {
      const s = await this.state();
      if (s && pred(s)) return s;
      await this.page.waitForTimeout(50);
    }
    throw new Error(`state never matched; last: ${JSON.stringify(await this.state())}`);
  }

  /** Waits for the next two animation frames (rendering is batched per frame). */
  async frames(): Promise<void> {
    await this.page.evaluate(
      () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
    );
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    await this.frames();
    await this.page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }

  /** Texts of the rendered rows' names, top to bottom. */
  rowNames(): Promise<string[]> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.tl-row:not([hidden])'))
        .map((r) => ({ y: r.getBoundingClientRect().top, t: r.querySelector('.tl-name')?.textContent ?? '' }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.t),
    );
  }

  /** Span indexes of the rendered rows, top to bottom. */
  rowIndexes(): Promise<number[]> {
    return this.page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('.tl-row:not([hidden])'))
        .map((r) => ({ y: r.getBoundingClientRect().top, i: Number(r.dataset.spanIndex) }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.i),
    );
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}

/** How `openView` opens the page. */
export interface OpenOptions {
  width?: number;
  height?: number;
  /** Wait for the first waterfall rows (default: when the fixture answers `ready` with a trace). */
  waitForRows?: boolean;
  strings?: WebviewStrings;
  /** What the page says it shows (`renderPanelHtml`'s subject), as the search panel writes it. */
  subject?: 'trace' | 'search';
}

/** Opens the stub page with a fixture and waits for the first rows (unless the fixture says otherwise). */
export async function openView(browser: Browser, fixture: Fixture, opts: OpenOptions = {}): Promise<View> {
  const page = await browser.newPage({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 760 } });
  const nonce = randomBytes(16).toString('base64');
  const fixtureJs = `window.__tlFixture = ${JSON.stringify(encode(fixture))};`;
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    const path = decodeURIComponent(url.pathname);
    if (path === '/' || path === '/index.html') {
      return route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: pageHtml(nonce, opts.strings, opts.subject),
      });
    }
    if (path === '/fixture.js')
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: fixtureJs });
    const base = path.startsWith('/dist/') ? DIST : path.startsWith('/stub/') ? STUB : undefined;
    if (!base) return route.fulfill({ status: 404, body: 'not found' });
    const file = normalize(join(base, path.replace(/^\/(dist|stub)\//, '')));
    if (!file.startsWith(base) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({
      status: 200,
      contentType: TYPES[extname(file)] ?? 'application/octet-stream',
      body: readFileSync(file),
    });
  });
  const view = new View(page);
  await page.goto(`${ORIGIN}/index.html`);
  if (opts.waitForRows ?? (fixture.autoInit !== false && !fixture.initError && !fixture.search)) {
    await page.waitForSelector('.tl-row', { timeout: 20000 });
    await view.frames();
  }
  return view;
}

/** What `webviewSuite` gives a test file. */
export interface WebviewSuite {
  /** The file's Chromium (launched before its first test). */
  readonly browser: Browser;
  /** Opens the built webview with `fixture` (`openView`); the page is checked and closed after the test. */
  open(fixture: Fixture, opts?: OpenOptions): Promise<View>;
}

/**
 * The setup of a webview test file: one Chromium for the file, and after each test every page
 * `open` opened and the test left open is checked for CSP violations and console errors, then
 * closed. Call it inside the file's `describe`: it adds the mocha hooks there.
 */
export function webviewSuite(): WebviewSuite {
  let launched: Browser | undefined;
  const views: View[] = [];
  const browser = (): Browser => {
    if (!launched) throw new Error('the browser is launched in `before`: use it inside a test');
    return launched;
  };
  before(async () => {
    launched = await launchBrowser();
  });
  after(async () => {
    await launched?.close();
  });
  afterEach(async () => {
    const open = views.splice(0).filter((v) => !v.page.isClosed());
    try {
      for (const v of open) {
        assert.deepEqual(await v.cspViolations(), [], 'no CSP violation');
        assert.deepEqual(v.consoleErrors, [], 'no console error');
      }
    } finally {
      for (const v of open) await v.close();
    }
  });
  return {
    get browser() {
      return browser();
    },
    async open(fixture, opts) {
      const v = await openView(browser(), fixture, opts);
      views.push(v);
      return v;
    },
  };
}
