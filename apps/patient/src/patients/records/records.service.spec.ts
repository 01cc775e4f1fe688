import type { Transactions } from '@pm/platform';
import { FakeEventsPublisher, FakeTransactions, JOHN_DOE, Rollbackable } from '../../testing/patient-fakes';
import { typedFake } from '@pm/testing';
import { Patient, PatientDetails } from '../shared/patient.entity';
import { PatientEmailTakenError, PatientNotFoundError, PatientVersionMismatchError } from '../shared/patient.errors';
import type { PatientEventsPublisher } from '../shared/patient-events.publisher';
import { PatientCache } from './patient-cache';
import { PatientChanges, RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';

/** Keeps rows in memory; soft-deleted ones wait in `deleted`. Every change is a new version, as in PostgreSQL. */
class FakeRecordsRepository implements Pick<RecordsRepository, 'findLive' | 'update' | 'softDelete' | 'undelete'>, Rollbackable {
  rows = new Map<string, Patient>();
  deleted = new Map<string, Patient>();

  /** A live patient as registration would have left it. */
  add(id: string, details: PatientDetails): Patient {
    const patient = Object.assign(new Patient(), details, { id, version: 1, createdAt: new Date(), updatedAt: new Date() });
    this.rows.set(id, patient);
    return patient;
  }

  async findLive(id: string): Promise<Patient | null> {
    return this.rows.get(id) ?? null;
  }

  async update(id: string, changes: PatientChanges, acceptedVersions: number[] | undefined): Promise<Patient | null> {
    const existing = this.rows.get(id);
    if (!existing || (acceptedVersions && !acceptedVersions.includes(existing.version))) return null;
    this.assertEmailFree(changes.email, id);
    const updated = Object.assign(new Patient(), existing, changes, {
      registeredDate: changes.registeredDate ?? existing.registeredDate,
      version: existing.version + 1,
    });
    this.rows.set(id, updated);
    return updated;
  }

  async softDelete(id: string): Promise<Patient | null> {
    const existing = this.rows.get(id);
    if (!existing) return null;
    const deleted = Object.assign(new Patient(), existing, { version: existing.version + 1 });
    this.rows.delete(id);
    this.deleted.set(id, deleted);
    return deleted;
  }

  async undelete(id: string): Promise<Patient | null> {
    const gone = this.deleted.get(id);
    if (!gone) return null;
    this.assertEmailFree(gone.email, id);
    const restored = Object.assign(new Patient(), gone, { version: gone.version + 1 });
    this.deleted.delete(id);
    this.rows.set(id, restored);
    return restored;
  }

  snapshot(): () => void {
    const rows = new Map(this.rows);
    const deleted = new Map(this.deleted);
    return () => {
      this.rows = rows;
      this.deleted = deleted;
    };
  }

  private assertEmailFree(email: string, ownId: string): void {
    for (const row of this.rows.values()) {
      if (row.id !== ownId && row.email.toLowerCase() === email.toLowerCase()) throw new PatientEmailTakenError();
    }
  }
}

/** The cache as a map of id -> version and record (null: a deleted patient's tombstone). */
class FakePatientCache implements Pick<PatientCache, 'get' | 'remember' | 'put' | 'putDeleted'> {
  readonly entries = new Map<string, { version: number; patient: Patient | null }>();

  async get(id: string): Promise<Patient | undefined> {
    return this.entries.get(id)?.patient ?? undefined;
  }

  async remember(patient: Patient): Promise<void> {
    this.write(patient.id, patient.version, patient);
  }

  async put(patient: Patient): Promise<void> {
    this.write(patient.id, patient.version, patient);
  }

  async putDeleted(id: string, version: number): Promise<void> {
    this.write(id, version, null);
  }

  private write(id: string, version: number, patient: Patient | null): void {
    if ((this.entries.get(id)?.version ?? 0) < version) this.entries.set(id, { version, patient });
  }
}

const details = { ...JOHN_DOE };
const ID = '00000000-0000-0000-0000-000000000001';
const UNKNOWN = '00000000-0000-0000-0000-00000000ffff';

describe('RecordsService', () => {
  let repository: FakeRecordsRepository;
  let events: FakeEventsPublisher;
  let cache: FakePatientCache;
  let service: RecordsService;
  let patient: Patient;

  beforeEach(() => {
    repository = new FakeRecordsRepository();
    events = new FakeEventsPublisher();
    cache = new FakePatientCache();
    service = new RecordsService(
      typedFake<RecordsRepository>(repository),
      typedFake<PatientEventsPublisher>(events),
      typedFake<Transactions>(new FakeTransactions(repository, events)),
      typedFake<PatientCache>(cache),
    );
    patient = repository.add(ID, details);
  });

  describe('get', () => {
    it('finds a patient and reports an unknown id as not found', async () => {
      await expect(service.get(patient.id)).resolves.toBe(patient);
      await expect(service.get(UNKNOWN)).rejects.toBeInstanceOf(PatientNotFoundError);
    });

    it('serves a warm read from the cache without the repository', async () => {
      await service.get(patient.id);
      const findLive = jest.spyOn(repository, 'findLive');

      await expect(service.get(patient.id)).resolves.toMatchObject({ id: patient.id, version: 1 });
      expect(findLive).not.toHaveBeenCalled();
    });

    it('sees every write at once: update, delete and restore replace the cached entry', async () => {
      await service.get(patient.id);

      await service.update(patient.id, { ...details, name: 'Renamed' }, 'r');
      await expect(service.get(patient.id)).resolves.toMatchObject({ name: 'Renamed', version: 2 });

      await service.delete(patient.id, 'r');
      await expect(service.get(patient.id)).rejects.toBeInstanceOf(PatientNotFoundError);

      await service.restore(patient.id, 'r');
      await expect(service.get(patient.id)).resolves.toMatchObject({ name: 'Renamed' });
      expect(cache.entries.get(patient.id)?.patient).toMatchObject({ name: 'Renamed' });
    });
  });

  describe('read', () => {
    it('shows the clinical roles the whole record and BILLING the contact details, with the version', async () => {
      await expect(service.read(patient.id, 'NURSE')).resolves.toEqual({
        view: { id: ID, name: 'John Doe', email: 'john.doe@example.com', address: '123 Main St', dateOfBirth: '1985-06-15', registeredDate: '2024-01-10' },
        version: 1,
      });
      await expect(service.read(patient.id, 'BILLING')).resolves.toEqual({
        view: { id: ID, name: 'John Doe', email: 'john.doe@example.com', address: '123 Main St' },
        version: 1,
      });
      await expect(service.read(UNKNOWN, 'ADMIN')).rejects.toBeInstanceOf(PatientNotFoundError);
    });
  });

  describe('update', () => {
    it('saves the changes, keeps an omitted registeredDate and publishes PATIENT_UPDATED with the new details', async () => {
      const { registeredDate: _, ...changes } = { ...details, name: 'John Q. Doe', email: 'jq@example.com' };

      const updated = await service.update(patient.id, changes, 'req-5');

      expect(updated).toMatchObject({ name: 'John Q. Doe', email: 'jq@example.com', registeredDate: '2024-01-10', version: 2 });
      expect(events.published.at(-1)).toEqual({
        eventType: 'PATIENT_UPDATED',
        patient: { id: patient.id, name: 'John Q. Doe', email: 'jq@example.com' },
        requestId: 'req-5',
      });
      expect(events.accountRequests).toEqual([]);
    });

    it('applies only at an accepted version (If-Match), publishing nothing when stale', async () => {
      await expect(service.update(patient.id, { ...details, name: 'Stale' }, 'r', [2])).rejects.toBeInstanceOf(PatientVersionMismatchError);
      expect(repository.rows.get(patient.id)?.name).toBe('John Doe');
      expect(events.published).toEqual([]);

      await expect(service.update(patient.id, { ...details, name: 'Fresh' }, 'r', [1])).resolves.toMatchObject({ name: 'Fresh', version: 2 });
    });

    it('reports an unknown patient as not found and publishes nothing, with If-Match or without', async () => {
      await expect(service.update(UNKNOWN, details, 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
      await expect(service.update(UNKNOWN, details, 'r', [1])).rejects.toBeInstanceOf(PatientNotFoundError);
      expect(events.published).toEqual([]);
    });

    it('refuses another patient\'s email and publishes nothing', async () => {
      repository.add('00000000-0000-0000-0000-000000000002', { ...details, email: 'taken@example.com' });
      await expect(service.update(patient.id, { ...details, email: 'TAKEN@example.com' }, 'r')).rejects.toBeInstanceOf(PatientEmailTakenError);
      expect(events.published).toEqual([]);
    });
  });

  describe('restore', () => {
    it('brings a deleted patient back and announces it as PATIENT_CREATED', async () => {
      await service.delete(patient.id, 'r');

      await expect(service.restore(patient.id, 'req-7')).resolves.toMatchObject({ id: patient.id, name: 'John Doe' });
      expect(repository.rows.has(patient.id)).toBe(true);
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_DELETED', 'PATIENT_CREATED']);
      expect(events.published.at(-1)?.requestId).toBe('req-7');
      expect(events.accountRequests).toEqual([]);
    });

    it('answers a live patient as it is without an event, and an unknown one as not found', async () => {
      await expect(service.restore(patient.id, 'r')).resolves.toMatchObject({ id: patient.id });
      expect(events.published).toHaveLength(0);
      await expect(service.restore(UNKNOWN, 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
    });

    it('refuses a restore whose email another patient has taken meanwhile', async () => {
      await service.delete(patient.id, 'r');
      repository.add('00000000-0000-0000-0000-000000000003', { ...details, name: 'Someone else' });

      await expect(service.restore(patient.id, 'r')).rejects.toBeInstanceOf(PatientEmailTakenError);
      expect(repository.rows.has(patient.id)).toBe(false);
    });
  });

  describe('delete', () => {
    it('removes the patient and publishes PATIENT_DELETED with its last name and email', async () => {
      await service.delete(patient.id, 'req-6');

      expect(repository.rows.has(patient.id)).toBe(false);
      expect(events.published.at(-1)).toEqual({
        eventType: 'PATIENT_DELETED',
        patient: { id: patient.id, name: 'John Doe', email: 'john.doe@example.com' },
        requestId: 'req-6',
      });
    });

    it('reports an unknown patient as not found and publishes nothing', async () => {
      await expect(service.delete(UNKNOWN, 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
      expect(events.published).toEqual([]);
    });
  });
});
