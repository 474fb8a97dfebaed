/**
 * What a tool says before it runs (VS Code's `prepareInvocation`): which backend it will ask, and
 * for what. Unlike the answers (see `run.ts`), a person reads this line in the chat as the tool
 * runs, so it is worded with `l10n.t` (`@vscode/l10n`, whose bundle the host loads at activation)
 * and reads in VS Code's display language. Markdown source: the whole sentence is escaped as text,
 * not only the input (a model's) and the backend label (settings), so neither a value nor a
 * translation can add a link or markup. Pure.
 */
import * as l10n from '@vscode/l10n';
import type { BackendConfig } from '../backends';
import { markdownText } from '../untrusted';
import type { ToolSpec } from './specs';
import { backendLabel, traceIdFrom } from './run';

type Input = Record<string, unknown> | undefined;

function str(input: Input, key: string): string | undefined {
  const v = input?.[key];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** A value cut to `max` characters (escaping comes after, with the sentence). */
function cut(s: string | undefined, max = 120): string {
  const v = s ?? '?';
  return v.length > max ? `${v.slice(0, Math.max(0, max - 1)).trimEnd()}…` : v;
}

function id(input: Input, key: string): string {
  const raw = str(input, key);
  if (raw === undefined) return l10n.t('(none given)');
  const found = traceIdFrom(raw, key);
  return 'traceId' in found ? found.traceId : l10n.t('(not a trace ID)');
}

/** A localized sentence as Markdown that renders as exactly that text. */
const shown = (sentence: string): string => markdownText(sentence, { max: 1000 });

/**
 * "Tempo at 127.0.0.1:3200", worded for the person watching the chat (the answers name the
 * backend in English, with `backendLabel`).
 */
export function shownBackendLabel(config: Pick<BackendConfig, 'name' | 'kind' | 'url'>): string {
  return backendLabel(config, {
    at: (name, where) => l10n.t('{0} at {1}', name, where),
    files: (name) => l10n.t('{0} (files)', name),
  });
}

/** The progress message of tool `key` for `input`, naming `backend` (e.g. "Tempo at 127.0.0.1:3200"). */
export function invocationMessage(key: ToolSpec['key'], rawInput: unknown, backend: string): string {
  const input = (typeof rawInput === 'object' && rawInput !== null ? rawInput : undefined) as Input;
  const b = cut(backend, 100);
  const since = cut(str(input, 'since') ?? '1h', 20);
  switch (key) {
    case 'getTrace':
      return shown(l10n.t('Asking {0} for trace {1}', b, id(input, 'trace_id')));
    case 'getSpan':
      return shown(
        l10n.t('Asking {0} for span {1} of trace {2}', b, cut(str(input, 'span'), 80), id(input, 'trace_id')),
      );
    case 'searchTraces':
      return shown(
        l10n.t('Searching {0} for {1} over the last {2}', b, cut(str(input, 'query'), 200), since),
      );
    case 'compareTraces':
      return shown(
        l10n.t(
          'Asking {0} for traces {1} and {2} to compare them',
          b,
          id(input, 'trace_id_a'),
          id(input, 'trace_id_b'),
        ),
      );
    case 'functionStats': {
      const fn = str(input, 'function');
      const file = cut(str(input, 'file'), 200);
      return fn !== undefined
        ? shown(l10n.t('Asking {0} how {1} in {2} performed over the last {3}', b, cut(fn), file, since))
        : shown(
            l10n.t(
              'Asking {0} how the function at line {1} in {2} performed over the last {3}',
              b,
              cut(str(input, 'line'), 20),
              file,
              since,
            ),
          );
    }
    case 'recentTraces':
      return shown(l10n.t('Listing the trace IDs seen recently in this workspace (no backend is asked)'));
  }
}
