/**
 * The kinds of trace backend, in one list. Adding a kind is one entry here plus its builder in
 * `index.ts` (`createBackend` fails to compile until it has one) and the manifest's enum
 * (`settings.test.ts` fails until `package.json` lists it).
 */
export const BACKEND_KINDS = ['tempo', 'grafana', 'jaeger', 'zipkin', 'file'] as const;

/** One of `BACKEND_KINDS`. */
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** True when `value` names a backend kind. */
export function isBackendKind(value: unknown): value is BackendKind {
  return typeof value === 'string' && (BACKEND_KINDS as readonly string[]).includes(value);
}
