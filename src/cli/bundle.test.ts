import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { encodeSpans, generateTraces } from '../core/store/testing/exports';

const ROOT = join(__dirname, '../..');

/**
 * The other CLI tests run the TypeScript sources; this one runs `dist/cli.js` as `npm run build`
 * bundles it, so a dependency esbuild cannot bundle (jsonc-parser's UMD `main` was one) fails
 * here rather than for the first person who installs the CLI.
 */
describe('trace-lens CLI, bundled', () => {
  before(function () {
    this.timeout(60_000);
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
  });

  it('reads a JSONC settings file and says what is wrong with the backend', () => {
    const settings = join(mkdtempSync(join(tmpdir(), 'tl-cli-bundle-')), 'settings.json');
    writeFileSync(
      settings,
      '{\n  // VS Code writes JSONC\n  "traceLens.backends": [{ "name": "x", "kind": "nope", "url": "http://h" },],\n}',
    );
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'show', 'abc', '--backend', 'x'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', TRACE_LENS_SETTINGS: settings },
    });
    assert.equal(run.stderr, `trace-lens: backend "x" in ${settings} has an unknown kind "nope"\n`);
    assert.equal(run.status, 2);
  });

  it('prints a command’s usage', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), 'scan', '--help'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Usage:\n {2}trace-lens scan \[FILE\|-\] \[--json\]/);
  });

  it('lists every command in --help', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), '--help'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    for (const command of ['scan', 'show', 'search', 'receive', 'mcp']) {
      assert.match(run.stdout, new RegExp(`^ {2}trace-lens ${command} `, 'm'), command);
    }
  });

  describe('receive, and search, show and mcp over its store folder', function () {
    this.timeout(30_000);
    let dir: string;
    let receiver: ChildProcess;
    const gen = generateTraces(3, 4, { startNs: BigInt(Date.now() - 60_000) * 1_000_000n, seed: 5 });
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], { encoding: 'utf8' });

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tl-cli-bundle-store-'));
      receiver = spawn(
        process.execPath,
        [
          join(ROOT, 'dist/cli.js'),
          'receive',
          '--store',
          dir,
          '--http-port',
          '0',
          '--grpc-port',
          '0',
          '--query-port',
          '0',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      receiver.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        receiver.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        receiver.once('exit', (code) => reject(new Error(`receive exited with ${code}: ${stderr}`)));
      });
      // Both OTLP ports are up, so the gRPC bundle (dist/grpc.js) loaded beside dist/cli.js.
      const m =
        /^receiving OTLP on http:\/\/127\.0\.0\.1:(\d+) and 127\.0\.0\.1:\d+; Tempo API on http:\/\/127\.0\.0\.1:\d+$/.exec(
          line,
        );
      assert.ok(m, line);
      const res = await fetch(`http://127.0.0.1:${m[1]}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf' },
        body: Buffer.from(encodeSpans(gen.spans)),
      });
      assert.equal(res.status, 200);
    });
    after(() => {
      if (receiver.exitCode === null) receiver.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    });

    it('searches the store folder', () => {
      const run = cli('search', '{ }', '--store', dir, '--json');
      assert.equal(run.status, 0, run.stderr);
      const rows = JSON.parse(run.stdout) as Array<{ traceId: string; spanCount: number }>;
      assert.deepEqual(rows.map((r) => r.traceId).sort(), [...gen.traceIds].sort());
      assert.ok(rows.every((r) => r.spanCount === 4));
    });

    it('shows a trace from the store folder, with its warnings', () => {
      const run = cli('show', gen.traceIds[0]!, '--store', dir, '--json');
      assert.equal(run.status, 0, run.stderr);
      const s = JSON.parse(run.stdout) as { traceId: string; spanCount: number; warnings: unknown };
      assert.equal(s.traceId, gen.traceIds[0]);
      assert.equal(s.spanCount, 4);
      assert.deepEqual(s.warnings, []);
    });

    it('serves the agent tools over MCP from the store folder (the SDK in the bundle)', async () => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [join(ROOT, 'dist/cli.js'), 'mcp', '--store', dir],
        cwd: tmpdir(),
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), TRACE_LENS_SETTINGS: '' },
        stderr: 'pipe',
      });
      const client = new Client({ name: 'trace-lens-bundle-test', version: '1.0.0' });
      await client.connect(transport);
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(
          tools.map((t) => t.name),
          ['get_trace', 'get_span', 'search_traces', 'compare_traces'],
        );
        const r = (await client.callTool({
          name: 'get_trace',
          arguments: { trace_id: gen.traceIds[0] },
        })) as {
          isError?: boolean;
          content: Array<{ type: string; text?: string }>;
        };
        assert.notEqual(r.isError, true, r.content[0]?.text);
        assert.match(r.content[0]?.text ?? '', /Root: `api` · `GET \/orders`/);
      } finally {
        await client.close();
      }
    });

    it('stops on SIGTERM with exit 0, releasing the store', async () => {
      const exited = new Promise<number | null>((resolve) => receiver.once('exit', (code) => resolve(code)));
      receiver.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(existsSync(join(dir, 'writer.lock')), false);
    });
  });
});
