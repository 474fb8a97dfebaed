/**
 * `trace-lens mcp` as a child process with the MCP SDK's own client, for the MCP tests (the CLI's
 * TypeScript through tsx). Test-only code.
 */
import { strict as assert } from 'node:assert';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

export const ROOT = join(__dirname, '../../..');

/** Starts `trace-lens mcp ARGS` in `cwd` (default the repository) and connects a client to it. */
export async function connect(
  args: string[],
  env: Record<string, string> = {},
  cwd = ROOT,
): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    // By path: `cwd` may be a folder without node_modules.
    args: ['--require', require.resolve('tsx/cjs'), join(ROOT, 'src/cli/main.ts'), 'mcp', ...args],
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), TRACE_LENS_SETTINGS: '', ...env },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'trace-lens-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr };
}

interface TextResult {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
}

/** Calls tool `name`; its one text part, and whether it is an error. */
export async function call(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ text: string; isError: boolean }> {
  const r = (await client.callTool({ name, arguments: args })) as TextResult;
  assert.equal(r.content.length, 1);
  assert.equal(r.content[0]!.type, 'text');
  return { text: r.content[0]!.text ?? '', isError: r.isError === true };
}
