import { RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { acknowledge } from '../compliance';
import { Construct } from 'constructs';
import { encryptionKey } from '../encryption';
import { PlatformFunction } from '../platform-functions';

export interface SigningKeysProps {
  readonly vpc: ec2.IVpc;
  readonly retainData: boolean;
  readonly logKey: kms.IKey;
  readonly logRetentionDays: number;
}

/**
 * auth's AUTH_SIGNING_KEYS: a secret holding a JSON array of private EC P-256 JWKs. The first
 * deployment fills it with a freshly generated key (custom resource); afterwards the secret is
 * only ever changed on purpose, to rotate (README, Deploy).
 */
export class SigningKeys extends Construct {
  readonly key: kms.Key;
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    this.key = encryptionKey(this, 'Key', "auth's token signing keys", props.retainData);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: 'AUTH_SIGNING_KEYS of auth: JSON array of private EC P-256 JWKs, the first signs',
      encryptionKey: this.key,
      // A random placeholder until the custom resource below puts a real key in.
      generateSecretString: { passwordLength: 32, excludePunctuation: true },
      removalPolicy: props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const generator = new PlatformFunction(this, 'GenerateKey', {
      handler: 'auth-signing-key',
      description: "Puts a generated EC P-256 signing key into auth's AUTH_SIGNING_KEYS secret when it holds none",
      vpc: props.vpc,
      logKey: props.logKey,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainData,
    });
    this.secret.grantRead(generator.function);
    this.secret.grantWrite(generator.function);
    generator.resource(this, 'InitialKey', 'AuthSigningKey', { SecretArn: this.secret.secretArn });

    const rotation = {
      reason:
        'Signing keys rotate by prepending a new JWK and removing the old one after the access-token lifetime (README, Deploy); replacing the value wholesale, as a rotation function does, would invalidate every issued token.',
    };
    acknowledge(this.secret, [
      { id: 'AwsSolutions-SMG4', ...rotation },
      { id: 'HIPAA.Security-SecretsManagerRotationEnabled', ...rotation },
    ]);
  }
}

export interface PatientFieldKeysProps {
  readonly retainData: boolean;
}

/** The id under which the first generated field-encryption key is stored. */
export const PATIENT_ENCRYPTION_KEY_ID = 'k1';

/**
 * The patient service's field-encryption keys (PATIENT_ENCRYPTION_KEYS, a JSON object of base64
 * AES-256 keys by id) and its blind-index key (PATIENT_BLIND_INDEX_KEY), generated at the first
 * deployment. 43 characters of [A-Za-z0-9] decode as base64 to 32 random bytes.
 */
export class PatientFieldKeys extends Construct {
  readonly key: kms.Key;
  readonly encryptionKeys: secretsmanager.Secret;
  readonly blindIndexKey: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: PatientFieldKeysProps) {
    super(scope, id);
    const removalPolicy = props.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.key = encryptionKey(this, 'Key', "patient records' field-encryption keys", props.retainData);
    this.encryptionKeys = new secretsmanager.Secret(this, 'EncryptionKeys', {
      description: 'PATIENT_ENCRYPTION_KEYS of patient: {"<keyId>": "<base64 AES-256 key>"}; add a key to rotate',
      encryptionKey: this.key,
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: PATIENT_ENCRYPTION_KEY_ID,
        passwordLength: 43,
        excludePunctuation: true,
      },
      removalPolicy,
    });
    this.blindIndexKey = new secretsmanager.Secret(this, 'BlindIndexKey', {
      description: 'PATIENT_BLIND_INDEX_KEY of patient: HMAC key of the birth-date index used to find duplicates',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 43, excludePunctuation: true },
      removalPolicy,
    });
    const rotation = {
      reason:
        'Field-encryption keys rotate by adding a key and moving PATIENT_ENCRYPTION_KEY_ID, then re-encrypting (npm run patients:reencrypt); replacing the value wholesale, as a rotation function does, would make every stored field unreadable. The blind-index key cannot change without rebuilding the index.',
    };
    for (const secret of [this.encryptionKeys, this.blindIndexKey]) {
      acknowledge(secret, [
        { id: 'AwsSolutions-SMG4', ...rotation },
        { id: 'HIPAA.Security-SecretsManagerRotationEnabled', ...rotation },
      ]);
    }
  }
}
