/** The service palette built from the theme's chart colours. */
import assert from 'node:assert/strict';
import { buildPalette, labDistance, rgbToOklab } from './palette';

describe('webview pure: palette', () => {
  it('keeps twelve colours apart even when two theme colours are close', () => {
    // Light Modern: orange #d18616 and yellow #bf8803 are close.
    const light = buildPalette(
      [
        [26, 133, 255],
        [209, 134, 22],
        [56, 138, 52],
        [101, 45, 144],
        [191, 136, 3],
      ],
      [229, 20, 0],
      [255, 255, 255],
    );
    assert.equal(light.length, 12);
    const labs = light.map(rgbToOklab);
    for (let i = 0; i < labs.length; i++)
      for (let j = i + 1; j < labs.length; j++)
        assert.ok(labDistance(labs[i]!, labs[j]!) > 0.09, `${light[i]} vs ${light[j]}`);
    for (const l of labs)
      assert.ok(labDistance(l, rgbToOklab([229, 20, 0])) >= 0.13, 'away from the error red');
  });
});
