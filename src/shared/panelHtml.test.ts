import { strict as assert } from 'node:assert';
import { panelCsp, renderPanelHtml } from './panelHtml';

describe('renderPanelHtml', () => {
  const html = renderPanelHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'n0nce',
    distUri: (f) => `https://res.test/dist/${f}`,
    title: 'Trace <b>"x"</b>',
    prelude: { styles: ['https://res.test/stub/themes.css'], scripts: ['https://res.test/stub/host.js'] },
  });
  const decode = (s: string) => s.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
  const csp = decode(/http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '');

  it('sets a policy that forbids everything the page does not need', () => {
    assert.equal(csp, panelCsp('https://file+.vscode-resource.vscode-cdn.net', 'n0nce'));
    const directives = new Map(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), ["'nonce-n0nce'"]);
    for (const [name, values] of directives) {
      assert.ok(!values.includes("'unsafe-inline'") && !values.includes("'unsafe-eval'"), name);
      assert.ok(!values.includes('*') && !values.some((v) => v.startsWith('http:')), name);
    }
    assert.ok(!directives.has('connect-src'), 'the page fetches nothing');
  });

  it('loads the prelude, then the bundle, every script and stylesheet with the nonce, no inline script', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    assert.deepEqual(
      scripts.map((m) => /src="([^"]+)"/.exec(m[1]!)?.[1]),
      ['https://res.test/stub/host.js', 'https://res.test/dist/webview.js'],
    );
    for (const m of scripts) {
      assert.match(m[1]!, /nonce="n0nce"/);
      assert.equal(m[2], '', 'no inline code');
    }
    const links = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)" nonce="n0nce">/g)].map(
      (m) => m[1],
    );
    assert.deepEqual(links, [
      'https://res.test/stub/themes.css',
      'https://res.test/dist/codicon.css',
      'https://res.test/dist/webview.css',
    ]);
    assert.ok(!/\sstyle=/.test(html), 'no inline style attribute');
    assert.match(html, /<div id="app"><\/div>/);
  });

  it('writes the title as text', () => {
    assert.match(html, /<title>Trace &#60;b&#62;&#34;x&#34;&#60;\/b&#62;<\/title>/);
  });
});
