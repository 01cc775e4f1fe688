import { patientFactory } from '../../testing/patient-factory';
import { usePatientApp } from '../../testing/patient-test-context';

jest.setTimeout(60_000);

const newPatient = patientFactory('Counted', '2024-02-02');
const run = newPatient.run;

describe('the live patient count that unfiltered lists report (real PostgreSQL, database triggers)', () => {
  const t = usePatientApp('patient_int_count');
  const { send } = t;
  const listedTotal = async () => ((await (await send('GET', '/patients?size=1')).json()) as { totalElements: number }).totalElements;
  const trueTotal = async () => Number((await t.dataSource.query('SELECT count(*) AS n FROM patients WHERE deleted_at IS NULL'))[0].n);

  it('equals a count of the live rows after concurrent creates, refused creates, deletes, restores and renames', async () => {
    const start = await listedTotal();
    expect(start).toBe(await trueTotal());

    const created = await Promise.all(Array.from({ length: 12 }, () => send('POST', '/patients?confirmDuplicate=true', newPatient())));
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    const ids = await Promise.all(created.map(async (r) => ((await r.json()) as { id: string }).id));
    // A create refused for its email changes nothing.
    const taken = await send('POST', '/patients?confirmDuplicate=true', { ...newPatient(), email: `counted1.${run}@example.com` });
    expect(taken.status).toBe(409);
    expect(await listedTotal()).toBe(start + 12);

    await Promise.all(ids.slice(0, 4).map((id) => send('DELETE', `/patients/${id}`)));
    expect(await listedTotal()).toBe(start + 8);
    // Deleting a deleted patient again is a 404 and must not count twice.
    expect((await send('DELETE', `/patients/${ids[0]}`)).status).toBe(404);
    expect((await send('POST', `/patients/${ids[0]}/restore`)).status).toBe(200);
    const renamed = await send('PUT', `/patients/${ids[5]}`, { ...newPatient(), name: `Renamed ${run}` });
    expect(renamed.status).toBe(200);

    expect(await listedTotal()).toBe(start + 9);
    expect(await listedTotal()).toBe(await trueTotal());
    // Spread over the slots (a statement picks one at random), never below zero in sum.
    const slots = await t.dataSource.query('SELECT count(*) AS n FROM patient_live_counts');
    expect(Number(slots[0].n)).toBe(16);
  });
});
