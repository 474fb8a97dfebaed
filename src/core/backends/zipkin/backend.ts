/**
 * Zipkin's API v2: `GET <base>/api/v2/trace/<id>` returns a JSON array of spans, decoded as
 * 'zipkin-json'. A missing trace is a 404.
 */
import { SimpleHttpBackend, type HttpBackendOptions } from '../simple';

/** Options for `ZipkinBackend`: the Zipkin server URL (for example `http://zipkin:9411`). */
export type ZipkinBackendOptions = HttpBackendOptions;

/** Traces from a Zipkin server. */
export class ZipkinBackend extends SimpleHttpBackend {
  constructor(options: ZipkinBackendOptions) {
    super(
      {
        kind: 'zipkin',
        product: 'Zipkin',
        // Zipkin stores 64-bit IDs as 16 hex digits: ask in that form rather than rely on its normalising.
        tracePath: (_id, short) => `/api/v2/trace/${short}`,
        format: 'zipkin-json',
        healthPath: '/api/v2/services',
      },
      options,
    );
  }
}
