import { Injectable } from '@nestjs/common';
import type { PatientEvent } from '@pm/contracts';
import { AppointmentsService } from '../appointments/appointments.service';
import { Transactions, isUuid } from '@pm/platform';
import { PatientDirectoryEntry } from './patient-directory-entry.entity';
import { PatientsDirectoryRepository } from './patients-directory.repository';

/** What applying one event did; a redelivered or out-of-order event changes nothing. */
export type DirectoryOutcome = 'applied' | 'unchanged' | 'stale' | 'invalid';

/**
 * Keeps the local directory of patient names in step with the `patient` topic. Delivery is at
 * least once and may reorder across producers, so an event older than the stored state is
 * ignored (events from older producers carry no time and always apply).
 */
@Injectable()
export class PatientsDirectoryService {
  constructor(
    private readonly directory: PatientsDirectoryRepository,
    private readonly transactions: Transactions,
    private readonly appointments: AppointmentsService,
  ) {}

  async apply(event: PatientEvent): Promise<DirectoryOutcome> {
    if (!isUuid(event.patientId)) return 'invalid';
    const patientId = event.patientId.toLowerCase();
    const occurredAt = event.occurred_at > 0 ? new Date(event.occurred_at) : null;
    const current = await this.directory.find(patientId);
    if (current?.lastEventAt && occurredAt && occurredAt < current.lastEventAt) return 'stale';

    const next = nextEntry(patientId, current, event, occurredAt);
    if (current && sameEntry(current, next)) return 'unchanged';
    return this.transactions.run(async (tx) => {
      if (!(await this.directory.save(next, tx))) return 'stale';
      // Same transaction as the delete: the cancellations and their events commit with it or not at all.
      if (next.deleted && !current?.deleted) await this.appointments.cancelFutureOfDeletedPatient(patientId, tx);
      return 'applied';
    });
  }

  find(patientId: string): Promise<PatientDirectoryEntry | null> {
    return this.directory.find(patientId.toLowerCase());
  }
}

function nextEntry(
  patientId: string,
  current: PatientDirectoryEntry | null,
  event: PatientEvent,
  occurredAt: Date | null,
): PatientDirectoryEntry {
  const deleted = event.event_type === 'PATIENT_DELETED';
  // A deleted patient's past appointments still show who they were for.
  const keepStored = deleted && current !== null;
  return Object.assign(new PatientDirectoryEntry(), {
    patientId,
    name: keepStored ? current.name : event.name || (current?.name ?? null),
    deleted,
    lastEventAt: occurredAt ?? current?.lastEventAt ?? null,
  });
}

function sameEntry(a: PatientDirectoryEntry, b: PatientDirectoryEntry): boolean {
  return (
    a.name === b.name &&
    a.deleted === b.deleted &&
    (a.lastEventAt?.getTime() ?? null) === (b.lastEventAt?.getTime() ?? null)
  );
}
