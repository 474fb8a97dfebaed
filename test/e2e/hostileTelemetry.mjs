// The hostile trace of test/fixtures/hostile/hostile-trace.json (issue 17) sent the way an
// attacker's telemetry arrives: an OTLP/HTTP export (JSON) to a receiver, not a Tempo response.
// Its spans carry `code.function` / `code.filepath` values with `[label](command:…)` links, span
// names that are Markdown autolinks, and a span naming /proc/self/environ. Each send gets a fresh
// trace ID (two suites sending to one store would otherwise merge into one trace) and timestamps of
// now, as live telemetry has; the span IDs are the fixture's, so a log line can name one of them.
// Node built-ins only (fetch), so the in-host suite can import it too.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOSTILE_FIXTURE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'hostile',
  'hostile-trace.json',
);

/** The service.name of every hostile span. */
export const HOSTILE_SERVICE = 'hostile-shop';

/**
 * The fixture as an OTLP ExportTraceServiceRequest (JSON encoding): every span moved to `traceId`
 * and shifted in time so that the trace ends at `endMs`. Returns `{ traceId, request, spans }`,
 * `spans` mapping each span's name to its span ID.
 */
export function hostileExportRequest({ traceId = randomBytes(16).toString('hex'), endMs = Date.now() } = {}) {
  if (!/^[0-9a-f]{32}$/.test(traceId)) throw new Error(`not a trace ID: ${traceId}`);
  const { batches } = JSON.parse(readFileSync(HOSTILE_FIXTURE, 'utf8'));
  const all = batches.flatMap((b) => b.scopeSpans.flatMap((s) => s.spans));
  const lastEnd = all.reduce((m, s) => (BigInt(s.endTimeUnixNano) > m ? BigInt(s.endTimeUnixNano) : m), 0n);
  const shift = BigInt(endMs) * 1_000_000n - lastEnd;
  const spans = {};
  const resourceSpans = batches.map((b) => ({
    resource: b.resource,
    scopeSpans: b.scopeSpans.map((s) => ({
      scope: s.scope,
      spans: s.spans.map((span) => {
        spans[span.name] = span.spanId;
        return {
          ...span,
          traceId,
          startTimeUnixNano: String(BigInt(span.startTimeUnixNano) + shift),
          endTimeUnixNano: String(BigInt(span.endTimeUnixNano) + shift),
        };
      }),
    })),
  }));
  return { traceId, request: { resourceSpans }, spans };
}

/**
 * Exports the hostile trace to the OTLP/HTTP receiver at `otlpUrl` (`http://host:port`, as
 * OTEL_EXPORTER_OTLP_ENDPOINT) and resolves to `{ traceId, spans }` once the receiver accepted
 * every span. Throws with the receiver's answer otherwise.
 */
export async function sendHostileTrace(otlpUrl, options = {}) {
  if (!otlpUrl) throw new Error('no OTLP/HTTP URL to send the hostile trace to');
  const { traceId, request, spans } = hostileExportRequest(options);
  const res = await fetch(`${otlpUrl.replace(/\/+$/, '')}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(30000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`the receiver refused the hostile trace (${res.status}): ${text}`);
  const rejected = Number(JSON.parse(text || '{}').partialSuccess?.rejectedSpans ?? 0);
  if (rejected > 0) throw new Error(`the receiver rejected ${rejected} hostile spans: ${text}`);
  return { traceId, spans };
}
