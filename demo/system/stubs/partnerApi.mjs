// The partner's invoice API, as a stub on loopback: `GET /v2/invoices` in pages of `page_size`.
// The first page of a query really takes `slowFirstPageMs` (the partner computes the whole month
// before answering); later pages come from its cache. Not instrumented: it is someone else's
// system, so the trace shows only our CLIENT span for each call.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const INVOICES = 237;
const CURRENCIES = ['EUR', 'USD', 'GBP'];

/** Starts the stub on 127.0.0.1 (any free port); resolves to `{ url, requests, close() }`. */
export async function startPartnerApi({ slowFirstPageMs = 4200, fastPageMs = 25 } = {}) {
  const requests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, traceparent: req.headers.traceparent });
    if (req.method !== 'GET' || url.pathname !== '/v2/invoices') {
      return json(res, 404, { error: { type: 'NotFound', message: `${req.method} ${url.pathname}` } });
    }
    const account = String(req.headers['x-partner-account'] ?? '');
    const pageSize = Math.min(Number(url.searchParams.get('page_size') ?? 100) || 100, 500);
    const offset = Number(url.searchParams.get('cursor') ?? 0) || 0;
    const slow = offset === 0 ? slowFirstPageMs : fastPageMs;
    void sleep(slow).then(() => {
      const invoices = [];
      for (let i = offset; i < Math.min(offset + pageSize, INVOICES); i++) invoices.push(invoice(account, i));
      const next = offset + pageSize < INVOICES ? String(offset + pageSize) : undefined;
      json(res, 200, next ? { invoices, nextCursor: next } : { invoices });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function invoice(account, i) {
  return {
    id: `inv_${account.toLowerCase()}_${String(i + 1).padStart(5, '0')}`,
    number: `P-2026-${String(40000 + i)}`,
    status: i % 5 === 0 ? 'open' : i % 17 === 0 ? 'void' : 'paid',
    amountCents: 1000 + ((i * 7919) % 250000),
    currency: CURRENCIES[i % CURRENCIES.length],
    issuedAt: new Date(Date.UTC(2026, 10, 1 + (i % 28))).toISOString(),
  };
}

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
