import { SpanKind, withSpan } from '../telemetry/tracing';
import type { StubDatabase } from './StubDatabase';

const MARK_IMPORTED = "UPDATE items SET status = 'imported', amount_cents = $2 WHERE id = $1";

/** The `items` table. Each statement is a CLIENT span named as the semantic conventions say. */
export class ItemsRepo {
  constructor(private readonly db: StubDatabase) {}

  /** Marks an item imported; fails when another transaction holds its row. */
  async markImported(id: number, amountCents: number): Promise<void> {
    const attributes = {
      'db.system.name': 'postgresql',
      'db.namespace': 'billing',
      'db.collection.name': 'items',
      'db.operation.name': 'UPDATE',
      'db.query.text': MARK_IMPORTED,
    };
    await withSpan('UPDATE items', { kind: SpanKind.CLIENT, attributes }, () =>
      this.db.query(MARK_IMPORTED, [id, amountCents]),
    );
  }
}
