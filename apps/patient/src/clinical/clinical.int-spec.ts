import { randomUUID } from 'node:crypto';
import { patientFactory } from '../testing/patient-factory';
import { usePatientApp } from '../testing/patient-test-context';

jest.setTimeout(60_000);

const newPatient = patientFactory('Charted');

type Sender = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Response>;

const PENICILLIN = { substance: { text: 'Penicillin', coding: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7980', display: 'Penicillin G' } } };

// One valid body per kind, with the clinical text a pg_dump must not show in clear.
const BODIES = {
  allergies: { ...PENICILLIN, reaction: 'Hives across the chest', severity: 'moderate', criticality: 'high', onset: '2019-04-02' },
  conditions: {
    condition: { text: 'Type 2 diabetes mellitus', coding: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' } },
    clinicalStatus: 'active',
    onset: '2021-09-14',
  },
  medications: {
    medication: { text: 'Metformin 500 mg oral tablet', coding: { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '860975' } },
    dose: '500 mg',
    route: 'oral',
    frequency: 'twice a day',
    start: '2024-02-01',
  },
  vitals: { code: '8867-4', value: 72, unit: '/min', takenAt: '2026-11-30T09:30:00Z' },
  notes: { text: 'Follow-up visit: the cough has cleared entirely.' },
} as const;

type Kind = keyof typeof BODIES;
const KINDS = Object.keys(BODIES) as Kind[];

describe('the medical record (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_clinical');
  const doctorId = randomUUID();
  const nurseId = randomUUID();
  let doctor: Sender;
  let nurse: Sender;
  let admin: Sender;

  beforeAll(async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const as = (authorization: string): Sender => (method, path, body, headers = {}) =>
      fetch(`${t.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    doctor = as(await t.issuer.bearer('DOCTOR', { userId: doctorId, expiresAt }));
    nurse = as(await t.issuer.bearer('NURSE', { userId: nurseId, expiresAt }));
    admin = as(t.admin);
  });

  async function registered(): Promise<string> {
    const response = await t.send('POST', '/patients', newPatient());
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function recorded(patientId: string, kind: Kind, body: object = BODIES[kind], by: Sender = doctor) {
    const response = await by('POST', `/patients/${patientId}/${kind}`, body);
    expect(response.status).toBe(201);
    return { response, entry: (await response.json()) as Record<string, unknown> & { id: string; version: number } };
  }

  describe.each(KINDS)('%s', (kind) => {
    it('records an entry (201, Location, ETag) that reads back with its recorder', async () => {
      const patientId = await registered();
      const { response, entry } = await recorded(patientId, kind);
      expect(response.headers.get('location')).toBe(`/patients/${patientId}/${kind}/${entry.id}`);
      expect(response.headers.get('etag')).toBe('W/"1"');
      expect(entry).toMatchObject({ patientId, version: 1, recordedBy: doctorId, updatedBy: doctorId });
      expect(entry.enteredInError).toBeUndefined();

      const read = await nurse('GET', `/patients/${patientId}/${kind}/${entry.id}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('W/"1"');
      expect(await read.json()).toEqual(entry);
    });

    it('lists the live entries newest first, paged, and hides one marked entered-in-error (kept, with its reason)', async () => {
      const patientId = await registered();
      const bodies = kind === 'vitals'
        ? ['2026-11-01T08:00:00Z', '2026-11-02T08:00:00Z', '2026-11-03T08:00:00Z'].map((takenAt) => ({ ...BODIES.vitals, takenAt }))
        : [BODIES[kind], BODIES[kind], BODIES[kind]];
      const ids: string[] = [];
      for (const body of bodies) ids.push((await recorded(patientId, kind, body)).entry.id);

      const page = await admin('GET', `/patients/${patientId}/${kind}?size=2`);
      expect(page.status).toBe(200);
      const first = (await page.json()) as { entries: { id: string }[]; page: number; size: number; totalPages: number; totalElements: number };
      expect(first).toMatchObject({ page: 1, size: 2, totalPages: 2, totalElements: 3 });
      expect(first.entries.map((entry) => entry.id)).toEqual([ids[2], ids[1]]);

      const marked = await doctor('POST', `/patients/${patientId}/${kind}/${ids[2]}/entered-in-error`, { reason: 'Recorded on the wrong patient' }, { 'if-match': 'W/"1"' });
      expect(marked.status).toBe(200);
      expect(marked.headers.get('etag')).toBe('W/"2"');
      expect(await marked.json()).toMatchObject({ id: ids[2], version: 2, enteredInError: { by: doctorId, reason: 'Recorded on the wrong patient' } });

      const after = (await (await admin('GET', `/patients/${patientId}/${kind}`)).json()) as { entries: { id: string }[]; totalElements: number };
      expect(after.entries.map((entry) => entry.id)).toEqual([ids[1], ids[0]]);
      expect(after.totalElements).toBe(2);
      // Still there for a direct read, and cannot be marked or corrected again.
      expect((await doctor('GET', `/patients/${patientId}/${kind}/${ids[2]}`)).status).toBe(200);
      const again = await doctor('POST', `/patients/${patientId}/${kind}/${ids[2]}/entered-in-error`, { reason: 'Twice over' });
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: 'CLINICAL_ENTRY_ENTERED_IN_ERROR' });
    });

    it('keeps every version in the history, with who changed it and when', async () => {
      const patientId = await registered();
      const { entry } = await recorded(patientId, kind);
      await doctor('POST', `/patients/${patientId}/${kind}/${entry.id}/entered-in-error`, { reason: 'Duplicate entry' });
      const history = await admin('GET', `/patients/${patientId}/${kind}/${entry.id}/history`);
      expect(history.status).toBe(200);
      const versions = (await history.json()) as { version: number; change: string; changedBy: string; changedAt: string; entry: Record<string, unknown> }[];
      expect(versions.map(({ version, change }) => [version, change])).toEqual([[1, 'RECORDED'], [2, 'ENTERED_IN_ERROR']]);
      expect(versions[1].changedBy).toBe(doctorId);
      expect(versions[0].entry).toEqual(entry);
      expect(versions[1].entry).toMatchObject({ enteredInError: { reason: 'Duplicate entry' } });
    });

    it('answers 404 for an entry of another patient or kind, 400 for an entry id that is not a UUID', async () => {
      const patientId = await registered();
      const other = await registered();
      const { entry } = await recorded(patientId, kind);
      expect((await admin('GET', `/patients/${other}/${kind}/${entry.id}`)).status).toBe(404);
      const otherKind = KINDS.find((candidate) => candidate !== kind)!;
      const wrongKind = await admin('GET', `/patients/${patientId}/${otherKind}/${entry.id}`);
      expect(wrongKind.status).toBe(404);
      expect(await wrongKind.json()).toMatchObject({ code: 'CLINICAL_ENTRY_NOT_FOUND' });
      const badId = await admin('GET', `/patients/${patientId}/${kind}/not-a-uuid`);
      expect(badId.status).toBe(400);
      expect(await badId.json()).toMatchObject({ errors: { entryId: 'Entry id must be a UUID' } });
    });
  });

  describe.each(KINDS.filter((kind) => kind !== 'notes'))('correcting %s', (kind) => {
    it('replaces the fields as a new version with If-Match, and answers 412 to a stale one', async () => {
      const patientId = await registered();
      const { entry } = await recorded(patientId, kind);
      const correction = kind === 'vitals' ? { ...BODIES.vitals, value: 74 } : kind === 'medications' ? { ...BODIES.medications, status: 'stopped' } : { ...BODIES[kind], clinicalStatus: 'resolved' };
      const corrected = await doctor('PUT', `/patients/${patientId}/${kind}/${entry.id}`, correction, { 'if-match': 'W/"1"' });
      expect(corrected.status).toBe(200);
      expect(corrected.headers.get('etag')).toBe('W/"2"');
      const body = (await corrected.json()) as Record<string, unknown>;
      expect(body).toMatchObject({ id: entry.id, version: 2, recordedAt: entry.recordedAt });
      if (kind === 'vitals') expect(body.value).toBe(74);
      else if (kind === 'medications') expect(body.status).toBe('stopped');
      else expect(body.clinicalStatus).toBe('resolved');

      const stale = await doctor('PUT', `/patients/${patientId}/${kind}/${entry.id}`, correction, { 'if-match': 'W/"1"' });
      expect(stale.status).toBe(412);
      expect(await stale.json()).toMatchObject({ code: 'CLINICAL_ENTRY_VERSION_MISMATCH' });
      const history = (await (await admin('GET', `/patients/${patientId}/${kind}/${entry.id}/history`)).json()) as { change: string }[];
      expect(history.map(({ change }) => change)).toEqual(['RECORDED', 'CORRECTED']);
    });
  });

  it('never edits a note: there is no PUT, an addendum is a new note that amends it', async () => {
    const patientId = await registered();
    const { entry } = await recorded(patientId, 'notes');
    expect((await doctor('PUT', `/patients/${patientId}/notes/${entry.id}`, BODIES.notes)).status).toBe(404);
    const addendum = await recorded(patientId, 'notes', { text: 'Addendum: the cough came back at night.', amends: entry.id });
    expect(addendum.entry).toMatchObject({ amends: entry.id });
    const unknown = await doctor('POST', `/patients/${patientId}/notes`, { text: 'Addendum to nothing', amends: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ code: 'CLINICAL_AMENDED_NOTE_NOT_FOUND', errors: { amends: 'amends must name a note of this patient' } });
  });

  it('refuses a medication that matches an active allergy (409 naming it) unless acknowledged, and keeps the acknowledgement', async () => {
    const patientId = await registered();
    const amoxicillin = { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '723' };
    const { entry: allergy } = await recorded(patientId, 'allergies', { substance: { text: 'Amoxicillin', coding: amoxicillin } });
    await recorded(patientId, 'allergies', { substance: { text: 'Old amoxicillin rash', coding: amoxicillin }, clinicalStatus: 'resolved' });
    const prescription = { medication: { text: 'Amoxicillin 500 mg capsule', coding: amoxicillin }, dose: '500 mg' };

    const refused = await doctor('POST', `/patients/${patientId}/medications`, prescription);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ code: 'CLINICAL_MEDICATION_ALLERGY', allergies: [allergy.id] });
    const badFlag = await doctor('POST', `/patients/${patientId}/medications?acknowledgeAllergy=yes`, prescription);
    expect(badFlag.status).toBe(400);
    expect(await badFlag.json()).toMatchObject({ errors: { acknowledgeAllergy: 'acknowledgeAllergy must be true or false' } });

    const acknowledged = await doctor('POST', `/patients/${patientId}/medications?acknowledgeAllergy=true`, prescription);
    expect(acknowledged.status).toBe(201);
    expect(await acknowledged.json()).toMatchObject({ acknowledgedAllergies: [allergy.id] });
    // Another medication, or one without a coding, meets no allergy.
    await recorded(patientId, 'medications', BODIES.medications);
    await recorded(patientId, 'medications', { medication: { text: 'Amoxicillin, uncoded' } });
  });

  it('keeps "no known allergies" a statement of its own: a real allergy ends it, and it cannot contradict one', async () => {
    const patientId = await registered();
    const nka = { substance: { text: 'No known allergies', coding: { system: 'http://snomed.info/sct', code: '716186003' } } };
    const { entry: statement } = await recorded(patientId, 'allergies', nka, nurse);
    const { entry: allergy } = await recorded(patientId, 'allergies', BODIES.allergies);

    const ended = (await (await doctor('GET', `/patients/${patientId}/allergies/${statement.id}`)).json()) as Record<string, unknown>;
    expect(ended).toMatchObject({ clinicalStatus: 'inactive', version: 2, updatedBy: doctorId });
    const active = (await (await doctor('GET', `/patients/${patientId}/allergies?status=active`)).json()) as { entries: { id: string }[] };
    expect(active.entries.map((entry) => entry.id)).toEqual([allergy.id]);

    const contradicted = await nurse('POST', `/patients/${patientId}/allergies`, nka);
    expect(contradicted.status).toBe(409);
    expect(await contradicted.json()).toMatchObject({ code: 'CLINICAL_ALLERGIES_KNOWN', allergies: [allergy.id] });
  });

  it('filters a list by status', async () => {
    const patientId = await registered();
    await recorded(patientId, 'conditions', { ...BODIES.conditions, clinicalStatus: 'resolved' });
    const { entry: active } = await recorded(patientId, 'conditions');
    const page = (await (await doctor('GET', `/patients/${patientId}/conditions?status=active`)).json()) as { entries: { id: string }[] };
    expect(page.entries.map((entry) => entry.id)).toEqual([active.id]);
    const bad = await doctor('GET', `/patients/${patientId}/conditions?status=cured&size=0`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: { status: 'status must be one of active, inactive, resolved', size: 'size must be a whole number from 1 to 100' } });
  });

  describe('roles', () => {
    it('lets NURSE record allergies, vitals and notes but not conditions or medications; ADMIN reads but writes nothing', async () => {
      const patientId = await registered();
      for (const kind of ['allergies', 'vitals', 'notes'] as const) expect((await nurse('POST', `/patients/${patientId}/${kind}`, BODIES[kind])).status).toBe(201);
      for (const kind of ['conditions', 'medications'] as const) expect((await nurse('POST', `/patients/${patientId}/${kind}`, BODIES[kind])).status).toBe(403);
      for (const kind of KINDS) {
        expect((await admin('POST', `/patients/${patientId}/${kind}`, BODIES[kind])).status).toBe(403);
        expect((await admin('GET', `/patients/${patientId}/${kind}`)).status).toBe(200);
      }
    });

    it.each(['BILLING', 'ANALYST'])('refuses %s every clinical route (403)', async (role) => {
      const patientId = await registered();
      const { entry } = await recorded(patientId, 'allergies');
      const as = t.sendAs(role);
      expect((await as('GET', `/patients/${patientId}/allergies`)).status).toBe(403);
      expect((await as('GET', `/patients/${patientId}/allergies/${entry.id}`)).status).toBe(403);
      expect((await as('GET', `/patients/${patientId}/allergies/${entry.id}/history`)).status).toBe(403);
      expect((await as('POST', `/patients/${patientId}/allergies`, BODIES.allergies)).status).toBe(403);
    });
  });

  describe('bad input is a 400 naming the field', () => {
    const cases: [string, Kind, object, Record<string, string>][] = [
      ['unknown LOINC code', 'vitals', { ...BODIES.vitals, code: '1234-5' }, { code: expect.stringContaining('code must be one of') }],
      ['implausible heart rate', 'vitals', { ...BODIES.vitals, value: 1200 }, { value: 'value must be a number from 20 to 300 /min for heart rate' }],
      ['wrong unit', 'vitals', { ...BODIES.vitals, unit: 'bpm' }, { unit: 'unit must be /min for heart rate' }],
      ['value as text', 'vitals', { ...BODIES.vitals, value: '72' }, { value: expect.stringContaining('must be a number') }],
      ['blood pressure without its parts', 'vitals', { code: '85354-9', unit: 'mm[Hg]', takenAt: '2026-11-30T09:30:00Z' }, { systolic: 'systolic is required for blood pressure panel with all children optional', diastolic: 'diastolic is required for blood pressure panel with all children optional' }],
      ['a measurement from the future', 'vitals', { ...BODIES.vitals, takenAt: '2999-01-01T00:00:00Z' }, { takenAt: expect.stringContaining('not in the future') }],
      ['future onset', 'allergies', { ...BODIES.allergies, onset: '2999-01-01' }, { onset: 'onset cannot be in the future' }],
      ['unknown severity', 'allergies', { ...BODIES.allergies, severity: 'deadly' }, { severity: 'severity must be one of mild, moderate, severe' }],
      ['a substance without text', 'allergies', { substance: { coding: PENICILLIN.substance.coding } }, { 'substance.text': 'text is required' }],
      ['an ICD-10 code of the wrong shape', 'conditions', { condition: { text: 'Diabetes', coding: { system: 'http://hl7.org/fhir/sid/icd-10', code: 'diabetes' } } }, { 'condition.coding.code': 'code is not a ICD-10 code' }],
      ['a code system the kind does not take', 'medications', { medication: { text: 'Aspirin', coding: { system: 'http://loinc.org', code: '1234-5' } } }, { 'medication.coding.system': 'system must be the URI of one of RxNorm, SNOMED CT' }],
      ['abatement before onset', 'conditions', { ...BODIES.conditions, onset: '2022-01-01', abatement: '2021-01-01' }, { abatement: 'abatement cannot be before onset' }],
      ['an unknown field', 'notes', { ...BODIES.notes, author: 'someone' }, { author: expect.any(String) }],
      ['an empty note', 'notes', { text: '  ' }, { text: 'text is required' }],
    ];

    it.each(cases)('%s', async (_label, kind, body, errors) => {
      const patientId = await registered();
      const response = await doctor('POST', `/patients/${patientId}/${kind}`, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(((await response.json()) as { errors: Record<string, string> }).errors).toEqual(errors);
      const list = (await (await doctor('GET', `/patients/${patientId}/${kind}`)).json()) as { totalElements: number };
      expect(list.totalElements).toBe(0);
    });
  });

  it('answers 404 on every clinical route of a deleted patient', async () => {
    const patientId = await registered();
    const { entry } = await recorded(patientId, 'allergies');
    expect((await t.send('DELETE', `/patients/${patientId}`)).status).toBe(204);
    for (const [method, path, body] of [
      ['GET', `/patients/${patientId}/allergies`],
      ['POST', `/patients/${patientId}/allergies`, BODIES.allergies],
      ['GET', `/patients/${patientId}/allergies/${entry.id}`],
    ] as [string, string, object?][]) {
      const response = await doctor(method, path, body);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 'PATIENT_NOT_FOUND' });
    }
  });

  it('stores no clinical text in clear, in the entries or their versions', async () => {
    const patientId = await registered();
    for (const kind of KINDS) await recorded(patientId, kind);
    const entries: { dump: string }[] = await t.dataSource.query(
      `SELECT string_agg(e::text, ' ') AS dump FROM clinical_entries e WHERE patient_id = $1`,
      [patientId],
    );
    const versions: { dump: string }[] = await t.dataSource.query(
      `SELECT string_agg(v::text, ' ') AS dump FROM clinical_entry_versions v JOIN clinical_entries e ON e.id = v.entry_id WHERE e.patient_id = $1`,
      [patientId],
    );
    for (const secret of ['Penicillin', 'Hives', 'diabetes', 'E11.9', 'Metformin', '860975', 'cough', 'twice a day']) {
      expect(entries[0].dump.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(versions[0].dump.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    // What may stay in clear: the vital sign's LOINC code.
    expect(entries[0].dump).toContain('8867-4');
  });

  it('refuses to delete clinical rows even in SQL', async () => {
    const patientId = await registered();
    const { entry } = await recorded(patientId, 'allergies');
    await expect(t.dataSource.query('DELETE FROM clinical_entries WHERE id = $1', [entry.id])).rejects.toThrow(/never deleted/);
  });

  it('audits every read and write with the kind of entry, and refusals too', async () => {
    const patientId = await registered();
    const { entry } = await recorded(patientId, 'allergies');
    await nurse('GET', `/patients/${patientId}/allergies/${entry.id}`);
    await t.sendAs('BILLING')('GET', `/patients/${patientId}/allergies`);
    const audit = await t.send('GET', `/audit?patientId=${patientId}&size=50`);
    const entries = ((await audit.json()) as { entries: { action: string; outcome: string; entryKind: string | null; actorRole: string }[] }).entries;
    const clinical = entries.filter((e) => e.entryKind === 'allergies').map(({ action, outcome, actorRole }) => `${actorRole} ${action} ${outcome}`);
    expect(clinical.sort()).toEqual(['BILLING LIST DENIED', 'DOCTOR CREATE ALLOWED', 'NURSE READ ALLOWED']);
    // The registration itself is about the patient record, not an entry.
    expect(entries.find((e) => e.action === 'CREATE' && e.entryKind === null)).toBeDefined();
  });
});

describe('the chart (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_chart');

  const post = async (path: string, body: object) => {
    const response = await t.sendAs('DOCTOR')('POST', path, body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };

  it('shows demographics, active entries, the latest value of each vital sign and the last 5 notes, newest first', async () => {
    const created = await t.send('POST', '/patients', newPatient());
    const patient = (await created.json()) as { id: string; name: string };
    const base = `/patients/${patient.id}`;
    const activeAllergy = await post(`${base}/allergies`, BODIES.allergies);
    await post(`${base}/allergies`, { ...BODIES.allergies, clinicalStatus: 'resolved' });
    const hidden = await post(`${base}/allergies`, BODIES.allergies);
    await t.sendAs('DOCTOR')('POST', `${base}/allergies/${hidden}/entered-in-error`, { reason: 'Wrong patient' });
    const condition = await post(`${base}/conditions`, BODIES.conditions);
    await post(`${base}/medications`, { ...BODIES.medications, status: 'stopped' });
    const medication = await post(`${base}/medications`, BODIES.medications);
    await post(`${base}/vitals`, { ...BODIES.vitals, value: 80, takenAt: '2026-11-01T08:00:00Z' });
    const latestPulse = await post(`${base}/vitals`, { ...BODIES.vitals, value: 64, takenAt: '2026-11-02T08:00:00Z' });
    await post(`${base}/vitals`, { ...BODIES.vitals, value: 90, takenAt: '2026-10-01T08:00:00Z' });
    const pressure = await post(`${base}/vitals`, { code: '85354-9', systolic: 128, diastolic: 82, unit: 'mm[Hg]', takenAt: '2026-11-02T09:00:00Z' });
    const notes: string[] = [];
    for (let i = 1; i <= 7; i += 1) notes.push(await post(`${base}/notes`, { text: `Visit note ${i}` }));

    const response = await t.sendAs('NURSE')('GET', `${base}/record`);
    expect(response.status).toBe(200);
    const chart = (await response.json()) as Record<string, { id: string; [field: string]: unknown }[]> & { patient: { id: string; name: string } };
    expect(chart.patient).toMatchObject({ id: patient.id, name: patient.name });
    expect(chart.allergies.map((entry) => entry.id)).toEqual([activeAllergy]);
    expect(chart.conditions.map((entry) => entry.id)).toEqual([condition]);
    expect(chart.medications.map((entry) => entry.id)).toEqual([medication]);
    expect(chart.vitals.map((entry) => [entry.id, entry.value ?? `${entry.systolic}/${entry.diastolic}`])).toEqual([[pressure, '128/82'], [latestPulse, 64]]);
    expect(chart.notes.map((entry) => entry.text)).toEqual(['Visit note 7', 'Visit note 6', 'Visit note 5', 'Visit note 4', 'Visit note 3']);
  });

  it('answers 404 for a deleted patient and 403 to BILLING and ANALYST', async () => {
    const created = (await (await t.send('POST', '/patients', newPatient())).json()) as { id: string };
    expect((await t.sendAs('BILLING')('GET', `/patients/${created.id}/record`)).status).toBe(403);
    expect((await t.sendAs('ANALYST')('GET', `/patients/${created.id}/record`)).status).toBe(403);
    expect((await t.send('GET', `/patients/${created.id}/record`)).status).toBe(200);
    await t.send('DELETE', `/patients/${created.id}`);
    const gone = await t.send('GET', `/patients/${created.id}/record`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'PATIENT_NOT_FOUND' });
  });
});
