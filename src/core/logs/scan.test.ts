import { strict as assert } from 'node:assert';
import { cleanLogLine, lineTimeMs, scanLogText, type SpanLogQuery } from './index';

const TRACE = '85c5a3cd3c3f9a71b94e6401754cd3e0';
const SPAN = '8d1dda82ef19302e';
const OTHER = 'e2260803812860b2';
/** 2026-11-23T21:38:12.000Z and a second later: the span's window. */
const START = Date.UTC(2026, 10, 23, 21, 38, 12);
const query: SpanLogQuery = { traceId: TRACE, spanId: SPAN, windowMs: [START, START + 1000] };

describe('core/logs: the lines of a span', () => {
  it('finds lines that carry the span ID in any form the detector knows, and as a bare token', () => {
    const text = [
      `2026-11-23T21:38:11.532Z INFO [batch-worker,${TRACE},${OTHER}] batch received`,
      `2026-11-23T21:38:12.335Z WARN [batch-worker,${TRACE},${SPAN}] slow item`,
      `{"time":1795469891531,"traceId":"${TRACE}","spanId":"${SPAN}","msg":"json"}`,
      `level=info span_id=${SPAN.toUpperCase()} msg="upper case, no trace"`,
      `traceparent: 00-${TRACE}-${SPAN}-01`,
      `not a token: x${SPAN}y and ${SPAN}0`,
    ].join('\n');
    const r = scanLogText(text, query);
    assert.deepEqual(
      r.span.map((h) => h.line),
      [1, 2, 3, 4],
    );
    assert.ok(r.span.every((h) => h.by === 'span'));
    assert.equal(r.span[0]!.timeMs, Date.UTC(2026, 10, 23, 21, 38, 12, 335));
    assert.equal(r.span[1]!.timeMs, 1795469891531);
    assert.equal(r.truncated, false);
  });

  it('falls back to lines with the trace ID and no span ID inside the span’s window', () => {
    const text = [
      `2026-11-23T21:38:11.000Z trace_id=${TRACE} before the span`,
      `2026-11-23T21:38:12.500Z trace_id=${TRACE} inside the span`,
      `2026-11-23T21:38:12.600Z trace_id=${TRACE} span_id=${OTHER} another span's line`,
      `trace_id=${TRACE} no timestamp`,
      `2026-11-23T21:38:14.000Z trace_id=${TRACE} after the span`,
      `2026-11-23T21:38:12.700Z trace_id=0af7651916cd43dd8448eb211c80319c another trace`,
    ].join('\r\n');
    const r = scanLogText(text, query);
    assert.deepEqual(r.span, []);
    assert.deepEqual(
      r.trace.map((h) => [h.line, h.text]),
      [[1, `2026-11-23T21:38:12.500Z trace_id=${TRACE} inside the span`]],
    );
  });

  it('keeps at most maxHits lines and says so', () => {
    const text = Array.from({ length: 50 }, (_, k) => `line ${k} span=${SPAN}`).join('\n');
    const r = scanLogText(text, query, { maxHits: 10 });
    assert.equal(r.span.length, 10);
    assert.equal(r.span[9]!.line, 9);
    assert.equal(r.truncated, true);
  });

  it('cleans lines for display: colour escapes out, control characters as spaces, long lines cut', () => {
    assert.equal(cleanLogLine('\u001b[32mINFO\u001b[0m a\u0007b\t'), 'INFO a b');
    const long = cleanLogLine('x'.repeat(1000), 50);
    assert.equal(long.length, 50);
    assert.ok(long.endsWith('…'));
    const text = `\u001b[36mpod\u001b[0m ${'y'.repeat(900)} span_id=${SPAN}`;
    assert.equal(scanLogText(text, query).span[0]!.text.length, 400);
  });

  it('reads the timestamps loggers write', () => {
    assert.equal(lineTimeMs('2026-11-23T21:30:01.902Z INFO x'), Date.UTC(2026, 10, 23, 21, 30, 1, 902));
    assert.equal(lineTimeMs('at 2026-11-23T22:30:01+01:00 x'), Date.UTC(2026, 10, 23, 21, 30, 1));
    assert.equal(
      lineTimeMs('2026-11-23 21:36:40,112 INFO'),
      new Date(2026, 10, 23, 21, 36, 40, 112).getTime(),
    );
    assert.equal(lineTimeMs('{"level":30,"time":1795469400870}'), 1795469400870);
    assert.equal(lineTimeMs('ts=1795469400.5 msg=x'), 1795469400500);
    assert.equal(lineTimeMs('"timestamp": 1795469400870123456'), 1795469400870.123);
    assert.equal(lineTimeMs('no time here 12345'), undefined);
    assert.equal(lineTimeMs('2026-13-40T99:00:00Z'), undefined);
  });
});
