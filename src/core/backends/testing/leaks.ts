/**
 * An oracle for tests: does `text` still carry `secret` in some spelling? It undoes escapes and
 * encodings (percent, `+`, JSON, base64 and base64url at every alignment, hex) a few layers deep
 * and looks for the secret's bytes, so it does not share any logic with the masking it checks.
 * Test-only code.
 */

/** One byte per character, so text and decoded bytes compare alike. */
function bytesOf(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

function decodings(view: string): [string, string][] {
  const out: [string, string][] = [
    ['percent', view.replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))],
    ['plus', view.replace(/\+/g, ' ')],
    [
      'json',
      view
        .replace(/\\u([0-9a-fA-F]{4})/g, (_m, h: string) => bytesOf(String.fromCharCode(parseInt(h, 16))))
        .replace(/\\(["/\\])/g, '$1'),
    ],
  ];
  for (const run of view.match(/[A-Za-z0-9+/_-]{4,}/g) ?? []) {
    for (let j = 0; j < 4; j++) out.push(['base64', Buffer.from(run.slice(j), 'base64').toString('latin1')]);
  }
  for (const run of view.match(/[0-9a-fA-F]{8,}/g) ?? []) {
    for (let j = 0; j < 2; j++) out.push(['hex', Buffer.from(run.slice(j), 'hex').toString('latin1')]);
  }
  return out;
}

/** The spelling through which `text` leaks `secret` (e.g. "base64 > percent"), or undefined. */
export function leakOf(text: string, secret: string): string | undefined {
  const wanted = bytesOf(secret);
  let layer = new Map<string, string>([[bytesOf(text), 'as is']]);
  const seen = new Set(layer.keys());
  for (let depth = 0; depth < 4; depth++) {
    for (const [view, how] of layer) if (view.includes(wanted)) return how;
    const next = new Map<string, string>();
    for (const [view, how] of layer) {
      for (const [name, decoded] of decodings(view)) {
        if (decoded.length < wanted.length || seen.has(decoded)) continue;
        seen.add(decoded);
        next.set(decoded, how === 'as is' ? name : `${how} > ${name}`);
      }
    }
    layer = next;
  }
  return undefined;
}
