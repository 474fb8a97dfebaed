import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8')) as Record<string, unknown>;

/** A path into the manifest: `*` walks every element of an array or every value of an object. */
type Path = readonly string[];

/**
 * Every manifest field a person reads, by path. Left out on purpose: the language-model tools'
 * `modelDescription` and `inputSchema` descriptions (read by the model, kept equal to
 * `core/agent/specs.ts` and served unchanged over MCP), IDs, icons and `when` clauses.
 */
const USER_FACING: Path[] = [
  ['displayName'],
  ['description'],
  ['capabilities', 'untrustedWorkspaces', 'description'],
  ['contributes', 'commands', '*', 'title'],
  ['contributes', 'commands', '*', 'category'],
  ['contributes', 'configuration', 'title'],
  ['contributes', 'configuration', 'properties', '*', 'description'],
  ['contributes', 'configuration', 'properties', '*', 'markdownDescription'],
  ['contributes', 'configuration', 'properties', '*', 'enumDescriptions', '*'],
  ['contributes', 'configuration', 'properties', '*', 'markdownEnumDescriptions', '*'],
  ['contributes', 'configuration', 'properties', '*', 'deprecationMessage'],
  ['contributes', 'configuration', 'properties', '*', 'markdownDeprecationMessage'],
  ['contributes', 'configuration', 'properties', '*', 'items', 'properties', '*', 'description'],
  ['contributes', 'configuration', 'properties', '*', 'items', 'properties', '*', 'markdownDescription'],
  ['contributes', 'viewsContainers', '*', '*', 'title'],
  ['contributes', 'views', '*', '*', 'name'],
  ['contributes', 'views', '*', '*', 'contextualTitle'],
  ['contributes', 'viewsWelcome', '*', 'contents'],
  ['contributes', 'walkthroughs', '*', 'title'],
  ['contributes', 'walkthroughs', '*', 'description'],
  ['contributes', 'languageModelTools', '*', 'displayName'],
  ['contributes', 'languageModelTools', '*', 'userDescription'],
];

/** The string values at `path`, each with where it sits. */
function valuesAt(node: unknown, path: Path, at = ''): Array<{ at: string; value: unknown }> {
  if (path.length === 0) return node === undefined ? [] : [{ at, value: node }];
  if (node === null || typeof node !== 'object') return [];
  const [head, ...rest] = path;
  const entries = Object.entries(node as Record<string, unknown>);
  const picked = head === '*' ? entries : entries.filter(([k]) => k === head);
  return picked.flatMap(([k, v]) => valuesAt(v, rest, `${at}.${k}`));
}

const fields = USER_FACING.flatMap((p) => valuesAt(manifest, p));

describe('manifest localisation (package.nls.json)', () => {
  it('finds the fields it checks', () => {
    // 25 commands alone: a path typo above would otherwise pass with nothing checked.
    assert.ok(fields.length > 80, `only ${fields.length} user-facing fields found`);
  });

  it('writes every user-facing manifest string as a %key% of package.nls.json', () => {
    for (const { at, value } of fields) {
      assert.equal(typeof value, 'string', at);
      const key = /^%([^%]+)%$/.exec(value as string)?.[1];
      assert.ok(
        key,
        `${at} is "${String(value)}": move the text into package.nls.json and write "%<key>%" here`,
      );
      assert.equal(typeof nls[key], 'string', `${at} names %${key}%, which package.nls.json lacks`);
      assert.ok((nls[key] as string).trim().length > 0, `%${key}% is empty`);
    }
  });

  it('has no key in package.nls.json that the manifest does not use', () => {
    const used = new Set(fields.map((f) => /^%([^%]+)%$/.exec(f.value as string)?.[1]));
    const unused = Object.keys(nls).filter((k) => !used.has(k));
    assert.deepEqual(unused, []);
  });

  it('names no %key% anywhere that package.nls.json lacks', () => {
    const text = JSON.stringify(manifest);
    const stray = [...text.matchAll(/"%([^"%]*)%"/g)].map((m) => m[1]).filter((k) => nls[k!] === undefined);
    assert.deepEqual(stray, []);
  });
});
