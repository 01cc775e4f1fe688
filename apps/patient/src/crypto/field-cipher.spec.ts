import { randomBytes } from 'node:crypto';
import { FieldCipher, UndecryptableFieldError, developmentKey, keyIdOf } from './field-cipher';
import { fieldCipherFrom } from './field-cipher.provider';

const indexKey = randomBytes(32);
const oldKey = randomBytes(32);
const newKey = randomBytes(32);

describe('FieldCipher', () => {
  const cipher = new FieldCipher({ k1: oldKey }, 'k1', indexKey);

  it('round-trips a value, sealed under the current key id with a fresh IV each time', () => {
    const sealed = cipher.encrypt('12 Elm Street, Springfield');
    expect(sealed).toMatch(/^v1:k1:[^:]+:[^:]+:[^:]+$/);
    expect(sealed).not.toContain('Elm');
    expect(cipher.decrypt(sealed)).toBe('12 Elm Street, Springfield');
    expect(cipher.encrypt('12 Elm Street, Springfield')).not.toBe(sealed);
    expect(cipher.decrypt(cipher.encrypt(''))).toBe('');
  });

  it('refuses a tampered ciphertext, tag or key id', () => {
    const [format, keyId, iv, tag, ciphertext] = cipher.encrypt('1985-06-15').split(':');
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] ^= 1;
    expect(() => cipher.decrypt([format, keyId, iv, tag, flipped.toString('base64')].join(':'))).toThrow(UndecryptableFieldError);
    expect(() => cipher.decrypt([format, keyId, iv, Buffer.alloc(16).toString('base64'), ciphertext].join(':'))).toThrow(UndecryptableFieldError);
    expect(() => cipher.decrypt('v1:k1:truncated')).toThrow(UndecryptableFieldError);
    // Relabelled to another key the holder also has: the key id is authenticated.
    const both = new FieldCipher({ k1: oldKey, k2: oldKey }, 'k1', indexKey);
    expect(() => both.decrypt([format, 'k2', iv, tag, ciphertext].join(':'))).toThrow(UndecryptableFieldError);
  });

  it('refuses a value under a key id it does not hold', () => {
    const other = new FieldCipher({ k9: newKey }, 'k9', indexKey);
    expect(() => cipher.decrypt(other.encrypt('secret'))).toThrow('unknown key id k9');
  });

  it('rotates: the new key encrypts, the old one still decrypts, old values are stale', () => {
    const before = cipher.encrypt('1970-01-01');
    const rotated = new FieldCipher({ k1: oldKey, k2: newKey }, 'k2', indexKey);
    expect(rotated.decrypt(before)).toBe('1970-01-01');
    const after = rotated.encrypt('1970-01-01');
    expect(keyIdOf(after)).toBe('k2');
    expect(rotated.isStale(before)).toBe(true);
    expect(rotated.isStale(after)).toBe(false);
  });

  it('reads a legacy plaintext value as it is, and counts it stale', () => {
    expect(cipher.decrypt('1 Old Road')).toBe('1 Old Road');
    expect(keyIdOf('1 Old Road')).toBeNull();
    expect(cipher.isStale('1 Old Road')).toBe(true);
  });

  it('makes a keyed blind index: equal for equal values, different per key', () => {
    expect(cipher.blindIndex('1985-06-15')).toBe(cipher.blindIndex('1985-06-15'));
    expect(cipher.blindIndex('1985-06-15')).not.toBe(cipher.blindIndex('1985-06-16'));
    expect(new FieldCipher({ k1: oldKey }, 'k1', randomBytes(32)).blindIndex('1985-06-15')).not.toBe(cipher.blindIndex('1985-06-15'));
  });

  it('refuses keys of the wrong size and an unknown current key id', () => {
    expect(() => new FieldCipher({ k1: randomBytes(16) }, 'k1', indexKey)).toThrow('32 bytes');
    expect(() => new FieldCipher({ k1: oldKey }, 'k2', indexKey)).toThrow('No encryption key with id k2');
  });

  it("refuses a key id with ':' in it, which would break the stored value's format", () => {
    expect(() => new FieldCipher({ 'k:1': oldKey }, 'k:1', indexKey)).toThrow("Encryption key id k:1 cannot contain ':'");
  });
});

describe('fieldCipherFrom', () => {
  it('uses the configured keys and current key id', () => {
    const cipher = fieldCipherFrom({
      DB_NAME: 'patient',
      PATIENT_ENCRYPTION_KEYS: JSON.stringify({ a: oldKey.toString('base64'), b: newKey.toString('base64') }),
      PATIENT_ENCRYPTION_KEY_ID: 'b',
      PATIENT_BLIND_INDEX_KEY: indexKey.toString('base64'),
    });
    expect(keyIdOf(cipher.encrypt('x'))).toBe('b');
    expect(cipher.decrypt(new FieldCipher({ a: oldKey }, 'a', indexKey).encrypt('x'))).toBe('x');
  });

  it('warns when real encryption keys come without a blind-index key, and indexes with the development one', () => {
    const warnings: string[] = [];
    const config = { DB_NAME: 'patient', PATIENT_ENCRYPTION_KEYS: JSON.stringify({ a: oldKey.toString('base64') }), PATIENT_ENCRYPTION_KEY_ID: 'a', PATIENT_BLIND_INDEX_KEY: undefined };
    const cipher = fieldCipherFrom(config, { warn: (message: string) => warnings.push(message) } as never);
    expect(warnings).toEqual(['Birth-date index uses a development key; set PATIENT_BLIND_INDEX_KEY']);
    expect(keyIdOf(cipher.encrypt('x'))).toBe('a');
    expect(cipher.blindIndex('1985-06-15')).toBe(new FieldCipher({ a: oldKey }, 'a', developmentKey('patient', 'blind-index')).blindIndex('1985-06-15'));
  });

  it('falls back to a per-database development key that survives a restart', () => {
    const config = { DB_NAME: 'patient', PATIENT_ENCRYPTION_KEYS: undefined, PATIENT_ENCRYPTION_KEY_ID: undefined, PATIENT_BLIND_INDEX_KEY: undefined };
    const warnings: string[] = [];
    const first = fieldCipherFrom(config, { warn: (message: string) => warnings.push(message) } as never);
    const sealed = first.encrypt('1985-06-15');
    expect(keyIdOf(sealed)).toBe('dev');
    expect(fieldCipherFrom(config).decrypt(sealed)).toBe('1985-06-15');
    expect(warnings).toEqual([expect.stringContaining('development key; set PATIENT_ENCRYPTION_KEYS')]);
    expect(developmentKey('patient', 'encryption').equals(developmentKey('other', 'encryption'))).toBe(false);
  });
});
