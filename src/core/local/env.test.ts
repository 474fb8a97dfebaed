import { strict as assert } from 'node:assert';
import { envFileNames, envScript, launchesProgram, otelEnvAdditions, serviceNameFromLaunch } from './env';

const target = { httpUrl: 'http://127.0.0.1:4318', grpcUrl: 'http://127.0.0.1:4317' };
const ALL = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_LOGS_EXPORTER: 'otlp',
  OTEL_METRICS_EXPORTER: 'none',
};

describe('OTEL_* variables for a launch or a terminal', () => {
  it('adds the endpoint, protocol, exporters and the launch name as service name', () => {
    assert.deepEqual(otelEnvAdditions(target, {}, 'Launch API'), { ...ALL, OTEL_SERVICE_NAME: 'Launch API' });
  });

  it('adds no service name without a launch name (terminals)', () => {
    assert.deepEqual(otelEnvAdditions(target, {}), ALL);
  });

  it('never replaces what the launch sets, even to null or the empty string', () => {
    const got = otelEnvAdditions(
      target,
      { launch: { OTEL_SERVICE_NAME: 'billing', OTEL_LOGS_EXPORTER: null, OTEL_TRACES_EXPORTER: '' } },
      'Launch API',
    );
    assert.deepEqual(got, {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_METRICS_EXPORTER: 'none',
    });
  });

  it('compares names case-insensitively, as Windows does', () => {
    const got = otelEnvAdditions(target, { launch: { otel_service_name: 'billing' } }, 'Launch API');
    assert.equal(got.OTEL_SERVICE_NAME, undefined);
  });

  it('adds nothing when the launch already chose an endpoint (in env, envFile or inherited)', () => {
    for (const existing of [
      { launch: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } },
      { envFile: new Set(['OTEL_EXPORTER_OTLP_ENDPOINT']) },
      { inherited: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' } },
    ])
      assert.deepEqual(otelEnvAdditions(target, existing, 'x'), {}, JSON.stringify(existing));
  });

  it('ignores an empty inherited variable, which SDKs read as unset', () => {
    const got = otelEnvAdditions(target, { inherited: { OTEL_EXPORTER_OTLP_ENDPOINT: '' } });
    assert.equal(got.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318');
  });

  it('with only a protocol chosen, adds the endpoint that speaks it', () => {
    const grpc = otelEnvAdditions(target, { launch: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } });
    assert.equal(grpc.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4317');
    assert.equal(grpc.OTEL_EXPORTER_OTLP_PROTOCOL, undefined);
    const json = otelEnvAdditions(target, { launch: { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    assert.equal(json.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4318');
    // No gRPC listener, or a protocol the receiver does not speak: the launch is left alone.
    assert.deepEqual(
      otelEnvAdditions({ httpUrl: target.httpUrl }, { launch: { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' } }),
      {},
    );
    assert.deepEqual(otelEnvAdditions(target, { envFile: new Set(['OTEL_EXPORTER_OTLP_PROTOCOL']) }), {});
  });

  it('leaves the service name to OTEL_RESOURCE_ATTRIBUTES when it names one', () => {
    const named = otelEnvAdditions(
      target,
      { launch: { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev, service.name=billing' } },
      'Launch API',
    );
    assert.equal(named.OTEL_SERVICE_NAME, undefined);
    const other = otelEnvAdditions(
      target,
      { inherited: { OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=shop' } },
      'Launch API',
    );
    assert.equal(other.OTEL_SERVICE_NAME, 'Launch API');
  });

  it('keeps metrics going where the launch sends them', () => {
    const got = otelEnvAdditions(target, {
      launch: { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://prom:4318/v1/metrics' },
    });
    assert.equal(got.OTEL_METRICS_EXPORTER, undefined);
  });

  it('makes a service name of one clean line from the launch name', () => {
    assert.equal(serviceNameFromLaunch('  Launch\n\tAPI  '), 'Launch API');
    assert.equal(serviceNameFromLaunch(' \n '), undefined);
    assert.equal(serviceNameFromLaunch(undefined), undefined);
    assert.equal(serviceNameFromLaunch('x'.repeat(300))!.length, 100);
  });

  it('reads the names an env file sets', () => {
    const names = envFileNames(
      '# comment\nOTEL_SERVICE_NAME=a\r\nexport  OTEL_EXPORTER_OTLP_ENDPOINT = b\n=c\nnot a line\n',
    );
    assert.deepEqual([...names], ['OTEL_SERVICE_NAME', 'OTEL_EXPORTER_OTLP_ENDPOINT']);
  });

  it('writes shell lines whose values are never expanded', () => {
    const vars = { OTEL_SERVICE_NAME: "it's $(rm -rf /)", OTEL_TRACES_EXPORTER: 'otlp' };
    assert.equal(
      envScript(vars, 'posix'),
      `export OTEL_SERVICE_NAME='it'\\''s $(rm -rf /)'\nexport OTEL_TRACES_EXPORTER='otlp'\n`,
    );
    assert.equal(
      envScript(vars, 'powershell'),
      `$env:OTEL_SERVICE_NAME = 'it''s $(rm -rf /)'\n$env:OTEL_TRACES_EXPORTER = 'otlp'\n`,
    );
    assert.equal(envScript({ A: 'x"y' }, 'cmd'), 'set "A=xy"\n');
    assert.equal(envScript({}, 'posix'), '');
  });
});

describe('which launches get the variables', () => {
  it('launches of programs, not attaches, browsers or odd env shapes', () => {
    assert.ok(launchesProgram({ type: 'node', request: 'launch' }));
    assert.ok(launchesProgram({ type: 'python', request: 'launch', env: { A: 'b' } }));
    assert.ok(!launchesProgram({ type: 'node', request: 'attach' }));
    assert.ok(!launchesProgram({ type: 'pwa-chrome', request: 'launch' }));
    assert.ok(!launchesProgram({ type: '', request: 'launch' }));
    assert.ok(!launchesProgram({ request: 'launch' }));
    assert.ok(!launchesProgram({ type: 'cppdbg', request: 'launch', env: [{ name: 'A', value: 'b' }] }));
    assert.ok(!launchesProgram({ type: 'node', request: 'launch', env: 'A=b' }));
    // js-debug resolves a child session for the process it launched: its env changes nothing.
    assert.ok(!launchesProgram({ type: 'pwa-node', request: 'launch', __pendingTargetId: 'x' }));
  });
});
