// Custom::AuthSigningKey: fills auth's AUTH_SIGNING_KEYS secret with a fresh EC P-256 private JWK
// when it does not hold a key list yet. CloudFormation cannot generate EC keys, and the key must
// never pass through a template or a deploy log. A secret that already holds keys is left alone,
// so rotation (prepend a new key, drop the old one later) is done on the secret itself.
'use strict';
const { generateKeyPairSync, randomUUID } = require('node:crypto');
const {
  SecretsManagerClient,
  GetSecretValueCommand,
  PutSecretValueCommand,
} = require('@aws-sdk/client-secrets-manager');
const { customResource } = require('./cfn-response');

const secrets = new SecretsManagerClient({});

function holdsKeys(secretString) {
  try {
    const keys = JSON.parse(secretString);
    return Array.isArray(keys) && keys.length > 0 && keys.every((key) => key && key.kty === 'EC' && key.d && key.kid);
  } catch {
    return false;
  }
}

function newSigningKey() {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const kid = `${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
  return { kty: 'EC', crv: 'P-256', alg: 'ES256', kid, x: jwk.x, y: jwk.y, d: jwk.d };
}

exports.handler = customResource(async (event) => {
  const secretArn = event.ResourceProperties.SecretArn;
  const physicalResourceId = `signing-key@${secretArn}`;
  if (event.RequestType === 'Delete') return { physicalResourceId };
  const current = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (holdsKeys(current.SecretString)) return { physicalResourceId, data: { Generated: 'false' } };
  await secrets.send(
    new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify([newSigningKey()]) }),
  );
  return { physicalResourceId, data: { Generated: 'true' } };
});
