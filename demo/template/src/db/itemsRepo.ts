import type { Pool } from 'pg';

export type ItemStatus = 'pending' | 'processing' | 'done' | 'failed';

/** Row of `items`; one per entry of a batch. */
export interface ItemRow {
  readonly id: string;
  readonly batch_id: string;
  readonly index: number;
  readonly status: ItemStatus;
  readonly attempts: number;
  readonly payload: Record<string, unknown>;
  /** Worker that holds the lease; assigned by BatchController.create. */
  readonly leased_by: string | null;
  readonly lease_until: Date | null;
}

/** The item is leased to another worker for longer than we may wait. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

export interface ItemsRepoOptions {
  readonly workerId: string;
  /** How long a batch worker may wait for another worker's lease; 0 = fail fast, retry next batch. */
  readonly lockWaitMs: number;
}

/** Data access for `items`; every method is one round trip. */
export class ItemsRepo {
  constructor(
    private readonly pool: Pool,
    private readonly options: ItemsRepoOptions,
  ) {}

  /**
   * Reads the item and checks that this worker may work on it: the lease is ours, free, or
   * expires within `lockWaitMs`. Items leased elsewhere fail fast with TimeoutError; the next
   * batch picks them up. No row lock is taken: BatchController.create assigns the leases up
   * front, so reading the row is enough. `SELECT *` on purpose: the row is small and
   * processItem needs the payload anyway.
   */
  async lock(id: string): Promise<ItemRow> {
    const { rows } = await this.pool.query<ItemRow>('SELECT * FROM items WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new Error(`item ${id} not found`);
    const remainingMs = (row.lease_until?.getTime() ?? 0) - Date.now();
    if (row.leased_by && row.leased_by !== this.options.workerId && remainingMs > this.options.lockWaitMs) {
      switch (row.status) {
        case 'processing':
          throw new TimeoutError('lock wait timeout');
        case 'done':
          return row; // finished by the other worker meanwhile; processItem skips it
      }
    }
    return row;
  }

  async markDone(id: string, result: Record<string, unknown>): Promise<void> {
    await this.pool.query("UPDATE items SET status = 'done', result = $2, leased_by = NULL WHERE id = $1", [
      id,
      JSON.stringify(result),
    ]);
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.pool.query("UPDATE items SET status = 'failed', error = $2, leased_by = NULL WHERE id = $1", [
      id,
      error,
    ]);
  }
}
