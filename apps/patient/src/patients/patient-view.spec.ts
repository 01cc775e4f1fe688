import { ALL_ROLES, type Role, visibleFields } from '@pm/auth-tokens';
import { ProblemException } from '@pm/problem';
import { parseListPatientsQuery } from './dto/list-patients.query';
import type { Patient } from './patient.entity';
import { patientViewFor, sortableFieldsFor } from './patient-view';

const patient: Patient = {
  id: '123e4567-e89b-12d3-a456-426614174000',
  name: 'John Doe',
  email: 'john.doe@example.com',
  address: '123 Main St, Springfield',
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
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

describe('sortableFieldsFor', () => {
  const sortFieldError = (role: Role, sortField: string): string | undefined => {
    try {
      parseListPatientsQuery({ sortField }, sortableFieldsFor(role));
      return undefined;
    } catch (error) {
      return ((error as ProblemException).getResponse() as { errors: Record<string, string> }).errors.sortField;
    }
  };

  it('lets BILLING sort by the unencrypted fields it sees only', () => {
    expect(sortableFieldsFor('BILLING')).toEqual(['name', 'email']);
    for (const field of ['name', 'email']) expect(sortFieldError('BILLING', field)).toBeUndefined();
  });

  it.each(['address', 'dateOfBirth', 'registeredDate', 'ssn'])('offers BILLING, refused %p, only fields it may then sort by', (field) => {
    const message = sortFieldError('BILLING', field);
    expect(message).toMatch(/sortField must be one of name, email\b/);
    expect(message).not.toMatch(/address|registeredDate|dateOfBirth/);
  });

  it('lets the clinical roles and ADMIN sort by every unencrypted field', () => {
    for (const role of ['ADMIN', 'DOCTOR', 'NURSE'] as const) expect(sortableFieldsFor(role)).toEqual(['name', 'email', 'registeredDate']);
  });
});
