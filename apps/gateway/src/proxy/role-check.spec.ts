import { typedFake } from '@pm/testing';
import type { Request, Response } from 'express';
import { matchRoute } from '../routes/route-table';
import { gatewayContext, matchedRoute, startGatewayContext } from './gateway-context';
import { requireGrantedRole } from './role-check';

const response = () => typedFake<Response>({ locals: {} });

describe('requireGrantedRole: fails closed when the pipeline is wired wrong', () => {
  it('throws rather than forward a protected route for which the token step left neither claims nor a refusal', () => {
    const res = response();
    startGatewayContext(res, 'req-1').match = matchRoute('/api/patients');
    const next = jest.fn();
    expect(() => requireGrantedRole(typedFake<Request>({ method: 'GET' }), res, next)).toThrow('without verified claims');
    expect(next).not.toHaveBeenCalled();
  });

  it('throws when a step after routing finds no matched route, or no context at all', () => {
    const res = response();
    expect(() => gatewayContext(res)).toThrow('did not start a context');
    startGatewayContext(res, 'req-1');
    expect(() => matchedRoute(res)).toThrow('without a matched route');
    expect(() => requireGrantedRole(typedFake<Request>({ method: 'GET' }), res, jest.fn())).toThrow('without a matched route');
  });
});
