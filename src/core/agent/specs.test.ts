import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LM_TOOL_NAMES, MCP_TOOL_NAMES } from './followUp';
import { invocationMessage, shownBackendLabel } from './prepare';
import { backendLabel } from './run';
import { standInBundle, withBundle } from '../testing/l10n';
import { mcpToolSpecs, toolSpecs } from './specs';
import { hasLiveLink } from '../untrusted';

interface ManifestTool {
  name: string;
  displayName: string;
  toolReferenceName: string;
  canBeReferencedInPrompt: boolean;
  userDescription: string;
  modelDescription: string;
  inputSchema: unknown;
}

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { languageModelTools: ManifestTool[] };
};
/** The English of a manifest string: `%key%` looked up in package.nls.json. */
const nls = JSON.parse(readFileSync(join(__dirname, '../../../package.nls.json'), 'utf8')) as Record<
  string,
  string
>;
const english = (value: string): string =>
  value.replace(/^%([^%]+)%$/, (_, key: string) => nls[key] ?? value);

describe('tool specs', () => {
  it('package.json declares every language-model tool exactly as the core describes it', () => {
    const declared = manifest.contributes.languageModelTools;
    const specs = toolSpecs();
    assert.deepEqual(
      declared.map((t) => t.name),
      specs.map((s) => s.lmName),
    );
    for (const s of specs) {
      const t = declared.find((d) => d.name === s.lmName)!;
      assert.equal(english(t.displayName), s.displayName);
      assert.equal(t.toolReferenceName, s.referenceName);
      assert.equal(t.canBeReferencedInPrompt, true);
      assert.equal(english(t.userDescription), s.userDescription);
      assert.equal(
        t.modelDescription,
        s.modelDescription,
        `${s.lmName}: regenerate package.json from specs.ts`,
      );
      assert.deepEqual(t.inputSchema, s.inputSchema);
      // VS Code refuses tool names and reference names outside [\w-].
      assert.match(t.name, /^[\w-]+$/);
      assert.match(t.toolReferenceName, /^[\w-]+$/);
    }
  });

  it('uses the same argument names for VS Code and MCP, and names tools as each host does', () => {
    const lm = toolSpecs(LM_TOOL_NAMES);
    const mcp = mcpToolSpecs();
    assert.deepEqual(
      mcp.map((s) => s.mcpName),
      ['get_trace', 'get_span', 'search_traces', 'compare_traces'],
    );
    for (const s of mcp) {
      assert.deepEqual(s.inputSchema, lm.find((l) => l.key === s.key)!.inputSchema);
      assert.doesNotMatch(s.modelDescription, /traceLens_/, 'MCP descriptions name MCP tools');
    }
    assert.ok(mcp.find((s) => s.key === 'getTrace')!.modelDescription.includes(MCP_TOOL_NAMES.getSpan));
    const args = new Set(lm.flatMap((s) => Object.keys(s.inputSchema.properties)));
    for (const name of ['trace_id', 'span', 'query', 'since', 'trace_id_a', 'trace_id_b', 'cursor'])
      assert.ok(args.has(name), name);
  });

  it('prepares every invocation with a message naming the backend it asks, the input escaped', () => {
    const input = {
      trace_id: 'a8e00f77b50a734539bf0e48eec6bec4',
      trace_id_a: 'a8e00f77b50a734539bf0e48eec6bec4',
      trace_id_b: 'nope',
      span: '[x](command:evil)',
      query: '{ name = "<https://evil.test>" }',
      file: 'src/a.ts',
      function: 'A.run',
    };
    for (const s of toolSpecs()) {
      const m = invocationMessage(s.key, input, 'Tempo at 127.0.0.1:3200');
      assert.equal(hasLiveLink(m), false, m);
      if (s.key === 'recentTraces') assert.match(m, /no backend is asked/);
      else assert.match(m, /Tempo at 127\\\.0\\\.0\\\.1\\:3200/, m);
    }
    assert.match(invocationMessage('getTrace', input, 'T'), /for trace a8e00f77b50a734539bf0e48eec6bec4$/);
    // The whole sentence is escaped now (it may come from a translation): its parentheses too.
    assert.match(invocationMessage('compareTraces', input, 'T'), /and \\\(not a trace ID\\\)/);
    assert.match(invocationMessage('getSpan', {}, 'T'), /span \\\? of trace \\\(none given\\\)/);
  });

  it('words every invocation message in the display language, and no translation adds a link', () => {
    const input = {
      trace_id: 'a8e00f77b50a734539bf0e48eec6bec4',
      trace_id_a: 'a8e00f77b50a734539bf0e48eec6bec4',
      trace_id_b: 'nope',
      span: 'SELECT items',
      query: '{ status = error }',
      file: 'src/a.ts',
      line: 12,
    };
    const upper = standInBundle((m) => m.toUpperCase());
    for (const s of toolSpecs()) {
      const english = invocationMessage(s.key, input, 'Tempo at 127.0.0.1:3200');
      const localized = withBundle(upper, () => invocationMessage(s.key, input, 'Tempo at 127.0.0.1:3200'));
      assert.notEqual(localized, english, s.key);
      // Our words are translated; the values (the input, the backend) are not.
      assert.match(
        localized,
        s.key === 'recentTraces' ? /^LISTING THE TRACE IDS/ : /Tempo at 127/,
        localized,
      );
      assert.doesNotMatch(localized.replace(/Tempo at|SELECT items|src\\\/a/g, ''), /\b(?:at|for|of|in)\b/);
    }
    assert.match(
      withBundle(upper, () => invocationMessage('compareTraces', input, 'T')),
      /AND \\\(NOT A TRACE ID\\\)/,
    );
    const linking = standInBundle((m) => `[open](command:evil) <https://evil.test> ${m}`);
    for (const s of toolSpecs()) {
      const m = withBundle(linking, () => invocationMessage(s.key, input, 'T'));
      assert.equal(hasLiveLink(m), false, m);
    }
  });

  it('names the backend in the display language for the progress message only', () => {
    const tempo = { name: 'Tempo', kind: 'tempo', url: 'http://user:secret@127.0.0.1:3200/' } as const;
    const files = { name: 'fixtures', kind: 'file', url: '/srv/traces' } as const;
    assert.equal(shownBackendLabel(tempo), 'Tempo at 127.0.0.1:3200');
    assert.equal(shownBackendLabel(files), 'fixtures (files)');
    const upper = standInBundle((m) => m.toUpperCase());
    assert.equal(
      withBundle(upper, () => shownBackendLabel(tempo)),
      'Tempo AT 127.0.0.1:3200',
    );
    assert.equal(
      withBundle(upper, () => shownBackendLabel(files)),
      'fixtures (FILES)',
    );
    // The answers' label stays English: the model reads it.
    assert.equal(
      withBundle(upper, () => backendLabel(tempo)),
      'Tempo at 127.0.0.1:3200',
    );
  });
});
