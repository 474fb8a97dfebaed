/**
 * Stack-trace parsing for the languages OpenTelemetry SDKs record in `exception.stacktrace` and
 * `code.stacktrace`: Node/TypeScript, Java/Kotlin, Python, Go, .NET, Ruby and PHP.
 *
 * Detection is per line, so a trace that mixes formats (a Node error wrapping a Python one in
 * its message) still yields every frame. Frames come back innermost call first for every
 * language: Python prints its tracebacks oldest call first, so each Python traceback block is
 * reversed. Stack traces in Tempo may be cut at 2048 bytes; a cut-off last line is skipped.
 */

/** The language whose stack-trace syntax a frame was written in. */
export type StackLanguage = 'node' | 'java' | 'python' | 'go' | 'dotnet' | 'ruby' | 'php';

/** One frame of a stack trace. */
export interface StackFrame {
  /** The file as written in the trace (may be a URL, a bare `Foo.java`, or `` when none is given). */
  file: string;
  /** 1-based line. */
  line?: number;
  /** 1-based column. */
  column?: number;
  functionName?: string;
  language: StackLanguage;
  /** Runtime, framework or third-party code rather than the application's own. */
  library: boolean;
  /** A longer relative path to try first when matching `file` by suffix (Java: `com/acme/Foo.java`). */
  suffixHint?: string;
}

/** Forward slashes, for the path tests below. */
function slashes(file: string): string {
  return file.replace(/\\/g, '/');
}

/** Library markers shared by every language: package-manager install directories. */
export function isLibraryPath(file: string): boolean {
  const f = slashes(file);
  return (
    /(?:^|\/)node_modules\//.test(f) ||
    /(?:^|\/)(?:site|dist)-packages\//.test(f) ||
    /(?:^|\/)pkg\/mod\//.test(f) ||
    /(?:^|\/)vendor\//.test(f) ||
    /(?:^|\/)gems\//.test(f) ||
    f.startsWith('node:')
  );
}

function nodeLibrary(file: string): boolean {
  if (file === '' || isLibraryPath(file)) return true;
  const f = slashes(file);
  // Old Node names built-ins without a directory (`events.js`) or as `internal/...`; webpack's
  // own runtime is `webpack:///webpack/bootstrap`.
  return (
    f.startsWith('internal/') || !f.includes('/') || /^webpack(?:-internal)?:\/\/[^/]*\/webpack\//.test(f)
  );
}

const GOROOT = [
  /(?:^|\/)usr\/local\/go\/src\//,
  /(?:^|\/)usr\/lib\/go(?:-[\d.]+)?\/src\//,
  /(?:^|\/)usr\/lib\/golang\/src\//,
  /\/Cellar\/go\/[^/]+\/libexec\/src\//,
  /(?:^|\/)sdk\/go[\d.]*\/src\//,
  /^[A-Za-z]:\/(?:Program Files\/)?Go\/src\//i,
];

function goLibrary(file: string): boolean {
  const f = slashes(file);
  if (isLibraryPath(f) || GOROOT.some((r) => r.test(f))) return true;
  if (f.startsWith('/') || /^[A-Za-z]:\//.test(f)) return false;
  // -trimpath: the standard library is `net/http/server.go` (no dot in the first element) and
  // dependencies carry their version (`github.com/x/y@v1.2.3/z.go`).
  return !f.split('/')[0]!.includes('.') || /@v\d/.test(f);
}

function pythonLibrary(file: string): boolean {
  const f = slashes(file);
  return isLibraryPath(f) || /(?:^|\/)lib\/python\d[\d.]*\//i.test(f) || f.startsWith('<');
}

function rubyLibrary(file: string): boolean {
  const f = slashes(file);
  return (
    isLibraryPath(f) ||
    /(?:^|\/)lib\/ruby\//.test(f) ||
    /(?:^|\/)rubygems\//.test(f) ||
    f.startsWith('<internal:')
  );
}

const JAVA_LIBRARY_PACKAGES = [
  'java.',
  'javax.',
  'jakarta.',
  'sun.',
  'com.sun.',
  'jdk.',
  'org.springframework.',
  'kotlin.',
  'kotlinx.',
  'org.apache.catalina.',
  'org.apache.coyote.',
  'org.apache.tomcat.',
  'io.netty.',
  'reactor.core.',
  'org.hibernate.',
  'org.junit.',
];

// --- line patterns -------------------------------------------------------------------------

const PY_FRAME = /^\s*File "(.+)", line (\d+)(?:, in (.+?))?\s*$/;
const PY_CONTINUATION = /^\s*(?:[~^]+\s*|\[Previous line repeated .*\]\s*)$/;
const AT = /^\s*at\s+(.+?)\s*$/;
// .NET with a file: `Ns.Type.Method(Args) in /src/x.cs:line 57` (the word "line" is localised).
const DOTNET_FILE = /^(.*\)) in (.+):[^\s:]+ (\d+)$/;
// `Name(...)` with no space before the parenthesis: Java/Kotlin, or .NET without a file.
// Logback may append packaging data: `~[app.jar:1.0]`.
const CALL = /^([^\s(]+)\(([^()]*)\)(?:\s+~?\[[^\]]*\])?$/;
const JAVA_LOCATION =
  /^(?:(.+?\.(?:java|kt|kts|scala|groovy|clj|cljc))(?::(\d+))?|Native Method|Unknown Source|Unknown|Compiled Code)$/;
const NODE_WITH_NAME = /^(.*?)\s+\((.*)\)$/;
const RUBY = /^\s*(?:from\s+)?(.+?):(\d+):in [`'](.*?)'(?::\s.*)?$/;
const GO_LOCATION = /^\s*(.+\.go):(\d+)(?:\s+\+0x[0-9a-fA-F]+)?\s*$/;
const GO_FUNC = /^(\S.*)\(([^()]*)\)$/;
const GO_CREATED_BY = /^created by (\S+)(?: in goroutine \d+)?\s*$/;
const PHP_FRAME = /^\s*#(\d+)\s+(.+?)\((\d+)\):\s*(.*?)\s*$/;
const PHP_INTERNAL = /^\s*#(\d+)\s+\[internal function\]:\s*(.*?)\s*$/;
const PHP_IN = /\bin\s+(\S+?\.(?:php|phtml|inc))(?::(\d+)| on line (\d+))/;

/** Longest line parsed as a frame, in UTF-16 units. */
const MAX_LINE = 4096;

function toInt(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** `Foo.bar(Args)` → `Foo.bar`; PHP `App\Foo->bar()` → `App\Foo->bar`. */
function stripArgs(call: string): string {
  const i = call.indexOf('(');
  return (i < 0 ? call : call.slice(0, i)).trim();
}

function parseNode(body: string): StackFrame | undefined {
  let name: string | undefined;
  let loc = body;
  const m = NODE_WITH_NAME.exec(body);
  if (m) {
    name = m[1]!;
    loc = m[2]!;
  } else if (body.includes('(')) {
    // A line cut off mid-location (`at fn (/app/x.ts:5`: Tempo truncates at 2048 bytes) is not a frame.
    return undefined;
  }
  if (loc.startsWith('eval at ')) {
    // `eval at fn (/app/x.js:1:2), <anonymous>:1:1`: the file is the eval's caller.
    const inner = /\(([^()]+)\)/.exec(loc);
    if (!inner) return undefined;
    loc = inner[1]!;
  }
  if (name !== undefined) {
    name = name
      .replace(/^(?:async|new)\s+/, '')
      .replace(/\s+\[as [^\]]+\]$/, '')
      .trim();
  }
  const functionName = name === '' ? undefined : name;
  let lm = /^(.*):(\d+):(\d+)$/.exec(loc);
  if (lm) {
    return {
      file: lm[1]!,
      line: toInt(lm[2]),
      column: toInt(lm[3]),
      functionName,
      language: 'node',
      library: nodeLibrary(lm[1]!),
    };
  }
  lm = /^(.*):(\d+)$/.exec(loc);
  if (lm) {
    return { file: lm[1]!, line: toInt(lm[2]), functionName, language: 'node', library: nodeLibrary(lm[1]!) };
  }
  // Built-ins without a location: `(<anonymous>)`, `(native)`, `(index 0)`.
  if (m && /^(?:<anonymous>|native|index \d+)$/.test(loc)) {
    return { file: '', functionName, language: 'node', library: true };
  }
  return undefined;
}

function parseJava(name: string, location: string): StackFrame {
  // `java.base/java.lang.Thread.run`, `app//com.acme.Foo.bar`: drop the module / class loader.
  const qualified = name.slice(name.lastIndexOf('/') + 1);
  const loc = JAVA_LOCATION.exec(location);
  const file = loc?.[1] ?? '';
  const frame: StackFrame = {
    file,
    line: toInt(loc?.[2]),
    functionName: qualified,
    language: 'java',
    library: JAVA_LIBRARY_PACKAGES.some((p) => qualified.startsWith(p)),
  };
  if (frame.line === undefined) delete frame.line;
  // The package gives the source directory by convention: com.acme.Foo$Inner.run → com/acme/.
  const parts = qualified.split('.');
  const pkg = parts.slice(0, -2);
  if (file !== '' && pkg.length > 0) frame.suffixHint = `${pkg.join('/')}/${file}`;
  return frame;
}

function parseDotnet(name: string, file: string, line: string | undefined): StackFrame {
  // Async state machines: `Acme.Service.<PlaceAsync>d__5.MoveNext` → `Acme.Service.PlaceAsync`.
  const functionName = name.replace(/\.<([^>]+)>d__\d+\.MoveNext$/, '.$1');
  const frame: StackFrame = {
    file,
    line: toInt(line),
    functionName,
    language: 'dotnet',
    library: /^(?:System|Microsoft)\./.test(functionName) || isLibraryPath(file),
  };
  if (frame.line === undefined) delete frame.line;
  return frame;
}

/** Parses the body of an `at ...` line: .NET, Java/Kotlin or Node. */
function parseAt(body: string): StackFrame | undefined {
  const dn = DOTNET_FILE.exec(body);
  if (dn) return parseDotnet(stripArgs(dn[1]!), dn[2]!.trim(), dn[3]);
  const call = CALL.exec(body);
  if (call) {
    if (JAVA_LOCATION.test(call[2]!.trim())) return parseJava(call[1]!, call[2]!.trim());
    return parseDotnet(call[1]!, '', undefined);
  }
  return parseNode(body);
}

function clean(frame: StackFrame): StackFrame {
  if (frame.line === undefined) delete frame.line;
  if (frame.column === undefined) delete frame.column;
  if (frame.functionName === undefined) delete frame.functionName;
  return frame;
}

/**
 * Parses a stack trace in any supported language (detected per line) into frames, innermost
 * call first. Lines that are not frames (messages, `Caused by:`, `... 12 more`) are skipped.
 */
export function parseStackTrace(text: string): StackFrame[] {
  const out: StackFrame[] = [];
  // Python: where the current traceback block starts in `out`, to reverse it when it ends.
  let pyStart = -1;
  let pySourcePending = false;
  // Go: the function named on the line before a `file.go:N` line.
  let goFunc: string | undefined;
  // PHP: `#N` numbers and called functions by index in `out` (-1 for an `in file:line` header).
  const phpNo = new Map<number, number>();
  const phpCalled = new Map<number, string>();
  const phpHeaders = new Set<string>();

  const closePython = (): void => {
    if (pyStart >= 0) {
      const block = out.splice(pyStart).reverse();
      out.push(...block);
    }
    pyStart = -1;
    pySourcePending = false;
  };

  for (const line of text.split(/\r\n|\r|\n/)) {
    // No real frame is this long; a crafted one could make the patterns below backtrack for seconds.
    if (line.length > MAX_LINE) {
      if (pyStart >= 0) closePython();
      goFunc = undefined;
      continue;
    }
    const py = PY_FRAME.exec(line);
    if (py) {
      if (pyStart < 0) pyStart = out.length;
      const file = py[1]!;
      out.push(
        clean({
          file,
          line: toInt(py[2]),
          functionName: py[3],
          language: 'python',
          library: pythonLibrary(file),
        }),
      );
      pySourcePending = true;
      goFunc = undefined;
      continue;
    }
    if (pyStart >= 0) {
      // The source line after a Python frame, and 3.11+ caret lines, belong to the block.
      if (pySourcePending && line.trim() !== '') {
        pySourcePending = false;
        continue;
      }
      if (PY_CONTINUATION.test(line)) continue;
      closePython();
    }

    const at = AT.exec(line);
    if (at) {
      const frame = parseAt(at[1]!);
      if (frame) out.push(clean(frame));
      goFunc = undefined;
      continue;
    }

    const rb = RUBY.exec(line);
    if (rb) {
      const file = rb[1]!;
      const fn = rb[3]!.replace(/^(?:block|rescue|ensure)\s+(?:\(\d+ levels\)\s+)?in\s+/, '');
      out.push(
        clean({
          file,
          line: toInt(rb[2]),
          functionName: fn === '' ? undefined : fn,
          language: 'ruby',
          library: rubyLibrary(file),
        }),
      );
      goFunc = undefined;
      continue;
    }

    const go = GO_LOCATION.exec(line);
    if (go) {
      const file = go[1]!.trim();
      out.push(
        clean({ file, line: toInt(go[2]), functionName: goFunc, language: 'go', library: goLibrary(file) }),
      );
      goFunc = undefined;
      continue;
    }

    const php = PHP_FRAME.exec(line);
    if (php) {
      const file = php[2]!;
      phpNo.set(out.length, Number(php[1]));
      if (php[4]) phpCalled.set(out.length, stripArgs(php[4]));
      out.push(clean({ file, line: toInt(php[3]), language: 'php', library: isLibraryPath(file) }));
      goFunc = undefined;
      continue;
    }
    const phpInternal = PHP_INTERNAL.exec(line);
    if (phpInternal) {
      phpNo.set(out.length, Number(phpInternal[1]));
      if (phpInternal[2]) phpCalled.set(out.length, stripArgs(phpInternal[2]));
      out.push({ file: '', language: 'php', library: true });
      goFunc = undefined;
      continue;
    }
    const phpIn = PHP_IN.exec(line);
    if (phpIn) {
      const file = phpIn[1]!;
      const lineNo = phpIn[2] ?? phpIn[3];
      // `thrown in x.php on line 27` closes a trace that opened with `... in x.php:27`.
      if (phpHeaders.has(`${file}:${lineNo}`)) continue;
      phpHeaders.add(`${file}:${lineNo}`);
      phpNo.set(out.length, -1);
      out.push(clean({ file, line: toInt(lineNo), language: 'php', library: isLibraryPath(file) }));
      goFunc = undefined;
      continue;
    }

    const created = GO_CREATED_BY.exec(line);
    const goCall = created ? undefined : GO_FUNC.exec(line);
    goFunc = created ? created[1] : goCall ? goCall[1] : undefined;
  }
  closePython();

  // A PHP frame `#N file(line): callee()` says what was CALLED at that line; the function the
  // line belongs to is the callee of the next frame out. The `in file:line` header belongs to
  // the callee of `#0`.
  for (const [i, callee] of phpCalled) {
    const prev = phpNo.get(i - 1);
    if (prev !== undefined && prev === phpNo.get(i)! - 1) out[i - 1]!.functionName = callee;
  }
  return out;
}
