import type { Transaction } from '@pm/platform';

/**
 * Records an event as applied, inside the caller's transaction `tx`. True when this call inserted
 * the row, i.e. the event is new and its changes must be applied in the same transaction; false
 * when it was applied before. A concurrent insert of the same id waits for the other
 * transaction and then sees the conflict, so two deliveries never both apply.
 */
export async function recordProcessedEvent(eventId: string, topic: string, tx: Transaction): Promise<boolean> {
  const inserted: { id: string }[] = await tx.query(
    `INSERT INTO processed_events (id, topic) VALUES ($1, $2)
     ON CONFLICT (id) DO NOTHING
     RETURNING id`,
    [eventId, topic],
  );
  return inserted.length === 1;
}
