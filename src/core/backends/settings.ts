/**
 * `traceLens.backends` entries as the settings hold them, read in one place for the extension
 * (`host/config.ts`) and the command line (`cli/settings.ts`), so both accept the same entries
 * and say the same about the rest.
 */
import { quoteText } from './errors';
import { isBackendKind, type BackendKind } from './kinds';

/** A backend as the settings describe it. */
export interface BackendConfig {
  /** Display name, unique among the configured backends. */
  name: string;
  kind: BackendKind;
  /** Base URL (with any path prefix); for 'file', a path or `file:` URL. */
  url: string;
  /** Tempo `X-Scope-OrgID` (`a|b` for several tenants). */
  tenant?: string;
  /** Extra headers, sent only to the backend's origin. */
  headers?: Record<string, string>;
  /** Tempo trace-by-ID format. Default 'proto'. */
  format?: 'proto' | 'json';
  /** Deadline for one request, in milliseconds. Default 30000. */
  timeoutMs?: number;
}

/** What is wrong with an entry of `traceLens.backends`. */
export type BackendEntryProblem =
  | { kind: 'not-object' }
  | { kind: 'no-name' }
  | { kind: 'unknown-kind'; name: string; value: string }
  | { kind: 'no-url'; name: string }
  /** A header that cannot be sent; the entry is usable without it. */
  | { kind: 'bad-header'; name: string; header: string };

/** An entry of `traceLens.backends`, read. */
export interface ParsedBackendEntry {
  /** The entry's name, when it has one (an unusable entry may still have one). */
  name?: string;
  /** The backend, when the entry is usable. */
  config?: BackendConfig;
  /** Without `config`, why the entry is unusable; with it, the fields that were left out. */
  problems: BackendEntryProblem[];
}

const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/**
 * Reads one entry of `traceLens.backends`. Never throws: a person's settings file may hold
 * anything, and the caller decides whether a problem is worth a warning or an error.
 */
export function parseBackendEntry(raw: unknown): ParsedBackendEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { problems: [{ kind: 'not-object' }] };
  }
  const r = raw as Record<string, unknown>;
  const name = typeof r.name === 'string' ? r.name.trim() : '';
  if (!name) return { problems: [{ kind: 'no-name' }] };
  // A missing kind means Tempo, as the settings' description says.
  const kind = typeof r.kind === 'string' ? r.kind : 'tempo';
  if (!isBackendKind(kind)) return { name, problems: [{ kind: 'unknown-kind', name, value: kind }] };
  const url = typeof r.url === 'string' ? r.url.trim() : '';
  if (!url) return { name, problems: [{ kind: 'no-url', name }] };
  const problems: BackendEntryProblem[] = [];
  const headers: Record<string, string> = {};
  if (typeof r.headers === 'object' && r.headers !== null) {
    for (const [header, value] of Object.entries(r.headers as Record<string, unknown>)) {
      if (HEADER_NAME.test(header) && typeof value === 'string' && !/[\r\n\0]/.test(value)) {
        headers[header] = value;
      } else problems.push({ kind: 'bad-header', name, header });
    }
  }
  const tenant = typeof r.tenant === 'string' ? r.tenant.trim() : '';
  return {
    name,
    config: {
      name,
      kind,
      url,
      ...(tenant ? { tenant } : {}),
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(r.format === 'json' || r.format === 'proto' ? { format: r.format } : {}),
    },
    problems,
  };
}

/** One sentence for a problem; `where` names the settings file when there are several. */
export function describeBackendProblem(problem: BackendEntryProblem, where?: string): string {
  const inWhere = where ? ` in ${where}` : '';
  switch (problem.kind) {
    case 'not-object':
      return `an entry of traceLens.backends${inWhere} is not an object`;
    case 'no-name':
      return `an entry of traceLens.backends${inWhere} has no name`;
    case 'unknown-kind':
      return `backend "${problem.name}"${inWhere} has an unknown kind "${quoteText(problem.value, [], 40)}"`;
    case 'no-url':
      return `backend "${problem.name}"${inWhere} has no url`;
    case 'bad-header':
      return `backend "${problem.name}"${inWhere}: header "${quoteText(problem.header, [], 60)}" has a bad name or value`;
  }
}
