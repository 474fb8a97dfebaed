// Synthetic traces for the webview tests and benchmark, built in the page (a million spans are
// cheaper to generate there than to serialise). Defines `window.__tlSynth(n, seed)` → WireTrace.
// Deterministic for a seed: a random tree in depth-first order, children in time order inside
// their parent, ~1% errors, a few orphans and clock-skewed spans, 24 services.
(function () {
  'use strict';
  function mulberry32(a) {
    return function () {
      a |= 0;
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const SERVICES = [
    'frontend',
    'checkout',
    'cart',
    'payment',
    'shipping',
    'email',
    'currency',
    'ads',
    'recommendation',
    'catalog',
    'quote',
    'accounting',
    'fraud-detection',
    'inventory',
    'auth',
    'search',
    'reviews',
    'notifications',
    'gateway',
    'billing',
    'loyalty',
    'pricing',
    'media',
    'geo',
  ];
  const VERBS = ['GET', 'POST', 'PUT', 'DELETE'];
  const NOUNS = [
    'orders',
    'users',
    'carts',
    'products',
    'payments',
    'shipments',
    'quotes',
    'reviews',
    'sessions',
    'coupons',
  ];

  function names() {
    const out = [];
    for (const v of VERBS) for (const n of NOUNS) out.push(`${v} /api/${n}/{id}`);
    for (const n of NOUNS) {
      out.push(`SELECT ${n}`, `INSERT ${n}`, `redis GET ${n}`, `grpc ${n}.Service/Get`, `kafka publish ${n}`);
      out.push(`render ${n}`, `validate ${n}`, `cache lookup ${n}`);
    }
    return out;
  }

  window.__tlSynth = function synth(n, seed) {
    const rand = mulberry32(seed || 1);
    const strings = names();
    const cols = {
      spanIdWords: new Uint32Array(2 * n),
      startNs: new Float64Array(n),
      durationNs: new Float64Array(n),
      parent: new Int32Array(n),
      depth: new Uint16Array(n),
      childCount: new Uint32Array(n),
      name: new Uint32Array(n),
      service: new Uint16Array(n),
      kind: new Uint8Array(n),
      status: new Uint8Array(n),
      flags: new Uint8Array(n),
    };
    const total = 4.2e9 + Math.floor(rand() * 1e9);
    let next = 0;
    const make = (parent, depth, start, dur) => {
      const i = next++;
      cols.spanIdWords[2 * i] = (rand() * 0xffffffff) >>> 0;
      cols.spanIdWords[2 * i + 1] = i + 1;
      cols.startNs[i] = Math.round(start);
      cols.durationNs[i] = Math.max(1000, Math.round(dur));
      cols.parent[i] = parent;
      cols.depth[i] = depth;
      cols.name[i] = Math.floor(rand() * strings.length);
      cols.service[i] =
        parent < 0 ? 0 : rand() < 0.6 ? cols.service[parent] : Math.floor(rand() * SERVICES.length);
      cols.kind[i] = 1 + Math.floor(rand() * 3);
      if (rand() < 0.01) {
        cols.status[i] = 2;
        cols.flags[i] |= 1;
      }
      if (rand() < 0.2) cols.flags[i] |= 2;
      if (parent >= 0) cols.childCount[parent]++;
      return i;
    };
    // Stack of spans still to create: parent, start, duration and the size of their subtree.
    // Popping the first child first creates spans in depth-first order.
    const sParent = new Int32Array(n + 1);
    const sStart = new Float64Array(n + 1);
    const sDur = new Float64Array(n + 1);
    const sBudget = new Int32Array(n + 1);
    let top = 0;
    sParent[0] = -1;
    sStart[0] = 0;
    sDur[0] = total;
    sBudget[0] = n;
    top = 1;
    const parts = [];
    while (top > 0) {
      top--;
      const parent = sParent[top];
      const i = make(parent, parent < 0 ? 0 : cols.depth[parent] + 1, sStart[top], sDur[top]);
      const budget = sBudget[top] - 1;
      if (budget <= 0) continue;
      const k = Math.max(1, Math.min(budget, 1 + Math.floor(rand() * (budget > 5000 ? 12 : 5))));
      parts.length = 0;
      let left = budget - k;
      for (let c = 0; c < k; c++) {
        const s = c === k - 1 ? left : Math.min(left, Math.floor(left * rand() * (2 / (k - c))));
        parts.push(1 + s);
        left -= s;
      }
      const ps = cols.startNs[i];
      const slot = cols.durationNs[i] / k;
      for (let c = k - 1; c >= 0; c--) {
        sParent[top] = i;
        sStart[top] = ps + c * slot + slot * 0.05 * rand();
        sDur[top] = slot * (0.55 + 0.4 * rand());
        sBudget[top] = parts[c];
        top++;
      }
    }
    function finish() {
      // Some flavour: orphans (parent missing) and clock skew.
      for (let i = 1; i < n; i += 997) cols.flags[i] |= 8;
      // Critical path: from the root, repeatedly the child that ends last.
      const end = new Int32Array(n);
      const st = [];
      for (let i = 0; i < n; i++) {
        while (st.length && cols.depth[st[st.length - 1]] >= cols.depth[i]) end[st.pop()] = i;
        st.push(i);
      }
      while (st.length) end[st.pop()] = n;
      const path = [0];
      let cur = 0;
      for (;;) {
        let best = -1;
        let bestEnd = -1;
        for (let j = cur + 1; j < end[cur]; j = end[j]) {
          const e = cols.startNs[j] + cols.durationNs[j];
          if (e > bestEnd) {
            bestEnd = e;
            best = j;
          }
        }
        if (best < 0) break;
        path.push(best);
        cur = best;
      }
      const self = new Float64Array(n);
      for (let i = 0; i < n; i++) self[i] = cols.durationNs[i];
      for (let i = 1; i < n; i++) {
        const p = cols.parent[i];
        if (p >= 0) self[p] = Math.max(0, self[p] - cols.durationNs[i]);
      }
      for (const i of path) cols.flags[i] |= 64;
      let errors = 0;
      for (let i = 0; i < n; i++) if (cols.flags[i] & 1) errors++;
      const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
      return {
        model: {
          traceId,
          spanCount: n,
          traceStartUnixNano: '1714572207123000000',
          traceStartMs: 1714572207123,
          durationNs: total,
          strings,
          services: SERVICES.slice(),
          columns: cols,
          partial: false,
          warnings: [],
        },
        header: {
          backendName: 'Tempo (synthetic)',
          rootService: SERVICES[0],
          rootName: strings[cols.name[0]],
          serviceCount: SERVICES.length,
          errorCount: errors,
          canOpenInGrafana: true,
        },
        criticalPath: Int32Array.from(path),
        selfTimeNs: self,
      };
    }
    if (next !== n) throw new Error(`synth made ${next} spans, wanted ${n}`);
    return finish();
  };
})();
