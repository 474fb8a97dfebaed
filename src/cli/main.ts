/**
 * `trace-lens`: the command line face of the core. Each subcommand lives in its own file
 * (`scan.ts`, `show.ts`, `search.ts`, `receive.ts`, `mcp.ts`) as a `CliCommand`; adding one is a
 * file and an entry in `COMMANDS`. `show`, `search` and `mcp` choose their backend in
 * `backendOptions.ts`.
 *
 * Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.
 */
import { parseCommandLine } from './args';
import { CliError, EXIT, type CliCommand, type CliContext } from './command';
import { mcpCommand } from './mcp';
import { receiveCommand } from './receive';
import { scanCommand } from './scan';
import { searchCommand } from './search';
import { showCommand } from './show';

export { CliError, EXIT } from './command';

/** The subcommands, in the order the usage lists them. */
export const COMMANDS: readonly CliCommand[] = [
  scanCommand,
  showCommand,
  searchCommand,
  receiveCommand,
  mcpCommand,
];

const EXIT_CODES = 'Exit codes: 0 done, 1 trace not found, 2 usage or input error, 3 backend error.';

/** The usage of every command in `commands`, or of one. */
export function usage(commands: readonly CliCommand[] = COMMANDS): string {
  // Commands that share options share their notes (show and search: where backends come from).
  const notes = [...new Set(commands.flatMap((c) => (c.notes ? [c.notes] : [])))];
  return [`Usage:\n${commands.map((c) => c.usage).join('\n')}`, ...notes, EXIT_CODES].join('\n\n');
}

/**
 * Runs the CLI; returns the exit code. Output and errors go through the given sinks; `where`
 * stands in for the process's folder and environment (tests).
 */
export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s + '\n'),
  err: (s: string) => void = (s) => process.stderr.write(s + '\n'),
  where: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<number> {
  const ctx: CliContext = { cwd: where.cwd ?? process.cwd(), env: where.env ?? process.env, out, note: err };
  try {
    const line = parseCommandLine(argv, COMMANDS);
    switch (line.kind) {
      case 'help':
        out(usage(line.command ? [line.command] : COMMANDS));
        return EXIT.ok;
      case 'none':
        err(usage());
        return EXIT.usage;
      case 'run':
        return await line.command.run(line.args, ctx);
    }
  } catch (e) {
    if (e instanceof CliError) {
      err(`trace-lens: ${e.message}`);
      return e.code;
    }
    err(`trace-lens: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.backend;
  }
}

if (require.main === module) {
  // `trace-lens show … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
