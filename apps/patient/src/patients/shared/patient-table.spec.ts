import type { Transaction } from '@pm/platform';
import { typedFake } from '@pm/testing';
import { DataSource, QueryFailedError } from 'typeorm';
import { FieldCipher } from '../../crypto/field-cipher';
import { PatientStorageError, PatientTable } from './patient-table';
import { PatientEmailTakenError } from './patient.errors';

describe('PatientTable.query failures', () => {
  const table = new PatientTable(typedFake<DataSource>({}), typedFake<FieldCipher>({}));
  const failingWith = (error: Error) => typedFake<Transaction>({ query: async () => Promise.reject(error) });
  // The driver's message and the parameters can quote patient data.
  const queryFailed = (driverError: object) => new QueryFailedError('INSERT INTO patients ...', ['jane@example.com'], Object.assign(new Error('Key (email)=(jane@example.com) exists'), driverError));

  it('answers a taken email (the unique index on lower(email)) with PatientEmailTakenError', async () => {
    const taken = queryFailed({ code: '23505', constraint: 'uq_patients_email_lower' });
    await expect(table.query('INSERT ...', [], failingWith(taken))).rejects.toBeInstanceOf(PatientEmailTakenError);
  });

  it('reports another unique violation by its SQLSTATE only, without the patient data of the message', async () => {
    const other = queryFailed({ code: '23505', constraint: 'patients_pkey' });
    const refused = table.query('INSERT ...', [], failingWith(other));
    await expect(refused).rejects.toEqual(new PatientStorageError('23505'));
    await expect(refused).rejects.toThrow('Patient storage query failed (SQLSTATE 23505)');
  });

  it('says nothing of a SQLSTATE the driver did not give', async () => {
    await expect(table.query('SELECT ...', [], failingWith(queryFailed({})))).rejects.toThrow(/^Patient storage query failed$/);
  });

  it('passes a failure that is no query failure (a lost connection) on as it is', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    await expect(table.query('SELECT ...', [], failingWith(lost))).rejects.toBe(lost);
  });
});
