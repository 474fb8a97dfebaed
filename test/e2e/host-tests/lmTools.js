// In-host tests of the language-model tools (issue 15): every tool invoked through
// vscode.lm.invokeTool, as an agent in VS Code's chat invokes it, on the demo system's real
// telemetry: the workflow and the batch in the extension's own store (config.demo), one more
// workflow on the team backend, the configured Tempo (config.team), and the demo's code in the
// workspace's demo/ folder. Expectations come from the traces themselves (./traceFacts.js): IDs,
// durations and line numbers differ per run.
'use strict';
/* global require, global, describe, it, before, after */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by the extension host */
const assert = require('assert');
const crypto = require('crypto');
const vscode = require('vscode');
const { durationText, traceFacts } = require('./traceFacts');

const config = global.__traceLensE2E;
const EXTENSION_ID = 'tracelens.trace-lens';
/** The demo workflow (16 spans) and batch (2,002 spans), in the extension's store. */
const TRACE_ID = config.demo.workflowTraceId;
const BIG_TRACE_ID = config.demo.batchTraceId;
/** A workflow only the team backend (traceLens.tempo.url) holds. */
const TEAM_TRACE_ID = config.team.workflowTraceId;
const LOCAL_QUERY_URL = `http://127.0.0.1:${config.receiverPorts.query}`;
/** How the answers name the team backend: "Tempo at 127.0.0.1:<port>". */
const TEAM_LABEL = `Tempo at ${new URL(config.tempoUrl).host}`;
/** The runs happened minutes before the window opened: the last hour has them. */
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
    try {
      last = await check();
    } catch (err) {
      last = undefined;
      if (Date.now() > deadline) throw err;
    }
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Estimated tokens as the tools count them: characters / 3. */
const tokens = (text) => Math.ceil(text.length / 3);

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The workspace folder's path, as the demo system's stack frames start. */
const workspacePath = () => vscode.workspace.workspaceFolders[0].uri.fsPath;

/** A small trace with links and markup in its names, attributes and code path, sent as an SDK does. */
async function sendHostileTrace() {
  const traceId = crypto.randomBytes(16).toString('hex');
  const now = BigInt(Date.now()) * 1000000n;
  const str = (key, value) => ({ key, value: { stringValue: value } });
  const span = (spanId, name, parent, attributes, startMs, endMs) => ({
    traceId,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind: 2,
    startTimeUnixNano: String(now - BigInt(startMs) * 1000000n),
    endTimeUnixNano: String(now - BigInt(endMs) * 1000000n),
    attributes,
    status: parent ? { code: 2, message: '[click](https://evil.test/m)' } : {},
  });
  const body = {
    resourceSpans: [
      {
        resource: { attributes: [str('service.name', '<img src=x onerror=alert(1)>')] },
        scopeSpans: [
          {
            scope: { name: 'in-host-hostile' },
            spans: [
              span('aa00000000000001', '<https://evil.test/x>', undefined, [], 30, 0),
              span(
                'aa00000000000002',
                'handleCheckout [open](command:workbench.action.terminal.sendSequence?%7B%7D)',
                'aa00000000000001',
                [
                  str('code.function.name', '![img](https://evil.test/i.png)'),
                  str('code.file.path', '/app/[x](https://evil.test)/checkout.ts'),
                  str('http.url', 'https://evil.test/bare and www.evil.test'),
                ],
                20,
                5,
              ),
            ],
          },
        ],
      },
    ],
  };
  const res = await fetch(`http://127.0.0.1:${config.receiverPorts.http}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.strictEqual(res.status, 200, await res.text());
  return traceId;
}

describe('Language-model tools (vscode.lm.invokeTool)', function () {
  let api;
  /** A trace of the extension's store, as its receiver serves it (up shortly after activation). */
  const local = (traceId) =>
    waitFor(`the extension's receiver to serve ${traceId}`, () => traceFacts(LOCAL_QUERY_URL, traceId));

  before(async function () {
    api = await vscode.extensions.getExtension(EXTENSION_ID).activate();
  });

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
    const facts = await local(TRACE_ID);
    // The partner call the stub held for about 4.2 s: the longest GET, first on the path.
    const slow = facts.spans
      .filter((s) => s.name === 'GET')
      .sort((a, b) => Number(b.endNs - b.startNs - (a.endNs - a.startNs)))[0];
    assert.ok(Number(slow.endNs - slow.startNs) >= 4e9, 'the partner stub waited 4.2 s');
    const text = await invoke('traceLens_getTrace', {
      trace_id: `${new Date().toISOString()} ERROR workflow-engine step failed trace_id=${TRACE_ID}`,
    });
    assert.match(
      text,
      new RegExp(
        `Root: \`workflow-engine\` · \`POST /workflows/:workflowId/runs\` · ${escapeRe(durationText(facts.durationNs))} · 16 spans · 3 services · ${facts.errorCount} errors`,
      ),
      text,
    );
    // The local store served it, though the tools were given the team backend.
    assert.match(text, /· from `local store`$/m, text);
    assert.match(
      text,
      /`notifier` · `NotifyNode\.send` · span `[0-9a-f]{16}` · [^\n]* · message `SMTP 451 4\.7\.1 [^`\n]*` · `demo\/src\/nodes\/NotifyNode\.ts:\d+`$/m,
      text,
    );
    assert.match(
      text,
      new RegExp(
        `^1\\. \`GET\` · \`data-fetch\` · self [\\d.]+ s \\(\\d+% of the trace\\) · span \`${slow.spanId}\` · \`demo/src/clients/PartnerApiClient\\.ts:${slow.attributes['code.line.number']}\`$`,
        'm',
      ),
      text,
    );
    assert.ok(
      text.includes(`\`traceLens_getSpan\` with \`{"trace_id":"${TRACE_ID}","span":"${slow.spanId}"}\``),
      text,
    );
    assert.ok(tokens(text) <= 2000);
  });

  it('traceLens_getTrace: the 2,002-span batch within the budget, with a cursor for the rest', async function () {
    const text = await invoke('traceLens_getTrace', { trace_id: BIG_TRACE_ID });
    assert.match(
      text,
      /Root: `batch-api` · `POST \/batches` · [^\n]* · 2,002 spans · 1 service · \d+ errors/,
      text,
    );
    assert.ok(tokens(text) <= 2000, `${tokens(text)} tokens`);
    const cursor = /"cursor":"path:(\d+)"/.exec(text);
    assert.ok(cursor, `a cursor for more of the critical path:\n${text}`);
    const more = await invoke('traceLens_getTrace', { trace_id: BIG_TRACE_ID, cursor: `path:${cursor[1]}` });
    assert.match(
      more,
      new RegExp(`### Critical path by self time, from ${Number(cursor[1]) + 1} of \\d+`),
      more,
    );
    assert.match(
      more,
      /`UPDATE items` · `batch-api` · self [^\n]* · `demo\/src\/db\/itemsRepo\.ts:\d+`/,
      more,
    );
    assert.ok(tokens(more) <= 2000);
  });

  it('traceLens_getSpan: the refused mail, its real Node stack mapped to workspace files', async function () {
    const facts = await local(TRACE_ID);
    const smtp = facts.spans.find((s) => s.name === 'smtp.send');
    assert.ok(smtp && smtp.error, 'the demo workflow has a failing smtp.send');
    const stack = smtp.events.find((e) => e.name === 'exception').attributes['exception.stacktrace'];
    // The innermost frame of the demo's code, as Node wrote it: "at SmtpClient.command (<file>:<line>:<col>)".
    const frame = /at (SmtpClient\.\w+) \((\/[^():]+\/demo\/src\/clients\/SmtpClient\.ts):(\d+):\d+\)/.exec(
      stack,
    );
    assert.ok(frame, `the stack names SmtpClient.ts:\n${stack}`);
    assert.ok(frame[2].startsWith(workspacePath()), `${frame[2]} is in the workspace's demo/ folder`);
    const text = await invoke('traceLens_getSpan', { trace_id: TRACE_ID, span: 'smtp.send' });
    assert.match(text, /^## Span `smtp\.send` · `notifier`$/m);
    assert.match(text, /· from `local store`$/m, text);
    assert.match(text, /^### Exception at [^\n]*`SMTP 451 4\.7\.1 /m, text);
    assert.ok(
      text.includes(
        `\`${frame[1]}\` at \`${frame[2]}:${frame[3]}\` → \`demo/src/clients/SmtpClient.ts:${frame[3]}\``,
      ),
      `the frame ${frame[1]} at ${frame[2]}:${frame[3]} mapped to demo/src/clients/SmtpClient.ts:\n${text}`,
    );
  });

  it('traceLens_searchTraces: TraceQL rows from the configured backend', async function () {
    const team = await traceFacts(config.tempoUrl, TEAM_TRACE_ID);
    const text = await invoke('traceLens_searchTraces', { query: '{ status = error }', since: SINCE });
    assert.match(text, new RegExp(`from \`${escapeRe(TEAM_LABEL)}\``), text);
    assert.match(
      text,
      new RegExp(
        `\\| \`${TEAM_TRACE_ID}\` \\| [^|]+ \\| \`workflow-engine\` · \`POST /workflows/:workflowId/runs\` \\| ${escapeRe(durationText(team.durationNs))} \\| ${team.errorCount} \\|`,
      ),
      text,
    );
  });

  it('traceLens_compareTraces: the local workflow against the team one, each from where it is', async function () {
    const a = await local(TRACE_ID);
    const b = await traceFacts(config.tempoUrl, TEAM_TRACE_ID);
    const text = await invoke('traceLens_compareTraces', { trace_id_a: TRACE_ID, trace_id_b: TEAM_TRACE_ID });
    assert.match(
      text,
      new RegExp(`^A from \`local store\`, B from \`${escapeRe(TEAM_LABEL)}\`\\.`, 'm'),
      text,
    );
    for (const [k, f] of [
      ['A', a],
      ['B', b],
    ]) {
      assert.ok(
        text.includes(
          `- ${k}: \`workflow-engine\` · \`POST /workflows/:workflowId/runs\` · ${durationText(f.durationNs)} · 16 spans`,
        ),
        `${k} as its trace says:\n${text}`,
      );
    }
    // One program, two runs: every operation is in both.
    assert.match(text, /· \d+ operations, 0 only in B, 0 only in A/, text);
  });

  it('traceLens_functionStats: a function by name, and by a line inside it (editor symbols)', async function () {
    // The TypeScript server's first start on two cores can take a minute.
    this.timeout(180000);
    // WorkflowRunner.execute, not DataFetchNode.fetch: the CodeLens scenario checks the lens over
    // DataFetchNode.fetch, and these must not stand in for it. The configured backend (the team's)
    // holds one run of it.
    const team = await traceFacts(config.tempoUrl, TEAM_TRACE_ID);
    const execute = team.spans.find((s) => s.attributes['code.function.name'] === 'WorkflowRunner.execute');
    assert.ok(execute, 'the team workflow has a WorkflowRunner.execute span');
    const file = 'demo/src/engine/WorkflowRunner.ts';
    const byName = await invoke('traceLens_functionStats', {
      file,
      function: 'WorkflowRunner.execute',
      since: SINCE,
    });
    assert.match(byName, new RegExp(`from \`${escapeRe(TEAM_LABEL)}\``), byName);
    const title = new RegExp(`\\*\\*(p50[^*]*) · 1 span · 1 error \\(last ${SINCE}\\)\\*\\*`).exec(byName);
    assert.ok(title, `one failing span of WorkflowRunner.execute:\n${byName}`);
    // One span: its duration is p50 and p95 (or, from bucketed metrics, the exact maximum).
    const took = durationText(Number(execute.endNs - execute.startNs));
    assert.ok(
      title[1] === `p50 ${took} · p95 ${took}` || title[1].endsWith(` · max ${took}`),
      `the figures of the one span (${took}): ${title[1]}`,
    );
    assert.ok(byName.includes(`\`${TEAM_TRACE_ID}\` · span \`${execute.spanId}\``), byName);
    // The TypeScript server names the symbols once it is up. The line the span names: inside
    // withSpan's callback (an anonymous function of its own), within execute, which it names.
    const line = Number(execute.attributes['code.line.number']);
    assert.ok(line > 0, 'the span names its line');
    const byLine = await waitFor(
      `the function around line ${line} by the editor symbols`,
      async () => {
        const t = await invoke('traceLens_functionStats', { file, line, since: SINCE });
        return /p50/.test(t) ? t : undefined;
      },
      150000,
      500,
    );
    assert.match(byLine, /## Spans of `WorkflowRunner\.execute` in `demo\/src\/engine\/WorkflowRunner\.ts`/);
    // A fault no real server makes on demand: a backend that ignores the range (the fake Tempo,
    // configured for this part only) answers its recorded spans of two weeks ago; none are in the
    // last hour, and the answer says the backend ignored the range.
    const settings = () => vscode.workspace.getConfiguration('traceLens');
    const target = vscode.ConfigurationTarget.Workspace;
    let recent;
    try {
      await settings().update('tempo.url', config.faultTempoUrl, target);
      await waitFor('the fault Tempo URL', () => settings().get('tempo.url') === config.faultTempoUrl, 10000);
      await fetch(`${config.faultTempoUrl}/__ignoreRange?on=1`);
      recent = await invoke('traceLens_functionStats', { file, function: 'WorkflowRunner.execute' });
    } finally {
      await fetch(`${config.faultTempoUrl}/__ignoreRange?on=0`);
      await settings().update('tempo.url', undefined, target);
      await waitFor(
        'the team backend URL again',
        () => settings().get('tempo.url') === config.tempoUrl,
        10000,
      );
    }
    assert.match(recent, /No spans of this function found in the last 1h/, recent);
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
    assert.match(missing, new RegExp(`was not found on \`${escapeRe(TEAM_LABEL)}\``), missing);
    // A trace written by a stranger, received like any other.
    await waitFor('the receiver to receive', async () => (await api.localReceiver()).state === 'receiving');
    const hostileId = await sendHostileTrace();
    const hostile = await waitFor('the hostile trace in the local store', async () => {
      const t = await invoke('traceLens_getTrace', { trace_id: hostileId });
      return /^Root:/m.test(t) ? t : undefined;
    });
    const span = await invoke('traceLens_getSpan', { trace_id: hostileId, span: 'aa00000000000002' });
    assert.match(hostile, /`<https:\/\/evil\.test\/x>`/, hostile);
    assert.match(span, /`handleCheckout \[open\]\(command:/, span);
    for (const answer of [hostile, span]) {
      assert.doesNotMatch(
        answer.replace(/`[^`]*`/g, ''),
        /\]\(|<https?:|<command:|<img/,
        `no link syntax outside code spans:\n${answer}`,
      );
    }
  });
});
