import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import type { SearchHit, SearchResult } from '../backends';
import {
  errorAnswer,
  estimateTokens,
  MCP_TOOL_NAMES,
  runCompareTraces,
  runGetSpan,
  runGetTrace,
  runRecentTraces,
  runSearchTraces,
  traceIdFrom,
  type AgentContext,
  type ToolAnswer,
} from './index';
import { code, cell, CHARS_PER_TOKEN } from './markdown';
import { BIG, demoWorkspace, fixtureBackend, HOSTILE, WORKFLOW } from './testing/testSupport';
import { BackendError } from '../backends';
import { LM_TOOL_NAMES } from './followUp';
import { parseSince } from './search';
import { formatDuration } from '../../shared/format';
import type { StoredLog } from '../store';
import { spanIndexById } from '../../shared/model';

function ctx(extra: Partial<AgentContext> = {}): AgentContext {
  const ws = demoWorkspace();
  return { backend: fixtureBackend(), names: MCP_TOOL_NAMES, workspace: async () => ws, ...extra };
}

/** Renders with a GFM renderer and returns the HTML: what a chat view would make of the answer. */
function html(markdown: string): string {
  return marked.parse(markdown, { async: false, gfm: true });
}

/** No link, image or HTML of the data's making survives rendering. */
function assertInert(markdown: string): void {
  const out = html(markdown);
  assert.doesNotMatch(out, /<a[\s>]/i, `no link in:\n${out}`);
  assert.doesNotMatch(out, /<img[\s>]/i);
  assert.doesNotMatch(out, /<(script|iframe|style|svg)/i);
  assert.doesNotMatch(out, /href=/i);
}

function ok(a: ToolAnswer): string {
  assert.equal(a.isError, false, a.text);
  return a.text;
}

/** The cursor of the follow-up line naming `section`. */
function cursorOf(text: string, section: string): string | undefined {
  return new RegExp(`"cursor":"(${section}:\\d+)"`).exec(text)?.[1];
}

describe('agent answers', () => {
  describe('Markdown of untrusted text', () => {
    it('fences a value in more backticks than it holds, on one line, bounded', () => {
      assert.equal(code('plain'), '`plain`');
      assert.equal(code('a`b'), '``a`b``');
      assert.equal(code('`start'), '`` `start ``');
      assert.equal(code(''), '`""`');
      assert.equal(code('line\nbreak\u202etxt'), '`line break txt`');
      assert.equal(code('x'.repeat(500), 20).length, 22);
      assert.equal(cell('a|b'), '`a\\|b`');
    });

    for (const hostile of [
      '<https://evil.test/x>',
      '[open](command:workbench.action.terminal.sendSequence?%7B%7D)',
      '![img](https://evil.test/i.png)',
      '<img src=x onerror=alert(1)>',
      'https://evil.test/bare and www.evil.test and a@evil.test',
      'a`b`[c](https://evil.test)`',
      '```\n[x](https://evil.test)',
    ]) {
      it(`keeps ${JSON.stringify(hostile)} inert`, () => {
        const md = `x ${code(hostile)} y | ${cell(hostile)} |`;
        assertInert(md);
        assert.match(html(md), /<code>/);
      });
    }
  });

  describe('the hostile trace (links in names, attributes and paths)', () => {
    it('answers every tool with no live link, and quotes the data', async () => {
      const c = ctx();
      const answers = [
        ok(await runGetTrace({ trace_id: HOSTILE }, c)),
        ok(await runGetSpan({ trace_id: HOSTILE, span: 'aa00000000000002' }, c)),
        ok(await runGetSpan({ trace_id: HOSTILE, span: 'aa00000000000003' }, c)),
        ok(await runGetSpan({ trace_id: HOSTILE, span: '<https://evil.test/x>' }, c)),
        ok(await runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: HOSTILE }, c)),
      ];
      for (const a of answers) assertInert(a);
      assert.match(answers[0]!, /`<https:\/\/evil\.test\/x>`/);
      assert.match(answers[1]!, /`handleCheckout \[open\]\(command:/);
    });
  });

  describe('budgets on the 2,001-span trace', () => {
    const budgets = [2000, 800, 300];
    for (const maxTokens of budgets) {
      it(`keeps every answer within ${maxTokens} estimated tokens`, async () => {
        const c = ctx({ maxTokens });
        const calls: Array<Promise<ToolAnswer>> = [
          runGetTrace({ trace_id: BIG }, c),
          runGetTrace({ trace_id: BIG, cursor: 'path:0' }, c),
          runGetTrace({ trace_id: BIG, cursor: 'errors:1' }, c),
          runGetTrace({ trace_id: BIG, cursor: 'ops:0' }, c),
          runGetSpan({ trace_id: BIG, span: 'process item' }, c),
          runGetSpan({ trace_id: BIG, span: 'SELECT items', cursor: 'attributes:0' }, c),
          runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: BIG }, c),
          runCompareTraces({ trace_id_a: BIG, trace_id_b: WORKFLOW, cursor: 'rows:2' }, c),
        ];
        for (const p of calls) {
          const text = ok(await p);
          assert.ok(
            estimateTokens(text) <= maxTokens,
            `${estimateTokens(text)} > ${maxTokens} tokens (${text.length} chars):\n${text}`,
          );
        }
      });
    }

    it('estimates tokens as characters / 3', () => {
      assert.equal(CHARS_PER_TOKEN, 3);
      assert.equal(estimateTokens('x'.repeat(6000)), 2000);
      assert.equal(estimateTokens('x'.repeat(6001)), 2001);
    });

    it('walks the whole critical path through its cursors, each span once', async () => {
      const c = ctx({ maxTokens: 600 });
      const first = ok(await runGetTrace({ trace_id: BIG }, c));
      const seen: string[] = [];
      const collect = (text: string) => {
        for (const m of text.matchAll(/^\d+\. `[^`]+` · `[^`]+` · self [^·]+· span `([0-9a-f]{16})`/gm))
          seen.push(m[1]!);
      };
      // The first answer lists the top of the path, then names a cursor for the rest.
      const firstSection = first.slice(
        first.indexOf('### Where the time went'),
        first.indexOf('### Operations'),
      );
      collect(firstSection);
      let cursor = cursorOf(first, 'path');
      let pages = 0;
      while (cursor !== undefined) {
        const text = ok(await runGetTrace({ trace_id: BIG, cursor }, c));
        assert.ok(estimateTokens(text) <= 600);
        collect(text);
        cursor = cursorOf(text, 'path');
        assert.ok(++pages < 200, 'the cursors end');
      }
      const unique = new Set(seen);
      assert.equal(unique.size, seen.length, 'no span twice');
      // 501 spans on the path; the ones with self time are listed.
      assert.ok(seen.length > 400 && seen.length <= 501, `listed ${seen.length}`);
    });

    it('names what was left out, and the call for more', async () => {
      const text = ok(await runGetTrace({ trace_id: BIG }, ctx()));
      assert.match(
        text,
        /The critical path \(\d+ more\): `get_trace` with `\{"trace_id":"85c5a3cd3c3f9a71b94e6401754cd3e0","cursor":"path:\d+"\}`/,
      );
      assert.match(text, /Details of the largest contributor: `get_span`/);
    });
  });

  describe('get_trace', () => {
    it('summarises root, services, errors and the critical path, mapped to workspace files', async () => {
      const text = ok(await runGetTrace({ trace_id: WORKFLOW }, ctx()));
      assert.match(text, /^## Trace `a8e00f77b50a734539bf0e48eec6bec4`$/m);
      assert.match(
        text,
        /Root: `workflow-engine` · `workflow\.execute` · 5\.2 s · 6 spans · 3 services · 1 error/,
      );
      assert.match(
        text,
        /`notifier` · `node\.NotifyNode` · span `9cde4f0d0129781e` · 400 ms · exception `Error` · message `SMTP 451 temporary failure`/,
      );
      assert.match(
        text,
        /1\. `GET` · `data-fetch` · self 4\.2 s \(81% of the trace\) · span `88e12c98928f2acd` · `src\/clients\/PartnerApiClient\.ts:88`/,
      );
      assert.match(text, /`src\/nodes\/TransformNode\.ts:27`/, 'a container path mapped by suffix');
    });

    it('says where the code was recorded when there is no workspace', async () => {
      const text = ok(
        await runGetTrace({ trace_id: WORKFLOW }, { backend: fixtureBackend(), names: MCP_TOOL_NAMES }),
      );
      assert.match(
        text,
        /recorded `\/app\/src\/clients\/PartnerApiClient\.ts:88` \(no workspace to map it to\)/,
      );
    });

    it('takes a log line, a traceparent or a URL, and offers the span a log line names', async () => {
      const line = `2026-11-24 ERROR payment failed trace_id=${WORKFLOW} span_id=88e12c98928f2acd`;
      const text = ok(await runGetTrace({ trace_id: line }, ctx()));
      assert.match(
        text,
        /Details of the span the input named: `get_span` with `\{"trace_id":"a8e00f77b50a734539bf0e48eec6bec4","span":"88e12c98928f2acd"\}`/,
      );
      assert.equal(
        (traceIdFrom(`00-${WORKFLOW}-88e12c98928f2acd-01`) as { traceId: string }).traceId,
        WORKFLOW,
      );
      assert.equal(
        (traceIdFrom(`http://tempo:3200/api/traces/${WORKFLOW}`) as { traceId: string }).traceId,
        WORKFLOW,
      );
    });

    it('refuses IDs with a digit missing instead of padding them', () => {
      const a = traceIdFrom(WORKFLOW.slice(1)) as ToolAnswer;
      assert.equal(a.isError, true);
      assert.match(a.text, /31 hex digits/);
      assert.equal((traceIdFrom('0'.repeat(32)) as ToolAnswer).isError, true);
      assert.equal((traceIdFrom('no id here') as ToolAnswer).isError, true);
      assert.equal(
        (traceIdFrom('00f067aa0ba902b7') as { traceId: string }).traceId,
        '000000000000000000f067aa0ba902b7',
      );
    });

    it('answers a trace the backend does not have as an error that says why', async () => {
      const a = await runGetTrace({ trace_id: 'ffffffffffffffffffffffffffffffff' }, ctx());
      assert.equal(a.isError, true);
      assert.match(a.text, /not found on `fixtures`: it may not be ingested yet/);
    });

    it('checks its input', async () => {
      for (const input of [undefined, {}, { trace_id: 42 }, [], 'a8e0', { trace_id: 'x'.repeat(5000) }]) {
        const a = await runGetTrace(input, ctx());
        assert.equal(a.isError, true, JSON.stringify(input));
      }
    });

    it('says when a cursor is not one it gave, and answers from the start', async () => {
      const text = ok(await runGetTrace({ trace_id: WORKFLOW, cursor: 'bogus' }, ctx()));
      assert.match(text, /not one this tool gave/);
      assert.match(text, /### Where the time went/);
    });
  });

  describe('get_span', () => {
    it('shows an exception with its frames mapped into the workspace', async () => {
      const text = ok(await runGetSpan({ trace_id: WORKFLOW, span: '9cde4f0d0129781e' }, ctx()));
      assert.match(text, /^## Span `node\.NotifyNode` · `notifier`$/m);
      assert.match(text, /status error: `SMTP 451 temporary failure`/);
      assert.match(text, /### Exception at \+5\.16 s: `Error` · `SMTP 451 temporary failure`/);
      assert.match(
        text,
        /1\. `SmtpClient\.send` at `\/app\/src\/clients\/SmtpClient\.ts:61` → `src\/clients\/SmtpClient\.ts:61`/,
      );
      assert.match(text, /- `code\.function` = `NotifyNode\.send`/);
      assert.match(text, /Parent: `workflow\.execute` \(`ac2b7961bf24397d`\)/);
    });

    it('finds a span by name, the slowest of several, and lists the others', async () => {
      const text = ok(await runGetSpan({ trace_id: BIG, span: 'PROCESS item' }, ctx()));
      assert.match(
        text,
        /1,000 spans match the name ignoring case; this is the slowest\. Others: `[0-9a-f]{16}` \(816 ms\)/,
      );
    });

    it('lists the log records a store kept for the span among its events, in time order, as data', async () => {
      const { decoded } = await fixtureBackend().getTrace(WORKFLOW);
      const model = decoded.model;
      const span = '9cde4f0d0129781e';
      const i = spanIndexById(model, span);
      const spanStart = BigInt(model.traceStartUnixNano) + BigInt(model.columns.startNs[i]!);
      const log = (
        afterNs: bigint,
        body: string,
        severityNumber: number,
        severityText?: string,
      ): StoredLog => ({
        traceId: WORKFLOW,
        spanId: span,
        timeUnixNano: String(spanStart + afterNs),
        severityNumber,
        ...(severityText !== undefined ? { severityText } : {}),
        body,
        attributes: [],
        service: 'notifier',
      });
      const stored = [
        log(5_000_000n, 'second', 10),
        log(1_000_000n, 'first [x](https://evil.test)', 17, 'Error'),
        { ...log(0n, 'no time', 0), timeUnixNano: '0' },
      ];
      const asked: string[] = [];
      const text = ok(
        await runGetSpan(
          { trace_id: WORKFLOW, span },
          ctx({
            loadTrace: async () => ({
              decoded,
              spanLogs: async (id) => {
                asked.push(id);
                return stored;
              },
            }),
          }),
        ),
      );
      assert.deepEqual(asked, [span]);
      const at = (ns: number) => `+${formatDuration(ns)}`;
      const startNs = model.columns.startNs[i]!;
      const lines = [
        `- ${at(startNs)} log \`no time\``,
        `- ${at(startNs + 1_000_000)} log \`Error\` \`first [x](https://evil.test)\``,
        `- ${at(startNs + 5_000_000)} log \`INFO2\` \`second\``,
      ];
      const where = lines.map((l) => text.indexOf(l));
      assert.ok(
        where.every((w, k) => w >= 0 && (k === 0 || w > where[k - 1]!)),
        `${lines.join('\n')}\nin order in:\n${text}`,
      );
      assertInert(text);
      // A store that cannot be read leaves the span's answer without logs, not without an answer.
      const without = ok(
        await runGetSpan(
          { trace_id: WORKFLOW, span },
          ctx({
            loadTrace: async () => ({
              decoded,
              spanLogs: async () => {
                throw new Error('the store folder is gone');
              },
            }),
          }),
        ),
      );
      assert.match(without, /^## Span `node\.NotifyNode` · `notifier`$/m);
      assert.doesNotMatch(without, / log `/);
    });

    it('says which names the trace has when none matches', async () => {
      const a = await runGetSpan({ trace_id: WORKFLOW, span: 'nope' }, ctx());
      assert.equal(a.isError, true);
      assert.match(a.text, /No span of the trace is named `nope`.*include: `workflow\.execute`/);
      const b = await runGetSpan({ trace_id: WORKFLOW, span: '0123456789abcdef' }, ctx());
      assert.match(b.text, /no span with ID `0123456789abcdef`/);
    });
  });

  describe('where a trace came from', () => {
    // The host asks the local store first and other configured backends after the default: an
    // answer names the source of the trace it shows, not the default the tools were given.
    const sourced = (sources: Record<string, string>): AgentContext =>
      ctx({
        label: 'Tempo at team.example:3200',
        loadTrace: async (traceId) => {
          const r = await fixtureBackend().getTrace(traceId);
          return { decoded: r.decoded, ...(sources[traceId] ? { source: sources[traceId] } : {}) };
        },
      });

    it('names the local store for a trace it served, and the default backend otherwise', async () => {
      const local = sourced({ [WORKFLOW]: 'local store' });
      assert.match(ok(await runGetTrace({ trace_id: WORKFLOW }, local)), /· from `local store`$/m);
      assert.match(
        ok(await runGetSpan({ trace_id: WORKFLOW, span: 'GET' }, local)),
        /of trace `a8e00f77b50a734539bf0e48eec6bec4` · from `local store`$/m,
      );
      assert.match(ok(await runGetTrace({ trace_id: BIG }, local)), /· from `Tempo at team\.example:3200`$/m);
    });

    it('names both sources when the compared traces came from different places', async () => {
      const text = ok(
        await runCompareTraces(
          { trace_id_a: WORKFLOW, trace_id_b: BIG },
          sourced({ [WORKFLOW]: 'local store' }),
        ),
      );
      assert.match(text, /^A from `local store`, B from `Tempo at team\.example:3200`\. Spans are matched/m);
      const same = ok(await runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: BIG }, sourced({})));
      assert.match(same, /^From `Tempo at team\.example:3200`\. Spans are matched/m);
    });
  });

  describe('compare_traces', () => {
    it('lists the operations that changed most and those only one trace has', async () => {
      const text = ok(await runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: BIG }, ctx()));
      assert.match(text, /B took \+916 ms \(\+18%\) longer · 9 operations, 3 only in B, 6 only in A/);
      assert.match(
        text,
        /\| `POST \/batches` › `process item` › `SELECT items` \(`postgres-proxy`\) \*\*only in B\*\* \| 0 → 1000 \|/,
      );
    });

    it('says so when nothing changed', async () => {
      const text = ok(await runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: WORKFLOW }, ctx()));
      assert.match(text, /Every operation ran as often and took as long in both traces/);
    });

    it('says which of the two traces is missing', async () => {
      const a = await runCompareTraces({ trace_id_a: WORKFLOW, trace_id_b: 'f'.repeat(32) }, ctx());
      assert.equal(a.isError, true);
      assert.match(a.text, /Trace `f{32}` was not found/);
    });
  });

  describe('search_traces', () => {
    const now = Date.UTC(2026, 10, 24, 9, 0, 0);
    const hit = (id: string, agoMs: number, over: Partial<SearchHit> = {}): SearchHit => ({
      traceId: id,
      rootServiceName: 'api',
      rootTraceName: 'GET /orders',
      startTimeUnixNano: `${now - agoMs}000000`,
      durationMs: 1200,
      spanSets: [],
      matched: 2,
      ...over,
    });

    it('lists matches as rows, leaves out what the backend returned from outside the range, and says so', async () => {
      const result: SearchResult = {
        traces: [
          hit('1'.repeat(32), 60_000),
          hit('2'.repeat(32), 30 * 60_000, { rootTraceName: '[x](https://evil.test)|pipe' }),
          hit('3'.repeat(32), 5 * 3600_000),
        ],
      };
      const searches: Parameters<NonNullable<ReturnType<typeof fixtureBackend>['search']>>[0][] = [];
      const c = ctx({ backend: fixtureBackend({ searchResult: result, searches }), now: () => now });
      const text = ok(await runSearchTraces({ query: '{ status = error }', since: '1h' }, c));
      assertInert(text);
      assert.match(text, /1 result outside the last 1h left out: the backend did not apply the time range/);
      assert.match(text, /\| `1{32}` \| 1 min ago \| `api` · `GET \/orders` \| 1\.2 s \| 2 \|/);
      assert.match(text, /`2{32}` \| 30 min ago \| `api` · `\[x\]\(https:\/\/evil\.test\)\\\|pipe`/);
      assert.doesNotMatch(text, /3{32}/);
      assert.equal(searches[0]!.q, '{ status = error }');
      assert.equal(searches[0]!.end! - searches[0]!.start!, 3600);
      assert.match(text, /What differs between two: `compare_traces`/);
    });

    it('pages with a cursor', async () => {
      const traces = Array.from({ length: 30 }, (_, k) => hit(k.toString(16).padStart(32, 'a'), k * 1000));
      const c = ctx({ backend: fixtureBackend({ searchResult: { traces } }), now: () => now });
      const first = ok(await runSearchTraces({ query: '{ }', limit: 10 }, c));
      assert.match(first, /\(showing 1–10\)/);
      assert.match(first, /"cursor":"10"/);
      const second = ok(await runSearchTraces({ query: '{ }', limit: 10, cursor: '10' }, c));
      assert.match(second, /\(showing 11–20\)/);
      assert.ok(second.includes(traces[10]!.traceId));
      assert.ok(!second.includes(traces[9]!.traceId));
    });

    it('checks since and limit, and says when the backend cannot search', async () => {
      assert.deepEqual(parseSince('1h30m'), { seconds: 5400, label: '1h30m' });
      assert.equal(parseSince('7d')!.seconds, 604800);
      assert.equal(parseSince('yesterday'), undefined);
      const c = ctx({ backend: fixtureBackend({ searchResult: { traces: [] } }) });
      assert.equal((await runSearchTraces({ query: '{}', since: 'yesterday' }, c)).isError, true);
      assert.equal((await runSearchTraces({ query: '{}', limit: 0 }, c)).isError, true);
      assert.equal((await runSearchTraces({ query: '{}', limit: 51 }, c)).isError, true);
      const none = await runSearchTraces({ query: '{}' }, ctx());
      assert.equal(none.isError, true);
      assert.match(none.text, /has no TraceQL search/);
      const empty = ok(await runSearchTraces({ query: '{}' }, c));
      assert.match(empty, /No traces match in the last 1h/);
    });
  });

  describe('errors', () => {
    it('quotes the backend message and names the kind of failure', () => {
      const a = errorAnswer(
        new Error('wrapped', {
          cause: new BackendError('unreachable', 'GET http://x/api → ECONNREFUSED [x](https://evil.test)'),
        }),
        { backend: fixtureBackend() },
      );
      assert.equal(a.isError, true);
      assert.match(
        a.text,
        /The backend `fixtures` failed: unreachable\. Its message: `GET http:\/\/x\/api → ECONNREFUSED/,
      );
      assertInert(a.text);
    });
  });

  describe('recent traces', () => {
    it('lists IDs newest first with where they were seen, and pages', () => {
      const now = 1_800_000_000_000;
      const entries = Array.from({ length: 45 }, (_, k) => ({
        traceId: k.toString(16).padStart(32, '0'),
        where: 'the terminal',
        seenAtMs: now - k * 60_000,
        ...(k === 0 ? { summary: '<https://evil.test> · 5.2 s · 6 spans', spanId: '88e12c98928f2acd' } : {}),
      }));
      const a = runRecentTraces({}, entries, { names: LM_TOOL_NAMES, now: () => now });
      assert.equal(a.isError, false);
      assertInert(a.text);
      assert.match(
        a.text,
        /^1\. `0{32}` · span `88e12c98928f2acd` · seen in the terminal just now · `<https:\/\/evil\.test> · 5\.2 s · 6 spans`$/m,
      );
      assert.match(a.text, /Older IDs \(25 more\): `traceLens_recentTraces` with `\{"cursor":"items:20"\}`/);
      const b = runRecentTraces({ cursor: 'items:20' }, entries, { names: LM_TOOL_NAMES, now: () => now });
      assert.match(b.text, /^21\. /m);
      assert.match(runRecentTraces({}, [], { names: LM_TOOL_NAMES }).text, /None yet/);
    });
  });
});
