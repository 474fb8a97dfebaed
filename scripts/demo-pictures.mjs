// The README's pictures (docs/images), taken from the real demo: starts `node scripts/demo.mjs
// --code-server` (the demo system's traces in the editor's receiver), opens the workbench in
// Chromium, and photographs what a person does first: the hover over a trace ID in logs/app.log,
// and the trace opened from the slow partner call's log line beside the log, with the slow GET
// selected. It prints what the hover says the time went to: look at both pictures.
//
//   node scripts/demo-pictures.mjs [--out DIR]     default DIR: docs/images
//
// Waits on conditions only; stops the demo (and everything it started) at the end.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../test/e2e/context.mjs';
import {
  UI_TIMEOUT,
  hoverUntilVisible,
  logLine,
  openTraceFromLogLine,
  quickOpen,
  readText,
  resizeWorkbench,
  rowNamed,
  selectSpan,
  textBox,
} from '../test/e2e/workbench.mjs';
import { descendants, describeProcess, stopTree } from './demoSystem.mjs';
import { launchChromium } from './tools.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const OUT = resolve(outArg > 0 ? process.argv[outArg + 1] : join(root, 'docs', 'images'));
const HOVER_VIEWPORT = { width: 1920, height: 1080 };
/** Wide enough for the log lines and the waterfall side by side. */
const PANEL_VIEWPORT = { width: 2400, height: 820 };

const log = (m) => console.log(`[pictures] ${m}`);

/** Starts the demo; resolves when it prints the URL, with the trace IDs it printed. */
function startDemo() {
  const child = spawn(process.execPath, [join(root, 'scripts', 'demo.mjs'), '--code-server'], {
    cwd: root,
    env: { ...process.env, DEMO_PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  let out = '';
  const ready = new Promise((ok, fail) => {
    child.stdout.on('data', (c) => {
      process.stdout.write(c);
      out += c;
      const url = /Open:\s+(http:\/\/\S+)/.exec(out)?.[1];
      const workflow = /trace workflow\s+([0-9a-f]{32})/.exec(out)?.[1];
      const workspace = /^workspace: (.+)$/m.exec(out)?.[1];
      if (url && workflow && workspace) ok({ url, workflow, workspace });
    });
    child.once('exit', (code) => fail(new Error(`demo.mjs exited (${code}) before it was ready`)));
  });
  return { child, ready };
}

async function hoverPicture(page, workflow, workspace) {
  await page.setViewportSize(HOVER_VIEWPORT);
  // Quick Open, as a person does, with the keyboard in the (empty) editor part.
  await page.locator('.part.editor').click({ position: { x: 200, y: 200 } });
  await quickOpen(page, 'logs/app.log');
  // The cursor off line 1's first word (a timestamp when a plain-text line comes first, and the
  // editor would then mark every "2026" in the picture): on the hovered line, between two spaces.
  const started = logLine(join(workspace, 'logs', 'app.log'), workflow, 'workflow started').number;
  await revealLogLine(page, started, 'workflow started');
  const box = await textBox(page, `workflow started trace_id=${workflow}`, workflow);
  const hover = page
    .locator('.monaco-hover', { hasText: 'POST /workflows/:workflowId/runs' })
    .filter({ visible: true })
    .first();
  await hoverUntilVisible(page, box, hover, 'the hover over the workflow trace ID');
  await waitUntil('the hover to say where the time went', async () =>
    /Where the time went/.test(await readText(hover)),
  );
  const file = join(OUT, 'hover.png');
  await page.screenshot({ path: file });
  const said = (await readText(hover)).split('\n').filter(Boolean);
  log(`${file}: ${said.slice(0, 4).join(' | ')}`);
  await page.mouse.move(5, 5);
  await page.keyboard.press('Escape');
}

/**
 * Go to Line (Ctrl+G) `line` in the focused editor; waits until `text` is on screen in it. The
 * cursor goes between the two spaces after the level ("WARN  data-fetch"): on no word, so the
 * editor highlights no other occurrence in the picture.
 */
async function revealLogLine(page, line, text) {
  await page.keyboard.press('Control+G');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await waitUntil('Go to Line to show, its input focused', async () => {
    if (!(await widget.isVisible())) return false;
    return input.evaluate((el) => el === document.activeElement);
  });
  const target = `${line}:31`;
  await page.keyboard.type(target);
  // Enter goes to what the input holds (":" and the typed line:column).
  await waitUntil(`Go to Line to hold ${target}`, async () => (await input.inputValue()).endsWith(target));
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  const editor = page.locator('.part.editor .monaco-editor').first();
  const row = editor.locator('.view-line', { hasText: text }).first();
  await waitUntil(`"${text}" (line ${line}) on screen`, async () => {
    const [e, r] = await Promise.all([editor.boundingBox(), row.boundingBox().catch(() => null)]);
    return e && r && r.y >= e.y && r.y + r.height <= e.y + e.height;
  });
}

async function panelPicture(page, workflow, workspace) {
  await page.keyboard.press('Control+B'); // the side bar closed: the log and the trace side by side
  await resizeWorkbench(page, PANEL_VIEWPORT);
  // The picture shows the line the trace was opened from: below the batch's long error lines at
  // this height, so go to it (Ctrl+G) as a person scrolls to it, before the click and again once
  // the panel beside has narrowed the log (its lines wrap anew).
  const slowLine = logLine(join(workspace, 'logs', 'app.log'), workflow, 'partner API slow').number;
  const editor = page.locator('.part.editor');
  await editor.locator('.monaco-editor .view-lines').first().click();
  await revealLogLine(page, slowLine, 'partner API slow');
  const doc = await openTraceFromLogLine(page, 'partner API slow', workflow, editor);
  // The slow page of the partner API: the first GET.
  await rowNamed(doc, 'GET').waitFor({ timeout: 60000 });
  await selectSpan(doc, 'GET');
  await waitUntil('the slow GET in the detail pane', async () =>
    /Duration\s*4\.\d+ s/.test(await readText(doc.locator('#tl-detail')).catch(() => '')),
  );
  // Focus the log again through its tab (the keyboard is in the panel's webview).
  await page.locator('.tabs-container .tab', { hasText: 'app.log' }).first().click();
  await revealLogLine(page, slowLine, 'partner API slow');
  await page.mouse.move(5, 5);
  const file = join(OUT, 'panel.png');
  await page.screenshot({ path: file });
  log(`${file}`);
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const demo = startDemo();
  let browser;
  try {
    const { url, workflow, workspace } = await demo.ready;
    browser = await launchChromium({ headless: true });
    const page = await (await browser.newContext({ viewport: HOVER_VIEWPORT })).newPage();
    await page.goto(url, { timeout: 120000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 120000 });
    await page
      .locator('.explorer-folders-view .monaco-list-row', { hasText: 'logs' })
      .waitFor({ state: 'visible', timeout: 120000 });
    // The receiver opened the store the demo filled: its status bar item counts the traces.
    await page
      .locator('.statusbar-item[id="tracelens.trace-lens.traceLens.receiver"]', { hasText: 'traces' })
      .waitFor({ timeout: 60000 });
    await hoverPicture(page, workflow, workspace);
    await panelPicture(page, workflow, workspace);
  } finally {
    await browser?.close().catch(() => undefined);
    const left = await stopTree(demo.child, { signal: 'SIGINT', graceMs: 20000, log, name: 'demo.mjs' });
    const all = [...new Set([...left, ...descendants(process.pid)])];
    if (all.length) log(`still running: ${all.map(describeProcess).join(', ')}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`[pictures] ${err instanceof Error ? (err.stack ?? err.message) : err}`);
    process.exit(1);
  },
);
