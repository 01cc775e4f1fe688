import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { DoctorsController } from './doctors.controller';
import { MeController } from './me.controller';
import { UserManagementService } from './user-management.service';
import { UsersController } from './users.controller';

@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [MeController, UsersController, DoctorsController],
  providers: [UserManagementService],
})
export class UserManagementModule {}
