import * as vscode from 'vscode';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  envFileNames,
  launchesProgram,
  otelEnvAdditions,
  type EnvLike,
  type OtelTarget,
} from '../../core/local';
import type { Config } from '../config';
import type { LocalReceiver } from './receiver';

/** Largest env file read for the names it sets. */
const MAX_ENV_FILE = 1024 * 1024;
/** A launch whose session has not started after this long is forgotten. */
const PENDING_MS = 5 * 60_000;

/** A launch that got the variables, until its session starts and the debug console says so. */
interface Pending {
  name: string;
  type: string;
  endpoint: string;
  service?: string;
  at: number;
}

/**
 * Press F5, traces arrive: adds the `OTEL_*` variables that point an OpenTelemetry SDK at the
 * receiver to every launch's `env` (`traceLens.receiver.injectDebugEnv`, on by default), never
 * replacing what the launch sets (see `core/local/env.ts` for the rules), and only while something
 * receives. The debug console then says once where the traces go. New integrated terminals get the
 * same variables when `traceLens.receiver.injectTerminalEnv` is on.
 */
export class OtelEnvironment implements vscode.DebugConfigurationProvider, vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private pending: Pending[] = [];
  private terminalVars = '';

  constructor(
    private readonly receiver: LocalReceiver,
    private readonly config: Config,
    private readonly log: vscode.LogOutputChannel,
    private readonly terminals: vscode.EnvironmentVariableCollection,
  ) {
    this.subscriptions = [
      vscode.debug.registerDebugConfigurationProvider('*', this),
      vscode.debug.onDidStartDebugSession((s) => this.announce(s)),
      receiver.onDidChange(() => this.updateTerminals()),
      config.onDidChange(() => this.updateTerminals()),
    ];
    this.terminals.persistent = false;
    this.updateTerminals();
  }

  private target(): OtelTarget | undefined {
    const httpUrl = this.receiver.otlpHttpUrl;
    if (!httpUrl) return undefined;
    const grpcUrl = this.receiver.otlpGrpcUrl;
    return { httpUrl, ...(grpcUrl ? { grpcUrl } : {}) };
  }

  /** Runs after variables are substituted, so `env` and `envFile` are what the program gets. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    debugConfiguration: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration> {
    try {
      if (!this.config.receiver.settings.injectDebugEnv || !launchesProgram(debugConfiguration))
        return debugConfiguration;
      const target = this.target();
      if (!target) return debugConfiguration;
      const launch = debugConfiguration.env as EnvLike | undefined;
      const envFile = await this.envFileNames(debugConfiguration.envFile, folder);
      const name = typeof debugConfiguration.name === 'string' ? debugConfiguration.name : undefined;
      const added = otelEnvAdditions(
        target,
        { ...(launch ? { launch } : {}), ...(envFile ? { envFile } : {}), inherited: process.env },
        name,
      );
      if (Object.keys(added).length === 0) {
        this.log.info(`debug: "${name ?? ''}" sets its own OpenTelemetry endpoint; left as it is`);
        return debugConfiguration;
      }
      this.log.info(
        `debug: "${name ?? ''}" sends OpenTelemetry to ${target.httpUrl} (${Object.keys(added).join(', ')})`,
      );
      const now = Date.now();
      this.pending = this.pending.filter((p) => now - p.at < PENDING_MS);
      this.pending.push({
        name: name ?? '',
        type: String(debugConfiguration.type),
        endpoint: added.OTEL_EXPORTER_OTLP_ENDPOINT ?? target.httpUrl,
        ...(added.OTEL_SERVICE_NAME ? { service: added.OTEL_SERVICE_NAME } : {}),
        at: now,
      });
      return { ...debugConfiguration, env: { ...launch, ...added } };
    } catch (err) {
      // Never stand between a person and their debugger.
      this.log.warn(`debug: OTEL_* variables not added: ${err instanceof Error ? err.message : String(err)}`);
      return debugConfiguration;
    }
  }

  /** The names a launch's `envFile` sets, so they are not replaced; undefined without one. */
  private async envFileNames(
    envFile: unknown,
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<Set<string> | undefined> {
    const files = (Array.isArray(envFile) ? envFile : [envFile]).filter(
      (f): f is string => typeof f === 'string' && f !== '',
    );
    if (files.length === 0) return undefined;
    const names = new Set<string>();
    for (const f of files) {
      const path = isAbsolute(f) || !folder ? f : resolve(folder.uri.fsPath, f);
      try {
        if ((await stat(path)).size > MAX_ENV_FILE) continue;
        for (const n of envFileNames(await readFile(path, 'utf8'))) names.add(n);
      } catch {
        // No such file: the debugger says so itself.
      }
    }
    return names;
  }

  /** Once per launch that got the variables: one line in its debug console. */
  private announce(session: vscode.DebugSession): void {
    if (session.parentSession) return;
    const i = this.pending.findIndex((p) => p.name === session.name && p.type === session.type);
    if (i < 0) return;
    const [p] = this.pending.splice(i, 1);
    const line = p!.service
      ? vscode.l10n.t(
          'Trace Lens: OpenTelemetry traces and logs of this launch go to {0} as service "{1}" (OTEL_* variables added); see them in the Trace Lens Live view.',
          p!.endpoint,
          p!.service,
        )
      : vscode.l10n.t(
          'Trace Lens: OpenTelemetry traces and logs of this launch go to {0} (OTEL_* variables added); see them in the Trace Lens Live view.',
          p!.endpoint,
        );
    vscode.debug.activeDebugConsole.appendLine(line);
  }

  /** New terminals get the variables while the setting is on and something receives. */
  private updateTerminals(): void {
    const target = this.target();
    const vars =
      this.config.receiver.settings.injectTerminalEnv && target
        ? otelEnvAdditions(target, { inherited: process.env })
        : {};
    const key = JSON.stringify(vars);
    if (key === this.terminalVars) return;
    this.terminalVars = key;
    this.terminals.clear();
    for (const [k, v] of Object.entries(vars)) this.terminals.replace(k, v);
    if (target && Object.keys(vars).length > 0)
      this.terminals.description = vscode.l10n.t(
        'Sends OpenTelemetry traces and logs to the Trace Lens receiver at {0}',
        target.httpUrl,
      );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.terminals.clear();
  }
}
