import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { encodeLogs, encodeSpans, generateTraces } from '../core/store/testing/exports';
import { call, connect, ROOT } from './testing/mcpClient';

/** POSTs an OTLP protobuf body to the receiver; fails unless it is taken. */
async function post(url: string, body: Uint8Array): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf' },
    body: Buffer.from(body),
  });
  assert.equal(res.status, 200, await res.text());
}

/**
 * `trace-lens mcp --store DIR` reads the store folder directly while `trace-lens receive` writes
 * it: traces and their spans' OTLP log records go in through the receiver, answers come out of the
 * MCP server, asked by the SDK's own client.
 */
describe('trace-lens mcp --store, beside a running receiver', function () {
  this.timeout(60_000);
  let dir: string;
  let receiver: ChildProcess;
  let otlp: string;
  let client: Client;
  const now = BigInt(Date.now() - 60_000) * 1_000_000n;
  const gen = generateTraces(3, 4, { startNs: now, seed: 7 });
  const [a, b, later] = gen.traceIds as [string, string, string];
  const spansOf = (t: string) => gen.spans.filter((s) => s.traceId === t);
  const child = spansOf(a)[1]!;
  const other = spansOf(a)[2]!;

  before(async () => {
    dir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-mcp-store-'));
    receiver = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src/cli/main.ts'),
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
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      receiver.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      receiver.once('exit', (code) => reject(new Error(`receive exited with ${code}`)));
    });
    const m = /^receiving OTLP on (http:\/\/127\.0\.0\.1:\d+) /.exec(line);
    assert.ok(m, line);
    otlp = m[1]!;
    // The third trace arrives later, while the server runs.
    await post(`${otlp}/v1/traces`, encodeSpans(gen.spans.filter((s) => s.traceId !== later)));
    await post(
      `${otlp}/v1/logs`,
      encodeLogs('payments', [
        {
          traceId: a,
          spanId: child.spanId,
          timeNs: child.start + 2_000n,
          body: 'retrying the card',
          severity: 13,
        },
        {
          traceId: a,
          spanId: child.spanId,
          timeNs: child.start + 1_000n,
          body: 'card declined',
          severity: 17,
        },
        { traceId: a, spanId: other.spanId, timeNs: other.start, body: 'not this span' },
      ]),
    );
    ({ client } = await connect(['--store', dir]));
  });

  after(async () => {
    await client?.close();
    if (receiver && receiver.exitCode === null) receiver.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('get_trace: the trace read from the store folder, named by it', async () => {
    const r = await call(client, 'get_trace', { trace_id: a });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /Root: `api` · `GET \/orders`/);
    assert.ok(r.text.includes(`from \`local store ${dir}\``), r.text);
  });

  it("get_span: the span's own log records from the store, in time order, with their severity", async () => {
    const r = await call(client, 'get_span', { trace_id: a, span: child.spanId });
    assert.equal(r.isError, false, r.text);
    assert.match(r.text, /### Events and logs \(2\)/);
    assert.match(r.text, /- \+[^\n]* log `ERROR` `card declined`\n- \+[^\n]* log `WARN` `retrying the card`/);
    assert.doesNotMatch(r.text, /not this span/);
    const root = await call(client, 'get_span', { trace_id: a, span: 'GET /orders' });
    assert.equal(root.isError, false, root.text);
    assert.doesNotMatch(root.text, / log `/);
  });

  it('search_traces: TraceQL over the store folder', async () => {
    const r = await call(client, 'search_traces', { query: '{ name = "GET /orders" }' });
    assert.equal(r.isError, false, r.text);
    assert.ok(r.text.includes(`| \`${a}\` |`), r.text);
    assert.ok(r.text.includes(`| \`${b}\` |`), r.text);
    assert.match(r.text, /`api` · `GET \/orders`/);
    const bad = await call(client, 'search_traces', { query: '{ } | count()' });
    assert.equal(bad.isError, true);
    assert.match(bad.text, /bad-request\. Its message: .*pipeline/);
  });

  it('compare_traces: two traces of the store', async () => {
    const r = await call(client, 'compare_traces', { trace_id_a: a, trace_id_b: b });
    assert.equal(r.isError, false, r.text);
    assert.ok(r.text.startsWith(`## Trace B \`${b}\` compared with trace A \`${a}\``), r.text);
    assert.match(r.text, /- B took [+−][\d.]+ \S+ \([+-]\d+%\)/);
    assert.match(r.text, /\| `GET \/orders` \(`api`\) \| 1 \| /);
  });

  it('answers a trace the store lacks as not found, and sees traces received after it started', async () => {
    const missing = await call(client, 'get_trace', { trace_id: later });
    assert.equal(missing.isError, true);
    assert.ok(missing.text.includes(`was not found on \`local store ${dir}\``), missing.text);
    await post(`${otlp}/v1/traces`, encodeSpans(spansOf(later)));
    const found = await call(client, 'get_trace', { trace_id: later });
    assert.equal(found.isError, false, found.text);
    assert.match(found.text, /Root: `api` · `GET \/orders`/);
  });
});
