// In-host tests of the language-model tools (issue 15): every tool invoked through
// vscode.lm.invokeTool, as an agent in VS Code's chat invokes it, against the fake Tempo and the
// e2e workspace (which holds demo/template/src, the code the fixture traces name).
'use strict';
/* global require, global, describe, it, after */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const assert = require('assert');
const vscode = require('vscode');

const config = global.__traceLensE2E;
const EXTENSION_ID = 'tracelens.trace-lens';
const TRACE_ID = config.traceId;
const BIG_TRACE_ID = config.bigTraceId;
/** test/fixtures/hostile/hostile-trace.json, which the fake Tempo serves too. */
const HOSTILE_TRACE_ID = '1717deadbeef1717deadbeef1717dead';
/** The fake Tempo places its traces 10 minutes before it started and applies the range: the last hour has them. */
const SINCE = '1h';

const TOOLS = [
  'traceLens_getTrace',
  'traceLens_getSpan',
  'traceLens_searchTraces',
  'traceLens_compareTraces',
  'traceLens_functionStats',
  'traceLens_recentTraces',
];

/** Invokes a tool as chat would (no chat request: no invocation token) and returns its text. */
async function invoke(name, input) {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  assert.ok(Array.isArray(result.content) && result.content.length > 0, `${name} answered`);
  return result.content.map((part) => (part && typeof part.value === 'string' ? part.value : '')).join('');
}

/** Polls `check` until it returns a truthy value; fails with `what` after `timeoutMs`. */
async function waitFor(what, check, timeoutMs = 60000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await check();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Estimated tokens as the tools count them: characters / 3. */
const tokens = (text) => Math.ceil(text.length / 3);

describe('Language-model tools (vscode.lm.invokeTool)', function () {
  after(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('registers the six tools the manifest contributes, with their input schemas', async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    const declared = ext.packageJSON.contributes.languageModelTools.map((t) => t.name);
    assert.deepStrictEqual(declared, TOOLS);
    const tools = await waitFor('the tools in vscode.lm.tools', () => {
      const found = vscode.lm.tools.filter((t) => TOOLS.includes(t.name));
      return found.length === TOOLS.length ? found : undefined;
    });
    for (const t of tools) {
      assert.ok(t.description.length > 100, `${t.name} has a model description`);
      assert.strictEqual(t.inputSchema.type, 'object', `${t.name} has an input schema`);
    }
  });

  it('traceLens_getTrace: root, errors and the critical path, mapped to workspace files', async function () {
    const text = await invoke('traceLens_getTrace', {
      trace_id: `2026-11-24 ERROR request failed trace_id=${TRACE_ID}`,
    });
    assert.match(
      text,
      /Root: `workflow-engine` · `workflow\.execute` · 5\.2 s · 6 spans · 3 services · 1 error/,
    );
    assert.match(text, /from `Tempo at 127\.0\.0\.1:\d+`/);
    assert.match(text, /message `SMTP 451 temporary failure` · `src\/nodes\/NotifyNode\.ts:12`/);
    assert.match(
      text,
      /`GET` · `data-fetch` · self 4\.2 s \(81% of the trace\) · span `88e12c98928f2acd` · `src\/clients\/PartnerApiClient\.ts:88`/,
    );
    assert.match(
      text,
      /`traceLens_getSpan` with `\{"trace_id":"a8e00f77b50a734539bf0e48eec6bec4","span":"88e12c98928f2acd"\}`/,
    );
    assert.ok(tokens(text) <= 2000);
  });

  it('traceLens_getTrace: the 2,001-span trace within the budget, with a cursor for the rest', async function () {
    const text = await invoke('traceLens_getTrace', { trace_id: BIG_TRACE_ID });
    assert.match(text, /2,001 spans/);
    assert.ok(tokens(text) <= 2000, `${tokens(text)} tokens`);
    const cursor = /"cursor":"(path:\d+)"/.exec(text);
    assert.ok(cursor, 'a cursor for more of the critical path');
    const more = await invoke('traceLens_getTrace', { trace_id: BIG_TRACE_ID, cursor: cursor[1] });
    assert.match(more, /### Critical path by self time, from 9 of/);
    assert.ok(tokens(more) <= 2000);
  });

  it('traceLens_getSpan: an exception with its stack frames mapped to workspace files', async function () {
    const text = await invoke('traceLens_getSpan', { trace_id: TRACE_ID, span: 'node.NotifyNode' });
    assert.match(text, /^## Span `node\.NotifyNode` · `notifier`$/m);
    assert.match(
      text,
      /`SmtpClient\.send` at `\/app\/src\/clients\/SmtpClient\.ts:61` → `src\/clients\/SmtpClient\.ts:61`/,
    );
  });

  it('traceLens_searchTraces: TraceQL rows from the backend', async function () {
    const text = await invoke('traceLens_searchTraces', { query: '{ status = error }', since: SINCE });
    assert.match(text, new RegExp(`\\| \`${TRACE_ID}\` \\|`));
    assert.match(text, new RegExp(`\\| \`${BIG_TRACE_ID}\` \\|`));
  });

  it('traceLens_compareTraces: the operations that differ', async function () {
    const text = await invoke('traceLens_compareTraces', { trace_id_a: TRACE_ID, trace_id_b: BIG_TRACE_ID });
    assert.match(text, /B took \+916 ms \(\+18%\) longer/);
    assert.match(text, /`SELECT items` \(`postgres-proxy`\) \*\*only in B\*\*/);
  });

  it('traceLens_functionStats: a function by name, and by a line inside it (editor symbols)', async function () {
    // WorkflowRunner.execute, not DataFetchNode.fetch: the CodeLens scenario checks the requests the
    // lens makes for DataFetchNode.fetch, and these must not stand in for them.
    const byName = await invoke('traceLens_functionStats', {
      file: 'src/engine/WorkflowRunner.ts',
      function: 'WorkflowRunner.execute',
      since: SINCE,
    });
    assert.match(byName, new RegExp(`\\*\\*p50 5\\.2 s · p95 5\\.2 s · 1 span \\(last ${SINCE}\\)\\*\\*`));
    assert.match(
      byName,
      /from a TraceQL search/,
      'the fake Tempo has no TraceQL metrics: search, and said so',
    );
    assert.match(byName, new RegExp(`\`${TRACE_ID}\` · span \`ac2b7961bf24397d\``));
    // The TypeScript server names the symbols once it is up.
    const byLine = await waitFor('the function around line 44 by the editor symbols', async () => {
      const t = await invoke('traceLens_functionStats', {
        file: 'src/engine/WorkflowRunner.ts',
        line: 44,
        since: SINCE,
      });
      return /p50/.test(t) ? t : undefined;
    });
    assert.match(byLine, /## Spans of `WorkflowRunner\.execute` in `src\/engine\/WorkflowRunner\.ts`/);
    // A backend that ignores the range answers the recorded 2026-11-23 spans: none in the last hour,
    // and the answer says the backend ignored the range.
    const tempo = vscode.workspace.getConfiguration('traceLens').get('tempo.url');
    await fetch(`${tempo}/__ignoreRange?on=1`);
    let recent;
    try {
      recent = await invoke('traceLens_functionStats', {
        file: 'src/engine/WorkflowRunner.ts',
        function: 'WorkflowRunner.execute',
      });
    } finally {
      await fetch(`${tempo}/__ignoreRange?on=0`);
    }
    assert.match(recent, /No spans of this function found in the last 1h/);
    assert.match(recent, /outside the window were left out: the backend did not apply the time range/);
  });

  it('traceLens_recentTraces: the IDs Trace Lens has seen, with where', async function () {
    // The hover tests of the other suite hovered TRACE_ID; opening one here makes sure of an entry.
    await vscode.commands.executeCommand('traceLens.openTraceById', { traceId: TRACE_ID });
    const text = await waitFor('a recent trace', async () => {
      const t = await invoke('traceLens_recentTraces', {});
      return t.includes(TRACE_ID) ? t : undefined;
    });
    assert.match(
      text,
      new RegExp(
        `\`${TRACE_ID}\` · (span \`[0-9a-f]{16}\` · )?seen in (the trace panel|a hover|the terminal)`,
      ),
    );
  });

  it('answers a bad ID, an unknown trace and hostile trace text as text, never as links', async function () {
    const bad = await invoke('traceLens_getTrace', { trace_id: TRACE_ID.slice(1) });
    assert.match(bad, /31 hex digits/);
    const missing = await invoke('traceLens_getTrace', { trace_id: 'f'.repeat(32) });
    assert.match(missing, /was not found on `Tempo at 127\.0\.0\.1:\d+`/);
    const hostile = await invoke('traceLens_getTrace', { trace_id: HOSTILE_TRACE_ID });
    assert.match(hostile, /`<https:\/\/evil\.test\/x>`/);
    assert.doesNotMatch(
      hostile.replace(/`[^`]*`/g, ''),
      /\]\(|<https?:|<command:/,
      'no link syntax outside code spans',
    );
  });
});
