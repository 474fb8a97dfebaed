import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { fixture, send, startLoopback } from '../core/backends/testing/loopback';
import { main } from './main';
import { call, connect, ROOT } from './testing/mcpClient';

const FIXTURES = join(ROOT, 'test/fixtures/tempo');
const DEMO = join(ROOT, 'test/fixtures/recorded-workspace');
const WORKFLOW = 'a8e00f77b50a734539bf0e48eec6bec4';
const BIG = '85c5a3cd3c3f9a71b94e6401754cd3e0';

interface FakeTempo {
  url: string;
  requests: Array<{ path: string; query: string }>;
  close(): Promise<void>;
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('trace-lens mcp', function () {
  this.timeout(60_000);
  let tempo: FakeTempo;
  let client: Client;
  let startTempo: (o: { fixturesDir: string; ignoreRange?: boolean }) => Promise<FakeTempo>;

  before(async () => {
    const mod = (await import(join(ROOT, 'test/server/fakeTempo.mjs'))) as {
      startFakeTempo(o: { fixturesDir: string; ignoreRange?: boolean }): Promise<FakeTempo>;
    };
    startTempo = mod.startFakeTempo;
    tempo = await mod.startFakeTempo({ fixturesDir: FIXTURES });
    ({ client } = await connect(['--tempo', tempo.url, '--workspace', DEMO]));
  });

  after(async () => {
    await client?.close();
    await tempo?.close();
  });

  it('lists the four tools, read-only, with the shared argument names', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['get_trace', 'get_span', 'search_traces', 'compare_traces'],
    );
    for (const t of tools) {
      assert.equal(t.annotations?.readOnlyHint, true);
      assert.ok(t.description && t.description.length > 100);
    }
    const props = (name: string) =>
      Object.keys(tools.find((t) => t.name === name)!.inputSchema.properties ?? {});
    assert.deepEqual(props('get_trace'), ['trace_id', 'cursor']);
    assert.deepEqual(props('get_span'), ['trace_id', 'span', 'cursor']);
    assert.deepEqual(props('search_traces'), ['query', 'since', 'limit', 'cursor']);
    assert.deepEqual(props('compare_traces'), ['trace_id_a', 'trace_id_b', 'cursor']);
  });

  it('get_trace: the summary from Tempo, with code mapped into --workspace', async () => {
    const r = await call(client, 'get_trace', { trace_id: `trace_id=${WORKFLOW}` });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /Root: `workflow-engine` · `workflow\.execute` · 5\.2 s/);
    assert.match(r.text, /from `Tempo at 127\.0\.0\.1:\d+`/);
    assert.match(
      r.text,
      /self 4\.2 s \(81% of the trace\) · span `88e12c98928f2acd` · `src\/clients\/PartnerApiClient\.ts:88`/,
    );
    assert.match(
      r.text,
      /`get_span` with `\{"trace_id":"a8e00f77b50a734539bf0e48eec6bec4","span":"88e12c98928f2acd"\}`/,
    );
    assert.ok(tempo.requests.some((q) => q.path.includes(WORKFLOW)));
  });

  it('get_span: a span by ID with its exception frames mapped', async () => {
    const r = await call(client, 'get_span', { trace_id: WORKFLOW, span: '9cde4f0d0129781e' });
    assert.equal(r.isError, false, r.text);
    assert.match(
      r.text,
      /`NotifyNode\.send` at `\/app\/src\/nodes\/NotifyNode\.ts:14` → `src\/nodes\/NotifyNode\.ts:14`/,
    );
  });

  it('search_traces: TraceQL rows over the range asked for', async () => {
    // The fake Tempo places its traces 10 minutes ago and applies the range: the last hour has them.
    const r = await call(client, 'search_traces', { query: '{ status = error }' });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /\| `a8e00f77b50a734539bf0e48eec6bec4` \| 10 min ago \|/);
    assert.match(r.text, /\| `85c5a3cd3c3f9a71b94e6401754cd3e0` \|/);
    assert.doesNotMatch(r.text, /left out/);
    const q = tempo.requests.filter((x) => x.path === '/api/search').at(-1)!;
    assert.match(q.query, /q=%7B\+?(%20)?status/);
    // A backend that ignores start/end answers the recorded 2026-11-23 traces: left out, and said.
    const ignoring = await startTempo({ fixturesDir: FIXTURES, ignoreRange: true });
    const other = await connect(['--tempo', ignoring.url, '--workspace', DEMO]);
    try {
      const recent = await call(other.client, 'search_traces', { query: '{ status = error }' });
      assert.match(recent.text, /outside the last 1h left out: the backend did not apply the time range/);
      assert.doesNotMatch(recent.text, /a8e00f77b50a734539bf0e48eec6bec4/);
    } finally {
      await other.client.close();
      await ignoring.close();
    }
  });

  it('compare_traces: the operations that differ', async () => {
    const r = await call(client, 'compare_traces', { trace_id_a: WORKFLOW, trace_id_b: BIG });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /B took \+916 ms \(\+18%\) longer/);
    assert.match(r.text, /`SELECT items` \(`postgres-proxy`\) \*\*only in B\*\*/);
  });

  it('answers a bad ID, an unknown trace, a bad query and an unknown tool as errors, and keeps serving', async () => {
    const bad = await call(client, 'get_trace', { trace_id: 'not-an-id' });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /No trace ID/);
    const short = await call(client, 'get_trace', { trace_id: WORKFLOW.slice(2) });
    assert.equal(short.isError, true);
    assert.match(short.text, /30 hex digits/);
    const missing = await call(client, 'get_trace', { trace_id: 'ffffffffffffffffffffffffffffffff' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /was not found on `Tempo at 127\.0\.0\.1:\d+`/);
    const query = await call(client, 'search_traces', { query: '{ status = ' });
    assert.equal(query.isError, true);
    assert.match(query.text, /bad-request \(HTTP 400\)/);
    const noArgs = await call(client, 'get_span', { trace_id: WORKFLOW });
    assert.equal(noArgs.isError, true);
    assert.match(noArgs.text, /`span` is required/);
    const unknown = await call(client, 'drop_tables', {});
    assert.equal(unknown.isError, true);
    const still = await call(client, 'get_trace', { trace_id: WORKFLOW });
    assert.equal(still.isError, false);
  });

  it('answers every call with an error when the backend is down, and keeps serving', async () => {
    const port = await closedPort();
    const down = await connect(['--tempo', `http://127.0.0.1:${port}`]);
    try {
      const r = await call(down.client, 'get_trace', { trace_id: WORKFLOW });
      assert.equal(r.isError, true);
      assert.match(r.text, /The backend `Tempo at 127\.0\.0\.1:\d+` failed: unreachable/);
      const s = await call(down.client, 'search_traces', { query: '{}' });
      assert.equal(s.isError, true);
      assert.match(s.text, /unreachable/);
      const again = await call(down.client, 'get_span', { trace_id: WORKFLOW, span: 'GET' });
      assert.equal(again.isError, true);
    } finally {
      await down.client.close();
    }
  });

  it("sends a backend only a folder's settings define none of its credentials, unless trusted", async () => {
    const theirs = await startLoopback();
    theirs.handle((_req, res) => send(res, 200, fixture('tempo-2.0.1-trace-v1.json'), 'application/json'));
    const repo = mkdtempSync(join(tmpdir(), 'trace-lens-mcp-repo-'));
    mkdirSync(join(repo, '.vscode'));
    writeFileSync(
      join(repo, '.vscode', 'settings.json'),
      JSON.stringify({
        'traceLens.backends': [
          {
            name: 'theirs',
            kind: 'tempo',
            url: theirs.origin.replace('//', '//repo-user:repo-pass@'),
            tenant: 'acme',
            headers: { 'X-Api-Key': 'repo-key' },
          },
        ],
      }),
    );
    // An empty VS Code settings folder, so the machine's own settings stay out.
    const env = { VSCODE_APPDATA: mkdtempSync(join(tmpdir(), 'trace-lens-mcp-appdata-')), TOK: 'user-token' };
    const sentWith = async (args: string[]) => {
      theirs.requests.length = 0;
      const s = await connect(['--backend', 'theirs', ...args], env, repo);
      try {
        const r = await call(s.client, 'get_trace', { trace_id: WORKFLOW });
        assert.equal(r.isError, false, r.text);
        return { headers: theirs.requests[0]!.headers, stderr: s.stderr() };
      } finally {
        await s.client.close();
      }
    };
    try {
      const untrusted = await sentWith([]);
      assert.equal(untrusted.headers.authorization, undefined);
      assert.equal(untrusted.headers['x-api-key'], undefined);
      assert.equal(untrusted.headers['x-scope-orgid'], undefined);
      assert.match(untrusted.stderr, /a folder's settings, not yours; sending no credentials/);
      const trusted = await sentWith(['--token-env', 'TOK', '--trust-workspace-settings']);
      assert.equal(trusted.headers.authorization, 'Bearer user-token');
      assert.equal(trusted.headers['x-api-key'], 'repo-key');
      assert.equal(trusted.headers['x-scope-orgid'], 'acme');
    } finally {
      await theirs.close();
    }
  });

  describe('flags and settings (before serving)', () => {
    function run(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT) {
      const notes: string[] = [];
      const out: string[] = [];
      return main(
        ['mcp', ...argv],
        (s) => out.push(s),
        (s) => notes.push(s),
        { cwd, env },
      ).then((code) => {
        assert.deepEqual(out, [], 'nothing but the protocol goes to standard output');
        return { code, notes };
      });
    }

    it('refuses unknown flags, arguments, two sources at once, and a --store folder that is not there', async () => {
      assert.equal((await run(['--bogus'])).code, 2);
      assert.equal((await run(['get_trace'])).code, 2);
      const two = await run(['--tempo', 'http://x', '--backend', 'b']);
      assert.equal(two.code, 2);
      // The wording show and search use (backendOptions.ts), which names the sources in this order.
      assert.match(two.notes.join('\n'), /one of --store, --tempo and --backend/);
      const storeAndTempo = await run(['--store', ROOT, '--tempo', 'http://x']);
      assert.equal(storeAndTempo.code, 2);
      const store = await run(['--store', join(ROOT, 'no-such-store')]);
      assert.equal(store.code, 2);
      assert.match(store.notes.join('\n'), /the store folder .*no-such-store does not exist/);
      const ws = await run(['--workspace', join(ROOT, 'no-such-folder')]);
      assert.equal(ws.code, 2);
      assert.match(ws.notes.join('\n'), /ENOENT/);
    });

    it("never sends a token to a backend only a folder's settings define", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trace-lens-mcp-'));
      mkdirSync(join(dir, '.vscode'));
      writeFileSync(
        join(dir, '.vscode', 'settings.json'),
        JSON.stringify({
          'traceLens.backends': [{ name: 'theirs', kind: 'tempo', url: 'https://evil.test' }],
        }),
      );
      const env = { TOKEN: 'secret-token', HOME: dir, XDG_CONFIG_HOME: join(dir, 'xdg') };
      const r = await run(['--backend', 'theirs', '--token-env', 'TOKEN'], env, dir);
      assert.equal(r.code, 2);
      assert.match(
        r.notes.join('\n'),
        /defined only by .*settings\.json, a folder's settings, not yours; refusing to send your token/,
      );
      assert.doesNotMatch(r.notes.join('\n'), /secret-token/);
    });
  });
});
