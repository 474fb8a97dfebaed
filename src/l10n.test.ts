/**
 * No user-facing string literal: every sentence a person reads goes through the translation
 * (issue 18 item 8). The scan reads the TypeScript of the host, the core modules whose words the
 * host shows, and the webview, and flags a string literal (or a template literal's fixed text)
 * that reaches a sink (a notification, a QuickPick or input box, the status bar, a tree item,
 * Markdown, a webview element's text, tooltip or accessible name) without `l10n.t` around it.
 * It follows a literal through \`?:\`, \`||\`, \`??\`, \`+\`, arrays and \`() =>\`; a literal kept in a constant or
 * handed to a helper it does not know is not seen, so name such a helper in SINK_CALLS.
 * The command line's output stays English and is not scanned.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');

/** Where a flagged literal sits and how to fix it. */
interface Finding {
  file: string;
  line: number;
  text: string;
  sink: string;
}

type Zone = 'host' | 'core' | 'webview';

/** Properties whose value a person reads, in object literals and assignments. */
const SINK_PROPS: Record<Zone, ReadonlySet<string>> = {
  // QuickPickItem label/description/detail, input box and QuickPick title/placeHolder/prompt,
  // TreeItem and TreeView label/description/tooltip/message, status bar text/tooltip/name,
  // withProgress and CodeLens titles, decoration contentText.
  host: new Set([
    'label',
    'description',
    'detail',
    'title',
    'placeHolder',
    'placeholder',
    'prompt',
    'tooltip',
    'message',
    'text',
    'contentText',
  ]),
  // The status bar's and the Live view's texts the core words for the host.
  core: new Set(['label', 'description', 'tooltip', 'text', 'heading', 'selectLabel', 'more']),
  // el()'s text and title; the ElOptions attrs that speak; element properties.
  webview: new Set([
    'text',
    'title',
    'placeholder',
    'aria-label',
    'aria-roledescription',
    'aria-valuetext',
    'alt',
    'label',
    'textContent',
    'innerText',
    'ariaLabel',
  ]),
};

/** Calls whose arguments (by position; -1: all) a person reads. */
const SINK_CALLS: Record<Zone, Record<string, number[]>> = {
  host: {
    showInformationMessage: [-1],
    showWarningMessage: [-1],
    showErrorMessage: [-1],
    setStatusBarMessage: [0],
    showQuickPick: [0],
    appendMarkdown: [0],
    appendText: [0],
    MarkdownString: [0],
    TreeItem: [0],
    // host/notify.ts: the buttons (the message is InertText, which only core/notices.ts makes).
    'notify.info': [-1],
    'notify.warn': [-1],
    'notify.error': [-1],
    'notify.askWarning': [-1],
  },
  core: {
    // core/untrusted.ts: a notification's text.
    notice: [0],
    // core/hovers.ts's Markdown builder.
    markup: [0],
    text: [0],
    link: [1],
    // core/agent/prepare.ts: a tool's progress message in the chat.
    shown: [0],
  },
  webview: {
    // dom.ts: iconButton(icon, label, onClick, text); the header's and the detail's fact rows,
    // the detail's sections, the waterfall's marks.
    iconButton: [1, 3],
    fact: [0],
    addFact: [0],
    section: [0],
    mark: [2],
    setAttribute: [1],
  },
};

/** Core modules whose text the host shows as is. A new one belongs here. */
const CORE_UI = [
  'src/core/notices.ts',
  'src/core/hovers.ts',
  'src/core/local/status.ts',
  'src/core/local/liveRows.ts',
  'src/core/source/text.ts',
  'src/core/agent/prepare.ts',
];

/**
 * Literals that are not words to translate, left in the code. Keep this tiny, and say why.
 * (Codicon syntax `$(name)`, `{0}` placeholders, numbers, punctuation and the product name
 * "Trace Lens" are never flagged, so they need no entry.)
 */
const ALLOWED: ReadonlyArray<{ file: string; text: string; why: string }> = [
  { file: 'src/host/local/liveView.ts', text: 'checkout is:error', why: 'an example of the filter syntax' },
  {
    file: 'src/host/source/searchView.ts',
    text: '{ resource.service.name = "api" && duration > 500ms }',
    why: 'an example TraceQL query',
  },
  {
    file: 'webview/views/waterfall/detail.ts',
    text: 'null',
    why: 'an attribute whose value is null, as written',
  },
  { file: 'webview/views/search/plot.ts', text: 'A', why: 'the letter of the first trace to compare' },
  { file: 'webview/views/search/plot.ts', text: 'B', why: 'the letter of the second trace to compare' },
];

/**
 * Host files left out of the scan. None: host/lmTools.ts was, but what it shows a person (the
 * progress message) is now localized; the answers the model reads are English by decision and
 * worded in core/agent (see its run.ts), which is not scanned except prepare.ts.
 */
const NOT_SCANNED: readonly string[] = [];

/** What is left of a literal once the parts nobody translates are gone. */
function words(text: string): string {
  return text
    .replace(/\$\([a-z0-9-~]+\)/gi, ' ') // codicons
    .replace(/\{\d+\}/g, ' ') // placeholders
    .replace(/Trace Lens/g, ' ') // the product's name
    .replace(/\b[0-9a-f]{16,32}\b/g, ' ') // an example trace or span ID
    .replace(/\b(?:OTLP|OTEL_\*|TraceQL|HTTP|ms|s)\b/g, ' ') // never translated, kept verbatim
    .trim();
}

/** Whether `text` has something to translate. */
function isWords(text: string): boolean {
  return /\p{L}/u.test(words(text));
}

/** The fixed text of each literal that `expr` can evaluate to (through ?:, ||, ??, +, arrays). */
function literalsOf(expr: ts.Expression): ts.Node[] {
  if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr))
    return literalsOf(expr.expression);
  if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr) || ts.isTemplateExpression(expr))
    return [expr];
  // \`title: () => 'Stats'\`: what the function returns.
  if (ts.isArrowFunction(expr) && !ts.isBlock(expr.body)) return literalsOf(expr.body);
  if (ts.isConditionalExpression(expr)) return [...literalsOf(expr.whenTrue), ...literalsOf(expr.whenFalse)];
  if (ts.isBinaryExpression(expr)) {
    const op = expr.operatorToken.kind;
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken)
      return [...literalsOf(expr.left), ...literalsOf(expr.right)];
    if (op === ts.SyntaxKind.PlusToken) return [...literalsOf(expr.left), ...literalsOf(expr.right)];
  }
  if (ts.isArrayLiteralExpression(expr))
    return expr.elements.flatMap((e) => (ts.isSpreadElement(e) ? [] : literalsOf(e)));
  return [];
}

/** A literal's fixed text: a template's parts between its `${}`s. */
function fixedText(node: ts.Node): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return '';
}

function propName(name: ts.PropertyName | ts.MemberName): string | undefined {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

/** The name a call is matched by: `f`, `new F`, `x.f` (and `notify.f` as such). */
function calleeNames(callee: ts.Expression): string[] {
  if (ts.isIdentifier(callee)) return [callee.text];
  if (ts.isPropertyAccessExpression(callee)) {
    const name = callee.name.text;
    const owner = ts.isIdentifier(callee.expression) ? callee.expression.text : undefined;
    return owner ? [`${owner}.${name}`, name] : [name];
  }
  return [];
}

/** Scans one file's source text. */
function scanSource(file: string, source: string, zone: Zone): Finding[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Array<Finding & { column: number }> = [];
  const props = SINK_PROPS[zone];
  const calls = SINK_CALLS[zone];
  const flag = (expr: ts.Expression, sink: string) => {
    for (const lit of literalsOf(expr)) {
      const text = fixedText(lit);
      if (!isWords(text)) continue;
      if (ALLOWED.some((a) => a.file === file && a.text === text)) continue;
      const at = sf.getLineAndCharacterOfPosition(lit.getStart(sf));
      found.push({ file, line: at.line + 1, column: at.character, text, sink });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node)) {
      const name = propName(node.name);
      if (name && props.has(name)) flag(node.initializer, `the "${name}" property`);
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      props.has(node.left.name.text)
    ) {
      flag(node.right, `an assignment to .${node.left.name.text}`);
    } else if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const names = calleeNames(node.expression);
      const positions = names
        .map((n) => (Object.hasOwn(calls, n) ? calls[n] : undefined))
        .find((p) => p !== undefined);
      const args = node.arguments ?? [];
      const isSpeakingAttribute =
        names.includes('setAttribute') && args[0] && ts.isStringLiteral(args[0])
          ? props.has(args[0].text)
          : true;
      if (positions && isSpeakingAttribute) {
        args.forEach((arg, i) => {
          if (positions.includes(-1) || positions.includes(i)) flag(arg, `${names[0]}()`);
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found.sort((a, b) => a.line - b.line || a.column - b.column).map(({ column: _, ...f }) => f);
}

/** The shipped TypeScript files under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'testing' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const HOW_TO_FIX: Record<Zone, string> = {
  host: "wrap it in vscode.l10n.t('…') (values as {0}, {1} arguments), then run `npm run l10n`",
  core: "word it with l10n.t('…') from '@vscode/l10n' (values as {0}, {1} arguments), then run `npm run l10n`",
  webview:
    'add a key with the English text to webviewStrings() in src/shared/strings.ts, read it in the webview as S.<key> from webview/l10n.ts (values through fmt), then run `npm run l10n`',
};

function scanTree(): Array<Finding & { zone: Zone }> {
  const zones: Array<[Zone, string[]]> = [
    ['host', ['src/extension.ts', ...sources('src/host')].filter((f) => !NOT_SCANNED.includes(f))],
    ['core', CORE_UI],
    ['webview', sources('webview')],
  ];
  return zones.flatMap(([zone, files]) =>
    files.flatMap((f) =>
      scanSource(f, readFileSync(join(ROOT, f), 'utf8'), zone).map((x) => ({ ...x, zone })),
    ),
  );
}

describe('localisation: no user-facing string literal', () => {
  it('flags literals at every kind of sink, and leaves translated text, codicons and values alone', () => {
    const host = `
      vscode.window.setStatusBarMessage('Trace ID copied', 2000);
      void vscode.window.showQuickPick([{ label: \`$(copy) \${'Copy'}\`, description: cond ? 'on' : vscode.l10n.t('off') }], { title: 'Pick one' });
      item.tooltip = 'Open trace';
      new vscode.TreeItem('Recent');
      void notify.warn(notices.receiverOff(), 'Retry');
      // fine:
      vscode.window.setStatusBarMessage(vscode.l10n.t('Trace ID copied'), 2000);
      item.label = \`$(clock) \${name}\`;
      item.description = '·';
      item.text = '$(radio-tower) {0}';
      log.warn('log lines stay English');
      const x = { id: 'traceLens.recent', command: 'traceLens.openTrace' };
    `;
    assert.deepEqual(
      scanSource('h.ts', host, 'host').map((f) => [f.line, f.text]),
      [
        [2, 'Trace ID copied'],
        [3, 'on'],
        [3, 'Pick one'],
        [4, 'Open trace'],
        [5, 'Recent'],
        [6, 'Retry'],
      ],
    );
    const webview = `
      el('div', { class: 'tl-status-title', text: 'Loading trace…' });
      el('input', { attrs: { type: 'search', 'aria-label': 'Search spans', placeholder: '< ms' } });
      node.textContent = total === 0 ? 'No matches' : s.matches;
      b.setAttribute('aria-label', 'Close');
      iconButton('close', 'Close', onClick);
      // fine:
      el('span', { class: 'tl-sep', text: '·', attrs: { 'aria-hidden': 'true', role: 'separator' } });
      b.setAttribute('data-kind', 'server');
      iconButton('close', s.close, onClick);
    `;
    assert.deepEqual(
      scanSource('w.ts', webview, 'webview').map((f) => [f.line, f.text]),
      [
        [2, 'Loading trace…'],
        [3, 'Search spans'],
        [4, 'No matches'],
        [5, 'Close'],
        [6, 'Close'],
      ],
    );
    const core = `
      md.markup('$(telescope) **Trace Lens** · ').text('Services: ').link('copy', 'Copy ID', uri);
      notice(\`Trace Lens: \${x}\`); notice('Trace Lens: cancelled');
      return { text: \`$(warning) \${l10n.t('Port {0} taken', p)}\`, tooltip: 'Receiving' };
    `;
    assert.deepEqual(
      scanSource('c.ts', core, 'core').map((f) => [f.line, f.text]),
      [
        [2, 'Services: '],
        [2, 'Copy ID'],
        [3, 'Trace Lens: cancelled'],
        [4, 'Receiving'],
      ],
    );
  });

  it('finds none in the host, the core modules the host shows, and the webview', () => {
    const found = scanTree();
    const report = found.map(
      (f) => `  ${f.file}:${f.line}: "${f.text}" reaches ${f.sink} as a literal: ${HOW_TO_FIX[f.zone]}.`,
    );
    assert.equal(
      found.length,
      0,
      `${found.length} user-facing string literal(s) not localised:\n${report.join('\n')}\n` +
        'Not words at all (an ID, a number, a codicon)? Add it to ALLOWED in src/l10n.test.ts with the reason.',
    );
  });

  it('scans every file it names', () => {
    for (const f of CORE_UI) assert.ok(readFileSync(join(ROOT, f), 'utf8').length > 0, f);
    // A moved folder would otherwise leave the scan with nothing to read, and passing.
    assert.ok(sources('webview').length > 10, 'webview/ has its sources');
    assert.ok(sources('src/host').length > 20, 'src/host/ has its sources');
  });
});
