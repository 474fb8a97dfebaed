import { setTimeout as sleep } from 'node:timers/promises';

/** A failed statement, with the SQLSTATE Postgres would give. */
export class DatabaseError extends Error {
  override readonly name = 'DatabaseError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export interface QueryResult {
  readonly rowCount: number;
}

/**
 * Stands in for the `billing` Postgres database (the demo needs no database server): statements
 * take a real, short wait, and a few rows are held by another transaction, so an UPDATE of one of
 * them waits for the lock timeout and fails as Postgres would.
 */
export class StubDatabase {
  constructor(
    /** Item IDs whose rows another transaction holds. */
    private readonly lockedRows: ReadonlySet<number>,
    private readonly lockTimeoutMs = 60,
  ) {}

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const id = Number(params[0]);
    if (/^\s*UPDATE/i.test(sql) && this.lockedRows.has(id)) {
      await sleep(this.lockTimeoutMs);
      throw new DatabaseError('canceling statement due to lock timeout', '55P03');
    }
    await sleep(1 + (id % 4));
    return { rowCount: 1 };
  }
}
