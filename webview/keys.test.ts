/** The key map over a session, in plain Node. */
import assert from 'node:assert/strict';
import { globalKey, treeKey, type KeyPress, type KeyTarget } from './keys';
import { Session } from './session';
import { CHECKOUT, indexOf, makeTrace } from './testing/traceBuilder';

const wire = makeTrace(CHECKOUT);
const at = (id: string) => indexOf(wire, id);

function session(): Session {
  const s = new Session();
  s.load({ handle: 'main', trace: wire }, true);
  return s;
}
const key = (k: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key: k,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});
const outside: KeyTarget = { inSearch: false, searchText: '', typing: false };

describe('webview keys: the span tree', () => {
  it('moves down, up, a page, home and end', () => {
    const s = session();
    assert.deepEqual(treeKey(s, key('ArrowDown'), 3), { handled: true });
    assert.equal(s.selected, at('root'));
    treeKey(s, key('ArrowDown'), 3);
    assert.equal(s.selected, at('auth'));
    treeKey(s, key('PageDown'), 3);
    assert.equal(s.selected, s.rows.rows[4]);
    treeKey(s, key('ArrowUp'), 3);
    assert.equal(s.selected, s.rows.rows[3]);
    treeKey(s, key('End'), 3);
    assert.equal(s.selected, at('lost'));
    treeKey(s, key('Home'), 3);
    assert.equal(s.selected, at('root'));
    treeKey(s, key('PageUp'), 3);
    assert.equal(s.selected, at('root'), 'stops at the first row');
  });

  it('collapses with ←, then goes to the parent; expands with →, then goes to the first child', () => {
    const s = session();
    s.select(at('cart'), { open: false, reveal: false });
    treeKey(s, key('ArrowLeft'), 10);
    assert.equal(s.collapsed[at('cart')], 1);
    treeKey(s, key('ArrowLeft'), 10);
    assert.equal(s.selected, at('root'));
    s.select(at('cart'), { open: false, reveal: false });
    treeKey(s, key('ArrowRight'), 10);
    assert.equal(s.collapsed[at('cart')], 0);
    treeKey(s, key('ArrowRight'), 10);
    assert.equal(s.selected, at('cartdb'));
  });

  it('opens the detail with Enter, toggles with Space, expands all with *', () => {
    const s = session();
    treeKey(s, key('Enter'), 10);
    assert.equal(s.selected, at('root'));
    treeKey(s, key('Enter'), 10);
    assert.equal(s.detailOpen, true);
    treeKey(s, key(' '), 10);
    assert.equal(s.rows.count, 2);
    treeKey(s, key('*'), 10);
    assert.equal(s.rows.count, 9);
  });

  it('leaves keys with modifiers and other keys alone', () => {
    const s = session();
    assert.deepEqual(treeKey(s, key('ArrowDown', { ctrlKey: true }), 3), { handled: false });
    assert.deepEqual(treeKey(s, key('x'), 3), { handled: false });
    assert.equal(s.selected, -1);
    assert.deepEqual(treeKey(new Session(), key('ArrowDown'), 3), { handled: false }, 'no trace yet');
  });
});

describe('webview keys: anywhere', () => {
  it('focuses the search with /, walks matches with n and N, toggles the critical path with c', () => {
    const s = session();
    assert.deepEqual(globalKey(s, key('/'), outside), { handled: true, focus: 'search' });
    s.setQuery('status=error');
    globalKey(s, key('n'), outside);
    assert.equal(s.selected, at('pay'));
    globalKey(s, key('N'), outside);
    assert.equal(s.selected, at('gw'));
    globalKey(s, key('c'), outside);
    assert.equal(s.critical, true);
  });

  it('does not take letters while the person types', () => {
    const s = session();
    const typing = { inSearch: true, searchText: 'n', typing: true };
    assert.deepEqual(globalKey(s, key('n'), typing), { handled: false });
    assert.deepEqual(globalKey(s, key('/'), typing), { handled: false });
    assert.equal(s.critical, false);
  });

  it('undoes one thing per Escape: the search box, the filter, the detail, the selection', () => {
    const s = session();
    s.setQuery('cart');
    s.select(at('cart'), { open: true, reveal: false });
    assert.deepEqual(globalKey(s, key('Escape'), { inSearch: true, searchText: 'cart', typing: true }), {
      handled: true,
      focus: 'tree',
    });
    assert.equal(s.query, '');
    s.setService(0);
    assert.deepEqual(globalKey(s, key('Escape'), outside), { handled: true });
    assert.equal(s.service, -1);
    assert.equal(s.detailOpen, true);
    assert.deepEqual(globalKey(s, key('Escape'), outside), { handled: true, focus: 'tree' });
    assert.equal(s.detailOpen, false);
    assert.equal(s.selected, at('cart'));
    globalKey(s, key('Escape'), outside);
    assert.equal(s.selected, -1);
  });
});
