import { Module } from '@nestjs/common';
import { APP_CONFIG } from '@pm/platform';
import type { AuthConfig } from '../config/auth.config';
import { DemoUsersSeeder } from './demo-users.seeder';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [
    UsersRepository,
    PasswordHasher,
    UsersService,
    DemoUsersSeeder,
    // Made once at start-up: loading zxcvbn's dictionaries is the slow part.
    { provide: PasswordPolicy, inject: [APP_CONFIG], useFactory: (config: AuthConfig) => new PasswordPolicy(config.PASSWORD_MIN_SCORE) },
  ],
  exports: [UsersRepository, PasswordHasher, PasswordPolicy],
})
export class UsersModule {}
