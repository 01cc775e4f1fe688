import { waitFor } from '@pm/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { usePatientApp } from '../testing/patient-test-context';
import { AuditTrail } from './audit-trail';
import { patientFactory } from '../testing/patient-factory';

jest.setTimeout(60_000);

const newPatient = patientFactory('Audited', '2024-01-01');
const run = newPatient.run;

interface Entry {
  actorId: string | null;
  actorRole: string | null;
  action: string;
  patientIds: string[];
  at: string;
  requestId: string | null;
  sourceIp: string | null;
  outcome: string;
}

interface AuditPage {
  entries: Entry[];
  page: number;
  size: number;
  totalElements: number;
}

describe('the audit trail of patient records (real PostgreSQL)', () => {
  const t = usePatientApp('patient_int_audit');
  const adminId = randomUUID();
  const doctorId = randomUUID();
  const nurseId = randomUUID();
  let admin: string;
  let doctor: string;
  let nurse: string;

  beforeAll(async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    admin = await t.issuer.bearer('ADMIN', { userId: adminId, expiresAt });
    doctor = await t.issuer.bearer('DOCTOR', { userId: doctorId, expiresAt });
    nurse = await t.issuer.bearer('NURSE', { userId: nurseId, expiresAt });
  });

  const send = (method: string, path: string, authorization: string, body?: unknown, requestId?: string) =>
    fetch(`${t.baseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(authorization ? { authorization } : {}),
        ...(requestId ? { 'x-request-id': requestId } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function audit(query: string, authorization = admin): Promise<AuditPage> {
    const response = await send('GET', `/audit?${query}`, authorization);
    expect(response.status).toBe(200);
    return (await response.json()) as AuditPage;
  }

  /** The entries matching `query` once `count` of them are listed. */
  async function auditEventually(query: string, count: number): Promise<Entry[]> {
    let page: AuditPage | undefined;
    await waitFor(async () => {
      page = await audit(`${query}&size=100`);
      return page.totalElements >= count;
    }, { timeoutMs: 5000 });
    return page!.entries;
  }

  it('records every action on patient records with actor, patients, time, request id, source and outcome', async () => {
    const before = new Date();
    const created = await send('POST', '/patients', doctor, newPatient(), `audit-create-${run}`);
    expect(created.status).toBe(201);
    const { id, email } = (await created.json()) as { id: string; email: string };
    expect((await send('GET', `/patients/${id}`, doctor, undefined, `audit-read-${run}`)).status).toBe(200);
    expect((await send('GET', `/patients?searchValue=${encodeURIComponent(email)}`, doctor)).status).toBe(200);
    expect((await send('PUT', `/patients/${id}`, doctor, newPatient())).status).toBe(200);
    expect((await send('DELETE', `/patients/${id}`, admin)).status).toBe(204);
    expect((await send('POST', `/patients/${id}/restore`, admin)).status).toBe(200);

    const entries = await auditEventually(`patientId=${id}`, 6);
    expect(entries.map((e) => [e.action, e.actorRole, e.outcome]).reverse()).toEqual([
      ['CREATE', 'DOCTOR', 'ALLOWED'],
      ['READ', 'DOCTOR', 'ALLOWED'],
      ['LIST', 'DOCTOR', 'ALLOWED'],
      ['UPDATE', 'DOCTOR', 'ALLOWED'],
      ['DELETE', 'ADMIN', 'ALLOWED'],
      ['RESTORE', 'ADMIN', 'ALLOWED'],
    ]);
    const read = entries.find((e) => e.action === 'READ')!;
    expect(read).toEqual({
      id: expect.any(String),
      actorId: doctorId,
      actorRole: 'DOCTOR',
      action: 'READ',
      patientIds: [id],
      at: expect.any(String),
      requestId: `audit-read-${run}`,
      sourceIp: expect.stringMatching(/127\.0\.0\.1/),
      outcome: 'ALLOWED',
      // A read of the patient record itself, not of an entry of the medical record.
      entryKind: null,
    });
    expect(new Date(read.at).getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
    expect(entries.find((e) => e.action === 'CREATE')?.requestId).toBe(`audit-create-${run}`);
  });

  it('lists every patient of a LIST page in its entry', async () => {
    const ids = [];
    for (let i = 0; i < 3; i += 1) ids.push(((await (await send('POST', '/patients', admin, newPatient({ name: `Listed ${run} ${i}` }))).json()) as { id: string }).id);
    expect((await send('GET', `/patients?searchValue=${encodeURIComponent(`Listed ${run}`)}`, nurse)).status).toBe(200);

    const [entry] = await auditEventually(`actorId=${nurseId}&action=LIST`, 1);
    expect([...entry.patientIds].sort()).toEqual([...ids].sort());
  });

  it('records refused attempts as DENIED: with the actor for 403, without one for 401', async () => {
    const { id } = (await (await send('POST', '/patients', admin, newPatient())).json()) as { id: string };
    expect((await send('DELETE', `/patients/${id}`, nurse)).status).toBe(403);
    expect((await send('GET', `/patients/${id}`, '')).status).toBe(401);
    expect((await send('POST', `/patients/${id}/restore`, doctor)).status).toBe(403);

    const denied = await auditEventually(`patientId=${id}&outcome=DENIED`, 3);
    expect(denied.map((e) => [e.action, e.actorId, e.actorRole]).reverse()).toEqual([
      ['DELETE', nurseId, 'NURSE'],
      ['READ', null, null],
      ['RESTORE', doctorId, 'DOCTOR'],
    ]);
  });

  it("answers a patient's access log to ADMIN only, and filters by time", async () => {
    const { id } = (await (await send('POST', '/patients', admin, newPatient())).json()) as { id: string };
    await send('GET', `/patients/${id}`, nurse);
    await auditEventually(`patientId=${id}`, 2);

    const log = await send('GET', `/patients/${id}/access-log`, admin);
    expect(log.status).toBe(200);
    const page = (await log.json()) as AuditPage;
    expect(page).toMatchObject({ page: 1, size: 20, totalElements: 2 });
    expect(page.entries.map((e) => [e.action, e.actorId])).toEqual([
      ['READ', nurseId],
      ['CREATE', adminId],
    ]);
    expect((await send('GET', `/patients/${id}/access-log`, doctor)).status).toBe(403);
    expect((await send('GET', '/audit', nurse)).status).toBe(403);

    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await audit(`patientId=${id}&from=${future}`)).totalElements).toBe(0);
    expect((await audit(`patientId=${id}&to=${future}&size=1`)).entries).toHaveLength(1);
  });

  it('lists the whole trail, newest first, when no filter is given', async () => {
    const { id } = (await (await send('POST', '/patients', admin, newPatient())).json()) as { id: string };
    const requestId = `unfiltered-${id}`;
    await send('GET', `/patients/${id}`, doctor, undefined, requestId);
    const page = await audit('size=1');
    expect(page.totalElements).toBeGreaterThanOrEqual(2);
    expect(page.entries).toEqual([expect.objectContaining({ action: 'READ', actorId: doctorId, requestId, patientIds: [id] })]);
  });

  it('answers 400 naming each bad filter', async () => {
    const response = await send('GET', '/audit?patientId=nope&action=PEEK&outcome=MAYBE&from=yesterday&size=1000', admin);
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: Record<string, string> };
    expect(Object.keys(errors).sort()).toEqual(['action', 'from', 'outcome', 'patientId', 'size']);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit entries in the database itself', async () => {
    const dataSource = t.app.get(DataSource);
    await t.app.get(AuditTrail).flush();
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM audit_entries');
    expect(count).toBeGreaterThan(0);

    await expect(dataSource.query(`UPDATE audit_entries SET outcome = 'ALLOWED'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query('DELETE FROM audit_entries')).rejects.toThrow(/append-only/);
    await expect(dataSource.query('TRUNCATE audit_entries')).rejects.toThrow(/append-only/);
    expect((await dataSource.query('SELECT count(*)::int AS count FROM audit_entries'))[0].count).toBe(count);
  });

  it('loses no entry on a clean shutdown, whatever is still queued', async () => {
    const other = await t.boot();
    const trail = other.get(AuditTrail);
    const marker = `shutdown-${randomUUID()}`;
    for (let i = 0; i < 250; i += 1) {
      trail.record({
        at: new Date(),
        actorId: adminId,
        actorRole: 'ADMIN',
        action: 'READ',
        patientIds: [randomUUID()],
        requestId: marker,
        sourceIp: '127.0.0.1',
        outcome: 'ALLOWED',
      });
    }
    const response = await fetch(`${await other.getUrl()}/patients/${randomUUID()}`, { headers: { authorization: admin, 'x-request-id': marker } });
    expect(response.status).toBe(404);
    await other.close();

    const [{ count }] = await t.app.get(DataSource).query('SELECT count(*)::int AS count FROM audit_entries WHERE request_id = $1', [marker]);
    expect(count).toBe(251);
  });

  it('answers only once the entry is written, and 503 naming the audit trail when it cannot be written', async () => {
    const dataSource = t.app.get(DataSource);
    const created = await send('POST', '/patients', admin, newPatient());
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const entriesOf = async (requestId: string) =>
      (await dataSource.query('SELECT count(*)::int AS count FROM audit_entries WHERE request_id = $1', [requestId]))[0].count;

    const read = `durable-${randomUUID()}`;
    expect((await send('GET', `/patients/${id}`, doctor, undefined, read)).status).toBe(200);
    // No waiting: the entry was committed before the answer left.
    expect(await entriesOf(read)).toBe(1);
    // Refusals too: the guard answers 403/401 only once the DENIED entry is committed.
    const forbidden = `durable-403-${randomUUID()}`;
    expect((await send('DELETE', `/patients/${id}`, nurse, undefined, forbidden)).status).toBe(403);
    expect(await entriesOf(forbidden)).toBe(1);
    const anonymous = `durable-401-${randomUUID()}`;
    expect((await send('GET', `/patients/${id}`, '', undefined, anonymous)).status).toBe(401);
    expect(await entriesOf(anonymous)).toBe(1);

    const refused = `refused-${randomUUID()}`;
    await dataSource.query('ALTER TABLE audit_entries RENAME TO audit_entries_away');
    try {
      const response = await send('GET', `/patients/${id}`, doctor, undefined, refused);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/audit trail/);
    } finally {
      await dataSource.query('ALTER TABLE audit_entries_away RENAME TO audit_entries');
    }
    // The refused attempt is still recorded, on a retry.
    await waitFor(async () => (await entriesOf(refused)) === 1, { timeoutMs: 5000, description: 'the retried entry' });
  });
});
