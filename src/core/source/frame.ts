/**
 * One stack frame to source, and the line numbers of paths outside the workspace: the pieces the
 * host needs around `resolveSpanSource` for a frame link in the span detail pane and for the
 * "open a file outside the workspace?" prompt. Pure.
 */
import type { Attribute, AttributeValue, SpanEvent } from '../../shared/model';
import { checkCandidatePath } from './paths';
import {
  outsideWorkspace,
  refusedPaths,
  resolveSpanSource,
  type RefusedPath,
  type ResolveContext,
  type SourceCandidate,
} from './resolve';
import { parseStackTrace, type StackFrame } from './stackTrace';

/** A file outside the workspace that the span names, with the line when the span gives one. */
export interface OutsideLocation {
  /** As `checkCandidatePath` normalised it (forward slashes). */
  path: string;
  line?: number;
  column?: number;
}

function text(attributes: readonly Attribute[], key: string): string | undefined {
  const v: AttributeValue | undefined = attributes.find((a) => a.key === key)?.value;
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

function positiveInt(attributes: readonly Attribute[], keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = attributes.find((a) => a.key === key)?.value;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n > 0) return n;
  }
  return undefined;
}

/** The frames of every stack trace the span carries, in the resolver's order. */
function allFrames(attributes: readonly Attribute[], events: readonly SpanEvent[]): StackFrame[] {
  const frames: StackFrame[] = [];
  const code = text(attributes, 'code.stacktrace');
  if (code !== undefined) frames.push(...parseStackTrace(code));
  for (const e of events) {
    if (e.name !== 'exception') continue;
    const st = text(e.attributes, 'exception.stacktrace');
    if (st !== undefined) frames.push(...parseStackTrace(st));
  }
  return frames;
}

/**
 * `outsideWorkspace` with the line (and column) each path was named with: from `code.*`
 * attributes when the path is `code.file.path`/`code.filepath`, else from the first stack frame
 * naming it.
 */
export function outsideLocations(
  attributes: Attribute[],
  events: SpanEvent[],
  ctx: ResolveContext,
): OutsideLocation[] {
  const raws = outsideWorkspace(attributes, events, ctx);
  if (raws.length === 0) return [];
  const file = text(attributes, 'code.file.path') ?? text(attributes, 'code.filepath');
  const frames = allFrames(attributes, events);
  const out: OutsideLocation[] = [];
  for (const raw of raws) {
    const checked = checkCandidatePath(raw);
    if (!checked.ok) continue;
    const loc: OutsideLocation = { path: checked.path };
    if (file !== undefined && file.trim() === raw.trim()) {
      const line = positiveInt(attributes, ['code.line.number', 'code.lineno']);
      const column = positiveInt(attributes, ['code.column.number', 'code.column']);
      if (line !== undefined) loc.line = line;
      if (line !== undefined && column !== undefined) loc.column = column;
    } else {
      const frame = frames.find((f) => f.file === raw && f.line !== undefined);
      if (frame?.line !== undefined) loc.line = frame.line;
      if (frame?.column !== undefined) loc.column = frame.column;
    }
    out.push(loc);
  }
  return out;
}

/**
 * Frame `frameIndex` of `parseStackTrace(exception.stacktrace)` of event `eventIndex` (an index
 * into the span's events, which must be an `exception` event with a stack trace).
 */
export function exceptionFrame(
  events: readonly SpanEvent[],
  eventIndex: number,
  frameIndex: number,
): StackFrame | undefined {
  const event = events[eventIndex];
  if (!event || event.name !== 'exception') return undefined;
  const st = text(event.attributes, 'exception.stacktrace');
  if (st === undefined) return undefined;
  const frame = parseStackTrace(st)[frameIndex];
  return frame && frame.file !== '' ? frame : undefined;
}

/** The `code.*` attributes that describe one frame's place, for the resolver. */
function frameAttributes(file: string, frame: StackFrame, withFunction: boolean): Attribute[] {
  const attrs: Attribute[] = [{ key: 'code.file.path', value: file }];
  if (frame.line !== undefined) attrs.push({ key: 'code.line.number', value: frame.line });
  if (frame.line !== undefined && frame.column !== undefined) {
    attrs.push({ key: 'code.column.number', value: frame.column });
  }
  if (withFunction && frame.functionName !== undefined) {
    attrs.push({ key: 'code.function.name', value: frame.functionName });
  }
  return attrs;
}

/**
 * Places in the workspace for one stack frame, through the same mapping, suffix matching and
 * containment rules as a span's `code.*` attributes: the longer suffix hint first (Java's
 * `com/acme/Foo.java`), then the file as written, then a workspace symbol search for the
 * frame's function. `outside` lists the frame's file when nothing maps it into the workspace;
 * `refused` says when it is a system path that is never opened.
 */
export function resolveStackFrame(
  frame: StackFrame,
  ctx: ResolveContext,
  label = 'stack frame',
): { candidates: SourceCandidate[]; outside: OutsideLocation[]; refused: RefusedPath[] } {
  const relabel = (cs: SourceCandidate[]): SourceCandidate[] =>
    cs.map((c) => ({
      ...c,
      reason: c.reason.replace(/^code\.file\.path /, `${label} `),
      ...(c.why ? { why: { ...c.why, via: c.why.via === 'code.file.path' ? label : c.why.via } } : {}),
    }));
  if (frame.suffixHint !== undefined && frame.suffixHint !== frame.file) {
    const hinted = resolveSpanSource(frameAttributes(frame.suffixHint, frame, false), [], ctx);
    if (hinted.length > 0) return { candidates: relabel(hinted), outside: [], refused: [] };
  }
  const attrs = frameAttributes(frame.file, frame, true);
  const candidates = relabel(resolveSpanSource(attrs, [], ctx));
  const real = candidates.filter((c) => c.origin !== 'symbol');
  return {
    candidates: real.length > 0 ? real : candidates,
    outside: real.length > 0 ? [] : outsideLocations(attrs, [], ctx),
    refused: real.length > 0 ? [] : refusedPaths(attrs, [], ctx),
  };
}
