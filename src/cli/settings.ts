/**
 * Named backends for `trace-lens show --backend NAME`: read from the `traceLens.backends` entries
 * of `.vscode/settings.json` in the current folder or its parents, then of the file named by
 * `TRACE_LENS_SETTINGS`, so the CLI and the extension share one configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BackendConfig, BackendKind } from '../core/backends';

const KINDS: readonly BackendKind[] = ['tempo', 'grafana', 'jaeger', 'zipkin', 'file'];

/** Removes `//` and block comments and trailing commas from JSONC, leaving strings alone. */
export function stripJsonc(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The settings files the CLI looks at, nearest first. */
export function settingsFiles(cwd: string, env: NodeJS.ProcessEnv): string[] {
  const files: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    const f = join(dir, '.vscode', 'settings.json');
    if (existsSync(f)) files.push(f);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (env.TRACE_LENS_SETTINGS) files.push(resolve(env.TRACE_LENS_SETTINGS));
  return files;
}

/** Finds the backend called `name`; throws an Error with a sentence saying what is wrong. */
export function findBackend(name: string, files: string[]): BackendConfig {
  const seen: string[] = [];
  for (const file of files) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stripJsonc(readFileSync(file, 'utf8')));
    } catch (err) {
      throw new Error(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const list = (parsed as Record<string, unknown> | null)?.['traceLens.backends'];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'object' || entry === null) continue;
      const e = entry as Record<string, unknown>;
      if (typeof e.name === 'string') seen.push(e.name);
      if (e.name !== name) continue;
      const kind = (typeof e.kind === 'string' ? e.kind : 'tempo') as BackendKind;
      if (!KINDS.includes(kind))
        throw new Error(`backend "${name}" in ${file} has an unknown kind "${kind}"`);
      if (typeof e.url !== 'string' || !e.url) throw new Error(`backend "${name}" in ${file} has no url`);
      const headers =
        typeof e.headers === 'object' && e.headers !== null
          ? Object.fromEntries(
              Object.entries(e.headers as Record<string, unknown>).filter(
                (kv): kv is [string, string] => typeof kv[1] === 'string',
              ),
            )
          : undefined;
      return {
        name,
        kind,
        url: e.url,
        ...(typeof e.tenant === 'string' && e.tenant ? { tenant: e.tenant } : {}),
        ...(headers && Object.keys(headers).length ? { headers } : {}),
        ...(e.format === 'json' || e.format === 'proto' ? { format: e.format } : {}),
      };
    }
  }
  if (!files.length) {
    throw new Error(
      `no backend "${name}": no .vscode/settings.json here or above, and TRACE_LENS_SETTINGS is not set`,
    );
  }
  throw new Error(
    `no backend "${name}" in traceLens.backends${seen.length ? ` (known: ${seen.join(', ')})` : ''}`,
  );
}
