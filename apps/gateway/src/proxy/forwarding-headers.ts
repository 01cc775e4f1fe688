export interface ForwardingInput {
  requestId: string;
  forwardedPrefix: string;
  /** The client as the gateway determined it (req.ip: the peer, or whom a trusted proxy names). */
  clientAddress?: string;
  protocol: string;
  host?: string;
}

/**
 * Headers the gateway sets on every proxied request. A client's own X-Forwarded-* are replaced:
 * X-Forwarded-For carries only the client the gateway determined, since a service trusts the
 * gateway's word and nothing the client wrote before it (TRUSTED_PROXIES).
 */
export function forwardingHeaders(input: ForwardingInput): Record<string, string> {
  return {
    'x-request-id': input.requestId,
    'x-forwarded-prefix': input.forwardedPrefix,
    'x-forwarded-proto': input.protocol,
    ...(input.host ? { 'x-forwarded-host': input.host } : {}),
    ...(input.clientAddress ? { 'x-forwarded-for': input.clientAddress } : {}),
  };
}
