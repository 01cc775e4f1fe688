import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { safeErrorSummary } from '@pm/platform';
import { DataSource } from 'typeorm';
import { FieldCipher } from './field-cipher';
import { reencryptPatients } from './reencrypt-patients';

/**
 * At start-up, seals rows still in plaintext (written before encryption) or under an old key, in
 * the background so start-up does not wait on a large table. Stops cleanly on shutdown; the
 * next start (or `patients:reencrypt`) carries on.
 */
@Injectable()
export class PatientFieldsReencryption implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PatientFieldsReencryption.name);
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  onApplicationBootstrap(): void {
    this.running = reencryptPatients(this.dataSource, this.cipher, { shouldStop: () => this.stopping })
      .then(({ rewritten }) => {
        if (rewritten > 0) this.logger.log({ rewritten, keyId: this.cipher.currentKeyId }, 'Patient fields re-encrypted');
      })
      .catch((error: unknown) => {
        if (!this.stopping) this.logger.error({ error: safeErrorSummary(error) }, 'Patient fields re-encryption failed');
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.running;
  }
}
