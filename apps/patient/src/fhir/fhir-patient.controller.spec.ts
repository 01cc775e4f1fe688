import { typedFake } from '@pm/testing';
import type { Request } from 'express';
import type { RecordsService } from '../patients/records/records.service';
import type { RegistrationService } from '../patients/registration/registration.service';
import type { SearchService } from '../patients/search/search.service';
import type { Patient } from '../patients/shared/patient.entity';
import type { FhirEverythingService } from './fhir-everything.service';
import { FhirPatientController } from './fhir-patient.controller';

const patient = {
  id: '0b6f3f4e-5a55-4c3c-9c69-2f0a7d1e9a11',
  name: 'Ada King',
  email: 'ada@example.com',
  address: '1 Road',
  dateOfBirth: '1815-12-10',
  registeredDate: '2024-01-01',
  createdAt: new Date('2024-01-01T00:00:00Z'),
  updatedAt: new Date('2024-01-02T00:00:00Z'),
  version: 1,
} as Patient;

function controllerFinding(page: { total: number; capped: boolean }) {
  const search = typedFake<SearchService>({ find: jest.fn().mockResolvedValue({ patients: [patient], ...page }) });
  return new FhirPatientController(typedFake<RecordsService>({}), search, typedFake<RegistrationService>({}), typedFake<FhirEverythingService>({}));
}

const request = (url: string, host = 'clinic.example') => typedFake<Request>({ protocol: 'https', host, originalUrl: url } as Partial<Request>);

describe('FhirPatientController search', () => {
  it('leaves total out of a capped name search, yet links its next page', async () => {
    const bundle = await controllerFinding({ total: 2000, capped: true }).searchPatients({ name: 'ann', _count: '1' }, request('/fhir/R4/Patient?name=ann&_count=1'));
    expect(bundle.total).toBeUndefined();
    expect(bundle.link).toContainEqual({ relation: 'next', url: 'https://clinic.example/fhir/R4/Patient?name=ann&_count=1&_offset=1' });
    expect(bundle.entry?.[0].fullUrl).toBe(`https://clinic.example/fhir/R4/Patient/${patient.id}`);
  });

  it('gives the exact total of a search that is not capped, and no next link on its last page', async () => {
    const bundle = await controllerFinding({ total: 1, capped: false }).searchPatients({ email: 'ada@example.com' }, request('/fhir/R4/Patient?email=ada@example.com'));
    expect(bundle.total).toBe(1);
    expect(bundle.link).toEqual([{ relation: 'self', url: 'https://clinic.example/fhir/R4/Patient?email=ada@example.com' }]);
  });

  it('never echoes a host that is not one into its links', async () => {
    const bundle = await controllerFinding({ total: 1, capped: false }).searchPatients({}, request('/fhir/R4/Patient', 'evil.example/x?'));
    expect(bundle.link).toEqual([{ relation: 'self', url: 'https://localhost/fhir/R4/Patient' }]);
    expect(bundle.entry?.[0].fullUrl).toBe(`https://localhost/fhir/R4/Patient/${patient.id}`);
  });
});
