// Baseline for the benchmark: the same rows as the webview (same classes and CSS) but every span
// an element in normal flow, built at once, no virtualisation. Answers `init` like the webview.
(function () {
  'use strict';
  const app = document.getElementById('app');
  window.addEventListener('message', (e) => {
    const m = e.data;
    if (!m || (m.type !== 'init' && m.type !== 'trace')) return;
    const t = m.type === 'init' ? m.traces[0].trace : m.trace;
    const c = t.model.columns;
    const n = t.model.spanCount;
    const total = t.model.durationNs || 1;
    const units = [
      [1, 'ns'],
      [1e3, 'µs'],
      [1e6, 'ms'],
      [1e9, 's'],
    ];
    const fmt = (ns) => {
      let u = 0;
      while (u + 1 < units.length && ns >= units[u + 1][0]) u++;
      return `${Number((ns / units[u][0]).toPrecision(3))} ${units[u][1]}`;
    };
    const list = document.createElement('div');
    list.className = 'fd-list';
    list.style.overflowY = 'auto';
    list.style.height = '100%';
    list.style.setProperty('--tl-label-w', '340px');
    for (let i = 0; i < n; i++) {
      const row = document.createElement('div');
      row.className = 'tl-row';
      row.style.position = 'relative';
      row.style.contain = 'none';
      row.setAttribute('role', 'treeitem');
      row.setAttribute('data-span-index', String(i));
      const label = document.createElement('div');
      label.className = 'tl-label';
      label.style.width = '340px';
      const guides = document.createElement('span');
      guides.className = 'tl-guides';
      guides.style.width = `${Math.min(c.depth[i], 14) * 12}px`;
      const name = document.createElement('span');
      name.className = 'tl-name';
      name.textContent = t.model.strings[c.name[i]];
      const svc = document.createElement('span');
      svc.className = 'tl-service';
      svc.textContent = t.model.services[c.service[i]];
      label.append(guides, name, svc);
      const track = document.createElement('div');
      track.className = 'tl-track';
      const bar = document.createElement('div');
      bar.className = 'tl-bar';
      bar.style.setProperty('--svc', `var(--tl-svc-${c.service[i] % 12})`);
      bar.style.left = `${(c.startNs[i] / total) * 100}%`;
      bar.style.width = `${(c.durationNs[i] / total) * 100}%`;
      const dur = document.createElement('span');
      dur.className = 'tl-duration';
      dur.style.left = `calc(${((c.startNs[i] + c.durationNs[i]) / total) * 100}% + 4px)`;
      dur.textContent = fmt(c.durationNs[i]);
      track.append(bar, dur);
      row.append(label, track);
      list.append(row);
    }
    app.replaceChildren(list);
  });
})();
