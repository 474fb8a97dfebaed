// A control channel into the extension host for the Playwright scenarios (test only, never shipped):
// an HTTP server on 127.0.0.1 that runs a fixed set of actions against the real `vscode` API and the
// Trace Lens API, so a scenario can do in the host what a person's other tools would do (an
// extension printing to its output channel, a theme change) and assert API state at the moment it
// looks at the screen. The port goes to `controlPath` (see e2e-config.json); test/e2e/context.mjs
// calls it with `host(action, args)`.
'use strict';
/* global require, module */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const fs = require('fs');
const http = require('http');
const vscode = require('vscode');

const EXTENSION_ID = 'tracelens.trace-lens';

/** Output channels this extension created, by name (a second call appends to the same channel). */
const channels = new Map();
/** Debug sessions seen since activation: { id, name, type, started, terminated }. */
const sessions = [];

async function traceLensApi() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Waits until `check()` is truthy or `timeoutMs` passes; returns the last value. */
async function settle(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let value = check();
  while (!value && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = check();
  }
  return value;
}

/** A file's path relative to the workspace folder, with forward slashes (or its URI outside it). */
function relative(uri) {
  return uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri, false) : uri.toString();
}

const KIND_NAMES = { 1: 'light', 2: 'dark', 3: 'high-contrast', 4: 'high-contrast-light' };

/** JSON-safe copy of a command's result (URIs and other class instances become plain data). */
function plain(value) {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}

/** Commands registered by `stubCommand`: their calls and registrations. */
const stubs = new Map();

const actions = {
  async executeCommand({ command, args = [] }) {
    return plain(await vscode.commands.executeCommand(command, ...args));
  },

  async recentTraces() {
    return plain((await traceLensApi()).recentTraces());
  },

  async openTraceIds() {
    return plain((await traceLensApi()).openTraceIds());
  },

  /** Appends `lines` to the output channel `name` (created on first use) and shows it. */
  async outputChannel({ name, lines, show = true }) {
    let channel = channels.get(name);
    if (!channel) {
      channel = vscode.window.createOutputChannel(name);
      channels.set(name, channel);
    }
    for (const line of lines) channel.appendLine(line);
    if (show) channel.show(true);
    return null;
  },

  /** Sets workbench.colorTheme (user settings) and waits for the workbench to switch to `kind`. */
  async colorTheme({ theme, kind }) {
    const changed = new Promise((resolve) => {
      const sub = vscode.window.onDidChangeActiveColorTheme(() => {
        sub.dispose();
        resolve();
      });
      setTimeout(() => {
        sub.dispose();
        resolve();
      }, 10000);
    });
    await vscode.workspace
      .getConfiguration()
      .update('workbench.colorTheme', theme, vscode.ConfigurationTarget.Global);
    const current = () => KIND_NAMES[vscode.window.activeColorTheme.kind];
    if (current() !== kind) await changed;
    await settle(() => current() === kind, 10000);
    return { theme: vscode.workspace.getConfiguration().get('workbench.colorTheme'), kind: current() };
  },

  /** Opens a workspace file in an editor (`column` 1-based), its first line scrolled to `line`. */
  async openFile({ path, column = 1, line = 0 }) {
    const folder = vscode.workspace.workspaceFolders[0];
    const uri = vscode.Uri.joinPath(folder.uri, path);
    const editor = await vscode.window.showTextDocument(uri, { viewColumn: column, preview: false });
    const at = new vscode.Range(line, 0, line, 0);
    editor.revealRange(at, vscode.TextEditorRevealType.AtTop);
    return uri.toString();
  },

  /** The active text editor: workspace-relative path, 1-based line and column of the cursor. */
  async activeEditor() {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return null;
    return {
      path: relative(editor.document.uri),
      line: editor.selection.active.line + 1,
      column: editor.selection.active.character + 1,
      viewColumn: editor.viewColumn ?? null,
    };
  },

  /** The visible text editors: path, column and the 1-based first and last visible lines. */
  async visibleEditors() {
    return vscode.window.visibleTextEditors.map((e) => ({
      path: relative(e.document.uri),
      viewColumn: e.viewColumn ?? null,
      visible: e.visibleRanges.map((r) => [r.start.line + 1, r.end.line + 1]),
    }));
  },

  /** TraceLensApi.overlayLines() with workspace-relative paths. */
  async overlayLines() {
    const lines = (await traceLensApi()).overlayLines();
    return lines.map((l) => ({ ...l, path: relative(vscode.Uri.file(l.path)) }));
  },

  /** TraceLensApi.codeLensTitles() for a workspace file. */
  async codeLensTitles({ path }) {
    const folder = vscode.workspace.workspaceFolders[0];
    return (await traceLensApi()).codeLensTitles(vscode.Uri.joinPath(folder.uri, path).toString());
  },

  async debugSessions() {
    return sessions;
  },

  /** Starts a debug session of `config` (a launch configuration) in the workspace folder, as F5 does. */
  async startDebugging({ config }) {
    const folder = vscode.workspace.workspaceFolders[0];
    return vscode.debug.startDebugging(folder, config);
  },

  /** TraceLensApi.localReceiver(): the receiver as its status bar item shows it. */
  async localReceiver() {
    return plain(await (await traceLensApi()).localReceiver());
  },

  /** TraceLensApi.liveRows(): the rows the Live view shows. */
  async liveRows() {
    return plain((await traceLensApi()).liveRows());
  },

  /** The integrated terminals by name (a scenario checks that no link opened one). */
  async terminals() {
    return vscode.window.terminals.map((t) => ({ name: t.name }));
  },

  /**
   * Registers command `command` as a recorder of its arguments (a stand-in for a command another
   * part of the product may not have yet); false when something registered it already.
   */
  async stubCommand({ command }) {
    if ((await vscode.commands.getCommands(true)).includes(command)) return false;
    const calls = [];
    stubs.set(command, {
      calls,
      registration: vscode.commands.registerCommand(command, (...a) => calls.push(plain(a))),
    });
    return true;
  },

  /** The argument lists a stub command was called with. */
  async stubCalls({ command }) {
    return stubs.get(command)?.calls ?? null;
  },

  /** Unregisters a stub command. */
  async unstubCommand({ command }) {
    stubs.get(command)?.registration.dispose();
    stubs.delete(command);
    return null;
  },

  /** Webview and text tabs of every editor group, for checking what a scenario opened. */
  async tabs() {
    return vscode.window.tabGroups.all.flatMap((g) =>
      g.tabs.map((t) => ({
        label: t.label,
        group: g.viewColumn,
        active: t.isActive,
        viewType: t.input instanceof vscode.TabInputWebview ? t.input.viewType : undefined,
        uri: t.input instanceof vscode.TabInputText ? t.input.uri.toString() : undefined,
      })),
    );
  },
};

function track(context) {
  context.subscriptions.push(
    vscode.debug.onDidStartDebugSession((s) =>
      sessions.push({ id: s.id, name: s.name, type: s.type, started: Date.now(), terminated: 0 }),
    ),
    vscode.debug.onDidTerminateDebugSession((s) => {
      const entry = sessions.find((x) => x.id === s.id);
      if (entry) entry.terminated = Date.now();
    }),
  );
}

/** Starts the control server and writes `{ port }` to `controlPath`. */
function startControl(context, controlPath) {
  track(context);
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      let reply;
      try {
        const { action, args } = JSON.parse(body || '{}');
        const fn = Object.prototype.hasOwnProperty.call(actions, action) ? actions[action] : undefined;
        if (!fn) throw new Error(`unknown control action ${JSON.stringify(action)}`);
        reply = { ok: true, value: await fn(args || {}) };
      } catch (err) {
        reply = { ok: false, error: String((err && (err.stack || err.message)) || err) };
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const tmp = `${controlPath}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ port: server.address().port }));
    fs.renameSync(tmp, controlPath);
  });
  context.subscriptions.push({
    dispose: () => {
      server.close();
      for (const c of channels.values()) c.dispose();
    },
  });
}

module.exports = { startControl };
