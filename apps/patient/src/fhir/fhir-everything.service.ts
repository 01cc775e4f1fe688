import { Injectable } from '@nestjs/common';
import type { Resource } from '@medplum/fhirtypes';
import { ClinicalService } from '../clinical/clinical.service';
import type { ClinicalEntry } from '../clinical/clinical-entry';
import { RecordsService } from '../patients/records/records.service';
import type { RecordCaller } from '../record-access/record-access';
import { AppointmentsClient } from './appointments.client';
import { FHIR_CLINICAL_MAPPINGS } from './fhir-clinical.mapping';
import { toFhirPatient } from './fhir-patient.mapping';
import { MAX_FHIR_COUNT } from './fhir-search';

/**
 * `Patient/{id}/$everything`: the patient, every live entry of each clinical resource (what the
 * REST lists show: entries marked entered-in-error are left out), and the patient's Appointments
 * from the appointment service, asked with the caller's token. Entries are read through
 * ClinicalService, page by page, so its rules apply to them as to every other read.
 */
@Injectable()
export class FhirEverythingService {
  constructor(
    private readonly records: RecordsService,
    private readonly clinical: ClinicalService,
    private readonly appointments: AppointmentsClient,
  ) {}

  async everything(patientId: string, caller: RecordCaller & { authorization: string; requestId: string }): Promise<Resource[]> {
    const patient = await this.records.get(patientId);
    const clinical: Resource[] = [];
    for (const mapping of Object.values(FHIR_CLINICAL_MAPPINGS)) {
      const entries = await this.allEntries(patientId, mapping.kind, caller);
      clinical.push(...entries.map(mapping.toFhir));
    }
    const appointments = await this.appointments.ofPatient(patientId, caller);
    return [toFhirPatient(patient), ...clinical, ...appointments];
  }

  private async allEntries(patientId: string, kind: ClinicalEntry['kind'], caller: RecordCaller): Promise<ClinicalEntry[]> {
    const entries: ClinicalEntry[] = [];
    for (let page = 1; ; page++) {
      const { items, total } = await this.clinical.list(patientId, kind, { page, size: MAX_FHIR_COUNT }, caller);
      entries.push(...items);
      if (items.length === 0 || entries.length >= total) return entries;
    }
  }
}
