import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, safeErrorSummary } from '@pm/platform';
import Redis from 'ioredis';
import type { PatientConfig } from '../../config/patient.config';
import { FieldCipher } from '../../crypto/field-cipher';
import { Patient } from '../shared/patient.entity';

/**
 * Stored fields of a cached patient (never a role's projection: views are made after reading).
 * Redis holds them as one value encrypted with the field cipher: no name, email, address or
 * birth date in clear.
 */
type CachedPatient = Omit<Patient, 'createdAt' | 'updatedAt' | 'deletedAt'> & { createdAt: string; updatedAt: string };

// Writes only a newer version than the one cached, so a read that fetched an older row before a
// write committed cannot put it back after the write replaced it. An empty body marks a deleted
// patient at that version (a tombstone), for the same reason.
const PUT_IF_NEWER = `
local cached = redis.call('HGET', KEYS[1], 'v')
if cached and tonumber(cached) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'p', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

// v2: the whole record encrypted (v1 entries held name and email in clear and are never read).
const keyOf = (id: string) => `patient:v2:${id}`;

/**
 * The read cache of patients by id, in Redis. Every call is best effort and quick: Redis away
 * means a miss (reads go to the database), never an error or a wait.
 */
@Injectable()
export class PatientCache implements OnApplicationShutdown {
  private readonly logger = new Logger(PatientCache.name);
  private readonly redis: Redis;
  private readonly ttlMs: number;
  private lastWarning = 0;
  /** Entries whose replacement after a write failed: never served from here until it succeeds. */
  private readonly unsynced = new Map<string, { version: number; body: string }>();
  private retryTimer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) config: Pick<PatientConfig, 'REDIS_URL' | 'CACHE_REDIS_URL' | 'PATIENT_CACHE_TTL_SECONDS'>,
    private readonly cipher: FieldCipher,
  ) {
    this.ttlMs = config.PATIENT_CACHE_TTL_SECONDS * 1000;
    this.redis = new Redis(config.CACHE_REDIS_URL ?? config.REDIS_URL, {
      // Commands fail at once while disconnected instead of queueing behind a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 1000,
      commandTimeout: 200,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    this.redis.on('error', (error) => this.warn('Patient cache unavailable; reading from the database', error));
  }

  /** The cached patient; undefined on a miss, a deleted patient, or when Redis cannot answer. */
  async get(id: string): Promise<Patient | undefined> {
    if (this.unsynced.has(id) || this.redis.status !== 'ready') return undefined;
    try {
      const body = await this.redis.hget(keyOf(id), 'p');
      if (!body) return undefined;
      const cached = JSON.parse(this.cipher.decrypt(body)) as CachedPatient;
      return Object.assign(new Patient(), cached, {
        createdAt: new Date(cached.createdAt),
        updatedAt: new Date(cached.updatedAt),
      });
    } catch (error) {
      this.warn('Patient cache read failed', error);
      return undefined;
    }
  }

  /** Caches a patient just read from the database; skipped (not retried) while Redis is away. */
  async remember(patient: Patient): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.eval(PUT_IF_NEWER, 1, keyOf(patient.id), patient.version, this.bodyOf(patient), this.ttlMs);
    } catch (error) {
      this.warn('Patient cache write failed', error);
    }
  }

  /** Replaces the entry after a write, unless a newer version is already cached; retried until it lands. */
  async put(patient: Patient): Promise<void> {
    await this.write(patient.id, patient.version, this.bodyOf(patient));
  }

  private bodyOf(patient: Patient): string {
    const { deletedAt: _, ...stored } = patient;
    return this.cipher.encrypt(JSON.stringify(stored));
  }

  /** Replaces the entry with a tombstone at the deleted record's version. */
  async putDeleted(id: string, version: number): Promise<void> {
    await this.write(id, version, '');
  }

  private async write(id: string, version: number, body: string): Promise<void> {
    try {
      await this.redis.eval(PUT_IF_NEWER, 1, keyOf(id), version, body, this.ttlMs);
      this.unsynced.delete(id);
    } catch (error) {
      // Redis may still hold the old version: bypass it for this id and keep trying to replace it.
      this.warn('Patient cache write failed', error);
      const pending = this.unsynced.get(id);
      if (!pending || pending.version <= version) this.unsynced.set(id, { version, body });
      this.retryTimer ??= setInterval(() => void this.retryUnsynced(), 1000).unref();
    }
  }

  private async retryUnsynced(): Promise<void> {
    for (const [id, { version, body }] of [...this.unsynced]) {
      try {
        await this.redis.eval(PUT_IF_NEWER, 1, keyOf(id), version, body, this.ttlMs);
        if (this.unsynced.get(id)?.version === version) this.unsynced.delete(id);
      } catch {
        return;
      }
    }
    if (this.unsynced.size === 0) {
      clearInterval(this.retryTimer);
      this.retryTimer = undefined;
    }
  }

  /** One warning a minute at most: a Redis outage would otherwise log on every request. */
  private warn(message: string, error: unknown): void {
    if (Date.now() - this.lastWarning < 60_000) return;
    this.lastWarning = Date.now();
    this.logger.warn({ error: safeErrorSummary(error) }, message);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.retryTimer);
    this.redis.disconnect();
  }
}
