import type { Pool } from 'pg';
import type { Logger } from '../telemetry/log';
import type { BatchItem, ItemResult } from '../items/processItem';

/** Body of `POST /batches`: invoice lines imported from a partner CSV. */
export interface CreateBatchRequest {
  readonly accountId: string;
  readonly lines: readonly Record<string, unknown>[];
}

export interface BatchSummary {
  readonly batchId: string;
  readonly items: number;
  readonly failed: number;
  /** Indexes of failed items; the next batch for the account retries them. */
  readonly failedIndexes: number[];
}

/** Hands items to the `batch-worker` pool and resolves when all of them have a result. */
export interface BatchDispatcher {
  run(batchId: string, items: readonly BatchItem[], workerIds: readonly string[]): Promise<ItemResult[]>;
}

export class BatchController {
  constructor(
    private readonly pool: Pool,
    private readonly dispatcher: BatchDispatcher,
    private readonly log: Logger,
  ) {}

  async create(req: CreateBatchRequest, workerIds: readonly string[]): Promise<BatchSummary> {
    if (req.lines.length === 0 || req.lines.length > 5_000) {
      throw new RangeError(`a batch has 1 to 5000 lines, got ${req.lines.length}`);
    }
    const { rows } = await this.pool.query<{ id: string }>(
      'INSERT INTO batches (account_id, size) VALUES ($1, $2) RETURNING id',
      [req.accountId, req.lines.length],
    );
    const batchId = rows[0]!.id;
    // Leases are assigned round-robin up front so that workers never contend for an item
    // (see ItemsRepo.lock); one multi-row INSERT keeps this a single round trip.
    const items: BatchItem[] = req.lines.map((_, index) => ({ id: `${batchId}:${index}`, index }));
    await this.pool.query(
      `INSERT INTO items (id, batch_id, index, status, payload, leased_by, lease_until)
       SELECT $1 || ':' || (t.n - 1), $1, t.n - 1, 'pending', t.p,
              ($3::text[])[1 + (t.n - 1) % cardinality($3::text[])], now() + interval '10 minutes'
       FROM unnest($2::jsonb[]) WITH ORDINALITY AS t(p, n)`,
      [batchId, req.lines.map((l) => JSON.stringify(l)), workerIds],
    );
    const results = await this.dispatcher.run(batchId, items, workerIds);
    const failedIndexes = results.flatMap((r, i) => (r.ok ? [] : [i]));
    this.log.info('batch finished', { batch: batchId, items: items.length, failed: failedIndexes.length });
    return { batchId, items: items.length, failed: failedIndexes.length, failedIndexes };
  }
}
