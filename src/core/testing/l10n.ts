/**
 * Tests of localized text: load a stand-in locale into `@vscode/l10n` for one call, as the host
 * loads VS Code's bundle at activation, and go back to English after.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as l10n from '@vscode/l10n';

/** Every message of the English bundle (l10n/bundle.l10n.json) turned into a stand-in translation by `translate`. */
export function standInBundle(translate: (message: string) => string): Record<string, string> {
  const english = JSON.parse(
    readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.json'), 'utf8'),
  ) as Record<string, string | { message: string }>;
  return Object.fromEntries(
    Object.entries(english).map(([key, m]) => [key, translate(typeof m === 'string' ? m : m.message)]),
  );
}

/** Runs `fn` with `bundle` as the loaded translation, then goes back to English (no bundle). */
export function withBundle<T>(bundle: Record<string, string>, fn: () => T): T {
  l10n.config({ contents: bundle });
  try {
    return fn();
  } finally {
    l10n.config({ contents: {} });
  }
}
