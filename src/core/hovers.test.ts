import { strict as assert } from 'node:assert';
import { summarize } from './analysis';
import {
  failedSpans,
  overlayHoverMarkdown,
  sourceNoteMarkdown,
  traceErrorHoverMarkdown,
  traceHoverMarkdown,
  type TraceHoverLinks,
} from './hovers';
import { decodeTrace } from './decode';
import { otlpTrace, sid } from './decode/testing/testSupport';
import { HOSTILE_TEXTS, SEND_SEQUENCE, rendered } from './testing/hostile';

const OPEN = 'command:traceLens.openTraceById?%5B%7B%22traceId%22%3A%22a%22%7D%5D';
const COPY = 'command:traceLens.copyTraceId?%5B%7B%22traceId%22%3A%22a%22%7D%5D';
const GRAFANA = 'command:traceLens.openInGrafana?%5B%7B%22traceId%22%3A%22a%22%7D%5D';
const SOURCE = 'command:traceLens.goToSpanSource?%5B%7B%22traceId%22%3A%22a%22%7D%5D';

/** Issue 17, item 6: span names that are autolinks. */
const AUTOLINK_NAMES = [
  '<https://evil.test/x>',
  '<command:traceLens.openTraceById?%5B%7B%22traceId%22%3A%224bf92f3577b34da6a3ce929d0e0e4736%22%7D%5D>',
];

/** Every `$(icon)` the rendered HTML would turn into a theme icon. */
const icons = (html: string) => [...html.matchAll(/\$\(([a-z0-9-]+(?:~[a-z]+)?)\)/gi)].map((m) => m[1]);

/** A trace whose every name (services, spans, the partial message) is `name`. */
function hostileHover(name: string, links: TraceHoverLinks): string {
  const decoded = decodeTrace(
    JSON.stringify(
      otlpTrace([
        { id: sid(1), name, service: name, start: 0, end: 1000, error: true },
        {
          id: sid(2),
          parent: sid(1),
          name,
          service: `${name} 2`,
          start: 10,
          end: 900,
          attributes: { 'code.function': name },
        },
        { id: sid(3), parent: sid(2), name, service: name, start: 20, end: 800 },
      ]),
    ),
  );
  return traceHoverMarkdown({
    summary: summarize(decoded.model),
    model: decoded.model,
    failures: failedSpans(decoded),
    spanId: sid(2),
    partialMessage: name,
    // A backend's name comes from settings a cloned repository may write.
    source: `from ${name}`,
    links,
  });
}

describe('trace hover Markdown (hover.ts)', () => {
  it('a span named like an autolink stays text; the only links are ours', () => {
    for (const name of [...AUTOLINK_NAMES, ...HOSTILE_TEXTS]) {
      const md = hostileHover(name, { open: OPEN, copy: COPY, grafana: GRAFANA, source: SOURCE });
      const r = rendered(md);
      assert.deepEqual(r.hrefs, [OPEN, GRAFANA, COPY, SOURCE], `${JSON.stringify(name)} → ${r.html}`);
      assert.deepEqual(icons(r.html), [
        'telescope',
        'error',
        'error',
        'warning',
        'go-to-file',
        'link-external',
        'copy',
        'code',
      ]);
      assert.ok(
        !/<(?!\/?(?:p|a|strong|em|br)\b)[a-z]/i.test(r.html),
        `markup from ${JSON.stringify(name)}: ${r.html}`,
      );
    }
  });

  it('shows the names as written', () => {
    const name = AUTOLINK_NAMES[0]!;
    const r = rendered(hostileHover(name, { open: OPEN, copy: COPY }));
    assert.ok(r.text.includes(`${name} · ${name}`), r.text);
    assert.ok(r.text.includes(`This line was written by span ${name} (${sid(2)})`), r.text);
    assert.ok(r.text.includes(`· from ${name}`), r.text);
    assert.deepEqual(r.hrefs, [OPEN, COPY]);
  });

  it('says which backend answered, after the figures', () => {
    const decoded = decodeTrace(
      JSON.stringify(otlpTrace([{ id: sid(1), name: 'GET /', service: 'api', start: 0, end: 1_000_000 }])),
    );
    const input = {
      summary: summarize(decoded.model),
      model: decoded.model,
      links: { open: OPEN, copy: COPY },
    };
    const r = rendered(traceHoverMarkdown({ ...input, source: 'from the local store' }));
    assert.match(r.text, /1 ms · 1 span · 1 service · from the local store/);
    assert.ok(!rendered(traceHoverMarkdown(input)).text.includes(' · from'));
  });

  it('names what failed: service · span and its message, origins first, at most three, then +N more', () => {
    const decoded = decodeTrace(
      JSON.stringify(
        otlpTrace([
          { id: sid(1), name: 'POST /checkout', service: 'shop', start: 0, end: 9000, error: true },
          {
            id: sid(2),
            parent: sid(1),
            name: 'charge card',
            service: 'payments',
            start: 10,
            end: 900,
            error: true,
            events: [
              {
                name: 'exception',
                at: 800,
                attributes: { 'exception.type': 'CardError', 'exception.message': 'card declined' },
              },
            ],
          },
          {
            id: sid(3),
            parent: sid(1),
            name: 'reserve stock',
            service: 'stock',
            start: 20,
            end: 800,
            error: true,
          },
          {
            id: sid(4),
            parent: sid(1),
            name: 'send mail',
            service: 'mail',
            start: 30,
            end: 700,
            error: true,
          },
          { id: sid(5), parent: sid(1), name: 'audit', service: 'audit', start: 40, end: 600 },
        ]),
      ),
    );
    const failures = failedSpans(decoded);
    // The spans where the failure started come before the root that failed because of them.
    assert.deepEqual(
      failures.map((f) => `${f.service} · ${f.name}: ${f.message ?? ''}`),
      ['payments · charge card: card declined', 'stock · reserve stock: failed', 'mail · send mail: failed'],
    );
    const r = rendered(
      traceHoverMarkdown({
        summary: summarize(decoded.model),
        model: decoded.model,
        failures,
        links: { open: OPEN, copy: COPY },
      }),
    );
    assert.match(r.text, /4 errors/);
    assert.match(r.text, /\$\(error\) payments · charge card: card declined\n/);
    assert.match(r.text, /\$\(error\) mail · send mail: failed\n\+1 more\n/);
    assert.ok(!r.text.includes('POST /checkout: failed'), 'the fourth failure is only counted');
    // With no more than three, no "+N more".
    const two = failedSpans(decoded, 2);
    const text = rendered(
      traceHoverMarkdown({
        summary: { ...summarize(decoded.model), errorCount: 2 },
        model: decoded.model,
        failures: two,
        links: { open: OPEN, copy: COPY },
      }),
    ).text;
    assert.ok(!/more/.test(text), text);
  });

  it('the error hover quotes a server body as text', () => {
    const body = `GET /api/traces/x → 500: "[Sign in again](${SEND_SEQUENCE}) <https://evil.test/x>"`;
    const r = rendered(traceErrorHoverMarkdown(body, COPY));
    assert.deepEqual(r.hrefs, [COPY]);
    assert.ok(r.text.includes(body), r.text);
  });

  it('the error hover offers Retry, Open Setting and Test Connection, as the panel does; a server body adds none', () => {
    const SETTING = 'command:traceLens.openBackendSetting?%5B%7B%7D%5D';
    const TEST = 'command:traceLens.testConnection?%5B%7B%7D%5D';
    for (const body of [...HOSTILE_TEXTS, `[Retry](${SEND_SEQUENCE})`]) {
      const r = rendered(
        traceErrorHoverMarkdown(`GET /api/v2/traces/a → 502: ${body}`, {
          copy: COPY,
          retry: OPEN,
          setting: SETTING,
          testConnection: TEST,
        }),
      );
      assert.deepEqual(r.hrefs, [OPEN, SETTING, TEST, COPY], r.html);
      assert.deepEqual(icons(r.html).slice(-4), ['refresh', 'settings-gear', 'plug', 'copy']);
      assert.match(r.text, /Retry · \$\(settings-gear\) Open Setting · \$\(plug\) Test Connection/);
    }
  });
});

describe('Go to Source note hover Markdown (source/goToSource.ts)', () => {
  it('the span label stays text', () => {
    for (const name of [...AUTOLINK_NAMES, ...HOSTILE_TEXTS]) {
      const r = rendered(sourceNoteMarkdown(`⏱ 4.3 s · ${name} · 81 % of trace`));
      assert.deepEqual(r.hrefs, []);
      assert.deepEqual(icons(r.html), ['pulse']);
      if (AUTOLINK_NAMES.includes(name))
        assert.ok(r.text.includes(`⏱ 4.3 s · ${name} · 81 % of trace`), r.text);
    }
  });
});

describe('overlay hover Markdown (source/overlay.ts)', () => {
  it('span and service names stay text; the only links select spans', () => {
    for (const name of [...AUTOLINK_NAMES, ...HOSTILE_TEXTS]) {
      const select = (n: number) => `command:traceLens.openTraceById?${n}`;
      const md = overlayHoverMarkdown({
        heading: `2 spans of trace ${name} ran this line`,
        spans: [1, 2].map((n) => ({
          name,
          service: name,
          durationNs: 4.2e9,
          share: 0.5,
          critical: n === 1,
          select: select(n),
        })),
        selectLabel: `Select ${name}`,
        more: `and ${name} more`,
      });
      const r = rendered(md);
      assert.deepEqual(r.hrefs, [select(1), select(2)], `${JSON.stringify(name)} → ${r.html}`);
      assert.deepEqual(icons(r.html), ['telescope', 'list-tree', 'list-tree']);
      assert.ok(
        !/<(?!\/?(?:p|a|strong)\b)[a-z]/i.test(r.html),
        `markup from ${JSON.stringify(name)}: ${r.html}`,
      );
    }
  });

  it('reads as before for ordinary names', () => {
    const r = rendered(
      overlayHoverMarkdown({
        heading: 'a span of trace 1234abcd ran this line',
        spans: [
          {
            name: 'node.DataFetchNode',
            service: 'data-fetch',
            durationNs: 4.3e9,
            share: 0.83,
            critical: true,
            select: 'command:x',
          },
        ],
        selectLabel: 'Select in Trace Panel',
      }),
    );
    assert.equal(
      r.text.trim(),
      '$(telescope) Trace Lens · a span of trace 1234abcd ran this line\nnode.DataFetchNode · data-fetch · 4.3 s · 83% of trace · critical path · $(list-tree) Select in Trace Panel',
    );
  });
});
