import { strict as assert } from 'node:assert';
import { readBind, readPort, readReceiverSettings } from './settings';

describe('traceLens.receiver.* settings', () => {
  it('defaults: on, 4318/4317/4319, loopback, debug env on, terminal env off', () => {
    assert.deepEqual(readReceiverSettings({}), {
      settings: {
        enabled: true,
        httpPort: 4318,
        grpcPort: 4317,
        queryPort: 4319,
        bind: '127.0.0.1',
        injectDebugEnv: true,
        injectTerminalEnv: false,
      },
      problems: [],
    });
  });

  it('ports: integers 0 to 65535, else the default and a problem', () => {
    assert.deepEqual(readPort(0, 4318), { port: 0 });
    assert.deepEqual(readPort(65535, 4318), { port: 65535 });
    for (const bad of [-1, 65536, 1.5, '4318', NaN])
      assert.equal(readPort(bad, 4318).port, 4318, String(bad));
    const r = readReceiverSettings({ httpPort: 70000, enabled: false, injectTerminalEnv: true });
    assert.equal(r.settings.httpPort, 4318);
    assert.equal(r.settings.enabled, false);
    assert.equal(r.settings.injectTerminalEnv, true);
    assert.deepEqual(r.problems, [
      'traceLens.receiver.httpPort is not a port number from 0 to 65535; using 4318',
    ]);
  });

  it('bind address: only from user settings; a workspace value is ignored and said so', () => {
    assert.deepEqual(readBind({ globalValue: '0.0.0.0' }), { bind: '0.0.0.0', problems: [] });
    const fromWorkspace = readBind({ workspaceValue: '0.0.0.0' });
    assert.equal(fromWorkspace.bind, '127.0.0.1');
    assert.match(fromWorkspace.problems[0]!, /only read from user settings/);
    const folder = readBind({ globalValue: '::1', workspaceFolderValue: '0.0.0.0' });
    assert.equal(folder.bind, '::1');
    assert.equal(folder.problems.length, 1);
  });

  it('bind address: an IP address or localhost, nothing else', () => {
    assert.equal(readBind({ globalValue: ' localhost ' }).bind, 'localhost');
    assert.equal(readBind(undefined).bind, '127.0.0.1');
    for (const bad of ['evil.example.com', 'http://0.0.0.0', 42, '127.0.0.1:4318']) {
      const r = readBind({ globalValue: bad });
      assert.equal(r.bind, '127.0.0.1', String(bad));
      assert.match(r.problems[0]!, /must be an IP address/);
    }
  });
});
