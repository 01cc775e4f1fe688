import { Module } from '@nestjs/common';
import { ClinicalModule } from '../clinical/clinical.module';
import { PatientsModule } from '../patients/patients.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [PatientsModule, ClinicalModule], providers: [DemoSeeder] })
export class DemoModule {}
