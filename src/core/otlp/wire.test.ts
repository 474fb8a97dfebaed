import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTrace } from '../decode';
import { ATTR_BOOL, ATTR_INT, ATTR_STR, SPAN_ERROR, SPAN_HAS_PARENT } from './batch';
import { jsonToProto, OtlpDecodeError } from './json';
import { ProtoWriter } from './protoWriter';
import { scanLogs, scanTraces } from './scan';
import { protoToJson } from './toJson';

const FIXTURES = join(__dirname, '../../../test/fixtures/tempo');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const text = (b: Uint8Array, off: number, len: number) => Buffer.from(b.subarray(off, off + len)).toString();

/** Tempo's v1 JSON uses `batches`; as an export request it is `resourceSpans`. */
function asExport(doc: unknown): unknown {
  const o = doc as { batches?: unknown; resourceSpans?: unknown };
  return { resourceSpans: o.batches ?? o.resourceSpans };
}

describe('OTLP wire formats', () => {
  it('writes canonical length prefixes for nested messages of any size', () => {
    for (const size of [0, 1, 127, 128, 300, 16383, 16384, 70000]) {
      const w = new ProtoWriter(4);
      w.begin(1);
      w.begin(2);
      w.raw(new Uint8Array(size).fill(7));
      w.end();
      w.end();
      const out = w.finish();
      // Parse back by hand: tag, varint length, tag, varint length, body.
      let p = 0;
      const varint = () => {
        let v = 0;
        let shift = 0;
        for (;;) {
          const b = out[p++]!;
          v += (b & 0x7f) * 2 ** shift;
          shift += 7;
          if (b < 0x80) return v;
        }
      };
      assert.equal(out[p++], 0x0a);
      const outer = varint();
      assert.equal(outer, out.length - p);
      assert.equal(out[p++], 0x12);
      assert.equal(varint(), size);
      assert.equal(out.length - p, size);
      assert.ok(out.subarray(p).every((b) => b === 7));
    }
  });

  it('transcodes OTLP/JSON (hex IDs, integer enums) and Tempo JSON (base64, names) to the same trace', () => {
    const spec = jsonToProto(
      'ExportTraceServiceRequest',
      fixture('otlp-json-ingest-input-5B.observatorium.json'),
    );
    const tempo = jsonToProto(
      'ExportTraceServiceRequest',
      asExport(fixture('tempo-2.9.0-v1-trace-by-id.observatorium.json')),
    );
    const a = decodeTrace(spec, 'otlp-proto').model;
    const b = decodeTrace(tempo, 'otlp-proto').model;
    assert.equal(a.traceId, '5b8efff798038103d269b633813fc60c');
    assert.equal(b.traceId, a.traceId);
    assert.deepEqual(b.strings, a.strings);
    assert.equal(a.traceStartUnixNano, '1544712660000000000');
    assert.equal(b.traceStartUnixNano, a.traceStartUnixNano);
    assert.deepEqual(Array.from(b.columns.kind), Array.from(a.columns.kind));
  });

  it('round-trips a real trace: protobuf → Tempo JSON → protobuf decodes to the same model', () => {
    const pb = new Uint8Array(
      readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    );
    const json = protoToJson('TracesData', pb);
    const again = jsonToProto('ExportTraceServiceRequest', json);
    const a = decodeTrace(pb, 'otlp-proto');
    const b = decodeTrace(again, 'otlp-proto');
    assert.equal(b.model.traceId, a.model.traceId);
    assert.equal(b.model.spanCount, 6);
    assert.deepEqual(b.model.strings, a.model.strings);
    assert.deepEqual(Array.from(b.model.columns.startNs), Array.from(a.model.columns.startNs));
    for (let i = 0; i < a.model.spanCount; i++) assert.deepEqual(b.detail(i), a.detail(i));
    // And the JSON is Tempo's style: base64 IDs, enum names, int64 as strings.
    const span = (json.resourceSpans as { scopeSpans: { spans: Record<string, unknown>[] }[] }[])[0]!
      .scopeSpans[0]!.spans[0]!;
    assert.match(String(span.traceId), /^[A-Za-z0-9+/]{22}==$/);
    assert.match(String(span.kind), /^SPAN_KIND_/);
    assert.match(String(span.startTimeUnixNano), /^\d{19}$/);
  });

  it('names the path of a value of the wrong type', () => {
    const bad = {
      resourceSpans: [
        { scopeSpans: [{ spans: [{ traceId: '5b8efff798038103d269b633813fc60c', name: 42 }] }] },
      ],
    };
    assert.throws(
      () => jsonToProto('ExportTraceServiceRequest', bad),
      (e: unknown) =>
        e instanceof OtlpDecodeError &&
        /resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.name: expected a string/.test(e.message),
    );
    assert.throws(() => jsonToProto('ExportTraceServiceRequest', { resourceSpans: {} }), /expected an array/);
    assert.throws(() => jsonToProto('ExportTraceServiceRequest', []), /expected an object/);
    const badTime = { resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: '12abc' }] }] }] };
    assert.throws(
      () => jsonToProto('ExportTraceServiceRequest', badTime),
      /startTimeUnixNano: expected an integer/,
    );
    const badKind = { resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SPAN_KIND_WHATEVER' }] }] }] };
    assert.throws(() => jsonToProto('ExportTraceServiceRequest', badKind), /kind: unknown value/);
  });

  it('scans spans: IDs, times, names, attributes, service, and flags', () => {
    const pb = new Uint8Array(
      readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    );
    const b = scanTraces(pb);
    assert.equal(b.count, 6);
    assert.equal(b.rejected, 0);
    const names = Array.from({ length: b.count }, (_, i) => text(pb, b.nameOff.data[i]!, b.nameLen.data[i]!));
    assert.ok(names.includes('workflow.execute'));
    const root = names.indexOf('workflow.execute');
    assert.equal(b.flags.data[root]! & SPAN_HAS_PARENT, 0);
    assert.equal(b.flags.view().filter((f) => f & SPAN_ERROR).length, 1);
    const hex = Array.from(b.traceId.data.subarray(0, 4), (w) => w.toString(16).padStart(8, '0')).join('');
    assert.equal(hex, '1ee91d9a9907b7d1d81164bfbcfda7fb');
    const services = new Set(
      Array.from({ length: b.count }, (_, i) => {
        const res = b.scopes.scopeResource[b.scope.data[i]!]!;
        return text(pb, b.scopes.serviceOff[res]!, b.scopes.serviceLen[res]!);
      }),
    );
    assert.deepEqual([...services].sort(), ['data-fetch', 'notifier', 'workflow-engine']);
    const kinds = new Set<number>();
    for (let k = 0; k < b.attrs.length; k++) kinds.add(b.attrs.type.data[k]!);
    assert.ok(kinds.has(ATTR_STR) && kinds.has(ATTR_INT));
    // Each span's message bytes are where the scan says.
    for (let i = 0; i < b.count; i++) {
      const one = new ProtoWriter();
      one.begin(1);
      one.begin(2);
      one.bytes(2, pb, b.off.data[i]!, b.off.data[i]! + b.len.data[i]!);
      one.end();
      one.end();
      assert.equal(decodeTrace(one.finish(), 'otlp-proto').model.spanCount, 1);
    }
    assert.equal(ATTR_BOOL, 4);
  });

  it('rejects spans without a valid trace or span ID and counts them', () => {
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok' },
                { spanId: 'eee19b7ec3c1b175', name: 'no trace' },
                { traceId: '00000000000000000000000000000000', spanId: 'eee19b7ec3c1b176' },
                { traceId: '5b8efff798038103d269b633813fc60c', name: 'no span id' },
              ],
            },
          ],
        },
      ],
    };
    const b = scanTraces(jsonToProto('ExportTraceServiceRequest', doc));
    assert.equal(b.count, 1);
    assert.equal(b.rejected, 3);
    assert.equal(b.rejectReason, 'a span has no trace ID');
  });

  it('reads the fields an SDK sets that the index does not use (flags, dropped counts, trace state)', () => {
    const doc = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                  traceState: 'a=b',
                  flags: 257,
                  droppedAttributesCount: 2,
                  droppedEventsCount: 1,
                  droppedLinksCount: 3,
                  links: [
                    { traceId: '5b8efff798038103d269b633813fc60d', spanId: 'eee19b7ec3c1b175', flags: 1 },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const b = scanTraces(jsonToProto('ExportTraceServiceRequest', doc));
    assert.equal(b.count, 1);
    assert.equal(b.rejected, 0);
  });

  it('scans into a reused batch exactly as into a new one', () => {
    const big = new Uint8Array(
      readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    );
    const small = jsonToProto('ExportTraceServiceRequest', {
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'one' } }] },
          scopeSpans: [
            {
              spans: [
                { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'ok' },
                { spanId: 'eee19b7ec3c1b175', name: 'no trace' },
              ],
            },
          ],
        },
      ],
    });
    /** Everything a batch holds, as plain values. */
    const snapshot = (b: ReturnType<typeof scanTraces>) => ({
      count: b.count,
      rejected: b.rejected,
      reason: b.rejectReason,
      columns: [
        b.traceId,
        b.spanHi,
        b.spanLo,
        b.startLo,
        b.startHi,
        b.endLo,
        b.endHi,
        b.nameOff,
        b.nameLen,
        b.kind,
        b.status,
        b.flags,
        b.off,
        b.len,
        b.scope,
        b.attrEnd,
        b.attrs.keyOff,
        b.attrs.keyLen,
        b.attrs.type,
        b.attrs.valOff,
        b.attrs.valLen,
        b.attrs.num,
        b.scopes.resAttrs.keyOff,
        b.scopes.resAttrs.type,
        b.scopes.resAttrs.valOff,
      ].map((g) => Array.from(g.view())),
      scopes: JSON.stringify({ ...b.scopes, resAttrs: undefined }),
    });
    const reused = scanTraces(big);
    assert.equal(scanTraces(small, reused), reused);
    assert.deepEqual(snapshot(reused), snapshot(scanTraces(small)));
    // And back: a batch that was small takes a bigger body.
    assert.deepEqual(snapshot(scanTraces(big, reused)), snapshot(scanTraces(big)));
  });

  it('refuses bodies that are not an export request', () => {
    const truncated = new Uint8Array(
      readFileSync(join(FIXTURES, 'tempo-3.0.3/v1-1ee91d9a9907b7d1d81164bfbcfda7fb.pb')),
    ).subarray(0, 500);
    assert.throws(
      () => scanTraces(truncated),
      (e: unknown) => e instanceof OtlpDecodeError && /not a valid OTLP/.test(e.message),
    );
    // Field 1 as a varint: the wrong wire type.
    assert.throws(() => scanTraces(new Uint8Array([0x08, 0x01])), /wire type 0/);
    // A span name given as a fixed64.
    const w = new ProtoWriter();
    w.begin(1);
    w.begin(2);
    w.begin(2);
    w.tag(5, 1);
    w.fixed64(1, 2);
    w.end();
    w.end();
    w.end();
    assert.throws(() => scanTraces(w.finish()), /field name of a Span has wire type 1/);
    assert.throws(() => scanTraces(new TextEncoder().encode('{"resourceSpans":[]}')), OtlpDecodeError);
  });

  it('scans log records with their trace and span IDs', () => {
    const doc = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1700000000000000001',
                  severityNumber: 9,
                  body: { stringValue: 'hello' },
                  traceId: '5b8efff798038103d269b633813fc60c',
                  spanId: 'eee19b7ec3c1b174',
                },
                { observedTimeUnixNano: '1700000000000000002', body: { stringValue: 'no trace' } },
                { traceId: '5b8e', body: { stringValue: 'bad id' } },
              ],
            },
          ],
        },
      ],
    };
    const b = scanLogs(jsonToProto('ExportLogsServiceRequest', doc));
    assert.equal(b.count, 2);
    assert.equal(b.rejected, 1);
    assert.deepEqual(Array.from(b.hasTrace.view()), [1, 0]);
    assert.equal(b.spanLo.data[0], 0xc3c1b174);
    assert.equal((BigInt(b.timeHi.data[1]!) << 32n) | BigInt(b.timeLo.data[1]!), 1700000000000000002n);
    assert.equal(b.severity.data[0], 9);
  });
});
