import { Logger } from '@nestjs/common';
import type { BillingRequest } from '@pm/contracts';
import type { Transactions } from '@pm/platform';
import type { BillingClient, BillingOutcome } from '../../billing/billing.client';
import { FakeEventsPublisher, FakeTransactions, JOHN_DOE, Rollbackable } from '../../testing/patient-fakes';
import { typedFake } from '@pm/testing';
import { Patient, PatientDetails } from '../shared/patient.entity';
import { IdempotencyKeyReusedError, PatientEmailTakenError, PatientLikelyDuplicateError, PatientNotFoundError } from '../shared/patient.errors';
import type { PatientEventsPublisher } from '../shared/patient-events.publisher';
import type { IdempotentCreate, RegistrationRepository } from './registration.repository';
import { RegistrationService } from './registration.service';

/** Keeps rows and idempotency keys in memory. */
class FakeRegistrationRepository
  implements Pick<RegistrationRepository, 'claimIdempotencyKey' | 'findLive' | 'likelyDuplicatesOf' | 'insert' | 'insertIfAbsent'>, Rollbackable
{
  rows = new Map<string, Patient>();
  keys = new Map<string, { fingerprint: string; patientId: string }>();

  snapshot(): () => void {
    const rows = new Map(this.rows);
    const keys = new Map(this.keys);
    return () => {
      this.rows = rows;
      this.keys = keys;
    };
  }

  async claimIdempotencyKey(create: IdempotentCreate, patientId: string): Promise<{ fingerprint: string; patientId: string } | null> {
    const first = this.keys.get(`${create.actorId}/${create.key}`);
    if (first) return first;
    this.keys.set(`${create.actorId}/${create.key}`, { fingerprint: create.fingerprint, patientId });
    return null;
  }

  async findLive(id: string): Promise<Patient | null> {
    return this.rows.get(id) ?? null;
  }

  /** Stands in for the trigram match: same birth date and the same name in any case. */
  async likelyDuplicatesOf(details: Pick<PatientDetails, 'name' | 'dateOfBirth'>): Promise<string[]> {
    return [...this.rows.values()]
      .filter((row) => row.dateOfBirth === details.dateOfBirth && row.name.toLowerCase() === details.name.toLowerCase())
      .map((row) => row.id);
  }

  async insert(id: string, details: PatientDetails): Promise<Patient> {
    for (const row of this.rows.values()) {
      if (row.email.toLowerCase() === details.email.toLowerCase()) throw new PatientEmailTakenError();
    }
    const patient = Object.assign(new Patient(), details, { id, version: 1, createdAt: new Date(), updatedAt: new Date() });
    this.rows.set(id, patient);
    return patient;
  }

  async insertIfAbsent(id: string, details: PatientDetails): Promise<Patient | null> {
    return this.rows.has(id) ? null : this.insert(id, details);
  }
}

class FakeBillingClient implements Pick<BillingClient, 'openAccount'> {
  readonly calls: { request: BillingRequest; requestId: string }[] = [];
  failWith?: Error;
  unreachable = false;

  async openAccount(request: BillingRequest, requestId: string): Promise<BillingOutcome> {
    this.calls.push({ request, requestId });
    if (this.failWith) throw this.failWith;
    if (this.unreachable) return { opened: false };
    return { opened: true, account: { accountId: `account-${request.patientId}`, status: 'ACTIVE' } };
  }
}

const details = { ...JOHN_DOE };

describe('RegistrationService', () => {
  let repository: FakeRegistrationRepository;
  let billing: FakeBillingClient;
  let events: FakeEventsPublisher;
  let service: RegistrationService;

  afterEach(() => jest.restoreAllMocks());

  beforeEach(() => {
    repository = new FakeRegistrationRepository();
    billing = new FakeBillingClient();
    events = new FakeEventsPublisher();
    service = new RegistrationService(
      typedFake<RegistrationRepository>(repository),
      typedFake<PatientEventsPublisher>(events),
      typedFake<Transactions>(new FakeTransactions(repository, events)),
      typedFake<BillingClient>(billing),
      { BILLING_ACCOUNT_QUEUE_AFTER_MS: 10_000 },
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
      expect(events.accountRequests).toEqual([
        { patientId: patient.id, holdMs: 10_000 },
        { patientId: again.id, holdMs: 10_000 },
        { patientId: '00000000-0000-0000-0000-00000000abcd', holdMs: 10_000 },
      ]);
    });

    it('withdraws the recorded request once billing confirms the account, and leaves it queued otherwise', async () => {
      const confirmed = await service.create(details, 'req-w1');
      expect(events.withdrawn).toEqual([{ topic: 'billing-account', key: confirmed.id }]);

      billing.unreachable = true;
      await service.create({ ...details, email: 'queued@example.com', dateOfBirth: '1990-02-02' }, 'req-w2');
      expect(events.withdrawn).toHaveLength(1);
    });

    it('still creates and publishes when billing fails, logging the patient id only', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      billing.failWith = Object.assign(new Error('14 UNAVAILABLE: John Doe'), { code: 14 });

      const patient = await service.create(details, 'req-2');

      expect(repository.rows.has(patient.id)).toBe(true);
      expect(billing.calls).toHaveLength(1);
      expect(events.published.map((e) => e.eventType)).toEqual(['PATIENT_CREATED']);
      expect(events.withdrawn).toEqual([]);
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
      expect(events.accountRequests).toHaveLength(1);
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

    it('answers a retry whose first patient has since been deleted with PatientNotFoundError, creating none', async () => {
      const first = await service.createOnce(details, 'req-a', key);
      repository.rows.delete(first.id);

      await expect(service.createOnce(details, 'req-b', key)).rejects.toEqual(new PatientNotFoundError(first.id));
      expect(repository.rows.size).toBe(0);
      expect(billing.calls).toHaveLength(1);
    });

    it('frees the key of a refused create, so the confirmed retry with it registers', async () => {
      const first = await service.create(details, 'r');
      const lookalike = { ...details, email: 'lookalike@example.com' };

      await expect(service.createOnce(lookalike, 'r', key)).rejects.toBeInstanceOf(PatientLikelyDuplicateError);
      expect(repository.keys.size).toBe(0);

      const confirmed = await service.createOnce(lookalike, 'r', key, true);
      expect(confirmed.id).not.toBe(first.id);
      expect(repository.rows.size).toBe(2);
    });
  });

  describe('register', () => {
    it('makes a create with an Idempotency-Key replayable by the same caller, and one without a plain create', async () => {
      const keyed = { details, idempotencyKey: 'k-2', confirmDuplicate: false };
      const first = await service.register(keyed, { actorId: 'user-1', requestId: 'r1' });
      await expect(service.register(keyed, { actorId: 'user-1', requestId: 'r2' })).resolves.toMatchObject({ id: first.id });
      expect(repository.keys.get('user-1/k-2')).toMatchObject({ patientId: first.id });

      const plain = { details: { ...details, email: 'plain@example.com' }, confirmDuplicate: true };
      const second = await service.register(plain, { actorId: 'user-1', requestId: 'r3' });
      expect(second.id).not.toBe(first.id);
      expect(repository.keys.size).toBe(1);
      expect(billing.calls.map((call) => call.requestId)).toEqual(['r1', 'r3']);
    });

    it('refuses a likely duplicate unless the request confirms it', async () => {
      await service.register({ details, confirmDuplicate: false }, { actorId: 'u', requestId: 'r' });
      const lookalike = { ...details, email: 'lookalike@example.com' };
      await expect(service.register({ details: lookalike, confirmDuplicate: false }, { actorId: 'u', requestId: 'r' })).rejects.toBeInstanceOf(
        PatientLikelyDuplicateError,
      );
      await expect(service.register({ details: lookalike, confirmDuplicate: true }, { actorId: 'u', requestId: 'r' })).resolves.toBeDefined();
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
});
