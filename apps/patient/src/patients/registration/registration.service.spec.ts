import { Logger } from '@nestjs/common';
import { type BillingRequest, type BillingResponse, type PatientEventType, decodePatientEvent } from '@pm/contracts';
import type { OutboxEvent } from '@pm/outbox';
import { BillingClient } from '../billing/billing.client';
import { Patient, PatientDetails, PatientListQuery, PatientPage } from './patient.entity';
import { IdempotencyKeyReusedError, PatientEmailTakenError, PatientLikelyDuplicateError, PatientNotFoundError, PatientVersionMismatchError } from './patient.errors';
import type { PatientEventsFor } from './patient-events.publisher';
import { PatientCache } from './patient-cache';
import { PatientsRepository } from './patients.repository';
import { PatientChanges, PatientsService } from './patients.service';

interface PublishedEvent {
  eventType: PatientEventType;
  patient: Pick<Patient, 'id' | 'name' | 'email'>;
  requestId: string;
}

/** Keeps rows in memory and, like the real one, records a change's events only when it saved. */
class FakePatientsRepository
  implements
    Pick<PatientsRepository, 'insert' | 'insertOnce' | 'insertIfAbsent' | 'findById' | 'list' | 'update' | 'delete' | 'restore'>
{
  /** The live patients; soft-deleted ones wait in `deleted`. */
  readonly rows = new Map<string, Patient>();
  readonly deleted = new Map<string, Patient>();
  readonly published: PublishedEvent[] = [];
  /** billing-account requests recorded with a change, held for gRPC to confirm. */
  readonly accountRequests: { patientId: string; holdMs?: number }[] = [];
  readonly keys = new Map<string, { fingerprint: string; patientId: string }>();
  private nextId = 1;

  async insertOnce(
    details: PatientDetails,
    eventsFor: PatientEventsFor,
    idempotency: { actorId: string; key: string; fingerprint: string },
    refuseLikelyDuplicates = false,
  ): Promise<{ patient: Patient; replayed: boolean }> {
    const first = this.keys.get(`${idempotency.actorId}/${idempotency.key}`);
    if (first) {
      if (first.fingerprint !== idempotency.fingerprint) throw new IdempotencyKeyReusedError();
      return { patient: this.rows.get(first.patientId)!, replayed: true };
    }
    const patient = await this.insert(details, eventsFor, refuseLikelyDuplicates);
    this.keys.set(`${idempotency.actorId}/${idempotency.key}`, { fingerprint: idempotency.fingerprint, patientId: patient.id });
    return { patient, replayed: false };
  }

  async insert(details: PatientDetails, eventsFor: PatientEventsFor, refuseLikelyDuplicates = false): Promise<Patient> {
    const candidates = refuseLikelyDuplicates ? this.likelyDuplicatesOf(details) : [];
    if (candidates.length > 0) throw new PatientLikelyDuplicateError(candidates);
    return this.record(this.store(`00000000-0000-0000-0000-${String(this.nextId++).padStart(12, '0')}`, details), eventsFor);
  }

  async insertIfAbsent(id: string, details: PatientDetails, eventsFor: PatientEventsFor): Promise<Patient | null> {
    return this.rows.has(id) ? null : this.record(this.store(id, details), eventsFor);
  }

  async findById(id: string): Promise<Patient | null> {
    return this.rows.get(id) ?? null;
  }

  /** Stands in for the trigram match: same birth date and the same name in any case. */
  private likelyDuplicatesOf(details: Pick<PatientDetails, 'name' | 'dateOfBirth'>): string[] {
    return [...this.rows.values()]
      .filter((row) => row.dateOfBirth === details.dateOfBirth && row.name.toLowerCase() === details.name.toLowerCase())
      .map((row) => row.id);
  }

  async list(query: PatientListQuery): Promise<PatientPage> {
    const all = [...this.rows.values()];
    return { patients: all.slice((query.page - 1) * query.size, query.page * query.size), totalElements: all.length };
  }

  async update(id: string, changes: PatientChanges, eventsFor: PatientEventsFor, acceptedVersions?: number[]): Promise<Patient | null> {
    const existing = this.rows.get(id);
    if (!existing) return null;
    if (acceptedVersions && !acceptedVersions.includes(existing.version)) throw new PatientVersionMismatchError(id);
    this.assertEmailFree(changes.email, id);
    const updated = Object.assign(new Patient(), existing, changes, {
      registeredDate: changes.registeredDate ?? existing.registeredDate,
      version: existing.version + 1,
    });
    this.rows.set(id, updated);
    return this.record(updated, eventsFor);
  }

  async delete(id: string, eventsFor: PatientEventsFor): Promise<Patient | null> {
    const existing = this.rows.get(id) ?? null;
    if (!existing) return null;
    // Like the real one, a delete and a restore are new versions.
    const deleted = Object.assign(new Patient(), existing, { version: existing.version + 1 });
    this.rows.delete(id);
    this.deleted.set(id, deleted);
    return this.record(deleted, eventsFor);
  }

  async restore(id: string, eventsFor: PatientEventsFor): Promise<{ patient: Patient; restored: boolean } | null> {
    const live = this.rows.get(id);
    if (live) return { patient: live, restored: false };
    const gone = this.deleted.get(id);
    if (!gone) return null;
    this.assertEmailFree(gone.email, id);
    const restored = Object.assign(new Patient(), gone, { version: gone.version + 1 });
    this.deleted.delete(id);
    this.rows.set(id, restored);
    return { patient: this.record(restored, eventsFor), restored: true };
  }

  private record(patient: Patient, eventsFor: PatientEventsFor): Patient {
    for (const event of eventsFor(patient)) {
      if (event.topic === 'billing-account') {
        this.accountRequests.push({ patientId: event.key, holdMs: event.holdMs });
        continue;
      }
      const decoded = decodePatientEvent(event.value);
      expect(event.key).toBe(patient.id);
      this.published.push({
        eventType: decoded.event_type as PatientEventType,
        patient: { id: decoded.patientId, name: decoded.name, email: decoded.email },
        requestId: event.headers?.['x-request-id'] as string,
      });
    }
    return patient;
  }

  private store(id: string, details: PatientDetails): Patient {
    this.assertEmailFree(details.email, id);
    const patient = Object.assign(new Patient(), details, { id, version: 1, createdAt: new Date(), updatedAt: new Date() });
    this.rows.set(id, patient);
    return patient;
  }

  private assertEmailFree(email: string, ownId: string): void {
    for (const row of this.rows.values()) {
      if (row.id !== ownId && row.email.toLowerCase() === email.toLowerCase()) throw new PatientEmailTakenError();
    }
  }
}

class FakeBillingClient implements Pick<BillingClient, 'openAccount' | 'accountRequest'> {
  readonly calls: { request: BillingRequest; requestId: string }[] = [];
  failWith?: Error;

  accountRequest(patient: Pick<BillingRequest, 'patientId'>): OutboxEvent {
    return { topic: 'billing-account', key: patient.patientId, value: Buffer.from('request'), holdMs: 10_000 };
  }

  async openAccount(request: BillingRequest, requestId: string): Promise<BillingResponse> {
    this.calls.push({ request, requestId });
    if (this.failWith) throw this.failWith;
    return { accountId: `account-${request.patientId}`, status: 'ACTIVE' };
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

const details: PatientDetails = {
  name: 'John Doe',
  email: 'john.doe@example.com',
  address: '123 Main St',
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
};

describe('PatientsService', () => {
  let repository: FakePatientsRepository;
  let billing: FakeBillingClient;
  let events: { published: PublishedEvent[] };
  let cache: FakePatientCache;
  let service: PatientsService;

  afterEach(() => jest.restoreAllMocks());

  beforeEach(() => {
    repository = new FakePatientsRepository();
    billing = new FakeBillingClient();
    events = repository;
    cache = new FakePatientCache();
    service = new PatientsService(
      repository as unknown as PatientsRepository,
      billing as unknown as BillingClient,
      cache as unknown as PatientCache,
    );
  });

  describe('create', () => {
    it('saves, opens a billing account for the patient and publishes PATIENT_CREATED keyed by its id', async () => {
      const patient = await service.create(details, 'req-1');

      expect(repository.rows.get(patient.id)).toMatchObject(details);
      expect(billing.calls).toEqual([
        { request: { patientId: patient.id, name: 'John Doe', email: 'john.doe@example.com' }, requestId: 'req-1' },
      ]);
      expect(events.published).toEqual([
        { eventType: 'PATIENT_CREATED', patient: { id: patient.id, name: 'John Doe', email: 'john.doe@example.com' }, requestId: 'req-1' },
      ]);
    });

    it('records the billing-account request in the registration itself, held for gRPC to confirm', async () => {
      const patient = await service.create(details, 'req-h');
      const again = await service.createOnce({ ...details, email: 'once@example.com', dateOfBirth: '1990-01-01' }, 'req-h2', { actorId: 'u', key: 'k' });
      await service.createIfAbsent('00000000-0000-0000-0000-00000000abcd', { ...details, email: 'demo@example.com', dateOfBirth: '1991-01-01' }, 'req-h3');
      expect(repository.accountRequests).toEqual([
        { patientId: patient.id, holdMs: 10_000 },
        { patientId: again.id, holdMs: 10_000 },
        { patientId: '00000000-0000-0000-0000-00000000abcd', holdMs: 10_000 },
      ]);
    });

    it('still creates and publishes when billing fails, logging the patient id only', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      billing.failWith = Object.assign(new Error('14 UNAVAILABLE: John Doe'), { code: 14 });

      const patient = await service.create(details, 'req-2');

      expect(repository.rows.has(patient.id)).toBe(true);
      expect(billing.calls).toHaveLength(1);
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_CREATED']);
      expect(warn).toHaveBeenCalledWith({ patientId: patient.id, grpcCode: 14 }, 'Billing account could not be opened');
      expect(JSON.stringify(warn.mock.calls)).not.toMatch(/John|example\.com/);
    });

    it('neither bills nor publishes when the email is taken', async () => {
      await service.create(details, 'req-3');
      await expect(service.create({ ...details, name: 'Jane Roe', email: 'JOHN.DOE@example.com' }, 'req-4')).rejects.toBeInstanceOf(
        PatientEmailTakenError,
      );
      expect(billing.calls).toHaveLength(1);
      expect(events.published).toHaveLength(1);
    });

    it('refuses a likely duplicate (same birth date, similar name) naming the candidates, unless confirmed', async () => {
      const first = await service.create(details, 'req-d1');
      const lookalike = { ...details, name: 'JOHN DOE', email: 'other.john@example.com' };

      await expect(service.create(lookalike, 'req-d2')).rejects.toEqual(new PatientLikelyDuplicateError([first.id]));
      expect(repository.rows.size).toBe(1);
      expect(billing.calls).toHaveLength(1);

      const confirmed = await service.create(lookalike, 'req-d3', true);
      expect(repository.rows.has(confirmed.id)).toBe(true);
      expect(billing.calls).toHaveLength(2);
    });

    it('creates a patient with the same name but another birth date', async () => {
      await service.create(details, 'req-d4');
      await expect(service.create({ ...details, email: 'twin@example.com', dateOfBirth: '1985-06-16' }, 'req-d5')).resolves.toBeDefined();
    });
  });

  describe('createOnce', () => {
    const key = { actorId: 'user-1', key: 'k-1' };

    it('answers a retry with the first patient, billing and announcing it once', async () => {
      const first = await service.createOnce(details, 'req-a', key);
      const retried = await service.createOnce(details, 'req-b', key);

      expect(retried.id).toBe(first.id);
      expect(repository.rows.size).toBe(1);
      expect(billing.calls).toHaveLength(1);
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_CREATED']);
    });

    it('refuses the same key with other details, and keys are per caller', async () => {
      await service.createOnce(details, 'r', key);
      await expect(service.createOnce({ ...details, address: 'Elsewhere' }, 'r', key)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);

      const other = await service.createOnce({ ...details, name: 'Other Person', email: 'other@example.com' }, 'r', { ...key, actorId: 'user-2' });
      expect(repository.rows.size).toBe(2);
      expect(other.email).toBe('other@example.com');
    });
  });

  describe('createIfAbsent', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';

    it('adds and announces a patient with its fixed id once only', async () => {
      expect(await service.createIfAbsent(id, details, 'seed')).toBe(true);
      expect(await service.createIfAbsent(id, details, 'seed')).toBe(false);

      expect(repository.rows.get(id)).toMatchObject(details);
      expect(billing.calls.map((c) => c.request.patientId)).toEqual([id]);
      expect(events.published.map((e) => [e.eventType, e.patient.id])).toEqual([['PATIENT_CREATED', id]]);
    });
  });

  describe('get', () => {
    it('finds a patient and reports an unknown id as not found', async () => {
      const patient = await service.create(details, 'r');
      await expect(service.get(patient.id)).resolves.toBe(patient);
      await expect(service.get('00000000-0000-0000-0000-00000000ffff')).rejects.toBeInstanceOf(PatientNotFoundError);
    });

    it('serves a warm read from the cache without the repository', async () => {
      const patient = await service.create(details, 'r');
      await service.get(patient.id);
      const findById = jest.spyOn(repository, 'findById');

      await expect(service.get(patient.id)).resolves.toMatchObject({ id: patient.id, version: 1 });
      expect(findById).not.toHaveBeenCalled();
    });

    it('sees every write at once: update, delete and restore replace the cached entry', async () => {
      const patient = await service.create(details, 'r');
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

  describe('update', () => {
    it('saves the changes, keeps an omitted registeredDate and publishes PATIENT_UPDATED with the new details', async () => {
      const patient = await service.create(details, 'r');
      const { registeredDate: _, ...changes } = { ...details, name: 'John Q. Doe', email: 'jq@example.com' };

      const updated = await service.update(patient.id, changes, 'req-5');

      expect(updated).toMatchObject({ name: 'John Q. Doe', email: 'jq@example.com', registeredDate: '2024-01-10', version: 2 });
      expect(events.published.at(-1)).toEqual({
        eventType: 'PATIENT_UPDATED',
        patient: { id: patient.id, name: 'John Q. Doe', email: 'jq@example.com' },
        requestId: 'req-5',
      });
      expect(billing.calls).toHaveLength(1);
    });

    it('applies only at an accepted version (If-Match), publishing nothing when stale', async () => {
      const patient = await service.create(details, 'r');
      await expect(service.update(patient.id, { ...details, name: 'Stale' }, 'r', [2])).rejects.toBeInstanceOf(PatientVersionMismatchError);
      expect(repository.rows.get(patient.id)?.name).toBe('John Doe');
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_CREATED']);

      await expect(service.update(patient.id, { ...details, name: 'Fresh' }, 'r', [1])).resolves.toMatchObject({ name: 'Fresh', version: 2 });
    });

    it('reports an unknown patient as not found and publishes nothing', async () => {
      await expect(service.update('00000000-0000-0000-0000-00000000ffff', details, 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
      expect(events.published).toEqual([]);
    });
  });

  describe('restore', () => {
    it('brings a deleted patient back and announces it as PATIENT_CREATED', async () => {
      const patient = await service.create(details, 'r');
      await service.delete(patient.id, 'r');

      await expect(service.restore(patient.id, 'req-7')).resolves.toMatchObject({ id: patient.id, name: 'John Doe' });
      expect(repository.rows.has(patient.id)).toBe(true);
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_CREATED', 'PATIENT_DELETED', 'PATIENT_CREATED']);
      expect(events.published.at(-1)?.requestId).toBe('req-7');
      expect(billing.calls).toHaveLength(1);
    });

    it('answers a live patient as it is without an event, and an unknown one as not found', async () => {
      const patient = await service.create(details, 'r');
      await expect(service.restore(patient.id, 'r')).resolves.toMatchObject({ id: patient.id });
      expect(events.published).toHaveLength(1);
      await expect(service.restore('00000000-0000-0000-0000-00000000ffff', 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
    });

    it('refuses a restore whose email another patient has taken meanwhile', async () => {
      const patient = await service.create(details, 'r');
      await service.delete(patient.id, 'r');
      await service.create({ ...details, name: 'Someone else' }, 'r');

      await expect(service.restore(patient.id, 'r')).rejects.toBeInstanceOf(PatientEmailTakenError);
      expect(repository.rows.has(patient.id)).toBe(false);
    });
  });

  describe('delete', () => {
    it('removes the patient and publishes PATIENT_DELETED with its last name and email', async () => {
      const patient = await service.create(details, 'r');

      await service.delete(patient.id, 'req-6');

      expect(repository.rows.has(patient.id)).toBe(false);
      expect(events.published.at(-1)).toEqual({
        eventType: 'PATIENT_DELETED',
        patient: { id: patient.id, name: 'John Doe', email: 'john.doe@example.com' },
        requestId: 'req-6',
      });
    });

    it('reports an unknown patient as not found and publishes nothing', async () => {
      await expect(service.delete('00000000-0000-0000-0000-00000000ffff', 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
      expect(events.published).toEqual([]);
    });
  });
});
