import { Module } from '@nestjs/common';
import { PatientsModule } from '../patients/patients.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [PatientsModule], providers: [DemoSeeder] })
export class DemoModule {}
