export interface ForwardingInput {
  requestId: string;
  forwardedPrefix: string;
  /** The X-Forwarded-For the client (or a load balancer in front) sent, if any. */
  forwardedFor?: string | string[];
  remoteAddress?: string;
  protocol: string;
  host?: string;
}

/**
 * Headers the gateway sets on every proxied request. A client's own X-Forwarded-Prefix/-Proto/-Host
 * are replaced; X-Forwarded-For is appended to, as every proxy in a chain does.
 */
export function forwardingHeaders(input: ForwardingInput): Record<string, string> {
  const earlier = Array.isArray(input.forwardedFor) ? input.forwardedFor.join(', ') : input.forwardedFor?.trim();
  const chain = [earlier, input.remoteAddress].filter((part): part is string => Boolean(part));
  return {
    'x-request-id': input.requestId,
    'x-forwarded-prefix': input.forwardedPrefix,
    'x-forwarded-proto': input.protocol,
    ...(input.host ? { 'x-forwarded-host': input.host } : {}),
    ...(chain.length > 0 ? { 'x-forwarded-for': chain.join(', ') } : {}),
  };
}
