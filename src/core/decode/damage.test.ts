/**
 * Damaged trace data (issue 17, item 7): it fails once, cleanly, and the same way in JSON and in
 * protobuf. A bad string escape is a `TraceDecodeError` with a position; damage inside a span's
 * details is that span's damaged detail (never an exception later, never a silent undefined);
 * absurd times are clamped with a warning instead of stretching the trace over centuries.
 */
import { strict as assert } from 'node:assert';
import { spanIdAt, type SpanDetail, type TraceModel } from '../../shared/model';
import { decodeTrace, readDetail, TraceDecodeError, type DecodedTrace } from '.';
import { findJsonError } from './jsonError';
import { encodeOtlpProto, encodeTraceByIdResponse } from './testing/otlpEncode';
import { BASE_NS, otlpTrace, sid, TRACE_ID } from './testing/testSupport';

const enc = new TextEncoder();
const utf8 = new TextDecoder();

function malformed(fn: () => unknown): TraceDecodeError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof TraceDecodeError, `a TraceDecodeError, got ${String(caught)}`);
  assert.equal(caught.kind, 'malformed', caught.message);
  return caught;
}

function columns(m: TraceModel): unknown {
  return Object.fromEntries(
    Object.entries(m.columns).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)]),
  );
}

/** Every detail of a decoded trace; fails the test if one throws or is missing. */
function allDetails(d: DecodedTrace): SpanDetail[] {
  return Array.from({ length: d.model.spanCount }, (_, i) => {
    const detail = d.detail(i);
    assert.ok(detail, `detail(${i})`);
    return detail;
  });
}

function damagedIds(d: DecodedTrace): string[] {
  return allDetails(d)
    .filter((x) => x.damaged !== undefined)
    .map((x) => spanIdAt(d.model.columns, x.index))
    .sort();
}

const kv = (key: string, value: string) => ({ key, value: { stringValue: value } });
const t = (ns: number) => String(BASE_NS + BigInt(ns));

/**
 * A trace whose detail regions each hold one marker string: a span attribute (span 1), an event
 * attribute (span 2), a link attribute (span 3), a resource attribute and a scope attribute
 * (service "api", spans 1 and 2), and a span name (span 4).
 */
function markedDoc(): { resourceSpans: unknown[] } {
  const span = (n: number, parent: number, name: string, start: number, end: number, extra = {}) => ({
    traceId: TRACE_ID,
    spanId: sid(n),
    ...(parent ? { parentSpanId: sid(parent) } : {}),
    name,
    kind: 2,
    startTimeUnixNano: t(start),
    endTimeUnixNano: t(end),
    ...extra,
  });
  return {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', 'api'), kv('host.name', 'mark-res')] },
        scopeSpans: [
          {
            scope: { name: 'lib', version: '1.0', attributes: [kv('lib.kind', 'mark-scope')] },
            spans: [
              span(1, 0, 'GET /cart', 0, 1000, {
                attributes: [kv('code.filepath', 'src/cart.ts'), kv('http.route', 'mark-attr')],
              }),
              span(2, 1, 'load cart', 100, 400, {
                events: [
                  {
                    name: 'exception',
                    timeUnixNano: t(150),
                    attributes: [kv('exception.type', 'Error'), kv('exception.message', 'mark-event')],
                  },
                ],
                status: { code: 2, message: 'failed' },
              }),
            ],
          },
        ],
      },
      {
        resource: { attributes: [kv('service.name', 'db')] },
        scopeSpans: [
          {
            scope: { name: 'sql' },
            spans: [
              span(3, 1, 'SELECT', 450, 900, {
                links: [{ traceId: TRACE_ID, spanId: sid(9), attributes: [kv('why', 'mark-link')] }],
              }),
              span(4, 3, 'mark-name', 500, 600),
            ],
          },
        ],
      },
    ],
  };
}

/** Damage applied to the JSON text at a marker's string `"mark-…"`: kept inside the value's brackets. */
const jsonDamage: Record<string, (text: string, marker: string) => string> = {
  'a bad escape': (text, m) => text.replace(`"${m}"`, `"${m.replace('-', '\\q')}"`),
  'a bad escape before byte 0xf3': (text, m) => text.replace(`"${m}"`, `"${m.replace('-', '\\\u00f3')}"`),
  'a bare word': (text, m) => text.replace(`"${m}"`, m),
  'a missing value': (text, m) => text.replace(`"${m}"`, ''),
};

/** Damage applied to the protobuf bytes at a marker's string field (tag, length, bytes). */
const protoDamage: Record<string, (bytes: Uint8Array, marker: string) => Uint8Array> = {
  'a length past its message': (bytes, m) => patch(bytes, m, -1, 0x7f),
  'a wire type traces never use': (bytes, m) => patch(bytes, m, -2, 0x0f),
};

function patch(bytes: Uint8Array, marker: string, delta: number, value: number): Uint8Array {
  const at = Buffer.from(bytes).indexOf(marker);
  assert.ok(at > 2, `marker ${marker} in the protobuf`);
  const out = new Uint8Array(bytes);
  out[at + delta] = value;
  return out;
}

const TARGETS: [marker: string, damaged: number[]][] = [
  ['mark-attr', [1]],
  ['mark-event', [2]],
  ['mark-link', [3]],
  ['mark-res', [1, 2]],
  ['mark-scope', [1, 2]],
];

describe('damaged trace data', () => {
  describe('a bad string escape (7a)', () => {
    const good = JSON.stringify(otlpTrace([{ id: sid(1), name: 'XX', start: 0, end: 10 }]));
    const withBadName = (): Uint8Array => {
      const k = good.indexOf('"XX"');
      return Uint8Array.from([
        ...enc.encode(good.slice(0, k)),
        ...enc.encode('"I am a\\'),
        0xf3,
        ...enc.encode('pan!"'),
        ...enc.encode(good.slice(k + 4)),
      ]);
    };

    it('in a span name is a TraceDecodeError with the byte, line and column, from bytes and from text', () => {
      const bytes = withBadName();
      const badAt = bytes.indexOf(0x5c);
      for (const input of [bytes, utf8.decode(bytes)]) {
        const err = malformed(() => decodeTrace(input));
        assert.match(
          err.message,
          new RegExp(
            `^The response is not valid JSON: a bad escape .* at byte ${badAt} of \\d+ \\(line 1, column ${badAt + 1}\\)\\. It may be truncated or damaged\\.$`,
          ),
        );
        assert.doesNotMatch(err.message, /I am a|pan!/, 'no trace text in the message');
      }
    });

    it('in a service name, a status message or a \\u escape is one too', () => {
      const cases = [
        good.replace('"svc"', '"s\\vc"'),
        JSON.stringify({ trace: JSON.parse(good), status: 'PARTIAL', message: 'x' }).replace(
          '"message":"x"',
          '"message":"\\x41"',
        ),
        good.replace('"XX"', '"X\\u12G4"'),
      ];
      for (const text of cases) {
        const err = malformed(() => decodeTrace(enc.encode(text)));
        assert.match(
          err.message,
          /not valid JSON: a (bad escape|\\u escape without four hex digits) .*at byte \d+/,
        );
      }
    });

    it('finds the first error exactly where JSON.parse fails (5,000 mutated documents)', () => {
      const base = JSON.stringify(markedDoc());
      const pieces = [
        '"',
        '{',
        '}',
        '[',
        ']',
        ':',
        ',',
        '\\',
        'x',
        '0',
        '-',
        'e',
        '.',
        ' ',
        '\n',
        '\u0001',
        '\u00f3',
        'true',
        'nul',
      ];
      let seed = 7;
      const rand = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      let broken = 0;
      for (let k = 0; k < 5000; k++) {
        let text = base;
        for (let m = 1 + rand(3); m > 0; m--) {
          const at = rand(text.length);
          const cut = rand(3);
          text = text.slice(0, at) + (rand(4) ? pieces[rand(pieces.length)] : '') + text.slice(at + cut);
        }
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        const found = findJsonError(enc.encode(text));
        assert.equal(found === undefined, parses, `${JSON.stringify(text.slice(0, 80))}…: ${found?.what}`);
        if (found) broken++;
      }
      assert.ok(broken > 2500, `only ${broken} of 5000 mutations broke the JSON`);
    });
  });

  describe('damage inside a span\u2019s details (7b)', () => {
    const doc = markedDoc();
    const json = JSON.stringify(doc);
    const proto = encodeOtlpProto(doc);

    it('undamaged, the JSON and protobuf details are the same', () => {
      const j = decodeTrace(enc.encode(json));
      const p = decodeTrace(proto);
      assert.deepEqual(columns(j.model), columns(p.model));
      assert.deepEqual(allDetails(j), allDetails(p));
      assert.deepEqual(damagedIds(j), []);
    });

    for (const [marker, spans] of TARGETS) {
      for (const [jName, jDamage] of Object.entries(jsonDamage)) {
        for (const [pName, pDamage] of Object.entries(protoDamage)) {
          it(`${marker}: ${jName} (JSON) and ${pName} (protobuf) damage spans ${spans.join(', ')} alike`, () => {
            const j = decodeTrace(enc.encode(jDamage(json, marker)));
            const p = decodeTrace(pDamage(proto, marker));
            const clean = decodeTrace(proto);
            // The trace itself is untouched: same columns, same warnings.
            assert.deepEqual(columns(j.model), columns(clean.model));
            assert.deepEqual(columns(p.model), columns(clean.model));
            assert.deepEqual(j.model.warnings, clean.model.warnings);
            assert.deepEqual(p.model.warnings, clean.model.warnings);
            const want = spans.map(sid).sort();
            assert.deepEqual(damagedIds(j), want, 'JSON');
            assert.deepEqual(damagedIds(p), want, 'protobuf');
            const jd = allDetails(j);
            const pd = allDetails(p);
            const cd = allDetails(clean);
            for (let i = 0; i < cd.length; i++) {
              if (jd[i]!.damaged === undefined) {
                assert.deepEqual(jd[i], cd[i], `JSON detail(${i})`);
                assert.deepEqual(pd[i], cd[i], `protobuf detail(${i})`);
                continue;
              }
              for (const d of [jd[i]!, pd[i]!]) {
                assert.match(
                  d.damaged!,
                  /^The attributes, events and links of this span are damaged in the trace data \(near byte \d+ of \d+\), so they cannot be shown; the rest of the trace is not affected\.$/,
                );
                assert.equal(d.spanId, cd[i]!.spanId);
                assert.equal(d.parentSpanId, cd[i]!.parentSpanId);
                assert.deepEqual([d.attributes, d.events, d.links, d.resource], [[], [], [], []]);
              }
            }
          });
        }
      }
    }

    it('damage where the columns are read (a span name) rejects the trace in both formats', () => {
      for (const damage of Object.values(jsonDamage).slice(0, 3))
        malformed(() => decodeTrace(enc.encode(damage(json, 'mark-name'))));
      for (const damage of Object.values(protoDamage))
        malformed(() => decodeTrace(damage(proto, 'mark-name')));
    });

    it('a truncated body is rejected by both formats, wherever it is cut', () => {
      const jsonV2 = enc.encode(JSON.stringify({ trace: doc }));
      const protoV2 = encodeTraceByIdResponse(proto);
      // The protobuf trace field ends here; a cut after it leaves a whole trace.
      const traceEnd = protoV2.length - (protoV2.length - proto.length - 3);
      for (let k = 1; k < 60; k++) {
        const jc = Math.floor((k / 60) * jsonV2.length);
        const pc = Math.floor((k / 60) * traceEnd);
        malformed(() => decodeTrace(jsonV2.subarray(0, jc)));
        malformed(() => decodeTrace(protoV2.subarray(0, pc)));
      }
    });

    it('a flipped byte anywhere never makes a detail throw, in either format', () => {
      for (const body of [enc.encode(json), proto]) {
        let accepted = 0;
        for (let i = 0; i < body.length; i++) {
          const b = new Uint8Array(body);
          b[i] = b[i]! ^ (i % 2 ? 0xff : 0x01);
          let d: DecodedTrace;
          try {
            d = decodeTrace(b);
          } catch (err) {
            assert.ok(err instanceof TraceDecodeError, `byte ${i}: ${String(err)}`);
            continue;
          }
          accepted++;
          allDetails(d);
        }
        assert.ok(accepted > body.length / 4, `${accepted} of ${body.length} flipped bodies decoded`);
      }
    });

    it('attribute values nested 40 deep read the same in both formats, and 100,000 deep do not throw', () => {
      let value: unknown = { stringValue: 'leaf' };
      for (let k = 0; k < 40; k++) value = { arrayValue: { values: [value] } };
      const deep = markedDoc();
      const first = (deep.resourceSpans[0] as { scopeSpans: { spans: { attributes: unknown[] }[] }[] })
        .scopeSpans[0]!.spans[0]!;
      first.attributes.push({ key: 'deep', value });
      const j = decodeTrace(enc.encode(JSON.stringify(deep)));
      const p = decodeTrace(encodeOtlpProto(deep));
      assert.deepEqual(j.detail(0), p.detail(0));
      assert.match(String(j.detail(0)!.attributes.find((a) => a.key === 'deep')!.value), /nested too deep/);
      const text = JSON.stringify(deep).replace(
        '{"key":"deep"',
        `{"key":"deeper","value":${'{"arrayValue":{"values":['.repeat(100_000)}{"stringValue":"x"}${']}}'.repeat(100_000)}},{"key":"deep"`,
      );
      for (const input of [enc.encode(text), text]) {
        const d = decodeTrace(input).detail(0)!;
        assert.equal(d.damaged, undefined);
        assert.match(String(d.attributes.find((a) => a.key === 'deeper')!.value), /nested too deep/);
      }
    });

    it('readDetail answers every request: null without a span, damaged if a decoder throws anyway', () => {
      const d = decodeTrace(proto);
      const throwing: DecodedTrace = {
        model: d.model,
        detail: () => {
          throw new Error('boom');
        },
      };
      assert.equal(readDetail(undefined, 0), null);
      assert.equal(readDetail(d, 99), null);
      assert.equal(readDetail(d, -1), null);
      assert.equal(readDetail(d, 0)?.spanId, sid(1));
      const r = readDetail(throwing, 1);
      assert.equal(r?.spanId, sid(2));
      assert.equal(r?.parentSpanId, sid(1));
      assert.match(r?.damaged ?? '', /damaged in the trace data, so they cannot be shown/);
      assert.equal(readDetail(throwing, 5), null);
    });
  });

  describe('absurd span times (7c)', () => {
    const MAX_U64 = '18446744073709551615';
    /** The spans of `markedDoc` with span `id`'s times replaced. */
    function withTimes(id: number, start: string | undefined, end: string | undefined, first = false) {
      const doc = markedDoc();
      const all = doc.resourceSpans.flatMap((rs) =>
        (rs as { scopeSpans: { spans: Record<string, unknown>[] }[] }).scopeSpans.flatMap((ss) => ss.spans),
      );
      const span = all.find((s) => s.spanId === sid(id))!;
      if (start === undefined) delete span.startTimeUnixNano;
      else span.startTimeUnixNano = start;
      if (end === undefined) delete span.endTimeUnixNano;
      else span.endTimeUnixNano = end;
      if (first) doc.resourceSpans.reverse();
      return doc;
    }
    /** The same trace through the scanner, JSON.parse and protobuf; all three must agree. */
    function decodeAll(doc: unknown): TraceModel {
      const text = JSON.stringify(doc);
      const models = [
        decodeTrace(enc.encode(text)),
        decodeTrace(text),
        decodeTrace(encodeOtlpProto(doc)),
      ].map((d) => d.model);
      for (const m of models.slice(1)) {
        assert.deepEqual(columns(m), columns(models[0]!));
        assert.equal(m.durationNs, models[0]!.durationNs);
        assert.equal(m.traceStartUnixNano, models[0]!.traceStartUnixNano);
        assert.deepEqual(m.warnings, models[0]!.warnings);
      }
      return models[0]!;
    }
    const at = (m: TraceModel, id: number) => {
      const i = Array.from({ length: m.spanCount }, (_, k) => spanIdAt(m.columns, k)).indexOf(sid(id));
      return [m.columns.startNs[i], m.columns.durationNs[i]];
    };

    for (const first of [false, true]) {
      it(`a start of 0 and an end of 2^64 - 1 (${first ? 'read first' : 'read last'}) keep the trace 1 µs long, exactly`, () => {
        const m = decodeAll(withTimes(4, '0', MAX_U64, first));
        assert.equal(m.durationNs, 1000);
        assert.equal(m.traceStartUnixNano, String(BASE_NS));
        assert.deepEqual(at(m, 1), [0, 1000]);
        assert.deepEqual(at(m, 2), [100, 300]);
        assert.deepEqual(at(m, 3), [450, 450]);
        // No start, and an end clamped to the trace's end: an instant there.
        assert.deepEqual(at(m, 4), [1000, 0]);
        assert.match(
          m.warnings.join('\n'),
          /1 span has no usable start or end time \(missing, zero or unreadable\)/,
        );
        assert.match(m.warnings.join('\n'), /1 span has a time far outside the rest of the trace .*clamped/);
      });
    }

    it('a missing start is unknown too: the span is an instant at its end', () => {
      const m = decodeAll(withTimes(4, undefined, t(600)));
      assert.deepEqual(at(m, 4), [600, 0]);
      assert.equal(m.durationNs, 1000);
      assert.match(m.warnings.join('\n'), /no usable start or end time/);
    });

    it('a start in 1970 is clamped to the trace start; an end centuries ahead to the trace end', () => {
      const early = decodeAll(withTimes(4, '1', t(600)));
      assert.deepEqual(at(early, 4), [0, 600]);
      assert.match(early.warnings.join('\n'), /far outside/);
      const late = decodeAll(withTimes(3, t(450), '9223372036854775807'));
      assert.deepEqual(at(late, 3), [450, 550]);
      assert.equal(late.durationNs, 1000);
    });

    it('a long trace is not clamped: spans over 20 hours keep their times and raise no warning', () => {
      const hour = 3_600_000_000_000;
      const doc = otlpTrace([
        { id: sid(1), start: 0, end: 20 * hour },
        { id: sid(2), parent: sid(1), start: 1000, end: 2000 },
        { id: sid(3), parent: sid(1), start: 19 * hour, end: 20 * hour - 5 },
      ]);
      const m = decodeAll(doc);
      assert.equal(m.durationNs, 20 * hour);
      assert.deepEqual(m.warnings, []);
    });
  });
});
