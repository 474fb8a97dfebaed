/**
 * The command line, read with `node:util` `parseArgs`: options may come before or after the
 * command and its arguments, `--name value` and `--name=value` both work, `-` is an argument
 * (standard input) and `--` ends the options. Errors keep the CLI's wording.
 */
import { parseArgs } from 'node:util';
import { CliError, EXIT, type CliArgs, type CliCommand, type OptionSpecs } from './command';

/** Options every command takes. */
export const GLOBAL_OPTIONS = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpecs;

/** What the command line asks for. */
export type CommandLine =
  | { kind: 'help'; command?: CliCommand }
  | { kind: 'none' }
  | { kind: 'run'; command: CliCommand; args: CliArgs };

/** Every command's options together, so the command can be found wherever the options stand. */
function allOptions(commands: readonly CliCommand[]): OptionSpecs {
  const all: OptionSpecs = { ...GLOBAL_OPTIONS };
  for (const c of commands) {
    for (const [name, spec] of Object.entries(c.options)) {
      const seen = all[name];
      // One name, one meaning: otherwise `--x value` would read differently per command.
      if (seen && (seen.type !== spec.type || seen.short !== spec.short)) {
        throw new Error(`option --${name} of ${c.name} clashes with another command's --${name}`);
      }
      all[name] = spec;
    }
  }
  return all;
}

/** "a", "a or b", "a, b or c". */
function either(names: readonly string[]): string {
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

/** Reads `argv` (without the node and script paths) for one of `commands`. */
export function parseCommandLine(argv: readonly string[], commands: readonly CliCommand[]): CommandLine {
  const options = allOptions(commands);
  const parsed = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    // Unknown options and missing values are reported below, in the CLI's words.
    strict: false,
    tokens: true,
  });
  const [name, ...positionals] = parsed.positionals;
  const find = (n: string | undefined) => commands.find((c) => c.name === n);
  // `trace-lens help show` is `trace-lens show --help`.
  const command = name === 'help' ? find(positionals[0]) : find(name);
  if (name !== undefined && name !== 'help' && !command) {
    throw new CliError(EXIT.usage, `unknown command "${name}" (try ${either(commands.map((c) => c.name))})`);
  }
  const known: OptionSpecs = command ? { ...GLOBAL_OPTIONS, ...command.options } : options;
  const values: Record<string, string | true> = {};
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(known, token.name) ? known[token.name] : undefined;
    if (!spec) throw new CliError(EXIT.usage, `unknown option ${token.rawName} (see trace-lens --help)`);
    if (spec.type === 'string') {
      if (token.value === undefined || token.value === '') {
        throw new CliError(EXIT.usage, `${token.rawName} needs a value`);
      }
      values[token.name] = token.value;
    } else values[token.name] = true;
  }
  if (values.help || name === 'help') return command ? { kind: 'help', command } : { kind: 'help' };
  if (!command) return { kind: 'none' };
  return { kind: 'run', command, args: { positionals, values } };
}
