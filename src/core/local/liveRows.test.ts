import { strict as assert } from 'node:assert';
import type { TraceSummary } from '../store/traces';
import { clockTime, liveRow, matchesLiveFilter } from './liveRows';

function summary(over: Partial<TraceSummary> = {}): TraceSummary {
  return {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    rootService: 'shop',
    rootName: 'POST /checkout',
    startTimeUnixNano: '1700000000000000000',
    startMs: 1_700_000_000_000,
    durationMs: 1234.5,
    spanCount: 5,
    errorCount: 0,
    services: ['shop'],
    serviceStats: { shop: { spanCount: 5, errorCount: 0 } },
    lastReceivedMs: 1_700_000_001_000,
    ...over,
  };
}

const at = () => '12:00:00';

describe('Live view rows', () => {
  it('root span, then service, duration and start time', () => {
    const row = liveRow(summary(), at);
    assert.equal(row.label, 'POST /checkout');
    assert.equal(row.description, 'shop · 1.23 s · 12:00:00');
    assert.equal(row.error, false);
    assert.equal(row.traceId, '0af7651916cd43dd8448eb211c80319c');
  });

  it('other services and errors', () => {
    const one = liveRow(
      summary({
        errorCount: 1,
        services: ['shop', 'payments'],
        serviceStats: { shop: { spanCount: 3, errorCount: 0 }, payments: { spanCount: 2, errorCount: 1 } },
      }),
      at,
    );
    assert.equal(one.description, 'shop · 1.23 s · +payments · 1 error · 12:00:00');
    assert.equal(one.error, true);
    assert.match(one.tooltip, /Services: shop \(3\), payments \(2, 1 failed\)/);
    const many = liveRow(summary({ errorCount: 4, services: ['a', 'shop', 'b', 'c'] }), at);
    assert.equal(many.description, 'shop · 1.23 s · +3 services · 4 errors · 12:00:00');
  });

  it('a trace whose root span has not arrived', () => {
    const row = liveRow(summary({ rootName: null, rootService: null, services: ['worker'] }), at);
    assert.equal(row.label, '(root span not received)');
    assert.equal(row.description, '(root not received) · 1.23 s · +worker · 12:00:00');
    assert.match(row.tooltip, /^\(root span not received yet\)\nTrace 0af76519/);
  });

  it('cleans control characters and cuts long names from the program', () => {
    const row = liveRow(summary({ rootName: `a\u202eb\nc${'x'.repeat(300)}`, rootService: 'svc\u0000' }), at);
    assert.ok(row.label.startsWith('a b c'), row.label);
    assert.ok(row.label.length <= 120);
    assert.ok(row.description.startsWith('svc ·'), row.description);
  });

  it('shows the time of day', () => {
    const d = new Date(2026, 0, 2, 3, 4, 5);
    assert.equal(clockTime(d.getTime()), '03:04:05');
    assert.equal(clockTime(NaN), '');
  });

  it('filters by words in the ID, root, services; is:error keeps failed traces', () => {
    const s = summary({ services: ['shop', 'payments'] });
    assert.ok(matchesLiveFilter(s, ''));
    assert.ok(matchesLiveFilter(s, '  CHECKOUT  '));
    assert.ok(matchesLiveFilter(s, 'checkout payments'));
    assert.ok(matchesLiveFilter(s, '0af765'));
    assert.ok(!matchesLiveFilter(s, 'checkout inventory'));
    assert.ok(!matchesLiveFilter(s, 'is:error'));
    assert.ok(matchesLiveFilter(summary({ errorCount: 2 }), 'is:error shop'));
  });
});
