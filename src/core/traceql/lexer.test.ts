import { strict as assert } from 'node:assert';
import { parseDuration, tokenize, type Token } from './lexer';

/** A token as one line: kind, source text, and what it decodes to when that differs. */
function show(t: Token): string {
  switch (t.kind) {
    case 'string':
      return `string ${t.text} → ${JSON.stringify(t.value)}${t.error ? ` ! ${t.error}` : ''}${t.open ? ' (open)' : ''}`;
    case 'number':
    case 'duration':
      return `${t.kind} ${t.text} → ${t.value}`;
    case 'attribute':
      return `attribute ${t.scope || '-'} ${JSON.stringify(t.name)}${t.error ? ` ! ${t.error}` : ''}`;
    case 'end':
      return 'end';
    default:
      return `${t.kind} ${t.text}`;
  }
}

const lex = (text: string): string[] => tokenize(text).map(show);

describe('TraceQL lexer', () => {
  const cases: Array<[string, string[]]> = [
    [
      '{ span.http.url = "a" }',
      ['punct {', 'attribute span "http.url"', 'op =', 'string "a" → "a"', 'punct }', 'end'],
    ],
    // An attribute runs until a character that ends it, so `=` needs no space.
    ['.service.name="pay"', ['attribute - "service.name"', 'op =', 'string "pay" → "pay"', 'end']],
    ['resource.k8s.pod-name/x:1', ['attribute resource "k8s.pod-name/x:1"', 'end']],
    ['span."foo bar".baz', ['attribute span "foo bar.baz"', 'end']],
    ['."a\\"b\\\\c"', ['attribute - "a\\"b\\\\c"', 'end']],
    [
      'parent.span.x event.e link.l instrumentation.i',
      [
        'attribute parent "span.x"',
        'attribute event "e"',
        'attribute link "l"',
        'attribute instrumentation "i"',
        'end',
      ],
    ],
    // A word that is not a scope is a word; the attribute that follows starts at its dot.
    ['service.name', ['word service', 'attribute - "name"', 'end']],
    ['span:name trace:rootService span:', ['word span:name', 'word trace:rootService', 'word span:', 'end']],
    ['duration>1.5s&&x', ['word duration', 'op >', 'duration 1.5s → 1500000000', 'op &&', 'word x', 'end']],
    [
      '1h30m 300ms 2d 1us 7µs',
      [
        'duration 1h30m → 5400000000000',
        'duration 300ms → 300000000',
        'duration 2d → 172800000000000',
        'duration 1us → 1000',
        'duration 7µs → 7000',
        'end',
      ],
    ],
    [
      '10 1.5 .5 0x1F 1e3',
      [
        'number 10 → 10',
        'number 1.5 → 1.5',
        'number .5 → 0.5',
        'number 0x1F → 31',
        'number 1e3 → 1000',
        'end',
      ],
    ],
    // As in Tempo: only a valid duration suffix makes a duration.
    ['2xyz 3mx', ['number 2 → 2', 'word xyz', 'duration 3m → 180000000000', 'word x', 'end']],
    [
      '!>> !<< &>> &<< != =~ !~ >= <= && || >> <<',
      [
        'op !>>',
        'op !<<',
        'op &>>',
        'op &<<',
        'op !=',
        'op =~',
        'op !~',
        'op >=',
        'op <=',
        'op &&',
        'op ||',
        'op >>',
        'op <<',
        'end',
      ],
    ],
    [
      '!> !< &~ &> &< = > < ! | ~ + - * % ^ ( ) ,',
      [
        'op !>',
        'op !<',
        'op &~',
        'op &>',
        'op &<',
        'op =',
        'op >',
        'op <',
        'op !',
        'op |',
        'op ~',
        'op +',
        'op -',
        'op *',
        'op %',
        'op ^',
        'punct (',
        'punct )',
        'punct ,',
        'end',
      ],
    ],
    [
      '"\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\x41\\u00e9\\U0001F600\\101"',
      [
        'string "\\a\\b\\f\\n\\r\\t\\v\\\\\\"\\x41\\u00e9\\U0001F600\\101" → "\\u0007\\b\\f\\n\\r\\t\\u000b\\\\\\"Aé😀A"',
        'end',
      ],
    ],
    ['`a\\b"c`', ['string `a\\b"c` → "a\\\\b\\"c"', 'end']],
    ['{ // a comment\n name /* another */ }', ['punct {', 'word name', 'punct }', 'end']],
    // Problems are tokens, so the parser can name their position.
    ['"abc', ['string "abc → "abc" ! unterminated string (open)', 'end']],
    ['"a\\', ['string "a\\ → "a" ! unterminated string (open)', 'end']],
    ['"a\\q"', ['string "a\\q" → "a" ! invalid escape \\q', 'end']],
    ['"it\\\'s"', ['string "it\\\'s" → "its" ! invalid escape \\\'', 'end']],
    [
      '"a\nb"',
      [
        'string "a → "a" ! a string ends at the end of its line',
        'word b',
        'string " → "" ! unterminated string (open)',
        'end',
      ],
    ],
    ['`raw', ['string `raw → "raw" ! unterminated raw string (open)', 'end']],
    ['."open', ['attribute - "open" ! unterminated quoted attribute name', 'end']],
    ['$x & @', ['invalid $', 'word x', 'invalid &', 'invalid @', 'end']],
    ['', ['end']],
  ];
  for (const [text, expected] of cases) {
    it(`tokenizes ${JSON.stringify(text)}`, () => assert.deepEqual(lex(text), expected));
  }

  it('records where each token starts and ends', () => {
    const t = tokenize('{ .a="x" }');
    assert.deepEqual(
      t.map((x) => [x.at, x.end]),
      [
        [0, 1],
        [2, 4],
        [4, 5],
        [5, 8],
        [9, 10],
        [10, 10],
      ],
    );
  });

  const durations: Array<[string, number | undefined]> = [
    ['1s', 1e9],
    ['1.5s', 1.5e9],
    ['1h30m', 5400e9],
    ['1m30s', 90e9],
    ['100ns', 100],
    ['1w', 7 * 86400e9],
    ['1y', 365 * 86400e9],
    ['', undefined],
    ['1', undefined],
    ['s', undefined],
    ['1x', undefined],
    ['1s2', undefined],
  ];
  for (const [text, ns] of durations) {
    it(`reads the duration ${JSON.stringify(text)}`, () => assert.equal(parseDuration(text), ns));
  }
});
