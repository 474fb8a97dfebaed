import { strict as assert } from 'node:assert';
import { grafanaExploreUrl } from './grafana';

describe('grafanaExploreUrl', () => {
  const id = 'a8e00f77b50a734539bf0e48eec6bec4';

  it('builds an Explore URL with a TraceQL query for the trace', () => {
    const url = grafanaExploreUrl('https://grafana.example.com/', 'tempo-main', id);
    assert.ok(url);
    const u = new URL(url);
    assert.equal(u.origin + u.pathname, 'https://grafana.example.com/explore');
    const panes = JSON.parse(u.searchParams.get('panes') ?? '') as {
      tl: { queries: Array<{ query: string; datasource: { uid: string } }> };
    };
    assert.equal(panes.tl.queries[0]?.query, id);
    assert.equal(panes.tl.queries[0]?.datasource.uid, 'tempo-main');
  });

  it('keeps a sub-path', () => {
    const url = grafanaExploreUrl('https://example.com/grafana', 'x', id);
    assert.ok(url?.startsWith('https://example.com/grafana/explore?'));
  });

  it('refuses non-http schemes and junk', () => {
    assert.equal(grafanaExploreUrl('javascript:alert(1)', 'x', id), undefined);
    assert.equal(grafanaExploreUrl('file:///etc/passwd', 'x', id), undefined);
    assert.equal(grafanaExploreUrl('not a url', 'x', id), undefined);
  });
});
