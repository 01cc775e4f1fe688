import type { JsonAnswer } from '@pm/testing';
import { call, type CallOptions, type Target } from './security-clients';

export { freshLoopbackAddress } from '@pm/testing';

/**
 * One call sent from `localAddress` on the socket, with no forwarding header: the gateway sees
 * the client's real address, whichever forwarding headers it trusts.
 */
export function callFrom<T = any>(localAddress: string, target: Target, method: string, path: string, options: CallOptions = {}): Promise<JsonAnswer<T>> {
  return call<T>(target, method, path, { ...options, from: localAddress });
}
