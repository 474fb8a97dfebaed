/**
 * The `traceLens.receiver.*` settings, read and checked. The bind address is the one that
 * matters for safety: anything but loopback lets other machines send traces and read them, so it
 * is taken from the person's own (user) settings only, never from a workspace's, which a cloned
 * repository writes. Pure: the host passes what `WorkspaceConfiguration.inspect` returns.
 */
import { isIP } from 'node:net';
import { DEFAULT_GRPC_PORT, DEFAULT_HTTP_PORT, DEFAULT_QUERY_PORT } from '../store/receiver';

/** The receiver's settings, checked. */
export interface ReceiverSettings {
  enabled: boolean;
  httpPort: number;
  grpcPort: number;
  queryPort: number;
  bind: string;
  injectDebugEnv: boolean;
  injectTerminalEnv: boolean;
}

/** What `inspect(key)` returns, the parts read here. */
export interface InspectedSetting<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

export const DEFAULT_BIND = '127.0.0.1';

/** A port number from a setting: an integer 0–65535 (0: any free port), else `fallback`. */
export function readPort(value: unknown, fallback: number): { port: number; problem?: string } {
  if (value === undefined || value === null) return { port: fallback };
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535)
    return { port: value };
  return { port: fallback, problem: `is not a port number from 0 to 65535; using ${fallback}` };
}

/**
 * The address to listen on: the user-level value of `traceLens.receiver.bindAddress` when it is
 * an IP address or `localhost`, else 127.0.0.1. A workspace's value is ignored, and said so.
 */
export function readBind(inspected: InspectedSetting<unknown> | undefined): {
  bind: string;
  problems: string[];
} {
  const problems: string[] = [];
  if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined)
    problems.push(
      'traceLens.receiver.bindAddress is only read from user settings; the value in the workspace settings was ignored',
    );
  const v = inspected?.globalValue;
  if (v === undefined || v === null || v === '') return { bind: DEFAULT_BIND, problems };
  if (typeof v !== 'string' || (v.trim() !== 'localhost' && isIP(v.trim()) === 0)) {
    problems.push(
      `traceLens.receiver.bindAddress must be an IP address (such as 127.0.0.1) or localhost; listening on ${DEFAULT_BIND}`,
    );
    return { bind: DEFAULT_BIND, problems };
  }
  return { bind: v.trim(), problems };
}

/** Raw values of the settings (`get`), and the bind address's `inspect`. */
export interface RawReceiverSettings {
  enabled?: unknown;
  httpPort?: unknown;
  grpcPort?: unknown;
  queryPort?: unknown;
  bindAddress?: InspectedSetting<unknown>;
  injectDebugEnv?: unknown;
  injectTerminalEnv?: unknown;
}

/** Reads the receiver's settings; what was wrong goes to `problems`. */
export function readReceiverSettings(raw: RawReceiverSettings): {
  settings: ReceiverSettings;
  problems: string[];
} {
  const problems: string[] = [];
  const port = (name: string, value: unknown, fallback: number): number => {
    const r = readPort(value, fallback);
    if (r.problem) problems.push(`traceLens.receiver.${name} ${r.problem}`);
    return r.port;
  };
  const bind = readBind(raw.bindAddress);
  problems.push(...bind.problems);
  return {
    settings: {
      enabled: raw.enabled !== false,
      httpPort: port('httpPort', raw.httpPort, DEFAULT_HTTP_PORT),
      grpcPort: port('grpcPort', raw.grpcPort, DEFAULT_GRPC_PORT),
      queryPort: port('queryPort', raw.queryPort, DEFAULT_QUERY_PORT),
      bind: bind.bind,
      injectDebugEnv: raw.injectDebugEnv !== false,
      injectTerminalEnv: raw.injectTerminalEnv === true,
    },
    problems,
  };
}
