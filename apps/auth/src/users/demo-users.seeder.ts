import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { AuthConfig } from '../config/auth.config';
import { UserToEnsure, UsersService } from './users.service';

const DEMO_PASSWORD = 'password123';

/** The contract's demo accounts: `testuser@test.com` (compat) and one per other role. */
export const DEMO_USERS: readonly UserToEnsure[] = [
  { email: 'testuser@test.com', password: DEMO_PASSWORD, role: 'ADMIN' },
  { email: 'doctor@test.com', password: DEMO_PASSWORD, role: 'DOCTOR' },
  { email: 'nurse@test.com', password: DEMO_PASSWORD, role: 'NURSE' },
  { email: 'billing@test.com', password: DEMO_PASSWORD, role: 'BILLING' },
  { email: 'analyst@test.com', password: DEMO_PASSWORD, role: 'ANALYST' },
];

/** With DEMO_SEED=true, makes sure the demo accounts exist on every start; never touches existing ones. */
@Injectable()
export class DemoUsersSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(DemoUsersSeeder.name);

  constructor(
    private readonly users: UsersService,
    @Inject(APP_CONFIG) private readonly config: AuthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.DEMO_SEED) await this.seed();
  }

  async seed(): Promise<number> {
    let created = 0;
    for (const user of DEMO_USERS) {
      if (await this.users.ensureUser(user)) created++;
    }
    this.logger.log({ created, total: DEMO_USERS.length }, 'Demo users ensured');
    return created;
  }
}
