import type { PatientEvent } from '@pm/contracts';
import type { AppointmentsService } from '../appointments/appointments.service';
import type { Transaction, Transactions } from '@pm/platform';
import { PatientDirectoryEntry } from './patient-directory-entry.entity';
import { PatientsDirectoryRepository } from './patients-directory.repository';
import { PatientsDirectoryService } from './patients-directory.service';
import { typedFake } from '@pm/testing';
import type { QueryRunner } from 'typeorm';

class FakePatientsDirectoryRepository implements Pick<PatientsDirectoryRepository, 'find' | 'save'> {
  readonly entries = new Map<string, PatientDirectoryEntry>();
  saves = 0;
  /** When set, the conditional save finds a newer row written meanwhile and stores nothing. */
  newerStoredMeanwhile = false;

  async find(patientId: string): Promise<PatientDirectoryEntry | null> {
    const entry = this.entries.get(patientId);
    return entry ? Object.assign(new PatientDirectoryEntry(), entry) : null;
  }

  async save(entry: PatientDirectoryEntry, _tx: Transaction): Promise<boolean> {
    this.saves += 1;
    if (this.newerStoredMeanwhile) return false;
    this.entries.set(entry.patientId, Object.assign(new PatientDirectoryEntry(), entry));
    return true;
  }
}

/** The one transaction FakeTransactions hands out, told apart from any other by its runner's data. */
const TX = typedFake<Transaction>({ queryRunner: typedFake<QueryRunner>({ data: { fake: 'transaction' } }) });

class FakeTransactions implements Pick<Transactions, 'run'> {
  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return work(TX);
  }
}

class FakeAppointments implements Pick<AppointmentsService, 'cancelFutureOfDeletedPatient'> {
  readonly cancelledFor: [Transaction, string][] = [];
  async cancelFutureOfDeletedPatient(patientId: string, tx: Transaction): Promise<number> {
    this.cancelledFor.push([tx, patientId]);
    return 1;
  }
}

describe('PatientsDirectoryService', () => {
  const patientId = '123e4567-e89b-12d3-a456-426614174000';
  const t0 = Date.parse('2030-01-01T10:00:00Z');
  let repository: FakePatientsDirectoryRepository;
  let service: PatientsDirectoryService;
  let appointments: FakeAppointments;

  const event = (change: Partial<PatientEvent>): PatientEvent => ({
    patientId,
    name: 'Jane Roe',
    email: 'jane@example.com',
    event_type: 'PATIENT_CREATED',
    event_id: `event-${Math.random()}`,
    occurred_at: t0,
    ...change,
  });

  beforeEach(() => {
    repository = new FakePatientsDirectoryRepository();
    appointments = new FakeAppointments();
    service = new PatientsDirectoryService(
      typedFake<PatientsDirectoryRepository>(repository),
      typedFake<Transactions>(new FakeTransactions()),
      typedFake<AppointmentsService>(appointments),
    );
  });

  it('adds a created patient with the event time, under the lower-case id', async () => {
    expect(await service.apply(event({ patientId: patientId.toUpperCase() }))).toBe('applied');
    expect(repository.entries.get(patientId)).toEqual(
      Object.assign(new PatientDirectoryEntry(), {
        patientId,
        name: 'Jane Roe',
        deleted: false,
        lastEventAt: new Date(t0),
      }),
    );
  });

  it('applies a newer update and an update of the same instant', async () => {
    await service.apply(event({}));
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Jane Doe', occurred_at: t0 + 1 }))).toBe('applied');
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Jane Poe', occurred_at: t0 + 1 }))).toBe('applied');
    expect(repository.entries.get(patientId)?.name).toBe('Jane Poe');
  });

  it('ignores an event older than the stored state', async () => {
    await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Newer', occurred_at: t0 + 5000 }));
    const savesBefore = repository.saves;
    expect(await service.apply(event({ event_type: 'PATIENT_CREATED', name: 'Older', occurred_at: t0 }))).toBe('stale');
    expect(repository.saves).toBe(savesBefore);
    expect(repository.entries.get(patientId)).toMatchObject({ name: 'Newer', lastEventAt: new Date(t0 + 5000) });
  });

  it('does not bring a deleted patient back with an older update', async () => {
    await service.apply(event({}));
    await service.apply(event({ event_type: 'PATIENT_DELETED', occurred_at: t0 + 2000 }));
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Late', occurred_at: t0 + 1000 }))).toBe('stale');
    expect(repository.entries.get(patientId)).toMatchObject({ deleted: true, name: 'Jane Roe' });
  });

  it('marks a deleted patient but keeps the name, whatever the delete event carries', async () => {
    await service.apply(event({}));
    expect(
      await service.apply(event({ event_type: 'PATIENT_DELETED', name: '', email: '', occurred_at: t0 + 1000 })),
    ).toBe('applied');
    expect(repository.entries.get(patientId)).toMatchObject({
      name: 'Jane Roe',
      deleted: true,
      lastEventAt: new Date(t0 + 1000),
    });
  });

  it('records a delete for a patient it never saw, with the name the event carries', async () => {
    expect(await service.apply(event({ event_type: 'PATIENT_DELETED' }))).toBe('applied');
    expect(repository.entries.get(patientId)).toMatchObject({ name: 'Jane Roe', deleted: true });
  });

  it('changes nothing when the same event is delivered again', async () => {
    const created = event({});
    await service.apply(created);
    const savesBefore = repository.saves;
    expect(await service.apply(created)).toBe('unchanged');
    expect(repository.saves).toBe(savesBefore);
  });

  it('applies events without a time (older producers) and keeps the stored time', async () => {
    await service.apply(event({}));
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Untimed', occurred_at: 0 }))).toBe('applied');
    expect(repository.entries.get(patientId)).toMatchObject({ name: 'Untimed', lastEventAt: new Date(t0) });
    // A later timed event still compares against the last known time.
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: 'Old', occurred_at: t0 - 1 }))).toBe('stale');
  });

  it('stores a patient first seen without a time with no time', async () => {
    expect(await service.apply(event({ occurred_at: 0 }))).toBe('applied');
    expect(repository.entries.get(patientId)?.lastEventAt).toBeNull();
  });

  it('refuses an event whose patientId is not a UUID, without writing', async () => {
    expect(await service.apply(event({ patientId: 'patient-1' }))).toBe('invalid');
    expect(repository.saves).toBe(0);
  });

  it('reports stale when the guarded write loses to a newer event', async () => {
    repository.save = async () => false;
    expect(await service.apply(event({}))).toBe('stale');
  });

  it('cancels the future appointments of a deleted patient, in the transaction that records the delete', async () => {
    await service.apply(event({}));
    expect(appointments.cancelledFor).toEqual([]);
    await service.apply(event({ patientId: patientId.toUpperCase(), event_type: 'PATIENT_DELETED', occurred_at: t0 + 1000 }));
    expect(appointments.cancelledFor).toEqual([[TX, patientId]]);
  });

  it('cancels nothing again for a redelivered delete, nor for a delete that lost the race', async () => {
    await service.apply(event({ event_type: 'PATIENT_DELETED' }));
    await service.apply(event({ event_type: 'PATIENT_DELETED', occurred_at: t0 + 1 }));
    expect(appointments.cancelledFor).toHaveLength(1);
    repository.save = async () => false;
    expect(await service.apply(event({ patientId: '123e4567-e89b-12d3-a456-426614174999', event_type: 'PATIENT_DELETED' }))).toBe('stale');
    expect(appointments.cancelledFor).toHaveLength(1);
  });

  it('keeps the stored name when an update carries none, and stores none for a first event without one', async () => {
    await service.apply(event({}));
    expect(await service.apply(event({ event_type: 'PATIENT_UPDATED', name: '', occurred_at: t0 + 1 }))).toBe('applied');
    expect(repository.entries.get(patientId)).toMatchObject({ name: 'Jane Roe', lastEventAt: new Date(t0 + 1) });
    const other = '223e4567-e89b-12d3-a456-426614174000';
    expect(await service.apply(event({ patientId: other, name: '' }))).toBe('applied');
    expect(repository.entries.get(other)).toMatchObject({ name: null, deleted: false });
  });

  it('answers stale, cancelling nothing, when a newer event was saved between its read and its write', async () => {
    await service.apply(event({}));
    repository.newerStoredMeanwhile = true;
    expect(await service.apply(event({ event_type: 'PATIENT_DELETED', occurred_at: t0 + 1000 }))).toBe('stale');
    expect(appointments.cancelledFor).toEqual([]);
    expect(repository.entries.get(patientId)).toMatchObject({ deleted: false });
  });
});
