import { Logger } from '@nestjs/common';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';
import { AuditTrail, FLUSH_BATCH_SIZE, FLUSH_INTERVAL_MS } from './audit-trail';

class FakeAuditRepository implements Pick<AuditRepository, 'insertMany'> {
  readonly batches: NewAuditEntry[][] = [];
  failNext = 0;

  async insertMany(entries: NewAuditEntry[]): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database away');
    }
    this.batches.push([...entries]);
  }

  get written(): string[] {
    return this.batches.flat().map((entry) => entry.requestId!);
  }
}

const entry = (requestId: string): NewAuditEntry => ({
  at: new Date(),
  actorId: 'u',
  actorRole: 'ADMIN',
  action: 'READ',
  patientIds: [],
  requestId,
  sourceIp: null,
  outcome: 'ALLOWED',
});

describe('AuditTrail', () => {
  let repository: FakeAuditRepository;
  let trail: AuditTrail;

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    repository = new FakeAuditRepository();
    trail = new AuditTrail(repository as unknown as AuditRepository);
  });

  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('writes nothing while recording, then one batch after the flush interval', async () => {
    trail.record(entry('a'));
    trail.record(entry('b'));
    expect(repository.batches).toEqual([]);

    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(repository.batches.map((batch) => batch.length)).toEqual([2]);
    expect(trail.pending).toBe(0);
  });

  it('writes at once when a full batch is queued', async () => {
    for (let i = 0; i < FLUSH_BATCH_SIZE; i += 1) trail.record(entry(`e${i}`));
    await jest.advanceTimersByTimeAsync(0);
    expect(repository.written).toHaveLength(FLUSH_BATCH_SIZE);
  });

  it('keeps entries the database refused, in order, and writes them on a retry', async () => {
    repository.failNext = 1;
    trail.record(entry('first'));
    await jest.advanceTimersByTimeAsync(FLUSH_INTERVAL_MS);
    expect(repository.batches).toEqual([]);
    trail.record(entry('second'));

    await jest.advanceTimersByTimeAsync(1000);
    expect(repository.written).toEqual(['first', 'second']);
  });

  it('writes everything queued before shutdown, retrying a refusal', async () => {
    for (let i = 0; i < 3 * FLUSH_BATCH_SIZE + 7; i += 1) trail.record(entry(`e${i}`));
    repository.failNext = 1;
    jest.useRealTimers();

    await trail.beforeApplicationShutdown();
    expect(new Set(repository.written).size).toBe(3 * FLUSH_BATCH_SIZE + 7);
    expect(trail.pending).toBe(0);
  });
});
