import { FHIR_BASE } from '@pm/fhir';
import type { Request } from 'express';

// A host name or address with an optional port: anything else is not echoed into links.
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

const first = (header: string | string[] | undefined) => (Array.isArray(header) ? header[0] : header)?.split(',')[0].trim();

/**
 * The absolute FHIR base a client reached us at (`https://host/fhir/R4`), for Bundle links and
 * fullUrls: the host and scheme the gateway forwards (X-Forwarded-Host/Proto), else our own.
 */
export function fhirBaseUrl(req: Request): string {
  const forwardedHost = first(req.headers['x-forwarded-host']);
  const host = forwardedHost && SAFE_HOST.test(forwardedHost) ? forwardedHost : (req.headers.host ?? 'localhost');
  const proto = first(req.headers['x-forwarded-proto']);
  const scheme = proto === 'https' || proto === 'http' ? proto : req.protocol;
  return `${scheme}://${SAFE_HOST.test(host) ? host : 'localhost'}${FHIR_BASE}`;
}
