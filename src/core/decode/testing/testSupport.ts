/**
 * Builders for tests of the decoders and analysis: small OTLP/JSON traces written as data, so
 * each test states its spans literally. Not used by the extension.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `test/fixtures/tempo`: the recorded Tempo responses, copied from `../shared/fixtures/tempo` so a lone clone runs the tests. */
export const TEMPO_FIXTURES = join(resolve(__dirname, '..', '..', '..', '..'), 'test', 'fixtures', 'tempo');

/** Names of the files in the Tempo fixture folder. */
export function fixtureFiles(): string[] {
  return readdirSync(TEMPO_FIXTURES).sort();
}

/** One span for `otlpTrace`: IDs are hex, times nanoseconds from `BASE_NS`. */
export interface SpanSpec {
  id: string;
  parent?: string;
  name?: string;
  service?: string;
  start: number;
  end: number;
  kind?: number;
  error?: boolean;
  attributes?: Record<string, string | number | boolean>;
  events?: { name: string; at: number; attributes?: Record<string, string> }[];
  traceId?: string;
}

/** A fixed instant (2026-11-22, well above 2^53 ns) so exactness is tested on every trace. */
export const BASE_NS = 1795469687728000000n;
export const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

function attrs(a: Record<string, string | number | boolean> | undefined): unknown[] {
  return Object.entries(a ?? {}).map(([key, v]) => ({
    key,
    value:
      typeof v === 'string'
        ? { stringValue: v }
        : typeof v === 'number'
          ? { intValue: String(v) }
          : { boolValue: v },
  }));
}

/** An OTLP/JSON (spec form: hex IDs, integer enums, string int64) trace, one resource per service. */
export function otlpTrace(spans: SpanSpec[]): { resourceSpans: unknown[] } {
  const byService = new Map<string, unknown[]>();
  for (const s of spans) {
    const service = s.service ?? 'svc';
    const list = byService.get(service) ?? [];
    byService.set(service, list);
    list.push({
      traceId: s.traceId ?? TRACE_ID,
      spanId: s.id,
      ...(s.parent ? { parentSpanId: s.parent } : {}),
      name: s.name ?? s.id,
      kind: s.kind ?? 1,
      startTimeUnixNano: String(BASE_NS + BigInt(s.start)),
      endTimeUnixNano: String(BASE_NS + BigInt(s.end)),
      attributes: attrs(s.attributes),
      events: (s.events ?? []).map((e) => ({
        name: e.name,
        timeUnixNano: String(BASE_NS + BigInt(e.at)),
        attributes: attrs(e.attributes),
      })),
      status: s.error ? { code: 2, message: 'failed' } : {},
    });
  }
  return {
    resourceSpans: [...byService].map(([service, list]) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans: list }],
    })),
  };
}

/** A 16-hex span ID from a number. */
export function sid(n: number): string {
  return n.toString(16).padStart(16, '0');
}
