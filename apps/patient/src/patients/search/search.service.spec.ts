import type { Role } from '@pm/auth-tokens';
import { ProblemException } from '@pm/platform';
import { typedFake } from '@pm/testing';
import { Patient, PatientListQuery, PatientPage } from '../shared/patient.entity';
import { parseListPatientsQuery } from './dto/list-patients.query';
import { SearchRepository } from './search.repository';
import { SearchService, sortableFieldsFor } from './search.service';

/** Answers every query with the same patients, and remembers the queries. */
class FakeSearchRepository implements Pick<SearchRepository, 'list'> {
  readonly queries: PatientListQuery[] = [];
  constructor(private readonly page: PatientPage) {}

  async list(query: PatientListQuery): Promise<PatientPage> {
    this.queries.push(query);
    return this.page;
  }
}

const patient = Object.assign(new Patient(), {
  id: '123e4567-e89b-12d3-a456-426614174000',
  name: 'John Doe',
  email: 'john.doe@example.com',
  address: '123 Main St',
  dateOfBirth: '1985-06-15',
  registeredDate: '2024-01-10',
  version: 2,
});

describe('SearchService.list', () => {
  let repository: FakeSearchRepository;
  let service: SearchService;

  beforeEach(() => {
    repository = new FakeSearchRepository({ patients: [patient], totalElements: 21 });
    service = new SearchService(typedFake<SearchRepository>(repository));
  });

  it('answers the page with its paging, each patient whole for a clinical role', async () => {
    await expect(service.list({ page: '2', size: '10', sortField: 'registeredDate', searchValue: ' doe ' }, 'DOCTOR')).resolves.toEqual({
      patients: [{ id: patient.id, name: 'John Doe', email: 'john.doe@example.com', address: '123 Main St', dateOfBirth: '1985-06-15', registeredDate: '2024-01-10' }],
      page: 2,
      size: 10,
      totalPages: 3,
      totalElements: 21,
    });
    expect(repository.queries).toEqual([{ page: 2, size: 10, sort: 'asc', sortField: 'registeredDate', searchValue: 'doe' }]);
  });

  it('shows BILLING the contact details only', async () => {
    const page = await service.list({}, 'BILLING');
    expect(page.patients).toEqual([{ id: patient.id, name: 'John Doe', email: 'john.doe@example.com', address: '123 Main St' }]);
  });

  it('refuses BILLING a sort by a field it may not see, before any query', async () => {
    await expect(service.list({ sortField: 'registeredDate' }, 'BILLING')).rejects.toBeInstanceOf(ProblemException);
    expect(repository.queries).toEqual([]);
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
