import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSpans, generateTraces } from '../core/store/testing/exports';
import { EXIT, main } from './main';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
  );
  return { code, out, err };
}

describe('trace-lens receive, show --store, search', function () {
  this.timeout(30000);
  let dir: string;
  let child: ChildProcess;
  let line: string;
  let ports: { http: number; grpc: number; query: number };
  const now = BigInt(Date.now() - 60_000) * 1_000_000n;
  const gen = generateTraces(30, 5, { startNs: now, seed: 11 });
  const missingRoot = gen.traceIds[3]!;

  before(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-cli-'));
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, 'main.ts'),
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
    line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.on('exit', (code) => reject(new Error(`receive exited with ${code}`)));
    });
    const m =
      /^receiving OTLP on http:\/\/127\.0\.0\.1:(\d+) and 127\.0\.0\.1:(\d+); Tempo API on http:\/\/127\.0\.0\.1:(\d+)$/.exec(
        line,
      );
    assert.ok(m, line);
    ports = { http: Number(m[1]), grpc: Number(m[2]), query: Number(m[3]) };
    const spans = gen.spans.filter((s) => !(s.traceId === missingRoot && !s.parentSpanId));
    const res = await fetch(`http://127.0.0.1:${ports.http}/v1/traces`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf' },
      body: Buffer.from(encodeSpans(spans)),
    });
    assert.equal(res.status, 200);
  });
  after(() => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the real ports it listens on', () => {
    assert.ok(
      ports.http > 0 && ports.grpc > 0 && ports.query > 0 && new Set(Object.values(ports)).size === 3,
    );
  });

  it('shows a trace read straight from the store folder, beside the running receiver, with warnings', async () => {
    const r = await run('show', gen.traceIds[0]!, '--store', dir, '--json');
    assert.equal(r.code, EXIT.ok, r.err.join('\n'));
    const s = JSON.parse(r.out[0]!) as Record<string, unknown>;
    assert.equal(s.traceId, gen.traceIds[0]);
    assert.equal(s.spanCount, 5);
    assert.equal(s.rootService, 'api');
    assert.deepEqual(s.warnings, []);
    const orphan = JSON.parse((await run('show', missingRoot, '--store', dir, '--json')).out[0]!) as {
      warnings: string[];
    };
    assert.match(orphan.warnings.join(' '), /4 spans name parents missing from the trace/);
    const text = await run('show', gen.traceIds[0]!, '--store', dir);
    assert.equal(text.code, EXIT.ok);
    assert.match(text.out.join('\n'), /GET \/orders/);
    assert.equal((await run('show', '0'.repeat(31) + '1', '--store', dir)).code, EXIT.notFound);
    assert.equal((await run('show', gen.traceIds[0]!, '--store', join(dir, 'nope'))).code, EXIT.usage);
  });

  it('searches the store folder and the Tempo API with the same answers', async () => {
    const q = '{ }';
    const local = await run('search', q, '--store', dir, '--json', '--limit', '100');
    assert.equal(local.code, EXIT.ok, local.err.join('\n'));
    const rows = JSON.parse(local.out[0]!) as Record<string, unknown>[];
    assert.equal(rows.length, 30);
    const row = rows.find((r) => r.traceId === gen.traceIds[0])!;
    assert.deepEqual(Object.keys(row), [
      'traceId',
      'rootService',
      'rootName',
      'startTime',
      'durationMs',
      'spanCount',
      'errorCount',
    ]);
    assert.equal(row.rootService, 'api');
    assert.equal(row.rootName, 'GET /orders');
    assert.equal(row.spanCount, 5);
    assert.match(String(row.startTime), /^\d{4}-\d\d-\d\dT/);
    const orphan = rows.find((r) => r.traceId === missingRoot)!;
    assert.equal(orphan.rootService, null);
    assert.equal(orphan.rootName, null);
    const remote = await run(
      'search',
      q,
      '--tempo',
      `http://127.0.0.1:${ports.query}`,
      '--json',
      '--limit',
      '100',
    );
    assert.equal(remote.code, EXIT.ok, remote.err.join('\n'));
    // Tempo's API gives whole milliseconds; the store folder gives exact ones.
    const byId = (list: Record<string, unknown>[]) =>
      new Map(
        list.map(({ durationMs, ...r }) => [r.traceId, { ...r, durationMs: Math.round(Number(durationMs)) }]),
      );
    assert.deepEqual(byId(JSON.parse(remote.out[0]!) as Record<string, unknown>[]), byId(rows));
    const text = await run('search', '{ name = "GET /orders" }', '--store', dir, '--limit', '2');
    assert.equal(text.out.length, 2);
    assert.match(text.out[0]!, /^[0-9a-f]{32} {2}\d{4}-.* 5 spans {2}\d+ errors {2}api: GET \/orders$/);
    assert.equal((await run('search', '{ name = "none" }', '--store', dir)).code, EXIT.notFound);
    assert.equal(
      (await run('search', '{ name = "GET /orders" }', '--store', dir, '--since', '1s')).code,
      EXIT.notFound,
    );
    const bad = await run('search', '{ } | count()', '--store', dir);
    assert.equal(bad.code, EXIT.usage);
    assert.match(bad.err.join(''), /unsupported at 5: pipeline/);
    assert.equal((await run('search', '{ }', '--since', 'soon', '--store', dir)).code, EXIT.usage);
  });

  it("searches a backend of a folder's settings under show's trust rules", async () => {
    const folder = fs.mkdtempSync(join(tmpdir(), 'trace-lens-cli-settings-'));
    try {
      fs.mkdirSync(join(folder, '.vscode'));
      fs.writeFileSync(
        join(folder, '.vscode/settings.json'),
        JSON.stringify({
          'traceLens.backends': [{ name: 'local', kind: 'tempo', url: `http://127.0.0.1:${ports.query}` }],
        }),
      );
      const err: string[] = [];
      const where = { cwd: folder, env: { MY_TOKEN: 'secret-token' } };
      const refused = await main(
        ['search', '{ }', '--backend', 'local', '--token-env', 'MY_TOKEN'],
        () => undefined,
        (s) => err.push(s),
        where,
      );
      assert.equal(refused, EXIT.usage);
      assert.match(err.join('\n'), /refusing to send your token/);
      const out: string[] = [];
      const ok = await main(
        ['search', '{ }', '--backend', 'local', '--json'],
        (s) => out.push(s),
        (s) => err.push(s),
        where,
      );
      assert.equal(ok, EXIT.ok, err.join('\n'));
      assert.equal((JSON.parse(out[0]!) as unknown[]).length, 20);
      assert.match(err.join('\n'), /sending no credentials/);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a second receiver on the same store, and bad ports', async () => {
    const second = await run(
      'receive',
      '--store',
      dir,
      '--http-port',
      '0',
      '--grpc-port',
      '0',
      '--query-port',
      '0',
    );
    assert.equal(second.code, EXIT.backend);
    assert.match(
      second.err.join('\n'),
      /is already written by process \d+ \(Tempo API on http:\/\/127\.0\.0\.1:\d+\)/,
    );
    assert.equal((await run('receive', '--http-port', 'x')).code, EXIT.usage);
    assert.equal((await run('receive', '--bogus')).code, EXIT.usage);
  });

  it('stops cleanly on SIGTERM, releasing the store', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.equal(fs.existsSync(join(dir, 'writer.lock')), false);
    assert.equal((await run('show', gen.traceIds[1]!, '--store', dir, '--json')).code, EXIT.ok);
  });
});
