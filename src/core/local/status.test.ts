import { strict as assert } from 'node:assert';
import { standInBundle, withBundle } from '../testing/l10n';
import { compactCount, receiverStatusText, type ReceiverView } from './status';

const base: ReceiverView = { phase: 'running', wantedHttpPort: 4318 };

describe('the receiver status bar item', () => {
  it('counts compactly', () => {
    assert.deepEqual(
      [0, 7, 999, 1000, 1234, 9999, 12_345, 999_999, 1_200_000, 34_000_000, 2e9, -1, NaN].map(compactCount),
      ['0', '7', '999', '1k', '1.2k', '10k', '12k', '1M', '1.2M', '34M', '2G', '?', '?'],
    );
  });

  it('receiving: the figures, and the endpoints in the tooltip', () => {
    const s = receiverStatusText({
      ...base,
      role: 'writer',
      httpPort: 4318,
      grpcPort: 4317,
      otlpHttpUrl: 'http://127.0.0.1:4318',
      stats: { traces: 12, spans: 1234 },
      problems: [],
    });
    assert.equal(s.state, 'receiving');
    assert.equal(s.text, '$(radio-tower) 12 traces · 1.2k spans');
    assert.match(
      s.tooltip,
      /receives OTLP\/HTTP at http:\/\/127\.0\.0\.1:4318 and OTLP\/gRPC on port 4317\./,
    );
    assert.match(s.tooltip, /holds 12 traces and 1234 spans/);
    assert.equal(s.warning, false);
  });

  it('receiving without the figures yet', () => {
    const s = receiverStatusText({ ...base, role: 'writer', httpPort: 4318 });
    assert.equal(s.text, '$(radio-tower) Receiving');
  });

  it('port taken: says which, with the warning background, and the problems in the tooltip', () => {
    const s = receiverStatusText({
      ...base,
      role: 'writer',
      grpcPort: 4317,
      problems: [
        'port 4318 is taken (is a collector or another receiver already running?); OTLP/HTTP is off',
      ],
      stats: { traces: 1, spans: 2 },
    });
    assert.equal(s.state, 'port-taken');
    assert.equal(s.text, '$(warning) Port 4318 taken');
    assert.equal(s.warning, true);
    assert.match(s.tooltip, /⚠ port 4318 is taken/);
    assert.match(s.tooltip, /traceLens\.receiver\.httpPort/);
  });

  it('reading another window’s store: names its process', () => {
    const s = receiverStatusText({
      ...base,
      role: 'reader',
      writerPid: 4242,
      otlpHttpUrl: 'http://127.0.0.1:4318',
      stats: { traces: 3, spans: 9 },
    });
    assert.equal(s.state, 'reading');
    assert.equal(s.text, '$(radio-tower) 3 traces · 9 spans');
    assert.match(s.tooltip, /process 4242\) receives OTLP\/HTTP at http:\/\/127\.0\.0\.1:4318/);
  });

  it('off, starting and failed', () => {
    assert.equal(receiverStatusText({ ...base, phase: 'off' }).text, '$(circle-slash) Receiver off');
    assert.equal(receiverStatusText({ ...base, phase: 'starting' }).state, 'starting');
    const failed = receiverStatusText({ ...base, phase: 'failed', error: 'EACCES: permission denied' });
    assert.equal(failed.state, 'failed');
    assert.equal(failed.warning, true);
    assert.match(failed.tooltip, /could not start: EACCES: permission denied/);
    // A running receiver that stopped meanwhile is off.
    assert.equal(receiverStatusText({ ...base, role: 'stopped' }).state, 'off');
  });

  it('localizes every word it shows', () => {
    const upper = standInBundle((m) => m.toUpperCase());
    const s = withBundle(upper, () =>
      receiverStatusText({
        ...base,
        role: 'writer',
        httpPort: 1,
        stats: { traces: 1, spans: 1 },
      }),
    );
    assert.equal(s.text, '$(radio-tower) 1 TRACES · 1 SPANS');
  });
});
