import { Logger } from '@nestjs/common';
import type { BillingRequest, BillingResponse, PatientEventType } from '@pm/contracts';
import { BillingClient } from '../billing/billing.client';
import { Patient, PatientDetails, PatientListQuery, PatientPage } from './patient.entity';
import { PatientEmailTakenError, PatientNotFoundError } from './patient.errors';
import { PatientEventsPublisher } from './patient-events.publisher';
import { PatientsRepository } from './patients.repository';
import { PatientChanges, PatientsService } from './patients.service';

class FakePatientsRepository implements Pick<PatientsRepository, 'insert' | 'insertIfAbsent' | 'findById' | 'list' | 'update' | 'delete'> {
  readonly rows = new Map<string, Patient>();
  private nextId = 1;

  async insert(details: PatientDetails): Promise<Patient> {
    return this.store(`00000000-0000-0000-0000-${String(this.nextId++).padStart(12, '0')}`, details);
  }

  async insertIfAbsent(id: string, details: PatientDetails): Promise<Patient | null> {
    return this.rows.has(id) ? null : this.store(id, details);
  }

  async findById(id: string): Promise<Patient | null> {
    return this.rows.get(id) ?? null;
  }

  async list(query: PatientListQuery): Promise<PatientPage> {
    const all = [...this.rows.values()];
    return { patients: all.slice((query.page - 1) * query.size, query.page * query.size), totalElements: all.length };
  }

  async update(id: string, changes: PatientChanges): Promise<Patient | null> {
    const existing = this.rows.get(id);
    if (!existing) return null;
    this.assertEmailFree(changes.email, id);
    const updated = Object.assign(new Patient(), existing, changes, {
      registeredDate: changes.registeredDate ?? existing.registeredDate,
      version: existing.version + 1,
    });
    this.rows.set(id, updated);
    return updated;
  }

  async delete(id: string): Promise<Patient | null> {
    const existing = this.rows.get(id) ?? null;
    this.rows.delete(id);
    return existing;
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

class FakeBillingClient implements Pick<BillingClient, 'openAccount'> {
  readonly calls: { request: BillingRequest; requestId: string }[] = [];
  failWith?: Error;

  async openAccount(request: BillingRequest, requestId: string): Promise<BillingResponse> {
    this.calls.push({ request, requestId });
    if (this.failWith) throw this.failWith;
    return { accountId: `account-${request.patientId}`, status: 'ACTIVE' };
  }
}

interface PublishedEvent {
  eventType: PatientEventType;
  patient: Pick<Patient, 'id' | 'name' | 'email'>;
  requestId: string;
}

class FakePatientEventsPublisher implements Pick<PatientEventsPublisher, 'publish'> {
  readonly published: PublishedEvent[] = [];

  async publish(eventType: PatientEventType, patient: Pick<Patient, 'id' | 'name' | 'email'>, requestId: string): Promise<void> {
    this.published.push({ eventType, patient: { id: patient.id, name: patient.name, email: patient.email }, requestId });
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
  let events: FakePatientEventsPublisher;
  let service: PatientsService;

  afterEach(() => jest.restoreAllMocks());

  beforeEach(() => {
    repository = new FakePatientsRepository();
    billing = new FakeBillingClient();
    events = new FakePatientEventsPublisher();
    service = new PatientsService(
      repository as unknown as PatientsRepository,
      billing as unknown as BillingClient,
      events as unknown as PatientEventsPublisher,
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
      await expect(service.create({ ...details, email: 'JOHN.DOE@example.com' }, 'req-4')).rejects.toBeInstanceOf(PatientEmailTakenError);
      expect(billing.calls).toHaveLength(1);
      expect(events.published).toHaveLength(1);
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

    it('reports an unknown patient as not found and publishes nothing', async () => {
      await expect(service.update('00000000-0000-0000-0000-00000000ffff', details, 'r')).rejects.toBeInstanceOf(PatientNotFoundError);
      expect(events.published).toEqual([]);
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
