import type { SpanContext } from '@opentelemetry/api';
import type { ItemsRepo } from '../db/itemsRepo';
import type { Logger } from '../telemetry/log';
import { withSpan } from '../telemetry/tracing';
import { processItem } from './processItem';
import type { BatchItem } from './processItem';

export interface BatchResult {
  readonly batchId: string;
  readonly items: number;
  readonly failed: number;
  readonly failedIds: number[];
}

/** Items processed at once; the database pool has 16 connections. */
const CONCURRENCY = 16;

/** `POST /batches`: imports a CSV of items, each in its own span. */
export class BatchService {
  private batches = 0;

  constructor(
    private readonly repo: ItemsRepo,
    private readonly log: Logger,
  ) {}

  /** `source`: the span of the sync run that exported the CSV; the batch's span links to it. */
  async create(csv: string, source?: SpanContext): Promise<BatchResult> {
    this.batches += 1;
    const batchId = `b_${Date.now().toString(36)}_${this.batches}`;
    const links = source
      ? [{ context: source, attributes: { 'link.reason': 'imports the invoices of this sync run' } }]
      : [];
    return withSpan('batch.create', { attributes: { 'batch.id': batchId }, links }, async (span) => {
      const items = BatchService.parse(csv);
      span.setAttribute('batch.items', items.length);
      this.log.info('batch started', { batch: batchId, items: items.length });
      const failedIds: number[] = [];
      let next = 0;
      const worker = async () => {
        while (next < items.length) {
          const item = items[next++] as BatchItem;
          await processItem(item, this.repo, this.log).catch(() => failedIds.push(item.id));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      failedIds.sort((a, b) => a - b);
      span.setAttribute('batch.failed', failedIds.length);
      this.log.info('batch finished', { batch: batchId, items: items.length, failed: failedIds.length });
      return { batchId, items: items.length, failed: failedIds.length, failedIds };
    });
  }

  /** `id,account,amount_cents,currency` with a header line. */
  static parse(csv: string): BatchItem[] {
    const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
    const header = lines.shift();
    if (header?.trim() !== 'id,account,amount_cents,currency') {
      throw new Error(`unexpected CSV header ${JSON.stringify(header)}`);
    }
    return lines.map((text, i) => {
      const [id, account, amount, currency] = text.split(',');
      const item = {
        line: i + 2,
        id: Number(id),
        account: account ?? '',
        amountCents: Number(amount),
        currency: currency ?? '',
      };
      if (
        !Number.isInteger(item.id) ||
        !Number.isInteger(item.amountCents) ||
        !item.account ||
        !item.currency
      ) {
        throw new Error(
          `line ${i + 2}: expected id,account,amount_cents,currency, got ${JSON.stringify(text)}`,
        );
      }
      return item;
    });
  }
}
