import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditOutcome } from './audit-entry.entity';

/** How a service decided an audited access when it was not a plain ALLOWED: refused, or by break the glass. */
export interface AccessNote {
  outcome: Exclude<AuditOutcome, 'ALLOWED'>;
  /** Why the glass was broken (EMERGENCY). */
  reason?: string;
}

/** Where the access of the request in flight is noted; the AuditInterceptor reads it when it writes the entry. */
export interface AccessNoteSlot {
  note?: AccessNote;
}

const slots = new AsyncLocalStorage<AccessNoteSlot>();

/** Runs `work` (an audited handler) with a slot for the decision the services below it note. */
export function withAccessNotes<T>(slot: AccessNoteSlot, work: () => T): T {
  return slots.run(slot, work);
}

/**
 * Notes how the access in flight was decided, for its audit entry. False outside an audited
 * request (no AuditInterceptor around the call): the caller then audits the access itself.
 */
export function noteAccess(note: AccessNote): boolean {
  const slot = slots.getStore();
  if (!slot) return false;
  slot.note = note;
  return true;
}
