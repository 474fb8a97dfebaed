/**
 * Root hooks of the tempo tier (loaded by test/tempo/.mocharc.json):
 * - before everything: find the Tempo 3.0.3 binary. Without one the tier fails in CI
 *   (`CI=true`) and is skipped elsewhere with one loud line saying how to get it. Then every
 *   Tempo starts in parallel, the traces are sent, and the cut-off observation begins, so its
 *   ~30-60 s wait overlaps the other checks.
 * - after everything: every Tempo is stopped (SIGTERM, then SIGKILL after a grace).
 * Test-only code.
 */
import type { Context } from 'mocha';
import { HOW_TO_GET } from './binary';
import { cutoffEarly } from './cutoff';
import {
  INSTANCES,
  mainSeed,
  prefixSeed,
  stopAll,
  tempo,
  tempoLookup,
  tenantSeed,
  type InstanceName,
} from './fixtures';

export const mochaHooks = {
  async beforeAll(this: Context): Promise<void> {
    this.timeout(120_000);
    const found = await tempoLookup();
    if (!found.ok) {
      if (found.missing && process.env.CI !== 'true') {
        console.log(
          `\n!!! tempo tier SKIPPED: ${found.reason}. To run it, ${HOW_TO_GET}. (With CI=true this fails.)\n`,
        );
        this.skip();
      }
      throw new Error(`tempo tier: ${found.reason}; ${HOW_TO_GET}`);
    }
    console.log(`tempo tier: ${found.binary} (${found.how})`);
    await Promise.all((Object.keys(INSTANCES) as InstanceName[]).map((name) => tempo(name)));
    await Promise.all([cutoffEarly(), mainSeed(), tenantSeed(), prefixSeed()]);
  },
  async afterAll(this: Context): Promise<void> {
    this.timeout(60_000);
    await stopAll();
  },
};
