import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');

/**
 * Activation must not load gRPC (~1 MB of @grpc/grpc-js): the receiver loads `dist/grpc.js` when
 * it starts, after activation. A static import of the gRPC server anywhere under
 * `src/extension.ts` would pull it into the extension's bundle; this fails then.
 */
describe('the extension bundle', () => {
  let bundle: string;
  before(function () {
    this.timeout(60_000);
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
    bundle = readFileSync(join(ROOT, 'dist/extension.js'), 'utf8');
  });

  it('holds the receiver and the store, but not @grpc/grpc-js', () => {
    assert.match(bundle, /OTLP\/HTTP/, 'the receiver is in the bundle');
    assert.doesNotMatch(bundle, /@grpc\/grpc-js|grpc-node-js|Http2SubchannelConnector/);
  });

  it('loads the gRPC bundle from a computed path, which esbuild leaves alone', () => {
    assert.match(bundle, /"dist", "grpc\.js"/);
    const grpc = readFileSync(join(ROOT, 'dist/grpc.js'), 'utf8');
    assert.match(grpc, /startGrpcReceiver/);
  });
});
