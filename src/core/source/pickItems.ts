/**
 * The texts of Go to Source's picker, one item per candidate place. A QuickPick shows each line
 * whole up to the widget's width (about 600 px) and cuts the rest at the end, so every line is
 * laid out to fit: the file's base name and line as the label (never cut), its folder and the
 * attribute or frame that named it as the description, and how the trace's path was brought into
 * the workspace (the `traceLens.pathMappings` entry, the shared suffix) as the detail line, first;
 * the path as the trace wrote it follows only when there is room, shortened from the middle.
 * Pure; paths and names come from traces: one line each, no codicon syntax from them.
 */
import * as l10n from '@vscode/l10n';
import type { PathMapping, SourceCandidate } from './resolve';
import { cleanText } from './text';

/** Characters of a detail line the picker shows whole (~84 fit its 600 px; a margin for wide glyphs). */
export const DETAIL_MAX = 80;
/** Characters of a description shown whole beside a short label. */
export const DESCRIPTION_MAX = 56;
/** The shortest tail of the written path worth showing (`…/SmtpClient.ts:66:3`). */
const WRITTEN_MIN = 16;

/** The texts of one picker item; `label` starts with a theme icon, the rest is plain text. */
export interface PickTexts {
  label: string;
  description: string;
  detail: string;
}

/** Trace text for a QuickPick line: one line, at most `max` characters, no `$(icon)` syntax. */
export function pickText(text: string, max = 200): string {
  return cleanText(text, max).replace(/\$\(/g, '$\u200b(');
}

/**
 * `text` cut to `max` characters by leaving out its middle, at path separators when it has them:
 * `/tmp/…/app/src/clients/SmtpClient.ts:66:3`. The last segment (base name, line, column) is
 * kept whole while it fits alone; after it the leading segments, then the trailing ones.
 */
export function shortenMiddle(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = (s: string, n: number): string => {
    if (n <= 1) return '…'.slice(0, Math.max(0, n));
    const head = Math.ceil((n - 1) / 2);
    return s.slice(0, head) + '…' + s.slice(s.length - (n - 1 - head));
  };
  const sep = text.includes('/') ? '/' : text.includes('\\') ? '\\' : undefined;
  if (!sep) return cut(text, max);
  const parts = text.split(sep);
  const last = parts.pop() ?? '';
  if (last.length + 2 > max) return cut(text, max);
  const head: string[] = [];
  const tail: string[] = [last];
  const join = (): string =>
    head.length > 0 ? `${head.join(sep)}${sep}…${sep}${tail.join(sep)}` : `…${sep}${tail.join(sep)}`;
  let i = 0;
  let j = parts.length - 1;
  // The first segment ('' for an absolute POSIX path, a drive, a root folder) says where it was.
  while (i <= j) {
    const next = parts[i]!;
    head.push(next);
    if (join().length > max) {
      head.pop();
      break;
    }
    i++;
    if (head.join(sep).length > 0) break;
  }
  while (j >= i) {
    tail.unshift(parts[j]!);
    if (join().length > max) {
      tail.shift();
      break;
    }
    j--;
  }
  return join();
}

/** How the trace's path came into the workspace, in the picker's words, each path cut to `max`. */
function mappingWords(m: PathMapping, max: number): string {
  const p = (s: string): string => shortenMiddle(s, max);
  switch (m.kind) {
    case 'mapped':
      return m.indexed
        ? l10n.t('mapped by {0} → {1}', p(m.from), p(m.to))
        : l10n.t('mapped by {0} → {1} (not in the file index)', p(m.from), p(m.to));
    case 'inside':
      return l10n.t('inside workspace folder {0}', p(m.folder));
    case 'relative':
      return l10n.t('relative to workspace folder {0}', p(m.folder));
    case 'suffix':
      return m.preferredFor !== undefined
        ? l10n.t('matched by path suffix {0}, in the folder of service {1}', p(m.suffix), p(m.preferredFor))
        : l10n.t('matched by path suffix {0}', p(m.suffix));
  }
}

/** The mapping's words, its paths shortened from the middle only as far as the line needs. */
function fittedMapping(m: PathMapping): string {
  const clean = (s: string): string => cleanText(s, 1000);
  const cleaned: PathMapping =
    m.kind === 'mapped'
      ? { ...m, from: clean(m.from), to: clean(m.to) }
      : m.kind === 'suffix'
        ? {
            ...m,
            suffix: clean(m.suffix),
            ...(m.preferredFor !== undefined ? { preferredFor: clean(m.preferredFor) } : {}),
          }
        : { ...m, folder: clean(m.folder) };
  let words = mappingWords(cleaned, Infinity);
  for (let max = 48; words.length > DETAIL_MAX && max >= 12; max -= 4) words = mappingWords(cleaned, max);
  return words;
}

/** `first` and then, when room is left, `· from <written>` shortened from the middle. */
function withWritten(first: string, written: string): string {
  if (written === '') return first;
  const lead = `${first} · `;
  const room = DETAIL_MAX - lead.length - l10n.t('from {0}', '').length;
  if (room < Math.min(WRITTEN_MIN, written.length)) return first;
  return lead + l10n.t('from {0}', shortenMiddle(written, room));
}

/** The folder part of a workspace-relative path ('' at a folder's root). */
function splitPath(relativePath: string): { dir: string; base: string } {
  const k = Math.max(relativePath.lastIndexOf('/'), relativePath.lastIndexOf('\\'));
  return k < 0
    ? { dir: '', base: relativePath }
    : { dir: relativePath.slice(0, k), base: relativePath.slice(k + 1) };
}

/**
 * The picker item for a file candidate at `relativePath` (workspace-relative, as the host shows
 * paths): `SmtpClient.ts:66` / `demo/src/clients · code.file.path` /
 * `mapped by /app → ${workspaceFolder}/demo · from /app/src/clients/SmtpClient.ts:66:3`.
 */
export function sourcePickTexts(c: SourceCandidate, relativePath: string): PickTexts {
  const { dir, base } = splitPath(cleanText(relativePath, 4096));
  const via = c.why ? cleanText(c.why.via, 60) : c.origin;
  const where = [
    dir === '' ? undefined : shortenMiddle(dir, Math.max(12, DESCRIPTION_MAX - via.length - 3)),
    via,
  ]
    .filter((s) => s !== undefined)
    .join(' · ');
  const description = c.userCode ? where : l10n.t('{0} · library', where);
  let detail: string;
  if (c.why?.mapping) {
    const how = fittedMapping(c.why.mapping);
    const first = c.why.noLine ? `${how} · ${l10n.t('no line number')}` : how;
    detail = withWritten(first, cleanText(c.why.written, 4096));
  } else {
    detail = shortenMiddle(cleanText(c.reason, 4096), DETAIL_MAX);
  }
  return {
    label: `$(file-code) ${pickText(`${shortenMiddle(base, 60)}:${c.line}`)}`,
    description: pickText(description),
    detail: pickText(detail),
  };
}

/** The picker item for a `symbol` candidate: search the workspace's symbols for its function. */
export function symbolPickTexts(c: SourceCandidate): PickTexts {
  const fn = shortenMiddle(cleanText(c.functionName ?? '', 1000), 60);
  const why = c.why;
  const detail =
    why && why.written !== ''
      ? l10n.t(
          '{0} {1} is not in the workspace',
          cleanText(why.via, 60),
          shortenMiddle(cleanText(why.written, 4096), Math.max(WRITTEN_MIN, DETAIL_MAX - 40)),
        )
      : shortenMiddle(cleanText(c.reason, 4096), DETAIL_MAX);
  return {
    label: `$(symbol-method) ${l10n.t('Search workspace symbols for {0}', pickText(fn))}`,
    description: '',
    detail: pickText(detail),
  };
}
