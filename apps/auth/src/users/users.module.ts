import { Module } from '@nestjs/common';
import { DemoUsersSeeder } from './demo-users.seeder';
import { PasswordHasher } from './password-hasher';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [UsersRepository, PasswordHasher, UsersService, DemoUsersSeeder],
  exports: [UsersRepository, PasswordHasher],
})
export class UsersModule {}
