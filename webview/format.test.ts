/** Number formatting for the panel (durations are src/shared/format's, tested there too). */
import assert from 'node:assert/strict';
import { formatDuration, niceTicks, parseDuration } from './format';

describe('webview pure: formatDuration', () => {
  const cases: [number, string][] = [
    [5.2e9, '5.2 s'],
    [4.2e9, '4.2 s'],
    [4e9, '4 s'],
    [850e6, '850 ms'],
    [12.5e6, '12.5 ms'],
    [420e3, '420 µs'],
    [999.7e6, '1 s'],
    [1.23456e9, '1.23 s'],
    [90e9, '1 min 30 s'],
    [7200e9, '2 h'],
    [12, '12 ns'],
    [0, '0 ms'],
    [123456, '123 µs'],
  ];
  for (const [ns, text] of cases) it(`${ns} ns → ${text}`, () => assert.equal(formatDuration(ns), text));
});

describe('webview pure: parseDuration and ticks', () => {
  it('parses units and defaults to ms', () => {
    assert.equal(parseDuration('500ms'), 500e6);
    assert.equal(parseDuration('2s'), 2e9);
    assert.equal(parseDuration('1.5 min'), 90e9);
    assert.equal(parseDuration('300us'), 300e3);
    assert.equal(parseDuration('42'), 42e6);
    assert.equal(parseDuration('fast'), undefined);
  });
  it('picks 1-2-5 steps', () => {
    assert.deepEqual(niceTicks(0, 5.2e9, 6), [0, 1e9, 2e9, 3e9, 4e9, 5e9]);
    assert.deepEqual(niceTicks(2e9, 3e9, 4), [2e9, 2.5e9, 3e9]);
  });
});
