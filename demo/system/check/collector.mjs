// A tiny OTLP/HTTP collector for the demo check: accepts what the SDK exports (protobuf, gzip or
// not) on POST /v1/traces and /v1/logs, keeps it in memory, and answers GET /api/traces/<id> the
// way Tempo does, so the check reads traces through the same path it will use against Trace Lens's
// receiver. Loopback only; not a product, just enough to check the demo without one.
import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { decodeLogsRequest, decodeTraceRequest, spansToJson } from './otlp.mjs';

/** Starts on 127.0.0.1 (`port` 0: any free one); resolves to `{ url, traces, logs, requests, close() }`. */
export async function startCollector({ port = 0 } = {}) {
  /** @type {Map<string, object[]>} trace ID → spans */
  const traces = new Map();
  const logs = [];
  const requests = { traces: 0, logs: 0, rejected: 0 };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const answer = (status, body = Buffer.alloc(0), type = 'application/x-protobuf') => {
        res.writeHead(status, { 'content-type': type, 'content-length': body.length });
        res.end(body);
      };
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const m = /^\/api\/traces\/([0-9a-f]{32})$/.exec(url.pathname);
      if (req.method === 'GET' && m) {
        const spans = traces.get(m[1]);
        if (!spans) return answer(404, Buffer.from('trace not found'), 'text/plain');
        return answer(200, Buffer.from(JSON.stringify(spansToJson(spans))), 'application/json');
      }
      const signal =
        req.method === 'POST' ? { '/v1/traces': 'traces', '/v1/logs': 'logs' }[url.pathname] : undefined;
      if (!signal) return answer(404, Buffer.from('not found'), 'text/plain');
      if (!String(req.headers['content-type']).startsWith('application/x-protobuf')) {
        requests.rejected += 1;
        return answer(415, Buffer.from('protobuf only'), 'text/plain');
      }
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        if (signal === 'traces') {
          for (const span of decodeTraceRequest(body)) {
            if (!traces.has(span.traceId)) traces.set(span.traceId, []);
            traces.get(span.traceId).push(span);
          }
        } else {
          logs.push(...decodeLogsRequest(body));
        }
        requests[signal] += 1;
        answer(200); // an empty Export*ServiceResponse: everything accepted
      } catch (err) {
        requests.rejected += 1;
        answer(400, Buffer.from(String(err)), 'text/plain');
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    traces,
    logs,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
