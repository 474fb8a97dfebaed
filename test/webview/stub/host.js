// The host's side of the protocol, played in the test page before the real bundle loads:
// defines `acquireVsCodeApi` (recording every posted message and the state), answers `ready`
// with `init` (a single-trace panel: the trace under the handle `main`) and `getSpanDetail` with
// `spanDetail`, and records CSP violations and errors.
// Reads its script from `window.__tlFixture` (set by fixture.js, written by the test helper).
(function () {
  'use strict';
  const fx = window.__tlFixture || {};
  // Typed arrays travel in the fixture as {"$typed": "Float64Array", "data": [...]}.
  function decode(v) {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      if (typeof v.$typed === 'string') return new globalThis[v.$typed](v.data);
      const out = {};
      for (const k of Object.keys(v)) out[k] = decode(v[k]);
      return out;
    }
    return v;
  }
  const tl = {
    posted: [],
    states: [],
    state: fx.initialState,
    csp: [],
    errors: [],
    fixture: fx,
    trace: undefined,
    /** Posts a host → webview message the way VS Code delivers it (a window message). */
    send(msg) {
      window.postMessage(decode(msg), '*');
    },
    sendRaw(msg) {
      window.postMessage(msg, '*');
    },
  };
  window.__tl = tl;
  document.documentElement.setAttribute('data-theme', fx.theme || 'dark');
  document.addEventListener('DOMContentLoaded', () => {
    document.body.classList.add(
      fx.theme === 'light' ? 'vscode-light' : fx.theme === 'hc' ? 'vscode-high-contrast' : 'vscode-dark',
    );
  });
  document.addEventListener('securitypolicyviolation', (e) => {
    tl.csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
  });
  window.addEventListener('error', (e) => tl.errors.push(String(e.message)));

  // Timing for the benchmark. This listener is registered before the bundle's, so it sees a trace
  // message arrive first; the first task after the next frame marks the rows as painted.
  tl.paints = [];
  tl.longtasks = [];
  window.addEventListener('message', (e) => {
    const type = e.data && e.data.type;
    if (type !== 'init' && type !== 'trace') return;
    const arrived = performance.now();
    console.timeStamp('tl-arrived');
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        tl.paints.push({
          arrived,
          painted: performance.now(),
          rows: document.querySelectorAll('.tl-row').length,
        });
        // Marks the moment in a performance trace (the benchmark's CPU pass reads it).
        console.timeStamp('tl-painted');
      };
      ch.port2.postMessage(0);
    });
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tl.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // longtask is Chromium-only; the tests do not need it.
  }

  function trace() {
    if (tl.trace) return tl.trace;
    if (fx.synth) tl.trace = window.__tlSynth(fx.synth.n, fx.synth.seed || 1);
    else if (fx.trace) tl.trace = decode(fx.trace);
    return tl.trace;
  }

  function detailFor(index) {
    if (fx.details && fx.details[index] !== undefined) return decode(fx.details[index]);
    const t = trace();
    if (!t || index >= t.model.spanCount) return null;
    const w = t.model.columns.spanIdWords;
    const hex = (x) => (x >>> 0).toString(16).padStart(8, '0');
    return {
      index,
      spanId: hex(w[2 * index]) + hex(w[2 * index + 1]),
      attributes: [{ key: 'synthetic', value: true }],
      resource: [{ key: 'service.name', value: t.model.services[t.model.columns.service[index]] }],
      scope: { name: 'synthetic', attributes: [] },
      events: [],
      links: [],
    };
  }

  function onPosted(m) {
    if (m.type === 'ready' && fx.autoInit !== false) {
      setTimeout(() => {
        if (fx.search) {
          // A search webview: the subject, then the search (as host/searchPanel.ts posts them).
          tl.sendRaw({ type: 'init', inReplyTo: m.requestId, subject: { kind: 'search' }, traces: [] });
          tl.send({ type: 'search', search: fx.search });
        } else if (fx.initError) tl.send({ type: 'error', message: fx.initError });
        else if (fx.compare) {
          // A comparison panel: traces A and B under their handles, then the comparison.
          const a = decode(fx.compare.a);
          const b = decode(fx.compare.b);
          tl.trace = b;
          tl.sendRaw({
            type: 'init',
            inReplyTo: m.requestId,
            subject: {
              kind: 'compare',
              a: { traceId: a.model.traceId },
              b: { traceId: b.model.traceId },
            },
            traces: [
              { handle: 'a', trace: a },
              { handle: 'b', trace: b },
            ],
          });
          tl.sendRaw({ type: 'comparison', comparison: decode(fx.compare.comparison) });
        } else {
          const t = trace();
          tl.sendRaw({
            type: 'init',
            inReplyTo: m.requestId,
            subject: { kind: 'trace', traceId: t && t.model.traceId },
            traces: [
              { handle: 'main', trace: t, ...(fx.selectSpanId ? { selectSpanId: fx.selectSpanId } : {}) },
            ],
            ...(fx.history ? { history: fx.history } : {}),
            ...(fx.layout ? { layout: fx.layout } : {}),
          });
        }
      }, 0);
    } else if (m.type === 'getSpanLogs' && fx.logs) {
      setTimeout(
        () =>
          tl.sendRaw({
            type: 'spanLogs',
            inReplyTo: m.requestId,
            handle: m.handle,
            index: m.index,
            ...decode(fx.logs),
          }),
        0,
      );
    } else if (m.type === 'getSpanDetail' && fx.answerDetails !== false) {
      setTimeout(
        () => tl.sendRaw({ type: 'spanDetail', inReplyTo: m.requestId, detail: detailFor(m.index) }),
        fx.detailDelayMs || 0,
      );
    }
  }

  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(m) {
        tl.posted.push(JSON.parse(JSON.stringify(m)));
        onPosted(m);
      },
      getState() {
        return tl.state;
      },
      setState(s) {
        tl.state = JSON.parse(JSON.stringify(s));
        tl.states.push(tl.state);
        return s;
      },
    });
  };
})();
