// In-host API tests: run by ./extension.js inside the extension host of code-server, with mocha's
// BDD globals. Inputs come from global.__traceLensE2E (see extension.js).
'use strict';
/* global require, global, describe, it, after */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const assert = require('assert');
const vscode = require('vscode');
const { durationText, traceFacts } = require('./traceFacts');

const config = global.__traceLensE2E;
const EXTENSION_ID = 'tracelens.trace-lens';
/** The demo workflow in the extension's own store (the runner ran the demo system into it). */
const TRACE_ID = config.demo.workflowTraceId;
const LOCAL_QUERY_URL = `http://127.0.0.1:${config.receiverPorts.query}`;

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function waitFor(what, check, timeoutMs = 30000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The text a person reads in the hovers' markdown: MarkdownString.appendText escapes punctuation
 * (`5\\.2`) and turns spaces into `&nbsp;`, which this undoes.
 */
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

function traceTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('traceLens.trace'));
}

/** The log the demo system wrote in the workspace (demo/logs/app.log). */
async function appLog() {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'a workspace folder is open');
  const uri = vscode.Uri.joinPath(folder.uri, ...config.demo.appLog.split('/'));
  return vscode.workspace.openTextDocument(uri);
}

/**
 * What the hover must say about the demo workflow, from the trace itself (the extension's receiver
 * serves it once it has started): root, span and service counts, the duration as Trace Lens
 * prints it.
 */
function expectedSummary() {
  return waitFor("the extension's receiver to serve the demo workflow", () =>
    traceFacts(LOCAL_QUERY_URL, TRACE_ID),
  ).then((facts) => ({
    facts,
    line: `${durationText(facts.durationNs)} · ${facts.spanCount} spans · ${facts.services.length} services`,
  }));
}

describe('Trace Lens in the extension host', function () {
  let extension;

  after(async function () {
    // Leave the window as the UI scenarios expect to find it: no editors, no panels.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('reads traceLens.tempo.url from the settings the runner wrote (the team backend)', function () {
    const url = vscode.workspace.getConfiguration('traceLens').get('tempo.url');
    assert.strictEqual(url, config.tempoUrl);
  });

  it('is installed and activates', async function () {
    extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command its package.json declares', async function () {
    const ext = extension || vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await ext.activate();
    const declared = ((ext.packageJSON.contributes || {}).commands || []).map((c) => c.command);
    assert.ok(declared.length > 0, 'the manifest declares commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('hovers a trace ID in demo/logs/app.log with the trace summary from the local store', async function () {
    const { facts, line: figures } = await expectedSummary();
    assert.strictEqual(facts.root.name, 'POST /workflows/:workflowId/runs');
    assert.strictEqual(facts.spanCount, 16, 'the demo workflow has 16 spans');
    const doc = await appLog();
    const line = [...Array(doc.lineCount).keys()].find((i) =>
      doc.lineAt(i).text.includes(`trace_id=${TRACE_ID}`),
    );
    assert.notStrictEqual(line, undefined, `demo/logs/app.log has a line with trace_id=${TRACE_ID}`);
    const character = doc.lineAt(line).text.indexOf(TRACE_ID) + 5;
    const position = new vscode.Position(line, character);
    // The first hover can race the extension's startup; ask again until it answers.
    const text = await waitFor(
      'a Trace Lens hover',
      async () => {
        const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position);
        const t = hoverText(hovers);
        return t.includes(facts.root.name) ? t : undefined;
      },
      30000,
      250,
    );
    assert.ok(text.includes(facts.root.name), `hover names the root span:\n${text}`);
    assert.ok(text.includes(figures), `hover shows ${figures}:\n${text}`);
    // The store holds the trace: the hover says it answered, not the configured Tempo.
    assert.ok(text.includes('from the local store'), `hover names the local store:\n${text}`);
  });

  it('hovers a trace ID in an output channel (a document with scheme output)', async function () {
    const { facts, line: figures } = await expectedSummary();
    const channel = vscode.window.createOutputChannel('Demo Service (in-host test)');
    try {
      const line = `${new Date().toISOString()} INFO  workflow-engine run reported trace_id=${TRACE_ID} status=failed`;
      channel.appendLine(line);
      channel.show(true);
      // The shown channel's text reaches the extension host as a document with scheme output.
      const doc = await waitFor('the output channel document', () =>
        vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.getText().includes(line)),
      );
      const lineNo = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.includes(line));
      const position = new vscode.Position(lineNo, doc.lineAt(lineNo).text.indexOf(TRACE_ID) + 3);
      const text = await waitFor(
        'a Trace Lens hover in the output channel',
        async () => {
          const hovers = await vscode.commands.executeCommand(
            'vscode.executeHoverProvider',
            doc.uri,
            position,
          );
          const t = hoverText(hovers);
          return t.includes(facts.root.name) ? t : undefined;
        },
        30000,
        250,
      );
      assert.ok(text.includes(figures), `hover shows ${figures}:\n${text}`);
    } finally {
      channel.dispose();
      await vscode.commands.executeCommand('workbench.action.closePanel');
    }
  });

  it('closing a trace panel aborts its fetch (a held request to a local server is dropped)', async function () {
    // A fault no real server makes on demand, and the fake Tempo has no held mode: a server of the
    // test's own that never answers is the configured Tempo for this test only.
    const http = require('http');
    const held = [];
    const server = http.createServer((req, res) => {
      const entry = { path: req.url, closed: false };
      res.on('close', () => (entry.closed = true));
      held.push(entry);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${server.address().port}`;
    const SLOW_ID = 'feedfacefeedfacefeedfacefeedface';
    const settings = () => vscode.workspace.getConfiguration('traceLens');
    const target = vscode.ConfigurationTarget.Workspace;
    try {
      // The deadline must not be what ends the request: only closing the panel may.
      await settings().update('tempo.timeoutSeconds', 600, target);
      await settings().update('tempo.url', url, target);
      await waitFor('the new Tempo URL', () => settings().get('tempo.url') === url, 10000);
      await vscode.commands.executeCommand('traceLens.openTraceById', { traceId: SLOW_ID });
      await waitFor('the panel to ask the server for the trace', () => held.length === 1);
      assert.ok(held[0].path.includes(SLOW_ID), held[0].path);
      const tabs = traceTabs().filter((t) => t.label.includes(SLOW_ID.slice(0, 8)));
      assert.strictEqual(tabs.length, 1, 'the panel is open');
      await vscode.window.tabGroups.close(tabs);
      await waitFor('the request to be aborted', () => held[0].closed);
      assert.strictEqual(held.length, 1, 'nothing more was sent (no v1 fallback)');
    } finally {
      await settings().update('tempo.url', undefined, target);
      await settings().update('tempo.timeoutSeconds', undefined, target);
      await waitFor(
        'the team backend URL again',
        () => settings().get('tempo.url') === config.tempoUrl,
        10000,
      );
      server.closeAllConnections();
      server.close();
    }
  });

  it('opens a trace panel with traceLens.openTraceById', async function () {
    await vscode.commands.executeCommand('traceLens.openTraceById', { traceId: TRACE_ID });
    const tabs = await waitFor('a traceLens.trace webview tab', () => {
      const found = traceTabs();
      return found.length > 0 ? found : undefined;
    });
    assert.strictEqual(tabs.length, 1, 'exactly one trace panel');
    assert.ok(tabs[0].label.includes(TRACE_ID.slice(0, 8)), `the tab names the trace: ${tabs[0].label}`);
    await vscode.window.tabGroups.close(tabs);
    await waitFor('the trace panel to close', () => traceTabs().length === 0, 10000);
  });
});
