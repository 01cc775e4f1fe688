import { KeyObject, createCipheriv, createDecipheriv, createHmac, createSecretKey, randomBytes, scryptSync } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** A stored value that cannot be decrypted: tampered, truncated, or under a key we do not hold. */
export class UndecryptableFieldError extends Error {
  constructor(reason: string) {
    super(`Encrypted patient field cannot be read: ${reason}`);
  }
}

/**
 * AES-256-GCM for patient fields at rest. A stored value is `v1:<keyId>:<iv>:<tag>:<ciphertext>`
 * (base64 parts), so it names the key that sealed it and keys can rotate: every key held still
 * decrypts, the current one encrypts. A value without the `v1:` prefix is legacy plaintext (rows
 * written before encryption) and is read as it is until re-encrypted.
 */
export class FieldCipher {
  // KeyObjects, not Buffers: a Buffer key is made into a KeyObject on every call, which took
  // three times as long as the decryption itself (a chart decrypts ~160 entries; bench:chart).
  private readonly keys: Map<string, KeyObject>;

  constructor(
    keys: Record<string, Buffer>,
    readonly currentKeyId: string,
    private readonly blindIndexKey: Buffer,
  ) {
    for (const [id, key] of Object.entries(keys)) {
      if (key.length !== KEY_BYTES) throw new Error(`Encryption key ${id} must be ${KEY_BYTES} bytes`);
      if (id.includes(':')) throw new Error(`Encryption key id ${id} cannot contain ':'`);
    }
    this.keys = new Map(Object.entries(keys).map(([id, key]) => [id, createSecretKey(key)]));
    if (!this.keys.has(currentKeyId)) throw new Error(`No encryption key with id ${currentKeyId}`);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    // The key id is authenticated too, so a value cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(this.currentKeyId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [FORMAT, this.currentKeyId, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
  }

  decrypt(stored: string): string {
    if (!isEncrypted(stored)) return stored;
    const parts = stored.split(':');
    if (parts.length !== 5) throw new UndecryptableFieldError('malformed value');
    const [, keyId, iv, tag, ciphertext] = parts;
    const key = this.keys.get(keyId);
    if (!key) throw new UndecryptableFieldError(`unknown key id ${keyId}`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new UndecryptableFieldError('authentication failed');
    }
  }

  /** True when the value is plaintext or sealed under an older key: re-encryption should rewrite it. */
  isStale(stored: string): boolean {
    return keyIdOf(stored) !== this.currentKeyId;
  }

  /**
   * A keyed hash of a value (HMAC-SHA256, hex) for equality lookups on an encrypted field:
   * equal values match, but the index reveals nothing without the key.
   */
  blindIndex(value: string): string {
    return createHmac('sha256', this.blindIndexKey).update(value).digest('hex');
  }
}

export function isEncrypted(stored: string): boolean {
  return stored.startsWith(`${FORMAT}:`);
}

/** The key id a stored value was sealed with; null for legacy plaintext. */
export function keyIdOf(stored: string): string | null {
  return isEncrypted(stored) ? (stored.split(':')[1] ?? null) : null;
}

/** The development fallback: deterministic per database, so restarts keep old rows readable. Never for production. */
export function developmentKey(databaseName: string, purpose: 'encryption' | 'blind-index'): Buffer {
  return scryptSync(`${purpose}:${databaseName}`, 'pm-patient-development-key-not-for-production', KEY_BYTES);
}
