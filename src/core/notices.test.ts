import { strict as assert } from 'node:assert';
import { createBackend } from './backends';
import { BackendError, type BackendErrorKind } from './backends/errors';
import { send, startLoopback, type Loopback } from './backends/testing/loopback';
import { TraceDecodeError } from './decode/types';
import { failureNotice, notices } from './notices';
import { HOSTILE_INPUTS, SEND_SEQUENCE, assertNoNotificationLink } from './testing/hostile';
import { formatMessage, type InertText, type Localize } from './untrusted';

const l = formatMessage;
const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * Every builder in `notices`, called with `h` wherever it quotes something. A builder missing
 * here fails the completeness test below, so a new notification cannot skip these tests.
 */
const CALLS: { [K in keyof typeof notices]: (h: string) => InertText } = {
  startFailed: (h) => notices.startFailed(l, h),
  noTraceIdAtCursor: () => notices.noTraceIdAtCursor(l),
  invalidTraceId: () => notices.invalidTraceId(l),
  grafanaUrlMissing: () => notices.grafanaUrlMissing(l),
  credentialsRemoved: (h) => notices.credentialsRemoved(l, h),
  credentialsSaved: (h) => notices.credentialsSaved(l, h, h),
  testingBackend: (h) => notices.testingBackend(l, h),
  connected: (h) => notices.connected(l, `Connected to ${h} (Tempo ${h})`),
  connectionFailed: (h) => notices.connectionFailed(l, h),
  unknownLink: (h) => notices.unknownLink(l, h),
  linkWithoutTraceId: () => notices.linkWithoutTraceId(l),
  spanNotInTrace: () => notices.spanNotInTrace(l),
  frameNotInSpan: () => notices.frameNotInSpan(l),
  spanDetailDamaged: () => notices.spanDetailDamaged(l),
  notOpened: (h) => notices.notOpened(l, h, h),
  noFunctionInWorkspace: (h) => notices.noFunctionInWorkspace(l, h),
  namesNoCode: () => notices.namesNoCode(l),
  openOutside: (h) => notices.openOutside(l, h),
  openOutsideDetail: () => notices.openOutsideDetail(l),
  notOnThisMachine: (h) => notices.notOnThisMachine(l, h),
  notSourceFile: (h) => notices.notSourceFile(l, h, h),
  couldNotOpen: (h) => notices.couldNotOpen(l, h, `ENOENT: no such file or directory, open '${h}'`),
  traceNotLoaded: () => notices.traceNotLoaded(l),
  traceNotSaved: () => notices.traceNotSaved(l),
  noTraceqlSearch: (h) => notices.noTraceqlSearch(l, h),
  findingTraces: (h) => notices.findingTraces(l, h),
  noSpansOfFunction: (h) => notices.noSpansOfFunction(l, h),
  searchingBackend: (h) => notices.searchingBackend(l, h),
  queryTooLong: () => notices.queryTooLong(l, 4096),
  receiverExposed: (h) => notices.receiverExposed(l, h),
  clearLocalTraces: () => notices.clearLocalTraces(l, 12, 340),
  clearLocalTracesDetail: () => notices.clearLocalTracesDetail(l),
  receiverOff: () => notices.receiverOff(l),
  noOtlpEndpoint: () => notices.noOtlpEndpoint(l),
  receiverSetByWorkspace: () => notices.receiverSetByWorkspace(l),
};

/** A translation that makes every argument a link, as a careless locale bundle might. */
const linking: Localize = (message, ...args) =>
  formatMessage(message, ...args.map((a) => `[${a}](https://evil.test/)`));

describe('notices: every notification builder', () => {
  it('has a hostile-input test for every builder', () => {
    assert.deepEqual(Object.keys(CALLS).sort(), Object.keys(notices).sort());
  });

  it('never makes a link from hostile input', () => {
    for (const [name, call] of Object.entries(CALLS)) {
      for (const h of HOSTILE_INPUTS) assertNoNotificationLink(call(h), `${name}(${JSON.stringify(h)})`);
    }
  });

  it('quotes the span of issue 17 so it reads as written, without the link', () => {
    const fn = `handleCheckout [open](${SEND_SEQUENCE})`;
    const text = notices.noFunctionInWorkspace(l, fn);
    assertNoNotificationLink(text);
    assert.equal(
      text.replace(/\u200b/g, ''),
      `Trace Lens: no function named ${fn} in the workspace symbols.`,
    );
  });

  it('a deep link whose path is a link stays text', () => {
    const path = `/[Open trace](${SEND_SEQUENCE})`;
    assertNoNotificationLink(notices.unknownLink(l, path));
  });

  it('a translation cannot add links either', () => {
    const text = notices.notOnThisMachine(linking, '/srv/app/checkout.ts');
    assertNoNotificationLink(text);
  });
});

describe('failureNotice', () => {
  it('says the kind of a server failure, never what the server said', () => {
    const body = `[Sign in again](${SEND_SEQUENCE}) <https://evil.test/x>`;
    const kinds: BackendErrorKind[] = [
      'unreachable',
      'unauthorized',
      'forbidden',
      'not-found',
      'timeout',
      'too-large',
      'rate-limited',
      'bad-request',
      'proxy',
      'server',
      'bad-response',
      'redirect-blocked',
      'unsupported',
    ];
    for (const kind of kinds) {
      const err = new BackendError(kind, `GET /api/traces/${ID} → 500: "${body}"`, { status: 500 });
      const n = failureNotice(l, err);
      assertNoNotificationLink(n.text);
      assert.ok(!n.text.includes('Sign in again'), `${kind}: ${n.text}`);
      assert.match(n.text, /HTTP 500/);
      assert.match(n.text, /log/);
      assert.equal(n.details, err.message, 'the log gets the whole message');
    }
  });

  it('finds the backend error behind a wrapping Error (TraceService.load wraps them)', () => {
    const cause = new BackendError('server', `GET /x → 500: "[x](${SEND_SEQUENCE})"`, { status: 500 });
    const n = failureNotice(l, new Error(cause.message, { cause }));
    assertNoNotificationLink(n.text);
    assert.match(n.text, /server error \(HTTP 500\)/);
  });

  it('a decoding failure is a fixed sentence', () => {
    const n = failureNotice(l, new TraceDecodeError('malformed', `bad byte near "[x](${SEND_SEQUENCE})"`));
    assertNoNotificationLink(n.text);
    assert.ok(!n.text.includes('bad byte'));
  });

  it('a settings problem (no request made) says what is wrong, inert', () => {
    const err = new BackendError('bad-request', `header "[x](${SEND_SEQUENCE})" is not a valid HTTP header`);
    const n = failureNotice(l, err);
    assertNoNotificationLink(n.text);
    assert.match(n.text, /is not a valid HTTP header/);
  });

  it('any other error is quoted, inert', () => {
    for (const h of HOSTILE_INPUTS) {
      assertNoNotificationLink(failureNotice(l, new Error(h)).text, h);
      assertNoNotificationLink(failureNotice(l, h).text, h);
    }
  });

  describe('a real backend answering 500 with a link in its body', () => {
    let server: Loopback;
    before(async () => {
      server = await startLoopback();
    });
    after(() => server.close());

    it('the notification has no link and no body; the log has the body', async () => {
      const body = `upstream failed. [Sign in again](${SEND_SEQUENCE})`;
      server.handle((_req, res) => send(res, 500, body));
      for (const kind of ['tempo', 'grafana', 'jaeger', 'zipkin'] as const) {
        const url = kind === 'grafana' ? `${server.origin}/api/datasources/proxy/uid/tempo` : server.origin;
        const backend = createBackend({ name: `hostile ${kind}`, kind, url });
        const err = await backend.getTrace(ID).then(
          () => assert.fail('the trace loaded'),
          (e: unknown) => e,
        );
        const n = failureNotice(l, err);
        assertNoNotificationLink(n.text, `${kind}: ${n.text}`);
        assert.ok(!n.text.includes('Sign in'), `${kind}: ${n.text}`);
        // Before: the message itself was the notification, link included.
        assert.match(n.details, /\[Sign in again\]\(command:/, `${kind} quotes the body in the log`);
      }
    });
  });
});
