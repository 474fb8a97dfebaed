/**
 * Grafana Explore URL for a trace, for "Open in Grafana". Pure: the host passes the settings.
 * The pane state is Grafana's `panes` JSON (Grafana 10 and later).
 */
export function grafanaExploreUrl(
  grafanaUrl: string,
  datasourceUid: string,
  traceId: string,
): string | undefined {
  let base: URL;
  try {
    base = new URL(grafanaUrl);
  } catch {
    return undefined;
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined;
  const panes = {
    tl: {
      datasource: datasourceUid,
      queries: [
        {
          refId: 'A',
          datasource: { type: 'tempo', uid: datasourceUid },
          queryType: 'traceql',
          query: traceId,
        },
      ],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  const path = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${path}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}&orgId=1`;
}
