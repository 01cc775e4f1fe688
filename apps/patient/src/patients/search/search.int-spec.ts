import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { usePatientApp } from '../../testing/patient-test-context';

jest.setTimeout(60_000);

interface PageBody {
  patients: { id: string; name: string; email: string }[];
  totalElements: number;
  totalPages: number;
}

const run = randomUUID().slice(0, 8);
const PATIENTS = [
  ['John Doe', 'jd'],
  ['Jane Doe', 'jane.d'],
  ['John Smith', 'jsmith'],
  ['Jane Smith', 'janes'],
  ['Kathryn Lee', 'klee'],
  ['Mary Johnson', 'mj'],
  ['Bob Ray', 'bob.ray'],
  ['Zoe Quinn', 'zq'],
] as const;

describe('finding patients: substring, typo and sound-alike search ranked by relevance (real PostgreSQL)', () => {
  const { send } = usePatientApp('patient_int_search');

  beforeAll(async () => {
    for (const [i, [name, mailbox]] of PATIENTS.entries()) {
      // Distinct birth years, so no create looks like a duplicate of another.
      const response = await send('POST', '/patients?confirmDuplicate=true', {
        name,
        email: `${mailbox}.${run}@example.com`,
        address: `${i + 1} Search St`,
        dateOfBirth: `${1950 + i * 5}-03-0${(i % 9) + 1}`,
        registeredDate: '2024-02-02',
      });
      expect(response.status).toBe(201);
    }
  });

  async function search(term: string, extra = ''): Promise<PageBody> {
    const response = await send('GET', `/patients?searchValue=${encodeURIComponent(term)}&size=100${extra}`);
    expect(response.status).toBe(200);
    return (await response.json()) as PageBody;
  }
  const names = (page: PageBody) => page.patients.map((p) => p.name);

  it('tolerates typos and sound-alikes, the closest match first', async () => {
    expect(names(await search('Jon Do'))[0]).toBe('John Doe');
    expect(names(await search('jhon smyth'))[0]).toBe('John Smith');
    expect(names(await search('Catherine'))).toEqual(['Kathryn Lee']);
    expect(names(await search('Kathrin'))[0]).toBe('Kathryn Lee');
    expect(names(await search('Jhon Smith'))[0]).toBe('John Smith');
  });

  it('does not match a name on one shared word when another word of the term matches nothing', async () => {
    expect(names(await search('John Quinn'))).not.toContain('John Doe');
    expect(names(await search('Zoe Quinn'))).toEqual(['Zoe Quinn']);
  });

  it('ranks prefix over substring over fuzzy matches, ties in the requested order', async () => {
    const asc = names(await search('john'));
    expect(asc.slice(0, 3)).toEqual(['John Doe', 'John Smith', 'Mary Johnson']);
    expect(asc).not.toContain('Bob Ray');
    const desc = names(await search('john', '&sort=desc'));
    expect(desc.slice(0, 3)).toEqual(['John Smith', 'John Doe', 'Mary Johnson']);
    expect(desc).toHaveLength(asc.length);
  });

  it('counts the same set it pages through, past the last page too', async () => {
    const all = await search('john');
    expect(all.totalElements).toBe(all.patients.length);
    const second = await send('GET', `/patients?searchValue=john&size=2&page=2`);
    const secondPage = (await second.json()) as PageBody;
    expect(secondPage.totalElements).toBe(all.totalElements);
    expect(names(secondPage)).toEqual(names(all).slice(2, 4));
    const beyond = (await (await send('GET', `/patients?searchValue=john&size=2&page=50`)).json()) as PageBody;
    expect(beyond).toMatchObject({ patients: [], totalElements: all.totalElements });
  });

  it('still finds by email substring, case-insensitively, and by exact email', async () => {
    expect(names(await search(`BOB.RAY.${run}`))).toEqual(['Bob Ray']);
    expect(names(await search(`klee.${run}@example.com`))).toEqual(['Kathryn Lee']);
  });

  it('lists with a fixed number of statements: one with a search, two without', async () => {
    // Counts every statement any EntityManager sends; only those reading patients are this list's.
    const spy = jest.spyOn(EntityManager.prototype, 'query');
    try {
      const patientStatements = () => spy.mock.calls.filter(([sql]) => /\bFROM (patients|patient_live_counts)\b/.test(sql) && !/\b(INSERT INTO|UPDATE) patients\b/.test(sql)).length;
      await search('Jon Do');
      expect(patientStatements()).toBe(1);
      spy.mockClear();
      const response = await send('GET', '/patients?size=3');
      expect(response.status).toBe(200);
      expect(patientStatements()).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });
});
