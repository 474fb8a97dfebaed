import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileBackend } from '../backends/file/backend';
import { decodeTrace, type DecodedTrace } from '../decode';
import { encodeOtlpProto } from '../decode/testing/otlpEncode';
import { fixtureFiles, TEMPO_FIXTURES } from '../decode/testing/testSupport';
import { spanIdAt } from '../../shared/model';
import { anyValue, otlpJsonText } from './otlpJson';

/** Every kind of value, event, link and status a trace can carry; IDs base64 as Tempo writes them. */
const ALL_TYPES = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: 'checkout' } },
          { key: 'host.cpus', value: { intValue: '8' } },
        ],
      },
      scopeSpans: [
        {
          scope: {
            name: 'io.opentelemetry.http',
            version: '1.2.3',
            attributes: [{ key: 's', value: { boolValue: true } }],
          },
          spans: [
            {
              traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
              spanId: 'AAAAAAAAAAE=',
              name: 'POST /checkout',
              kind: 'SPAN_KIND_SERVER',
              startTimeUnixNano: '1795469687728000001',
              endTimeUnixNano: '1795469687929000003',
              attributes: [
                { key: 'str', value: { stringValue: 'héllo "quoted" \u2028 line' } },
                { key: 'looks.numeric', value: { stringValue: '42' } },
                { key: 'bool', value: { boolValue: false } },
                { key: 'int', value: { intValue: '-17' } },
                { key: 'int64.max', value: { intValue: '9223372036854775807' } },
                { key: 'int64.min', value: { intValue: '-9223372036854775808' } },
                { key: 'int.2^53+1', value: { intValue: '9007199254740993' } },
                { key: 'double', value: { doubleValue: 3.141592653589793 } },
                { key: 'double.whole', value: { doubleValue: 2 } },
                { key: 'double.tiny', value: { doubleValue: 5e-324 } },
                { key: 'double.nan', value: { doubleValue: 'NaN' } },
                {
                  key: 'array',
                  value: { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'two' }] } },
                },
                {
                  key: 'map',
                  value: { kvlistValue: { values: [{ key: 'k', value: { boolValue: true } }] } },
                },
                { key: 'bytes', value: { bytesValue: 'AQID/w==' } },
                { key: 'empty', value: {} },
              ],
              events: [
                {
                  timeUnixNano: '1795469687728000999',
                  name: 'exception',
                  attributes: [
                    { key: 'exception.type', value: { stringValue: 'Error' } },
                    {
                      key: 'exception.stacktrace',
                      value: { stringValue: 'Error: x\n    at f (/app/a.ts:3:5)' },
                    },
                  ],
                },
              ],
              links: [
                {
                  traceId: 'AAAAAAAAAAAAAAAAAAAAAQ==',
                  spanId: 'AAAAAAAAAAI=',
                  attributes: [{ key: 'link.kind', value: { stringValue: 'follows' } }],
                },
              ],
              status: { code: 'STATUS_CODE_ERROR', message: 'card declined' },
            },
            {
              traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
              spanId: 'AAAAAAAAAAM=',
              parentSpanId: 'AAAAAAAAAAE=',
              name: 'negative',
              kind: 3,
              startTimeUnixNano: '1795469687728000500',
              endTimeUnixNano: '1795469687728000400',
              status: { code: 1 },
            },
            {
              traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
              spanId: 'AAAAAAAAAAQ=',
              parentSpanId: 'AAAAAAAAAAk=',
              name: 'orphan',
              startTimeUnixNano: '1795469687728000600',
              endTimeUnixNano: '1795469688728000600',
            },
          ],
        },
      ],
    },
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'payments' } }] },
      scopeSpans: [
        {
          scope: { name: '' },
          spans: [
            {
              traceId: 'CvdlGRbNQ92ESOshHIAxnA==',
              spanId: 'AAAAAAAAAAU=',
              parentSpanId: 'AAAAAAAAAAE=',
              name: 'charge',
              kind: 3,
              startTimeUnixNano: '1795469687728100000',
              endTimeUnixNano: '1795469687928100000',
              attributes: [{ key: 'code.function', value: { stringValue: 'charge' } }],
            },
          ],
        },
      ],
    },
  ],
};

/** The model and every detail, by value (string-table indexes read as their strings). */
function snapshot(d: DecodedTrace): unknown {
  const m = d.model;
  const c = m.columns;
  const spans = [];
  for (let i = 0; i < m.spanCount; i++) {
    spans.push({
      id: spanIdAt(c, i),
      parent: c.parent[i],
      start: c.startNs[i],
      duration: c.durationNs[i],
      depth: c.depth[i],
      children: c.childCount[i],
      name: m.strings[c.name[i]!],
      service: m.services[c.service[i]!],
      kind: c.kind[i],
      status: c.status[i],
      flags: c.flags[i],
      detail: d.detail(i),
    });
  }
  return {
    traceId: m.traceId,
    spanCount: m.spanCount,
    start: m.traceStartUnixNano,
    durationNs: m.durationNs,
    services: [...m.services].sort(),
    spans,
  };
}

/** Writes `d` out and reads the file back through the file backend. */
async function roundTrip(d: DecodedTrace): Promise<{ text: string; back: DecodedTrace }> {
  const text = otlpJsonText(d);
  const files = new Map([['/saved/trace.json', new TextEncoder().encode(text)]]);
  const backend = new FileBackend({
    path: '/saved/trace.json',
    readFile: async (p) => {
      const f = files.get(p);
      if (!f) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return f;
    },
  });
  const result = await backend.loadFile('/saved/trace.json');
  return { text, back: result.decoded };
}

describe('export: OTLP/JSON round trip (Save Trace As…)', () => {
  it('every value type, events, links, status, a negative duration and an orphan read back the same', async () => {
    const d = decodeTrace(JSON.stringify(ALL_TYPES));
    const { text, back } = await roundTrip(d);
    assert.deepEqual(snapshot(back), snapshot(d));
    // 64-bit integers stay integers in the file, at full precision.
    assert.match(text, /"intValue": "9223372036854775807"/);
    assert.match(text, /"intValue": "-9223372036854775808"/);
    assert.match(text, /"intValue": "9007199254740993"/);
    assert.match(text, /"stringValue": "42"/);
    assert.match(text, /"startTimeUnixNano": "1795469687728000001"/);
  });

  it('the same trace from protobuf reads back the same', async () => {
    const d = decodeTrace(encodeOtlpProto(ALL_TYPES));
    const { back } = await roundTrip(d);
    assert.deepEqual(snapshot(back), snapshot(d));
  });

  const traces = fixtureFiles().flatMap((f) => {
    if (!/\.(json|pb)$/.test(f)) return [];
    const bytes = readFileSync(join(TEMPO_FIXTURES, f));
    try {
      return [{ f, d: decodeTrace(new Uint8Array(bytes)) }];
    } catch {
      return []; // search answers, tags, errors: not traces
    }
  });

  it('finds the recorded traces to test', () => {
    assert.ok(traces.length >= 6, `only ${traces.length} traces among the fixtures`);
  });

  for (const { f, d } of traces) {
    it(`${f}: reads back to the same model and details`, async () => {
      const { back } = await roundTrip(d);
      assert.deepEqual(snapshot(back), snapshot(d));
    });
  }

  it('a hostile trace reads back the same', async () => {
    const bytes = readFileSync(join(TEMPO_FIXTURES, '..', 'hostile', 'hostile-trace.json'));
    const d = decodeTrace(new Uint8Array(bytes));
    const { back } = await roundTrip(d);
    assert.deepEqual(snapshot(back), snapshot(d));
  });

  it('values map to the OTLP field that decodes back to them', () => {
    assert.deepEqual(anyValue(null), {});
    assert.deepEqual(anyValue(true), { boolValue: true });
    assert.deepEqual(anyValue(7), { intValue: '7' });
    assert.deepEqual(anyValue(0.5), { doubleValue: 0.5 });
    assert.deepEqual(anyValue(1e300), { doubleValue: 1e300 });
    assert.deepEqual(anyValue('9223372036854775808'), { stringValue: '9223372036854775808' }); // beyond int64
    assert.deepEqual(anyValue('0012345678901234567'), { stringValue: '0012345678901234567' });
  });
});
