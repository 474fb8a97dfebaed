import { strict as assert } from 'node:assert';
import { createBackend } from './backends';
import { BackendError, type BackendErrorKind } from './backends/errors';
import { send, startLoopback, type Loopback } from './backends/testing/loopback';
import { TraceDecodeError } from './decode/types';
import { failureNotice, notices } from './notices';
import { HOSTILE_INPUTS, SEND_SEQUENCE, assertNoNotificationLink } from './testing/hostile';
import { standInBundle, withBundle } from './testing/l10n';
import type { InertText } from './untrusted';

const ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * Every builder in `notices`, called with `h` wherever it quotes something. A builder missing
 * here fails the completeness test below, so a new notification cannot skip these tests.
 */
const CALLS: { [K in keyof typeof notices]: (h: string) => InertText } = {
  startFailed: (h) => notices.startFailed(h),
  noTraceIdAtCursor: () => notices.noTraceIdAtCursor(),
  invalidTraceId: () => notices.invalidTraceId(),
  grafanaUrlMissing: () => notices.grafanaUrlMissing(),
  credentialsRemoved: (h) => notices.credentialsRemoved(h),
  credentialsSaved: (h) => notices.credentialsSaved(h, h),
  testingBackend: (h) => notices.testingBackend(h),
  connected: (h) => notices.connected(`Connected to ${h} (Tempo ${h})`),
  connectionFailed: (h) => notices.connectionFailed(h),
  unknownLink: (h) => notices.unknownLink(h),
  linkWithoutTraceId: () => notices.linkWithoutTraceId(),
  spanNotInTrace: () => notices.spanNotInTrace(),
  frameNotInSpan: () => notices.frameNotInSpan(),
  spanDetailDamaged: () => notices.spanDetailDamaged(),
  notOpened: (h) => notices.notOpened(h, h),
  noFunctionInWorkspace: (h) => notices.noFunctionInWorkspace(h),
  namesNoCode: () => notices.namesNoCode(),
  openOutside: (h) => notices.openOutside(h),
  openOutsideDetail: () => notices.openOutsideDetail(),
  notOnThisMachine: (h) => notices.notOnThisMachine(h),
  notSourceFile: (h) => notices.notSourceFile(h, h),
  couldNotOpen: (h) => notices.couldNotOpen(h, `ENOENT: no such file or directory, open '${h}'`),
  traceNotLoaded: () => notices.traceNotLoaded(),
  traceNotSaved: () => notices.traceNotSaved(),
  noTraceqlSearch: (h) => notices.noTraceqlSearch(h),
  findingTraces: (h) => notices.findingTraces(h),
  noSpansOfFunction: (h) => notices.noSpansOfFunction(h),
  searchingBackend: (h) => notices.searchingBackend(h),
  queryTooLong: () => notices.queryTooLong(4096),
  receiverExposed: (h) => notices.receiverExposed(h),
  clearLocalTraces: () => notices.clearLocalTraces(12, 340),
  clearLocalTracesDetail: () => notices.clearLocalTracesDetail(),
  receiverOff: () => notices.receiverOff(),
  noOtlpEndpoint: () => notices.noOtlpEndpoint(),
  receiverSetByWorkspace: () => notices.receiverSetByWorkspace(),
};

/** A translation that makes every argument a link, as a careless locale bundle might. */
const linking = standInBundle((m) => m.replace(/\{(\d+)\}/g, '[{$1}](https://evil.test/)'));

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
    const text = notices.noFunctionInWorkspace(fn);
    assertNoNotificationLink(text);
    assert.equal(
      text.replace(/\u200b/g, ''),
      `Trace Lens: no function named ${fn} in the workspace symbols.`,
    );
  });

  it('a deep link whose path is a link stays text', () => {
    const path = `/[Open trace](${SEND_SEQUENCE})`;
    assertNoNotificationLink(notices.unknownLink(path));
  });

  it('a translation cannot add links either', () => {
    const text = withBundle(linking, () => notices.notOnThisMachine('/srv/app/checkout.ts'));
    assert.match(text, /\[\/srv\/app\/checkout\.ts\]/, 'the stand-in translation was used');
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
      const n = failureNotice(err);
      assertNoNotificationLink(n.text);
      assert.ok(!n.text.includes('Sign in again'), `${kind}: ${n.text}`);
      assert.match(n.text, /HTTP 500/);
      assert.match(n.text, /log/);
      assert.equal(n.details, err.message, 'the log gets the whole message');
    }
  });

  it('finds the backend error behind a wrapping Error (TraceService.load wraps them)', () => {
    const cause = new BackendError('server', `GET /x → 500: "[x](${SEND_SEQUENCE})"`, { status: 500 });
    const n = failureNotice(new Error(cause.message, { cause }));
    assertNoNotificationLink(n.text);
    assert.match(n.text, /server error \(HTTP 500\)/);
  });

  it('a decoding failure is a fixed sentence', () => {
    const n = failureNotice(new TraceDecodeError('malformed', `bad byte near "[x](${SEND_SEQUENCE})"`));
    assertNoNotificationLink(n.text);
    assert.ok(!n.text.includes('bad byte'));
  });

  it('a settings problem (no request made) says what is wrong, inert', () => {
    const err = new BackendError('bad-request', `header "[x](${SEND_SEQUENCE})" is not a valid HTTP header`);
    const n = failureNotice(err);
    assertNoNotificationLink(n.text);
    assert.match(n.text, /is not a valid HTTP header/);
  });

  it('any other error is quoted, inert', () => {
    for (const h of HOSTILE_INPUTS) {
      assertNoNotificationLink(failureNotice(new Error(h)).text, h);
      assertNoNotificationLink(failureNotice(h).text, h);
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
        const n = failureNotice(err);
        assertNoNotificationLink(n.text, `${kind}: ${n.text}`);
        assert.ok(!n.text.includes('Sign in'), `${kind}: ${n.text}`);
        // Before: the message itself was the notification, link included.
        assert.match(n.details, /\[Sign in again\]\(command:/, `${kind} quotes the body in the log`);
      }
    });
  });
});
