import type { ItemsRepo } from '../db/itemsRepo';
import type { Logger } from '../telemetry/log';
import { fail, type Span } from '../telemetry/tracing';

export interface BatchItem {
  readonly id: string;
  readonly index: number;
}

export type ItemResult = { ok: true; skipped?: boolean } | { ok: false; error: string };

export async function processItem(
  item: BatchItem,
  deps: { readonly repo: ItemsRepo; readonly log: Logger; readonly span: Span },
): Promise<ItemResult> {
  const { repo, log, span } = deps;
  span.setAttribute('item.index', item.index);
  try {
    const row = await repo.lock(item.id);
    if (row.status === 'done') return { ok: true, skipped: true };
    const result = applyItem(row.payload);
    await repo.markDone(item.id, result);
    return { ok: true };
  } catch (err) {
    // One bad item must not fail the batch: record it on the item's span and row, and go on.
    fail(span, err);
    const error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    log.warn('item failed', { item: item.index, error });
    await repo.markFailed(item.id, error).catch(() => undefined);
    return { ok: false, error };
  }
}

/** The actual work: normalise the imported invoice line. Pure, so it is unit-tested on its own. */
export function applyItem(payload: Record<string, unknown>): Record<string, unknown> {
  const amount = Number(payload['amount'] ?? 0);
  return {
    ...payload,
    amountCents: Math.round(amount * 100),
    currency: String(payload['currency'] ?? 'EUR').toUpperCase(),
    importedAt: new Date().toISOString(),
  };
}
