/**
 * Fixtures for the agent tests: a backend that serves the recorded traces, the demo workspace
 * as a `ResolveContext`, and a Markdown check with a real GFM renderer. Not used by the extension.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BackendError, type SearchQuery, type SearchResult, type TraceBackend } from '../../backends';
import { decodeTrace } from '../../decode';
import { FileIndex, type ResolveContext } from '../../source';

const ROOT = resolve(__dirname, '..', '..', '..', '..');
export const TEMPO_FIXTURES = join(ROOT, 'test', 'fixtures', 'tempo');
export const HOSTILE_FIXTURES = join(ROOT, 'test', 'fixtures', 'hostile');

/** The 6-span workflow trace (`tempo-2.0.1-trace-v1.json`). */
export const WORKFLOW = 'a8e00f77b50a734539bf0e48eec6bec4';
/** The 2,001-span batch trace (`tempo-2.0.1-trace-v1-2001spans.json`). */
export const BIG = '85c5a3cd3c3f9a71b94e6401754cd3e0';
/** The hand-written hostile trace (`test/fixtures/hostile/hostile-trace.json`). */
export const HOSTILE = '1717deadbeef1717deadbeef1717dead';

const FILES: Record<string, string> = {
  [WORKFLOW]: join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1.json'),
  [BIG]: join(TEMPO_FIXTURES, 'tempo-2.0.1-trace-v1-2001spans.json'),
  [HOSTILE]: join(HOSTILE_FIXTURES, 'hostile-trace.json'),
};

/** A backend over the fixture traces; `search` answers with `searchResult` when given. */
export function fixtureBackend(
  options: { searchResult?: SearchResult; searches?: SearchQuery[] } = {},
): TraceBackend {
  const backend: TraceBackend = {
    kind: 'file',
    name: 'fixtures',
    async getTrace(traceId) {
      const file = FILES[traceId];
      if (!file) throw new BackendError('not-found', `trace ${traceId} not found`, { status: 404 });
      return { decoded: decodeTrace(new Uint8Array(readFileSync(file))), partial: false };
    },
    async testConnection() {
      return { ok: true, checks: [], summary: 'fixtures' };
    },
  };
  if (options.searchResult) {
    const result = options.searchResult;
    backend.search = async (q) => {
      options.searches?.push(q);
      return result;
    };
  }
  return backend;
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** `test/fixtures/recorded-workspace` (the code the recorded fixture traces name) as a resolve context. */
export function demoWorkspace(): ResolveContext {
  const folder = join(ROOT, 'test', 'fixtures', 'recorded-workspace');
  return {
    folders: [{ name: 'recorded-workspace', path: folder }],
    pathMappings: {},
    fileIndex: new FileIndex(walk(folder, [])),
  };
}
