// What a trace the demo system produced holds, read from a Tempo-compatible API (the extension's
// receiver, or the team backend): the tests derive their expectations from it, since IDs,
// durations and timestamps differ per run. Used by the in-host suite (CommonJS) and by the
// Playwright scenarios (`import traceFacts from '../host-tests/traceFacts.js'`). Test only.
'use strict';
/* global module */

const UNITS = [
  [1, 'ns'],
  [1e3, 'µs'],
  [1e6, 'ms'],
  [1e9, 's'],
];

/**
 * A duration as Trace Lens prints it below a minute (src/shared/format.ts, formatDuration: three
 * significant digits, no trailing zeros): "4.37 s", "810 ms". Throws from a minute on, where the
 * product switches to whole units, so a test never compares against a guess.
 */
function durationText(ns) {
  if (!(ns > 0)) throw new Error(`durationText: ${ns} is not a positive duration`);
  if (Number((ns / 1e9).toPrecision(3)) >= 60) throw new Error(`durationText: ${ns} ns is a minute or more`);
  let u = 0;
  while (u + 1 < UNITS.length && ns >= UNITS[u + 1][0]) u++;
  let value = Number((ns / UNITS[u][0]).toPrecision(3));
  if (value >= 1000 && u + 1 < UNITS.length) {
    u++;
    value = Number((ns / UNITS[u][0]).toPrecision(3));
  }
  return `${Number(value.toPrecision(3))} ${UNITS[u][1]}`;
}

/** A span or trace ID as hex, whether the API wrote it as hex or as base64 (Tempo's v1 JSON). */
function hexId(id, bytes) {
  if (typeof id !== 'string' || id === '') return '';
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(id)) return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

function attrValue(v) {
  if (!v) return undefined;
  for (const k of ['stringValue', 'intValue', 'doubleValue', 'boolValue']) if (k in v) return v[k];
  return undefined;
}

function attrs(list) {
  const out = {};
  for (const a of list || []) out[a.key] = attrValue(a.value);
  return out;
}

/**
 * Fetches `traceId` from `baseUrl` (`/api/traces/<id>`, JSON) and returns
 * `{ traceId, spans: [{ spanId, parentSpanId, name, service, startNs, endNs, error, attributes,
 * events }], spanCount, services, root, durationNs, errorCount }`. Rejects when the API does not
 * have it.
 */
async function traceFacts(baseUrl, traceId) {
  const res = await fetch(`${baseUrl}/api/traces/${traceId}`, {
    headers: { accept: 'application/json' },
    signal: AbortSignal.timeout(30000),
  });
  if (!res.ok) throw new Error(`${baseUrl} has no trace ${traceId}: HTTP ${res.status}`);
  const body = await res.json();
  const spans = [];
  for (const rs of body.batches || body.resourceSpans || []) {
    const service = attrs(rs.resource && rs.resource.attributes)['service.name'];
    for (const ss of rs.scopeSpans || rs.instrumentationLibrarySpans || []) {
      for (const s of ss.spans || []) {
        const status = s.status || {};
        spans.push({
          spanId: hexId(s.spanId, 8),
          parentSpanId: hexId(s.parentSpanId, 8),
          name: s.name,
          service,
          startNs: BigInt(s.startTimeUnixNano),
          endNs: BigInt(s.endTimeUnixNano),
          error: status.code === 2 || status.code === 'STATUS_CODE_ERROR',
          attributes: attrs(s.attributes),
          events: (s.events || []).map((e) => ({ name: e.name, attributes: attrs(e.attributes) })),
        });
      }
    }
  }
  if (spans.length === 0) throw new Error(`${baseUrl} answered no spans for ${traceId}`);
  const ids = new Set(spans.map((s) => s.spanId));
  const root = spans.find((s) => !s.parentSpanId || !ids.has(s.parentSpanId));
  let start = spans[0].startNs;
  let end = spans[0].endNs;
  for (const s of spans) {
    if (s.startNs < start) start = s.startNs;
    if (s.endNs > end) end = s.endNs;
  }
  return {
    traceId,
    spans,
    spanCount: spans.length,
    services: [...new Set(spans.map((s) => s.service))],
    root,
    durationNs: Number(end - start),
    errorCount: spans.filter((s) => s.error).length,
  };
}

module.exports = { traceFacts, durationText };
