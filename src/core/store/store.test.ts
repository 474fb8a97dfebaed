import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeTrace } from '../decode';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { LOCK_FILE, readLock } from './lock';
import { StoreLockedError, StoreReader, TraceStore, type StoreOptions } from './store';
import { encodeLogs, encodeSpans, generateTraces } from './testing/exports';
import { readTrace, recentTraces, summarizeTrace, traceLogs } from './traces';

function tempDir(): string {
  return fs.mkdtempSync(join(tmpdir(), 'trace-lens-store-'));
}

function segmentFiles(dir: string, ext = '.seg'): string[] {
  return fs
    .readdirSync(join(dir, 'segments'))
    .filter((n) => n.endsWith(ext))
    .sort();
}

describe('trace store', () => {
  const dirs: string[] = [];
  const stores: TraceStore[] = [];
  const open = (options: Partial<StoreOptions> & { dir: string }): TraceStore => {
    const s = TraceStore.open(options);
    stores.push(s);
    return s;
  };
  const fresh = (options: Partial<StoreOptions> = {}): { dir: string; store: TraceStore; logs: string[] } => {
    const dir = tempDir();
    dirs.push(dir);
    const logs: string[] = [];
    return { dir, store: open({ dir, log: (m) => logs.push(m), ...options }), logs };
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('assembles a trace whose spans arrived in many batches from many services', async () => {
    const { store } = fresh();
    const { spans, traceIds } = generateTraces(3, 12);
    // Every span in its own request, interleaving the traces, as separate services flush.
    const order = spans.map((_, i) => i).sort((a, b) => (a % 5) - (b % 5) || a - b);
    for (const i of order) await store.append('traces', encodeSpans([spans[i]!]));
    for (const id of traceIds) {
      const t = readTrace(store, id)!;
      assert.equal(t.spanCount, 12);
      assert.equal(t.partial, false);
      const model = decodeTrace(t.bytes, 'otlp-proto').model;
      assert.equal(model.traceId, id);
      assert.equal(model.spanCount, 12);
      assert.equal(model.strings[model.columns.name[0]!], 'GET /orders');
      assert.deepEqual(model.warnings, []);
      const summary = summarizeTrace(store, id)!;
      assert.equal(summary.rootService, 'api');
      assert.equal(summary.rootName, 'GET /orders');
      assert.equal(summary.spanCount, 12);
      assert.equal(summary.startTimeUnixNano, model.traceStartUnixNano);
    }
    assert.equal(readTrace(store, '0'.repeat(31) + '1'), undefined);
    assert.equal(store.stats().spans, 36);
    assert.equal(store.stats().traces, 3);
    assert.deepEqual(
      recentTraces(store, 2).map((s) => s.traceId),
      [traceIds[2], traceIds[1]],
    );
  });

  it('shows a span an exporter sent twice (a retry) once, but keeps client and server spans sharing an ID', async () => {
    const { store } = fresh();
    const { spans, traceIds } = generateTraces(1, 4);
    await store.append('traces', encodeSpans(spans));
    await store.append('traces', encodeSpans(spans.slice(1, 3)));
    await store.append('traces', encodeSpans([{ ...spans[3]!, kind: 3 }]));
    const t = readTrace(store, traceIds[0]!)!;
    assert.equal(t.spanCount, 5);
    assert.equal(decodeTrace(t.bytes).model.spanCount, 5);
    assert.equal(summarizeTrace(store, traceIds[0]!)!.spanCount, 5);
  });

  it("with durability 'disk', fsyncs each write before acknowledging it", async () => {
    const { store } = fresh({ durability: 'disk' });
    const { spans, traceIds } = generateTraces(2, 3);
    const writes = await Promise.all([
      store.append('traces', encodeSpans(spans.slice(0, 3))),
      store.append('traces', encodeSpans(spans.slice(3))),
    ]);
    assert.deepEqual(
      writes.map((w) => w.accepted),
      [3, 3],
    );
    assert.equal(readTrace(store, traceIds[1]!)!.spanCount, 3);
  });

  it('counts and leaves out spans without valid IDs (partial success)', async () => {
    const { store } = fresh();
    const { spans } = generateTraces(1, 3);
    spans[1]!.spanId = '0000000000000000';
    const r = await store.append('traces', encodeSpans(spans));
    assert.deepEqual(r, { accepted: 2, rejected: 1, reason: "a span's span ID is all zeros" });
    assert.equal(store.stats().spans, 2);
  });

  it('reopens with every acknowledged span, from checkpoints and from the segments', async () => {
    const { dir, store } = fresh({ segmentBytes: 64 * 1024 });
    const { spans, traceIds } = generateTraces(200, 10);
    for (let i = 0; i < spans.length; i += 100)
      await store.append('traces', encodeSpans(spans.slice(i, i + 100)));
    assert.ok(segmentFiles(dir).length > 3, 'small segments rotate');
    await store.close();
    const again = open({ dir });
    assert.equal(again.stats().spans, 2000);
    for (const id of [traceIds[0]!, traceIds[199]!]) assert.equal(readTrace(again, id)!.spanCount, 10);
    await again.close();
    // Without checkpoints every segment is scanned: the same answers.
    for (const f of segmentFiles(dir, '.idx')) fs.rmSync(join(dir, 'segments', f));
    const rebuilt = open({ dir });
    assert.equal(rebuilt.stats().spans, 2000);
    assert.equal(decodeTrace(readTrace(rebuilt, traceIds[100]!)!.bytes).model.spanCount, 10);
  });

  it('seals in the background: close waits for every checkpoint; Clear mid-seal leaves none behind', async () => {
    const { dir, store } = fresh({ segmentBytes: 64 * 1024 });
    const { spans } = generateTraces(300, 10);
    // Three at a time, so that segments seal while later appends are queued and written.
    let accepted = 0;
    for (let i = 0; i < spans.length; i += 300) {
      const three = [0, 100, 200].map((d) =>
        store.append('traces', encodeSpans(spans.slice(i + d, i + d + 100))),
      );
      for (const r of await Promise.all(three)) accepted += r.accepted;
    }
    assert.equal(accepted, 3000);
    await store.close();
    const segs = segmentFiles(dir);
    assert.ok(segs.length > 3, 'small segments rotate');
    // Every segment has its checkpoint, and together they hold every span.
    assert.deepEqual(
      segmentFiles(dir, '.idx'),
      segs.map((n) => n.replace(/\.seg$/, '.idx')),
    );
    let held = 0;
    for (const f of segmentFiles(dir, '.idx'))
      held += loadCheckpoint(new Uint8Array(fs.readFileSync(join(dir, 'segments', f))))!.spanCount;
    assert.equal(held, 3000);
    assert.deepEqual(segmentFiles(dir, '.tmp'), []);

    // The append that fills a segment returns while its seal runs; Clear drops that segment.
    const again = open({ dir, segmentBytes: 64 * 1024 });
    const before = segmentFiles(dir).length;
    for (let i = 0; segmentFiles(dir).length === before; i += 100)
      await again.append('traces', encodeSpans(spans.slice(i % 3000, (i % 3000) + 100)));
    await again.clear();
    await again.close();
    assert.deepEqual(segmentFiles(dir).length, 1);
    assert.deepEqual(segmentFiles(dir, '.idx'), []);
    assert.deepEqual(segmentFiles(dir, '.tmp'), []);
    assert.equal(open({ dir }).stats().spans, 0);
  });

  it('rebuilds exactly the index its checkpoint holds', async () => {
    const { dir, store } = fresh({ segmentBytes: 64 * 1024 });
    const { spans, traceIds } = generateTraces(150, 10);
    for (let i = 0; i < spans.length; i += 50)
      await store.append('traces', encodeSpans(spans.slice(i, i + 50)));
    await store.append(
      'logs',
      encodeLogs('api', [{ traceId: traceIds[149], spanId: spans[1490]!.spanId, timeNs: 1n, body: 'x' }]),
    );
    await store.close();
    const first = segmentFiles(dir, '.idx')[0]!;
    const checkpointed = loadCheckpoint(new Uint8Array(fs.readFileSync(join(dir, 'segments', first))))!;
    for (const f of segmentFiles(dir, '.idx')) fs.rmSync(join(dir, 'segments', f));
    const reader = StoreReader.open(dir);
    const rebuilt = reader.segments()[0]!.index;
    for (const [[name, a], [, b]] of checkpointed
      .columns()
      .map((c, i) => [c, rebuilt.columns()[i]!] as const))
      assert.deepEqual(Array.from(b.view()), Array.from(a.view()), name);
    assert.deepEqual(rebuilt.scalars(), checkpointed.scalars());
    assert.deepEqual(saveCheckpoint(rebuilt), saveCheckpoint(checkpointed));
    reader.close();
  });

  it('cuts a torn tail on open, logs it, and keeps everything before it', async () => {
    const { dir, store } = fresh();
    const { spans, traceIds } = generateTraces(2, 5);
    await store.append('traces', encodeSpans(spans.slice(0, 5)));
    await store.append('traces', encodeSpans(spans.slice(5)));
    await store.close();
    const seg = join(dir, 'segments', segmentFiles(dir).pop()!);
    const good = fs.statSync(seg).size;
    // Half of a third record: a length that promises more than is there.
    const torn = Buffer.alloc(40);
    torn.writeUInt32LE(5000, 0);
    fs.appendFileSync(seg, torn);
    const logs: string[] = [];
    const again = open({ dir, log: (m) => logs.push(m) });
    assert.equal(fs.statSync(seg).size, good);
    assert.ok(
      logs.some((m) => /cut a torn tail of 40 bytes/.test(m)),
      logs.join('\n'),
    );
    assert.equal(readTrace(again, traceIds[1]!)!.spanCount, 5);
    // A damaged last record (CRC mismatch) is cut the same way.
    await again.append('traces', encodeSpans(generateTraces(1, 2, { seed: 9 }).spans));
    await again.close();
    const size = fs.statSync(seg).size;
    const fd = fs.openSync(seg, 'r+');
    fs.writeSync(fd, Buffer.from([0xff]), 0, 1, size - 3);
    fs.closeSync(fd);
    fs.rmSync(seg.replace(/\.seg$/, '.idx'), { force: true });
    const third = open({ dir, log: (m) => logs.push(m) });
    assert.equal(third.stats().spans, 10);
    assert.ok(fs.statSync(seg).size < size);
  });

  it('drops the oldest segments past the byte limit', async () => {
    const { dir, store, logs } = fresh({ maxBytes: 256 * 1024 });
    const { spans, traceIds } = generateTraces(600, 10);
    for (let i = 0; i < spans.length; i += 100)
      await store.append('traces', encodeSpans(spans.slice(i, i + 100)));
    const bytes = segmentFiles(dir).reduce((n, f) => n + fs.statSync(join(dir, 'segments', f)).size, 0);
    assert.ok(bytes <= 256 * 1024 + store.segmentBytes, `${bytes} bytes on disk`);
    assert.equal(readTrace(store, traceIds[0]!), undefined, 'the oldest trace is gone');
    assert.equal(readTrace(store, traceIds[599]!)!.spanCount, 10, 'the newest is there');
    assert.ok(logs.some((m) => /retention: removed segment \d+ .*over the size limit/.test(m)));
  });

  it('drops segments older than the age limit, sealing the active one when it gets old', async () => {
    let now = 1_700_000_000_000;
    const { store, logs } = fresh({ maxAgeMs: 24 * 3600 * 1000, now: () => now });
    const old = generateTraces(5, 3, { seed: 1 });
    await store.append('traces', encodeSpans(old.spans));
    now += 2 * 3600 * 1000; // past a 24th of the age limit: the active segment is sealed
    await store.maintain();
    const recent = generateTraces(5, 3, { seed: 2 });
    await store.append('traces', encodeSpans(recent.spans));
    assert.equal(store.stats().spans, 30);
    now += 23 * 3600 * 1000; // the first segment is now 25 h old, the second 23 h
    await store.maintain();
    assert.equal(readTrace(store, old.traceIds[0]!), undefined);
    assert.equal(readTrace(store, recent.traceIds[0]!)!.spanCount, 3);
    assert.ok(logs.some((m) => /older than the age limit/.test(m)));
  });

  it('keeps logs with their trace and span IDs, queryable per trace and span', async () => {
    const { store } = fresh();
    const { spans, traceIds } = generateTraces(2, 3);
    await store.append('traces', encodeSpans(spans));
    const t = traceIds[0]!;
    await store.append(
      'logs',
      encodeLogs('api', [
        { traceId: t, spanId: spans[1]!.spanId, timeNs: 1_700_000_000_000_000_002n, body: 'second' },
        {
          traceId: t,
          spanId: spans[0]!.spanId,
          timeNs: 1_700_000_000_000_000_001n,
          body: 'first',
          severity: 17,
        },
        { timeNs: 1_700_000_000_000_000_003n, body: 'no trace' },
        { traceId: traceIds[1], timeNs: 1_700_000_000_000_000_004n, body: 'other trace' },
      ]),
    );
    const all = traceLogs(store, t);
    assert.deepEqual(
      all.map((l) => l.body),
      ['first', 'second'],
    );
    assert.equal(all[0]!.severityNumber, 17);
    assert.equal(all[0]!.spanId, spans[0]!.spanId);
    assert.equal(all[0]!.service, 'api');
    assert.equal(all[0]!.timeUnixNano, '1700000000000000001');
    assert.deepEqual(
      traceLogs(store, t, spans[1]!.spanId).map((l) => l.body),
      ['second'],
    );
    assert.deepEqual(traceLogs(store, t, 'nothex'), []);
    assert.equal(store.stats().logs, 4);
  });

  it('lets a reader follow a running writer without disturbing it', async () => {
    const { dir, store } = fresh({ segmentBytes: 64 * 1024 });
    const { spans, traceIds } = generateTraces(300, 10);
    for (let i = 0; i < 1500; i += 100) await store.append('traces', encodeSpans(spans.slice(i, i + 100)));
    const reader = StoreReader.open(dir);
    assert.equal(reader.stats().spans, 1500);
    assert.equal(readTrace(reader, traceIds[10]!)!.spanCount, 10);
    for (let i = 1500; i < 3000; i += 100) await store.append('traces', encodeSpans(spans.slice(i, i + 100)));
    // A record still being written: half a frame at the end of the active segment.
    const active = join(dir, 'segments', segmentFiles(dir).pop()!);
    const size = fs.statSync(active).size;
    const half = Buffer.alloc(30);
    half.writeUInt32LE(1000, 0);
    fs.appendFileSync(active, half);
    reader.refresh();
    assert.equal(reader.stats().spans, 3000);
    assert.equal(fs.statSync(active).size, size + 30, 'the reader truncates nothing');
    assert.equal(decodeTrace(readTrace(reader, traceIds[299]!)!.bytes).model.spanCount, 10);
    reader.close();
    // The writer overwrites the half frame with its next record.
    fs.truncateSync(active, size);
    await store.append('traces', encodeSpans(generateTraces(1, 1, { seed: 3 }).spans));
    assert.equal(store.stats().spans, 3001);
  });

  it('has one writer: a second open is refused, a stale lock is taken over', async () => {
    const { dir, store } = fresh();
    assert.throws(
      () => TraceStore.open({ dir }),
      (e: unknown) => e instanceof StoreLockedError && e.heldBy.pid === process.pid,
    );
    store.lock.setEndpoints({ queryUrl: 'http://127.0.0.1:1234' });
    assert.equal(readLock(dir)?.queryUrl, 'http://127.0.0.1:1234');
    await store.close();
    assert.equal(fs.existsSync(join(dir, LOCK_FILE)), false, 'close releases the lock');
    // A lock left by a process that is gone (kill -9): taken over at once.
    fs.writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({
        pid: 999999,
        host: hostname(),
        token: 'x',
        heartbeatMs: Date.now(),
      }),
    );
    const logs: string[] = [];
    const next = open({ dir, log: (m) => logs.push(m) });
    assert.ok(logs.some((m) => /took over the store from process 999999/.test(m)));
    // The loser of a takeover notices at its next heartbeat and stops writing.
    let lost = false;
    const other = { ...readLock(dir)!, token: 'someone-else', heartbeatMs: Date.now() };
    fs.writeFileSync(join(dir, LOCK_FILE), JSON.stringify(other));
    next.lock.beat();
    lost = next.stopped;
    assert.equal(lost, true);
    await assert.rejects(next.append('traces', encodeSpans(generateTraces(1, 1).spans)), /closed/);
  });

  it('clears everything and keeps receiving', async () => {
    const { dir, store } = fresh();
    const a = generateTraces(3, 3, { seed: 4 });
    await store.append('traces', encodeSpans(a.spans));
    await store.clear();
    assert.equal(store.stats().spans, 0);
    assert.equal(readTrace(store, a.traceIds[0]!), undefined);
    assert.equal(segmentFiles(dir).length, 1);
    const b = generateTraces(1, 2, { seed: 5 });
    await store.append('traces', encodeSpans(b.spans));
    assert.equal(readTrace(store, b.traceIds[0]!)!.spanCount, 2);
  });
});
