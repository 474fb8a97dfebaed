// In-host API tests of the local receiver (issue 10): run by ./extension.js after ./suite.js, inside
// the extension host of code-server. The runner gave the receiver free ports in the user settings
// (config.receiverPorts). Traces are sent the way an SDK sends them (OTLP/HTTP JSON); the debug
// tests launch real Node programs with the built-in JavaScript debugger.
'use strict';
/* global require, global, describe, it, before, after */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');
const vscode = require('vscode');

const config = global.__traceLensE2E;
const EXTENSION_ID = 'tracelens.trace-lens';
const ports = config.receiverPorts;
const TRACE_A = '1a2b3c4d5e6f70819a0b1c2d3e4f5061';
const TRACE_LENS = '2b3c4d5e6f70819a0b1c2d3e4f506172';
const REPO = path.resolve(config.mochaPath, '..', '..');

async function waitFor(what, check, timeoutMs = 30000, intervalMs = 100) {
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

function hoverText(hovers) {
  const parts = [];
  for (const hover of hovers || []) {
    for (const c of hover.contents) parts.push(typeof c === 'string' ? c : c.value);
  }
  return parts
    .join('\n')
    .replace(/&nbsp;|&#160;|\u00a0/g, ' ')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** OTLP/JSON for spans of one service; times in ms from now. */
function otlpJson(service, spans) {
  const now = BigInt(Date.now()) * 1000000n;
  const attr = (k, v) => ({
    key: k,
    value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: String(v) },
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [attr('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: 'in-host-test' },
            spans: spans.map((s) => ({
              traceId: s.traceId,
              spanId: s.spanId,
              ...(s.parent ? { parentSpanId: s.parent } : {}),
              name: s.name,
              kind: s.kind || 2,
              startTimeUnixNano: String(now + BigInt(s.start) * 1000000n),
              endTimeUnixNano: String(now + BigInt(s.end) * 1000000n),
              attributes: Object.entries(s.attributes || {}).map(([k, v]) => attr(k, v)),
              status: s.error ? { code: 2, message: 'failed' } : {},
            })),
          },
        ],
      },
    ],
  };
}

/** POSTs spans to the receiver's OTLP/HTTP endpoint, as an SDK's JSON exporter does. */
async function send(service, spans) {
  const res = await fetch(`http://127.0.0.1:${ports.http}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(otlpJson(service, spans)),
  });
  assert.strictEqual(res.status, 200, await res.text());
}

/** A log file outside the workspace with `text` (a file, not an untitled buffer: nothing to save). */
async function logDocument(text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-local-log-'));
  const file = path.join(dir, 'service.log');
  fs.writeFileSync(file, text);
  return vscode.workspace.openTextDocument(vscode.Uri.file(file));
}

async function hoverIn(doc, traceId, want) {
  const line = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.includes(traceId));
  const position = new vscode.Position(line, doc.lineAt(line).text.indexOf(traceId) + 4);
  return waitFor(
    `a hover with ${want}`,
    async () => {
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position);
      const t = hoverText(hovers);
      return t.includes(want) ? t : undefined;
    },
    30000,
    250,
  );
}

/** A tiny program that writes the OTEL_* variables it was started with to `out`. */
function probeProgram() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tl-env-probe-'));
  const program = path.join(dir, 'probe.js');
  fs.writeFileSync(
    program,
    `require('fs').writeFileSync(process.argv[2], JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('OTEL_')))));\n`,
  );
  return { dir, program };
}

/** Launches `program` with the JavaScript debugger and returns the OTEL_* variables it saw. */
async function launchProbe(program, name, env) {
  const out = path.join(path.dirname(program), `${name.replace(/\W+/g, '-')}-${Date.now()}.json`);
  // The launch's own session (js-debug adds a child session for the process): ended when it ends.
  let ended = false;
  const sessions = new Set();
  const subs = [
    vscode.debug.onDidStartDebugSession((s) => {
      if (s.name === name && !s.parentSession) sessions.add(s.id);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (sessions.has(s.id)) ended = true;
    }),
  ];
  const launched = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders[0], {
    type: 'node',
    request: 'launch',
    name,
    program,
    args: [out],
    console: 'internalConsole',
    ...(env ? { env } : {}),
  });
  try {
    assert.ok(launched, `the launch "${name}" started`);
    await waitFor(`${name} to write ${out}`, () => fs.existsSync(out) && fs.statSync(out).size > 0, 60000);
    await waitFor(`the debug session of ${name} to end`, () => ended, 30000);
  } finally {
    for (const sub of subs) sub.dispose();
  }
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

/** Whether something accepts TCP connections on `port`. */
function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('The local receiver in the extension host (issue 10)', function () {
  let api;
  const receiving = () =>
    waitFor('the receiver to receive', async () => {
      const r = await api.localReceiver();
      return r.state === 'receiving' ? r : undefined;
    });

  /** The receiver receiving, once it has read the store's figures. */
  const withFigures = () =>
    waitFor('the receiver to receive, with the store’s figures', async () => {
      const v = await api.localReceiver();
      return v.state === 'receiving' && v.stats ? v : undefined;
    });
  const stopReceiver = async () => {
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await waitFor('the receiver to be off', async () => (await api.localReceiver()).state === 'off');
  };
  /**
   * The store as this suite found it: its folder, a copy of it beside it, and its figures. The
   * tests below send traces of their own into the extension's store (inhost-shop, inhost-live,
   * three DataFetchNode.totals spans), and the Playwright scenarios after this suite read the
   * same store (Live view, CodeLens, Search, the status bar's figures) for the demo's traces. A
   * store can only be cleared whole, so the folder is copied while the receiver is stopped, and
   * put back the same way after the tests.
   */
  let found;

  before(async function () {
    this.timeout(120000);
    api = await vscode.extensions.getExtension(EXTENSION_ID).activate();
    const r = await receiving();
    await stopReceiver();
    const copy = `${r.storeDir}.before-in-host-tests`;
    fs.rmSync(copy, { recursive: true, force: true });
    // Not the lock: stopping released it, and a copy of a live one would claim the restored store.
    fs.cpSync(r.storeDir, copy, { recursive: true, filter: (src) => path.basename(src) !== 'writer.lock' });
    await vscode.commands.executeCommand('traceLens.startReceiver');
    // The figures of the folder as copied (read when the store opens: those before the stop may
    // not count the last spans the suites before this one sent).
    const opened = await withFigures();
    found = { storeDir: r.storeDir, copy, stats: opened.stats };
  });

  after(async function () {
    this.timeout(120000);
    // Leave the window as the UI scenarios expect to find it: the Explorer, no editors, no panel.
    await vscode.commands.executeCommand('traceLens.chooseQueryBackend', 'auto');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await vscode.commands.executeCommand('workbench.view.explorer');
    // And the store as this suite found it.
    if (!found) return;
    await stopReceiver();
    fs.rmSync(found.storeDir, { recursive: true, force: true });
    fs.renameSync(found.copy, found.storeDir);
    await vscode.commands.executeCommand('traceLens.startReceiver');
    const back = await withFigures();
    assert.deepStrictEqual(back.stats, found.stats, 'the store holds what it held before the suite');
    assert.strictEqual(back.role, 'writer');
  });

  it('starts after activation on the ports of the settings, and says it receives', async function () {
    const r = await receiving();
    assert.strictEqual(r.role, 'writer');
    assert.strictEqual(r.otlpHttpUrl, `http://127.0.0.1:${ports.http}`);
    assert.strictEqual(r.queryUrl, `http://127.0.0.1:${ports.query}`);
    assert.deepStrictEqual(r.problems, []);
    assert.ok(await listening(ports.grpc), `OTLP/gRPC listens on ${ports.grpc} (the gRPC bundle loaded)`);
    const echo = await fetch(`${r.queryUrl}/api/echo`);
    assert.strictEqual(await echo.text(), 'echo\n', 'the Tempo-compatible API answers');
  });

  it('looks a trace up in the local store first, and the hover names it', async function () {
    await receiving();
    await send('inhost-shop', [
      { traceId: TRACE_A, spanId: 'a000000000000001', name: 'checkout.submit', start: -50, end: 0 },
      {
        traceId: TRACE_A,
        spanId: 'a000000000000002',
        parent: 'a000000000000001',
        name: 'charge',
        kind: 3,
        start: -40,
        end: -10,
        error: true,
      },
    ]);
    const doc = await logDocument(`2026-12-07T10:00:00Z WARN checkout failed trace_id=${TRACE_A}\n`);
    const text = await hoverIn(doc, TRACE_A, 'checkout.submit');
    assert.ok(text.includes('from the local store'), `the hover names the local store:\n${text}`);
    assert.ok(text.includes('2 spans'), text);
    const r = await waitFor('the status bar to count the trace', async () => {
      const v = await api.localReceiver();
      return v.stats && v.stats.traces >= 1 ? v : undefined;
    });
    // The demo's 2,002-span batch is in the store too: thousands read "2k".
    assert.match(r.text, /^\$\(radio-tower\) [\d.]+k? traces · [\d.]+k? spans$/);
  });

  it('asks the configured backend for a trace the store does not hold, and the hover names it', async function () {
    // The team's workflow: the demo system ran it into the team backend (traceLens.tempo.url) only.
    const traceId = config.team.workflowTraceId;
    const doc = await logDocument(`INFO workflow-engine workflow started trace_id=${traceId}\n`);
    const text = await hoverIn(doc, traceId, 'POST /workflows/:workflowId/runs');
    const host = new URL(config.tempoUrl).host;
    assert.ok(text.includes(`from Tempo at ${host}`), `the hover names Tempo at ${host}:\n${text}`);
    assert.ok(!text.includes('from the local store'), text);
  });

  it('the Live view lists the trace as it arrives: root, service, duration, errors', async function () {
    await vscode.commands.executeCommand('traceLens.live.focus');
    const before = await api.localReceiver();
    await send('inhost-live', [
      { traceId: TRACE_LENS, spanId: 'b000000000000001', name: 'GET /orders', start: -20, end: 0 },
    ]);
    const rows = await waitFor('the Live view to list GET /orders', () => {
      const list = api.liveRows();
      return list.some((r) => r.traceId === TRACE_LENS) ? list : undefined;
    });
    assert.strictEqual(rows[0].traceId, TRACE_LENS, 'newest first');
    assert.strictEqual(rows[0].label, 'GET /orders');
    assert.match(rows[0].description, /^inhost-live · 20 ms · \d\d:\d\d:\d\d$/);
    const a = rows.find((r) => r.traceId === TRACE_A);
    assert.ok(a, 'the earlier trace is listed too');
    assert.match(a.description, /^inhost-shop · 50 ms · 1 error · /);
    const after = await waitFor('the status bar to count one more trace', async () => {
      const v = await api.localReceiver();
      return v.stats && v.stats.traces > before.stats.traces ? v : undefined;
    });
    assert.ok(after.text.includes(`${after.stats.traces} traces`), after.text);
  });

  it('CodeLens asks the local store when it is chosen, which counts every span, and new ones as they arrive', async function () {
    // The language server alone may take 90 s on a cold start.
    this.timeout(180000);
    // Three spans of DataFetchNode.totals (the demo's demo/src/nodes/DataFetchNode.ts), one failed.
    const code = { 'code.function.name': 'DataFetchNode.totals' };
    await send(
      'inhost-lens',
      [10, 20, 30].map((ms, i) => ({
        traceId: `3c4d5e6f70819a0b1c2d3e4f5061728${i}`,
        spanId: `c00000000000000${i}`,
        name: 'totals',
        start: -ms,
        end: 0,
        attributes: code,
        error: i === 2,
      })),
    );
    await vscode.commands.executeCommand('traceLens.chooseQueryBackend', 'local');
    const uri = vscode.Uri.joinPath(
      vscode.workspace.workspaceFolders[0].uri,
      'demo/src/nodes/DataFetchNode.ts',
    );
    await vscode.window.showTextDocument(uri);
    try {
      // The lens believes an empty symbol list after a few tries: wait for the language server first.
      await waitFor(
        'the TypeScript language server to name the functions',
        async () => {
          const symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', uri);
          return symbols && symbols.length > 0;
        },
        90000,
        500,
      );
      const totals = /^p50 20 ms · p95 29 ms · 3 spans · 1 error \(last 1 h\)$/;
      const titles = await waitFor(
        'the CodeLens title of DataFetchNode.totals from the local store',
        async () => {
          const t = await api.codeLensTitles(uri.toString());
          return t.some((x) => totals.test(x)) ? t : undefined;
        },
        90000,
        500,
      );
      // The other function with spans: DataFetchNode.fetch, which the demo workflow ran once.
      const others = titles.filter((t) => !totals.test(t));
      assert.strictEqual(
        titles.length - others.length,
        1,
        `one lens has the three spans: ${JSON.stringify(titles)}`,
      );
      assert.ok(
        others.every((t) => /· 1 span\b/.test(t)),
        `the demo's one run of DataFetchNode.fetch beside them: ${JSON.stringify(titles)}`,
      );

      // The app runs again: a fourth span arrives. The lens the editor shows (the provider's
      // answer, not a fresh fetch) counts it within seconds, not after its figures' five minutes.
      await send('inhost-lens', [
        {
          traceId: '3c4d5e6f70819a0b1c2d3e4f50617283',
          spanId: 'c000000000000003',
          name: 'totals',
          start: -40,
          end: 0,
          attributes: code,
        },
      ]);
      const four = /^p50 \S+ ms · p95 \S+ ms · 4 spans · 1 error \(last 1 h\)$/;
      await waitFor(
        'the lens over DataFetchNode.totals in the editor to count the fourth span',
        async () => {
          const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 100);
          const shown = (lenses ?? []).map((l) => l.command?.title ?? '');
          return shown.some((t) => four.test(t)) ? shown : undefined;
        },
        30000,
        500,
      );
    } finally {
      // Back to automatic, the editor closed: a visible lens asking the local store while the tests
      // below stop it would pause every lens for minutes (scenarios-source.mjs asks Tempo).
      await vscode.commands.executeCommand('traceLens.chooseQueryBackend', 'auto');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('a Node launch gets the OTEL_* variables, never replacing those it sets', async function () {
    await receiving();
    const { dir, program } = probeProgram();
    try {
      const kept = await launchProbe(program, 'Env probe', {
        OTEL_SERVICE_NAME: 'kept-by-launch',
        OTEL_LOGS_EXPORTER: 'console',
      });
      assert.deepStrictEqual(kept, {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${ports.http}`,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'console',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_SERVICE_NAME: 'kept-by-launch',
      });
      const named = await launchProbe(program, 'Orders API');
      assert.strictEqual(named.OTEL_SERVICE_NAME, 'Orders API', 'the launch name is the service name');
      assert.strictEqual(named.OTEL_LOGS_EXPORTER, 'otlp');
      // A launch that sends elsewhere is left alone.
      const elsewhere = await launchProbe(program, 'Own collector', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318',
      });
      assert.deepStrictEqual(elsewhere, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector.invalid:4318' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with traceLens.receiver.injectDebugEnv off, a launch gets nothing', async function () {
    const settings = () => vscode.workspace.getConfiguration('traceLens.receiver');
    const { dir, program } = probeProgram();
    try {
      await settings().update('injectDebugEnv', false, vscode.ConfigurationTarget.Global);
      await waitFor('the setting to apply', () => settings().get('injectDebugEnv') === false);
      assert.deepStrictEqual(await launchProbe(program, 'No env'), {});
    } finally {
      await settings().update('injectDebugEnv', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with traceLens.receiver.injectTerminalEnv on, a program started in a new terminal gets them', async function () {
    const r = await receiving();
    const settings = () => vscode.workspace.getConfiguration('traceLens.receiver');
    const { dir, program } = probeProgram();
    const terminals = [];
    try {
      await settings().update('injectTerminalEnv', true, vscode.ConfigurationTarget.Global);
      // The collection reaches the terminal service asynchronously: new terminals until one has it.
      const seen = await waitFor(
        'a new terminal with the OTEL_* variables',
        async () => {
          const out = path.join(dir, `terminal-${terminals.length}.json`);
          terminals.push(
            vscode.window.createTerminal({
              name: 'env probe',
              shellPath: process.execPath,
              shellArgs: [program, out],
            }),
          );
          await waitFor('the terminal program to write its variables', () => fs.existsSync(out), 20000);
          const env = JSON.parse(fs.readFileSync(out, 'utf8'));
          return env.OTEL_EXPORTER_OTLP_ENDPOINT ? env : undefined;
        },
        60000,
        0,
      );
      assert.deepStrictEqual(seen, {
        OTEL_EXPORTER_OTLP_ENDPOINT: r.otlpHttpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_LOGS_EXPORTER: 'otlp',
        OTEL_METRICS_EXPORTER: 'none',
      });
    } finally {
      await settings().update('injectTerminalEnv', undefined, vscode.ConfigurationTarget.Global);
      for (const t of terminals) t.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Stop releases the ports; Start receives again', async function () {
    await receiving();
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await waitFor('the receiver to be off', async () => (await api.localReceiver()).state === 'off');
    assert.ok(!(await listening(ports.http)), 'the OTLP/HTTP port is closed');
    await vscode.commands.executeCommand('traceLens.startReceiver');
    await receiving();
    assert.ok(await listening(ports.http), 'the OTLP/HTTP port is open again');
  });

  it('reads a store another process owns, and takes over within seconds when it exits', async function () {
    const r = await receiving();
    const storeDir = r.storeDir;
    assert.ok(storeDir && fs.existsSync(storeDir), `the store folder exists: ${storeDir}`);
    // Another owner: the CLI's receiver on the same folder, started while this window is stopped.
    await vscode.commands.executeCommand('traceLens.stopReceiver');
    await waitFor('the receiver to be off', async () => (await api.localReceiver()).state === 'off');
    const cli = spawn(
      process.execPath,
      [
        path.join(REPO, 'dist', 'cli.js'),
        'receive',
        '--store',
        storeDir,
        '--http-port',
        '0',
        '--grpc-port',
        '0',
        '--query-port',
        '0',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    cli.stdout.on('data', (c) => (out += c));
    cli.stderr.on('data', (c) => (out += c));
    try {
      const cliHttp = await waitFor('the CLI to receive', () => {
        const m = /receiving OTLP on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        return m && m[1];
      });
      await vscode.commands.executeCommand('traceLens.startReceiver');
      const reading = await waitFor('this window to read the CLI’s store', async () => {
        const v = await api.localReceiver();
        return v.state === 'reading' && v.stats ? v : undefined;
      });
      assert.strictEqual(reading.otlpHttpUrl, cliHttp, 'launches would send to the owner');
      assert.ok(reading.stats && reading.stats.traces >= 2, 'the figures come through the owner’s API');
      // A trace the owner received is found from here, through its query API.
      const doc = await logDocument(`trace_id=${TRACE_A}\n`);
      const text = await hoverIn(doc, TRACE_A, 'checkout.submit');
      assert.ok(text.includes('from the local store'), text);
      cli.kill('SIGTERM');
      await receiving();
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
    }
    const back = await api.localReceiver();
    assert.strictEqual(back.otlpHttpUrl, `http://127.0.0.1:${ports.http}`, 'on its own ports again');
  });
});
