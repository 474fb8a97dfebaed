/**
 * Jaeger's query API: `GET <base>/api/traces/<id>` returns `{"data":[trace],"errors":…}`, decoded
 * as 'jaeger-json'. A missing trace is a 404.
 */
import { SimpleHttpBackend, type HttpBackendOptions } from '../simple';

/** Options for `JaegerBackend`: the query service URL (for example `http://jaeger:16686`). */
export type JaegerBackendOptions = HttpBackendOptions;

/** Traces from Jaeger's query service. */
export class JaegerBackend extends SimpleHttpBackend {
  constructor(options: JaegerBackendOptions) {
    super(
      {
        kind: 'jaeger',
        product: 'Jaeger',
        // Jaeger stores 64-bit IDs as 16 hex digits; both forms find the trace, the short one reads better in logs.
        tracePath: (_id, short) => `/api/traces/${short}`,
        format: 'jaeger-json',
        healthPath: '/api/services',
      },
      options,
    );
  }
}
