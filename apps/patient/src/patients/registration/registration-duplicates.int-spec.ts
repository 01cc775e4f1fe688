import { randomUUID } from 'node:crypto';
import { usePatientApp } from '../../testing/patient-test-context';

jest.setTimeout(60_000);

const run = randomUUID().slice(0, 8);

describe('likely duplicate patients (real PostgreSQL, pg_trgm, blind index)', () => {
  const t = usePatientApp('patient_int_duplicates');

  const post = (body: unknown, query = '', headers: Record<string, string> = {}) =>
    fetch(`${t.baseUrl}/patients${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: t.admin, ...headers },
      body: JSON.stringify(body),
    });

  let sequence = 0;
  const patient = (name: string, dateOfBirth: string) => {
    sequence += 1;
    return { name, email: `dup${sequence}.${run}@example.com`, address: `${sequence} Twin Street`, dateOfBirth, registeredDate: '2024-05-05' };
  };

  async function created(body: unknown): Promise<string> {
    const response = await post(body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  it('answers 409 with the candidate ids for a similar name and the same birth date, and saves nothing', async () => {
    const original = await created(patient(`Jonathan Doemeyer ${run}`, '1971-03-04'));
    const response = await post(patient(`jonathan doemeier ${run}`, '1971-03-04'));
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 409, candidates: [original] });
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM patients WHERE name ILIKE $1`, [`%${run}`]);
    expect(n).toBe(1);
  });

  /**
   * Runs `race` with every insert of a patient named like `pattern` held 50 ms between the
   * duplicate check and the commit, so a check that is not atomic with its insert loses every time.
   */
  async function withSlowInserts<T>(pattern: string, race: () => Promise<T>): Promise<T> {
    const database = t.dataSource;
    await database.query(`CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(0.05); RETURN NEW; END $$`);
    await database.query(
      `CREATE TRIGGER slow_insert BEFORE INSERT ON patients FOR EACH ROW WHEN (NEW.name ILIKE '${pattern}') EXECUTE FUNCTION slow_insert()`,
    );
    try {
      return await race();
    } finally {
      await database.query('DROP TRIGGER slow_insert ON patients');
      await database.query('DROP FUNCTION slow_insert()');
    }
  }

  it('lets exactly one of 8 simultaneous creates of one person through; the others answer 409 naming it', async () => {
    const attempts = Array.from({ length: 8 }, (_, n) => patient(`Simultaneous ${n % 2 ? 'Twinsen' : 'twinsen'} ${run}`, '1977-07-07'));
    const responses = await withSlowInserts('simultaneous twinsen %', () => Promise.all(attempts.map((body) => post(body))));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, ...Array(7).fill(409)]);
    const answers = await Promise.all(responses.map(async (response) => ({ status: response.status, body: (await response.json()) as { id?: string } })));
    const winner = answers.find((answer) => answer.status === 201)!.body.id;
    for (const refused of answers.filter((answer) => answer.status === 409)) expect(refused.body).toMatchObject({ status: 409, candidates: [winner] });
    const rows = await t.dataSource.query(`SELECT id FROM patients WHERE name ILIKE $1 AND deleted_at IS NULL`, [`simultaneous twinsen ${run}`]);
    expect(rows).toEqual([{ id: winner }]);
  });

  it('lets exactly one of simultaneous creates through with distinct Idempotency-Keys too', async () => {
    const attempts = Array.from({ length: 4 }, () => patient(`Keyed Lookalike ${run}`, '1978-08-08'));
    const responses = await withSlowInserts('keyed lookalike %', () =>
      Promise.all(attempts.map((body, index) => post(body, '', { 'idempotency-key': `lookalike-${index}-${run}` }))),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM patients WHERE name = $1`, [`Keyed Lookalike ${run}`]);
    expect(n).toBe(1);
  });

  it('creates it when the client confirms (?confirmDuplicate=true), also with an Idempotency-Key', async () => {
    await created(patient(`Maria Lopez Garcia ${run}`, '1980-08-08'));
    expect((await post(patient(`Maria Lopez Garcia ${run}`, '1980-08-08'), '?confirmDuplicate=true')).status).toBe(201);

    const lookalike = patient(`Maria Lopez Garcia ${run}`, '1980-08-08');
    const key = { 'idempotency-key': `dup-${run}` };
    expect((await post(lookalike, '', key)).status).toBe(409);
    // The refusal did not use up the key: the confirmed retry goes through, and repeats answer the same patient.
    const confirmed = await post(lookalike, '?confirmDuplicate=true', key);
    expect(confirmed.status).toBe(201);
    const again = await post(lookalike, '', key);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(await confirmed.json());
  });

  it('creates a patient with the same name and another birth date, or a different name and the same birth date', async () => {
    await created(patient(`Ahmed Karimi ${run}`, '1990-01-02'));
    await created(patient(`Ahmed Karimi ${run}`, '1990-01-03'));
    await created(patient(`Beatrice Olsen ${run}`, '1990-01-02'));
  });

  it('ignores a deleted patient, and refuses a bad confirmDuplicate (400 naming it)', async () => {
    const gone = await created(patient(`Deleted Dupont ${run}`, '1966-06-06'));
    const removed = await t.send('DELETE', `/patients/${gone}`);
    expect(removed.status).toBe(204);
    await created(patient(`Deleted Dupont ${run}`, '1966-06-06'));

    const bad = await post(patient(`Someone Else ${run}`, '1955-05-05'), '?confirmDuplicate=yes');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: { confirmDuplicate: 'confirmDuplicate must be true or false' } });
  });

  it('keeps the email-taken 409 as it was', async () => {
    const first = patient(`Unique Person ${run}`, '1944-04-04');
    await created(first);
    const response = await post({ ...patient(`Quite Another ${run}`, '1933-03-03'), email: first.email.toUpperCase() });
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ errors: { email: expect.any(String) } });
  });
});
