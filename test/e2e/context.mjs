// State shared between the runner (run.mjs) and the Playwright scenarios (scenarios/*.mjs): the runner
// fills it in before mocha loads the scenarios.
import { join } from 'node:path';

export const e2e = {
  /** @type {import('playwright-core').Page} */
  page: undefined,
  /** The per-run copy of test/fixtures/e2e-workspace. */
  workspace: '',
  /** test-results/e2e */
  resultsDir: '',
  /**
   * The fake Tempo server ({ url, requests, setIgnoreRange, ... }): only for a fault no real server
   * shows on demand, a backend that ignores the time range (40-source f, the in-host lmTools
   * suite). traceLens.tempo.url is the team backend (e2e.team).
   */
  tempo: undefined,
  /** http://127.0.0.1:<port> of the control channel in the extension host (host-tests/control.js). */
  controlUrl: '',
  /** The file the control channel writes `{ port }` to when it starts (again after a reload). */
  controlPath: '',
  /**
   * Real telemetry (issue 11), in the extension's store before the window opens (run.mjs,
   * realTelemetry): the demo system ran from the workspace's demo/ folder, one workflow (16 spans,
   * 3 services: the 4.2 s partner call at step 3, the refused mail at step 4) and one batch (2,002
   * spans, a few items failing). `appLog` is the workspace-relative log the system wrote.
   */
  demo: { workflowTraceId: '', batchTraceId: '', appLog: 'demo/logs/app.log' },
  /**
   * The team backend: `trace-lens receive` on its own store, whose Tempo API is
   * traceLens.tempo.url. It holds one workflow the local store does not, run from a copy of the
   * demo system outside the workspace (`deployedDir`, so its code.file.path values need mapping).
   */
  team: { url: '', workflowTraceId: '', deployedDir: '' },
  /** Free ports the runner gave the extension's receiver in the user settings. */
  receiverPorts: { http: 0, grpc: 0, query: 0 },
};

/**
 * Finds the control channel again after a window reload: the new extension host starts a new
 * server and rewrites `controlPath`, which the caller removed before the reload. Waits until the
 * file is back and the server answers.
 */
export async function reconnectHost(timeoutMs = 120000) {
  const { existsSync, readFileSync } = await import('node:fs');
  e2e.controlUrl = await waitUntil(
    'the extension host to restart its control channel',
    async () => {
      if (!existsSync(e2e.controlPath)) return undefined;
      const url = `http://127.0.0.1:${JSON.parse(readFileSync(e2e.controlPath, 'utf8')).port}`;
      const res = await fetch(url, {
        method: 'POST',
        body: JSON.stringify({ action: 'tabs', args: {} }),
        signal: AbortSignal.timeout(5000),
      });
      return (await res.json()).ok ? url : undefined;
    },
    { timeoutMs, intervalMs: 200 },
  );
  return e2e.controlUrl;
}

/**
 * Runs `action` in the extension host through the test extension's control channel and returns
 * its value: `executeCommand`, `recentTraces`, `openTraceIds`, `outputChannel`, `colorTheme`,
 * `openFile`, `activeEditor`, `visibleEditors`, `overlayLines`, `codeLensTitles`, `debugSessions`,
 * `tabs`, `terminals`, `startDebugging`, `localReceiver`, `liveRows`, `updateSetting` (see
 * host-tests/control.js).
 */
export async function host(action, args = {}) {
  if (!e2e.controlUrl) throw new Error('the control channel into the extension host is not up');
  const res = await fetch(e2e.controlUrl, {
    method: 'POST',
    body: JSON.stringify({ action, args }),
    signal: AbortSignal.timeout(60000),
  });
  const reply = await res.json();
  if (!reply.ok) throw new Error(`host ${action} failed: ${reply.error}`);
  return reply.value;
}

/** Runs a VS Code command in the extension host. */
export function command(id, ...args) {
  return host('executeCommand', { command: id, args });
}

/** Saves a screenshot of the whole window into test-results/e2e/<name>.png. */
export async function screenshot(name) {
  const file = join(e2e.resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  // Let fade-ins (hovers, quick input) finish so the picture shows what a person would see;
  // endless animations (progress bars, cursors) are not waited for.
  await e2e.page
    .evaluate(() =>
      Promise.race([
        Promise.all(
          document
            .getAnimations()
            .filter(
              (a) => a.playState === 'running' && Number.isFinite(a.effect?.getComputedTiming().endTime),
            )
            .map((a) => a.finished.catch(() => undefined)),
        ),
        new Promise((r) => setTimeout(r, 2000)),
      ]),
    )
    .catch(() => undefined);
  await e2e.page.screenshot({ path: file });
  return file;
}

/**
 * Polls `check` until it returns a truthy value and returns that value; throws after `timeoutMs`
 * with `what` and the last value or error. For conditions that no locator expresses.
 */
export async function waitUntil(what, check, { timeoutMs = 30000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
