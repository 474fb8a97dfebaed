/**
 * `kill -9` of the receiver while it ingests: every span it acknowledged with a 200 is in the
 * store when it opens again, and the torn tail of the write it was in is cut.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceStore } from './store';
import { encodeSpans, generateTraces } from './testing/exports';
import { readTrace } from './traces';

function post(port: number, body: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/traces',
        method: 'POST',
        headers: { 'Content-Type': 'application/x-protobuf' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(0));
      },
    );
    req.on('error', () => resolve(0)); // the receiver died before answering: not acknowledged
    req.end(body);
  });
}

describe('receiver killed with SIGKILL mid-ingest', function () {
  this.timeout(30000);

  it('loses none of the spans it acknowledged', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'trace-lens-kill-'));
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(__dirname, 'testing/receiverProcess.ts'), dir],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const status = await new Promise<{ httpPort: number }>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const nl = out.indexOf('\n');
          if (nl >= 0) resolve(JSON.parse(out.slice(0, nl)) as { httpPort: number });
        });
        child.on('exit', (code) => reject(new Error(`the receiver exited with ${code}`)));
      });
      // 400 batches of 5 traces × 10 spans, 8 in flight at a time; kill after 100 acknowledgements.
      const batches = Array.from({ length: 400 }, (_, b) => generateTraces(5, 10, { seed: b + 1 }));
      const acknowledged: string[][] = [];
      let next = 0;
      let killed = false;
      const worker = async (): Promise<void> => {
        while (next < batches.length) {
          const b = batches[next++]!;
          const code = await post(status.httpPort, encodeSpans(b.spans));
          if (code === 200) acknowledged.push(b.traceIds);
          if (!killed && acknowledged.length >= 100) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await new Promise((resolve) =>
        child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve),
      );
      assert.ok(
        killed && acknowledged.length >= 100 && acknowledged.length < 400,
        `${acknowledged.length} acknowledged`,
      );
      const logs: string[] = [];
      const store = TraceStore.open({ dir, log: (m) => logs.push(m) });
      try {
        let missing = 0;
        for (const ids of acknowledged)
          for (const id of ids) if (readTrace(store, id)?.spanCount !== 10) missing++;
        assert.equal(missing, 0, `${missing} acknowledged traces lost`);
        assert.ok(store.stats().spans >= acknowledged.length * 50);
        assert.ok(
          logs.some((m) => /took over the store from process/.test(m)),
          logs.join('\n'),
        );
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
