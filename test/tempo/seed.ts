/**
 * The traces the tempo tier sends, and the facts the checks expect of them. Times are set
 * explicitly (a few seconds in the past), so a 4.3 s span costs no test time. Test-only code.
 */
import { randomBytes } from 'node:crypto';
import { SpanKind, TraceSender, type OtlpSink, type SentTrace } from './otel';

/** Functions in a made-up shop service, as their spans' `code.*` attributes name them. */
export const CODE = {
  checkout: {
    function: 'CheckoutController.post',
    file: '/app/src/checkout/CheckoutController.ts',
    line: 27,
  },
  cart: { function: 'CartService.load', file: '/app/src/cart/CartService.ts', line: 42 },
  // Written with the pre-1.30 semantic conventions (code.namespace + code.function, code.filepath).
  payment: {
    namespace: 'PaymentClient',
    function: 'charge',
    file: '/app/src/payment/PaymentClient.ts',
    line: 88,
  },
  report: { function: 'ReportJob.render', file: '/app/src/report/ReportJob.ts', line: 15 },
  items: { function: 'ItemRepo.find', file: '/app/src/items/ItemRepo.ts', line: 9 },
} as const;

/** The slow span: 4.3 s, which Tempo 3.0's quantile_over_time reports as the 2^33 ns bucket. */
export const REPORT_RENDER_MS = 4300;
/** Spans of `ItemRepo.find` in each `GET /items` trace (more than the default spss of 3). */
export const ITEM_FINDS = 6;
/** `GET /items` traces (more than the limit the search checks ask for). */
export const ITEM_TRACES = 5;
/** The placeholder Tempo gives as the root service of a trace whose root span never arrived. */
export const ROOT_NOT_RECEIVED = '<root span not yet received>';

function hex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString('hex')
    .slice(0, n);
}

/** A 64-bit (Jaeger/Zipkin-style) trace ID: 16 zeros, then 16 digits that do not start with 0. */
export function shortTraceId(): string {
  return `0000000000000000${'abcdef'[randomBytes(1)[0]! % 6]}${hex(15)}`;
}

/** A 128-bit ID whose first digit is 0 (search shows it with 31 digits). */
export function zeroLedTraceId(): string {
  return `0${'abcdef'[randomBytes(1)[0]! % 6]}${hex(30)}`;
}

/** The single-tenant Tempo's traces. */
export interface MainSeed {
  /** shop-api → payments, 4 spans, an exception, 2 error spans. */
  checkout: SentTrace;
  /** `GET /report` with the 4.3 s `ReportJob.render`. */
  report: SentTrace;
  /** `GET /items` traces, each with `ITEM_FINDS` `ItemRepo.find` spans. */
  items: SentTrace[];
  /** A 64-bit trace ID. */
  short: SentTrace;
  /** A trace ID with a leading zero digit. */
  zeroLed: SentTrace;
  /** A worker trace whose root span never arrives. */
  orphan: SentTrace;
  /** When the sending finished (Unix ms). */
  sentAtMs: number;
}

/** Sends the single-tenant Tempo's traces. */
export async function seedMain(sink: OtlpSink): Promise<MainSeed> {
  const s = new TraceSender(sink);
  const now = Date.now();
  const t = now - 3000;
  const checkout = s.trace({
    service: 'shop-api',
    name: 'POST /checkout',
    kind: SpanKind.SERVER,
    startMs: t,
    durationMs: 250,
    attributes: {
      'http.request.method': 'POST',
      'http.route': '/checkout',
      'http.response.status_code': 502,
      'code.function.name': CODE.checkout.function,
      'code.file.path': CODE.checkout.file,
      'code.line.number': CODE.checkout.line,
    },
    children: [
      {
        service: 'shop-api',
        name: 'CartService.load',
        startMs: t + 10,
        durationMs: 120,
        attributes: {
          'code.function.name': CODE.cart.function,
          'code.file.path': CODE.cart.file,
          'code.line.number': CODE.cart.line,
        },
      },
      {
        service: 'shop-api',
        name: 'PaymentClient.charge',
        kind: SpanKind.CLIENT,
        startMs: t + 140,
        durationMs: 100,
        attributes: {
          'code.namespace': CODE.payment.namespace,
          'code.function': CODE.payment.function,
          'code.filepath': CODE.payment.file,
          'code.lineno': CODE.payment.line,
          'server.address': 'payments.internal',
        },
        exception: new Error('card declined'),
        children: [
          {
            service: 'payments',
            name: 'POST /charge',
            kind: SpanKind.SERVER,
            startMs: t + 150,
            durationMs: 80,
            attributes: { 'http.response.status_code': 402 },
            error: true,
          },
        ],
      },
    ],
  });
  const r = now - 6000;
  const report = s.trace({
    service: 'shop-api',
    name: 'GET /report',
    kind: SpanKind.SERVER,
    startMs: r,
    durationMs: REPORT_RENDER_MS + 100,
    children: [
      {
        service: 'shop-api',
        name: 'ReportJob.render',
        startMs: r + 50,
        durationMs: REPORT_RENDER_MS,
        attributes: {
          'code.function.name': CODE.report.function,
          'code.file.path': CODE.report.file,
          'code.line.number': CODE.report.line,
        },
      },
    ],
  });
  const items = Array.from({ length: ITEM_TRACES }, (_, k) => {
    const at = now - 2000 + k * 20;
    return s.trace({
      service: 'shop-api',
      name: 'GET /items',
      kind: SpanKind.SERVER,
      startMs: at,
      durationMs: 60,
      children: Array.from({ length: ITEM_FINDS }, (_, i) => ({
        service: 'shop-api',
        name: 'ItemRepo.find',
        kind: SpanKind.CLIENT,
        startMs: at + 5 + i * 8,
        durationMs: 6,
        attributes: {
          'code.function.name': CODE.items.function,
          'code.file.path': CODE.items.file,
          'code.line.number': CODE.items.line,
          'db.system.name': 'postgresql',
        },
      })),
    });
  });
  const short = s.trace(
    { service: 'legacy-gw', name: 'GET /legacy', kind: SpanKind.SERVER, startMs: now - 1500, durationMs: 30 },
    shortTraceId(),
  );
  const zeroLed = s.trace(
    { service: 'legacy-gw', name: 'GET /zero', kind: SpanKind.SERVER, startMs: now - 1400, durationMs: 30 },
    zeroLedTraceId(),
  );
  const orphan = s.trace({
    service: 'worker',
    name: 'poll queue',
    kind: SpanKind.CONSUMER,
    startMs: now - 1000,
    durationMs: 500,
    neverEnds: true,
    children: [
      {
        service: 'worker',
        name: 'Job.run',
        startMs: now - 990,
        durationMs: 20,
        attributes: { 'code.function.name': 'Job.run', 'code.file.path': '/app/src/worker/Job.ts' },
      },
    ],
  });
  await s.flush();
  return { checkout, report, items, short, zeroLed, orphan, sentAtMs: Date.now() };
}

/** One small trace of `service` for another Tempo (a tenant, the prefixed one, the defaults one); its root span ends at `endMs`. */
export async function seedOne(
  sink: OtlpSink,
  service: string,
  name: string,
  endsAgoMs = 1000,
): Promise<SentTrace & { endMs: number; sentAtMs: number }> {
  const s = new TraceSender(sink);
  const end = Date.now() - endsAgoMs;
  const sent = s.trace({
    service,
    name,
    kind: SpanKind.SERVER,
    startMs: end - 200,
    durationMs: 200,
    attributes: { 'code.function.name': `${service}.handle`, 'code.file.path': `/app/src/${service}.ts` },
    children: [{ service, name: 'db query', kind: SpanKind.CLIENT, startMs: end - 150, durationMs: 50 }],
  });
  await s.flush();
  return { ...sent, endMs: end, sentAtMs: Date.now() };
}
