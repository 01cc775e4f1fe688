// The six services as the local launcher runs them: contract ports (see shared contract) and the
// environment each needs to find the others. Ports shift by `offset` so a second copy of the
// system (the end-to-end tests) can run beside a developer's.
export const SERVICES = ['auth', 'billing', 'patient', 'analytics', 'appointment', 'gateway'];

export function servicePorts(offset = 0) {
  return {
    gateway: 4004 + offset,
    patient: 4000 + offset,
    billing: 4001 + offset,
    analytics: 4002 + offset,
    auth: 4005 + offset,
    appointment: 4006 + offset,
    billingGrpc: 9001 + offset,
  };
}

/** Environment per service; `databaseSuffix` and `groupSuffix` isolate a second copy's data. */
export function serviceEnvironments({ offset = 0, databaseSuffix = '', groupSuffix = '', demoSeed = true } = {}) {
  const ports = servicePorts(offset);
  const url = (port) => `http://127.0.0.1:${port}`;
  const common = { NODE_ENV: 'development', HTTP_HOST: '127.0.0.1', DEMO_SEED: String(demoSeed) };
  // Every service verifies access tokens itself against auth's published keys.
  const verifiesTokens = { AUTH_JWKS_URL: `${url(ports.auth)}/.well-known/jwks.json` };
  return {
    auth: {
      ...common,
      HTTP_PORT: ports.auth,
      DB_NAME: `auth${databaseSuffix}`,
      // A second copy of the system (end-to-end tests) keeps its own failed-login counters, new
      // each run like its databases: a fuzz run's fixed seed fails the same made-up accounts again,
      // and counters left from the last run would slow those logins past the suite's limit.
      LOGIN_THROTTLE_KEY_PREFIX: `auth${databaseSuffix}${groupSuffix}:login-failures`,
    },
    billing: {
      ...common,
      ...verifiesTokens,
      HTTP_PORT: ports.billing,
      GRPC_HOST: '127.0.0.1',
      GRPC_PORT: ports.billingGrpc,
      DB_NAME: `billing${databaseSuffix}`,
      KAFKA_CONSUMER_GROUP: `billing${groupSuffix}`,
    },
    patient: {
      ...common,
      ...verifiesTokens,
      HTTP_PORT: ports.patient,
      DB_NAME: `patient${databaseSuffix}`,
      KAFKA_CONSUMER_GROUP: `patient${groupSuffix}`,
      BILLING_GRPC_URL: `127.0.0.1:${ports.billingGrpc}`,
      // $everything asks this copy's appointment service, not the one on the contract port.
      APPOINTMENT_SERVICE_URL: url(ports.appointment),
    },
    analytics: {
      ...common,
      ...verifiesTokens,
      HTTP_PORT: ports.analytics,
      DB_NAME: `analytics${databaseSuffix}`,
      KAFKA_CONSUMER_GROUP: `analytics${groupSuffix}`,
    },
    appointment: {
      ...common,
      ...verifiesTokens,
      HTTP_PORT: ports.appointment,
      DB_NAME: `appointment${databaseSuffix}`,
      KAFKA_CONSUMER_GROUP: `appointment${groupSuffix}`,
      AUTH_SERVICE_URL: url(ports.auth),
    },
    gateway: {
      ...common,
      HTTP_PORT: ports.gateway,
      ...verifiesTokens,
      RATE_LIMIT_KEY_PREFIX: `gateway-rate-limit${databaseSuffix}${groupSuffix}`,
      AUTH_SERVICE_URL: url(ports.auth),
      PATIENT_SERVICE_URL: url(ports.patient),
      BILLING_SERVICE_URL: url(ports.billing),
      ANALYTICS_SERVICE_URL: url(ports.analytics),
      APPOINTMENT_SERVICE_URL: url(ports.appointment),
    },
  };
}
