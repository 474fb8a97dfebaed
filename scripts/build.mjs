// Bundles the three runtime zones with esbuild:
//   dist/extension.js  extension host (node, cjs, `vscode` external)
//   dist/cli.js        command line (node, cjs, no `vscode`)
//   dist/webview.js    webview script (browser, iife) plus dist/webview.css
//   dist/grpc.js       the OTLP/gRPC receiver with @grpc/grpc-js (node, cjs), loaded only when a
//                      receiver starts (the CLI's `receive`, the extension's local store), never
//                      at activation
// Flags: --production (minify, no source maps), --watch.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');

/** Prints errors in the form VS Code's `$esbuild-watch` problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  absWorkingDir: root,
  plugins: watch ? [problemMatcher] : [],
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    // jsonc-parser (host/config.ts reads a remote's machine settings) bundles from its ES build.
    mainFields: ['module', 'main'],
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // jsonc-parser's `main` is a UMD build whose require calls esbuild cannot follow; its ES build bundles.
    mainFields: ['module', 'main'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    entryPoints: ['src/core/otlp/grpcServer.ts'],
    outfile: 'dist/grpc.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Loaded lazily by grpc-js for its channelz/ORCA services only, which the receiver never adds:
    // leaving it out keeps .proto parsing (protobufjs) out of the bundle.
    external: ['@grpc/proto-loader'],
  },
  {
    ...common,
    entryPoints: { webview: 'webview/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    loader: { '.css': 'css' },
  },
];

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
// Icons for the webview, served from dist/ (the only local resource root).
for (const f of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', f), join(dist, f));
}

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
