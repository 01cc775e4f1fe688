import { ALL_ROLES, type Role, visibleFields } from '@pm/auth-tokens';
import type { Patient } from './patient.entity';
import { JOHN_DOE } from '../../testing/patient-fakes';
import { patientViewFor } from './patient-view';

const patient: Patient = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  ...JOHN_DOE,
  createdAt: new Date(),
  updatedAt: new Date(),
  version: 3,
};

const whole = {
  id: patient.id,
  name: patient.name,
  email: patient.email,
  address: patient.address,
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
};
const contact = { id: patient.id, name: patient.name, email: patient.email, address: patient.address };

describe('patientViewFor', () => {
  it.each([
    ['ADMIN', whole],
    ['DOCTOR', whole],
    ['NURSE', whole],
    ['BILLING', contact],
    ['ANALYST', contact],
  ] as [Role, object][])('shows %s exactly its fields', (role, expected) => {
    expect(patientViewFor(role, patient)).toStrictEqual(expected);
  });

  it("shows BILLING the fields the access policy names, no more", () => {
    expect(Object.keys(patientViewFor('BILLING', patient)).sort()).toEqual([...visibleFields('GET /patients/{id}', 'BILLING')!].sort());
    expect(Object.keys(patientViewFor('BILLING', patient)).sort()).toEqual([...visibleFields('GET /patients', 'BILLING')!].sort());
  });

  it('has a case above for every role there is', () => {
    expect([...ALL_ROLES].sort()).toEqual(['ADMIN', 'ANALYST', 'BILLING', 'DOCTOR', 'NURSE']);
  });
});
