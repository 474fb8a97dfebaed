import { strict as assert } from 'node:assert';
import { formatDuration } from './format';

describe('formatDuration', () => {
  const cases: [number, string][] = [
    [5.2e9, '5.2 s'],
    [4e9, '4 s'],
    [4.21e9, '4.21 s'],
    [4.214e9, '4.21 s'],
    [850e6, '850 ms'],
    [12.5e6, '12.5 ms'],
    [1.25e6, '1.25 ms'],
    [420e3, '420 µs'],
    [12, '12 ns'],
    [999_700, '1 ms'],
    [999_999_999, '1 s'],
    [59.4e9, '59.4 s'],
    [59.96e9, '1 min'],
    [123e9, '2 min 3 s'],
    [3599.6e9, '1 h'],
    [3720e9, '1 h 2 min'],
    [0, '0 ms'],
    [-1.5e6, '-1.5 ms'],
    [NaN, '–'],
  ];
  for (const [ns, want] of cases) it(`${ns} ns → ${want}`, () => assert.equal(formatDuration(ns), want));
});
