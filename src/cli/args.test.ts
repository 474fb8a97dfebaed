import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from './args';
import { CliError, EXIT, defineCommand, type CliCommand } from './command';
import { COMMANDS, main, usage } from './main';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (s) => out.push(s),
    (s) => err.push(s),
    { env, cwd: tmpdir() },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('trace-lens command line', () => {
  it('prints one command’s usage for `<command> --help` and `help <command>`', async () => {
    for (const argv of [
      ['show', '--help'],
      ['help', 'show'],
      ['show', '-h'],
    ]) {
      const r = await run(argv);
      assert.equal(r.code, EXIT.ok);
      assert.match(r.out, /trace-lens show <traceId>/);
      assert.match(r.out, /--trust-workspace-settings/);
      assert.doesNotMatch(r.out, /trace-lens scan/, `${argv.join(' ')} printed every command`);
    }
    const scan = await run(['scan', '--help']);
    assert.match(scan.out, /trace-lens scan \[FILE\|-\]/);
    assert.doesNotMatch(scan.out, /trace-lens show/);
  });

  it('prints every command for --help and help, and to standard error with exit 2 for nothing', async () => {
    for (const argv of [['--help'], ['help'], ['-h']]) {
      const r = await run(argv);
      assert.equal(r.code, EXIT.ok);
      assert.equal(r.out, usage());
    }
    const none = await run([]);
    assert.equal(none.code, EXIT.usage);
    assert.equal(none.err, usage());
    for (const c of COMMANDS) assert.ok(usage().includes(c.usage), c.name);
  });

  it('takes options before or after the command and its argument, with = or a space', () => {
    const a = parseCommandLine(['--json', 'show', 'abc', '--tempo=http://h', '--tenant', 't'], COMMANDS);
    assert.equal(a.kind, 'run');
    if (a.kind !== 'run') return;
    assert.equal(a.command.name, 'show');
    assert.deepEqual(a.args.positionals, ['abc']);
    assert.deepEqual(a.args.values, { json: true, tempo: 'http://h', tenant: 't' });
    const b = parseCommandLine(['scan', '-'], COMMANDS);
    assert.ok(b.kind === 'run' && b.args.positionals[0] === '-', 'a lone - is standard input');
    const c = parseCommandLine(['scan', '--', '--json'], COMMANDS);
    assert.ok(c.kind === 'run' && c.args.positionals[0] === '--json' && !c.args.values.json);
  });

  it('says which option is unknown or lacks a value, with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [
        ['show', 'abc', '--frobnicate'],
        /^trace-lens: unknown option --frobnicate \(see trace-lens --help\)$/,
      ],
      [['show', 'abc', '--tempo'], /^trace-lens: --tempo needs a value$/],
      [['show', 'abc', '--tempo='], /^trace-lens: --tempo needs a value$/],
      [['scan', '--tempo', 'http://h'], /^trace-lens: unknown option --tempo/],
      [['frob', '--json'], /^trace-lens: unknown command "frob" \(try scan, show, search, receive or mcp\)$/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      assert.equal(r.code, EXIT.usage, argv.join(' '));
      assert.match(r.err, message);
    }
  });

  it('refuses two commands that give one option two meanings', () => {
    const a = defineCommand({ name: 'a', usage: '', options: { x: { type: 'string' } }, run: () => 0 });
    const b = defineCommand({ name: 'b', usage: '', options: { x: { type: 'boolean' } }, run: () => 0 });
    assert.throws(() => parseCommandLine(['a'], [a, b] as CliCommand[]), /--x of b clashes/);
    assert.ok(!(parseCommandLine(['a', '--x', '1'], [a]) instanceof CliError));
  });

  describe('backends from a settings file', () => {
    const settings = (text: string) => {
      const file = join(mkdtempSync(join(tmpdir(), 'tl-cli-args-')), 'settings.json');
      writeFileSync(file, text);
      return file;
    };
    const ID = 'a8e00f77b50a734539bf0e48eec6bec4';

    it('says what is wrong with the named entry, naming the file', async () => {
      const file = settings(`{
  "traceLens.backends": [
    { "name": "odd", "kind": "datadog", "url": "http://h" },
    { "name": "bare", "kind": "jaeger" },
    { "name": "hdr", "url": "http://h", "headers": { "Bad Name": "x" } },
  ],
}`);
      const env = { TRACE_LENS_SETTINGS: file };
      const odd = await run(['show', ID, '--backend', 'odd'], env);
      assert.equal(odd.code, EXIT.usage);
      assert.equal(odd.err, `trace-lens: backend "odd" in ${file} has an unknown kind "datadog"`);
      const bare = await run(['show', ID, '--backend', 'bare'], env);
      assert.equal(bare.err, `trace-lens: backend "bare" in ${file} has no url`);
      const hdr = await run(['show', ID, '--backend', 'hdr'], env);
      assert.equal(hdr.code, EXIT.usage);
      assert.equal(
        hdr.err,
        `trace-lens: backend "hdr" in ${file}: header "Bad Name" has a bad name or value`,
      );
    });

    it('says where a settings file stops being JSONC', async () => {
      const file = settings('{\n  "traceLens.backends": [\n    { "name": "x" "url": "http://h" }\n  ]\n}');
      const r = await run(['show', ID, '--backend', 'x'], { TRACE_LENS_SETTINGS: file });
      assert.equal(r.code, EXIT.usage);
      assert.equal(r.err, `trace-lens: ${file} is not valid JSON: comma expected at line 3, column 19`);
    });
  });
});
