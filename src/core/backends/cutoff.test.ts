import * as assert from 'node:assert/strict';
import { cutoffOf, mayLackRecent, recheckAt, RECHECK_MARGIN_MS, TEMPO_QUERY_END_CUTOFF_MS } from './cutoff';
import { fixture, send, startLoopback, type Loopback } from './testing/loopback';
import { TempoClient } from './tempo/client';
import { GrafanaBackend } from './grafana/backend';

describe("Tempo 3.0's cut-off of recent data", () => {
  const now = 1_800_000_000_000;

  it('an answer may lack recent data when its range ends within the cut-off of the time it was asked', () => {
    const table: Array<[number | undefined, number, boolean]> = [
      [undefined, 30_000, true], // "now": the server's default end
      [now / 1000, 30_000, true],
      [now / 1000 - 29, 30_000, true],
      [now / 1000 - 31, 30_000, false],
      [now / 1000, 0, false], // no cut-off (the local store, Tempo 2)
      [now / 1000 + 60, 30_000, true],
    ];
    for (const [end, cutoff, want] of table)
      assert.equal(mayLackRecent(end, now, cutoff), want, `${end} ${cutoff}`);
  });

  it('asks again after the cut-off and a margin', () => {
    assert.equal(recheckAt(now, 30_000), now + 30_000 + RECHECK_MARGIN_MS);
  });

  it("cutoffOf reads a backend's declared cut-off; nothing declared, or nonsense, is none", () => {
    assert.equal(cutoffOf({}), 0);
    assert.equal(cutoffOf({ recentCutoffMs: 30_000 }), 30_000);
    assert.equal(cutoffOf({ recentCutoffMs: Number.NaN }), 0);
    assert.equal(cutoffOf({ recentCutoffMs: -5 }), 0);
  });

  describe('what a Tempo client declares', () => {
    let tempo: Loopback;
    before(async () => {
      tempo = await startLoopback();
    });
    after(() => tempo.close());

    it("Tempo 3.0's default until the server shows it is older (no instant metrics, v1-only routes); an option wins", async () => {
      const client = new TempoClient({ baseUrl: tempo.origin });
      assert.equal(client.recentCutoffMs, TEMPO_QUERY_END_CUTOFF_MS);
      tempo.handle((_req, res) => send(res, 200, '{"series":[]}', 'application/json'));
      await client.metricsQuery({ q: '{ } | rate()' });
      assert.equal(client.recentCutoffMs, TEMPO_QUERY_END_CUTOFF_MS, 'an instant API: maybe 3.0');
      tempo.handle((_req, res) => send(res, 404, '404 page not found\n'));
      await client.metricsQuery({ q: '{ } | rate()' }).catch(() => undefined);
      assert.equal(client.recentCutoffMs, 0, 'no instant API: older than 3.0, nothing left out');

      const old = new TempoClient({ baseUrl: tempo.origin, retryBaseDelayMs: 1 });
      tempo.handle((_req, res, log) =>
        log.path.startsWith('/api/v2/')
          ? send(res, 404, fixture('tempo-2.0.1-v2-route-404.txt'))
          : send(res, 200, fixture('tempo-2.0.1-trace-v1.json'), 'application/json'),
      );
      await old.getTrace('a8e00f77b50a734539bf0e48eec6bec4');
      assert.equal(old.recentCutoffMs, 0, 'a v1-only trace route: Tempo before 2.6');

      assert.equal(new TempoClient({ baseUrl: tempo.origin, recentCutoffMs: 0 }).recentCutoffMs, 0);
      const grafana = new GrafanaBackend({ baseUrl: `${tempo.origin}/api/datasources/proxy/uid/t` });
      assert.equal(grafana.recentCutoffMs, TEMPO_QUERY_END_CUTOFF_MS);
    });
  });
});
