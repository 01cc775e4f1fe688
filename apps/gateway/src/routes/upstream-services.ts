import type { GatewayConfig } from '../config/gateway.config';

/** The services behind the gateway, by the name used in routes, metrics, health and error messages. */
export const UPSTREAM_SERVICES = ['auth', 'patient', 'billing', 'analytics', 'appointment'] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

export type UpstreamUrls = Record<UpstreamService, string>;

/** Injection token for the services' base URLs (no trailing slash). */
export const UPSTREAM_URLS = Symbol('UPSTREAM_URLS');

export function upstreamUrls(config: GatewayConfig): UpstreamUrls {
  const base = (url: string) => url.replace(/\/+$/, '');
  return {
    auth: base(config.AUTH_SERVICE_URL),
    patient: base(config.PATIENT_SERVICE_URL),
    billing: base(config.BILLING_SERVICE_URL),
    analytics: base(config.ANALYTICS_SERVICE_URL),
    appointment: base(config.APPOINTMENT_SERVICE_URL),
  };
}
