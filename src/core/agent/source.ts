/**
 * Where a span's code is, for an agent: the workspace `file:line` the resolver maps it to
 * (`core/source`, the same mapping Go to Source uses), else the place the trace recorded, marked
 * as not found in the workspace. Pure; the caller passes the workspace as a `ResolveContext`.
 */
import type { SpanDetail } from '../../shared/model';
import {
  parseStackTrace,
  resolveSpanSource,
  resolveStackFrame,
  type ResolveContext,
  type StackFrame,
} from '../source';
import { containingFolder, parsePath } from '../source/paths';
import { code } from './markdown';

/** A place in the code, as an answer shows it. */
export type CodePlace =
  | {
      inWorkspace: true;
      /** Workspace-relative, forward slashes; `folder/…` in multi-root workspaces. */ path: string;
      line: number;
    }
  | { inWorkspace: false; /** As the trace recorded it (untrusted). */ path: string; line?: number };

/** `path` relative to its workspace folder, with the folder's name first when there are several. */
export function workspaceRelative(path: string, ctx: ResolveContext): string | undefined {
  const p = parsePath(path, true);
  if (!p.ok) return undefined;
  const c = containingFolder(p.value, ctx.folders);
  if (!c) return undefined;
  const rest = p.value.segments.slice(c.depth).join('/');
  return ctx.folders.length > 1 ? `${c.folder.name}/${rest}` : rest;
}

function text(attributes: SpanDetail['attributes'], keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = attributes.find((a) => a.key === key)?.value;
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

function positive(attributes: SpanDetail['attributes'], keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = attributes.find((a) => a.key === key)?.value;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}

/** The first user-code frame of the span's stack traces (`code.stacktrace`, then exceptions). */
function firstUserFrame(detail: SpanDetail): StackFrame | undefined {
  const texts: string[] = [];
  const own = text(detail.attributes, ['code.stacktrace']);
  if (own) texts.push(own);
  for (const e of detail.events) {
    if (e.name !== 'exception') continue;
    const st = text(e.attributes, ['exception.stacktrace']);
    if (st) texts.push(st);
  }
  for (const t of texts) {
    const f = parseStackTrace(t).find((x) => !x.library && x.file !== '');
    if (f) return f;
  }
  return undefined;
}

/**
 * The code behind a span: the best workspace candidate when `ctx` is given and one resolves,
 * else what the span's `code.*` attributes (or its first user stack frame) recorded; undefined
 * when the span names no code.
 */
export function spanCodePlace(
  detail: SpanDetail,
  service: string,
  ctx?: ResolveContext,
): CodePlace | undefined {
  if (ctx) {
    const withService = service ? { ...ctx, serviceName: service } : ctx;
    const best = resolveSpanSource(detail.attributes, detail.events, withService).find(
      (c) => c.origin !== 'symbol',
    );
    const rel = best ? workspaceRelative(best.path, ctx) : undefined;
    if (best && rel !== undefined) return { inWorkspace: true, path: rel, line: best.line };
  }
  const file = text(detail.attributes, ['code.file.path', 'code.filepath']);
  if (file) {
    const line = positive(detail.attributes, ['code.line.number', 'code.lineno']);
    return line !== undefined ? { inWorkspace: false, path: file, line } : { inWorkspace: false, path: file };
  }
  const frame = firstUserFrame(detail);
  if (frame) {
    return frame.line !== undefined
      ? { inWorkspace: false, path: frame.file, line: frame.line }
      : { inWorkspace: false, path: frame.file };
  }
  return undefined;
}

/** A stack frame mapped into the workspace, when it resolves there. */
export function framePlace(frame: StackFrame, ctx?: ResolveContext): CodePlace | undefined {
  if (ctx && frame.file !== '') {
    const best = resolveStackFrame(frame, ctx).candidates.find((c) => c.origin !== 'symbol');
    const rel = best ? workspaceRelative(best.path, ctx) : undefined;
    if (best && rel !== undefined) return { inWorkspace: true, path: rel, line: best.line };
  }
  return undefined;
}

/**
 * A place as Markdown: `` `src/x.ts:88` `` for the workspace; `` recorded `/app/x.ts:88` (not in the
 * workspace) `` otherwise, or `(no workspace given)` when the caller had none to look in.
 */
export function formatPlace(place: CodePlace, hasWorkspace: boolean): string {
  const where = place.line !== undefined ? `${place.path}:${place.line}` : place.path;
  if (place.inWorkspace) return code(where, 200);
  return `recorded ${code(where, 200)} (${hasWorkspace ? 'not found in the workspace' : 'no workspace to map it to'})`;
}
