import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every place that finds trace IDs for a person follows `traceLens.detection.bareIds` through the
 * one policy in core/ids/bareIds.ts (whose table is tested there). These host files need VS Code
 * to run, so this reads them: each must ask the policy for its own surface and read the setting,
 * and none may call the detector around it.
 */
const HOST = __dirname;

const SURFACES: Array<[file: string, surface: string]> = [
  ['hover.ts', 'hover'],
  ['links.ts', 'link'],
  ['decorations.ts', 'decoration'],
  ['terminalLinks.ts', 'terminalLink'],
  ['debugTracker.ts', 'debugOutput'],
];

describe('host: one bare-ID policy for hover, links, decorations, terminal links and debug output', () => {
  for (const [file, surface] of SURFACES) {
    it(`${file} asks the policy for '${surface}' with the bareIds setting`, () => {
      const text = readFileSync(join(HOST, file), 'utf8');
      const call = new RegExp(`\\b(idsFor|idAllowed)\\([^;]*?'${surface}'`, 's');
      assert.match(text, call, `${file} does not filter its IDs with the policy for '${surface}'`);
      assert.match(text, /\.bareIds\b/, `${file} does not read traceLens.detection.bareIds`);
    });
  }

  it('none of them runs the detector except through the policy (idAt serves the at-cursor commands)', () => {
    for (const [file] of SURFACES) {
      const text = readFileSync(join(HOST, file), 'utf8');
      const calls = text.match(/\bdetectTraceIds\(/g) ?? [];
      const allowed = file === 'hover.ts' ? 1 : 0; // idAt(), then idAllowed(…, 'hover') in the provider
      assert.equal(calls.length, allowed, `${file} calls detectTraceIds directly`);
    }
  });

  it('extension.ts hands the settings to the terminal links and the debug tracker', () => {
    const text = readFileSync(join(HOST, '..', 'extension.ts'), 'utf8');
    assert.match(text, /registerTerminalLinks\(config\)/);
    assert.match(text, /registerDebugTracker\(recent, config\)/);
  });
});
