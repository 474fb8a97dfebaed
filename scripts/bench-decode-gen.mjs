// Generator for the decode benchmark: synthetic traces shaped like real ones (a random walk of
// nested calls, fan-out batches of hundreds of parallel items, deep call chains, RPC hops across
// 3-20 services, ~11 attributes per span, 1% errors with exception events), written as Tempo v1
// JSON (`batches`, base64 IDs, enum names, int64 strings) and as OTLP protobuf `TracesData`
// with a tiny protobuf encoder of its own. Files are cached in os.tmpdir()/trace-lens-bench.
//
//   node scripts/bench-decode-gen.mjs 10k 100k 1m     (writes the files; the bench calls it too)
import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const GENERATOR_VERSION = 1;
export const BENCH_DIR = join(tmpdir(), 'trace-lens-bench');

/** mulberry32: small, fast and the same on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICES = [
  'api-gateway',
  'auth',
  'orders',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'search',
  'recommendations',
  'users',
  'catalog',
  'pricing',
  'cart',
  'checkout',
  'fraud',
  'email',
  'reporting',
  'billing',
  'ledger',
  'audit',
];
const VERBS = ['GET', 'POST', 'PUT', 'DELETE'];
const NOUNS = ['orders', 'items', 'users', 'carts', 'payments', 'invoices', 'products', 'sessions'];
const INTERNAL = [
  'validate',
  'serialize',
  'load config',
  'render',
  'compute price',
  'check permissions',
  'map result',
  'process item',
];
const DB = ['SELECT', 'INSERT', 'UPDATE'];
const BASE_SEC = 1795469687;
const BASE_NS = 728000000;
const TRACE_ID = Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex');

/**
 * The trace as columns in depth-first order: parent, service, kind, name, start offset and
 * duration (ns), error flag and span ID words.
 */
function shape(n, seed) {
  const rand = rng(seed);
  const int = (k) => (rand() * k) | 0;
  const serviceCount = n >= 1_000_000 ? 20 : n >= 100_000 ? 15 : n >= 10_000 ? 8 : 3;
  const parent = new Int32Array(n);
  const service = new Uint8Array(n);
  const kind = new Uint8Array(n);
  const name = new Uint16Array(n);
  const parallel = new Uint8Array(n);
  const names = [];
  const nameIndex = new Map();
  const nameOf = (s) => {
    let i = nameIndex.get(s);
    if (i === undefined) {
      i = names.length;
      names.push(s);
      nameIndex.set(s, i);
    }
    return i;
  };
  let count = 0;
  const add = (p, svc, k, nm) => {
    const i = count++;
    parent[i] = p;
    service[i] = svc;
    kind[i] = k;
    name[i] = nameOf(nm);
    return i;
  };
  const rpcName = () => `${VERBS[int(4)]} /api/${NOUNS[int(8)]}/{id}`;
  add(-1, 0, 2, 'POST /api/checkout');
  const stack = [0];
  while (count < n) {
    const top = stack[stack.length - 1];
    const svc = service[top];
    const r = rand();
    if (r < 0.003 && count + 40 < n) {
      // A batch: many items in parallel, each with a database call.
      parallel[top] = 1;
      const k = Math.min(20 + int(480), ((n - count) / 2) | 0);
      for (let j = 0; j < k && count < n; j++) {
        const item = add(top, svc, 1, INTERNAL[7]);
        if (count < n) add(item, svc, 3, `${DB[int(3)]} ${NOUNS[int(8)]}`);
      }
    } else if (r < 0.005) {
      // A deep chain: recursion or middleware layers.
      let p = top;
      const d = 20 + int(60);
      for (let j = 0; j < d && count < n; j++) p = add(p, svc, 1, `middleware ${j % 12}`);
    } else if (r < 0.5 && stack.length < 40) {
      const hop = rand() < 0.25;
      const child = hop ? add(top, int(serviceCount), 2, rpcName()) : add(top, svc, 1, INTERNAL[int(7)]);
      if (rand() < 0.1) parallel[child] = 1;
      stack.push(child);
    } else if (r < 0.85) {
      add(top, svc, 3, rand() < 0.5 ? `${DB[int(3)]} ${NOUNS[int(8)]}` : `redis ${VERBS[int(2)]}`);
    } else if (stack.length > 1) {
      stack.pop();
    }
  }
  // Durations bottom-up (children come after parents in this order), offsets within the parent.
  const childStart = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) childStart[parent[i] + 1]++;
  for (let i = 0; i < n; i++) childStart[i + 1] += childStart[i];
  const fill = childStart.slice(0, n);
  const children = new Int32Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) children[fill[parent[i]]++] = i;
  const duration = new Float64Array(n);
  const offset = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const c0 = childStart[i];
    const c1 = childStart[i + 1];
    if (c0 === c1) {
      duration[i] = Math.round(50_000 * Math.exp(rand() * 7));
      continue;
    }
    const pre = 10_000 + int(1_000_000);
    let end = pre;
    if (parallel[i]) {
      for (let c = c0; c < c1; c++) {
        const ch = children[c];
        offset[ch] = pre + int(2_000_000);
        end = Math.max(end, offset[ch] + duration[ch]);
      }
    } else {
      for (let c = c0; c < c1; c++) {
        const ch = children[c];
        offset[ch] = end;
        end += duration[ch] + int(200_000);
      }
    }
    duration[i] = end + int(500_000);
  }
  const start = new Float64Array(n);
  for (let i = 1; i < n; i++) start[i] = start[parent[i]] + offset[i];
  const error = new Uint8Array(n);
  const idHi = new Uint32Array(n);
  const idLo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    error[i] = rand() < 0.01 ? 1 : 0;
    idHi[i] = (rand() * 4294967296) >>> 0;
    idLo[i] = ((rand() * 4294967296) >>> 0) | 1;
  }
  return { n, serviceCount, parent, service, kind, name, names, start, duration, error, idHi, idLo, rand };
}

/** Unix nanoseconds of an offset from the base instant, as a decimal string. */
function nanos(offset) {
  const total = BASE_NS + offset;
  const sec = BASE_SEC + Math.floor(total / 1e9);
  return `${sec}${String(total % 1e9).padStart(9, '0')}`;
}

/** The ~11 attributes of span i, as [key, kind, value] with kind 's' or 'i'. */
function attributesOf(t, i) {
  const r = t.rand;
  const svc = SERVICES[t.service[i]];
  const fn = t.names[t.name[i]].replace(/[^a-zA-Z]/g, '') || 'handler';
  return [
    ['http.request.method', 's', VERBS[(r() * 4) | 0]],
    ['http.route', 's', `/api/${NOUNS[(r() * 8) | 0]}/{id}`],
    ['http.response.status_code', 'i', t.error[i] ? 500 : 200],
    ['server.address', 's', `${svc}.prod.svc.cluster.local`],
    ['network.peer.port', 'i', 8080],
    ['code.function.name', 's', `${svc}.${fn}`],
    ['code.file.path', 's', `src/${svc}/${fn}.ts`],
    ['code.line.number', 'i', 10 + ((r() * 400) | 0)],
    ['thread.id', 'i', (r() * 64) | 0],
    ['user.id', 's', `u-${(r() * 1e6) | 0}`],
    ['request.id', 's', ((r() * 4294967296) >>> 0).toString(16).padStart(8, '0')],
  ];
}

function idBytes(hi, lo) {
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(hi, 0);
  b.writeUInt32BE(lo, 4);
  return b;
}

/** Spans grouped by service, in batches of at most 500 (as SDK exporters send them). */
function batchesOf(t) {
  const byService = Array.from({ length: t.serviceCount }, () => []);
  for (let i = 0; i < t.n; i++) byService[t.service[i]].push(i);
  const out = [];
  for (let s = 0; s < byService.length; s++) {
    const list = byService[s];
    for (let k = 0; k < list.length; k += 500) out.push({ service: s, spans: list.slice(k, k + 500) });
  }
  return out;
}

const KIND_NAMES = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'];

function writeJson(t, path, seed) {
  t.rand = rng(seed + 1);
  const fd = openSync(path + '.tmp', 'w');
  const traceId = TRACE_ID.toString('base64');
  writeSync(fd, '{"batches":[');
  let firstBatch = true;
  for (const b of batchesOf(t)) {
    const svc = SERVICES[b.service];
    const parts = [];
    for (const i of b.spans) {
      const attrs = attributesOf(t, i)
        .map(
          ([k, kind, v]) =>
            `{"key":"${k}","value":{${kind === 's' ? `"stringValue":${JSON.stringify(v)}` : `"intValue":"${v}"`}}}`,
        )
        .join(',');
      const start = t.start[i];
      const end = start + t.duration[i];
      const parent =
        t.parent[i] >= 0
          ? `"parentSpanId":"${idBytes(t.idHi[t.parent[i]], t.idLo[t.parent[i]]).toString('base64')}",`
          : '';
      const events = t.error[i]
        ? `,"events":[{"timeUnixNano":"${nanos(end)}","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"TimeoutError"}},{"key":"exception.message","value":{"stringValue":"upstream timed out"}},{"key":"exception.stacktrace","value":{"stringValue":"TimeoutError: upstream timed out\\n    at call (src/${svc}/client.ts:42:11)"}}]}]`
        : '';
      const status = t.error[i] ? '{"message":"upstream timed out","code":"STATUS_CODE_ERROR"}' : '{}';
      parts.push(
        `{"traceId":"${traceId}","spanId":"${idBytes(t.idHi[i], t.idLo[i]).toString('base64')}",${parent}"name":${JSON.stringify(t.names[t.name[i]])},"kind":"${KIND_NAMES[t.kind[i]]}","startTimeUnixNano":"${nanos(start)}","endTimeUnixNano":"${nanos(end)}","attributes":[${attrs}]${events},"status":${status}}`,
      );
    }
    const resource = `{"attributes":[{"key":"service.name","value":{"stringValue":"${svc}"}},{"key":"service.version","value":{"stringValue":"2.${b.service}.0"}},{"key":"host.name","value":{"stringValue":"${svc}-7d9f8c-x2k4p"}},{"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}}]}`;
    writeSync(
      fd,
      `${firstBatch ? '' : ','}{"resource":${resource},"scopeSpans":[{"scope":{"name":"@opentelemetry/instrumentation-http","version":"0.52.0"},"spans":[${parts.join(',')}]}]}`,
    );
    firstBatch = false;
  }
  writeSync(fd, ']}');
  closeSync(fd);
  renameSync(path + '.tmp', path);
}

/** A minimal protobuf writer: growable buffer, varints, fixed64, length-delimited fields. */
class Writer {
  constructor(size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(size);
    this.len = 0;
  }
  room(n) {
    if (this.len + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  varint(v) {
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }
  tag(field, wire) {
    this.varint(field * 8 + wire);
  }
  bytes(field, b) {
    this.tag(field, 2);
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  fixed64(field, value) {
    this.tag(field, 1);
    this.room(8);
    this.buf.writeBigUInt64LE(value, this.len);
    this.len += 8;
  }
  /** Nested message: write into `inner`, then copy it here with its length. */
  sub(field, inner) {
    this.bytes(field, inner.buf.subarray(0, inner.len));
    inner.len = 0;
  }
}

const textCache = new Map();
function text(s) {
  let b = textCache.get(s);
  if (!b) {
    b = Buffer.from(s, 'utf8');
    if (textCache.size < 100_000) textCache.set(s, b);
  }
  return b;
}

function absNanos(offset) {
  return BigInt(BASE_SEC) * 1_000_000_000n + BigInt(BASE_NS + offset);
}

function writeProto(t, path, seed) {
  t.rand = rng(seed + 1);
  const fd = openSync(path + '.tmp', 'w');
  const rs = new Writer(1 << 20);
  const ss = new Writer(1 << 20);
  const sp = new Writer(4096);
  const kv = new Writer(256);
  const val = new Writer(256);
  const ev = new Writer(1024);
  const out = new Writer(1 << 20);
  const keyValue = (target, field, key, kind, value) => {
    kv.bytes(1, text(key));
    if (kind === 's') val.bytes(1, text(value));
    else {
      val.tag(3, 0);
      val.varint(value);
    }
    kv.sub(2, val);
    target.sub(field, kv);
  };
  for (const b of batchesOf(t)) {
    const svc = SERVICES[b.service];
    const res = new Writer(512);
    keyValue(res, 1, 'service.name', 's', svc);
    keyValue(res, 1, 'service.version', 's', `2.${b.service}.0`);
    keyValue(res, 1, 'host.name', 's', `${svc}-7d9f8c-x2k4p`);
    keyValue(res, 1, 'telemetry.sdk.language', 's', 'nodejs');
    rs.sub(1, res);
    const scope = new Writer(128);
    scope.bytes(1, text('@opentelemetry/instrumentation-http'));
    scope.bytes(2, text('0.52.0'));
    ss.sub(1, scope);
    for (const i of b.spans) {
      sp.bytes(1, TRACE_ID);
      sp.bytes(2, idBytes(t.idHi[i], t.idLo[i]));
      if (t.parent[i] >= 0) sp.bytes(4, idBytes(t.idHi[t.parent[i]], t.idLo[t.parent[i]]));
      sp.bytes(5, text(t.names[t.name[i]]));
      if (t.kind[i]) {
        sp.tag(6, 0);
        sp.varint(t.kind[i]);
      }
      const start = t.start[i];
      const end = start + t.duration[i];
      sp.fixed64(7, absNanos(start));
      sp.fixed64(8, absNanos(end));
      for (const [k, kind, v] of attributesOf(t, i)) keyValue(sp, 9, k, kind, v);
      if (t.error[i]) {
        ev.fixed64(1, absNanos(end));
        ev.bytes(2, text('exception'));
        keyValue(ev, 3, 'exception.type', 's', 'TimeoutError');
        keyValue(ev, 3, 'exception.message', 's', 'upstream timed out');
        keyValue(
          ev,
          3,
          'exception.stacktrace',
          's',
          `TimeoutError: upstream timed out\n    at call (src/${svc}/client.ts:42:11)`,
        );
        sp.sub(11, ev);
        const st = new Writer(64);
        st.bytes(2, text('upstream timed out'));
        st.tag(3, 0);
        st.varint(2);
        sp.sub(15, st);
      }
      ss.sub(2, sp);
    }
    rs.sub(2, ss);
    out.sub(1, rs);
    writeSync(fd, out.buf, 0, out.len);
    out.len = 0;
  }
  closeSync(fd);
  renameSync(path + '.tmp', path);
}

/** Size label ("10k", "1m") → span count. */
export function spanCountOf(label) {
  const m = /^(\d+)([km]?)$/i.exec(label);
  if (!m) throw new Error(`bad size ${label}`);
  return Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1);
}

/**
 * Makes sure the trace files for `label` exist and returns their paths. `formats` chooses
 * 'json' and/or 'proto'.
 */
export function ensureBenchTrace(label, formats = ['json', 'proto'], log = () => {}) {
  mkdirSync(BENCH_DIR, { recursive: true });
  const n = spanCountOf(label);
  const seed = 1000 + n;
  const paths = {
    json: join(BENCH_DIR, `decode-v${GENERATOR_VERSION}-${label}.json`),
    proto: join(BENCH_DIR, `decode-v${GENERATOR_VERSION}-${label}.pb`),
  };
  let t;
  for (const f of formats) {
    if (existsSync(paths[f])) continue;
    log(`generating ${label} ${f} in ${BENCH_DIR}…`);
    t ??= shape(n, seed);
    if (f === 'json') writeJson(t, paths.json, seed);
    else writeProto(t, paths.proto, seed);
  }
  return paths;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const label of process.argv.slice(2)) {
    const paths = ensureBenchTrace(
      label,
      spanCountOf(label) >= 1e6 ? ['proto'] : ['json', 'proto'],
      console.log,
    );
    console.log(label, paths);
  }
}
