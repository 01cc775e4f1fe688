import { PasswordHasher } from './password-hasher';

describe('PasswordHasher (real argon2)', () => {
  const hasher = new PasswordHasher();

  it('makes salted argon2id hashes that verify only the right password', async () => {
    const first = await hasher.hash('password123');
    const second = await hasher.hash('password123');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(second).not.toBe(first);
    await expect(hasher.verify(first, 'password123')).resolves.toBe(true);
    await expect(hasher.verify(first, 'password124')).resolves.toBe(false);
  });

  it('answers false, not an error, for a stored hash that is not argon2', async () => {
    await expect(hasher.verify('not-a-hash', 'password123')).resolves.toBe(false);
  });

  it('verifies against a dummy hash with the real parameters, and never matches', async () => {
    await expect(hasher.verifyAgainstDummy('password123')).resolves.toBe(false);
    await expect(hasher.verifyAgainstDummy('')).resolves.toBe(false);
  });
});
