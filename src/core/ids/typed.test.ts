import { strict as assert } from 'node:assert';
import { normalizeTraceId, shortIdTypo } from './index';

describe('shortIdTypo: IDs a character short', () => {
  const full = '4bf92f3577b34da6a3ce929d0e0e4736';
  it('catches 31 and 15 hex digits, and offers the padded ID', () => {
    assert.deepEqual(shortIdTypo(full.slice(1)), { digits: 31, padded: `0${full.slice(1)}` });
    assert.deepEqual(shortIdTypo(` ${full.slice(0, 15).toUpperCase()} `), {
      digits: 15,
      padded: `${'0'.repeat(17)}${full.slice(0, 15)}`,
    });
  });
  it('leaves full IDs, other lengths, non-hex and all zeros alone', () => {
    for (const t of [
      full,
      full.slice(0, 16),
      full.slice(2),
      full.slice(0, 8),
      `${full.slice(1)}x`,
      '0'.repeat(31),
      '',
    ])
      assert.equal(shortIdTypo(t), undefined, t);
  });
  it('does not change how short IDs from a backend are read: they are still padded', () => {
    assert.equal(normalizeTraceId(full.slice(1)), `0${full.slice(1)}`);
  });
});
