/**
 * Jaeger's query API and Zipkin's API v2 answers, in the documented shapes (there are no
 * recorded fixtures). Test-only code.
 */
/** A Jaeger trace's ID. */
export const JAEGER_ID = '5b8efff798038103d269b633813fc60c';
/** One trace as Jaeger's query API answers `/api/traces/<id>`. */
export const JAEGER_TRACE = JSON.stringify({
  data: [
    {
      traceID: JAEGER_ID,
      spans: [
        {
          traceID: JAEGER_ID,
          spanID: 'eee19b7ec3c1b174',
          operationName: 'GET /api',
          references: [],
          startTime: 1700000000000000,
          duration: 1000,
          tags: [{ key: 'span.kind', type: 'string', value: 'server' }],
          logs: [],
          processID: 'p1',
          warnings: null,
        },
      ],
      processes: { p1: { serviceName: 'api', tags: [] } },
      warnings: null,
    },
  ],
  total: 0,
  limit: 0,
  offset: 0,
  errors: null,
});
/** A Zipkin trace's ID, padded. */
export const ZIPKIN_ID = '00000000000000000123456789abcdef';
/** One trace as Zipkin's API v2 answers `/api/v2/trace/<id>`. */
export const ZIPKIN_TRACE = JSON.stringify([
  {
    traceId: '0123456789abcdef',
    id: '0000000000001234',
    name: 'get /api',
    timestamp: 1700000000000000,
    duration: 1000,
    kind: 'SERVER',
    localEndpoint: { serviceName: 'api' },
    tags: { 'http.method': 'GET' },
  },
]);
