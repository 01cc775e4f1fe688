// Custom::PostgresDatabases: one login role and one database per service, owned by that role.
// Properties: Host, Port, MasterSecretArn, Databases: [{ Name, OwnerSecretArn }] where each
// secret holds {"username","password"}. Idempotent: existing roles get the secret's password
// again, existing databases are kept. Delete keeps everything (the data outlives this resource).
'use strict';
const { Client } = require('pg');
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');
const { customResource } = require('./cfn-response');

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const secrets = new SecretsManagerClient({});

async function credentials(secretArn) {
  const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
  const { username, password } = JSON.parse(SecretString);
  if (!IDENTIFIER.test(username)) throw new Error(`secret ${secretArn} has a username that is not a plain identifier`);
  return { username, password };
}

async function ensureDatabase(client, name, owner) {
  if (!IDENTIFIER.test(name)) throw new Error(`database name '${name}' is not a plain identifier`);
  const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [owner.username]);
  const password = client.escapeLiteral(owner.password);
  if (role.rowCount === 0) {
    await client.query(`CREATE ROLE "${owner.username}" LOGIN PASSWORD ${password}`);
  } else {
    await client.query(`ALTER ROLE "${owner.username}" LOGIN PASSWORD ${password}`);
  }
  // RDS's master user is not a superuser: it must be a member of a role to give it a database.
  await client.query(`GRANT "${owner.username}" TO CURRENT_USER`);
  const database = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (database.rowCount === 0) {
    await client.query(`CREATE DATABASE "${name}" OWNER "${owner.username}"`);
  }
  // Only the owning service (and the master user) may connect to a service's database.
  await client.query(`REVOKE ALL ON DATABASE "${name}" FROM PUBLIC`);
}

exports.handler = customResource(async (event) => {
  const properties = event.ResourceProperties;
  const physicalResourceId = `databases@${properties.Host}`;
  if (event.RequestType === 'Delete') return { physicalResourceId };
  const master = await credentials(properties.MasterSecretArn);
  const client = new Client({
    host: properties.Host,
    port: Number(properties.Port),
    user: master.username,
    password: master.password,
    database: 'postgres',
    // The Lambda runtime's CA bundle (NODE_EXTRA_CA_CERTS) includes the RDS certificate authorities.
    ssl: properties.Ssl === 'false' ? false : { rejectUnauthorized: true },
    connectionTimeoutMillis: 10_000,
  });
  await client.connect();
  try {
    for (const database of properties.Databases) {
      await ensureDatabase(client, database.Name, await credentials(database.OwnerSecretArn));
    }
  } finally {
    await client.end();
  }
  return { physicalResourceId, data: { Databases: properties.Databases.map((database) => database.Name).join(',') } };
});
