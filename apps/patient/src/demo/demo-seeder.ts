import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import { randomUUID } from 'node:crypto';
import type { PatientConfig } from '../config/patient.config';
import { RegistrationService } from '../patients/registration/registration.service';
import { ClinicalService } from '../clinical/clinical.service';
import { CLINICAL_MAPPINGS } from '../clinical/clinical-mappings';
import { demoClinicalHistory } from './demo-clinical-history';
import { DemoPatient, loadDemoPatients } from './demo-patients';

/** Who recorded the demo histories (a user id of its own: no real user wrote them). */
export const DEMO_RECORDER = 'demo-seed';

/**
 * With DEMO_SEED=true, adds the contract's demo patients at start-up unless they exist (each with
 * a plausible clinical history), and
 * announces each new one like any created patient so billing, analytics and appointments know
 * them. Restarts add nothing. Billing and Kafka calls are bounded, so start-up never hangs on them.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoSeeder.name);

  constructor(
    private readonly patients: RegistrationService,
    private readonly clinical: ClinicalService,
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
    const added = demoPatients.filter((_, index) => results[index].status === 'fulfilled' && (results[index] as PromiseFulfilledResult<boolean>).value);
    // A history only for the patients added now: a restart finds theirs already there.
    for (const patient of added) await this.seedHistory(patient.id, demoPatients.indexOf(patient));
    this.logger.log({ added: added.length, total: demoPatients.length }, 'Demo patients seeded');
    return added.length;
  }

  /** The demo patient's clinical history, as a clinician would record it; a failure is logged and the rest skipped. */
  private async seedHistory(patientId: string, index: number): Promise<void> {
    try {
      for (const { kind, body } of demoClinicalHistory(index)) {
        await this.clinical.record(patientId, kind, CLINICAL_MAPPINGS[kind].toFields(body), { userId: DEMO_RECORDER, role: 'DOCTOR' });
      }
    } catch (error) {
      this.logger.error({ patientId, reason: (error as Error).message }, 'Demo clinical history not complete');
    }
  }
}
