import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every notification goes through `notify.ts`, whose functions take only `InertText` (made by
 * `core/notices.ts`), and every Markdown string through `core/untrusted.ts` or `core/hovers.ts`.
 * These tests read the sources, so a new `showWarningMessage(`…`)` with raw trace text fails here
 * rather than in a user's workbench.
 */
const SRC = join(__dirname, '..');

function sources(dir = SRC): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name))
      out.push({ file: relative(SRC, path).replace(/\\/g, '/'), text: readFileSync(path, 'utf8') });
  }
  return out;
}

/** `file:line: text` of every match of `re` outside `allowed` files. */
function findings(re: RegExp, allowed: readonly string[] = []): string[] {
  const found: string[] = [];
  for (const { file, text } of sources()) {
    if (allowed.includes(file)) continue;
    text.split('\n').forEach((line, i) => {
      if (re.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
    });
  }
  return found;
}

describe('notifications and Markdown go through the escaping helpers (source scan)', () => {
  it('finds the sources', () => {
    const files = sources().map((s) => s.file);
    assert.ok(files.includes('extension.ts') && files.includes('host/notify.ts'), files.join(', '));
  });

  it('only host/notify.ts calls show{Information,Warning,Error}Message', () => {
    assert.deepEqual(findings(/show(?:Information|Warning|Error)Message\b/, ['host/notify.ts']), []);
  });

  it('host/notify.ts takes only InertText messages', () => {
    const text = readFileSync(join(SRC, 'host', 'notify.ts'), 'utf8');
    const calls = [...text.matchAll(/show(?:Information|Warning|Error)Message\(([^,)]+)/g)].map((m) => m[1]);
    assert.ok(calls.length >= 3, 'notify.ts shows messages');
    for (const arg of calls) {
      const declared = new RegExp(`\\b${arg}: InertText\\b`).test(text);
      assert.ok(declared, `showXMessage(${arg}) in notify.ts: ${arg} is not declared InertText`);
    }
  });

  it('no MarkdownString is built with appendText or appendMarkdown (they leave <scheme:…> live)', () => {
    assert.deepEqual(findings(/\.append(?:Text|Markdown)\(/), []);
  });

  it('every MarkdownString is built from an escaping builder', () => {
    const built = sources().flatMap(({ file, text }) =>
      [...text.matchAll(/new vscode\.MarkdownString\(\s*([\w.]+)\(/g)].map((m) => `${file}: ${m[1]}`),
    );
    const all = sources().flatMap(({ file, text }) =>
      [...text.matchAll(/new vscode\.MarkdownString\(/g)].map(() => file),
    );
    assert.equal(built.length, all.length, `MarkdownStrings not built by a helper: ${all.join(', ')}`);
    for (const b of built) {
      // invocationMessage: core/agent/prepare.ts, tested with hostile input in specs.test.ts.
      assert.match(
        b,
        /: (?:markdownText|traceHoverMarkdown|traceErrorHoverMarkdown|overlayHoverMarkdown|sourceNoteMarkdown|invocationMessage)$/,
      );
    }
  });

  it('withProgress titles come from notices', () => {
    for (const { file, text } of sources()) {
      for (const m of text.matchAll(/withProgress\(([\s\S]*?)=>/g)) {
        const title = /title:\s*([^,\n]+)/.exec(m[1]!)?.[1];
        if (title !== undefined) assert.match(title, /^notices\./, `${file}: withProgress title ${title}`);
      }
    }
  });
});
