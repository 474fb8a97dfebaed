import { strict as assert } from 'node:assert';
import { normalizeTraceId, SPAN_ID_HEX, SPAN_ID_INPUT, TRACE_ID_HEX, TRACE_ID_INPUT } from './traceId';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('normalizeTraceId: one function, one rule for the all-zero ID', () => {
  // [input, default (detector, commands, links), allowAllZero (backends, as Tempo reads it)]
  const cases: Array<[string, string | undefined, string | undefined]> = [
    [T, T, T],
    [T.toUpperCase(), T, T],
    [`\t ${T} \n`, T, T],
    ['463ac35c9f6413ad', '0000000000000000463ac35c9f6413ad', '0000000000000000463ac35c9f6413ad'],
    ['1', '00000000000000000000000000000001', '00000000000000000000000000000001'],
    ['0'.repeat(32), undefined, '0'.repeat(32)],
    ['000', undefined, '0'.repeat(32)],
    ['', undefined, undefined],
    ['   ', undefined, undefined],
    [`${T}0`, undefined, undefined],
    ['0x1234', undefined, undefined],
    ['4bf92f35-77b3-4da6-a3ce-929d0e0e4736', undefined, undefined],
    ['４bf92f3577b34da6', undefined, undefined], // a full-width digit is not hex
  ];
  for (const [input, strict, tempo] of cases) {
    it(`${JSON.stringify(input)} → ${String(strict)}; allowing all-zero → ${String(tempo)}`, () => {
      assert.equal(normalizeTraceId(input), strict);
      assert.equal(normalizeTraceId(input, { allowAllZero: false }), strict);
      assert.equal(normalizeTraceId(input, { allowAllZero: true }), tempo);
    });
  }
});

describe('trace and span ID patterns', () => {
  const cases: Array<[RegExp, string, boolean]> = [
    [TRACE_ID_HEX, T, true],
    [TRACE_ID_HEX, T.toUpperCase(), false],
    [TRACE_ID_HEX, T.slice(1), false],
    [TRACE_ID_HEX, `${T}\n`, false],
    [SPAN_ID_HEX, 'a3ce929d0e0e4736', true],
    [SPAN_ID_HEX, 'A3CE929D0E0E4736', false],
    [SPAN_ID_HEX, 'a3ce929d0e0e473', false],
    [TRACE_ID_INPUT, 'A3ce9', true],
    [TRACE_ID_INPUT, `${T}0`, false],
    [SPAN_ID_INPUT, 'A3CE929D0E0E4736', true],
    [SPAN_ID_INPUT, 'a3ce929d0e0e473g', false],
  ];
  for (const [re, s, want] of cases) {
    it(`${String(re)} ${want ? 'accepts' : 'refuses'} ${JSON.stringify(s)}`, () =>
      assert.equal(re.test(s), want));
  }
});
