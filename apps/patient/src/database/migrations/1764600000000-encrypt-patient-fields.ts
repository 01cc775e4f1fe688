import { sqlMigration } from '@pm/platform';

/**
 * Address and birth date hold AES-256-GCM ciphertext (`v1:<keyId>:...`) from now on, so the birth
 * date becomes text. Existing values stay as plaintext here (a migration holds no key); the
 * service reads them as legacy values and re-encrypts them at start-up (and `patients:reencrypt`).
 */
export class EncryptPatientFields1764600000000 extends sqlMigration('EncryptPatientFields1764600000000', {
  up: [`ALTER TABLE patients ALTER COLUMN date_of_birth TYPE text USING to_char(date_of_birth, 'YYYY-MM-DD')`],
  // Going back would need the keys to decrypt every row, which a migration does not have.
  irreversible: 'EncryptPatientFields cannot be reverted: decrypt the rows with the service first',
}) {}
