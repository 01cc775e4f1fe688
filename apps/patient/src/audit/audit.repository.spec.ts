import { typedFake } from '@pm/testing';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../crypto/field-cipher';
import { AuditRepository } from './audit.repository';

describe('AuditRepository.insertMany', () => {
  it('sends no statement for an empty batch (an INSERT without rows is a syntax error)', async () => {
    const repository = new AuditRepository(typedFake<DataSource>({ query: async (sql: string) => Promise.reject(new Error(`unexpected statement: ${sql}`)) }), typedFake<FieldCipher>({}));
    await expect(repository.insertMany([])).resolves.toBeUndefined();
  });
});
