import { randomBytes } from 'node:crypto';
import { FieldCipher } from '../crypto/field-cipher';
import { usePatientApp } from '../testing/patient-test-context';
import { SEED_RECORDER, seedPatients } from './patient-seeder';

jest.setTimeout(60_000);

interface Chart {
  patient: { id: string };
  allergies: unknown[];
  conditions: unknown[];
  medications: unknown[];
  vitals: { code: string }[];
  notes: { text: string }[];
}

describe('seed:patients with clinical entries at scale (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_seed');
  let doctor: ReturnType<typeof t.sendAs>;

  beforeAll(() => {
    doctor = t.sendAs('DOCTOR');
  });

  it('gives every seeded patient K entries of every kind that the service reads back as its own: chart, lists, history', async () => {
    const ids = await seedPatients(t.dataSource, t.app.get(FieldCipher), { count: 3, clinical: 7, tag: randomBytes(3).toString('hex') });
    expect(ids).toHaveLength(3);
    const perKind: { patient_id: string; kind: string; n: number }[] = await t.dataSource.query(
      'SELECT patient_id, kind, count(*)::int AS n FROM clinical_entries WHERE patient_id = ANY($1::uuid[]) GROUP BY 1, 2',
      [ids],
    );
    expect(perKind).toHaveLength(15);
    expect(perKind.every((row) => row.n === 7)).toBe(true);

    const chartAnswer = await doctor('GET', `/patients/${ids[1]}/record`);
    expect(chartAnswer.status).toBe(200);
    const chart = (await chartAnswer.json()) as Chart;
    expect(chart.patient.id).toBe(ids[1]);
    expect([chart.allergies.length, chart.conditions.length, chart.medications.length, chart.notes.length]).toEqual([7, 7, 7, 5]);
    // Seven measurements over six signs: the latest of each.
    expect(new Set(chart.vitals.map((vital) => vital.code)).size).toBe(6);
    expect(chart.notes[0].text).toMatch(/\(visit 1\)$/);

    const list = await doctor('GET', `/patients/${ids[2]}/medications?size=5`);
    const page = (await list.json()) as { totalElements: number; entries: { id: string; recordedBy: string; status: string }[] };
    expect(page.totalElements).toBe(7);
    expect(page.entries[0]).toMatchObject({ recordedBy: SEED_RECORDER, status: 'active' });
    const history = await doctor('GET', `/patients/${ids[2]}/medications/${page.entries[0].id}/history`);
    expect(history.status).toBe(200);
    expect(await history.json()).toEqual([expect.objectContaining({ version: 1, change: 'RECORDED', changedBy: SEED_RECORDER, entry: page.entries[0] })]);
  });

  it('seals the clinical text at rest, and loads nothing at all when a batch fails', async () => {
    const inClear: unknown[] = await t.dataSource.query(
      "SELECT 1 FROM clinical_entries e JOIN clinical_entry_versions v ON v.entry_id = e.id WHERE e.details LIKE '%Penicillin%' OR e.details LIKE '%Metformin%' OR v.snapshot LIKE '%Annual check-up%'",
    );
    expect(inClear).toEqual([]);

    const before: { n: number }[] = await t.dataSource.query('SELECT count(*)::int AS n FROM patients');
    // A tag that makes the emails clash with an earlier run's: the unique index refuses the batch.
    const tag = 'clash0';
    await seedPatients(t.dataSource, t.app.get(FieldCipher), { count: 1, clinical: 0, tag });
    await expect(seedPatients(t.dataSource, t.app.get(FieldCipher), { count: 2, clinical: 2, tag })).rejects.toThrow();
    const after: { n: number }[] = await t.dataSource.query('SELECT count(*)::int AS n FROM patients');
    expect(after[0].n).toBe(before[0].n + 1);
    const indexes: unknown[] = await t.dataSource.query("SELECT 1 FROM pg_indexes WHERE tablename = 'patients' AND indexdef LIKE '% USING gin %'");
    expect(indexes.length).toBeGreaterThan(0);
  });
});
