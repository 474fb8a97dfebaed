import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands, commandUri } from './commandIds';

interface Manifest {
  contributes: { commands: Array<{ command: string }>; menus: Record<string, Array<{ command: string }>> };
  activationEvents: string[];
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as Manifest;

describe('manifest commands', () => {
  it('declares exactly the commands the code registers', () => {
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(Commands).sort());
  });

  it('menus only name declared commands', () => {
    const declared = new Set(Object.values(Commands) as string[]);
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) assert.ok(declared.has(item.command), `${menu} names ${item.command}`);
    }
  });

  it('never activates on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
  });

  it('builds command URIs whose arguments survive a round trip', () => {
    const uri = commandUri(Commands.openTraceById, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) });
    assert.ok(uri.startsWith('command:traceLens.openTraceById?'));
    const args = JSON.parse(decodeURIComponent(uri.slice(uri.indexOf('?') + 1))) as unknown[];
    assert.deepEqual(args, [{ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }]);
  });
});
