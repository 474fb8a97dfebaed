/** The session in plain Node: loading and restoring, collapse, filter, selection, zoom, events. */
import assert from 'node:assert/strict';
import { Session, type SessionEvent } from './session';
import { CHECKOUT, hexId, indexOf, makeTrace } from './testing/traceBuilder';
import type { ViewState } from './state';

const wire = makeTrace(CHECKOUT);
const at = (id: string) => indexOf(wire, id);
const ROOT = at('root');
const CART = at('cart');
const CARTDB = at('cartdb');
const PAY = at('pay');
const GW = at('gw');

/** A session with the checkout trace loaded, recording its events. */
function loaded(saved?: ViewState, selectSpanId?: string) {
  const s = new Session(saved);
  const events: SessionEvent[] = [];
  s.on((e) => events.push(e));
  const restored = s.load({ handle: 'main', trace: wire, ...(selectSpanId ? { selectSpanId } : {}) }, true);
  return { s, events, restored };
}

const rowsOf = (s: Session) => Array.from(s.rows.rows.subarray(0, s.rows.count));
const types = (events: SessionEvent[]) => events.map((e) => e.type);

describe('webview session: loading', () => {
  it('shows every span, nothing selected or filtered, the whole trace, and says so once', () => {
    const { s, events, restored } = loaded();
    assert.equal(s.rows.count, 9);
    assert.equal(s.selected, -1);
    assert.equal(s.mask, undefined);
    assert.deepEqual([s.viewStart, s.viewEnd], [0, s.trace!.totalNs]);
    assert.equal(s.maxDepth, 2);
    assert.deepEqual(types(events), ['trace']);
    assert.deepEqual(restored, { state: undefined, selected: -1 });
  });

  it('applies the saved state of the same trace, by span ID', () => {
    const saved: ViewState = {
      traceId: wire.model.traceId,
      selectSpanId: hexId('gw'),
      collapsed: { mode: 'listed', ids: [hexId('cart'), hexId('pay')] },
      zoom: [1e9, 2e9],
      query: 'status=error',
      service: 'payment-gateway',
      critical: true,
      detailOpen: true,
    };
    const { s, restored } = loaded(saved);
    // Selecting the gateway span expanded its collapsed parent; cart stays collapsed.
    assert.equal(s.selected, GW);
    assert.equal(s.collapsed[PAY], 0);
    assert.equal(s.collapsed[CART], 1);
    assert.ok(!rowsOf(s).includes(CARTDB));
    assert.deepEqual([s.viewStart, s.viewEnd], [1e9, 2e9]);
    assert.equal(s.query, 'status=error');
    assert.equal(s.service, s.trace!.services.indexOf('payment-gateway'));
    assert.deepEqual(Array.from(s.matches), [GW]);
    assert.equal(s.critical, true);
    assert.equal(s.detailOpen, true);
    assert.equal(restored?.selected, GW);
  });

  it('ignores state saved for another trace', () => {
    const { s } = loaded({ traceId: 'f'.repeat(32), query: 'cart', collapsed: { mode: 'allBut', ids: [] } });
    assert.equal(s.query, '');
    assert.equal(s.rows.count, 9);
  });

  it('selects the span it was opened on and opens the detail', () => {
    const { s } = loaded(undefined, hexId('cartdb'));
    assert.equal(s.selected, CARTDB);
    assert.equal(s.detailOpen, true);
  });

  it('keeps collapsed spans, filter and selection across a refresh that adds spans', () => {
    const { s } = loaded();
    s.toggle(CART);
    s.select(PAY, { open: false, reveal: false });
    s.setQuery('charge');
    const more = makeTrace([
      { id: 'early', parent: 'root', name: 'warm cache', service: 'frontend', start: 1, dur: 5 },
      ...CHECKOUT,
    ]);
    s.load({ handle: 'main', trace: more }, false);
    const pay = indexOf(more, 'pay');
    assert.notEqual(pay, PAY, 'the indexes moved');
    assert.equal(s.selected, pay);
    assert.equal(s.collapsed[indexOf(more, 'cart')], 1);
    assert.equal(s.query, 'charge');
    assert.equal(s.rows.count, 8, 'ten spans, two of them inside the collapsed cart span');
  });

  it('keeps the flame graph’s zoom by span ID: saved, restored for the same trace, across a refresh, not for another trace', () => {
    const { s, events } = loaded();
    events.length = 0;
    s.setFlameRoot(CART);
    s.setFlameRoot(CART);
    assert.deepEqual(types(events), ['flame'], 'told once, not again for the same frame');
    const snap = s.snapshot()!;
    assert.equal(snap.flameRoot, hexId('cart'));
    assert.equal(loaded(snap).s.flameRoot, CART);
    assert.equal(loaded({ ...snap, traceId: 'f'.repeat(32) }).s.flameRoot, -1);
    assert.equal(loaded({ ...snap, flameRoot: hexId('nope') }).s.flameRoot, -1, 'a span the trace lacks');
    const more = makeTrace([
      { id: 'early', parent: 'root', name: 'warm cache', service: 'frontend', start: 1, dur: 5 },
      ...CHECKOUT,
    ]);
    s.load({ handle: 'main', trace: more }, false);
    assert.equal(s.flameRoot, indexOf(more, 'cart'));
    s.setFlameRoot(-1);
    assert.equal(s.snapshot()!.flameRoot, undefined, 'the whole trace is not saved');
  });

  it('shows trace B of a comparison and keeps A without showing it', () => {
    const { s, events } = loaded();
    s.setSubject({ kind: 'compare', a: { traceId: 'a'.repeat(32) }, b: { traceId: wire.model.traceId } });
    assert.equal(s.handle, 'b');
    const other = makeTrace(CHECKOUT.slice(0, 3), { traceId: 'a'.repeat(32) });
    events.length = 0;
    assert.equal(s.load({ handle: 'a', trace: other }, true), undefined);
    assert.equal(s.traces.get('a')?.n, 3);
    assert.deepEqual(events, []);
    assert.equal(s.selectById('a', hexId('root')), false);
  });
});

describe('webview session: collapse and selection', () => {
  it('moves a selection inside a collapsed span to it, quietly', () => {
    const { s, events } = loaded();
    s.select(CARTDB, { open: false, reveal: false });
    events.length = 0;
    s.toggle(CART);
    assert.equal(s.selected, CART);
    assert.deepEqual(events, [{ type: 'selection', changed: true, quiet: true }, { type: 'rows' }]);
    assert.deepEqual(rowsOf(s), [ROOT, at('auth'), CART, PAY, at('fraud'), GW, at('lost')]);
  });

  it('expands the ancestors of a span it selects, reveals it and opens the detail when asked', () => {
    const { s, events } = loaded();
    s.collapseToDepth(0);
    assert.deepEqual(rowsOf(s), [ROOT, at('lost')]);
    events.length = 0;
    s.select(GW, { open: true, reveal: true, center: true });
    assert.deepEqual(events, [
      { type: 'rows' },
      { type: 'selection', changed: true, reveal: { center: true } },
      { type: 'detail' },
    ]);
    assert.ok(rowsOf(s).includes(GW));
    assert.equal(s.detailOpen, true);
  });

  it('collapses by depth and keeps the selection on its nearest visible ancestor', () => {
    const { s } = loaded();
    s.select(CARTDB, { open: false, reveal: false });
    s.collapseToDepth(1);
    assert.equal(s.selected, CART);
    s.expandAll();
    assert.equal(s.rows.count, 9);
  });

  it('collapses spans shorter than a typed duration, or says what is wrong with it', () => {
    const { s } = loaded();
    s.collapseShorterThan('soon');
    assert.equal(s.problem, '“soon” is not a duration (try 5ms or 1s)');
    assert.equal(s.rows.count, 9);
    s.collapseShorterThan('1s');
    assert.equal(s.problem, '');
    assert.equal(s.collapsed[CART], 1);
    assert.equal(s.collapsed[PAY], 0);
  });

  it('clears the selection', () => {
    const { s, events } = loaded();
    s.select(PAY, { open: false, reveal: false });
    events.length = 0;
    s.deselect();
    s.deselect();
    assert.equal(s.selected, -1);
    assert.deepEqual(events, [{ type: 'selection', changed: true }]);
  });
});

describe('webview session: search and filter', () => {
  it('walks the matches both ways, wrapping around, and knows the position of the selection', () => {
    const { s } = loaded();
    s.setQuery('status=error');
    assert.deepEqual(Array.from(s.matches), [PAY, GW]);
    assert.equal(s.matchPosition, 0);
    s.gotoMatch(1);
    assert.equal(s.selected, PAY);
    assert.equal(s.matchPosition, 1);
    s.gotoMatch(1);
    assert.equal(s.selected, GW);
    s.gotoMatch(1);
    assert.equal(s.selected, PAY);
    s.gotoMatch(-1);
    assert.equal(s.selected, GW);
  });

  it('shows only matches and their ancestors, drops a selection that hides, and leaves the mode to select a hidden span', () => {
    const { s } = loaded();
    s.select(CARTDB, { open: false, reveal: false });
    s.setQuery('gateway');
    s.setOnlyMatches(true);
    assert.deepEqual(rowsOf(s), [ROOT, PAY, GW]);
    assert.equal(s.selected, -1);
    s.select(CARTDB, { open: false, reveal: false });
    assert.equal(s.onlyMatches, false);
    assert.equal(s.selected, CARTDB);
    assert.equal(s.rows.count, 9);
  });

  it('reports problems of the query', () => {
    const { s } = loaded();
    s.setQuery('status=maybe');
    assert.match(s.problem, /status can be/);
    s.clearFilter();
    assert.equal(s.problem, '');
    assert.equal(s.mask, undefined);
  });

  it('filters to a span set from another view, walks it, narrows it with the search, and clears it', () => {
    const { s } = loaded();
    const mask = new Uint8Array(s.trace!.n);
    for (const i of [CARTDB, at('redis'), GW]) mask[i] = 1;
    s.setSpanSet({ label: 'cart spans', mask });
    assert.deepEqual(Array.from(s.matches), [CARTDB, at('redis'), GW]);
    assert.equal(s.onlyMatches, true);
    assert.deepEqual(rowsOf(s), [ROOT, CART, CARTDB, at('redis'), PAY, GW]);
    assert.equal(s.selected, CARTDB, 'the first span of the set is selected');
    s.gotoMatch(1);
    assert.equal(s.selected, at('redis'));
    s.setQuery('gateway');
    assert.deepEqual(Array.from(s.matches), [GW]);
    s.clearFilter();
    assert.equal(s.spanSet, undefined);
    assert.equal(s.mask, undefined);
    assert.equal(s.onlyMatches, false, '"only matches" is back as it was');
    assert.equal(s.rows.count, 9);
  });

  it('filters by service', () => {
    const { s } = loaded();
    s.setService(s.trace!.services.indexOf('cart'));
    assert.deepEqual(Array.from(s.matches), [CART, CARTDB, at('redis')]);
    s.clearFilter();
    assert.equal(s.service, -1);
  });
});

describe('webview session: zoom, toggles and saving', () => {
  it('clamps the zoom window to the trace and to a minimum width', () => {
    const { s } = loaded();
    const total = s.trace!.totalNs;
    s.setZoom(-5, total * 2);
    assert.deepEqual([s.viewStart, s.viewEnd], [0, total]);
    assert.equal(s.zoomed, false);
    s.setZoom(1e9, 1e9);
    assert.ok(s.viewEnd - s.viewStart >= 1);
    assert.equal(s.zoomed, true);
    s.resetZoom();
    assert.equal(s.zoomed, false);
  });

  it('saves spans by ID, the smaller collapsed list, the zoom only when zoomed, and the layout', () => {
    const { s } = loaded();
    s.setSubject({ kind: 'trace', traceId: wire.model.traceId });
    s.layout = () => ({ detailWidth: 400, labelWidth: 300, scrollTop: 22 });
    assert.deepEqual(s.snapshot(), {
      subject: { kind: 'trace', traceId: wire.model.traceId },
      traceId: wire.model.traceId,
      detailOpen: false,
      detailWidth: 400,
      labelWidth: 300,
      scrollTop: 22,
    });
    s.collapseToDepth(0);
    s.select(PAY, { open: true, reveal: false });
    s.toggleCritical();
    s.setZoom(1e9, 2e9);
    s.setQuery('pay');
    const snap = s.snapshot()!;
    // Three spans have children; selecting pay expanded root only: the shorter list is the expanded one.
    assert.deepEqual(snap.collapsed, { mode: 'allBut', ids: [hexId('root')] });
    assert.equal(snap.selectSpanId, hexId('pay'));
    assert.deepEqual(snap.zoom, [1e9, 2e9]);
    assert.equal(snap.critical, true);
    assert.equal(snap.query, 'pay');
    assert.equal(snap.detailOpen, true);
  });
});
