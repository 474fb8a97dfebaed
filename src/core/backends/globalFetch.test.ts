import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getGlobalDispatcher, MockAgent, setGlobalDispatcher, type Dispatcher } from 'undici';
import { TempoClient } from './tempo/client';

// The extension must use the host's global fetch (VS Code patches it for proxies, PAC files and
// system certificates). undici's MockAgent, installed as Node's global dispatcher, proves that a
// client built without an injected fetch goes through exactly that global fetch.
describe('TempoClient on the global fetch (undici MockAgent)', () => {
  const fixture = readFileSync(join(__dirname, '../../../test/fixtures/tempo/tempo-2.0.1-trace-v1.json'));
  let previous: Dispatcher;
  let agent: MockAgent;

  beforeEach(() => {
    previous = getGlobalDispatcher();
    agent = new MockAgent();
    agent.disableNetConnect();
    setGlobalDispatcher(agent);
  });
  afterEach(async () => {
    setGlobalDispatcher(previous);
    await agent.close();
  });

  it('fetches through globalThis.fetch when no fetch is injected, with the tenant header', async () => {
    const pool = agent.get('http://tempo.test');
    pool
      .intercept({ path: '/tempo/api/v2/traces/a8e00f77b50a734539bf0e48eec6bec4', method: 'GET' })
      .reply(404, '404 page not found\n');
    pool
      .intercept({
        path: '/tempo/api/traces/a8e00f77b50a734539bf0e48eec6bec4',
        method: 'GET',
        headers: { 'x-scope-orgid': 'team-a' },
      })
      .reply(200, fixture, { headers: { 'content-type': 'application/json' } });
    const client = new TempoClient({ baseUrl: 'http://tempo.test/tempo', format: 'json', tenant: 'team-a' });
    const result = await client.getTrace('a8e00f77b50a734539bf0e48eec6bec4');
    assert.equal(result.route, 'v1');
    assert.equal(result.decoded.model.spanCount, 6);
    agent.assertNoPendingInterceptors();
  });
});
