import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { randomUUID } from 'node:crypto';
import type { PatientConfig } from '../config/patient.config';
import { RegistrationService } from '../patients/registration/registration.service';
import { DemoPatient, loadDemoPatients } from './demo-patients';

/**
 * With DEMO_SEED=true, adds the contract's demo patients at start-up unless they exist, and
 * announces each new one like any created patient so billing, analytics and appointments know
 * them. Restarts add nothing. Billing and Kafka calls are bounded, so start-up never hangs on them.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly patients: RegistrationService,
    @Inject(APP_CONFIG) private readonly config: Pick<PatientConfig, 'DEMO_SEED'>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.DEMO_SEED) return;
    await this.seed(loadDemoPatients());
  }

  /** Resolves with how many patients were added; one that fails is logged and skipped. */
  async seed(demoPatients: DemoPatient[]): Promise<number> {
    const requestId = `demo-seed-${randomUUID()}`;
    const results = await Promise.allSettled(
      demoPatients.map(({ id, ...details }) => this.patients.createIfAbsent(id, details, requestId)),
    );
    results.forEach((result, index) => {
      if (result.status === 'rejected') {
        this.logger.error({ patientId: demoPatients[index].id, reason: (result.reason as Error).message }, 'Demo patient not added');
      }
    });
    const added = results.filter((result) => result.status === 'fulfilled' && result.value).length;
    this.logger.log({ added, total: demoPatients.length }, 'Demo patients seeded');
    return added;
  }
}
