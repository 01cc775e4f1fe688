import type { PatientEvent, PatientEventType } from '@pm/contracts';
import type { Transaction, Transactions } from '@pm/platform';
import { typedFake } from '@pm/testing';
import type { EventPosition } from '../events/event-position';
import { UnusableEventError } from '../events/unusable-event.error';
import { AnalyticsUpdates } from '../stream/analytics-updates';
import { InMemoryStatsTables } from '../testing/analytics-fakes';
import { PatientRegistryEntry } from './patient-registry-entry.entity';
import {
  PatientCountKind,
  PatientStatsRepository,
  PatientSummary,
} from './patient-stats.repository';
import { PatientStatsService } from './patient-stats.service';

interface FakeState {
  processed: Set<string>;
  daily: Map<string, Record<PatientCountKind, number>>;
  registry: Map<string, PatientRegistryEntry>;
}

const copyState = (s: FakeState): FakeState => ({
  processed: new Set(s.processed),
  daily: new Map([...s.daily].map(([day, counts]) => [day, { ...counts }])),
  registry: new Map([...s.registry].map(([id, entry]) => [id, Object.assign(new PatientRegistryEntry(), entry)])),
});

/** In memory (InMemoryStatsTables). */
class FakePatientStatsRepository
  extends InMemoryStatsTables<FakeState>
  implements Pick<PatientStatsRepository, 'recordProcessed' | 'incrementDailyCount' | 'findRegistryEntry' | 'saveRegistryEntry' | 'readSummary'>
{
  constructor() {
    super({ processed: new Set(), daily: new Map(), registry: new Map() }, copyState);
  }

  async incrementDailyCount(day: string, kind: PatientCountKind, tx: Transaction): Promise<void> {
    const draft = this.draft(tx);
    const counts = draft.daily.get(day) ?? { created: 0, updated: 0, deleted: 0 };
    counts[kind] += 1;
    draft.daily.set(day, counts);
  }

  async findRegistryEntry(patientId: string, tx: Transaction): Promise<PatientRegistryEntry | null> {
    return this.draft(tx).registry.get(patientId) ?? null;
  }

  async saveRegistryEntry(entry: PatientRegistryEntry, tx: Transaction): Promise<void> {
    this.draft(tx).registry.set(entry.patientId, entry);
  }

  async readSummary(day: string): Promise<PatientSummary> {
    const today = this.state.daily.get(day) ?? { created: 0, updated: 0, deleted: 0 };
    return {
      total: [...this.state.registry.values()].filter((entry) => !entry.deleted).length,
      createdToday: today.created,
      updatedToday: today.updated,
      deletedToday: today.deleted,
    };
  }
}

const NOW = new Date('2024-03-02T12:00:00.000Z');
const PATIENT_A = '11111111-1111-4111-8111-111111111111';
const PATIENT_B = '22222222-2222-4222-8222-222222222222';

let nextEventNumber = 0;
const event = (eventType: PatientEventType, patientId: string, overrides: Partial<PatientEvent> = {}): PatientEvent => ({
  patientId,
  name: 'Jane Roe',
  email: 'jane@example.com',
  event_type: eventType,
  event_id: `event-${++nextEventNumber}`,
  occurred_at: NOW.getTime(),
  ...overrides,
});

let nextOffset = 0;
const at = (overrides: Partial<EventPosition> = {}): EventPosition => ({
  topic: 'patient',
  partition: 0,
  offset: String(++nextOffset),
  timestamp: String(NOW.getTime()),
  ...overrides,
});

describe('PatientStatsService', () => {
  let repository: FakePatientStatsRepository;
  let service: PatientStatsService;

  beforeEach(() => {
    repository = new FakePatientStatsRepository();
    service = new PatientStatsService(typedFake<PatientStatsRepository>(repository), typedFake<Transactions>(repository.transactions), new AnalyticsUpdates());
  });

  it('counts a created patient in the total and in today', async () => {
    await expect(service.apply(event('PATIENT_CREATED', PATIENT_A), at())).resolves.toBe('applied');
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 1, updatedToday: 0, deletedToday: 0 });
  });

  it('changes nothing when the same event is delivered again, wherever it sits in Kafka', async () => {
    const created = event('PATIENT_CREATED', PATIENT_A);
    await service.apply(created, at({ partition: 1, offset: '7' }));
    const before = copyState(repository.state);

    await expect(service.apply(created, at({ partition: 1, offset: '7' }))).resolves.toBe('duplicate');
    await expect(service.apply(created, at({ partition: 2, offset: '99' }))).resolves.toBe('duplicate');

    expect(repository.state).toEqual(before);
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 1, updatedToday: 0, deletedToday: 0 });
  });

  it('deduplicates an event without event_id on patient:<partition>:<offset>', async () => {
    const legacy = event('PATIENT_CREATED', PATIENT_A, { event_id: '', occurred_at: 0 });
    await expect(service.apply(legacy, at({ partition: 2, offset: '41' }))).resolves.toBe('applied');
    expect([...repository.state.processed.keys()]).toEqual(['patient:2:41']);

    await expect(service.apply(legacy, at({ partition: 2, offset: '41' }))).resolves.toBe('duplicate');
    // Same content at another place is another event (an older producer re-sent it).
    await expect(service.apply(legacy, at({ partition: 2, offset: '42' }))).resolves.toBe('applied');
    await expect(service.summary(NOW)).resolves.toMatchObject({ total: 1, createdToday: 2 });
  });

  it('buckets events by the UTC day of occurred_at', async () => {
    const lastMsOfMarch1 = Date.parse('2024-03-01T23:59:59.999Z');
    await service.apply(event('PATIENT_CREATED', PATIENT_A, { occurred_at: lastMsOfMarch1 }), at());
    await service.apply(event('PATIENT_UPDATED', PATIENT_A, { occurred_at: lastMsOfMarch1 + 1 }), at());

    expect(repository.state.daily.get('2024-03-01')).toEqual({ created: 1, updated: 0, deleted: 0 });
    expect(repository.state.daily.get('2024-03-02')).toEqual({ created: 0, updated: 1, deleted: 0 });
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 0, updatedToday: 1, deletedToday: 0 });
  });

  it('uses the Kafka timestamp when occurred_at is missing', async () => {
    const kafkaTime = String(Date.parse('2023-12-31T22:00:00Z'));
    await service.apply(event('PATIENT_CREATED', PATIENT_A, { occurred_at: 0 }), at({ timestamp: kafkaTime }));
    expect([...repository.state.daily.keys()]).toEqual(['2023-12-31']);
    expect(repository.state.registry.get(PATIENT_A)?.lastEventAt).toEqual(new Date(Number(kafkaTime)));
  });

  it('lowers the total on delete, and a second delete of the same patient lowers it no further', async () => {
    await service.apply(event('PATIENT_CREATED', PATIENT_A), at());
    await service.apply(event('PATIENT_CREATED', PATIENT_B), at());
    await service.apply(event('PATIENT_DELETED', PATIENT_A), at());
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 2, updatedToday: 0, deletedToday: 1 });

    await service.apply(event('PATIENT_DELETED', PATIENT_A), at());
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 2, updatedToday: 0, deletedToday: 2 });
  });

  it('registers an updated patient it never saw created, but does not bring back a deleted one', async () => {
    await service.apply(event('PATIENT_UPDATED', PATIENT_A), at());
    await expect(service.summary(NOW)).resolves.toMatchObject({ total: 1, updatedToday: 1 });

    await service.apply(event('PATIENT_DELETED', PATIENT_A), at());
    await service.apply(event('PATIENT_UPDATED', PATIENT_A), at());
    await expect(service.summary(NOW)).resolves.toEqual({ total: 0, createdToday: 0, updatedToday: 2, deletedToday: 1 });
  });

  it('counts a patient created again after a delete', async () => {
    await service.apply(event('PATIENT_CREATED', PATIENT_A), at());
    await service.apply(event('PATIENT_DELETED', PATIENT_A), at());
    await service.apply(event('PATIENT_CREATED', PATIENT_A), at());
    await expect(service.summary(NOW)).resolves.toEqual({ total: 1, createdToday: 2, updatedToday: 0, deletedToday: 1 });
  });

  it('keys the registry on the lower-case patient id and keeps the latest event time', async () => {
    const later = NOW.getTime() + 60_000;
    await service.apply(event('PATIENT_CREATED', PATIENT_A.toUpperCase(), { occurred_at: later }), at());
    await service.apply(event('PATIENT_UPDATED', PATIENT_A, { occurred_at: NOW.getTime() }), at());
    expect([...repository.state.registry.keys()]).toEqual([PATIENT_A]);
    expect(repository.state.registry.get(PATIENT_A)?.lastEventAt).toEqual(new Date(later));
  });

  it.each(['not-a-uuid', '1234'])('refuses patientId %p without recording anything', async (patientId) => {
    await expect(service.apply(event('PATIENT_CREATED', patientId), at())).rejects.toThrow(UnusableEventError);
    expect(repository.state.processed.size).toBe(0);
    expect(repository.state.daily.size).toBe(0);
  });
});
