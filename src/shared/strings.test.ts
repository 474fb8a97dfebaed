import { strict as assert } from 'node:assert';
import { renderPanelHtml } from './panelHtml';
import {
  ENGLISH_STRINGS,
  formatString,
  parseWebviewStrings,
  webviewStrings,
  type WebviewStrings,
} from './strings';

describe('the webview strings table', () => {
  it('is worded by the translator the host passes', () => {
    const worded = webviewStrings({ l10n: { t: (m) => `«${m}»` } });
    assert.equal(worded.spanDetail, '«Span detail»');
    assert.deepEqual(Object.keys(worded), Object.keys(ENGLISH_STRINGS));
  });

  it('takes what the host sent key by key and keeps English for anything else', () => {
    const parsed = parseWebviewStrings({
      spanDetail: 'Détail',
      noMatches: 7,
      retry: 'x'.repeat(501),
      extra: 'y',
    });
    assert.equal(parsed.spanDetail, 'Détail');
    assert.equal(parsed.noMatches, ENGLISH_STRINGS.noMatches);
    assert.equal(parsed.retry, ENGLISH_STRINGS.retry);
    assert.ok(!('extra' in parsed));
    assert.deepEqual(parseWebviewStrings(null), ENGLISH_STRINGS);
    assert.deepEqual(parseWebviewStrings('junk'), ENGLISH_STRINGS);
  });

  it('fills placeholders, leaving unknown ones', () => {
    assert.equal(formatString('{0} of {1}', 3, '9'), '3 of 9');
    assert.equal(formatString('{0} of {2}', 3), '3 of {2}');
  });

  it('travels in the page as an attribute that reads back exactly, markup included', () => {
    const strings: WebviewStrings = { ...ENGLISH_STRINGS, loadingTrace: `"><script>alert(1)</script>&amp;'` };
    const html = renderPanelHtml({
      cspSource: 'x',
      nonce: 'n',
      distUri: (f) => f,
      title: 't',
      strings,
      lang: 'de',
    });
    const attr = /<div id="app" data-strings="([^"]*)"><\/div>/.exec(html)?.[1];
    assert.ok(attr, 'the #app element carries the table');
    assert.ok(!/[<>"']/.test(attr), 'nothing in the attribute can end it');
    const decoded = attr.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
    assert.deepEqual(parseWebviewStrings(JSON.parse(decoded)), strings);
    assert.match(html, /<html lang="de">/);
    assert.match(
      renderPanelHtml({ cspSource: 'x', nonce: 'n', distUri: (f) => f, title: 't' }),
      /<div id="app"><\/div>/,
    );
  });
});
