import { Logger } from '@nestjs/common';
import { NewAuditEntry } from './audit-entry.entity';
import { AuditRepository } from './audit.repository';
import { AuditUnavailableError } from './audit.errors';
import { AuditTrail, MAX_BATCH_SIZE, RETRY_AFTER_MS } from './audit-trail';
import { typedFake } from '@pm/testing';

/** A repository whose writes finish when the test says so (or fail when told to). */
class FakeAuditRepository implements Pick<AuditRepository, 'insertMany'> {
  readonly batches: NewAuditEntry[][] = [];
  failNext = 0;
  private release?: () => void;
  hold = false;

  async insertMany(entries: NewAuditEntry[]): Promise<void> {
    if (this.hold) await new Promise<void>((resolve) => (this.release = resolve));
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database away');
    }
    this.batches.push([...entries]);
  }

  finishWrite(): void {
    this.hold = false;
    this.release?.();
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

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AuditTrail (group commit)', () => {
  let repository: FakeAuditRepository;
  let trail: AuditTrail;

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    repository = new FakeAuditRepository();
    trail = new AuditTrail(typedFake<AuditRepository>(repository));
  });

  afterEach(() => jest.restoreAllMocks());

  it('resolves a record only once its entry is written', async () => {
    repository.hold = true;
    let done = false;
    const recorded = trail.record(entry('a')).then(() => (done = true));
    await tick();
    await tick();
    expect(done).toBe(false);
    expect(repository.written).toEqual([]);

    repository.finishWrite();
    await recorded;
    expect(repository.written).toEqual(['a']);
  });

  it('writes the entries recorded while a write is in flight together, in one next INSERT', async () => {
    repository.hold = true;
    const first = trail.record(entry('first'));
    await tick();
    const others = Array.from({ length: 20 }, (_, i) => trail.record(entry(`e${i}`)));
    await tick();
    repository.finishWrite();
    await Promise.all([first, ...others]);
    expect(repository.batches.map((batch) => batch.length)).toEqual([1, 20]);
  });

  it('splits a backlog into INSERTs of at most MAX_BATCH_SIZE', async () => {
    await Promise.all(Array.from({ length: MAX_BATCH_SIZE + 3 }, (_, i) => trail.record(entry(`e${i}`))));
    expect(repository.batches.map((batch) => batch.length)).toEqual([MAX_BATCH_SIZE, 3]);
  });

  it('rejects the requests whose write the database refused, and writes their entries on a retry', async () => {
    repository.failNext = 1;
    await expect(trail.record(entry('refused'))).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(trail.pending).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_MS + 100));
    expect(repository.written).toEqual(['refused']);
    await expect(trail.record(entry('later'))).resolves.toBeUndefined();
    expect(repository.written).toEqual(['refused', 'later']);
  });

  it('writes everything queued before shutdown, retrying a refusal', async () => {
    repository.failNext = 1;
    const recorded = Array.from({ length: 7 }, (_, i) => trail.record(entry(`e${i}`)).catch(() => 'refused'));
    await trail.beforeApplicationShutdown();
    expect(new Set(repository.written).size).toBe(7);
    expect(trail.pending).toBe(0);
    expect(await Promise.all(recorded)).toEqual(Array(7).fill('refused'));
  });

  it('answers a flush during a write with the write in flight, not a second INSERT', async () => {
    repository.hold = true;
    const recorded = trail.record(entry('a'));
    await tick();
    const flushed = trail.flush();
    repository.finishWrite();
    await Promise.all([recorded, flushed]);
    expect(repository.batches).toHaveLength(1);
  });

  it('drops the oldest waiting entries, refusing their requests, once far more wait than any real backlog', async () => {
    repository.hold = true;
    const inFlight = trail.record(entry('in-flight'));
    await tick();
    const oldest = trail.record(entry('oldest')).catch((error: unknown) => error);
    const others = Array.from({ length: 100_000 }, (_, i) => trail.record(entry(`e${i}`)));
    expect(await oldest).toBeInstanceOf(AuditUnavailableError);
    expect(trail.pending).toBe(100_000);
    expect(Logger.prototype.error).toHaveBeenCalledWith({ dropped: 1 }, 'Audit queue overflowed; oldest entries dropped');
    repository.finishWrite();
    await Promise.all([inFlight, ...others]);
    expect(repository.written).not.toContain('oldest');
  });

  it('says how many entries were lost when the database refused every write before shutdown', async () => {
    repository.failNext = 10;
    const recorded = [trail.record(entry('a')).catch(() => 'refused'), trail.record(entry('b')).catch(() => 'refused')];
    await trail.beforeApplicationShutdown();
    await trail.onApplicationShutdown();
    expect(await Promise.all(recorded)).toEqual(['refused', 'refused']);
    expect(repository.written).toEqual([]);
    expect(Logger.prototype.error).toHaveBeenCalledWith({ lost: 2 }, 'Audit entries could not be written before shutdown');
  });
});
