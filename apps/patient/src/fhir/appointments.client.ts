import { Inject, Injectable } from '@nestjs/common';
import type { Appointment, Bundle } from '@medplum/fhirtypes';
import { APP_CONFIG, REQUEST_ID_HEADER } from '@pm/platform';
import { FHIR_BASE, FHIR_JSON } from '@pm/fhir';
import type { PatientConfig } from '../config/patient.config';
import { FhirAppointmentsTimeoutError, FhirAppointmentsUnavailableError } from './fhir.errors';

/** A patient's appointments are never more than this many pages of 100 (a bound, not a limit in practice). */
const MAX_PAGES = 20;

/**
 * The appointment service's FHIR Appointments of a patient (`GET /fhir/R4/Appointment?patient=`),
 * asked with the caller's own token so its rules apply to the caller. Paged through by the `next`
 * links' query, always on APPOINTMENT_SERVICE_URL (a link never sends us elsewhere). Unreachable
 * or failing, it answers 503; slower than APPOINTMENT_SERVICE_DEADLINE_MS, 504.
 */
@Injectable()
export class AppointmentsClient {
  constructor(@Inject(APP_CONFIG) private readonly config: Pick<PatientConfig, 'APPOINTMENT_SERVICE_URL' | 'APPOINTMENT_SERVICE_DEADLINE_MS'>) {}

  async ofPatient(patientId: string, caller: { authorization: string; requestId: string }): Promise<Appointment[]> {
    const base = this.config.APPOINTMENT_SERVICE_URL.replace(/\/+$/, '');
    const deadline = AbortSignal.timeout(this.config.APPOINTMENT_SERVICE_DEADLINE_MS);
    const appointments: Appointment[] = [];
    let query: string | undefined = `?patient=${encodeURIComponent(patientId)}&_count=100`;
    for (let page = 0; query !== undefined && page < MAX_PAGES; page++) {
      const bundle = await this.fetchPage(`${base}${FHIR_BASE}/Appointment${query}`, caller, deadline);
      appointments.push(...(bundle.entry ?? []).map((entry) => entry.resource).filter((resource): resource is Appointment => resource?.resourceType === 'Appointment'));
      const next = bundle.link?.find((link) => link.relation === 'next')?.url;
      query = next ? new URL(next, base).search : undefined;
    }
    return appointments;
  }

  private async fetchPage(url: string, caller: { authorization: string; requestId: string }, signal: AbortSignal): Promise<Bundle> {
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: FHIR_JSON, authorization: caller.authorization, [REQUEST_ID_HEADER]: caller.requestId }, signal });
    } catch (error) {
      if ((error as Error).name === 'TimeoutError') throw new FhirAppointmentsTimeoutError();
      throw new FhirAppointmentsUnavailableError("The appointment service is unreachable; the patient's Appointments could not be included");
    }
    const body = (await response.json().catch(() => undefined)) as Bundle | undefined;
    if (!response.ok || body?.resourceType !== 'Bundle') {
      throw new FhirAppointmentsUnavailableError(`The appointment service could not list the patient's Appointments (it answered ${response.status})`);
    }
    return body;
  }
}
