/**
 * What every `trace-lens` subcommand is: a name, its usage text, its options (as `node:util`
 * `parseArgs` declares them) and a `run` that returns the exit code. A new command is a file
 * exporting one `CliCommand`, listed in `main.ts`.
 */

/** Exit codes, the same for every command. */
export const EXIT = { ok: 0, notFound: 1, usage: 2, backend: 3 } as const;

/** A failure with the exit code it maps to; `main` prints `trace-lens: <message>`. */
export class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** One option, as `parseArgs` declares it. A string option always needs a non-empty value. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** A command's options, by long name (without the dashes). */
export type OptionSpecs = Record<string, OptionSpec>;

/** What an option of `type` gives: its text for a string option, `true` for a boolean one. */
type ValueOf<T extends OptionSpec['type']> = T extends 'string' ? string : true;

/** The values given for `O`. */
export type OptionValues<O extends OptionSpecs> = { [K in keyof O]?: ValueOf<O[K]['type']> };

/** A parsed command line, for one command. */
export interface CliArgs<O extends OptionSpecs = OptionSpecs> {
  /** Arguments after the command name, in order. */
  positionals: string[];
  values: OptionValues<O>;
}

/** Where the CLI runs, and the sinks for what it says. */
export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The command's output (standard output), one line per call. */
  out: (s: string) => void;
  /** Notes for the person (standard error), never part of the output. */
  note: (s: string) => void;
}

/** A subcommand. */
export interface CliCommand<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** Synopsis and a short description, indented two spaces, as in the overall usage. */
  usage: string;
  /** A paragraph printed after the synopses (what a reader of the usage needs to know). */
  notes?: string;
  options: O;
  /** Runs the command; returns the exit code or throws a `CliError`. */
  run(args: CliArgs<O>, ctx: CliContext): number | Promise<number>;
}

/** Declares a command, keeping its option names typed in `run`. */
export function defineCommand<const O extends OptionSpecs>(command: CliCommand<O>): CliCommand<O> {
  return command;
}
