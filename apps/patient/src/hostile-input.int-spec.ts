import { expectProblem } from '@pm/testing';
import { patientFactory } from './testing/patient-factory';
import { usePatientApp } from './testing/patient-test-context';

jest.setTimeout(60_000);

const UNSAFE_TEXT = 'must not contain NUL or unpaired surrogate characters';
const newPatient = patientFactory('Hostile');

/** Bad input straight at the patient service (real PostgreSQL): a 4xx problem naming the field, never a 500. */
describe('hostile input at the patient service', () => {
  const t = usePatientApp('patient_int_hostile');
  const { send } = t;

  it('answers a lone surrogate in the email of a new patient with 400 naming email, and stores nothing', async () => {
    const body = newPatient({ email: `hostile\ud800.${Date.now()}@example.com` });
    expect((await expectProblem(await send('POST', '/patients', body), 400)).errors).toEqual({ email: UNSAFE_TEXT });
    expect(await t.dataSource.query('SELECT id FROM patients WHERE name = $1', [body.name])).toEqual([]);
  });

  it('answers a lone surrogate in the email of an update with 400 naming email, and changes nothing', async () => {
    const created = await send('POST', '/patients', newPatient());
    expect(created.status).toBe(201);
    const patient = (await created.json()) as { id: string; email: string };
    const response = await send('PUT', `/patients/${patient.id}`, newPatient({ email: 'x\udbff@example.com' }));
    expect((await expectProblem(response, 400)).errors).toEqual({ email: UNSAFE_TEXT });
    expect(await (await send('GET', `/patients/${patient.id}`)).json()).toMatchObject({ email: patient.email });
  });

  it('answers NUL in the audit query actorId with 400 naming actorId', async () => {
    expect((await expectProblem(await send('GET', '/audit?actorId=%00'), 400)).errors).toEqual({ actorId: UNSAFE_TEXT });
  });

  it('answers NUL in a path parameter with 400 naming it', async () => {
    expect((await expectProblem(await send('GET', '/patients/%00'), 400)).errors).toEqual({ id: UNSAFE_TEXT });
  });

  it('answers JSON 5000 levels deep with 400 naming the body, and a body that is not JSON with 415', async () => {
    const deep = await fetch(`${t.baseUrl}/patients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: t.admin },
      body: `{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    });
    expect((await expectProblem(deep, 400)).errors).toEqual({ body: 'must not be nested deeper than 64 levels' });
    const plain = await fetch(`${t.baseUrl}/patients`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: t.admin },
      body: JSON.stringify(newPatient()),
    });
    await expectProblem(plain, 415);
  });

  it('keeps right-to-left marks and 4-byte characters as valid text', async () => {
    const name = `\u200fשרה \u{1F600} \u{20000} ${Date.now()}`;
    const created = await send('POST', '/patients', newPatient({ name, address: '\u202bרחוב 1\u202c' }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ name, address: '\u202bרחוב 1\u202c' });
  });
});
