import { gatewayConfigSchema } from '../../apps/gateway/src/config/gateway.config';
import { ServiceProcess } from '../../infrastructure/local/service-process.mjs';
import { serviceEnvironments } from '../../infrastructure/local/services.mjs';
import { E2E_PORT_OFFSET } from '../support/system';

/** Beside the end-to-end gateway (14004), never on a contract port. */
export const FUZZ_GATEWAY_PORT = 4004 + E2E_PORT_OFFSET + 100;
export const fuzzGatewayUrl = `http://127.0.0.1:${FUZZ_GATEWAY_PORT}`;

/**
 * A second gateway in front of the end-to-end system's services, with every rate limit raised and
 * counters of its own: the fuzzer's thousands of requests neither meet the shared gateway's limits
 * nor use up what the rate-limit tests count on. Every `RATE_LIMIT_*_POINTS` variable the gateway's
 * schema knows is raised, so a limit added later is raised too.
 */
export function fuzzGateway(): ServiceProcess {
  const e2e = serviceEnvironments({ offset: E2E_PORT_OFFSET, databaseSuffix: '_e2e' }).gateway;
  const raisedLimits = Object.fromEntries(
    Object.keys(gatewayConfigSchema.shape)
      .filter((name) => /^RATE_LIMIT_.*POINTS$/.test(name))
      .map((name) => [name, 1_000_000]),
  );
  // The fuzzer's own client address (X-Forwarded-For) must reach auth, so its failed logins are
  // counted apart from other suites': this gateway trusts the fuzzer (on loopback) as its proxy.
  const trustLoopback = { TRUSTED_PROXIES: 'loopback' };
  return new ServiceProcess(
    'gateway',
    {
      ...e2e,
      ...trustLoopback,
      ...raisedLimits,
      HTTP_PORT: FUZZ_GATEWAY_PORT,
      RATE_LIMIT_KEY_PREFIX: `gateway-rate-limit-fuzz-${process.pid}`,
      LOG_LEVEL: 'warn',
    },
    `${fuzzGatewayUrl}/health/live`,
    'fuzz',
  );
}
