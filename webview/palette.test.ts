/** The service palette built from the theme's chart colours. */
import assert from 'node:assert/strict';
import { buildPalette, hueOf, labDistance, rgbToOklab, servicePalette } from './palette';

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

  it('gives each service the same hue in dark, light and high-contrast themes, twelve apart, away from red', () => {
    const dark = servicePalette([31, 31, 31]).map(rgbToOklab);
    const light = servicePalette([255, 255, 255]).map(rgbToOklab);
    const hc = servicePalette([0, 0, 0]).map(rgbToOklab);
    const red = rgbToOklab([229, 20, 0]);
    for (const theme of [dark, light, hc]) {
      assert.equal(theme.length, 12);
      for (let i = 0; i < 12; i++) {
        for (let j = i + 1; j < 12; j++)
          assert.ok(labDistance(theme[i]!, theme[j]!) > 0.09, `slots ${i} and ${j} too close`);
        assert.ok(labDistance(theme[i]!, red) >= 0.13, `slot ${i} too close to the error red`);
      }
    }
    for (let k = 0; k < 12; k++) {
      const hues = [dark, light, hc].map((t) => hueOf(t[k]!));
      const spread = Math.max(...hues) - Math.min(...hues);
      assert.ok(spread < 12, `slot ${k}: hues ${hues.map((h) => h.toFixed(0)).join(', ')}`);
    }
  });
});
