/** `trace-lens scan [FILE|-] [--json]`: every trace ID in a file or standard input. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { detectTraceIds } from '../core/ids';
import { CliError, EXIT, defineCommand } from './command';

/** The text of `path`, or of standard input for `-` or no path. */
export function readInput(path: string | undefined, cwd: string): string {
  if (path === undefined || path === '-') return readFileSync(0, 'utf8');
  try {
    return readFileSync(resolve(cwd, path), 'utf8');
  } catch (err) {
    throw new CliError(
      EXIT.usage,
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
}

/** `scan`: one line per ID, `LINE:COL traceId` or a JSON object. */
export const scanCommand = defineCommand({
  name: 'scan',
  usage: `  trace-lens scan [FILE|-] [--json]
      Print every trace ID in FILE (or standard input) as LINE:COL <traceId>.`,
  options: { json: { type: 'boolean' } },
  run(args, { cwd, out }) {
    if (args.positionals.length > 1)
      throw new CliError(EXIT.usage, 'scan takes one FILE (or - for standard input)');
    const text = readInput(args.positionals[0], cwd);
    const json = args.values.json === true;
    let lineNo = 0;
    let pos = 0;
    while (pos <= text.length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      lineNo++;
      const line = text.slice(pos, nl);
      for (const id of detectTraceIds(line)) {
        const column = id.start + 1;
        if (json) {
          out(
            JSON.stringify({
              line: lineNo,
              column,
              traceId: id.traceId,
              ...(id.spanId ? { spanId: id.spanId } : {}),
              format: id.format,
              confidence: id.confidence,
            }),
          );
        } else {
          out(`${lineNo}:${column} ${id.traceId}`);
        }
      }
      if (nl === text.length) break;
      pos = nl + 1;
    }
    return EXIT.ok;
  },
});
