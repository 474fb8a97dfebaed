import type { ItemsRepo } from '../db/itemsRepo';
import type { Logger } from '../telemetry/log';
import { withSpan } from '../telemetry/tracing';

/** One line of an imported CSV. */
export interface BatchItem {
  readonly line: number;
  readonly id: number;
  readonly account: string;
  readonly amountCents: number;
  readonly currency: string;
}

/** Imports one item: one span, with the database statement as its child. */
export async function processItem(item: BatchItem, repo: ItemsRepo, log: Logger): Promise<void> {
  const attributes = { 'item.id': item.id, 'item.line': item.line, 'item.account': item.account };
  await withSpan('item.process', { attributes }, async () => {
    try {
      await repo.markImported(item.id, item.amountCents);
    } catch (err) {
      log.error('item failed', { item: item.id, line: item.line }, err);
      throw err;
    }
  });
}
