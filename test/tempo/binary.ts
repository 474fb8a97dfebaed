/**
 * Finds the Tempo 3.0.3 binary for the tempo tier: `TRACE_LENS_TEMPO_BIN`, or the xz-compressed
 * build in `../shared/tools/tempo/`, unpacked once into the tools cache
 * (`~/.cache/trace-lens/tempo-3.0.3/tempo`, or under `TRACE_LENS_CACHE`) and checked against
 * `SHA256SUMS` every run. Test-only code.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { createReadStream } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const TEMPO_VERSION = '3.0.3';
const XZ_NAME = `tempo-v${TEMPO_VERSION}-linux-amd64.xz`;

/** The repository root (this file is test/tempo/binary.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Where the shared Tempo build and its config live: `../shared/tools/tempo` beside the clone. */
export const TOOLS_DIR =
  process.env.TRACE_LENS_TEMPO_TOOLS ?? resolve(REPO_ROOT, '..', 'shared', 'tools', 'tempo');

/** How to get a binary, for the skip line and the CI failure. */
export const HOW_TO_GET =
  `put the shared tools beside the clone (../shared/tools/tempo/${XZ_NAME} and tempo.yaml) ` +
  `or set TRACE_LENS_TEMPO_BIN to a Tempo v${TEMPO_VERSION} binary`;

/** A usable Tempo, or why there is none. */
export type TempoLookup =
  { ok: true; binary: string; config: string; how: string } | { ok: false; missing: boolean; reason: string };

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The expected checksums, by file name, from a `sha256sum` listing. */
function readSums(file: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{64})\s+\*?(.+)$/.exec(line.trim());
    if (m) sums.set(m[2]!, m[1]!);
  }
  return sums;
}

/** The tools cache folder the other tiers use too. */
export function cacheDir(): string {
  return join(
    process.env.TRACE_LENS_CACHE ?? join(homedir(), '.cache', 'trace-lens'),
    `tempo-${TEMPO_VERSION}`,
  );
}

/**
 * Resolves the binary and the base config. Never throws: a missing binary is `missing: true`
 * (skipped outside CI), anything else wrong (a bad checksum, no `xz`) is a reason to fail.
 */
export async function findTempo(): Promise<TempoLookup> {
  const config = join(TOOLS_DIR, 'tempo.yaml');
  if (!existsSync(config)) {
    return { ok: false, missing: true, reason: `no Tempo config at ${config}` };
  }
  const explicit = process.env.TRACE_LENS_TEMPO_BIN;
  if (explicit) {
    // Named on purpose: a wrong path is an error, never a quiet skip.
    if (!existsSync(explicit)) {
      return { ok: false, missing: false, reason: `TRACE_LENS_TEMPO_BIN=${explicit} does not exist` };
    }
    return { ok: true, binary: resolve(explicit), config, how: 'TRACE_LENS_TEMPO_BIN' };
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return {
      ok: false,
      missing: true,
      reason: `the shared Tempo build is for linux/x64, not ${process.platform}/${process.arch}`,
    };
  }
  const xz = join(TOOLS_DIR, XZ_NAME);
  const sumsFile = join(TOOLS_DIR, 'SHA256SUMS');
  if (!existsSync(xz) || !existsSync(sumsFile)) {
    return { ok: false, missing: true, reason: `no ${XZ_NAME} and SHA256SUMS in ${TOOLS_DIR}` };
  }
  const sums = readSums(sumsFile);
  const wantBinary = sums.get('tempo');
  const wantXz = sums.get(XZ_NAME);
  if (!wantBinary || !wantXz) {
    return { ok: false, missing: false, reason: `${sumsFile} lists no checksum for tempo and ${XZ_NAME}` };
  }
  const binary = join(cacheDir(), 'tempo');
  if (existsSync(binary) && (await sha256(binary)) === wantBinary) {
    return { ok: true, binary, config, how: `cached ${binary}` };
  }
  const gotXz = await sha256(xz);
  if (gotXz !== wantXz) {
    return { ok: false, missing: false, reason: `${xz} has checksum ${gotXz}, SHA256SUMS says ${wantXz}` };
  }
  // Unpack beside the target and rename, so a parallel run never sees half a binary.
  mkdirSync(dirname(binary), { recursive: true });
  const partial = `${binary}.${randomBytes(4).toString('hex')}.partial`;
  const fd = openSync(partial, 'w');
  let unpacked;
  try {
    unpacked = spawnSync('xz', ['-dc', xz], { stdio: ['ignore', fd, 'pipe'] });
  } finally {
    closeSync(fd);
  }
  if (unpacked.error || unpacked.status !== 0) {
    rmSync(partial, { force: true });
    const why = unpacked.error
      ? `${unpacked.error.message} (install Debian's xz-utils)`
      : unpacked.stderr.toString().trim();
    return { ok: false, missing: false, reason: `could not unpack ${xz}: ${why}` };
  }
  const gotBinary = await sha256(partial);
  if (gotBinary !== wantBinary) {
    rmSync(partial, { force: true });
    return {
      ok: false,
      missing: false,
      reason: `unpacked tempo has checksum ${gotBinary}, SHA256SUMS says ${wantBinary}`,
    };
  }
  chmodSync(partial, 0o755);
  renameSync(partial, binary);
  return { ok: true, binary, config, how: `unpacked into ${binary}` };
}
