import { findSourceMap } from 'node:module';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-node';

/** Where a span started: the OpenTelemetry `code.*` attributes. */
export type CodeLocation = {
  readonly 'code.function.name': string;
  readonly 'code.file.path': string;
  readonly 'code.line.number': number;
  readonly 'code.column.number': number;
};

/** The service sources (`src/`); frames elsewhere (node_modules, Node itself) are not "our code". */
const SOURCE_ROOT = resolve(__dirname, '..') + sep;
/** Span helpers live here; the span starts where they are called, not inside them. */
const TELEMETRY_DIR = __dirname + sep;
/** Deep enough to get through the SDK and the http instrumentation to the caller. */
const STACK_DEPTH = 40;

/**
 * The first frame of the stack that is in our sources (outside the telemetry helpers), with its
 * position mapped back to the TypeScript source through the source map tsx registered. V8's
 * structured call sites give the real function and class names; the string form of `stack` would
 * give source-mapped names, which can name the wrong function.
 */
export function callerLocation(): CodeLocation | undefined {
  const savedPrepare = Error.prepareStackTrace;
  const savedLimit = Error.stackTraceLimit;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = STACK_DEPTH;
    Error.captureStackTrace(holder, callerLocation);
    const sites = holder.stack ?? [];
    const index = sites.findIndex(isOurs);
    const site = sites[index];
    if (!site) return undefined;
    // An arrow function (a Promise executor, a callback) has no name: the function it is written
    // in is the next named frame of ours.
    const named = sites.slice(index).find((s) => isOurs(s) && s.getFunctionName());
    return { ...position(site), 'code.function.name': named ? functionName(named) : '<anonymous>' };
  } finally {
    Error.prepareStackTrace = savedPrepare;
    Error.stackTraceLimit = savedLimit;
  }
}

function fileOf(site: NodeJS.CallSite): string | undefined {
  const fileName = site.getFileName();
  if (!fileName) return undefined;
  return fileName.startsWith('file:') ? fileURLToPath(fileName) : fileName;
}

function isOurs(site: NodeJS.CallSite): boolean {
  const file = fileOf(site);
  return !!file && file.startsWith(SOURCE_ROOT) && !file.startsWith(TELEMETRY_DIR);
}

/** The frame's position in the TypeScript source, through the source map tsx registered. */
function position(site: NodeJS.CallSite): Omit<CodeLocation, 'code.function.name'> {
  const file = fileOf(site) ?? '';
  const line = site.getLineNumber() ?? 0;
  const column = site.getColumnNumber() ?? 0;
  const origin = findSourceMap(file)?.findOrigin(line, column);
  if (origin && 'fileName' in origin) {
    return {
      'code.file.path': origin.fileName.startsWith('file:')
        ? fileURLToPath(origin.fileName)
        : resolve(dirname(file), origin.fileName),
      'code.line.number': origin.lineNumber,
      'code.column.number': origin.columnNumber,
    };
  }
  return { 'code.file.path': file, 'code.line.number': line, 'code.column.number': column };
}

/** `Class.method` for methods, the function's name otherwise. */
function functionName(site: NodeJS.CallSite): string {
  const fn = site.getFunctionName() ?? '<anonymous>';
  const type = site.isToplevel() ? null : site.getTypeName();
  if (type && type !== 'Object' && !fn.includes('.')) return `${type}.${fn}`;
  return fn;
}

/**
 * Adds `code.*` to every span when it starts, from the stack of whoever started it: our span
 * helpers, and the http instrumentation's client spans (the line that called `http.request`).
 * Spans started by Node itself (an incoming request) have no frame of ours and get nothing.
 */
export class CodeLocationProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const location = callerLocation();
    if (location) span.setAttributes(location);
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
