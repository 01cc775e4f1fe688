import type { Role } from '@pm/auth-tokens';
import { ProblemException } from '@pm/problem';
import { parseListPatientsQuery } from './dto/list-patients.query';
import { sortableFieldsFor } from './search.service';

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
